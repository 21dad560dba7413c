from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "chitra.privacy"
    label = "privacy"
    verbose_name = _("Personal data protection")

    def ready(self) -> None:
        from chitra.core.scopes import ScopeSpec, register_scope
        from chitra.privacy.models import CorrectionRequest, DataSubjectRequest

        # BHXH of the person's area only: no provider path, so money movers see nothing.
        register_scope(DataSubjectRequest, ScopeSpec(commune_path="beneficiary__commune"))
        register_scope(CorrectionRequest, ScopeSpec(commune_path="beneficiary__commune"))

        from chitra.core.audit_actions import register_actions
        from chitra.privacy.audit_actions import ACTIONS

        register_actions(ACTIONS)
