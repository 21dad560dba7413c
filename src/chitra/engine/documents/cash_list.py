"""The cash list of a commune pay point or a home-delivery round, as PDF and as XLSX.

:func:`write_cash_list_pdf` / :func:`write_cash_list_xlsx` print it with a signature column,
totals and a signature block. Whole đồng (``int``); deterministic bytes (the same input gives the
same SHA-256, which the app records). Pure Python, no Django.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as _xml_escape

from chitra.engine.render.files import atomic_path, sha256_file, tmp_for
from chitra.engine.render.pdf import pdf_classes, pdf_fonts, wrap_text
from chitra.engine.render.text import fill_template, one_line, vn_thousands
from chitra.engine.render.xlsx import closed_on_error, new_workbook, sheet_name
from chitra.engine.sheets.cells import XlsxText
from chitra.kernel.vn_numbers import amount_in_words

__all__ = [
    "CASH_LABELS_VI",
    "CashListHeader",
    "CashRow",
    "write_cash_list_pdf",
    "write_cash_list_xlsx",
]


@dataclass(frozen=True)
class CashListHeader:
    """Heading of a cash list."""

    authority: str  # e.g. "BẢO HIỂM XÃ HỘI TỈNH TUYÊN QUANG"
    title: str  # e.g. "DANH SÁCH CHI TRẢ LƯƠNG HƯU, TRỢ CẤP BHXH BẰNG TIỀN MẶT"
    subtitle: str  # e.g. "Tháng 12/2026 — Điểm chi trả: Xã An Tường" or "Chi trả tại nhà"
    batch_reference: str
    printed_on: date
    #: where the list is signed, first in the date line ("Tuyên Quang, ngày 03 tháng 12 năm 2026");
    #: "" prints the date line without a place
    place: str = ""


@dataclass(frozen=True)
class CashRow:
    """One payment of a cash list."""

    reference: str
    full_name: str
    id_masked: str
    address: str
    benefit: str
    period: str  # e.g. "12/2026" or "10/2026–12/2026"
    amount: int
    payee: str  # who receives: the beneficiary or the representative


CASH_LABELS_VI: dict[str, str] = {
    "motto": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "motto_sub": "Độc lập - Tự do - Hạnh phúc",
    "batch": "Mã lô: {reference}",
    "stt": "STT",
    "reference": "Mã thanh toán",
    "full_name": "Họ và tên",
    "id_masked": "Số định danh",
    "address": "Địa chỉ",
    "benefit": "Chế độ",
    "period": "Kỳ",
    "amount": "Số tiền (đồng)",
    "payee": "Người nhận",
    "signature": "Ký nhận",
    "total": "Tổng cộng",
    "total_count": "{count} người",
    "total_words": "Số tiền bằng chữ: {words}",
    "date_line": "Ngày {day:02d} tháng {month:02d} năm {year}",
    "date_line_place": "{place}, ngày {day:02d} tháng {month:02d} năm {year}",
    "prepared_by": "Người lập biểu",
    "accountant": "Kế toán",
    "director": "Giám đốc",
    "sign_hint": "(Ký, ghi rõ họ tên)",
    "page": "Trang {page}/{pages}",
    "sheet": "Danh sách chi trả",
}

_CASH_COLUMNS = (
    "stt",
    "reference",
    "full_name",
    "id_masked",
    "address",
    "benefit",
    "period",
    "amount",
    "payee",
    "signature",
)
# Share of the table width per column (PDF) and Excel widths (characters).
_PDF_SHARES = tuple(w / 785 for w in (22, 99, 104, 66, 118, 66, 50, 68, 100, 92))
_XLSX_WIDTHS = (5, 16, 24, 15, 30, 16, 12, 14, 22, 20)


def _labels(labels: Mapping[str, str]) -> dict[str, str]:
    merged = dict(CASH_LABELS_VI)
    merged.update(labels)
    return merged


def _date_line(labels: Mapping[str, str], d: date, place: str = "") -> str:
    if place.strip():
        return fill_template(
            labels["date_line_place"], place=one_line(place), day=d.day, month=d.month, year=d.year
        )
    return fill_template(labels["date_line"], day=d.day, month=d.month, year=d.year)


def _words_text(labels: Mapping[str, str], total: int) -> str:
    return fill_template(labels["total_words"], words=amount_in_words(total))


def _total_text(labels: Mapping[str, str], count: int) -> str:
    return f"{labels['total']}: {fill_template(labels['total_count'], count=count)}"


# --------------------------------------------------------------------------------------------
# PDF (ReportLab platypus, Noto Serif from fontpkg-noto-serif)
# --------------------------------------------------------------------------------------------


#: the last rows of the list printed on the page of the total and the signature block: the
#: signatures are never alone on a page
KEPT_WITH_SIGNATURES = 3


@functools.lru_cache(maxsize=1)
def _keep_tail_class() -> type:
    """A KeepTogether of the list's last rows, the total and the signature block that, when it
    moves to the next page, puts its own table (with the column headings) in place of the
    rows without headings (ReportLab is imported on first use)."""
    from reportlab.platypus import KeepTogether
    from reportlab.platypus.doctemplate import FrameBreak

    class KeepTail(KeepTogether):  # type: ignore[misc]
        def __init__(self, content: list[Any], on_new_page: list[Any]) -> None:
            super().__init__(content)
            self._on_new_page = on_new_page

        def split(self, aW: float, aH: float) -> list[Any]:
            parts = super().split(aW, aH)
            if parts and isinstance(parts[0], type(FrameBreak)):  # moved to the next frame
                return [parts[0], *self._on_new_page]
            return list(parts)

    return KeepTail


def _placement_recorder(placed: dict[str, Any] | None) -> Any:
    """An afterFlowable hook noting where the blocks of the list went: ``rows_per_page``
    (page → data rows drawn there), ``signatures_page`` and ``pages``."""
    if placed is None:
        return None
    placed.update(rows_per_page={}, signatures_page=None, pages=0)

    def after(doc: Any, flowable: Any) -> None:
        page = doc.page
        placed["pages"] = max(placed["pages"], page)
        if getattr(flowable, "_chitra_block", None) == "signatures":
            placed["signatures_page"] = page
            return
        if len(getattr(flowable, "_colWidths", ())) != len(_CASH_COLUMNS):
            return  # not a part of the list (the parts of a split table are new tables)
        rows = len(flowable._cellvalues) - flowable.repeatRows  # data rows of this part
        by_page = placed["rows_per_page"]
        by_page[page] = by_page.get(page, 0) + rows

    return after


# over the limits: one landscape page layout top to bottom (header blocks, the streamed
# table of thousands of rows as pre-wrapped strings, the last rows kept with the total, the
# amount in words and the signature block); its styles and cell wrapper close over the
# reportlab classes imported inside it
def write_cash_list_pdf(
    path: Path,
    header: CashListHeader,
    rows: Iterable[CashRow],
    *,
    labels: Mapping[str, str] = CASH_LABELS_VI,
    placed: dict[str, Any] | None = None,
) -> tuple[int, int, str]:
    """Print a cash list as a PDF; return (rows, total amount in đồng, SHA-256 hex).

    A4 landscape. Top left the authority and the batch reference, top right the national motto;
    the title and subtitle; a table repeating its header on every page with an empty "Ký nhận"
    column tall enough to sign in (8 pt text, about 23 people a page); a total row (number of
    people and sum) and the sum in words; the place and date line and the signature block
    (Người lập biểu, Kế toán, Giám đốc), kept on the page of the last
    :data:`KEPT_WITH_SIGNATURES` rows. Every page's footer carries the batch reference and
    "Trang x/y". Noto Serif (fontpkg-noto-serif) is embedded, so every Vietnamese letter
    renders. ``labels`` override entries of :data:`CASH_LABELS_VI`; ``placed``, when given, is
    filled with where the rows and the signatures went (see :func:`_placement_recorder`). The
    document is written in ReportLab's invariant mode: the same input gives the same bytes.
    """
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import (
        LongTable,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    path = Path(path)
    lab = _labels(labels)
    fonts = pdf_fonts()
    bold_paragraph, numbered_canvas = pdf_classes()

    def bold(text: str, style: Any) -> Any:
        if fonts.fake_bold:
            return bold_paragraph(text, style)
        return Paragraph(text, style.clone(style.name + "-b", fontName=fonts.bold))

    def esc(text: object) -> str:
        return _xml_escape(one_line(text))

    size = 8
    leading = 9.5
    base = ParagraphStyle(
        "cash", fontName=fonts.regular, fontSize=size, leading=leading, alignment=TA_LEFT
    )
    center = base.clone("cash-c", alignment=TA_CENTER)
    right = base.clone("cash-r", alignment=TA_RIGHT)
    head_style = base.clone("head", fontSize=10.5, leading=13, alignment=TA_CENTER)
    head_italic = head_style.clone("head-i", fontName=fonts.italic)
    title_style = base.clone("title", fontSize=13, leading=16, alignment=TA_CENTER)
    subtitle_style = base.clone("subtitle", fontSize=10.5, leading=13, alignment=TA_CENTER)
    words_style = base.clone("words", fontName=fonts.italic, fontSize=9.5, leading=12)
    sign_italic = base.clone(
        "sign-i", fontName=fonts.italic, fontSize=9.5, leading=12, alignment=TA_CENTER
    )
    sign_bold = base.clone("sign-b", fontSize=10.5, leading=13, alignment=TA_CENTER)

    pagesize = landscape(A4)
    margin = 10 * mm
    avail = pagesize[0] - 2 * margin
    col_widths = [avail * share for share in _PDF_SHARES]
    col_widths[-1] = avail - sum(col_widths[:-1])
    pad = 2
    ref_size = 7  # a 22-digit payment reference fits on one line
    sizes = [ref_size if key == "reference" else size for key in _CASH_COLUMNS]

    def cell(text: str, col: int) -> str:
        return wrap_text(
            one_line(text), fonts.regular, sizes[col], col_widths[col] - 2 * pad - 0.5, stringWidth
        )

    # Data rows are plain strings (pre-wrapped lines): ReportLab lays them out far faster than
    # paragraphs, which matters for lists of thousands of people over hundreds of pages.
    head_row = [bold(esc(lab[key]), center) for key in _CASH_COLUMNS]
    data: list[list[Any]] = []
    total = 0
    for count, row in enumerate(rows, start=1):
        amount = _cash_amount(row, count)
        total += amount
        data.append(
            [
                str(count),
                cell(row.reference, 1),
                cell(row.full_name, 2),
                cell(row.id_masked, 3),
                cell(row.address, 4),
                cell(row.benefit, 5),
                cell(row.period, 6),
                vn_thousands(amount),
                cell(row.payee, 8),
                "\n",  # two empty lines of the signature column's leading: room to sign
            ]
        )
    count = len(data)

    grid_style = [
        ("FONTNAME", (0, 0), (-1, -1), fonts.regular),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), leading),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
    ]

    def list_table(body: list[list[Any]], *, headed: bool, long: bool = False) -> Any:
        first = 1 if headed else 0
        cells = [head_row, *body] if headed else body
        table = (LongTable if long else Table)(cells, colWidths=col_widths, repeatRows=first)
        table.setStyle(
            TableStyle(
                [
                    *grid_style,
                    *([("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9))] * first),
                    ("FONTSIZE", (1, first), (1, -1), ref_size),
                    ("LEADING", (9, first), (9, -1), leading),
                    ("ALIGN", (0, first), (0, -1), "CENTER"),
                    ("ALIGN", (3, first), (3, -1), "CENTER"),
                    ("ALIGN", (6, first), (6, -1), "CENTER"),
                    ("ALIGN", (7, first), (7, -1), "RIGHT"),
                ]
            )
        )
        return table

    # The total row is a table of its own, drawn flush under the list (a spanning cell in the
    # long table would make every page break recompute the spans of all remaining rows).
    amount_at = _CASH_COLUMNS.index("amount")
    totals = Table(
        [[bold(esc(_total_text(lab, count)), base), bold(vn_thousands(total), right), "", ""]],
        colWidths=[sum(col_widths[:amount_at]), *col_widths[amount_at:]],
    )
    totals.setStyle(TableStyle(grid_style))

    top = Table(
        [
            [bold(esc(header.authority), head_style), bold(esc(lab["motto"]), head_style)],
            [
                Paragraph(
                    esc(fill_template(lab["batch"], reference=header.batch_reference)), head_style
                ),
                bold(f"<u>{esc(lab['motto_sub'])}</u>", head_style),
            ],
        ],
        colWidths=[avail * 0.45, avail * 0.55],
    )
    top.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    third = avail / 3
    date_line = _date_line(lab, header.printed_on, header.place)
    signatures = Table(
        [
            ["", "", Paragraph(esc(date_line), head_italic)],
            [bold(esc(lab[k]), sign_bold) for k in ("prepared_by", "accountant", "director")],
            [Paragraph(esc(lab["sign_hint"]), sign_italic) for _ in range(3)],
            [Spacer(1, 50), "", ""],
        ],
        colWidths=[third, third, third],
    )
    signatures.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    signatures._chitra_block = "signatures"
    end = [
        totals,
        Spacer(1, 1.5 * mm),
        Paragraph(esc(_words_text(lab, total)), words_style),
        Spacer(1, 3 * mm),
        signatures,
    ]
    kept = min(KEPT_WITH_SIGNATURES, count)
    body, last = data[: count - kept], data[count - kept :]
    keep_tail = _keep_tail_class()
    if body:
        listed = [list_table(body, headed=True, long=True)]
        tail = keep_tail(
            [list_table(last, headed=False), *end],
            on_new_page=[list_table(last, headed=True), *end],
        )
    else:  # a short list: its table and the end are one block
        listed = []
        tail = keep_tail([list_table(last, headed=True), *end], on_new_page=[])
    story = [
        top,
        Spacer(1, 4 * mm),
        bold(esc(header.title), title_style),
        Spacer(1, 1 * mm),
        Paragraph(esc(header.subtitle), subtitle_style),
        Spacer(1, 3 * mm),
        *listed,
        tail,
    ]

    tmp = tmp_for(path)
    doc = SimpleDocTemplate(
        str(tmp),
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + 4 * mm,
        title=one_line(header.title),
        author=one_line(header.authority),
        subject=one_line(header.subtitle),
        creator="chitra",
        invariant=1,
    )
    after = _placement_recorder(placed)
    if after is not None:
        doc.afterFlowable = functools.partial(after, doc)
    maker = functools.partial(
        numbered_canvas,
        font=fonts.regular,
        page_label=lab["page"],
        footer_left=one_line(fill_template(lab["batch"], reference=header.batch_reference)),
    )
    with atomic_path(path):  # the file appears whole or not at all
        doc.build(story, canvasmaker=maker)
    return count, total, sha256_file(path)


def _cash_amount(row: CashRow, n: int) -> int:
    amount = row.amount
    if amount.__class__ is not int:
        raise ValueError(
            f"Row {n} ({row.reference}): amount must be a whole number of đồng "
            f"(int), got {amount!r}."
        )
    return amount


# --------------------------------------------------------------------------------------------
# XLSX cash list
# --------------------------------------------------------------------------------------------


# over the limits: the sheet's fixed layout cell by cell (rows 1-7 of header, one row per
# payment streamed in constant memory, total, signature block, print setup) in sheet order
def write_cash_list_xlsx(
    path: Path,
    header: CashListHeader,
    rows: Iterable[CashRow],
    *,
    labels: Mapping[str, str] = CASH_LABELS_VI,
) -> tuple[int, int, str]:
    """The cash list as an XLSX workbook; return (rows, total amount in đồng, SHA-256 hex).

    Same content as :func:`write_cash_list_pdf`: authority and batch reference (rows 1-2, left),
    national motto (right), title (row 4), subtitle (row 5), the table header on row 7, one row
    per payment (two lines of 10 pt, tall enough to sign), the total row (text in column A, sum
    in the amount column H), the sum in words, then the place and date line and the signature
    block. Set up to print on A4 landscape, one page
    wide, header row repeated, "Trang x/y" footer. Deterministic bytes.
    """
    path = Path(path)
    lab = _labels(labels)
    ncols = len(_CASH_COLUMNS)
    last_col = ncols - 1
    amount_col = _CASH_COLUMNS.index("amount")
    font = {"font_name": "Times New Roman", "font_size": 11}
    count = 0
    total = 0
    with atomic_path(path) as tmp, closed_on_error(new_workbook(tmp)) as wb:
        ws = wb.add_worksheet(sheet_name(lab["sheet"]))
        text = XlsxText(wb)
        f_head = text.add_format({**font, "bold": True, "align": "center", "valign": "vcenter"})
        f_head_u = wb.add_format({**font, "bold": True, "underline": 1, "align": "center"})
        f_center = text.add_format({**font, "align": "center"})
        f_italic = wb.add_format({**font, "italic": True, "align": "center"})
        f_words = wb.add_format({**font, "italic": True})
        f_title = text.add_format(
            {
                **font,
                "bold": True,
                "font_size": 14,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        )
        f_col = wb.add_format(
            {
                **font,
                "bold": True,
                "border": 1,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
                "bg_color": "#E7E6E6",
            }
        )
        cell_base = {**font, "font_size": 10, "border": 1, "valign": "vcenter", "text_wrap": True}
        f_text = text.add_format(cell_base)
        f_mid = text.add_format({**cell_base, "align": "center"})
        f_money = wb.add_format({**cell_base, "num_format": "#,##0"})
        f_total = wb.add_format({**cell_base, "bold": True})
        f_total_money = wb.add_format({**cell_base, "bold": True, "num_format": "#,##0"})

        for c, width in enumerate(_XLSX_WIDTHS):
            ws.set_column(c, c, width)
        split = 4  # authority over columns A-D, motto over F-J
        authority, title, subtitle = (
            one_line(header.authority),
            one_line(header.title),
            one_line(header.subtitle),
        )
        ws.merge_range(0, 0, 0, split - 1, authority, text.fmt_for(authority, f_head))
        ws.merge_range(0, split + 1, 0, last_col, lab["motto"], f_head)
        ws.merge_range(
            1,
            0,
            1,
            split - 1,
            fill_template(lab["batch"], reference=header.batch_reference),
            f_center,
        )
        ws.merge_range(1, split + 1, 1, last_col, lab["motto_sub"], f_head_u)
        ws.set_row(3, 22)
        ws.merge_range(3, 0, 3, last_col, title, text.fmt_for(title, f_title))
        ws.merge_range(4, 0, 4, last_col, subtitle, text.fmt_for(subtitle, f_center))
        head_row = 6
        ws.set_row(head_row, 30)
        for c, key in enumerate(_CASH_COLUMNS):
            ws.write_string(head_row, c, lab[key], f_col)
        r = head_row
        for count, row in enumerate(rows, start=1):
            amount = _cash_amount(row, count)
            total += amount
            r = head_row + count
            ws.set_row(r, 26)  # two lines of 10 pt: room to sign, more people a page
            ws.write_number(r, 0, count, f_mid)
            for c, value in enumerate(
                (row.reference, row.full_name, row.id_masked, row.address, row.benefit, row.period),
                start=1,
            ):
                text.write(ws, r, c, one_line(value), f_mid if c in (3, 6) else f_text)
            ws.write_number(r, amount_col, amount, f_money)
            text.write(ws, r, amount_col + 1, one_line(row.payee), f_text)
            ws.write_blank(r, amount_col + 2, None, f_text)
        r += 1
        ws.set_row(r, 20)
        ws.merge_range(r, 0, r, amount_col - 1, _total_text(lab, count), f_total)
        ws.write_number(r, amount_col, total, f_total_money)
        ws.write_blank(r, amount_col + 1, None, f_total)
        ws.write_blank(r, amount_col + 2, None, f_total)
        r += 1
        ws.merge_range(r, 0, r, last_col, _words_text(lab, total), f_words)
        r += 2
        thirds = ((0, 2), (3, 6), (7, last_col))
        date_line = _date_line(lab, header.printed_on, header.place)
        ws.merge_range(r, thirds[2][0], r, thirds[2][1], date_line, f_italic)
        r += 1
        for (c0, c1), key in zip(thirds, ("prepared_by", "accountant", "director"), strict=True):
            ws.merge_range(r, c0, r, c1, lab[key], f_head)
        r += 1
        for c0, c1 in thirds:
            ws.merge_range(r, c0, r, c1, lab["sign_hint"], f_italic)

        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        ws.repeat_rows(head_row)
        ws.fit_to_pages(1, 0)
        # "&" is a control character in Excel footers: double the label's own.
        ws.set_footer("&R" + fill_template(lab["page"].replace("&", "&&"), page="&P", pages="&N"))
        wb.close()
    return count, total, sha256_file(path)
