"""Tests for chitra.engine.documents: provider files, cash lists, result files (pure Python)."""

from __future__ import annotations

import codecs
import csv
import dataclasses
import enum
import hashlib
import io
import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter

from chitra.engine.documents.cash_list import (
    CASH_LABELS_VI,
    KEPT_WITH_SIGNATURES,
    CashListHeader,
    CashRow,
    write_cash_list_pdf,
    write_cash_list_xlsx,
)
from chitra.engine.documents.provider_files import (
    XLSX_MAX_ROWS,
    FileProfile,
    write_csv,
    write_xlsx_parts,
)
from chitra.engine.documents.results import (
    ResultFileError,
    ResultIssue,
    ResultRow,
    read_result_table,
)
from chitra.engine.sheets.reading import TableReadError, read_grid
from chitra.kernel.vn_numbers import amount_in_words
from tests.engine.result_files import VI_RESULT_HEAD, VI_RESULT_ROWS, write_rows_csv

NAMES = [
    "Nguyễn Thị Hồng Ánh",
    "Trần Văn Đức",
    "Lê Thị Ngọc Huyền",
    "Phạm Quỳnh Hương",
    "Đặng Ưng Ữ Bảo Thụy Vỹ",
    "Hoàng Thị Mỹ Lệ",
    "Vũ Đình Ước",
    "Bùi Thị Xuyến",
]
VIETNAMESE = (
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
)
COLUMNS = (
    ("Mã thanh toán", "reference"),
    ("Họ và tên", "name"),
    ("Số tài khoản", "account"),
    ("Số tiền", "amount"),
    ("Ngày chi", "paid_on"),
    ("Ghi chú", "note"),
)


def line(i: int) -> dict[str, object]:
    return {
        "reference": f"08202612{i:010d}0117",
        "name": NAMES[i % len(NAMES)],
        "account": f"00{1000000 + i}",
        "amount": 3_500_000 + i * 1000,
        "paid_on": date(2026, 12, 5),
        "note": None if i % 2 else "Lương hưu T12/2026",
    }


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------------------------
# FileProfile
# --------------------------------------------------------------------------------------------


def test_profile_json_round_trip() -> None:
    p = FileProfile(
        columns=COLUMNS,
        encoding="cp1258",
        delimiter=";",
        amount_format="dotted",
        date_format="%Y-%m-%d",
        header=False,
    )
    data = p.to_json()
    assert data["columns"][0] == ["Mã thanh toán", "reference"]
    assert FileProfile.from_json(data) == p
    q = FileProfile.from_json(
        {"columns": [{"header": "Số tiền", "field": "amount"}, ["Họ tên", "name"]]}
    )
    assert q.columns == (("Số tiền", "amount"), ("Họ tên", "name"))
    assert q.encoding == "utf-8" and q.header is True and q.amount_format == "plain"
    assert FileProfile(columns=[["A", "a"]]).columns == (("A", "a"),)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ({"columns": [["A", "a"]], "colour": "red"}, "unknown key(s) colour"),
        ({"header": True}, "missing key 'columns'"),
        ({"columns": []}, "at least one column"),
        ({"columns": [["A"]]}, "column 1"),
        ({"columns": [["A", ""]]}, "column 1"),
        ({"columns": [["A", "a"]], "encoding": "latin-1"}, "unsupported encoding 'latin-1'"),
        ({"columns": [["A", "a"]], "delimiter": ";;"}, "'delimiter'"),
        ({"columns": [["A", "a"]], "amount_format": "comma"}, "amount_format"),
        ({"columns": [["A", "a"]], "date_format": "dd/mm/yyyy"}, "date_format"),
        ({"columns": [["A", "a"]], "header": "yes"}, "'header' must be a bool"),
        ({"columns": "A,a"}, "'columns' must be a list"),
    ],
)
def test_profile_from_json_errors(data: dict[str, object], needle: str) -> None:
    with pytest.raises(ValueError, match="File profile") as info:
        FileProfile.from_json(data)
    assert needle in str(info.value)


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------


