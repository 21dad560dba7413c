"""Tests for chitra.engine.sheets.headers (pure Python)."""

from __future__ import annotations

import unicodedata

import pytest

from chitra.engine.rows.beneficiary import BENEFICIARY_FIELDS, REQUIRED
from chitra.engine.sheets.headers import HeaderError, find_header, normalize_label

FIELDS = BENEFICIARY_FIELDS
HEADER = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Xã/Phường",
    "Loại chế độ",
    "Mức hưởng",
]
EXPECTED_COLUMNS = {
    "stt": 0,
    "full_name": 1,
    "birth_date": 2,
    "sex": 3,
    "personal_id": 4,
    "commune": 5,
    "benefit_type": 6,
    "monthly_amount": 7,
}


def data_row(n: int) -> list[object]:
    return [
        n,
        "Nguyễn Văn An",
        "01/01/1950",
        "Nam",
        "008050000001",
        "Xã Thượng Lâm",
        "Lương hưu",
        1500000,
    ]


def test_normalize_label() -> None:
    assert normalize_label("Số định danh\ncá nhân (*):") == "SO DINH DANH CA NHAN"
    assert normalize_label("  Xã, phường ") == normalize_label("Xã/Phường") == "XA PHUONG"
    assert normalize_label(unicodedata.normalize("NFD", "Giới tính")) == "GIOI TINH"
    assert normalize_label(None) == ""


def test_one_row_header_after_title_lines() -> None:
    rows: list[list[object]] = [
        [None] * 8,
        ["BẢO HIỂM XÃ HỘI TỈNH TUYÊN QUANG"] + [None] * 7,
        ["DANH SÁCH NGƯỜI HƯỞNG"] + [None] * 7,
        [None] * 8,
        list(HEADER),
        data_row(1),
    ]
    m = find_header(rows, FIELDS, required=REQUIRED)
    assert m.header_rows == (4,)
    assert m.data_start == 5
    assert m.columns == EXPECTED_COLUMNS
    assert m.labels["personal_id"] == "Số CCCD"
    assert m.unknown_columns == []
    assert m.column_labels == HEADER


def test_two_row_header_with_merged_group() -> None:
    top = [
        "STT",
        "Thông tin người hưởng",
        None,
        None,
        "Số CCCD",
        "Xã/Phường",
        "Loại chế độ",
        "Mức hưởng",
    ]
    low = [None, "Họ và tên", "Ngày sinh", "Giới tính", None, None, None, None]
    rows: list[list[object]] = [["DANH SÁCH"] + [None] * 7, top, low, data_row(1)]
    m = find_header(rows, FIELDS, required=REQUIRED)
    assert m.header_rows == (1, 2)
    assert m.data_start == 3
    assert m.columns == EXPECTED_COLUMNS
    assert m.labels["full_name"] == "Họ và tên"
    assert m.labels["stt"] == "STT"


def test_two_row_header_joined_label() -> None:
    # "Mã số" over "BHXH" only makes sense joined.
    top = ["Họ và tên", "Ngày sinh", "Giới tính", "Mã số", "Xã", "Chế độ", "Mức hưởng"]
    low = [None, None, None, "BHXH", None, None, None]
    m = find_header([top, low], FIELDS)
    assert m.header_rows == (0, 1)
    assert m.columns["si_number"] == 3
    assert m.labels["si_number"] == "Mã số BHXH"


def test_messy_labels_line_breaks_notes_nfd() -> None:
    header = [
        "Số\nTT",
        unicodedata.normalize("NFD", "Họ và tên "),
        "Ngày sinh\n(dd/mm/yyyy)",
        " Giới tính",
        "Số định danh\ncá nhân (*)",
        "Xã, phường:",
        "Loại\nchế độ",
        "Mức hưởng\n(đồng)",
    ]
    m = find_header([header, data_row(1)], FIELDS, required=REQUIRED)
    assert m.columns == EXPECTED_COLUMNS
    assert m.labels["birth_date"] == "Ngày sinh (dd/mm/yyyy)"
    assert m.labels["monthly_amount"] == "Mức hưởng (đồng)"


@pytest.mark.parametrize(
    "guardian", ["Số CCCD người giám hộ", "Số CCCD (người giám hộ)", "CCCD (người được ủy quyền)"]
)
def test_guardian_id_is_not_the_personal_id(guardian: str) -> None:
    header = [
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        guardian,
        "Số CCCD",
        "Xã",
        "Chế độ",
        "Mức hưởng",
    ]
    m = find_header([header], FIELDS, required=REQUIRED)
    assert m.columns["personal_id"] == 4
    assert guardian.replace("\n", " ") in m.unknown_columns


def test_duplicate_column_keeps_first() -> None:
    header = [
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Số CCCD",
        "Xã",
        "Chế độ",
        "Mức hưởng",
        "CCCD",
        "Ghi chú",
    ]
    m = find_header([header], FIELDS, required=REQUIRED)
    assert m.columns["personal_id"] == 3
    assert m.unknown_columns == ["CCCD", "Ghi chú"]


def test_numbering_row_under_header_prefers_one_row_header() -> None:
    numbering = [f"({n})" for n in range(1, 9)]
    m = find_header([list(HEADER), numbering, data_row(1)], FIELDS, required=REQUIRED)
    assert m.header_rows == (0,)
    assert m.data_start == 1


def test_missing_required_raises_with_found_and_aliases() -> None:
    header = ["STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Xã", "Mức hưởng"]
    with pytest.raises(HeaderError) as info:
        find_header([["Title"], header], FIELDS, required=REQUIRED)
    err = info.value
    assert err.missing == ["sex", "benefit_type"]
    assert err.found == {
        "stt": "STT",
        "full_name": "Họ và tên",
        "birth_date": "Ngày sinh",
        "personal_id": "Số CCCD",
        "commune": "Xã",
        "monthly_amount": "Mức hưởng",
    }
    assert "'Giới tính'" in err.message
    assert "'Loại chế độ' / 'Chế độ'" in err.message
    assert "full_name = 'Họ và tên'" in err.message


def test_no_header_at_all() -> None:
    with pytest.raises(HeaderError) as info:
        find_header([["a", "b"], [1, 2]], FIELDS, required=("full_name",))
    assert info.value.missing == ["full_name"]
    assert info.value.found == {}


def test_scan_rows_limit() -> None:
    rows: list[list[object]] = [[None] * 8 for _ in range(5)] + [list(HEADER)]
    with pytest.raises(HeaderError):
        find_header(rows, FIELDS, required=REQUIRED, scan_rows=5)
    assert find_header(rows, FIELDS, required=REQUIRED, scan_rows=6).header_rows == (5,)


def test_best_row_wins_over_earlier_partial_match() -> None:
    rows: list[list[object]] = [["Họ tên", None], list(HEADER)]
    m = find_header(rows, FIELDS, required=REQUIRED)
    assert m.header_rows == (1,)
