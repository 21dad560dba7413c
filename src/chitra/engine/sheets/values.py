"""Cell parsers for imported spreadsheets.

Each parser returns the value or raises :class:`ValueProblem` with a stable ``code`` and a short
English ``expected`` description (the Django layer translates by code). Pure Python, no Django.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal

import phonenumbers

from chitra.kernel.names import clean_text, fold_name

__all__ = [
    "DATE_EXPECTED",
    "MIN_YEAR",
    "VALUE_CODES",
    "ValueProblem",
    "excel_serial_to_date",
    "parse_amount",
    "parse_date",
    "parse_month",
    "parse_old_id",
    "parse_phone",
    "parse_sex",
    "parse_si_number",
    "render_cell",
    "shown_value",
    "too_long",
]

Precision = Literal["D", "M", "Y"]

MIN_YEAR = 1890
DATE_EXPECTED = "a date as dd/mm/yyyy, mm/yyyy or yyyy"
MONTH_EXPECTED = "a month as mm/yyyy"
AMOUNT_EXPECTED = "a whole positive amount in đồng, e.g. 1.500.000"
SEX_EXPECTED = "Nam or Nữ"
PHONE_EXPECTED = "a Vietnamese phone number, e.g. 0912345678"
SI_EXPECTED = "a 10-digit social insurance number"
OLD_ID_EXPECTED = "a 9- or 12-digit ID card (CMND) number"

VALUE_CODES: dict[str, str] = {
    "date_invalid": "not a recognisable date",
    "date_too_old": f"a date before {MIN_YEAR}",
    "month_invalid": "not a recognisable month",
    "amount_invalid": "not a recognisable amount",
    "amount_fraction": "an amount with a fractional part (whole đồng expected)",
    "amount_not_positive": "an amount that is zero or negative",
    "sex_invalid": "not a recognisable sex",
    "phone_invalid": "not a valid Vietnamese phone number",
    "si_number_invalid": "not a valid social insurance number",
    "old_id_invalid": "not a valid ID card (CMND) number",
    "value_too_long": "a value longer than the field (or any cell) may be",
}

#: characters of a value quoted in a message; longer values are cut with "…"
SHOWN_CHARS = 100
#: Excel's own limit for one cell: an error workbook can give every cell back whole
MAX_CELL_CHARS = 32_767


class ValueProblem(ValueError):
    """A cell value that cannot be parsed. ``code`` is stable, ``expected`` short English;
    ``params`` are the facts a message names (see :mod:`chitra.kernel.issues`)."""

    def __init__(self, code: str, expected: str, **params: object) -> None:
        self.code = code
        self.expected = expected
        self.params = params
        super().__init__(f"{code}: expected {expected}")


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)  # serial 61 = 1900-03-01 (Lotus 1-2-3 leap-year bug)
_MAX_SERIAL = 2958465  # 9999-12-31


def excel_serial_to_date(serial: float) -> date:
    """Excel 1900 date system: serial 1 = 1900-01-01, serial 60 is the fictitious 1900-02-29."""
    if not math.isfinite(serial) or serial < 1 or serial > _MAX_SERIAL:
        raise ValueError(f"serial out of range: {serial}")
    whole = int(serial)
    if whole == 60:
        raise ValueError("serial 60 is 29/02/1900, which does not exist")
    if whole < 60:
        return date(1899, 12, 31) + timedelta(days=whole)
    return _EXCEL_EPOCH + timedelta(days=whole)


def render_cell(cell: object) -> str:
    """Render a cell value as text for messages (dates as dd/mm/yyyy, 1500000.0 as 1500000)."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        if cell.is_integer():
            return str(int(cell))
        return repr(cell)
    if isinstance(cell, datetime):
        if cell.hour == cell.minute == cell.second == 0:
            return cell.strftime("%d/%m/%Y")
        return cell.strftime("%d/%m/%Y %H:%M")
    if isinstance(cell, date):
        return cell.strftime("%d/%m/%Y")
    return str(cell)


def shown_value(cell: object) -> str:
    """:func:`render_cell`, cut to :data:`SHOWN_CHARS` characters for a message."""
    text = render_cell(cell)
    if len(text) > SHOWN_CHARS:
        return text[:SHOWN_CHARS] + "…"
    return text


def too_long(limit: int, count: int) -> str:
    """``expected`` of a ``value_too_long`` issue in English (its params: ``limit``, ``count``)."""
    return f"at most {limit:,} characters (this one has {count:,})"


