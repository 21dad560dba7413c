from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chitra.geo.models import Commune
from chitra.outreach.models import Contact, Outcome
from chitra.payment_methods.models import Method, Provider

ACCOUNT_METHOD_CHOICES = [
    (m.value, m.label) for m in (Method.BANK_ACCOUNT, Method.MOBILE_MONEY, Method.EWALLET)
]


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Campaign name"), max_length=200)
    communes = forms.ModelMultipleChoiceField(
        label=_("Communes"), queryset=Commune.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, communes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if communes is not None:
            self.fields["communes"].queryset = communes  # type: ignore[attr-defined]


class ContactForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Outcome.choices])
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Contact.Channel.choices, initial=Contact.Channel.VISIT
    )
    date = forms.DateField(
        label=_("Date"),
        required=False,
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.ChoiceField(
        label=_("Reason for declining"),
        required=False,
        choices=[("", "—"), *Contact.Reason.choices],
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    method = forms.ChoiceField(
        label=_("How to pay"), required=False, choices=[("", "—"), *ACCOUNT_METHOD_CHOICES]
    )
    provider = forms.ModelChoiceField(
        label=_("Bank or provider"),
        required=False,
        queryset=Provider.objects.filter(is_active=True),
    )
    number = forms.CharField(
        label=_("Account number, phone or wallet id"), required=False, max_length=40
    )
    holder_name = forms.CharField(
        label=_("Account holder (as the provider shows it)"), required=False, max_length=150
    )
    follow_up_date = forms.DateField(
        label=_("Follow up on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_date(self) -> Any:
        return self.cleaned_data.get("date") or timezone.localdate()
