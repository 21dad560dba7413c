from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's: the old password, then the new one twice (checked by every validator of
    AUTH_PASSWORD_VALIDATORS)."""


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name (what the token is for)"), max_length=100)
    scopes = forms.MultipleChoiceField(label=_("Scopes"), widget=forms.CheckboxSelectMultiple)
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=settings.CHITRA_API_TOKEN_MAX_DAYS,
        initial=settings.CHITRA_API_TOKEN_DAYS,
    )

    def __init__(self, scope_choices: list[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = scope_choices  # type: ignore[attr-defined]
