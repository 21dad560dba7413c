"""Vietnamese 12-digit personal ID (số định danh cá nhân, printed on the CCCD card).

Layout ``PPP G YY NNNNNN``: PPP = province (old 63-province codes) where the birth was registered,
or a country code when the first digit is not 0; G = century and sex; YY = birth year mod 100;
NNNNNN = random. Pure Python, no Django.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "OLD_PROVINCE_CODES",
    "PERSONAL_ID_ERROR_CODES",
    "PersonalId",
    "PersonalIdError",
    "check_personal_id",
    "normalize_personal_id",
    "parse_personal_id",
]

OLD_PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

PERSONAL_ID_ERROR_CODES: dict[str, str] = {
    "pid_not_digits": "the personal ID must contain only digits",
    "pid_length": "the personal ID must have exactly 12 digits",
    "pid_century": "the century/sex digit is not defined",
    "pid_sex_mismatch": "the century/sex digit does not match the sex",
    "pid_year_mismatch": "the century digit and year digits do not match the birth year",
}

# Century start for each G digit (even = male, odd = female).
_CENTURY_START: dict[int, int] = {
    0: 1900,
    1: 1900,
    2: 2000,
    3: 2000,
    4: 2100,
    5: 2100,
    6: 2200,
    7: 2200,
    8: 1800,
    9: 1800,
}

_DIGITS = re.compile(r"[0-9]+")
_FLOAT_TEXT = re.compile(r"([0-9]+)[.,]0+")
_SCIENTIFIC = re.compile(r"[0-9.,]+[eE][+-]?[0-9]+")
_SEPARATORS = str.maketrans(
    {
        " ": None,
        ".": None,
        "-": None,
        "\u00a0": None,
        "\u202f": None,
        "\t": None,
        "'": None,
        "\u2013": None,
    }
)


class PersonalIdError(ValueError):
    """A value that is not structurally a personal ID. ``code`` is stable (see the codes dict)."""

    def __init__(self, code: str, value: str) -> None:
        self.code = code
        self.value = value
        super().__init__(f"{code}: {value!r} ({PERSONAL_ID_ERROR_CODES.get(code, code)})")


@dataclass(frozen=True, slots=True)
class PersonalId:
    value: str
    province_code: str
    century_digit: int
    sex: Literal["M", "F"]
    birth_year_2: int

    @property
    def century_start(self) -> int:
        return _CENTURY_START[self.century_digit]

    @property
    def birth_year(self) -> int:
        return self.century_start + self.birth_year_2

    @property
    def known_province(self) -> bool:
        """True when PPP is one of the 63 old province codes (False for country codes)."""
        return self.province_code in OLD_PROVINCE_CODES

    @property
    def is_foreign_prefix(self) -> bool:
        """A first digit other than 0 is a country code, not a Vietnamese province."""
        return self.value[0] != "0"

    def __str__(self) -> str:
        return self.value


def parse_personal_id(value: str) -> PersonalId:
    """Parse an already normalised 12-digit string; raise :class:`PersonalIdError`."""
    if not isinstance(value, str) or _DIGITS.fullmatch(value) is None:
        raise PersonalIdError("pid_not_digits", str(value))
    if len(value) != 12:
        raise PersonalIdError("pid_length", value)
    g = ord(value[3]) - 48
    if g not in _CENTURY_START:  # pragma: no cover - every digit is defined today
        raise PersonalIdError("pid_century", value)
    return PersonalId(
        value=value,
        province_code=value[:3],
        century_digit=g,
        sex="M" if g % 2 == 0 else "F",
        birth_year_2=int(value[4:6]),
    )


def _restorable(padded: str) -> bool:
    """Whether a zero-padded number is a plausible ID: it must parse and carry a known province.

    Any 12 digits parse structurally, so "valid" here also requires the restored prefix to be one
    of the old province codes (a number only loses zeros when the ID started with 0).
    """
    try:
        pid = parse_personal_id(padded)
    except PersonalIdError:
        return False
    return pid.known_province


def normalize_personal_id(raw: object) -> str | None:
    """Turn a cell value into a candidate personal ID string (validation is separate).

    Strips spaces, dots and dashes; ``8012345678.0`` (float or text) becomes digits; scientific
    notation cannot be restored and is returned unchanged so that validation rejects it. IDs that
    a spreadsheet turned into numbers lost their leading zeros: they are padded back to 12 digits
    only when the padded value is a valid ID (known province), else returned unpadded.
    """
    if raw is None:
        return None
    if isinstance(raw, str) and len(raw) == 12 and raw.isdigit():
        return raw  # the common case, already clean
    text: str | None
    if isinstance(raw, bool | int | float):
        text, paddable = _number_text(raw)
    else:
        text, paddable = _cell_text(raw)
    if text is None or not paddable:
        return text
    if len(text) < 12 and _DIGITS.fullmatch(text):
        padded = text.zfill(12)
        if _restorable(padded):
            return padded
    return text


def _number_text(raw: bool | int | float) -> tuple[str, bool]:
    """The digits of a number cell, and whether they may be zero-padded."""
    if isinstance(raw, bool):
        return str(raw), False
    if isinstance(raw, int):
        return str(raw), raw >= 0
    if not math.isfinite(raw) or not raw.is_integer() or raw < 0:
        return repr(raw), False
    return str(int(raw)), True


def _cell_text(raw: object) -> tuple[str | None, bool]:
    """A text (or other) cell without spaces, dots, dashes or a ``.0`` tail, and whether it
    may be zero-padded (None when nothing is left)."""
    text = str(raw)
    if len(text) == 12 and text.isdigit():
        return text, False
    text = text.strip()
    if not text:
        return None, False
    if _SCIENTIFIC.fullmatch(text):
        return text, False
    m = _FLOAT_TEXT.fullmatch(text)
    if m is not None:
        text = m.group(1)
    text = text.translate(_SEPARATORS)
    if not text:
        return None, False
    return text, True


def check_personal_id(pid: PersonalId, *, birth_year: int | None, sex: str | None) -> list[str]:
    """Cross-check the G and YY digits with known facts; return error codes (empty when fine).

    An unknown province is not an error here (see :attr:`PersonalId.known_province`).
    """
    errors: list[str] = []
    if sex is not None and sex != pid.sex:
        errors.append("pid_sex_mismatch")
    if birth_year is not None and birth_year != pid.birth_year:
        errors.append("pid_year_mismatch")
    return errors