def excel_column(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _number(cell: object) -> int | float | None:
    """Plain numeric value (bool excluded) or None."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return cell
    return None


# --------------------------------------------------------------------------------------------
# dates
# --------------------------------------------------------------------------------------------

_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_YMD = re.compile(
    r"(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_MY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{4})")
_YM = re.compile(r"(\d{4})[/\-](\d{1,2})")
_Y = re.compile(r"(\d{4})")
_MONTH_PREFIX = re.compile(r"^(?:THANG|T)\s*")
_SPACED_SEP = re.compile(r"\s*([/.\-])\s*")


def _make_date(y: int, m: int, d: int, code: str, expected: str) -> date:
    if y < MIN_YEAR:
        raise ValueProblem("date_too_old", f"{expected}, not before {MIN_YEAR}")
    try:
        return date(y, m, d)
    except ValueError:
        raise ValueProblem(code, expected) from None


def _from_number(value: int | float, code: str, expected: str) -> tuple[date, Precision]:
    if not math.isfinite(value):
        raise ValueProblem(code, expected)
    if float(value).is_integer() and 1800 <= value <= 2100:
        year = int(value)
        return _make_date(year, 1, 1, code, expected), "Y"
    try:
        return excel_serial_to_date(value), "D"
    except ValueError:
        raise ValueProblem(code, expected) from None


def parse_date(cell: object) -> tuple[date, Precision]:
    """Parse a birth-date-like cell; return the date and its precision ("D", "M" or "Y").

    Month precision gives day 1, year precision 1 January. Numbers 1800..2100 are years, other
    numbers Excel serials. Years before 1890 are rejected; future dates are the caller's check.
    """
    expected = DATE_EXPECTED
    if isinstance(cell, datetime):
        return _make_date(cell.year, cell.month, cell.day, "date_invalid", expected), "D"
    if isinstance(cell, date):
        return _make_date(cell.year, cell.month, cell.day, "date_invalid", expected), "D"
    num = _number(cell)
    if num is not None:
        return _from_number(num, "date_invalid", expected)
    if not isinstance(cell, str):
        raise ValueProblem("date_invalid", expected)
    text = clean_text(cell)
    if text is None:
        raise ValueProblem("date_invalid", expected)
    m = _DMY.fullmatch(text)
    if m:
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
        return _make_date(y, mo, d, "date_invalid", expected), "D"
    m = _YMD.fullmatch(text)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        return _make_date(y, mo, d, "date_invalid", expected), "D"
    m = _MY.fullmatch(text)
    if m:
        mo, y = int(m[1]), int(m[2])
        return _make_date(y, mo, 1, "date_invalid", expected), "M"
    m = _Y.fullmatch(text)
    if m:
        return _make_date(int(m[1]), 1, 1, "date_invalid", expected), "Y"
    raise ValueProblem("date_invalid", expected)


def parse_month(cell: object) -> date:
    """Parse a month cell (``mm/yyyy``, ``yyyy-mm``, ``dd/mm/yyyy``, dates, serials) -> day 1."""
    expected = MONTH_EXPECTED
    if isinstance(cell, datetime | date):
        return _make_date(cell.year, cell.month, 1, "month_invalid", expected)
    num = _number(cell)
    if num is not None:
        if float(num).is_integer() and 1800 <= num <= 2100:
            raise ValueProblem("month_invalid", expected)  # a bare year has no month
        try:
            d = excel_serial_to_date(num)
        except ValueError:
            raise ValueProblem("month_invalid", expected) from None
        return _make_date(d.year, d.month, 1, "month_invalid", expected)
    if not isinstance(cell, str):
        raise ValueProblem("month_invalid", expected)
    text = fold_name(cell)
    text = _MONTH_PREFIX.sub("", text)
    text = _SPACED_SEP.sub(r"\1", text.replace(" NAM ", "/"))
    for pattern, order in ((_MY, "my"), (_YM, "ym"), (_DMY, "dmy"), (_YMD, "ymd")):
        m = pattern.fullmatch(text)
        if m is None:
            continue
        if order == "my":
            mo, y = int(m[1]), int(m[2])
        elif order == "ym":
            y, mo = int(m[1]), int(m[2])
        elif order == "dmy":
            mo, y = int(m[2]), int(m[3])
            _make_date(y, mo, int(m[1]), "month_invalid", expected)
        else:
            y, mo = int(m[1]), int(m[2])
            _make_date(y, mo, int(m[3]), "month_invalid", expected)
        return _make_date(y, mo, 1, "month_invalid", expected)
    raise ValueProblem("month_invalid", expected)


# --------------------------------------------------------------------------------------------
# amounts
# --------------------------------------------------------------------------------------------

_CURRENCY = re.compile(r"\s*(?:VND|DONG|D)\.?$")
_PLAIN = re.compile(r"(\d+)(?:([.,])(\d+))?")
_GROUPED = re.compile(r"(\d{1,3}(?:([., ])\d{3})+)(?:([.,])(\d+))?")


# over the limits: every way an amount is typed (numbers, grouped and plain text, currency
# suffixes, fractions refused) in one place, the commonest first; a branch per format.
def parse_amount(cell: object) -> int:
    """Parse a money amount in whole đồng (> 0).

    ``1.500.000``, ``1,500,000``, ``1 500 000`` and ``1500000`` are 1500000; ``1.500`` is 1500
    (thousands separator); ``1,5``, ``1.500.000,5`` and ``1500000.5`` are fractions and rejected,
    and so are zero, negatives and ambiguous text. A ``đ``/``đồng``/``VND`` suffix is allowed.
    """
    if isinstance(cell, bool):
        raise ValueProblem("amount_invalid", AMOUNT_EXPECTED)
    if isinstance(cell, int):
        if cell <= 0:
            raise ValueProblem("amount_not_positive", AMOUNT_EXPECTED)
        return cell
    if isinstance(cell, float):
        if not math.isfinite(cell):
            raise ValueProblem("amount_invalid", AMOUNT_EXPECTED)
        if not cell.is_integer():
            raise ValueProblem("amount_fraction", AMOUNT_EXPECTED)
        if cell <= 0:
            raise ValueProblem("amount_not_positive", AMOUNT_EXPECTED)
        return int(cell)
    if not isinstance(cell, str):
        raise ValueProblem("amount_invalid", AMOUNT_EXPECTED)
    text = clean_text(cell)
    if text is None:
        raise ValueProblem("amount_invalid", AMOUNT_EXPECTED)
    text = _CURRENCY.sub("", fold_name(text)).strip()  # "1.500.000 đồng" -> "1.500.000"
    negative = False
    if text.startswith("-") or (text.startswith("(") and text.endswith(")")):
        negative = True
        text = text.strip("-() ")
    m = _PLAIN.fullmatch(text)
    if m is not None:
        whole, sep, frac = m[1], m[2], m[3]
        if sep is not None and len(frac) == 3:
            # "1.500" is grouped (handled below when <= 3 digits); "1500.000" is ambiguous.
            if len(whole) > 3:
                raise ValueProblem("amount_invalid", AMOUNT_EXPECTED)
            m = None
        else:
            value = int(whole)
            if frac is not None and int(frac) != 0:
                raise ValueProblem("amount_fraction", AMOUNT_EXPECTED)
            return _positive(value, negative)
    g = _GROUPED.fullmatch(text)
    if g is None:
        raise ValueProblem("amount_invalid", AMOUNT_EXPECTED)
    grouped, group_sep, dec_sep, frac = g[1], g[2], g[3], g[4]
    if dec_sep is not None:
        if dec_sep == group_sep or len(frac) == 3:
            raise ValueProblem("amount_invalid", AMOUNT_EXPECTED)
        if int(frac) != 0:
            raise ValueProblem("amount_fraction", AMOUNT_EXPECTED)
    # Every separator inside the grouped part must be the same character.
    digits = grouped.replace(group_sep, "")
    if not digits.isdigit():
        raise ValueProblem("amount_invalid", AMOUNT_EXPECTED)
    return _positive(int(digits), negative)


def _positive(value: int, negative: bool) -> int:
    if negative or value <= 0:
        raise ValueProblem("amount_not_positive", AMOUNT_EXPECTED)
    return value


# --------------------------------------------------------------------------------------------
# sex, phone, numbers
# --------------------------------------------------------------------------------------------

_SEX: dict[str, Literal["M", "F"]] = {
    "NAM": "M",
    "M": "M",
    "MALE": "M",
    "TRAI": "M",
    "NU": "F",
    "F": "F",
    "FEMALE": "F",
    "GAI": "F",
}


def parse_sex(cell: object) -> Literal["M", "F"]:
    """``Nam``/``Nữ`` (any case or normal form), ``M``/``F``, ``Male``/``Female``. Digits are
    rejected as ambiguous."""
    if not isinstance(cell, str):
        raise ValueProblem("sex_invalid", SEX_EXPECTED)
    value = _SEX.get(fold_name(cell).rstrip("."))
    if value is None:
        raise ValueProblem("sex_invalid", SEX_EXPECTED)
    return value


_PHONE_STRIP = str.maketrans(
    {" ": None, ".": None, "-": None, "(": None, ")": None, "\u00a0": None, "/": None}
)


def _digits_text(cell: object) -> str | None:
    """Text of a numeric-looking cell: ints, integral floats, strings. None if impossible."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return str(cell) if cell >= 0 else None
    if isinstance(cell, float):
        if math.isfinite(cell) and cell.is_integer() and cell >= 0:
            return str(int(cell))
        return None
    if isinstance(cell, str):
        if cell.isdigit():
            return cell
        text = clean_text(cell)
        if text is None:
            return None
        m = _FLOAT_DIGITS(text)
        if m:
            return m[1]
        return text
    return None


_FLOAT_DIGITS = re.compile(r"(\d+)\.0+").fullmatch


_FAST_MOBILE = re.compile(r"(?:\+84|0084|84|0)?([35789][0-9]{8})")


@lru_cache(maxsize=4096)
def _mobile_prefix_valid(prefix4: str) -> bool:
    """Validity of a 9-digit Vietnamese mobile number by its first 4 digits.

    libphonenumber's VN mobile pattern decides on the first 2-3 digits of a 9-digit national
    number (e.g. ``9(?:[0-8]\\d|9[013-9])\\d{6}``); asking it once per prefix avoids ~20 us per
    number, which matters for 300k-row imports.
    """
    number = phonenumbers.parse("0" + prefix4 + "00000", "VN")
    return bool(phonenumbers.is_valid_number(number))


def parse_phone(cell: object) -> str:
    """Return the phone number in E.164 (``+84912345678``); a mobile number that lost its leading
    0 in Excel (``912345678``) is accepted."""
    text = _digits_text(cell)
    if text is None:
        raise ValueProblem("phone_invalid", PHONE_EXPECTED)
    text = text.translate(_PHONE_STRIP)
    fast = _FAST_MOBILE.fullmatch(text)
    if fast is not None:
        national = fast[1]
        if _mobile_prefix_valid(national[:4]):
            return "+84" + national
        raise ValueProblem("phone_invalid", PHONE_EXPECTED)
    if text.startswith("+"):
        candidate = text
    elif text.isdigit():
        if text.startswith("0084"):
            candidate = "+" + text[2:]
        elif text.startswith("84") and len(text) in (11, 12):
            candidate = "+" + text
        elif not text.startswith("0") and len(text) in (9, 10):
            candidate = "0" + text  # lost leading zero
        else:
            candidate = text
    else:
        raise ValueProblem("phone_invalid", PHONE_EXPECTED)
    try:
        number = phonenumbers.parse(candidate, "VN")
    except phonenumbers.NumberParseException:
        raise ValueProblem("phone_invalid", PHONE_EXPECTED) from None
    if not phonenumbers.is_valid_number(number):
        raise ValueProblem("phone_invalid", PHONE_EXPECTED)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_NUM_STRIP = str.maketrans({" ": None, ".": None, "-": None, "\u00a0": None})


def parse_si_number(cell: object) -> str:
    """A 10-digit social insurance number (mã số BHXH); a numeric value of 9 digits gets its lost
    leading zero back."""
    text = _digits_text(cell)
    if text is None:
        raise ValueProblem("si_number_invalid", SI_EXPECTED)
    if not text.isdigit():
        text = text.translate(_NUM_STRIP)
    if not (text.isascii() and text.isdigit()):
        raise ValueProblem("si_number_invalid", SI_EXPECTED)
    if len(text) == 9 and not text.startswith("0"):
        text = "0" + text
    if len(text) != 10:
        raise ValueProblem("si_number_invalid", SI_EXPECTED)
    return text


def parse_old_id(cell: object) -> str:
    """An old ID card (CMND) number: 9 or 12 digits. Numbers of 7-8 digits (lost leading zeros)
    are padded to 9."""
    text = _digits_text(cell)
    if text is None:
        raise ValueProblem("old_id_invalid", OLD_ID_EXPECTED)
    if not text.isdigit():
        text = text.translate(_NUM_STRIP)
    if not (text.isascii() and text.isdigit()):
        raise ValueProblem("old_id_invalid", OLD_ID_EXPECTED)
    if len(text) in (7, 8) and not text.startswith("0"):
        text = text.zfill(9)
    if len(text) not in (9, 12):
        raise ValueProblem("old_id_invalid", OLD_ID_EXPECTED)
    return text
