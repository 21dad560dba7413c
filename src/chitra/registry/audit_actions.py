"""The audit actions of the beneficiary registry: code -> label.

The app registers them in the catalogue (chitra.core.audit_actions) when it is ready; an
audit event of an action not in the catalogue is refused."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "export.beneficiaries": _("List of beneficiaries downloaded"),
    "registry.beneficiary.correct": _("Record corrected"),
    "registry.beneficiary.view": _("Record opened"),
    "registry.consent.record": _("Consent recorded"),
    "registry.import": _("Spreadsheet of beneficiaries imported"),
    "registry.import.row": _("Created or updated by a spreadsheet import"),
    "registry.representative.add": _("Representative recorded"),
}
