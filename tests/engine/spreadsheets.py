"""Build realistic, messy government-style beneficiary spreadsheets for tests.

Importable as ``tests.engine.spreadsheets`` (no Django). ``make_messy_sheet`` writes xlsx
(xlsxwriter, real merged cells), xls (xlwt), ods (odfpy) or csv (utf-8, utf-8-sig or cp1258 with
Vietnamese decomposed tone marks) and returns where every input row landed (1-based sheet rows, as
Excel shows them).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

Fmt = Literal["xlsx", "xls", "ods", "csv"]

DEFAULT_LABELS: dict[str, str] = {
    "stt": "STT",
    "full_name": "Họ và tên",
    "birth_date": "Ngày sinh",
    "sex": "Giới tính",
    "personal_id": "Số CCCD",
    "old_id": "Số CMND",
    "si_number": "Mã số BHXH",
    "commune": "Xã/Phường",
    "address": "Địa chỉ",
    "phone": "Số điện thoại",
    "benefit_type": "Loại chế độ",
    "monthly_amount": "Mức hưởng",
    "start_month": "Tháng bắt đầu hưởng",
    "paid_through": "Đã chi trả đến tháng",
    "note": "Ghi chú",
}
# Labels as officers type them: line breaks, notes in brackets, (*) markers, stray spaces.
MESSY_LABELS: dict[str, str] = {
    "stt": "Số\nTT",
    "full_name": "Họ và tên ",
    "birth_date": "Ngày sinh\n(dd/mm/yyyy)",
    "sex": " Giới tính",
    "personal_id": "Số định danh\ncá nhân (*)",
    "si_number": "Mã số BHXH:",
    "commune": "Xã, phường",
    "monthly_amount": "Mức hưởng\n(đồng)",
    "benefit_type": "Loại\nchế độ",
}
COLUMN_ORDER: tuple[str, ...] = (
    "stt",
    "full_name",
    "birth_date",
    "sex",
    "personal_id",
    "old_id",
    "si_number",
    "commune",
    "address",
    "phone",
    "benefit_type",
    "monthly_amount",
    "start_month",
    "paid_through",
    "note",
)
GROUP_LABEL = "Thông tin người hưởng"
GROUP_FIELDS: tuple[str, ...] = ("full_name", "birth_date", "sex")
TITLE_LINES: tuple[str, ...] = (
    "BẢO HIỂM XÃ HỘI TỈNH TUYÊN QUANG",
    "DANH SÁCH NGƯỜI HƯỞNG LƯƠNG HƯU, TRỢ CẤP BHXH HẰNG THÁNG",
    "Tháng 01 năm 2025",
)
NUMERIC_ID_FIELDS = ("personal_id", "si_number", "old_id", "phone")
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


@dataclass
class MessySheet:
    path: Path
    columns: list[str]
    header_rows: list[int]  # 1-based
    data_rows: list[int]  # 1-based sheet row of each input row, in order
    total_row: int | None = None
    blank_rows: list[int] = field(default_factory=list)
    sheet_name: str | None = None
    labels: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# text helpers
# --------------------------------------------------------------------------------------------


def to_cp1258_text(text: str) -> str:
    """Rewrite ``text`` with the characters Windows-1258 can encode: precomposed base letters
    (â, ê, ô, ơ, ư, ă, đ...) followed by a combining tone mark where needed."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            ch.encode("cp1258")
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        keep = "".join(m for m in marks if m not in _TONES)
        tones = "".join(m for m in marks if m in _TONES)
        candidate = unicodedata.normalize("NFC", base + keep) + tones
        candidate.encode("cp1258")  # raises if still impossible
        out.append(candidate)
    return "".join(out)


def encode_cp1258(text: str) -> bytes:
    data = to_cp1258_text(text).encode("cp1258", errors="strict")
    back = unicodedata.normalize("NFC", data.decode("cp1258"))
    if back != unicodedata.normalize("NFC", text):  # pragma: no cover - guard for the fixture
        raise ValueError("cp1258 round trip failed")
    return data


def _text(value: object, nfd: bool) -> object:
    if isinstance(value, str) and nfd:
        return unicodedata.normalize("NFD", value)
    return value


# --------------------------------------------------------------------------------------------
# layout (format independent)
# --------------------------------------------------------------------------------------------


@dataclass
class _Layout:
    rows: list[list[object]]
    merges: list[tuple[int, int, int, int]]  # 0-based first_row, first_col, last_row, last_col
    header_rows: list[int]
    data_rows: list[int]
    total_row: int | None
    blank_rows: list[int]
    width: int


