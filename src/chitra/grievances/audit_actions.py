"""The audit actions of complaints and fraud reports: code -> label.

The app registers them in the catalogue (chitra.core.audit_actions) when it is ready; an
audit event of an action not in the catalogue is refused."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "export.grievance_tickets": _("Complaints downloaded"),
    "grievances.beneficiary.lookup": _("Beneficiary looked up for a complaint"),
    "grievances.ticket.assign": _("Complaint assigned"),
    "grievances.ticket.comment": _("Note added to a complaint"),
    "grievances.ticket.create": _("Complaint or fraud report recorded"),
    "grievances.ticket.reopen": _("Complaint reopened"),
    "grievances.ticket.resolve": _("Complaint answered"),
    "grievances.ticket.route": _("Complaint routed"),
    "grievances.ticket.status": _("Status of a complaint changed"),
    "grievances.ticket.view": _("Complaint opened"),
}
