from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisbursementConfig(AppConfig):
    name = "chitra.disbursement"
    label = "disbursement"
    verbose_name = _("Monthly payment cycle")

    def ready(self) -> None:
        from chitra.disbursement.models import Exclusion, PayrollLine
        from chitra.iam.access import ScopeSpec, register_scope

        register_scope(PayrollLine, ScopeSpec(commune_path="commune",
                                              provider_path="provider__code"))
        register_scope(Exclusion, ScopeSpec(commune_path="commune"))

        from chitra.core.audit_actions import register_actions
        from chitra.disbursement.audit_actions import ACTIONS

        register_actions(ACTIONS)
