from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "chitra.reports"
    label = "reports"
    verbose_name = _("Targets, indicators and reports")

    def ready(self) -> None:
        from chitra.core.audit_actions import register_actions
        from chitra.reports.audit_actions import ACTIONS

        register_actions(ACTIONS)
