from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "chitra.geo"
    label = "geo"
    verbose_name = _("Administrative units")

    def ready(self) -> None:
        from chitra.core.audit_actions import register_actions
        from chitra.geo.audit_actions import ACTIONS

        register_actions(ACTIONS)