def test_csv_utf8_plain_exact_bytes(tmp_path: Path) -> None:
    profile = FileProfile(columns=COLUMNS)
    rows = [line(0), {**line(1), "note": 'Ghi chú, có "ngoặc"'}]
    n, digest = write_csv(tmp_path / "a.csv", profile, rows)
    data = (tmp_path / "a.csv").read_bytes()
    assert n == 2
    assert digest == hashlib.sha256(data).hexdigest()
    assert data.decode("utf-8") == (
        "Mã thanh toán,Họ và tên,Số tài khoản,Số tiền,Ngày chi,Ghi chú\r\n"
        "0820261200000000000117,Nguyễn Thị Hồng Ánh,001000000,3500000,05/12/2026,"
        "Lương hưu T12/2026\r\n"
        "0820261200000000010117,Trần Văn Đức,001000001,3501000,05/12/2026,"
        '"Ghi chú, có ""ngoặc"""\r\n'
    )
    assert not list(tmp_path.glob(".*.tmp"))


def test_csv_dotted_amounts_utf8_sig_semicolon(tmp_path: Path) -> None:
    profile = FileProfile(
        columns=COLUMNS,
        encoding="utf-8-sig",
        delimiter=";",
        amount_format="dotted",
        date_format="%Y%m%d",
    )
    n, _ = write_csv(tmp_path / "b.csv", profile, [line(0), {**line(2), "amount": 12_345_678_900}])
    assert n == 2
    data = (tmp_path / "b.csv").read_bytes()
    assert data.startswith(codecs.BOM_UTF8) and data.count(codecs.BOM_UTF8) == 1
    rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline=""), delimiter=";"))
    assert rows[1][3] == "3.500.000" and rows[1][4] == "20261205"
    assert rows[2][3] == "12.345.678.900"
    # The project's own reader understands the file (BOM, delimiter, Vietnamese).
    grid = read_grid(tmp_path / "b.csv")
    assert grid.rows[0][1] == "Họ và tên"
    assert grid.rows[1][1] == NAMES[0]


def test_csv_cp1258_round_trips_every_vietnamese_letter(tmp_path: Path) -> None:
    profile = FileProfile(columns=(("Họ và tên", "name"), ("Số tiền", "amount")), encoding="cp1258")
    words = [VIETNAMESE, VIETNAMESE.upper(), *NAMES]
    n, digest = write_csv(
        tmp_path / "c.csv",
        profile,
        [{"name": w, "amount": 1000 * (i + 1)} for i, w in enumerate(words)],
    )
    data = (tmp_path / "c.csv").read_bytes()
    assert n == len(words) and digest == hashlib.sha256(data).hexdigest()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really Windows-1258, not UTF-8
    text = unicodedata.normalize("NFC", data.decode("cp1258"))
    assert text.splitlines()[0] == "Họ và tên,Số tiền"
    assert [r[0] for r in csv.reader(io.StringIO(text))][1:] == words
    # "ễ" is written as "ê" + combining tilde, as Windows does (decomposed tone marks).
    assert "ê\u0303".encode("cp1258") in data
    grid = read_grid(tmp_path / "c.csv")
    assert [r[0] for r in grid.rows[1:]] == words


def test_csv_cp1258_unencodable_character_names_row_and_field(tmp_path: Path) -> None:
    profile = FileProfile(columns=COLUMNS, encoding="cp1258")
    rows = [line(i) for i in range(30000)]  # several chunks: the error is in a later one
    rows[20000] = {**rows[20000], "note": "Người nhận: 王小明"}
    with pytest.raises(ValueError, match=r"Row 20001, field 'note' \(column 'Ghi chú'\)") as info:
        write_csv(tmp_path / "d.csv", profile, rows)
    assert "U+738B" in str(info.value) and "cp1258" in str(info.value)
    assert not (tmp_path / "d.csv").exists()
    assert not list(tmp_path.iterdir())  # temporary file removed
    with pytest.raises(ValueError, match="Header, field 'name'"):
        write_csv(tmp_path / "e.csv", FileProfile(columns=(("名", "name"),), encoding="cp1258"), [])


