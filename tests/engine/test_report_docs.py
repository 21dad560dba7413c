"""Tests for chitra.engine.documents.report: administrative-layout reports as XLSX and PDF."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from chitra.engine.documents.report import (
    MOTTO,
    MOTTO_SUB,
    ReportDoc,
    Table,
    Text,
    vn_date_line,
    write_report_pdf,
    write_report_xlsx,
)

HEADERS = (
    "STT",
    "Đơn vị",
    "Số người hưởng",
    "Số người nhận qua tài khoản",
    "Tỷ lệ",
    "Số tiền (đồng)",
)


def units_table(n: int = 5) -> Table:
    rows = tuple(
        (i + 1, f"Xã Yên Sơn {i + 1}", 1_234_567 + i, 645_600 + i, 52.3, 3_500_000_000 + i)
        for i in range(n)
    )
    total = (
        None,
        "Tổng cộng",
        sum(r[2] for r in rows),
        sum(r[3] for r in rows),
        52.3,
        sum(r[5] for r in rows),
    )
    return Table(
        title="Bảng 1. Kết quả chi trả theo đơn vị",
        headers=HEADERS,
        rows=rows,
        total_row=total,
        note="Số liệu tính đến hết ngày 27/11/2026.",
    )


def wide_table() -> Table:
    return Table(
        title="Bảng 2. Chi tiết theo chế độ",
        headers=("Chế độ", *(f"Tuần {w}" for w in range(41, 49))),
        rows=tuple((f"Chế độ {r}", *range(r, r + 8)) for r in range(4)),
        kinds=("text", *["money"] * 8),
    )


def make_doc(*tables: Table, **changes: object) -> ReportDoc:
    fields: dict[str, object] = {
        "superior_body": "BẢO HIỂM XÃ HỘI VIỆT NAM",
        "issuing_body": "BẢO HIỂM XÃ HỘI TỈNH TUYÊN QUANG",
        "number": "Số: 15/BC-BHXH",
        "place_date": vn_date_line("Tuyên Quang", date(2026, 11, 27)),
        "doc_type": "BÁO CÁO",
        "title": "Kết quả thực hiện chi trả không dùng tiền mặt tuần 48/2026",
        "subtitle": "(Từ ngày 23/11/2026 đến ngày 29/11/2026)",
        "paragraphs": (
            "Bảo hiểm xã hội tỉnh Tuyên Quang báo cáo kết quả thực hiện chi trả "
            "lương hưu, trợ cấp bảo hiểm xã hội không dùng tiền mặt như sau:",
        ),
        "tables": tables or (units_table(),),
        "closing": ("Trên đây là báo cáo kết quả thực hiện tuần 48/2026./.",),
        "recipients": (
            "Bảo hiểm xã hội Việt Nam (để b/c);",
            "- UBND tỉnh (để b/c);",
            "Lưu: VT, KHTC.",
        ),
        "signer_authority": ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
        "signer_name": "Nguyễn Văn An",
    }
    fields.update(changes)
    return ReportDoc(**fields)  # type: ignore[arg-type]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cells(ws: object) -> dict[object, list[object]]:
    """Every non-empty cell value -> its openpyxl cells."""
    out: dict[object, list[object]] = {}
    for row in ws.iter_rows():  # type: ignore[attr-defined]
        for cell in row:
            if cell.value is not None:
                out.setdefault(cell.value, []).append(cell)
    return out


def page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page(?!s)", data))


def media_box(data: bytes) -> tuple[float, float]:
    m = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert m
    return float(m.group(1)), float(m.group(2))


# --------------------------------------------------------------------------------------------


def test_vn_date_line() -> None:
    assert vn_date_line("Tuyên Quang", date(2026, 12, 5)) == (
        "Tuyên Quang, ngày 05 tháng 12 năm 2026"
    )
    assert vn_date_line("Tuyên Quang", date(2026, 11, 27)) == (
        "Tuyên Quang, ngày 27 tháng 11 năm 2026"
    )
    # Nghị định 30: a leading zero for days below 10 and for months 1 and 2 only.
    assert vn_date_line("Hà Nội", date(2027, 2, 1)) == "Hà Nội, ngày 01 tháng 02 năm 2027"
    assert vn_date_line("Hà Nội", date(2027, 1, 15)) == "Hà Nội, ngày 15 tháng 01 năm 2027"
    assert vn_date_line(" Hà  Nội ", date(2027, 3, 9)) == "Hà Nội, ngày 09 tháng 3 năm 2027"


def test_xlsx_content(tmp_path: Path) -> None:
    doc = make_doc()
    digest = write_report_xlsx(tmp_path / "r.xlsx", doc)
    assert digest == sha(tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames == ["Báo cáo"]
    ws = wb["Báo cáo"]
    found = cells(ws)
    for text in (
        MOTTO,
        MOTTO_SUB,
        "BẢO HIỂM XÃ HỘI VIỆT NAM",
        "BẢO HIỂM XÃ HỘI TỈNH TUYÊN QUANG",
        "Số: 15/BC-BHXH",
        "Tuyên Quang, ngày 27 tháng 11 năm 2026",
        "BÁO CÁO",
        doc.title,
        doc.subtitle,
        doc.paragraphs[0],
        doc.closing[0],
        "Bảng 1. Kết quả chi trả theo đơn vị",
        "Số người nhận qua tài khoản",
        "Số liệu tính đến hết ngày 27/11/2026.",
        "Nơi nhận:",
        "- Bảo hiểm xã hội Việt Nam (để b/c);",
        "- UBND tỉnh (để b/c);",
        "- Lưu: VT, KHTC.",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Văn An",
    ):
        assert text in found, text
    # Header blocks are merged cells; the motto and the issuing body are bold.
    motto = found[MOTTO][0]
    assert any(motto.coordinate in rng for rng in ws.merged_cells.ranges)  # type: ignore[attr-defined]
    assert motto.font.b and found["BẢO HIỂM XÃ HỘI TỈNH TUYÊN QUANG"][0].font.b  # type: ignore[attr-defined]
    assert motto.font.name == "Times New Roman" and motto.font.sz == 12  # type: ignore[attr-defined]
    assert found[doc.paragraphs[0]][0].font.sz == 13  # type: ignore[attr-defined]
    assert found[MOTTO_SUB][0].font.u  # type: ignore[attr-defined]
    assert found["Tuyên Quang, ngày 27 tháng 11 năm 2026"][0].font.i  # type: ignore[attr-defined]

    # The table: bold bordered header, numbers as numbers, percent, total row bold.
    head = found["Số người hưởng"][0]
    assert head.font.b and head.border.left.style == "thin"  # type: ignore[attr-defined]
    head_row = head.row  # type: ignore[attr-defined]
    first = [c.value for c in ws[head_row + 1]][:6]
    assert first == [1, "Xã Yên Sơn 1", 1_234_567, 645_600, 52.3, 3_500_000_000]
    number = ws.cell(head_row + 1, 3)
    assert isinstance(number.value, int) and number.number_format == "#,##0"
    assert ws.cell(head_row + 1, 6).number_format == "#,##0"
    percent = ws.cell(head_row + 1, 5)
    assert percent.value == pytest.approx(52.3) and "%" in percent.number_format
    assert percent.alignment.horizontal == "right"
    total_row = head_row + 6
    assert ws.cell(total_row, 2).value == "Tổng cộng" and ws.cell(total_row, 2).font.b
    assert ws.cell(total_row, 3).value == sum(1_234_567 + i for i in range(5))
    assert ws.cell(total_row, 3).font.b and ws.cell(total_row, 3).number_format == "#,##0"
    assert ws.cell(total_row, 6).value == sum(3_500_000_000 + i for i in range(5))
    assert ws.cell(total_row, 1).value is None and ws.cell(total_row, 1).border.left.style
    # Recipients left, signature right, on the same rows.
    recv = found["Nơi nhận:"][0]
    sign = found["KT. GIÁM ĐỐC"][0]
    assert recv.row == sign.row and recv.column < sign.column  # type: ignore[attr-defined]
    assert found["Nguyễn Văn An"][0].row > sign.row + 3  # type: ignore[attr-defined]
    # A4 portrait (six columns), one page wide; a short table repeats no header row.
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows is None
    assert "Trang &P/&N" in ws.oddFooter.center.text
    assert not list(tmp_path.glob(".*"))


def test_xlsx_deterministic(tmp_path: Path) -> None:
    doc = make_doc()
    first = write_report_xlsx(tmp_path / "a.xlsx", doc)
    assert write_report_xlsx(tmp_path / "b.xlsx", make_doc()) == first
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    other = write_report_xlsx(tmp_path / "c.xlsx", make_doc(signer_name="Trần Thị Bình"))
    assert other != first


def test_xlsx_landscape_and_print_titles(tmp_path: Path) -> None:
    write_report_xlsx(tmp_path / "w.xlsx", make_doc(units_table(40), wide_table()))
    ws = openpyxl.load_workbook(tmp_path / "w.xlsx")["Báo cáo"]
    assert ws.page_setup.orientation == "landscape"
    found = cells(ws)
    head = found["Tuần 48"][0]
    assert head.column == 9 and head.font.b  # type: ignore[attr-defined]
    money = ws.cell(head.row + 1, 9)  # type: ignore[attr-defined]
    assert money.value == 7 and money.number_format == "#,##0"
    # The long table's header row is printed on every page.
    units_head = found["Số người hưởng"][0].row  # type: ignore[attr-defined]
    assert ws.print_title_rows.replace("$", "") == f"{units_head}:{units_head}"


def test_pdf(tmp_path: Path) -> None:
    doc = make_doc()
    digest = write_report_pdf(tmp_path / "r.pdf", doc)
    data = (tmp_path / "r.pdf").read_bytes()
    assert data.startswith(b"%PDF") and digest == hashlib.sha256(data).hexdigest()
    assert b"NotoSerif" in data and b"/FontFile2" in data  # Noto Serif embedded
    assert page_count(data) == 1
    width, height = media_box(data)
    assert width < height  # portrait
    assert write_report_pdf(tmp_path / "b.pdf", make_doc()) == digest  # same bytes
    assert write_report_pdf(tmp_path / "c.pdf", make_doc(number="Số: 16/BC-BHXH")) != digest
    assert not list(tmp_path.glob(".*"))


def test_pdf_landscape_multipage(tmp_path: Path) -> None:
    doc = make_doc(units_table(300), wide_table())
    digest = write_report_pdf(tmp_path / "long.pdf", doc)
    data = (tmp_path / "long.pdf").read_bytes()
    assert page_count(data) >= 5
    width, height = media_box(data)
    assert width > height  # landscape: a table has 9 columns
    assert write_report_pdf(tmp_path / "long2.pdf", doc) == digest
    portrait = make_doc(units_table(300))
    write_report_pdf(tmp_path / "p.pdf", portrait)
    pdata = (tmp_path / "p.pdf").read_bytes()
    assert page_count(pdata) >= 5 and media_box(pdata)[0] < media_box(pdata)[1]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_text(tmp_path: Path) -> None:
    write_report_pdf(tmp_path / "r.pdf", make_doc(units_table(300)))
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    text = unicodedata.normalize("NFC", text)
    pages = text.split("\f")
    first, last = pages[0], [p for p in pages if p.strip()][-1]
    for expected in (
        MOTTO,
        MOTTO_SUB,
        "Số: 15/BC-BHXH",
        "ngày 27 tháng 11 năm 2026",
        "BÁO CÁO",
        "Tỷ lệ",
        "Xã Yên Sơn 1 ",
        "1.234.567",
        "52,3 %",
        "3.500.000.000",
    ):
        assert expected in first, expected
    assert re.search(r"^\s*2\s*$", pages[1], re.M)  # page number at the top of page 2
    assert "Tỷ lệ" in pages[1]  # header row repeated
    for expected in ("Tổng cộng", "Nơi nhận:", "- Lưu: VT, KHTC.", "KT. GIÁM ĐỐC", "Nguyễn Văn An"):
        assert expected in last, expected


def test_kinds_guessed_and_rendered(tmp_path: Path) -> None:
    table = Table(
        "T", ("Mã", "Số", "Tỷ lệ", "Ghi chú"), [["01", 5, 12.0, None], ["02", None, 100, "x"]]
    )
    assert table.column_kinds == ("text", "int", "percent", "text")
    assert table.rows[1] == ("02", None, 100, "x")  # lists stored as tuples
    explicit = Table("T", ("Mã", "Số"), (("a", 1),), kinds=("text", "text"))
    write_report_xlsx(tmp_path / "k.xlsx", make_doc(table, explicit))
    ws = openpyxl.load_workbook(tmp_path / "k.xlsx")["Báo cáo"]
    found = cells(ws)
    assert "%" in found[12.0][0].number_format  # type: ignore[attr-defined]
    assert "%" in found[100][0].number_format  # type: ignore[attr-defined]
    assert "1" in found  # a number in a "text" column is written as text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rows": (("a", 1),)}, r"row 1: 2 values for 3 columns"),
        ({"rows": (("a", True, 1),)}, r"row 1, column 'B': unsupported value True"),
        ({"rows": (("a", float("nan"), 1),)}, r"column 'B': the number nan"),
        ({"rows": (("a", date(2026, 1, 1), 1),)}, r"unsupported value"),
        ({"rows": (), "kinds": ("text", "int")}, r"2 kinds for 3 columns"),
        ({"rows": (), "kinds": ("text", "int", "date")}, r"unknown column kind"),
        ({"rows": (), "total_row": ("x",)}, r"total row: 1 values for 3 columns"),
        ({"rows": (), "headers": ()}, r"at least one column header"),
    ],
)
def test_table_validation(kwargs: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {"title": "T", "headers": ("A", "B", "C")}
    fields.update(kwargs)
    with pytest.raises(ValueError, match=message):
        Table(**fields)  # type: ignore[arg-type]


def test_failed_write_leaves_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir" / "r.pdf"
    with pytest.raises(OSError):
        write_report_pdf(missing, make_doc())
    with pytest.raises(Exception):  # xlsxwriter.exceptions.FileCreateError
        write_report_xlsx(missing.with_suffix(".xlsx"), make_doc())
    assert list(tmp_path.iterdir()) == []


def test_minimal_doc(tmp_path: Path) -> None:
    doc = ReportDoc(
        superior_body="",
        issuing_body="BẢO HIỂM XÃ HỘI TỈNH TUYÊN QUANG",
        number="Số: 1/BC-BHXH",
        place_date="Tuyên Quang, ngày 01 tháng 01 năm 2027",
        doc_type="BÁO CÁO",
        title="Tình hình chi trả",
    )
    assert write_report_pdf(tmp_path / "m.pdf", doc)
    assert write_report_xlsx(tmp_path / "m.xlsx", doc)
    found = cells(openpyxl.load_workbook(tmp_path / "m.xlsx")["Báo cáo"])
    assert "GIÁM ĐỐC" in found and "Nơi nhận:" not in found


def test_sections_told_in_words_keep_their_place(tmp_path: Path) -> None:
    """A section without data is a Text in the table's place: title, then the sentence, in
    the order of the sections, in the xlsx and the PDF."""
    words = Text("2. Kết quả xác thực", "Đến cuối tháng 11/2026 chưa thực hiện đối chiếu.")
    doc = make_doc(units_table(2), words, Text("3. Vận động", "Chưa lập danh sách vận động."))
    write_report_xlsx(tmp_path / "t.xlsx", doc)
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    texts = [str(v) for row in ws.iter_rows(values_only=True) for v in row if v]
    order = [
        texts.index(t)
        for t in (
            "Bảng 1. Kết quả chi trả theo đơn vị",
            "Tổng cộng",
            "2. Kết quả xác thực",
            "Đến cuối tháng 11/2026 chưa thực hiện đối chiếu.",
            "3. Vận động",
            "Chưa lập danh sách vận động.",
            "Trên đây là báo cáo kết quả thực hiện tuần 48/2026./.",
        )
    ]
    assert order == sorted(order)
    digest = write_report_pdf(tmp_path / "t.pdf", doc)
    assert write_report_pdf(tmp_path / "t2.pdf", doc) == digest
    assert not doc.landscape and doc.grids == (doc.tables[0],)
    only_words = make_doc(words)
    write_report_xlsx(tmp_path / "w.xlsx", only_words)
    write_report_pdf(tmp_path / "w.pdf", only_words)
    assert (tmp_path / "w.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(ValueError, match="not a Table or a Text"):
        make_doc("a string")  # type: ignore[arg-type]
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "t.pdf"), "-"], check=True, capture_output=True, text=True
        ).stdout
        text = unicodedata.normalize("NFC", text)
        assert text.index("2. Kết quả xác thực") < text.index("3. Vận động")
