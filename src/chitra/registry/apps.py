from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "chitra.registry"
    label = "registry"
    verbose_name = _("Beneficiary registry")

    def ready(self) -> None:
        from chitra.core.scopes import ScopeSpec, register_scope
        from chitra.registry.models import Beneficiary, Entitlement, Representative

        # Area paths only; chitra.payment_methods (later in INSTALLED_APPS) registers these
        # models again with the provider path through which money movers see their customers.
        register_scope(Beneficiary, ScopeSpec(commune_path="commune"))
        register_scope(Entitlement, ScopeSpec(commune_path="beneficiary__commune"))
        register_scope(Representative, ScopeSpec(commune_path="beneficiary__commune"))

        from chitra.core.audit_actions import register_actions
        from chitra.registry.audit_actions import ACTIONS

        register_actions(ACTIONS)
