from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chitra.geo.models import Commune
from chitra.grievances.models import Category, Priority, ReceivedVia, ResolutionCode, Source

#: What a page offers (the API records "api" itself).
PAGE_SOURCES = [(v, label) for v, label in Source.choices if v != Source.API]
PAGE_CHANNELS = [(v, label) for v, label in ReceivedVia.choices if v != ReceivedVia.API]


class TicketForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *Category.choices])
    description = forms.CharField(
        label=_("What happened"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    personal_id = forms.CharField(
        label=_("Beneficiary's personal ID (12 digits)"), required=False, max_length=20
    )
    commune = forms.ModelChoiceField(
        label=_("Commune"), required=False, queryset=Commune.objects.none()
    )
    payment_reference = forms.CharField(label=_("Payment reference"), required=False, max_length=40)
    source = forms.ChoiceField(label=_("Raised by"), choices=PAGE_SOURCES)
    channel = forms.ChoiceField(
        label=_("Received via"), choices=PAGE_CHANNELS, initial=ReceivedVia.COUNTER
    )
    reporter_name = forms.CharField(
        label=_("Name of the person complaining"), required=False, max_length=150
    )
    reporter_phone = forms.CharField(label=_("Their phone"), required=False, max_length=20)
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("By category")), *Priority.choices]
    )
    account_involved = forms.BooleanField(
        label=_("A bank, mobile-money or wallet account is involved"), required=False
    )
    received_on = forms.DateField(
        label=_("Received on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, communes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if communes is not None:
            self.fields["commune"].queryset = communes  # type: ignore[attr-defined]

    def clean_personal_id(self) -> str:
        value = "".join((self.cleaned_data.get("personal_id") or "").split())
        if value and not (value.isdigit() and len(value) == 12):
            raise forms.ValidationError(_("A personal ID has 12 digits."))
        return value


class ResolveForm(forms.Form):
    resolution_code = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *ResolutionCode.choices]
    )
    resolution = forms.CharField(
        label=_("What was done"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
