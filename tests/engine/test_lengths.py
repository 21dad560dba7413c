"""Length limits of imported rows: per field (the registry's max_length) and per cell; a value
too long is a rejected row naming row, column, the value cut short, and what is expected."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import xlsxwriter

from chitra.engine.rows.account import parse_account_grid
from chitra.engine.rows.beneficiary import ParseContext, parse_beneficiary_grid
from chitra.engine.sheets.reading import Grid, read_grid
from chitra.engine.sheets.values import SHOWN_CHARS, excel_column
from tests.engine.spreadsheets import SAMPLE_BENEFITS, SAMPLE_COMMUNES
from tests.engine.test_account_rows import HEADER as ACCOUNT_HEADER
from tests.engine.test_account_rows import PROVIDERS, TODAY
from tests.engine.test_account_rows import row as account_row
from tests.engine.test_beneficiary_rows import HEADER, person

CTX = ParseContext(
    province_code="08", communes=SAMPLE_COMMUNES, benefit_labels=SAMPLE_BENEFITS, today=TODAY
)
LONG_NAME = "Nguyễn Văn " + "A" * 100_000


def _issues(result):  # type: ignore[no-untyped-def]
    return [i for r in result.rejected for i in r.issues]


def test_a_100000_character_name_is_a_rejected_row() -> None:
    result = parse_beneficiary_grid(Grid([HEADER, person(1), person(2, name=LONG_NAME)]), CTX)
    assert len(result.records) == 1 and len(result.rejected) == 1
    [issue] = _issues(result)
    assert (issue.sheet_row, issue.column, issue.code) == (3, "Họ và tên", "value_too_long")
    assert issue.expected == "at most 150 characters (this one has 100,011)"
    assert issue.value == LONG_NAME[:SHOWN_CHARS] + "…"
    assert len(issue.message_en) < 300


def test_the_limit_is_on_the_folded_name_too() -> None:
    # "ß" folds to "SS": 100 of them fit as typed (100) but not folded (200)
    result = parse_beneficiary_grid(Grid([HEADER, person(1, name="Nguyễn " + "ß" * 100)]), CTX)
    [issue] = _issues(result)
    assert issue.code == "value_too_long"
    ok = parse_beneficiary_grid(Grid([HEADER, person(1, name="Nguyễn Văn " + "A" * 139)]), CTX)
    assert len(ok.records) == 1  # exactly 150 characters


def test_address_limit() -> None:
    header = [*HEADER, "Địa chỉ"]
    result = parse_beneficiary_grid(Grid([header, [*person(1), "Thôn " + "x" * 300]]), CTX)
    [issue] = _issues(result)
    assert issue.column == "Địa chỉ" and issue.expected.startswith("at most 255 characters")


@pytest.mark.parametrize("measured", [True, False])
def test_any_cell_of_a_row(measured: bool) -> None:
    header = [*HEADER, "Ghi chú"]
    rows = [header, [*person(1), "ok"], [*person(2), "x" * 2_000]]
    grid = Grid(rows, longest_text=2_000 if measured else None)
    result = parse_beneficiary_grid(grid, replace(CTX, max_cell_chars=1_000))
    [issue] = _issues(result)
    assert (issue.sheet_row, issue.column) == (3, "Ghi chú")
    assert issue.expected == "at most 1,000 characters (this one has 2,000)"
    # the reader measured no cell that long: rows are not checked one by one
    assert not parse_beneficiary_grid(
        Grid(rows, longest_text=500), replace(CTX, max_cell_chars=1_000)
    ).rejected


def test_a_column_without_a_header_is_named_by_its_letter() -> None:
    rows = [HEADER, [*person(1), None, "x" * 50]]
    result = parse_beneficiary_grid(Grid(rows), replace(CTX, max_cell_chars=20))
    assert [i.column for i in _issues(result)] == [excel_column(len(HEADER) + 1)]
    assert excel_column(0) == "A" and excel_column(25) == "Z" and excel_column(26) == "AA"


def test_the_readers_measure_the_longest_cell(tmp_path: Path) -> None:
    xlsx = tmp_path / "a.xlsx"
    wb = xlsxwriter.Workbook(str(xlsx))
    ws = wb.add_worksheet()
    ws.write_string(0, 0, "Họ và tên")
    ws.write_string(1, 0, "Nguyễn Văn An")
    ws.write_string(2, 1, "x" * 5_000)
    wb.close()
    assert read_grid(xlsx).longest_text == 5_000
    csv_path = tmp_path / "a.csv"
    csv_path.write_text("Họ và tên,Ghi chú\nAn," + "y" * 7_000 + "\n", encoding="utf-8")
    assert read_grid(csv_path).longest_text == 7_000


def test_account_holder_and_cells() -> None:
    long_holder = "NGUYEN " + "A" * 100_000
    result = parse_account_grid(
        Grid([ACCOUNT_HEADER, account_row(1), account_row(2, holder=long_holder)]),
        PROVIDERS,
        today=TODAY,
    )
    assert len(result.records) == 1
    [issue] = _issues(result)
    assert (issue.sheet_row, issue.column, issue.code) == (3, "Tên chủ tài khoản", "value_too_long")
    assert issue.expected.startswith("at most 150 characters")
    assert len(issue.value) == SHOWN_CHARS + 1
    result = parse_account_grid(
        Grid([[*ACCOUNT_HEADER, "Ghi chú"], [*account_row(1), "z" * 99]]),
        PROVIDERS,
        today=TODAY,
        max_cell_chars=50,
    )
    assert [i.column for i in _issues(result)] == ["Ghi chú"]
