"""Formula injection: every CSV and XLSX writer of the engine makes formula-looking text inert
(chitra.engine.sheets.cells), and numbers stay numbers."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from chitra.engine.documents.cash_list import CashListHeader, CashRow, write_cash_list_xlsx
from chitra.engine.documents.error_workbook import write_error_workbook
from chitra.engine.documents.lists import list_workbook
from chitra.engine.documents.provider_files import FileProfile, write_csv, write_xlsx_parts
from chitra.engine.documents.report import ReportDoc, Table, write_report_xlsx
from chitra.engine.rows.beneficiary import Issue, RejectedRow
from chitra.engine.sheets.cells import csv_text, csv_text_block, formula_like, inert_table
from tests.xlsx_inspect import assert_inert, cell_with, xlsx_cells

EVIL = '=HYPERLINK("http://x","y")'
EVILS = [
    EVIL,
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", EVILS)
def test_formula_like_text_is_neutralised_in_csv(text: str) -> None:
    assert formula_like(text)
    assert csv_text(text) == "'" + text


@pytest.mark.parametrize(
    "text",
    [
        "Nguyễn Văn An",
        "",
        "'=already",
        " =x",
        "-1.500.000",
        "+84912345678",
        "-5",
        "+84 912 345 678",
        "3-5",
        "a=b",
    ],
)
def test_ordinary_text_and_signed_numbers_are_left_alone(text: str) -> None:
    assert not formula_like(text)
    assert csv_text(text) == text


def test_a_dash_or_plus_that_is_not_a_number_is_neutralised() -> None:
    assert csv_text("- Như trên") == "'- Như trên"
    assert csv_text("-") == "'-"
    assert csv_text("+") == "'+"


def _csv_of(rows: list[list[str]], delimiter: str = ",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


cell_text = st.text(alphabet=st.sampled_from(list('ab ,;"\n\r\t=+-@1.')), max_size=8)


@given(
    st.lists(st.lists(cell_text, min_size=1, max_size=4), min_size=1, max_size=5),
    st.sampled_from([",", ";", "\t", "|"]),
)
def test_csv_block_equals_cell_by_cell_neutralisation(
    rows: list[list[str]], delimiter: str
) -> None:
    """The one-scan block rewrite of the streamed writer gives exactly what writing each cell
    through csv_text gives (and the same bytes when nothing needs it)."""
    text = _csv_of(rows, delimiter)
    expected = _csv_of([[csv_text(c) for c in r] for r in rows], delimiter)
    assert csv_text_block(text, delimiter) == expected


def test_inert_table() -> None:
    table = pa.table({"name": [EVIL, "An", None, "-1.000"], "n": [-5, 1, 2, 3]})
    out = inert_table(table)
    assert out.column("name").to_pylist() == ["'" + EVIL, "An", None, "-1.000"]
    assert out.column("n").to_pylist() == [-5, 1, 2, 3]


# --------------------------------------------------------------------------------------------
# one test per writer
# --------------------------------------------------------------------------------------------

PROFILE_COLUMNS = (
    ("Mã thanh toán", "reference"),
    ("Họ và tên", "name"),
    ("Số tiền", "amount"),
    ("Ghi chú", "note"),
)


def _rows() -> list[dict[str, object]]:
    return [
        {
            "reference": "082026120000000001017",
            "name": EVIL,
            "amount": -1_500_000,
            "note": "@SUM(A1)",
        },
        {
            "reference": "082026120000000002017",
            "name": "Trần Văn Đức",
            "amount": 3_500_000,
            "note": None,
        },
    ]


@pytest.mark.parametrize("amount_format", ["plain", "dotted"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_payment_csv(tmp_path: Path, amount_format: str, delimiter: str) -> None:
    path = tmp_path / "p.csv"
    write_csv(
        path,
        FileProfile(columns=PROFILE_COLUMNS, amount_format=amount_format, delimiter=delimiter),
        _rows(),
    )
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"), newline=""), delimiter=delimiter))
    assert rows[1][1] == "'" + EVIL and rows[1][3] == "'@SUM(A1)"
    # a negative amount is a number, not text
    assert rows[1][2] == ("-1.500.000" if amount_format == "dotted" else "-1500000")
    assert rows[2][1] == "Trần Văn Đức"


def test_payment_csv_without_formula_text_is_unchanged(tmp_path: Path) -> None:
    rows = [{"reference": "1", "name": "Trần Văn Đức", "amount": 5, "note": "Lương hưu"}]
    path = tmp_path / "p.csv"
    write_csv(path, FileProfile(columns=PROFILE_COLUMNS), rows)
    assert (
        path.read_bytes()
        == ("Mã thanh toán,Họ và tên,Số tiền,Ghi chú\r\n1,Trần Văn Đức,5,Lương hưu\r\n").encode()
    )


def test_payment_xlsx(tmp_path: Path) -> None:
    [(path, _n, _sha)] = write_xlsx_parts(
        tmp_path, "p", FileProfile(columns=PROFILE_COLUMNS), _rows()
    )
    assert_inert(path, EVIL)
    assert_inert(path, "@SUM(A1)")
    cells = xlsx_cells(path)
    assert [c.type for c in cells if c.text == "-1500000"] == ["n"]  # a number
    assert not cell_with(cells, "Trần Văn Đức").quote_prefix


def test_cash_list_xlsx(tmp_path: Path) -> None:
    header = CashListHeader(
        authority="BHXH TỈNH TUYÊN QUANG",
        title="DANH SÁCH CHI TRẢ",
        subtitle="=1+1",
        batch_reference="LO-1",
        printed_on=date(2026, 12, 3),
    )
    row = CashRow(
        reference="082026120000000001017",
        full_name=EVIL,
        id_masked="0080****0001",
        address="-Thôn 5",
        benefit="Lương hưu",
        period="12/2026",
        amount=3_500_000,
        payee="+cmd|' /C calc'!A0",
    )
    path = tmp_path / "c.xlsx"
    write_cash_list_xlsx(path, header, [row])
    for text in (EVIL, "-Thôn 5", "+cmd|' /C calc'!A0", "=1+1"):
        assert_inert(path, text)


def test_report_xlsx(tmp_path: Path) -> None:
    doc = ReportDoc(
        superior_body="",
        issuing_body="BHXH TỈNH TUYÊN QUANG",
        number="Số: 1/BC",
        place_date="Tuyên Quang, ngày 1 tháng 12 năm 2026",
        doc_type="BÁO CÁO",
        title="Báo cáo",
        paragraphs=("=2*3",),
        tables=(
            Table(
                title="Bảng 1",
                headers=("Đơn vị", "Số người"),
                rows=((EVIL, 5), ("Xã An Tường", -3)),
            ),
        ),
        recipients=("- Như trên;",),
    )
    path = tmp_path / "r.xlsx"
    write_report_xlsx(path, doc)
    assert_inert(path, EVIL)
    assert_inert(path, "=2*3")
    cells = xlsx_cells(path)
    assert [c.type for c in cells if c.text == "-3"] == ["n"]


def test_error_workbook(tmp_path: Path) -> None:
    issue = Issue(7, "Họ và tên", EVIL, "name_invalid", {"expected": "a name"})
    path = tmp_path / "e.xlsx"
    write_error_workbook(path, ["Họ và tên", "Mức hưởng"], [RejectedRow(7, 1, [EVIL, -5], [issue])])
    assert_inert(path, EVIL)
    cells = xlsx_cells(path)
    assert [c.type for c in cells if c.text == "-5"] == ["n"]


def test_list_workbook() -> None:
    data = list_workbook(
        title="=1+2",
        subtitle="@x",
        headers=["Họ và tên", "Số tiền"],
        rows=[[EVIL, -2_000_000], ["An", 5]],
        money_columns=[1],
    )
    for text in (EVIL, "=1+2", "@x"):
        assert_inert(data, text)
    cells = xlsx_cells(data)
    assert [c.type for c in cells if c.text == "-2000000"] == ["n"]
