from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IamConfig(AppConfig):
    name = "chitra.iam"
    label = "iam"
    verbose_name = _("Users and organisations")

    def ready(self) -> None:
        from chitra.core import ports
        from chitra.iam import schema  # noqa: F401  (registers the token in the OpenAPI schema)
        from chitra.iam.access import has_perm, require_perm
        from chitra.iam.services import resolve_actor, system_actor

        ports.system_actor.register(system_actor)
        ports.resolve_actor.register(resolve_actor)
        ports.has_perm.register(has_perm)
        ports.require_perm.register(require_perm)

        from chitra.core.audit_actions import register_actions
        from chitra.iam.audit_actions import ACTIONS

        register_actions(ACTIONS)
