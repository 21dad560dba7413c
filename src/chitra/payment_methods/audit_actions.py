"""The audit actions of payment methods, accounts and change requests: code -> label.

The app registers them in the catalogue (chitra.core.audit_actions) when it is ready; an
audit event of an action not in the catalogue is refused."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "export.account_notices": _("Account notices downloaded"),
    "export.change_requests": _("Change requests downloaded"),
    "payment.account.name_inquiry": _("Account holder's name checked with the provider"),
    "payment.account.reveal": _("Full account number shown"),
    "payment.account_import": _("Provider's account file imported"),
    "payment.account_import.row": _("Account created or updated by a provider's file"),
    "payment.change_request.approve": _("Payment change approved"),
    "payment.mapper.link": _("Financial address link requested (G2P Connect mapper)"),
    "payment.mapper.resolve": _("Financial address resolved (G2P Connect mapper)"),
    "payment.mapper.unlink": _("Financial address unlink refused (G2P Connect mapper)"),
    "payment.mapper.update": _("Financial address update requested (G2P Connect mapper)"),
    "payment.change_request.approve_many": _("Payment changes approved together"),
    "payment.change_request.create": _("Payment change requested"),
    "payment.change_request.reject": _("Payment change rejected"),
    "payment.change_request.submit": _("Payment change submitted"),
    "payment.change_request.submit_many": _("Payment changes submitted together"),
    "payment.coverage.demo": _("Coverage of the providers made for the demo"),
    "payment.coverage.set": _("Coverage of a provider changed"),
    "payment.demo_method": _("Payment methods made for the demo"),
    "payment.keys.rotate": _("Encryption keys rotated"),
    "payment.provider.update": _("Provider changed"),
}