def test_csv_is_deterministic_and_streams_many_chunks(tmp_path: Path) -> None:
    profile = FileProfile(columns=COLUMNS, amount_format="dotted")
    rows = [line(i) for i in range(25000)]
    n1, sha1 = write_csv(tmp_path / "x.csv", profile, rows)
    n2, sha2 = write_csv(tmp_path / "y.csv", profile, iter(rows))
    assert n1 == n2 == 25000
    assert sha1 == sha2 == sha(tmp_path / "x.csv") == sha(tmp_path / "y.csv")
    assert (tmp_path / "x.csv").stat().st_size > 2 * (1 << 20)  # more than one chunk
    lines = (tmp_path / "x.csv").read_bytes().split(b"\r\n")
    assert len(lines) == 25002 and lines[-1] == b""
    assert b"\n" not in b"".join(lines)  # every line ends with \r\n
    other, _ = write_csv(tmp_path / "z.csv", FileProfile(columns=COLUMNS, header=False), rows)
    assert other == 25000 and len((tmp_path / "z.csv").read_bytes().split(b"\r\n")) == 25001


def test_csv_field_errors(tmp_path: Path) -> None:
    profile = FileProfile(columns=COLUMNS)
    rows: list[Mapping[str, object]] = [
        line(0),
        {k: v for k, v in line(1).items() if k != "account"},
    ]
    with pytest.raises(ValueError, match=r"Row 2: missing field\(s\) 'account'"):
        write_csv(tmp_path / "f.csv", profile, rows)
    for bad in (3500000.5, True, b"x"):
        with pytest.raises(
            ValueError, match=r"Row 1, field 'amount' \(column 'Số tiền'\): unsupported"
        ):
            write_csv(tmp_path / "f.csv", profile, [{**line(0), "amount": bad}])
    with pytest.raises(ValueError, match="Row 1: expected a mapping"):
        write_csv(tmp_path / "f.csv", profile, [["a", "b"]])  # type: ignore[list-item]
    assert not list(tmp_path.iterdir())

    class Channel(enum.StrEnum):
        CASH = "CASH_HOME"

    class Amount(enum.IntEnum):
        BASE = 2_340_000

    write_csv(
        tmp_path / "h.csv",
        FileProfile(columns=(("A", "a"), ("B", "b"))),
        [{"a": Channel.CASH, "b": Amount.BASE}],
    )
    assert (tmp_path / "h.csv").read_bytes() == b"A,B\r\nCASH_HOME,2340000\r\n"
    parts = write_xlsx_parts(
        tmp_path,
        "h",
        FileProfile(columns=(("A", "a"), ("B", "b"))),
        [{"a": Channel.CASH, "b": Amount.BASE}],
    )
    ws = openpyxl.load_workbook(parts[0][0]).active
    assert [c.value for c in ws[2]] == ["CASH_HOME", 2_340_000]
    single = FileProfile(columns=(("Số tiền", "amount"),), amount_format="dotted")
    write_csv(tmp_path / "g.csv", single, [{"amount": 1500000}, {"amount": None}])
    # csv quotes a lone empty field so that the line is not blank.
    assert (tmp_path / "g.csv").read_bytes() == 'Số tiền\r\n1.500.000\r\n""\r\n'.encode()


# --------------------------------------------------------------------------------------------
# XLSX parts
# --------------------------------------------------------------------------------------------


