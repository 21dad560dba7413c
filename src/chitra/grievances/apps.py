from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrievancesConfig(AppConfig):
    name = "chitra.grievances"
    label = "grievances"
    verbose_name = _("Complaints and fraud reports")

    def ready(self) -> None:
        from chitra.core.scopes import ScopeSpec, register_scope
        from chitra.grievances.models import Ticket, TicketEvent

        # Area agencies see the tickets of their communes; a money mover sees those on its own
        # payment lines (the selectors add those routed to, copied to or recorded by the
        # caller's organisation).
        register_scope(
            Ticket, ScopeSpec(commune_path="commune", provider_path="payroll_line__provider__code")
        )
        register_scope(
            TicketEvent,
            ScopeSpec(
                commune_path="ticket__commune", provider_path="ticket__payroll_line__provider__code"
            ),
        )

        from chitra.core.audit_actions import register_actions
        from chitra.grievances.audit_actions import ACTIONS

        register_actions(ACTIONS)
