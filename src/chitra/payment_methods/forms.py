from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chitra.core.uploads import UploadForm, validate_upload_size
from chitra.payment_methods.models import ChangeRequest, HomeReason, Method, Provider


class ChangeRequestForm(UploadForm):
    method = forms.ChoiceField(label=_("How to pay"), choices=Method.choices)
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
    home_reason = forms.ChoiceField(
        label=_("Reason for home delivery"),
        required=False,
        choices=[("", "—"), *HomeReason.choices],
    )
    consent_date = forms.DateField(
        label=_("Date of consent"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    consent_channel = forms.ChoiceField(
        label=_("How consent was given"),
        required=False,
        choices=[("", "—"), *ChangeRequest.ConsentChannel.choices],
    )
    consent_witness = forms.CharField(label=_("Witness"), required=False, max_length=150)
    consent_file = forms.FileField(
        label=_("Scanned form (optional)"), required=False, validators=[validate_upload_size]
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    override_reason = forms.CharField(required=False, max_length=500)
    note = forms.CharField(required=False, max_length=500)


class SubmitForm(forms.Form):
    """The consent that completes a draft."""

    consent_date = forms.DateField(
        label=_("Date of consent"), widget=forms.DateInput(attrs={"type": "date"})
    )
    consent_channel = forms.ChoiceField(
        label=_("How consent was given"), choices=ChangeRequest.ConsentChannel.choices
    )
    consent_witness = forms.CharField(label=_("Witness"), required=False, max_length=150)
