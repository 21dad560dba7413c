from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chitra.geo.models import Commune
from chitra.privacy.models import DataCategory, RequestChannel, RequestKind
from chitra.registry.models import Beneficiary, Consent, DatePrecision, Sex

_DATE = forms.DateInput(attrs={"type": "date"})
_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class Styled(forms.Form):
    """Bootstrap classes on every widget (the pages render fields one by one)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            w = field.widget
            if isinstance(w, forms.CheckboxSelectMultiple):
                continue
            w.attrs.setdefault(
                "class", "form-select" if isinstance(w, forms.Select) else "form-control"
            )


class FindForm(Styled):
    q = forms.CharField(
        label=_("Personal ID, social insurance number or old ID card"), max_length=20
    )


class RequestForm(Styled):
    kind = forms.ChoiceField(label=_("Kind of request"), choices=RequestKind.choices)
    received_on = forms.DateField(label=_("Received on"), widget=_DATE, initial=timezone.localdate)
    channel = forms.ChoiceField(label=_("Received via"), choices=RequestChannel.choices)
    purpose = forms.ChoiceField(
        label=_("Consent withdrawn (withdrawal only)"),
        required=False,
        choices=[("", "—"), *Consent.Purpose.choices],
    )
    requester_name = forms.CharField(
        label=_("Requested by (if not the person)"), required=False, max_length=150
    )
    requester_capacity = forms.CharField(
        label=_("Capacity of the requester"), required=False, max_length=100
    )
    description = forms.CharField(
        label=_("What is asked"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CorrectionForm(Styled):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    birth_date = forms.DateField(label=_("Date of birth"), widget=_DATE)
    birth_precision = forms.ChoiceField(
        label=_("Precision of the date of birth"), choices=DatePrecision.choices
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    commune = forms.ChoiceField(label=_("Commune"))
    address = forms.CharField(label=_("Address"), required=False, max_length=255)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    evidence = forms.CharField(
        label=_("Evidence seen (document and its number)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, beneficiary: Beneficiary, **kwargs: Any) -> None:
        b = beneficiary
        kwargs.setdefault(
            "initial",
            {
                "full_name": b.full_name,
                "birth_date": b.birth_date,
                "birth_precision": b.birth_precision,
                "sex": b.sex,
                "commune": b.commune.code,
                "address": b.address,
                "phone": b.phone,
            },
        )
        super().__init__(*args, **kwargs)
        communes = Commune.objects.filter(province_id=b.commune.province_id).order_by("name")
        self.fields["commune"].choices = [  # type: ignore[attr-defined]
            (c.code, c.name) for c in communes
        ]

    def changes(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "full_name": d["full_name"],
            "birth_date": d["birth_date"],
            "birth_precision": d["birth_precision"],
            "sex": d["sex"],
            "commune": d["commune"],
            "address": d["address"],
            "phone": d["phone"],
        }


class BreachForm(Styled):
    detected_at = forms.DateTimeField(
        label=_("Detected at"), widget=_DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    reported_by = forms.CharField(label=_("Reported by"), max_length=200)
    description = forms.CharField(
        label=_("What happened"), max_length=8000, widget=forms.Textarea(attrs={"rows": 3})
    )
    data_categories = forms.MultipleChoiceField(
        label=_("Categories of data"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    data_description = forms.CharField(
        label=_("What data"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    subjects = forms.CharField(label=_("Whose data"), required=False, max_length=200)
    affected_count = forms.IntegerField(
        label=_("People affected (estimate)"), min_value=0, initial=0
    )
    measures = forms.CharField(
        label=_("Measures taken"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NotifyForm(Styled):
    notified_at = forms.DateTimeField(
        label=_("Notified at"), widget=_DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    reference = forms.CharField(label=_("Reference of the notice"), max_length=100)
    authority = forms.CharField(label=_("Notified to"), required=False, max_length=255)
    late_reason = forms.CharField(
        label=_("Reason the notice was late"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
