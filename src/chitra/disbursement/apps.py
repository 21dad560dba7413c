from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisbursementConfig(AppConfig):
    name = "chitra.disbursement"
    label = "disbursement"
    verbose_name = _("Monthly payment cycle")

    def ready(self) -> None:
        from chitra.core.scopes import ScopeSpec, register_scope
        from chitra.disbursement.models import Exclusion, PayrollLine

        register_scope(
            PayrollLine, ScopeSpec(commune_path="commune", provider_path="provider__code")
        )
        register_scope(Exclusion, ScopeSpec(commune_path="commune"))

        # what the apps below ask of the payment cycle (their ports)
        from chitra.disbursement import ledger, services
        from chitra.payment_methods import ports as payment_methods_ports
        from chitra.verification import ports as verification_ports

        payment_methods_ports.open_payment_month.register(services.open_payment_month)
        verification_ports.months_paid_from.register(ledger.months_paid_from)
        verification_ports.cash_paid_to_person.register(ledger.cash_paid_to_person)
        verification_ports.entitlements_answered.register(ledger.entitlements_answered)

        from chitra.core.audit_actions import register_actions
        from chitra.disbursement.audit_actions import ACTIONS

        register_actions(ACTIONS)
