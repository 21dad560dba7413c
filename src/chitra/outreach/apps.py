from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "chitra.outreach"
    label = "outreach"
    verbose_name = _("Outreach to beneficiaries paid in cash")

    def ready(self) -> None:
        from chitra.core.scopes import ScopeSpec, register_scope
        from chitra.outreach.models import Assignment, Campaign, Contact, DeathReport

        # A provider (Vietnam Post) works only the assignments given to its own staff.
        officer_provider = "assigned_to__organisation__provider_code"
        register_scope(
            Campaign,
            ScopeSpec(commune_path="communes", provider_path="assignments__" + officer_provider),
        )
        register_scope(
            Assignment, ScopeSpec(commune_path="commune", provider_path=officer_provider)
        )
        register_scope(
            Contact,
            ScopeSpec(
                commune_path="assignment__commune", provider_path="assignment__" + officer_provider
            ),
        )
        register_scope(DeathReport, ScopeSpec(commune_path="beneficiary__commune"))

        from chitra.core.audit_actions import register_actions
        from chitra.outreach.audit_actions import ACTIONS

        register_actions(ACTIONS)
