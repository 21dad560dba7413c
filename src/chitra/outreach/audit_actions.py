"""The audit actions of outreach to beneficiaries paid in cash: code -> label.

The app registers them in the catalogue (chitra.core.audit_actions) when it is ready; an
audit event of an action not in the catalogue is refused."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "export.death_reports": _("Death reports downloaded"),
    "export.id_card_priority": _("List of people to issue an ID card first downloaded"),
    "export.outreach_campaigns": _("Outreach campaigns downloaded"),
    "export.outreach_my_work": _("Own outreach work list downloaded"),
    "export.outreach_progress": _("Outreach progress downloaded"),
    "export.outreach_work_list": _("Outreach work list downloaded"),
    "outreach.assignment.assign": _("Outreach work assigned"),
    "outreach.assignment.view": _("Outreach work opened"),
    "outreach.campaign.create": _("Outreach campaign created"),
    "outreach.contact.record": _("Outreach contact recorded"),
    "outreach.death_report.check": _("Death report checked"),
    "outreach.death_report.create": _("Death reported"),
}
