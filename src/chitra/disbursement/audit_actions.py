"""The audit actions of the monthly payment cycle: code -> label.

The app registers them in the catalogue (chitra.core.audit_actions) when it is ready; an
audit event of an action not in the catalogue is refused."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "account.close_by_result": _("Account closed after a provider's result"),
    "api.disbursements": _("Payment lines read through the API"),
    "cycle.approve": _("Payroll approved"),
    "cycle.approve_second": _("Payroll approved by a second approver"),
    "cycle.close": _("Payment cycle closed"),
    "cycle.compute": _("Payroll computed"),
    "cycle.create": _("Payment cycle opened"),
    "cycle.freeze": _("Payment list frozen"),
    "cycle.pay_dates": _("Pay dates set"),
    "cycle.reconcile": _("Payment cycle reconciled"),
    "cycle.release": _("Payment files released"),
    "cycle.reopen": _("Payment cycle reopened by a late result"),
    "cycle.results": _("Provider's results applied"),
    "cycle.statement": _("Bank statement reconciled"),
    "cycle.status_report": _("Bank's status report recorded"),
    "entitlement.suspend_by_result": _("Entitlement suspended after a provider's result"),
    "export.exclusions": _("Exclusions downloaded"),
    "export.payment_file": _("Payment file downloaded"),
    "export.payroll_lines": _("Payment lines downloaded"),
    "line.cancel": _("Payment line cancelled"),
    "line.pay_again": _("Payment line to be paid again"),
    "payment.g2p_send": _("Batch sent or status asked by G2P Connect"),
    "payment.g2p_exchange": _("G2P Connect exchange of a provider changed"),
    "payment.pay_schedule": _("Pay schedule changed"),
    "payment.provider_profile": _("File formats of a provider changed"),
}
