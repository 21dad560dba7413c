"""Password policy beyond Django's validators: a password must not be a phone number, a
personal-ID-like number, nor the user's own name or user name (issue 11). Django's length,
similarity and common-password validators run beside it (AUTH_PASSWORD_VALIDATORS)."""

from __future__ import annotations

import re
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from chitra.kernel.names import fold_name

_SEPARATORS = re.compile(r"[\s.\-()+/_]")
_TWELVE_DIGITS = re.compile(r"\d{12}")


def _folded(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", fold_name(text or ""))


def is_phone_like(password: str) -> bool:
    """9 to 12 digits (separators aside), or any text phonenumbers reads as a valid
    Vietnamese number (0912 345 678, +84 912 345 678...)."""
    bare = _SEPARATORS.sub("", password)
    if bare.isdigit() and 9 <= len(bare) <= 12:
        return True
    try:
        number = phonenumbers.parse(password, "VN")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number) and number.country_code == 84


class PersonalDataPasswordValidator:
    """Refuses phone numbers, 12-digit personal-ID-like numbers, and the user's name or user
    name (accents, case and spaces ignored)."""

    def validate(self, password: str, user: Any = None) -> None:
        if is_phone_like(password):
            raise ValidationError(
                _("A password must not be a phone number."), code="password_phone"
            )
        if _TWELVE_DIGITS.search(password):
            raise ValidationError(
                _("A password must not contain a personal ID number (12 digits)."),
                code="password_personal_id",
            )
        if user is None:
            return
        folded = _folded(password)
        for value in (
            getattr(user, "username", ""),
            getattr(user, "full_name", ""),
            getattr(user, "first_name", ""),
            getattr(user, "last_name", ""),
        ):
            own = _folded(str(value or ""))
            if len(own) >= 4 and own in folded:
                raise ValidationError(
                    _("A password must not contain your name or your user name."),
                    code="password_own_name",
                )

    def get_help_text(self) -> str:
        return _("Not a phone number, a personal ID number, nor your name or user name.")
