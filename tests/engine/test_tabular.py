"""Tests for chitra.engine.sheets.reading: every format, row numbers as Excel shows them,
cell types."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest

from chitra.engine.sheets.reading import TableReadError, read_grid
from tests.engine.spreadsheets import encode_cp1258, make_messy_sheet, sample_rows

FORMATS = ["xlsx", "xls", "ods", "csv"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_leading_blank_rows_and_titles_keep_excel_row_numbers(tmp_path: Path, fmt: str) -> None:
    rows = sample_rows(4)
    m = make_messy_sheet(
        tmp_path / f"f.{fmt}",
        rows,
        fmt=fmt,
        leading_blank_rows=2,
        title_lines=True,
        blank_rows=True,
    )
    # 2 blank rows, 3 title lines, 1 blank, header on row 7, data from row 8 with blanks inserted.
    assert m.header_rows == [7]
    assert m.data_rows == [8, 10, 11, 13]
    grid = read_grid(m.path)
    assert grid.rows[0] == [None] * len(grid.rows[0])
    assert grid.rows[1] == [None] * len(grid.rows[1])
    assert grid.rows[2][0] == "BẢO HIỂM XÃ HỘI TỈNH TUYÊN QUANG"
    assert grid.rows[6][:3] == ["STT", "Họ và tên", "Ngày sinh"]
    for k, sheet_row in enumerate(m.data_rows):
        assert grid.rows[sheet_row - 1][1] == rows[k]["full_name"]
    assert grid.rows[8] == [None] * len(grid.rows[8])  # blank row 9 kept
    assert len(grid.rows) == 13


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_cell_types_excel(tmp_path: Path, fmt: str) -> None:
    rows = [
        {
            "full_name": "An",
            "birth_date": date(1950, 1, 2),
            "personal_id": "008050000001",
            "monthly_amount": 1500000,
            "phone": "0912345678",
            "note": 1.5,
        }
    ]
    m = make_messy_sheet(tmp_path / f"t.{fmt}", rows, fmt=fmt)
    grid = read_grid(m.path)
    row = grid.rows[1]
    cols = m.columns
    assert row[cols.index("stt")] == 1 and type(row[cols.index("stt")]) is int
    assert row[cols.index("birth_date")] == date(1950, 1, 2)
    assert type(row[cols.index("birth_date")]) is date
    assert row[cols.index("personal_id")] == "008050000001"  # text keeps its zeros
    assert row[cols.index("monthly_amount")] == 1500000
    assert type(row[cols.index("monthly_amount")]) is int
    assert row[cols.index("phone")] == "0912345678"
    assert row[cols.index("note")] == 1.5


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_ids_as_numbers_lose_zeros_but_stay_numbers(tmp_path: Path, fmt: str) -> None:
    rows = [{"full_name": "An", "personal_id": "008050000001", "phone": "0912345678"}]
    m = make_messy_sheet(tmp_path / f"n.{fmt}", rows, fmt=fmt, ids_as_numbers=True)
    row = read_grid(m.path).rows[1]
    assert row[m.columns.index("personal_id")] == 8050000001
    assert row[m.columns.index("phone")] == 912345678


def test_mixed_column_keeps_text_numbers_and_dates(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "mixed.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    values: list[object] = [
        "Mức hưởng",
        1500000,
        "1.500.000",
        2.5,
        "khoảng 2 triệu",
        "001234567890",
        "1950",
        datetime(1950, 1, 2),
        datetime(1950, 1, 2, 8, 30),
        True,
        "  ",
        12345678901234567890,
    ]
    for r, v in enumerate(values):
        if isinstance(v, datetime):
            ws.write_datetime(r + 1, 1, v, fmt)  # start at B2
        else:
            ws.write(r + 1, 1, v)
    wb.close()
    grid = read_grid(path)
    assert grid.rows[0] == [None, None]
    col = [r[1] for r in grid.rows[1:]]
    assert all(r[0] is None for r in grid.rows)  # column A is kept, empty
    assert col == [
        "Mức hưởng",
        1500000,
        "1.500.000",
        2.5,
        "khoảng 2 triệu",
        "001234567890",
        1950,
        date(1950, 1, 2),
        datetime(1950, 1, 2, 8, 30),
        "true",
        "  ",
        12345678901234569216,
    ]  # the nearest double, as Excel stores it
    assert type(col[1]) is int
    assert type(col[7]) is date


def test_trailing_blank_rows_dropped_and_sheet_selection(tmp_path: Path) -> None:
    rows = sample_rows(2)
    m = make_messy_sheet(
        tmp_path / "s.xlsx", rows, fmt="xlsx", preface_sheet="Hướng dẫn", sheet_name="Danh sách"
    )
    first = read_grid(m.path)
    assert first.sheet_name == "Hướng dẫn"
    assert first.sheet_names == ["Hướng dẫn", "Danh sách"]
    chosen = read_grid(m.path, sheet="Danh sách")
    assert chosen.sheet_name == "Danh sách"
    assert len(chosen.rows) == 3
    nfd_upper = unicodedata.normalize("NFD", " DANH SÁCH ")
    assert read_grid(m.path, sheet=nfd_upper).sheet_name == "Danh sách"


def test_empty_first_sheet_is_skipped(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "e.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Sheet1")
    wb.add_worksheet("DS").write(2, 0, "Họ tên")
    wb.close()
    grid = read_grid(path)
    assert grid.sheet_name == "DS"
    assert grid.rows == [[None], [None], ["Họ tên"]]
    assert read_grid(path, sheet="Sheet1").rows == []


def test_sheet_not_found_lists_available(tmp_path: Path) -> None:
    m = make_messy_sheet(tmp_path / "s.ods", sample_rows(1), fmt="ods", preface_sheet="HD")
    with pytest.raises(TableReadError) as info:
        read_grid(m.path, sheet="Tháng 1")
    assert "Sheet 'Tháng 1' not found" in info.value.message
    assert "'HD', 'Danh sách'" in info.value.message


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    rows = sample_rows(3)
    rows[0]["address"] = "Thôn Nà Mèn, xã Thượng Lâm"  # a delimiter inside a quoted cell
    m = make_messy_sheet(
        tmp_path / "c.csv",
        rows,
        fmt="csv",
        encoding=encoding,  # type: ignore[arg-type]
        delimiter=delimiter,
        title_lines=True,
    )
    raw = m.path.read_bytes()
    if encoding == "cp1258":
        assert raw.decode("cp1258") != unicodedata.normalize("NFC", raw.decode("cp1258"))
    grid = read_grid(m.path)
    assert grid.sheet_name is None
    header = grid.rows[m.header_rows[0] - 1]
    assert header[:4] == ["STT", "Họ và tên", "Ngày sinh", "Giới tính"]
    for k, sheet_row in enumerate(m.data_rows):
        row = grid.rows[sheet_row - 1]
        assert row[1] == rows[k]["full_name"]
        assert unicodedata.is_normalized("NFC", str(row[1]))
        assert row[0] == str(k + 1)  # CSV cells are text
        assert row[m.columns.index("birth_date")] == rows[k]["birth_date"].strftime("%d/%m/%Y")  # type: ignore[union-attr]
    assert grid.rows[m.data_rows[0] - 1][m.columns.index("address")] == "Thôn Nà Mèn, xã Thượng Lâm"
    assert grid.rows[0][0] == "BẢO HIỂM XÃ HỘI TỈNH TUYÊN QUANG"
    assert grid.rows[0][1] is None


def test_cp1258_helper_round_trips() -> None:
    text = "Nguyễn Thị Thuỷ Đặng Ứng Ưng Ỷ Ợ"
    data = encode_cp1258(text)
    assert unicodedata.normalize("NFC", data.decode("cp1258")) == text
    with pytest.raises(UnicodeEncodeError):
        text.encode("cp1258")


def test_csv_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes("Họ và tên\tSố CCCD\r\nTrần Thị Hoà\t001152000001\r\n".encode("utf-16"))
    grid = read_grid(path)
    assert grid.rows == [["Họ và tên", "Số CCCD"], ["Trần Thị Hoà", "001152000001"]]


def test_csv_nfd_utf8_is_normalized(tmp_path: Path) -> None:
    path = tmp_path / "nfd.csv"
    path.write_text(
        unicodedata.normalize("NFD", "Họ tên;Xã\nĐặng Văn Ổn;Xã Thượng Lâm\n"), encoding="utf-8"
    )
    grid = read_grid(path)
    assert grid.rows == [["Họ tên", "Xã"], ["Đặng Văn Ổn", "Xã Thượng Lâm"]]


def test_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "list.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(TableReadError) as info:
        read_grid(path)
    assert str(path) in info.value.message
    assert "unsupported file type '.pdf'" in info.value.message
    assert ".xlsx" in info.value.message and ".csv" in info.value.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TableReadError) as info:
        read_grid(tmp_path / "nope.xlsx")
    assert "does not exist" in info.value.message


def test_corrupt_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"PK\x03\x04 definitely not a workbook")
    with pytest.raises(TableReadError) as info:
        read_grid(path)
    assert info.value.message.startswith(f"Cannot read '{path}' as a .xlsx spreadsheet")


def test_html_saved_as_xls_gets_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_text(
        "<html><body><table><tr><td>Họ tên</td></tr></table></body></html>", encoding="utf-8"
    )
    with pytest.raises(TableReadError) as info:
        read_grid(path)
    assert "web page (HTML)" in info.value.message


def test_binary_csv_rejected(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x00\x01\x02\x03" * 10)
    with pytest.raises(TableReadError) as info:
        read_grid(path)
    assert "binary" in info.value.message


def test_read_speed_smoke(tmp_path: Path) -> None:
    """20k x 15 cells read well within a second here; the bound leaves room for slow CI."""
    import xlsxwriter

    path = tmp_path / "big.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("S")
    fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write_row(0, 0, [f"Cột {c}" for c in range(15)])
    for r in range(1, 20001):
        ws.write_number(r, 0, r)
        ws.write_string(r, 1, f"Nguyễn Văn {r}")
        ws.write_datetime(r, 2, datetime(1950, 1, 1 + r % 28), fmt)
        for c in range(3, 15):
            ws.write_string(r, c, f"{r:012d}") if c % 2 else ws.write_number(r, c, r * c)
    wb.close()
    grid = read_grid(path)
    assert len(grid.rows) == 20001
    assert grid.rows[20000][:3] == [20000, "Nguyễn Văn 20000", date(1950, 1, 1 + 20000 % 28)]
    assert grid.rows[20000][3] == "000000020000"
    assert grid.rows[20000][4] == 80000
