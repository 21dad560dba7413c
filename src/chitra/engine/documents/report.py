"""Reports in the Vietnamese administrative document layout (Nghị định 30/2020/NĐ-CP).

A :class:`ReportDoc` describes one document: the header blocks (superior and issuing body,
document number; national motto, place and date), the document type and title, paragraphs,
:class:`Table` s, closing paragraphs, the recipients ("Nơi nhận:") and the signature block.
:func:`write_report_xlsx` lays it out on one worksheet (Times New Roman, the administrative
font) and :func:`write_report_pdf` prints it with ReportLab (Noto Serif, embedded, so every
Vietnamese letter renders). Both write under a temporary name and rename at the end, and both
are deterministic: the same document gives the same bytes, whose SHA-256 they return.

Numbers are shown the Vietnamese way: ``1.234.567`` for whole numbers and ``52,3 %`` for
percentages. Pure Python, no Django.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as _xml_escape

from chitra.engine.render.files import atomic_path, sha256_file, tmp_for
from chitra.engine.render.pdf import pdf_classes, pdf_fonts, wrap_text
from chitra.engine.render.text import one_line, vn_decimal, vn_thousands
from chitra.engine.render.xlsx import MAX_EXACT_INT, closed_on_error, new_workbook
from chitra.engine.sheets.cells import XlsxText

__all__ = [
    "KINDS",
    "LANDSCAPE_COLUMNS",
    "MOTTO",
    "MOTTO_SUB",
    "ReportDoc",
    "Table",
    "Text",
    "vn_date_line",
    "write_report_pdf",
    "write_report_xlsx",
]

KINDS = ("text", "int", "percent", "money")
LANDSCAPE_COLUMNS = 7  # a table with more columns than this turns the page to landscape
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_SUB = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_LABEL = "Nơi nhận:"
SHEET_NAME = "Báo cáo"


# ============================================================================================
# Document model
# ============================================================================================


def _cell_problem(value: object) -> str | None:
    """Why a table cell cannot be shown, or None when it can."""
    if value is None or isinstance(value, str):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return (
            f"unsupported value {value!r} of type {type(value).__name__}; expected str, "
            f"int, float or None"
        )
    if isinstance(value, float) and not math.isfinite(value):
        return f"the number {value!r} cannot be shown"
    return None


@dataclass(frozen=True)
class Table:
    """A table of a report.

    ``rows`` hold ``str`` (shown as is), ``int`` (a whole number, shown ``1.234.567``),
    ``float`` (a percentage 0..100, shown ``52,3 %``) or ``None`` (an empty cell). ``kinds``
    gives each column's kind: ``"text"``, ``"int"``, ``"percent"`` or ``"money"`` (whole đồng,
    shown like ``"int"``); left empty, a column holding a float is ``"percent"``, one holding
    ints ``"int"`` and any other ``"text"``. Numbers in a ``"text"`` column are written as text.
    ``total_row`` (same length as ``headers``) is printed bold under the rows; ``note`` is an
    italic line under the table. Lists are accepted and stored as tuples; a row of the wrong
    length or a value of another type raises :class:`ValueError`.
    """

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    kinds: tuple[str, ...] = ()
    total_row: tuple[object, ...] | None = None
    note: str = ""

    def __post_init__(self) -> None:
        headers = tuple(str(h) for h in self.headers)
        if not headers:
            raise ValueError(f"Table {self.title!r}: at least one column header is required.")
        object.__setattr__(self, "headers", headers)
        rows = tuple(tuple(row) for row in self.rows)
        for n, row in enumerate(rows, start=1):
            self._check_row(f"row {n}", row, headers)
        object.__setattr__(self, "rows", rows)
        if self.total_row is not None:
            total = tuple(self.total_row)
            self._check_row("total row", total, headers)
            object.__setattr__(self, "total_row", total)
        kinds = tuple(self.kinds)
        if kinds:
            self._check_kinds(kinds, len(headers))
        object.__setattr__(self, "kinds", kinds)

    def _check_row(self, where: str, row: tuple[object, ...], headers: tuple[str, ...]) -> None:
        """One value per column, each one a report can show (``where``: "row 3", "total row")."""
        ncols = len(headers)
        if len(row) != ncols:
            raise ValueError(
                f"Table {self.title!r}, {where}: {len(row)} values for {ncols} columns."
            )
        for c, value in enumerate(row):
            problem = _cell_problem(value)
            if problem:
                raise ValueError(
                    f"Table {self.title!r}, {where}, column {headers[c]!r}: {problem}."
                )

    def _check_kinds(self, kinds: tuple[str, ...], ncols: int) -> None:
        if len(kinds) != ncols:
            raise ValueError(f"Table {self.title!r}: {len(kinds)} kinds for {ncols} columns.")
        bad = [k for k in kinds if k not in KINDS]
        if bad:
            raise ValueError(
                f"Table {self.title!r}: unknown column kind(s) "
                f"{', '.join(repr(k) for k in bad)}; use one of "
                f"{', '.join(KINDS)}."
            )

    @property
    def column_kinds(self) -> tuple[str, ...]:
        """``kinds`` when given, otherwise guessed from the values of each column."""
        if self.kinds:
            return self.kinds
        lines = [*self.rows, *([self.total_row] if self.total_row is not None else [])]
        guessed = []
        for c in range(len(self.headers)):
            values = [row[c] for row in lines]
            if any(isinstance(v, float) for v in values):
                guessed.append("percent")
            elif any(isinstance(v, int) for v in values):
                guessed.append("int")
            else:
                guessed.append("text")
        return tuple(guessed)


@dataclass(frozen=True)
class Text:
    """A section of a report told in words instead of a table (e.g. "no data for the month"):
    its ``title`` (bold, like a table's) and its ``text`` (a paragraph). It takes a table's
    place in ``ReportDoc.tables``, so the sections keep their order."""

    title: str
    text: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", str(self.title))
        object.__setattr__(self, "text", str(self.text))


@dataclass(frozen=True)
class ReportDoc:
    """A report laid out as a Vietnamese administrative document (Nghị định 30/2020/NĐ-CP).

    Header: ``superior_body`` (may be empty) over ``issuing_body`` (bold, short rule under it)
    and ``number`` ("Số: 15/BC-BHXH") on the left; the national motto and ``place_date``
    (see :func:`vn_date_line`) on the right. Then ``doc_type`` ("BÁO CÁO"), ``title`` and
    ``subtitle`` centred; ``paragraphs``, ``tables`` and ``closing`` paragraphs; at the end
    "Nơi nhận:" with ``recipients`` (each line starting "- ") on the left and the signature
    block on the right: ``signer_authority`` lines ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), room to
    sign, ``signer_name``.
    """

    superior_body: str
    issuing_body: str
    number: str
    place_date: str
    doc_type: str
    title: str
    subtitle: str = ""
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table | Text, ...] = ()
    closing: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    signer_authority: tuple[str, ...] = ("GIÁM ĐỐC",)
    signer_name: str = ""

    def __post_init__(self) -> None:
        for name in ("paragraphs", "closing", "recipients", "signer_authority"):
            value = getattr(self, name)
            if isinstance(value, str):
                raise ValueError(f"Report: {name!r} must be a sequence of strings, not a string.")
            object.__setattr__(self, name, tuple(str(v) for v in value))
        tables = tuple(self.tables)
        for n, table in enumerate(tables, start=1):
            if not isinstance(table, Table | Text):
                raise ValueError(
                    f"Report: table {n} is a {type(table).__name__}, not a Table or a Text."
                )
        object.__setattr__(self, "tables", tables)

    @property
    def grids(self) -> tuple[Table, ...]:
        """The sections that are tables."""
        return tuple(t for t in self.tables if isinstance(t, Table))

    @property
    def landscape(self) -> bool:
        """Whether the document is printed landscape (a table wider than 7 columns)."""
        return any(len(t.headers) > LANDSCAPE_COLUMNS for t in self.grids)

    @property
    def recipient_lines(self) -> tuple[str, ...]:
        """The recipients, each starting with "- "."""
        out = []
        for r in self.recipients:
            text = one_line(r)
            if text:
                out.append(text if text.startswith(("-", "–", "+")) else f"- {text}")
        return tuple(out)


def vn_date_line(place: str, d: date) -> str:
    """Place and date as written under the motto, e.g. "Tuyên Quang, ngày 05 tháng 12 năm 2026".

    As Nghị định 30/2020/NĐ-CP asks, days below 10 and the months 1 and 2 get a leading zero;
    other months do not ("ngày 27 tháng 3 năm 2026").
    """
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"{one_line(place)}, ngày {d.day:02d} tháng {month} năm {d.year}"


# --------------------------------------------------------------------------------------------
# Number rendering (Vietnamese: see chitra.engine.render.text)
# --------------------------------------------------------------------------------------------


def _percent_text(value: float) -> str:
    return f"{vn_decimal(float(value), 1)} %"


def _whole_text(value: float) -> str:
    return vn_thousands(value if isinstance(value, int) else round(value))


def _cell_text(value: object, kind: str) -> str:
    """A cell as shown in the PDF."""
    if value is None:
        return ""
    if isinstance(value, str):
        return one_line(value)
    number: float = value  # type: ignore[assignment]
    if kind == "percent":
        return _percent_text(number)
    if kind in ("int", "money"):
        return _whole_text(number)
    if isinstance(number, int) or number.is_integer():
        return _whole_text(number)
    return vn_decimal(number, 2).rstrip("0").rstrip(",")


def _numeric(kind: str) -> bool:
    return kind != "text"


# ============================================================================================
# XLSX
# ============================================================================================

_XL_FONT = "Times New Roman"
_XL_SIZE = 13
_XL_TABLE_SIZE = 12
_XL_PORTRAIT_WIDTH = 92.0  # sum of column widths (Excel units) filling an A4 portrait page
_XL_LANDSCAPE_WIDTH = 138.0
_XL_MIN_COLUMNS = 4
_XL_REPEAT_MIN_ROWS = 20  # a table this long gets its header row printed on every page
_PERCENT_FORMAT = '0.0" %"'
_WHOLE_FORMAT = "#,##0"


def _xl_text_width(text: str, size: float = _XL_SIZE, bold: bool = False) -> float:
    """Estimated width of ``text`` in Excel column units (Times New Roman)."""
    units = 0.0
    for ch in text:
        if ch == " ":
            units += 0.62
        elif ch.isdigit():
            units += 1.24
        elif ch.isupper():
            units += 1.69
        elif ch in ".,:;!|'il":
            units += 0.62
        else:
            units += 1.09
    return units * size / 13 * (1.06 if bold else 1.0)


def _xl_lines(text: str, width: float, size: float = _XL_SIZE, bold: bool = False) -> int:
    """Estimated number of lines ``text`` wraps to in a cell ``width`` units wide."""
    room = max(width - 1.0, 1.0)
    space = _xl_text_width(" ", size, bold)
    lines, used = 1, 0.0
    for word in text.split():
        w = _xl_text_width(word, size, bold)
        if used and used + space + w > room:
            lines += 1
            used = 0.0
        used = used + space + w if used else w
        while used > room:
            lines += 1
            used -= room
    return lines


def _xl_height(lines: int, size: float = _XL_SIZE) -> float:
    return round(lines * size * 1.32 + 3, 1)


class _Formats:
    """xlsxwriter formats made on demand, one per distinct set of properties."""

    def __init__(self, wb: Any) -> None:
        self.text = XlsxText(wb)  # text cells never run as formulas
        self._cache: dict[tuple[tuple[str, object], ...], Any] = {}

    def __call__(self, **props: object) -> Any:
        full = {"font_name": _XL_FONT, "font_size": _XL_SIZE, "valign": "vcenter", **props}
        key = tuple(sorted(full.items()))
        fmt = self._cache.get(key)
        if fmt is None:
            fmt = self._cache[key] = self.text.add_format(full)
        return fmt


def _size(props: dict[str, object]) -> float:
    size = props.get("font_size", _XL_SIZE)
    return float(size) if isinstance(size, int | float) else float(_XL_SIZE)


def _xl_span(ws: Any, cells: XlsxText, r: int, c0: int, c1: int, text: str, fmt: Any) -> None:
    if c0 == c1:
        cells.write(ws, r, c0, text, fmt)
    else:
        ws.merge_range(r, c0, r, c1, text, cells.fmt_for(text, fmt))


def _xl_column_widths(doc: ReportDoc, ncols: int) -> list[float]:
    widths = [10.0] * ncols
    seen = [False] * ncols
    for table in doc.grids:
        kinds = table.column_kinds
        lines = [*table.rows, *([table.total_row] if table.total_row is not None else [])]
        for c, head in enumerate(table.headers):
            head_words = max(
                (_xl_text_width(w, _XL_TABLE_SIZE, True) for w in head.split()), default=0.0
            )
            content = max(
                (_xl_text_width(_cell_text(row[c], kinds[c]), _XL_TABLE_SIZE) for row in lines),
                default=0.0,
            )
            need = (
                min(max(head_words, content, _xl_text_width(head, _XL_TABLE_SIZE, True) / 3), 45.0)
                + 2.0
            )
            widths[c] = max(widths[c], need) if seen[c] else max(need, 5.0)
            seen[c] = True
    target = _XL_LANDSCAPE_WIDTH if doc.landscape else _XL_PORTRAIT_WIDTH
    total = sum(widths)
    if total < target:
        widths = [w * target / total for w in widths]
    return [round(w, 2) for w in widths]


# over the limits: the Nghị định 30 page layout read top to bottom (header blocks, body,
# tables, signature); every part writes at the sheet's running row `r` through the local
# block_row/full_row helpers that share the split column and widths computed above them
def write_report_xlsx(path: Path, doc: ReportDoc) -> str:
    """Write ``doc`` as an XLSX workbook; return its SHA-256 hex.

    One sheet, "Báo cáo", in Times New Roman 13. Rows 1-4 carry the header blocks in merged
    cells (superior and issuing body, a short rule, the number on the left; the motto, its
    underlined subtitle and the place and date on the right), then the document type, title
    and subtitle, the paragraphs (merged, wrapped rows), each table (its title, a bold bordered
    header row, numbers as numbers: ``#,##0`` for int/money, ``0.0" %"`` for percentages, the
    total row bold, the note), the closing paragraphs, and "Nơi nhận:" with the recipients
    beside the signature block. Printed on A4, landscape when a table has more than 7 columns,
    one page wide, "Trang x/y" in the footer; the header row of the longest table (20 rows or
    more) is repeated on every page. The same document gives the same bytes.
    """
    path = Path(path)
    ncols = max([_XL_MIN_COLUMNS, *(len(t.headers) for t in doc.grids)])
    last = ncols - 1
    widths = _xl_column_widths(doc, ncols)
    # Header and signature blocks: left block columns [0, split), right block [split, ncols),
    # split where both the issuing body and the motto have the most room for their length.
    need_left = (
        max(
            _xl_text_width(one_line(doc.superior_body), 12),
            _xl_text_width(one_line(doc.issuing_body), 12, True),
            20.0,
        )
        + 2
    )
    need_left = min(need_left, 55.0)  # a longer name wraps
    need_right = _xl_text_width(MOTTO, 12, True) + 2
    split = max(
        range(1, ncols),
        key=lambda k: (min(sum(widths[:k]) / need_left, sum(widths[k:]) / need_right), -k),
    )
    # Widen the widest column of a block too narrow for its text to stay on one line.
    for lo, hi, need in ((0, split, need_left), (split, ncols, need_right)):
        short = need - sum(widths[lo:hi])
        if short > 0:
            widest = max(range(lo, hi), key=lambda c: (widths[c], -c))
            widths[widest] = round(widths[widest] + short, 2)
    total_width = sum(widths)
    left_w, right_w = sum(widths[:split]), sum(widths[split:])

    with atomic_path(path) as tmp, closed_on_error(new_workbook(tmp)) as wb:
        ws = wb.add_worksheet(SHEET_NAME)
        fmt = _Formats(wb)
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        center: dict[str, object] = {"align": "center", "text_wrap": True}
        r = 0

        def block_row(
            left: str,
            left_fmt: dict[str, object],
            right: str,
            right_fmt: dict[str, object],
            *,
            min_height: float = 0,
        ) -> None:
            nonlocal r
            lines = max(
                _xl_lines(left, left_w, _size(left_fmt), bool(left_fmt.get("bold"))),
                _xl_lines(right, right_w, _size(right_fmt), bool(right_fmt.get("bold"))),
            )
            ws.set_row(r, max(_xl_height(lines), min_height))
            _xl_span(ws, fmt.text, r, 0, split - 1, left, fmt(**left_fmt))
            _xl_span(ws, fmt.text, r, split, last, right, fmt(**right_fmt))
            r += 1

        def full_row(text: str, props: dict[str, object], *, min_lines: int = 1) -> None:
            nonlocal r
            size = _size(props)
            lines = max(min_lines, _xl_lines(text, total_width, size, bool(props.get("bold"))))
            ws.set_row(r, _xl_height(lines, size))
            _xl_span(ws, fmt.text, r, 0, last, text, fmt(text_wrap=True, **props))
            r += 1

        def blank_row(height: float = 8) -> None:
            nonlocal r
            ws.set_row(r, height)
            r += 1

        # -- header blocks
        head12 = {**center, "font_size": 12}
        block_row(one_line(doc.superior_body), head12, MOTTO, {**head12, "bold": True})
        block_row(
            one_line(doc.issuing_body),
            {**head12, "bold": True},
            MOTTO_SUB,
            {**center, "bold": True, "underline": 1},
        )
        issuing_w = min(_xl_text_width(one_line(doc.issuing_body), 12, True), left_w)
        rule = "—" * max(4, round(issuing_w * 0.4 / 1.52))  # 1.52 units: an 8 pt em dash
        ws.set_row(r, 7)
        _xl_span(ws, fmt.text, r, 0, split - 1, rule, fmt(align="center", font_size=8))
        r += 1
        block_row(
            one_line(doc.number), center, one_line(doc.place_date), {**center, "italic": True}
        )
        blank_row(14)
        full_row(one_line(doc.doc_type), {"bold": True, "align": "center", "font_size": 14})
        full_row(one_line(doc.title), {"bold": True, "align": "center", "font_size": 14})
        if doc.subtitle:
            full_row(one_line(doc.subtitle), {"italic": True, "align": "center"})
        blank_row(14)
        body: dict[str, object] = {"align": "justify", "valign": "top"}
        for text in doc.paragraphs:
            full_row(one_line(text), body)

        # -- tables
        longest = max(doc.grids, key=lambda t: len(t.rows), default=None)
        repeat_row: int | None = None
        for table in doc.tables:
            blank_row(8)
            if isinstance(table, Text):
                if one_line(table.title):
                    full_row(one_line(table.title), {"bold": True, "align": "left"})
                full_row(one_line(table.text), body)
                continue
            kinds = table.column_kinds
            if one_line(table.title):
                full_row(one_line(table.title), {"bold": True, "align": "left"})
            head_lines = max(
                _xl_lines(one_line(h), widths[c], _XL_TABLE_SIZE, True)
                for c, h in enumerate(table.headers)
            )
            ws.set_row(r, _xl_height(head_lines, _XL_TABLE_SIZE))
            f_head = fmt(
                bold=True, border=1, align="center", text_wrap=True, font_size=_XL_TABLE_SIZE
            )
            for c, head in enumerate(table.headers):
                fmt.text.write(ws, r, c, one_line(head), f_head)
            if table is longest and len(table.rows) >= _XL_REPEAT_MIN_ROWS:
                repeat_row = r
            r += 1
            for row in table.rows:
                _xl_table_row(ws, fmt, r, row, kinds, widths, bold=False)
                r += 1
            if table.total_row is not None:
                _xl_table_row(ws, fmt, r, table.total_row, kinds, widths, bold=True)
                r += 1
            if table.note:
                full_row(
                    one_line(table.note),
                    {"italic": True, "align": "left", "font_size": _XL_TABLE_SIZE},
                )
        if doc.tables:
            blank_row(8)
        for text in doc.closing:
            full_row(one_line(text), body)

        # -- recipients and signature block
        blank_row(14)
        left_lines: list[tuple[str, dict[str, object]]] = []
        if doc.recipients:
            left_lines.append(
                (RECIPIENTS_LABEL, {"bold": True, "italic": True, "font_size": 12, "align": "left"})
            )
            left_lines.extend(
                (text, {"font_size": 11, "align": "left", "text_wrap": True})
                for text in doc.recipient_lines
            )
        sign = {"bold": True, "align": "center", "text_wrap": True}
        right_lines: list[tuple[str, dict[str, object]]] = [
            (one_line(a), sign) for a in doc.signer_authority if one_line(a)
        ]
        right_lines.extend([("", sign)] * 4)  # room to sign
        right_lines.append((one_line(doc.signer_name), sign))
        for i in range(max(len(left_lines), len(right_lines))):
            left, left_fmt = left_lines[i] if i < len(left_lines) else ("", {})
            right, right_fmt = right_lines[i] if i < len(right_lines) else ("", {})
            block_row(left, left_fmt, right, right_fmt, min_height=18)

        ws.set_paper(9)  # A4
        if doc.landscape:
            ws.set_landscape()
            ws.set_margins(left=0.75, right=0.6, top=0.75, bottom=0.75)
        else:
            ws.set_portrait()
            ws.set_margins(left=1.0, right=0.6, top=0.75, bottom=0.75)
        ws.center_horizontally()
        ws.fit_to_pages(1, 0)
        if repeat_row is not None:
            ws.repeat_rows(repeat_row)
        ws.set_footer('&C&"Times New Roman"&11Trang &P/&N')
        wb.close()
    return sha256_file(path)


def _xl_table_row(
    ws: Any,
    fmt: _Formats,
    r: int,
    row: Sequence[object],
    kinds: Sequence[str],
    widths: Sequence[float],
    *,
    bold: bool,
) -> None:
    size = _XL_TABLE_SIZE
    lines = max(
        (
            _xl_lines(one_line(v), widths[c], size, bold)
            for c, v in enumerate(row)
            if isinstance(v, str)
        ),
        default=1,
    )
    ws.set_row(r, _xl_height(lines, size))  # before the cells: constant-memory mode
    base: dict[str, object] = {"border": 1, "font_size": size, "bold": bold, "text_wrap": True}
    for c, (value, kind) in enumerate(zip(row, kinds, strict=True)):
        align = "right" if _numeric(kind) else "left"
        if value is None:
            ws.write_blank(r, c, None, fmt(**base, align=align))
        elif isinstance(value, str):
            fmt.text.write(ws, r, c, one_line(value), fmt(**base, align=align))
        elif kind == "percent":
            ws.write_number(
                r,
                c,
                float(value),  # type: ignore[arg-type]
                fmt(
                    **base,
                    align=align,  # type: ignore[arg-type]
                    num_format=_PERCENT_FORMAT,
                ),
            )
        elif kind in ("int", "money"):
            if abs(value) >= MAX_EXACT_INT:  # type: ignore[arg-type]
                ws.write_string(r, c, _cell_text(value, kind), fmt(**base, align=align))
            else:
                ws.write_number(r, c, value, fmt(**base, align=align, num_format=_WHOLE_FORMAT))
        else:  # a number in a text column: written as text
            ws.write_string(r, c, _cell_text(value, kind), fmt(**base, align=align))


# ============================================================================================
# PDF
# ============================================================================================

_PDF_BODY_SIZE = 13
_PDF_PAD = 3.0


@functools.lru_cache(maxsize=1)
def _page_canvas() -> type:
    """The numbered canvas of :mod:`chitra.engine.render.pdf`, numbering pages the Nghị định 30
    way: the number alone, centred in the top margin, from page 2 on."""
    _, numbered = pdf_classes()

    class TopNumberCanvas(numbered):  # type: ignore[misc, valid-type]
        def _footer(self, pages: int) -> None:
            if self._pageNumber < 2:
                return
            width, height = self._pagesize
            self.saveState()
            self.setFont(self._footer_font, 11)
            self.drawCentredString(width / 2, height - 34, str(self._pageNumber))
            self.restoreState()

    return TopNumberCanvas


def _balanced_lines(
    text: str,
    font: str,
    size: float,
    width: float,
    string_width: Callable[[str, str, float], float],
) -> list[str]:
    """``text`` on one line when it fits in ``width``, else on two lines as even as possible
    ("BẢO HIỂM XÃ HỘI / TỈNH TUYÊN QUANG"), else as wrapped by the paragraph."""
    words = text.split()
    if len(words) < 2 or string_width(text, font, size) <= width:
        return [text]
    best: tuple[float, list[str]] | None = None
    for i in range(1, len(words)):
        lines = [" ".join(words[:i]), " ".join(words[i:])]
        widest = max(string_width(t, font, size) for t in lines)
        if widest <= width and (best is None or widest < best[0]):
            best = (widest, lines)
    return best[1] if best else [text]


def _pdf_col_widths(
    texts: Sequence[Sequence[str]],
    headers: Sequence[str],
    kinds: Sequence[str],
    avail: float,
    font: str,
    size: float,
    string_width: Callable[[str, str, float], float],
) -> list[float]:
    """Column widths filling ``avail``. Room is taken first from headers (they wrap), then
    from text cells (they wrap at spaces); numbers never wrap."""
    pad = 2 * _PDF_PAD + 1
    levels: list[list[float]] = [[], [], []]  # tightest, cells on one line, headers too
    for c, (head, kind) in enumerate(zip(headers, kinds, strict=True)):
        head_word = max((string_width(w, font, size) for w in head.split()), default=0.0) * 1.05
        head_full = string_width(head, font, size) * 1.05
        content = max((string_width(row[c], font, size) for row in texts), default=0.0)
        if _numeric(kind):
            tight = one_line = max(head_word, content * 1.05)
        else:
            longest_word = max(
                (string_width(w, font, size) for row in texts for w in row[c].split()), default=0.0
            )
            tight = max(head_word, min(longest_word, 90.0))
            one_line = max(tight, min(content, avail * 0.5))
        levels[0].append(tight + pad)
        levels[1].append(one_line + pad)
        levels[2].append(max(one_line, min(head_full, avail * 0.4)) + pad)
    sums = [sum(level) for level in levels]
    if sums[2] <= avail:
        return [w * avail / sums[2] for w in levels[2]]
    for lo, hi in ((1, 2), (0, 1)):
        if sums[lo] <= avail:
            f = (avail - sums[lo]) / (sums[hi] - sums[lo]) if sums[hi] > sums[lo] else 0.0
            return [a + (b - a) * f for a, b in zip(levels[lo], levels[hi], strict=True)]
    return [w * avail / sums[0] for w in levels[0]]


# over the limits: the Nghị định 30 layout as one list of flowables, top to bottom; its
# styles and helpers close over the reportlab classes imported inside it (importing the
# engine must not load reportlab)
def write_report_pdf(path: Path, doc: ReportDoc) -> str:
    """Print ``doc`` as a PDF; return its SHA-256 hex.

    A4 (landscape when a table has more than 7 columns), Nghị định 30 margins. A borderless
    two-column header (superior and issuing body with a short rule and the number; the motto,
    its subtitle with a rule as long as it, the place and date in italics), the document type
    and title centred in bold, the paragraphs (justified, first line indented), each table with
    its title, a bold header repeated on every page, numbers right-aligned in the Vietnamese
    format (``1.234.567``; ``52,3 %``), a bold total row and an italic note; the closing
    paragraphs; "Nơi nhận:" and the recipients beside the signature block. Pages from 2 on are
    numbered at the top centre. Noto Serif (fontpkg-noto-serif) is embedded; written in
    ReportLab's invariant mode, so the same document gives the same bytes.
    """
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus.flowables import HRFlowable

    path = Path(path)
    fonts = pdf_fonts()
    bold_paragraph, _ = pdf_classes()

    def bold(text: str, style: Any) -> Any:
        if fonts.fake_bold:
            return bold_paragraph(text, style)
        if style.fontName == fonts.italic:  # no bold italic face: italic
            return Paragraph(text, style)
        return Paragraph(text, style.clone(style.name + "-b", fontName=fonts.bold))

    def esc(text: object) -> str:
        return _xml_escape(one_line(text))

    def rule(width: float, space_before: float = 1.5) -> Any:
        return HRFlowable(
            width=width,
            thickness=0.7,
            color=colors.black,
            lineCap="butt",
            spaceBefore=space_before,
            spaceAfter=0,
            hAlign="CENTER",
        )

    if doc.landscape:
        pagesize = landscape(A4)
        left_margin, right_margin = 20 * mm, 15 * mm
    else:
        pagesize = A4
        left_margin, right_margin = 30 * mm, 15 * mm
    top_margin = bottom_margin = 20 * mm
    avail = pagesize[0] - left_margin - right_margin - 12  # the frame pads 6 pt a side
    bold_font = fonts.regular if fonts.fake_bold else fonts.bold
    bold_slack = 1.04 if fonts.fake_bold else 1.0  # fill + stroke widens glyphs a little

    base = ParagraphStyle(
        "report",
        fontName=fonts.regular,
        fontSize=_PDF_BODY_SIZE,
        leading=_PDF_BODY_SIZE * 1.3,
        alignment=TA_LEFT,
    )
    centered = base.clone("report-c", alignment=TA_CENTER)
    italic_c = centered.clone("report-ic", fontName=fonts.italic)

    # -- header: right column wide enough for the motto on one line
    head_size = 12.0
    motto_w = stringWidth(MOTTO, bold_font, head_size) * bold_slack + 2
    right_w = min(max(motto_w, avail * 0.56), avail * 0.64)
    if motto_w > right_w:
        head_size = head_size * right_w / motto_w
    left_w = avail - right_w
    head = centered.clone("head", fontSize=head_size, leading=head_size * 1.25)
    sub_size = head_size + 1
    head_sub = centered.clone("head-sub", fontSize=sub_size, leading=sub_size * 1.25)
    issuing = _balanced_lines(
        one_line(doc.issuing_body), bold_font, head_size, left_w / bold_slack, stringWidth
    )
    issuing_w = max(
        (stringWidth(t, bold_font, head_size) * bold_slack for t in issuing), default=0.0
    )
    left_cell: list[Any] = []
    if one_line(doc.superior_body):
        superior = _balanced_lines(
            one_line(doc.superior_body), fonts.regular, head_size, left_w, stringWidth
        )
        left_cell.append(Paragraph("<br/>".join(map(_xml_escape, superior)), head))
    left_cell += [
        bold("<br/>".join(map(_xml_escape, issuing)), head),
        rule(max(min(issuing_w, left_w) * 0.4, 20), 3.5),
    ]
    sub_w = stringWidth(MOTTO_SUB, bold_font, sub_size) * bold_slack
    right_cell = [bold(esc(MOTTO), head), bold(esc(MOTTO_SUB), head_sub), rule(sub_w, 2.5)]
    top = RLTable(
        [
            [left_cell, right_cell],
            [Paragraph(esc(doc.number), centered), Paragraph(esc(doc.place_date), italic_c)],
        ],
        colWidths=[left_w, right_w],
    )
    top.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, 1), 6),
            ]
        )
    )

    title_style = centered.clone("title", fontSize=14, leading=18)
    story: list[Any] = [top, Spacer(1, 9 * mm)]
    if one_line(doc.doc_type):
        story.append(bold(esc(doc.doc_type), title_style))
    story.append(bold(esc(doc.title), title_style))
    if one_line(doc.subtitle):
        story += [Spacer(1, 1), Paragraph(esc(doc.subtitle), italic_c)]
    title_w = stringWidth(one_line(doc.title), bold_font, 14)
    story += [rule(min(max(title_w / 3, 25 * mm), 60 * mm), 4), Spacer(1, 6 * mm)]

    body = base.clone("body", alignment=TA_JUSTIFY, firstLineIndent=10 * mm, spaceAfter=6)
    story += [Paragraph(esc(text), body) for text in doc.paragraphs]

    # -- tables
    for table in doc.tables:
        story.append(Spacer(1, 2 * mm))
        if isinstance(table, Text):
            if one_line(table.title):
                story.append(
                    bold(
                        esc(table.title),
                        base.clone("text-h", fontSize=12, leading=15, spaceAfter=3),
                    )
                )
            story.append(Paragraph(esc(table.text), body))
            continue
        story += _pdf_table(table, avail, bold, base)
        story.append(Spacer(1, 3 * mm))

    story += [Paragraph(esc(text), body) for text in doc.closing]

    # -- recipients and signature block
    recipients: list[Any] = []
    if doc.recipients:
        recipients.append(
            bold(
                esc(RECIPIENTS_LABEL),
                base.clone("recv-h", fontName=fonts.italic, fontSize=12, leading=15),
            )
        )
        small = base.clone("recv", fontSize=11, leading=13.5)
        recipients += [Paragraph(_xml_escape(text), small) for text in doc.recipient_lines]
    sign_style = centered.clone("sign", leading=_PDF_BODY_SIZE * 1.25)
    signature: list[Any] = [bold(esc(a), sign_style) for a in doc.signer_authority if one_line(a)]
    signature.append(Spacer(1, 24 * mm))
    if one_line(doc.signer_name):
        signature.append(bold(esc(doc.signer_name), sign_style))
    closing = RLTable([[recipients or "", signature]], colWidths=[avail * 0.45, avail * 0.55])
    closing.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story.append(KeepTogether([Spacer(1, 5 * mm), closing]))

    tmp = tmp_for(path)
    template = SimpleDocTemplate(
        str(tmp),
        pagesize=pagesize,
        leftMargin=left_margin,
        rightMargin=right_margin,
        topMargin=top_margin,
        bottomMargin=bottom_margin,
        title=one_line(f"{doc.doc_type} {doc.title}"),
        author=one_line(doc.issuing_body),
        subject=one_line(doc.subtitle),
        creator="chitra",
        invariant=1,
    )
    maker = functools.partial(_page_canvas(), font=fonts.regular)
    with atomic_path(path):  # the file appears whole or not at all
        template.build(story, canvasmaker=maker)
    return sha256_file(path)


# over the limits: one table's flowables: cell texts, widths, styles, wrapped data and the
# TableStyle commands all index the same columns and kinds, built in one pass per table
def _pdf_table(table: Table, avail: float, bold: Callable[[str, Any], Any], base: Any) -> list[Any]:
    """The flowables of one table: its title, the table (header repeated on every page), its
    note. ``bold`` makes a bold paragraph; ``base`` is the document's paragraph style."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import CondPageBreak, LongTable, Paragraph, TableStyle

    fonts = pdf_fonts()
    font = fonts.regular

    def esc(text: object) -> str:
        return _xml_escape(one_line(text))

    kinds = table.column_kinds
    ncols = len(table.headers)
    size = 10.0 if ncols > LANDSCAPE_COLUMNS else 11.0
    leading = size * 1.25
    texts = [[_cell_text(v, k) for v, k in zip(row, kinds, strict=True)] for row in table.rows]
    total_texts = (
        [_cell_text(v, k) for v, k in zip(table.total_row, kinds, strict=True)]
        if table.total_row is not None
        else None
    )
    headers = [one_line(h) for h in table.headers]
    widths = _pdf_col_widths(
        texts + ([total_texts] if total_texts else []),
        headers,
        kinds,
        avail,
        font,
        size,
        stringWidth,
    )

    cell_style = base.clone("cell", fontName=font, fontSize=size, leading=leading)
    head_style = cell_style.clone("cell-h", alignment=TA_CENTER)
    right_style = cell_style.clone("cell-r", alignment=TA_RIGHT)
    # The title stays with the header and a few rows: a new page when less room is left.
    out: list[Any] = [CondPageBreak(min(35 * mm + 2 * size * len(table.rows[:3]), 60 * mm))]
    if one_line(table.title):
        out.append(
            bold(esc(table.title), base.clone("table-title", fontSize=12, leading=15, spaceAfter=3))
        )

    def wrap(text: str, c: int) -> str:
        if _numeric(kinds[c]):
            return text
        return wrap_text(text, font, size, widths[c] - 2 * _PDF_PAD - 0.5, stringWidth)

    data: list[list[Any]] = [[bold(esc(h), head_style) for h in headers]]
    data += [[wrap(text, c) for c, text in enumerate(row)] for row in texts]
    if total_texts is not None:
        data.append(
            [
                bold(_xml_escape(text), right_style if _numeric(kinds[c]) else cell_style)
                if text
                else ""
                for c, text in enumerate(total_texts)
            ]
        )
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), leading),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), _PDF_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PDF_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
    ]
    commands += [("ALIGN", (c, 1), (c, -1), "RIGHT") for c in range(ncols) if _numeric(kinds[c])]
    grid = LongTable(data, colWidths=widths, repeatRows=1)
    grid.setStyle(TableStyle(commands))
    out.append(grid)
    if one_line(table.note):
        out.append(
            Paragraph(
                esc(table.note),
                base.clone(
                    "table-note", fontName=fonts.italic, fontSize=11, leading=14, spaceBefore=2
                ),
            )
        )
    return out