def _layout(
    rows: Sequence[Mapping[str, object]],
    columns: list[str],
    labels: Mapping[str, str],
    *,
    two_row_header: bool,
    title_lines: bool,
    totals_row: bool,
    blank_rows: bool,
    nfd: bool,
    ids_as_numbers: bool,
    leading_blank_rows: int,
    column_number_row: bool,
    signature_block: bool,
    repeat_header_every: int,
) -> _Layout:
    width = len(columns)
    grid: list[list[object]] = []
    merges: list[tuple[int, int, int, int]] = []

    def add(cells: Sequence[object] = ()) -> int:
        row = [_text(c, nfd) for c in cells] + [None] * (width - len(cells))
        grid.append(row)
        return len(grid) - 1

    for _ in range(leading_blank_rows):
        add()
    if title_lines:
        for n, line in enumerate(TITLE_LINES):
            r = add([line])
            if n == 1 and width > 1:
                merges.append((r, 0, r, width - 1))
        add()

    header_rows: list[int] = []
    header_cells: list[object] = [labels.get(c, c) for c in columns]
    header_copy: list[list[object]] = [header_cells]
    if two_row_header and all(g in columns for g in GROUP_FIELDS):
        first = columns.index(GROUP_FIELDS[0])
        top: list[object] = []
        low: list[object] = []
        for c, key in enumerate(columns):
            if key in GROUP_FIELDS:
                top.append(GROUP_LABEL if c == first else None)
                low.append(header_cells[c])
            else:
                top.append(header_cells[c])
                low.append(None)
        r1 = add(top)
        r2 = add(low)
        header_copy = [top, low]
        header_rows = [r1 + 1, r2 + 1]
        merges.append((r1, first, r1, first + len(GROUP_FIELDS) - 1))
        for c, key in enumerate(columns):
            if key not in GROUP_FIELDS:
                merges.append((r1, c, r2, c))
    else:
        header_rows = [add(header_cells) + 1]
    if column_number_row:
        add([f"({n})" for n in range(1, width + 1)])

    data_rows: list[int] = []
    blanks: list[int] = []
    for k, src in enumerate(rows):
        if blank_rows and k in (1, len(rows) // 2 + 1):
            blanks.append(add() + 1)
        if repeat_header_every and k and k % repeat_header_every == 0:
            for cells_copy in header_copy:  # header printed again on a new page
                add(cells_copy)
        cells: list[object] = []
        for key in columns:
            value = src.get(key, k + 1 if key == "stt" else None)
            if (
                ids_as_numbers
                and key in NUMERIC_ID_FIELDS
                and isinstance(value, str)
                and value.isdigit()
            ):
                value = int(value)
            cells.append(value)
        data_rows.append(add(cells) + 1)

    total_row: int | None = None
    if totals_row:
        cells = [None] * width
        label_col = 0 if columns[0] == "stt" else columns.index("full_name")
        cells[label_col] = "Tổng cộng"
        if "monthly_amount" in columns:
            amounts = [r.get("monthly_amount") for r in rows]
            cells[columns.index("monthly_amount")] = sum(
                a for a in amounts if isinstance(a, int) and not isinstance(a, bool)
            )
        total_row = add(cells) + 1
        if label_col == 0 and "full_name" in columns and columns.index("full_name") == 1:
            merges.append((total_row - 1, 0, total_row - 1, 1))
    if signature_block:
        add()
        add([None, None, None, None, None, "Tuyên Quang, ngày 14 tháng 01 năm 2025"])
        add([None, "NGƯỜI LẬP BIỂU", None, None, None, "GIÁM ĐỐC"])
        add()
        add([None, "Nguyễn Thị Lan", None, None, None, "Trần Văn Hùng"])
    return _Layout(grid, merges, header_rows, data_rows, total_row, blanks, width)


# --------------------------------------------------------------------------------------------
# writers
# --------------------------------------------------------------------------------------------


def _covered(merges: Sequence[tuple[int, int, int, int]]) -> dict[tuple[int, int], bool]:
    """Cells hidden by a merge (True) vs. the anchor cell (absent)."""
    out: dict[tuple[int, int], bool] = {}
    for r1, c1, r2, c2 in merges:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    out[(r, c)] = True
    return out


def _write_xlsx(path: Path, lay: _Layout, sheet_name: str, preface_sheet: str | None) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    if preface_sheet:
        wb.add_worksheet(preface_sheet).write(0, 0, "Hướng dẫn: nhập danh sách ở trang sau.")
    ws = wb.add_worksheet(sheet_name)
    bold = wb.add_format(
        {"bold": True, "text_wrap": True, "align": "center", "valign": "vcenter", "border": 1}
    )
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    header_idx = {r - 1 for r in lay.header_rows}
    anchors = {(m[0], m[1]): m for m in lay.merges}
    covered = _covered(lay.merges)
    for r, row in enumerate(lay.rows):
        for c, value in enumerate(row):
            if (r, c) in covered:
                continue
            fmt = bold if r in header_idx else None
            m = anchors.get((r, c))
            if m is not None:
                ws.merge_range(m[0], m[1], m[2], m[3], "", fmt or bold)
                if isinstance(value, date | datetime):
                    ws.write_datetime(r, c, value, date_fmt)
                elif value is not None:
                    ws.write(r, c, value, fmt or bold)
                continue
            if value is None:
                continue
            if isinstance(value, datetime):
                ws.write_datetime(r, c, value, date_fmt)
            elif isinstance(value, date):
                ws.write_datetime(r, c, datetime(value.year, value.month, value.day), date_fmt)
            elif isinstance(value, str):
                ws.write_string(r, c, value, fmt)
            else:
                ws.write(r, c, value, fmt)
    wb.close()


def _write_xls(path: Path, lay: _Layout, sheet_name: str, preface_sheet: str | None) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    if preface_sheet:
        wb.add_sheet(preface_sheet).write(0, 0, "Hướng dẫn: nhập danh sách ở trang sau.")
    ws = wb.add_sheet(sheet_name)
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    bold = xlwt.easyxf("font: bold on; align: wrap on, horiz center, vert center")
    header_idx = {r - 1 for r in lay.header_rows}
    anchors = {(m[0], m[1]): m for m in lay.merges}
    covered = _covered(lay.merges)
    for r, row in enumerate(lay.rows):
        for c, value in enumerate(row):
            if (r, c) in covered:
                continue
            style = bold if r in header_idx else xlwt.Style.default_style
            if isinstance(value, date | datetime):
                style = date_style
                if not isinstance(value, datetime):
                    value = datetime(value.year, value.month, value.day)
            m = anchors.get((r, c))
            if m is not None:
                ws.write_merge(m[0], m[2], m[1], m[3], value, style)
            elif value is not None:
                ws.write(r, c, value, style)
    wb.save(str(path))


def _write_ods(path: Path, lay: _Layout, sheet_name: str, preface_sheet: str | None) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    if preface_sheet:
        pre = Table(name=preface_sheet)
        tr = TableRow()
        cell = TableCell(valuetype="string")
        cell.addElement(P(text="Hướng dẫn: nhập danh sách ở trang sau."))
        tr.addElement(cell)
        pre.addElement(tr)
        doc.spreadsheet.addElement(pre)
    table = Table(name=sheet_name)
    anchors = {(m[0], m[1]): m for m in lay.merges}
    covered = _covered(lay.merges)
    for r, row in enumerate(lay.rows):
        tr = TableRow()
        last = max((c for c, v in enumerate(row) if v is not None or (r, c) in covered), default=-1)
        for c in range(max(last + 1, 1)):
            if (r, c) in covered:
                tr.addElement(CoveredTableCell())
                continue
            value = row[c] if c < len(row) else None
            kwargs: dict[str, object] = {}
            m = anchors.get((r, c))
            if m is not None:
                kwargs["numberrowsspanned"] = m[2] - m[0] + 1
                kwargs["numbercolumnsspanned"] = m[3] - m[1] + 1
            if value is None:
                cell = TableCell(**kwargs)
            elif isinstance(value, bool):
                cell = TableCell(valuetype="boolean", booleanvalue=str(value).lower(), **kwargs)
                cell.addElement(P(text=str(value).upper()))
            elif isinstance(value, int | float):
                cell = TableCell(valuetype="float", value=str(value), **kwargs)
                cell.addElement(P(text=str(value)))
            elif isinstance(value, date):
                iso = value.strftime("%Y-%m-%d")
                cell = TableCell(valuetype="date", datevalue=iso, **kwargs)
                cell.addElement(P(text=value.strftime("%d/%m/%Y")))
            else:
                cell = TableCell(valuetype="string", **kwargs)
                for line in str(value).split("\n"):
                    cell.addElement(P(text=line))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _write_csv(path: Path, lay: _Layout, encoding: str, delimiter: str) -> None:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for row in lay.rows:
        writer.writerow([_csv_cell(v) for v in row])
    text = buf.getvalue()
    data = encode_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    path.write_bytes(data)


# --------------------------------------------------------------------------------------------
# public entry point
# --------------------------------------------------------------------------------------------


def make_messy_sheet(
    path: str | Path,
    rows: Sequence[Mapping[str, object]],
    *,
    fmt: Fmt = "xlsx",
    encoding: Literal["utf-8", "utf-8-sig", "cp1258"] = "utf-8",
    two_row_header: bool = False,
    title_lines: bool = False,
    totals_row: bool = False,
    blank_rows: bool = False,
    nfd: bool = False,
    ids_as_numbers: bool = False,
    leading_blank_rows: int = 0,
    column_number_row: bool = False,
    signature_block: bool = False,
    repeat_header_every: int = 0,
    messy_labels: bool = False,
    labels: Mapping[str, str] | None = None,
    columns: Sequence[str] | None = None,
    sheet_name: str = "Danh sách",
    preface_sheet: str | None = None,
    delimiter: str = ",",
) -> MessySheet:
    """Write ``rows`` (dicts keyed by field: personal_id, full_name, birth_date...) as a
    government-style list. Values are written as given (str, int, float, date); ``stt`` is
    numbered automatically. Returns the 1-based sheet row of every input row."""
    p = Path(path)
    if columns is None:
        present = {k for r in rows for k in r}
        cols = ["stt"] + [c for c in COLUMN_ORDER if c in present and c != "stt"]
        cols += sorted(k for k in present if k not in COLUMN_ORDER)
    else:
        cols = list(columns)
    merged_labels = dict(DEFAULT_LABELS)
    if messy_labels:
        merged_labels.update(MESSY_LABELS)
    if labels:
        merged_labels.update(labels)
    lay = _layout(
        rows,
        cols,
        merged_labels,
        two_row_header=two_row_header,
        title_lines=title_lines,
        totals_row=totals_row,
        blank_rows=blank_rows,
        nfd=nfd,
        ids_as_numbers=ids_as_numbers,
        leading_blank_rows=leading_blank_rows,
        column_number_row=column_number_row,
        signature_block=signature_block,
        repeat_header_every=repeat_header_every,
    )
    if fmt == "xlsx":
        _write_xlsx(p, lay, sheet_name, preface_sheet)
    elif fmt == "xls":
        _write_xls(p, lay, sheet_name, preface_sheet)
    elif fmt == "ods":
        _write_ods(p, lay, sheet_name, preface_sheet)
    elif fmt == "csv":
        _write_csv(p, lay, encoding, delimiter)
    else:  # pragma: no cover
        raise ValueError(f"unknown format {fmt}")
    return MessySheet(
        path=p,
        columns=cols,
        header_rows=lay.header_rows,
        data_rows=lay.data_rows,
        total_row=lay.total_row,
        blank_rows=lay.blank_rows,
        sheet_name=None if fmt == "csv" else sheet_name,
        labels={c: merged_labels.get(c, c) for c in cols},
    )


def sample_rows(n: int = 5, *, start: int = 0) -> list[dict[str, object]]:
    """Valid rows for the communes of :data:`SAMPLE_COMMUNES` and benefits of
    :data:`SAMPLE_BENEFITS`. IDs start with 0 (so they lose zeros as numbers)."""
    names = [
        "Nguyễn Văn Đức",
        "Trần Thị Hoà",
        "Lê Văn Thuỷ",
        "Phạm Thị Ngọc Ánh",
        "Hoàng Văn Đạt",
        "Vũ Thị Lụa",
        "Đặng Văn Quý",
        "Bùi Thị Yến",
    ]
    communes = list(SAMPLE_COMMUNES.values())
    out: list[dict[str, object]] = []
    for k in range(start, start + n):
        male = k % 2 == 0
        year = 1940 + (k * 7) % 30
        g = "0" if male else "1"
        pid = f"008{g}{year % 100:02d}{k:06d}"
        out.append(
            {
                "full_name": names[k % len(names)],
                "birth_date": date(year, 1 + k % 12, 1 + k % 28),
                "sex": "Nam" if male else "Nữ",
                "personal_id": pid,
                "si_number": f"08{k:08d}",
                "commune": communes[k % len(communes)],
                "address": f"Thôn {k + 1}",
                "phone": f"09123{k:05d}",
                "benefit_type": "Lương hưu",
                "monthly_amount": 1_500_000 + 1000 * k,
                "start_month": "01/2020",
            }
        )
    return out


SAMPLE_COMMUNES: dict[str, str] = {
    "02269": "Xã Thượng Lâm",
    "02270": "Phường Minh Xuân",
    "02275": "Xã Minh Xuân",
    "02281": "Xã Lâm Bình",
    "02290": "Phường An Tường",
    "02299": "Đặc khu Côn Đảo",
}
SAMPLE_BENEFITS: dict[str, tuple[str, ...]] = {
    "PENSION": ("Lương hưu", "Hưu trí"),
    "MONTHLY_ALLOWANCE": ("Trợ cấp BHXH hằng tháng", "Trợ cấp hằng tháng"),
    "LUMP_SUM": ("BHXH một lần",),
    "UNEMPLOYMENT": ("Trợ cấp thất nghiệp", "TCTN"),
}