def test_xlsx_parts_split_with_header_counted(tmp_path: Path) -> None:
    profile = FileProfile(columns=COLUMNS)
    rows = [line(i) for i in range(9)]
    parts = write_xlsx_parts(tmp_path, "lo_0001", profile, rows, max_rows=5)
    assert [(p.name, n) for p, n, _ in parts] == [
        ("lo_0001_part1.xlsx", 4),
        ("lo_0001_part2.xlsx", 4),
        ("lo_0001_part3.xlsx", 1),
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [p.name for p, _, _ in parts]
    seen: list[str] = []
    for path, count, digest in parts:
        assert digest == sha(path)
        ws = openpyxl.load_workbook(path).active
        values = list(ws.iter_rows(values_only=True))
        assert values[0] == tuple(h for h, _ in COLUMNS)
        assert len(values) == count + 1 <= 5
        for r, v in enumerate(values[1:], start=2):
            assert isinstance(v[3], int)
            assert ws.cell(r, 4).number_format == "#,##0"
            assert v[4] == datetime(2026, 12, 5)
            assert ws.cell(r, 5).number_format == "dd/mm/yyyy"
            assert isinstance(v[2], str) and v[2].startswith("00")  # text keeps its zeros
            seen.append(str(v[0]))
    assert seen == [str(line(i)["reference"]) for i in range(9)]


def test_xlsx_parts_deterministic_bytes(tmp_path: Path) -> None:
    profile = FileProfile(columns=COLUMNS)
    rows = [line(i) for i in range(9)]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = write_xlsx_parts(tmp_path / "a", "f", profile, rows, max_rows=5)
    b = write_xlsx_parts(tmp_path / "b", "f", profile, iter(rows), max_rows=5)
    assert [d for _, _, d in a] == [d for _, _, d in b]
    assert len({d for _, _, d in a}) == 3


def test_xlsx_single_part_exact_multiple_and_empty(tmp_path: Path) -> None:
    profile = FileProfile(columns=COLUMNS)
    one = write_xlsx_parts(tmp_path, "one", profile, [line(i) for i in range(4)], max_rows=5)
    assert [(p.name, n) for p, n, _ in one] == [("one.xlsx", 4)]
    two = write_xlsx_parts(tmp_path, "two", profile, [line(i) for i in range(8)], max_rows=5)
    assert [(p.name, n) for p, n, _ in two] == [("two_part1.xlsx", 4), ("two_part2.xlsx", 4)]
    empty = write_xlsx_parts(tmp_path, "empty", profile, [])
    assert [(p.name, n) for p, n, _ in empty] == [("empty.xlsx", 0)]
    ws = openpyxl.load_workbook(empty[0][0]).active
    assert [list(r) for r in ws.iter_rows(values_only=True)] == [[h for h, _ in COLUMNS]]
    bare = write_xlsx_parts(
        tmp_path,
        "bare",
        FileProfile(columns=COLUMNS, header=False),
        [line(i) for i in range(9)],
        max_rows=5,
    )
    assert [n for _, n, _ in bare] == [5, 4]
    assert not list(tmp_path.glob(".*"))


def test_xlsx_parts_errors(tmp_path: Path) -> None:
    profile = FileProfile(columns=COLUMNS)
    with pytest.raises(ValueError, match="no room"):
        write_xlsx_parts(tmp_path, "f", profile, [], max_rows=1)
    with pytest.raises(ValueError, match="max_rows"):
        write_xlsx_parts(tmp_path, "f", profile, [], max_rows=XLSX_MAX_ROWS + 1)
    with pytest.raises(ValueError, match="stem"):
        write_xlsx_parts(tmp_path, "../f", profile, [])
    rows = [line(i) for i in range(7)] + [{**line(7), "amount": 1.5}]
    with pytest.raises(ValueError, match=r"Row 8, field 'amount' \(column 'Số tiền'\)"):
        write_xlsx_parts(tmp_path, "f", profile, rows, max_rows=3)
    with pytest.raises(ValueError, match=r"Row 1: missing field\(s\) 'note'"):
        write_xlsx_parts(
            tmp_path, "f", profile, [{k: v for k, v in line(0).items() if k != "note"}]
        )
    assert not list(tmp_path.iterdir())  # no part left behind


# --------------------------------------------------------------------------------------------
# Cash lists
# --------------------------------------------------------------------------------------------

HEADER = CashListHeader(
    authority="BẢO HIỂM XÃ HỘI TỈNH TUYÊN QUANG",
    title="DANH SÁCH CHI TRẢ LƯƠNG HƯU, TRỢ CẤP BHXH BẰNG TIỀN MẶT",
    subtitle="Tháng 12/2026 — Điểm chi trả: Xã An Tường",
    batch_reference="LO-08-202612-0007",
    printed_on=date(2026, 12, 3),
)


def cash_rows(n: int) -> list[CashRow]:
    return [
        CashRow(
            reference=f"08202612{i:010d}0117",
            full_name=NAMES[i % len(NAMES)],
            id_masked=f"0080****{i:04d}",
            address=f"Thôn Ỷ La {i}, Xã An Tường, tỉnh Tuyên Quang",
            benefit="Lương hưu" if i % 3 else "Trợ cấp tuất hằng tháng",
            period="12/2026" if i % 4 else "10/2026–12/2026",
            amount=3_500_000 + i * 1000,
            payee=NAMES[(i + 1) % len(NAMES)] if i % 5 == 0 else NAMES[i % len(NAMES)],
        )
        for i in range(n)
    ]


def test_cash_list_pdf(tmp_path: Path) -> None:
    rows = cash_rows(60)
    n, total, digest = write_cash_list_pdf(tmp_path / "a.pdf", HEADER, rows)
    data = (tmp_path / "a.pdf").read_bytes()
    assert n == 60 and total == sum(r.amount for r in rows)
    assert data.startswith(b"%PDF") and digest == hashlib.sha256(data).hexdigest()
    assert b"NotoSerif" in data and b"/FontFile2" in data  # Noto Serif embedded
    assert len(re.findall(rb"/Type /Page(?!s)", data)) >= 3  # several pages
    # Same input, same bytes (ReportLab invariant mode), whatever the file name.
    assert write_cash_list_pdf(tmp_path / "b.pdf", HEADER, iter(rows))[2] == digest
    other = write_cash_list_pdf(tmp_path / "c.pdf", HEADER, rows[:-1])
    assert other[:2] == (59, total - rows[-1].amount) and other[2] != digest
    assert not list(tmp_path.glob(".*"))


def test_cash_list_pdf_text(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    write_cash_list_pdf(tmp_path / "a.pdf", HEADER, cash_rows(30))
    reader = pypdf.PdfReader(str(tmp_path / "a.pdf"))
    first = unicodedata.normalize("NFC", reader.pages[0].extract_text())
    last = unicodedata.normalize("NFC", reader.pages[-1].extract_text())
    assert "Nguyễn Thị Hồng Ánh" in first and "Ký nhận" in first
    assert f"Trang 1/{len(reader.pages)}" in first
    assert "Tổng cộng" in last and "Người lập biểu" in last


def test_noto_serif_covers_vietnamese() -> None:
    from reportlab.pdfbase import pdfmetrics

    from chitra.engine.render.pdf import pdf_fonts

    fonts = pdf_fonts()
    face = pdfmetrics.getFont(fonts.regular).face
    letters = VIETNAMESE + VIETNAMESE.upper() + "–—"
    assert [ch for ch in letters if ord(ch) not in face.charToGlyph] == []


def test_cash_list_pdf_empty_and_labels(tmp_path: Path) -> None:
    labels = {"signature": "Chữ ký", "total": "Cộng"}
    n, total, _ = write_cash_list_pdf(tmp_path / "e.pdf", HEADER, [], labels=labels)
    assert (n, total) == (0, 0)
    assert (tmp_path / "e.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(ValueError, match=r"Row 1 .*whole number of đồng"):
        bad = CashRow("r", "A", "x", "a", "b", "12/2026", 1.5, "A")  # type: ignore[arg-type]
        write_cash_list_pdf(tmp_path / "f.pdf", HEADER, [bad])
    assert not (tmp_path / "f.pdf").exists()


def test_cash_list_xlsx(tmp_path: Path) -> None:
    rows = cash_rows(12)
    n, total, digest = write_cash_list_xlsx(tmp_path / "a.xlsx", HEADER, rows)
    assert n == 12 and total == sum(r.amount for r in rows)
    assert digest == sha(tmp_path / "a.xlsx")
    assert write_cash_list_xlsx(tmp_path / "b.xlsx", HEADER, iter(rows))[2] == digest
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx").active
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    assert values[0][0] == HEADER.authority and values[0][5] == CASH_LABELS_VI["motto"]
    assert values[1][0] == "Mã lô: LO-08-202612-0007"
    assert values[1][5] == "Độc lập - Tự do - Hạnh phúc"
    assert values[3][0] == HEADER.title and values[4][0] == HEADER.subtitle
    assert values[6] == [
        "STT",
        "Mã thanh toán",
        "Họ và tên",
        "Số định danh",
        "Địa chỉ",
        "Chế độ",
        "Kỳ",
        "Số tiền (đồng)",
        "Người nhận",
        "Ký nhận",
    ]
    first = values[7]
    assert first[:3] == [1, rows[0].reference, "Nguyễn Thị Hồng Ánh"]
    assert first[7] == 3_500_000 and first[9] is None
    assert ws.cell(8, 8).number_format == "#,##0"
    assert values[18][0] == 12
    total_row = values[19]
    assert total_row[0] == "Tổng cộng: 12 người" and total_row[7] == total
    flat = [v for r in values[20:] for v in r if v is not None]
    assert flat == [
        "Số tiền bằng chữ: " + amount_in_words(total),
        "Ngày 03 tháng 12 năm 2026",
        "Người lập biểu",
        "Kế toán",
        "Giám đốc",
        "(Ký, ghi rõ họ tên)",
        "(Ký, ghi rõ họ tên)",
        "(Ký, ghi rõ họ tên)",
    ]
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$7:$7"
    assert 24 <= ws.row_dimensions[8].height < 32  # room to sign, denser than before


def test_cash_list_xlsx_date_line_names_the_place(tmp_path: Path) -> None:
    header = dataclasses.replace(HEADER, place="Tuyên Quang")
    write_cash_list_xlsx(tmp_path / "a.xlsx", header, cash_rows(2))
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx").active
    flat = [v for r in ws.iter_rows(values_only=True) for v in r if v is not None]
    assert "Tuyên Quang, ngày 03 tháng 12 năm 2026" in flat
    assert "Số tiền bằng chữ: Bảy triệu không trăm linh một nghìn đồng." in flat  # 7.001.000


@pytest.mark.parametrize("n", [1, 3, 4, 17, 18, 19, 20, 21, 38, 39, 40, 41, 60, 200])
def test_cash_list_pdf_signatures_stay_with_the_last_rows(tmp_path: Path, n: int) -> None:
    """Whatever the number of people, the signature block is printed on the page of the last
    rows (at least KEPT_WITH_SIGNATURES of them, or all of a shorter list), never alone."""
    placed: dict[str, Any] = {}
    write_cash_list_pdf(tmp_path / "a.pdf", HEADER, cash_rows(n), placed=placed)
    by_page = placed["rows_per_page"]
    assert sum(by_page.values()) == n
    assert placed["signatures_page"] == placed["pages"] == max(by_page)
    assert by_page[placed["pages"]] >= min(n, KEPT_WITH_SIGNATURES)


def test_cash_list_pdf_is_denser(tmp_path: Path) -> None:
    """About 21 people on a full page (two-line addresses), 17 on the first under the heading:
    200 people on 10 pages (14 with the former 9 pt layout)."""
    placed: dict[str, Any] = {}
    write_cash_list_pdf(tmp_path / "a.pdf", HEADER, cash_rows(200), placed=placed)
    assert placed["rows_per_page"][2] >= 20 and placed["rows_per_page"][1] >= 16
    assert placed["pages"] <= 10


# --------------------------------------------------------------------------------------------
# Result files
# --------------------------------------------------------------------------------------------


def test_result_csv_vietnamese_headers_and_title(tmp_path: Path) -> None:
    tail = [["", "", "", "10.500.000", "Tổng cộng"], ["", "", "", "", ""]]
    path = write_rows_csv(tmp_path / "kq.csv", [*VI_RESULT_HEAD, *tail])
    rows, issues = read_result_table(path)
    assert issues == []
    assert rows == VI_RESULT_ROWS


def test_result_csv_cp1258_english_headers(tmp_path: Path) -> None:
    profile = FileProfile(
        columns=(
            ("EndToEndId", "ref"),
            ("Status", "st"),
            ("Status_Reason_Code", "rc"),
            ("Amount", "amt"),
        ),
        encoding="cp1258",
        delimiter=";",
    )
    write_csv(
        tmp_path / "r.csv",
        profile,
        [
            {"ref": "A1", "st": "Đã chi trả", "rc": None, "amt": 2_000_000},
            {"ref": "A2", "st": "Từ chối", "rc": "AC06", "amt": 2_000_000},
            {"ref": "A3", "st": "paid", "rc": None, "amt": None},
        ],
    )
    rows, issues = read_result_table(tmp_path / "r.csv")
    assert issues == []
    assert [(r.row, r.reference, r.status, r.reason_code, r.amount) for r in rows] == [
        (2, "A1", "succ", "", 2_000_000),
        (3, "A2", "rjct", "AC06", 2_000_000),
        (4, "A3", "succ", "", None),
    ]


def test_result_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "kq.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Kết quả")
    ws.write(0, 0, "NGÂN HÀNG TMCP NGOẠI THƯƠNG")
    header = ["STT", "Reference_ID", "Kết quả", "Reason code", "Amount", "Note"]
    for c, h in enumerate(header):
        ws.write(2, c, h)
    data: list[list[object]] = [
        [1, "0820261200000000010117", "SUCCESS", None, 3500000, None],
        [2, 820261200000000020117, "Rejected", "AC04", 3500000.0, "Closed account"],
        [3, "0820261200000000030117", "OK", None, None, None],
    ]
    for r, row in enumerate(data, start=3):
        for c, v in enumerate(row):
            if v is not None:
                ws.write(r, c, v)
    wb.close()
    rows, issues = read_result_table(path)
    assert issues == []
    assert [(r.row, r.status, r.reason_code, r.amount, r.note) for r in rows] == [
        (4, "succ", "", 3_500_000, ""),
        (5, "rjct", "AC04", 3_500_000, "Closed account"),
        (6, "succ", "", None, ""),
    ]
    assert rows[0].reference == "0820261200000000010117"
    assert rows[1].reference.isdigit()  # a number cell becomes its digits


def test_result_issues_name_row_column_value(tmp_path: Path) -> None:
    path = write_rows_csv(
        tmp_path / "kq.csv",
        [
            ["Mã thanh toán", "Trạng thái", "Mã lý do", "Số tiền"],
            ["R1", "Đang xử lý", "", "3.500.000"],
            ["R2", "succ", "", "3.500.000,5"],
            ["R3", "???", "", "abc"],
            ["", "succ", "", "100"],
            ["R5", "", "", ""],
            ["R6", "rjct", "AC01", "-5"],
            ["R7", "succ", "", "1.000"],
        ],
    )
    rows, issues = read_result_table(path)
    assert rows == [ResultRow(8, "R7", "succ", "", 1000)]
    assert issues == [
        ResultIssue(2, "Trạng thái", "Đang xử lý", "succ or rjct"),
        ResultIssue(3, "Số tiền", "3.500.000,5", "a whole number of đồng"),
        ResultIssue(4, "Trạng thái", "???", "succ or rjct"),
        ResultIssue(4, "Số tiền", "abc", "a whole number of đồng"),
        ResultIssue(5, "Mã thanh toán", "", "a payment reference"),
        ResultIssue(6, "Trạng thái", "", "succ or rjct"),
        ResultIssue(7, "Số tiền", "-5", "a whole number of đồng"),
    ]
    # each carries the code its message is rendered from (never read back from the text)
    assert [i.code for i in issues] == [
        "result_status_invalid",
        "amount_fraction",
        "result_status_invalid",
        "amount_fraction",
        "result_reference_missing",
        "result_status_invalid",
        "amount_fraction",
    ]
    # Every data row is accounted for.
    assert sorted({i.row for i in issues} | {r.row for r in rows}) == list(range(2, 9))


def test_result_fractional_amount_in_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["reference", "status", "reason", "so tien"])
    ws.write_row(1, 0, ["R1", "succ", "", 3500000.5])
    wb.close()
    rows, issues = read_result_table(path)
    assert rows == []
    assert issues == [ResultIssue(2, "so tien", "3500000.5", "a whole number of đồng")]


def test_result_missing_columns(tmp_path: Path) -> None:
    path = write_rows_csv(
        tmp_path / "m.csv",
        [
            ["Mã thanh toán", "Số tiền", "Ghi chú"],
            ["R1", "100", ""],
        ],
    )
    with pytest.raises(ResultFileError) as info:
        read_result_table(path)
    message = str(info.value)
    assert "missing column(s) status" in message and "'Trạng thái'" in message
    assert "reference" not in message.split("Columns found")[0].split("missing")[1]
    assert "'Mã thanh toán'" in message.split("Columns found")[1]
    assert isinstance(info.value, ValueError) and isinstance(info.value, TableReadError)
    assert info.value.message == message

    path = write_rows_csv(tmp_path / "n.csv", [["a", "b"], ["1", "2"]])
    with pytest.raises(ResultFileError, match=r"missing column\(s\) reference .*; status"):
        read_result_table(path)


def test_result_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(ResultFileError, match="unsupported file type"):
        read_result_table(tmp_path / "x.pdf")
    with pytest.raises(ResultFileError, match="does not exist"):
        read_result_table(tmp_path / "missing.csv")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(ResultFileError, match="is empty") as info:  # one clear line
        read_result_table(tmp_path / "empty.csv")
    assert info.value.code == "file_empty"
