"""The audit actions of administrative units and BHXH offices: code -> label.

The app registers them in the catalogue (chitra.core.audit_actions) when it is ready; an
audit event of an action not in the catalogue is refused."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "geo.commune.set_urban": _("Commune marked urban or rural"),
    "geo.office.set_area": _("Service area of a social insurance office changed"),
}
