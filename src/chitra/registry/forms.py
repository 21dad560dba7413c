from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chitra.core.uploads import UploadForm, validate_spreadsheet
from chitra.registry.models import Beneficiary, BenefitType


class BeneficiarySearchForm(forms.Form):
    q = forms.CharField(label=_("ID number or name"), required=False, max_length=100)
    commune = forms.TypedChoiceField(
        label=_("Commune"), required=False, coerce=int, empty_value=None
    )
    benefit = forms.ChoiceField(
        label=_("Benefit"), required=False, choices=[("", _("All benefits")), *BenefitType.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Beneficiary.Status.choices],
    )

    def __init__(self, *args, communes=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [("", _("All communes"))] + [  # type: ignore[attr-defined]
            (c.id, c.name) for c in communes
        ]


class ImportForm(UploadForm):
    file = forms.FileField(
        label=_("Spreadsheet (xlsx, xls, ods, csv)"), validators=[validate_spreadsheet]
    )
    sheet = forms.CharField(label=_("Sheet name (optional)"), required=False, max_length=100)
    dry_run = forms.BooleanField(label=_("Check only, write nothing"), required=False)
