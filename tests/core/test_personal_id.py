"""Tests for chitra.kernel.personal_id (pure Python)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chitra.kernel.personal_id import (
    OLD_PROVINCE_CODES,
    PersonalId,
    PersonalIdError,
    check_personal_id,
    normalize_personal_id,
    parse_personal_id,
)


def test_province_table() -> None:
    assert len(OLD_PROVINCE_CODES) == 63
    assert OLD_PROVINCE_CODES["001"] == "Hà Nội"
    assert OLD_PROVINCE_CODES["002"] == "Hà Giang"
    assert OLD_PROVINCE_CODES["008"] == "Tuyên Quang"
    assert OLD_PROVINCE_CODES["079"] == "Hồ Chí Minh"
    assert OLD_PROVINCE_CODES["096"] == "Cà Mau"
    assert "003" not in OLD_PROVINCE_CODES
    assert all(len(k) == 3 and k.startswith("0") for k in OLD_PROVINCE_CODES)


def test_parse_fields() -> None:
    pid = parse_personal_id("008152123456")
    assert pid == PersonalId("008152123456", "008", 1, "F", 52)
    assert pid.century_start == 1900
    assert pid.birth_year == 1952
    assert pid.known_province is True
    assert pid.is_foreign_prefix is False


@pytest.mark.parametrize(
    ("digit", "sex", "century"),
    [
        (0, "M", 1900),
        (1, "F", 1900),
        (2, "M", 2000),
        (3, "F", 2000),
        (4, "M", 2100),
        (5, "F", 2100),
        (6, "M", 2200),
        (7, "F", 2200),
        (8, "M", 1800),
        (9, "F", 1800),
    ],
)
def test_century_digit(digit: int, sex: str, century: int) -> None:
    pid = parse_personal_id(f"001{digit}05000001")
    assert pid.sex == sex
    assert pid.century_start == century
    assert pid.birth_year == century + 5


def test_unknown_and_foreign_prefix() -> None:
    unknown = parse_personal_id("003052000001")
    assert unknown.known_province is False
    assert unknown.is_foreign_prefix is False
    foreign = parse_personal_id("840052000001")
    assert foreign.known_province is False
    assert foreign.is_foreign_prefix is True


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("00815212345", "pid_length"),
        ("0081521234567", "pid_length"),
        ("00815212345X", "pid_not_digits"),
        ("", "pid_not_digits"),
        ("٠٠٨١٥٢١٢٣٤٥٦", "pid_not_digits"),
    ],
)
def test_parse_errors(value: str, code: str) -> None:
    with pytest.raises(PersonalIdError) as info:
        parse_personal_id(value)
    assert info.value.code == code
    assert info.value.value == value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("008152123456", "008152123456"),
        (" 008 152 123 456 ", "008152123456"),
        ("008.152.123.456", "008152123456"),
        ("008-152-123456", "008152123456"),
        (8152123456, "008152123456"),  # lost two zeros, restored (008 = Tuyên Quang)
        (8152123456.0, "008152123456"),
        ("8152123456.0", "008152123456"),
        ("8152123456", "008152123456"),
        (12052000001, "012052000001"),  # lost one zero (012 = Lai Châu)
        (99052000001, "99052000001"),  # 099 is no province: left unpadded, rejected later
        (123456789, "123456789"),  # would be 000123456789: no province 000
        ("8.15212E+09", "8.15212E+09"),  # scientific notation cannot be restored
        ("", None),
        ("   ", None),
        (None, None),
        (-8152123456, "-8152123456"),
        (8152123456.5, "8152123456.5"),
    ],
)
def test_normalize(raw: object, expected: str | None) -> None:
    assert normalize_personal_id(raw) == expected


def test_normalized_junk_is_rejected_with_original_value() -> None:
    value = normalize_personal_id(99052000001)
    assert value is not None
    with pytest.raises(PersonalIdError) as info:
        parse_personal_id(value)
    assert info.value.code == "pid_length"
    assert info.value.value == "99052000001"
    sci = normalize_personal_id("8.15212E+09")
    assert sci is not None
    with pytest.raises(PersonalIdError) as info2:
        parse_personal_id(sci)
    assert info2.value.code == "pid_not_digits"


def test_check_personal_id() -> None:
    pid = parse_personal_id("008052000001")  # male, 1952
    assert check_personal_id(pid, birth_year=1952, sex="M") == []
    assert check_personal_id(pid, birth_year=1952, sex="F") == ["pid_sex_mismatch"]
    assert check_personal_id(pid, birth_year=1953, sex="M") == ["pid_year_mismatch"]
    assert check_personal_id(pid, birth_year=2052, sex="F") == [
        "pid_sex_mismatch",
        "pid_year_mismatch",
    ]
    assert check_personal_id(pid, birth_year=None, sex=None) == []
    # Unknown province is not an error here.
    assert check_personal_id(parse_personal_id("003052000001"), birth_year=1952, sex="M") == []


provinces = st.sampled_from(sorted(OLD_PROVINCE_CODES))


@st.composite
def valid_ids(draw: st.DrawFn) -> tuple[str, int, str]:
    province = draw(provinces)
    year = draw(st.integers(min_value=1800, max_value=2299))
    sex = draw(st.sampled_from(["M", "F"]))
    base = {1900: 0, 2000: 2, 2100: 4, 2200: 6, 1800: 8}[year // 100 * 100]
    g = base + (1 if sex == "F" else 0)
    serial = draw(st.integers(min_value=0, max_value=999_999))
    return f"{province}{g}{year % 100:02d}{serial:06d}", year, sex


@given(valid_ids())
def test_valid_ids_round_trip(item: tuple[str, int, str]) -> None:
    value, year, sex = item
    assert normalize_personal_id(value) == value
    pid = parse_personal_id(value)
    assert pid.value == value
    assert pid.birth_year == year
    assert pid.sex == sex
    assert pid.known_province
    assert check_personal_id(pid, birth_year=year, sex=sex) == []


@given(valid_ids())
def test_lost_leading_zeros_are_restored(item: tuple[str, int, str]) -> None:
    value = item[0]
    assert value.startswith("0")  # every old province code starts with 0 (many with 00)
    as_number = int(value)
    assert normalize_personal_id(as_number) == value
    assert normalize_personal_id(float(as_number)) == value
    assert normalize_personal_id(str(as_number)) == value
    assert normalize_personal_id(f"{as_number}.0") == value
