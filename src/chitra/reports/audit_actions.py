"""The audit actions of targets, indicators and reports: code -> label.

The app registers them in the catalogue (chitra.core.audit_actions) when it is ready; an
audit event of an action not in the catalogue is refused."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "export.issued_report": _("Issued report downloaded"),
    "export.kpi_ranking": _("Ranking of the cashless share downloaded"),
    "reports.issue": _("Report issued"),
    "reports.plan_update": _("Plan task updated"),
    "reports.refresh": _("Indicators computed again"),
    "reports.reissue": _("Report issued again"),
    "reports.target": _("Target set"),
}
