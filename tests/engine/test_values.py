"""Tests for chitra.engine.sheets.values (pure Python)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chitra.engine.sheets.values import (
    ValueProblem,
    excel_serial_to_date,
    parse_amount,
    parse_date,
    parse_month,
    parse_old_id,
    parse_phone,
    parse_sex,
    parse_si_number,
    render_cell,
)

# ------------------------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (date(1950, 1, 2), (date(1950, 1, 2), "D")),
        (datetime(1950, 1, 2, 10, 30), (date(1950, 1, 2), "D")),
        ("02/01/1950", (date(1950, 1, 2), "D")),
        ("2/1/1950", (date(1950, 1, 2), "D")),
        ("02-01-1950", (date(1950, 1, 2), "D")),
        ("02.01.1950", (date(1950, 1, 2), "D")),
        (" 02 / 01 / 1950 ", (date(1950, 1, 2), "D")),
        ("1950-01-02", (date(1950, 1, 2), "D")),
        ("1950-01-02 00:00:00", (date(1950, 1, 2), "D")),
        ("01/1950", (date(1950, 1, 1), "M")),
        ("3/1950", (date(1950, 3, 1), "M")),
        ("1950", (date(1950, 1, 1), "Y")),
        (1950, (date(1950, 1, 1), "Y")),
        (1950.0, (date(1950, 1, 1), "Y")),
        (2100, (date(2100, 1, 1), "Y")),
        (18265, (date(1950, 1, 2), "D")),  # Excel serial
        (18265.75, (date(1950, 1, 2), "D")),
        (1, (date(1900, 1, 1), "D")),
        (59, (date(1900, 2, 28), "D")),
        (61, (date(1900, 3, 1), "D")),
        (45658, (date(2025, 1, 1), "D")),
    ],
)
def test_parse_date_ok(cell: object, expected: tuple[date, str]) -> None:
    assert parse_date(cell) == expected


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("31/02/1950", "date_invalid"),
        ("13/13/1950", "date_invalid"),
        ("13/1950", "date_invalid"),
        ("1889", "date_too_old"),
        ("01/01/1889", "date_too_old"),
        (1850, "date_too_old"),
        (date(1889, 12, 31), "date_too_old"),
        ("50", "date_invalid"),
        ("02/01/50", "date_invalid"),
        ("abc", "date_invalid"),
        ("", "date_invalid"),
        (60, "date_invalid"),  # 29/02/1900 does not exist
        (0, "date_invalid"),
        (-5, "date_invalid"),
        (float("nan"), "date_invalid"),
        (True, "date_invalid"),
        (None, "date_invalid"),
    ],
)
def test_parse_date_rejects(cell: object, code: str) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_date(cell)
    assert info.value.code == code
    assert "dd/mm/yyyy" in info.value.expected


def test_excel_serial() -> None:
    assert excel_serial_to_date(1) == date(1900, 1, 1)
    assert excel_serial_to_date(61) == date(1900, 3, 1)
    assert excel_serial_to_date(36526) == date(2000, 1, 1)
    with pytest.raises(ValueError):
        excel_serial_to_date(60)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("01/2020", date(2020, 1, 1)),
        ("1/2020", date(2020, 1, 1)),
        ("12/2024", date(2024, 12, 1)),
        ("2020-03", date(2020, 3, 1)),
        ("15/03/2020", date(2020, 3, 1)),
        ("2020-03-15", date(2020, 3, 1)),
        ("Tháng 3/2020", date(2020, 3, 1)),
        ("T03/2020", date(2020, 3, 1)),
        ("tháng 3 năm 2020", date(2020, 3, 1)),
        (date(2020, 3, 15), date(2020, 3, 1)),
        (datetime(2020, 3, 15, 8, 0), date(2020, 3, 1)),
        (43905, date(2020, 3, 15).replace(day=1)),
    ],
)
def test_parse_month_ok(cell: object, expected: date) -> None:
    assert parse_month(cell) == expected


@pytest.mark.parametrize(
    "cell", ["2020", 2020, "13/2020", "00/2020", "31/02/2020", "abc", None, True, "01/1800"]
)
def test_parse_month_rejects(cell: object) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_month(cell)
    assert info.value.code in ("month_invalid", "date_too_old")
    assert info.value.expected.startswith("a month as mm/yyyy")


# ---------------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (1500000, 1500000),
        (1500000.0, 1500000),
        ("1500000", 1500000),
        ("1.500.000", 1500000),
        ("1,500,000", 1500000),
        ("1 500 000", 1500000),
        ("1\u00a0500\u00a0000", 1500000),
        ("1.500.000 đ", 1500000),
        ("1.500.000đ", 1500000),
        ("1.500.000 đồng", 1500000),
        (unicodedata.normalize("NFD", "1.500.000 đồng"), 1500000),
        ("1.500.000 VND", 1500000),
        ("1.500.000 VNĐ", 1500000),
        ("1.500", 1500),
        ("1,500", 1500),
        ("1.500.000,00", 1500000),
        ("1,500,000.00", 1500000),
        ("1500000.0", 1500000),
        ("12.345.678.901", 12345678901),
    ],
)
def test_parse_amount_ok(cell: object, expected: int) -> None:
    assert parse_amount(cell) == expected


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("1,5", "amount_fraction"),
        ("1.500.000,5", "amount_fraction"),
        ("1500000.5", "amount_fraction"),
        (1500000.5, "amount_fraction"),
        ("0", "amount_not_positive"),
        (0, "amount_not_positive"),
        (-1500000, "amount_not_positive"),
        ("-1.500.000", "amount_not_positive"),
        ("(1.500.000)", "amount_not_positive"),
        ("1500.000", "amount_invalid"),  # neither a group nor a sensible decimal
        ("1.500,000", "amount_invalid"),
        ("1,500.000", "amount_invalid"),
        ("1.5.0", "amount_invalid"),
        ("1.50.000", "amount_invalid"),
        ("15,00,000", "amount_invalid"),
        ("một triệu", "amount_invalid"),
        ("", "amount_invalid"),
        (True, "amount_invalid"),
        (None, "amount_invalid"),
        (float("inf"), "amount_invalid"),
    ],
)
def test_parse_amount_rejects(cell: object, code: str) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_amount(cell)
    assert info.value.code == code


@given(
    st.integers(min_value=1, max_value=10**13),
    st.sampled_from([".", ",", " "]),
    st.sampled_from(["", " đ", " đồng", " VND", "đ"]),
)
def test_parse_amount_round_trips_formatted_ints(n: int, sep: str, suffix: str) -> None:
    text = f"{n:,}".replace(",", sep) + suffix
    assert parse_amount(text) == n
    assert parse_amount(str(n)) == n
    assert parse_amount(n) == n
    assert parse_amount(float(n)) == n


# ------------------------------------------------------------------------------------- sex


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Nam", "M"),
        ("nam", "M"),
        ("NAM ", "M"),
        ("Nữ", "F"),
        ("nữ", "F"),
        ("NỮ", "F"),
        (unicodedata.normalize("NFD", "Nữ"), "F"),
        ("M", "M"),
        ("F", "F"),
        ("Male", "M"),
        ("female", "F"),
    ],
)
def test_parse_sex_ok(cell: object, expected: str) -> None:
    assert parse_sex(cell) == expected


@pytest.mark.parametrize("cell", ["1", "0", 1, 0, "X", "", None, "Nam Nữ"])
def test_parse_sex_rejects(cell: object) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_sex(cell)
    assert info.value.code == "sex_invalid"


# ----------------------------------------------------------------------------------- phone


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("0912345678", "+84912345678"),
        ("0912 345 678", "+84912345678"),
        ("0912.345.678", "+84912345678"),
        ("0912-345-678", "+84912345678"),
        ("912345678", "+84912345678"),
        (912345678, "+84912345678"),
        (912345678.0, "+84912345678"),
        ("+84912345678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("0084912345678", "+84912345678"),
        ("0321234567", "+84321234567"),
        ("0587654321", "+84587654321"),
        ("0701234567", "+84701234567"),
        ("0812345678", "+84812345678"),
        ("02438123456", "+842438123456"),  # Hà Nội landline
        (2438123456, "+842438123456"),  # landline that lost its 0
    ],
)
def test_parse_phone_ok(cell: object, expected: str) -> None:
    assert parse_phone(cell) == expected


@pytest.mark.parametrize(
    "cell",
    [
        "0123456789",
        "091234567",
        "09123456789",
        "0501234567",
        "abc",
        "",
        None,
        -912345678,
        912345678.5,
        "0912345678 / 0987654321",
    ],
)
def test_parse_phone_rejects(cell: object) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_phone(cell)
    assert info.value.code == "phone_invalid"


# ------------------------------------------------------------------------ numbers, render


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("0801234567", "0801234567"),
        (801234567, "0801234567"),
        ("801234567", "0801234567"),
        (801234567.0, "0801234567"),
        ("0801 234 567", "0801234567"),
        ("2201234567", "2201234567"),
    ],
)
def test_parse_si_number_ok(cell: object, expected: str) -> None:
    assert parse_si_number(cell) == expected


@pytest.mark.parametrize(
    "cell", ["080123456", "12345678", "08012345678", "08O1234567", "", None, 1.5]
)
def test_parse_si_number_rejects(cell: object) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_si_number(cell)
    assert info.value.code == "si_number_invalid"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("012345678", "012345678"),
        (12345678, "012345678"),
        (1234567, "001234567"),
        ("123456789", "123456789"),
        ("001052000001", "001052000001"),
        ("012 345 678", "012345678"),
    ],
)
def test_parse_old_id_ok(cell: object, expected: str) -> None:
    assert parse_old_id(cell) == expected


@pytest.mark.parametrize("cell", ["0123456", "01234567", "1234567890", "12345", "A12345678", None])
def test_parse_old_id_rejects(cell: object) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_old_id(cell)
    assert info.value.code == "old_id_invalid"


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        (None, ""),
        ("abc", "abc"),
        (1500000, "1500000"),
        (1500000.0, "1500000"),
        (1.5, "1.5"),
        (date(1950, 1, 2), "02/01/1950"),
        (datetime(1950, 1, 2), "02/01/1950"),
        (datetime(1950, 1, 2, 8, 5), "02/01/1950 08:05"),
        (True, "TRUE"),
    ],
)
def test_render_cell(cell: object, text: str) -> None:
    assert render_cell(cell) == text
