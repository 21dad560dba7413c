from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "chitra.verification"
    label = "verification"
    verbose_name = _("Verification against the population register")

    def ready(self) -> None:
        from chitra.core.scopes import ScopeSpec, register_scope
        from chitra.verification.models import (
            CleaningTask,
            PersonStatus,
            Recovery,
            Suspension,
            VerificationResult,
            VerificationRunArea,
        )

        # a run is seen by the users of the communes it covers, whoever started it
        register_scope(VerificationRunArea, ScopeSpec(commune_path="commune"))
        register_scope(VerificationResult, ScopeSpec(commune_path="beneficiary__commune"))
        register_scope(PersonStatus, ScopeSpec(commune_path="beneficiary__commune"))
        register_scope(CleaningTask, ScopeSpec(commune_path="commune"))
        register_scope(Suspension, ScopeSpec(commune_path="entitlement__beneficiary__commune"))
        register_scope(Recovery, ScopeSpec(commune_path="beneficiary__commune"))

        from chitra.core.audit_actions import register_actions
        from chitra.verification.audit_actions import ACTIONS

        register_actions(ACTIONS)
