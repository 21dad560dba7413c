"""Downloadable lists as xlsx, laid out as officers expect: title lines, bold header, frozen
header row, filters, widths, thousands separators for money. Text is always a string cell and
formula-looking text is quote-prefixed (:mod:`chitra.engine.sheets.cells`)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

import xlsxwriter

from chitra.engine.sheets.cells import XLSX_OPTIONS, XlsxText


def list_workbook(
    *,
    title: str,
    subtitle: str = "",
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    money_columns: Sequence[int] = (),
    sheet_name: str = "Danh sách",
) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "constant_memory": True, **XLSX_OPTIONS})
    cells = XlsxText(wb)
    ws = wb.add_worksheet(sheet_name[:31])
    bold = cells.add_format({"bold": True, "font_name": "Times New Roman", "font_size": 13})
    head = cells.add_format(
        {
            "bold": True,
            "border": 1,
            "text_wrap": True,
            "valign": "vcenter",
            "align": "center",
            "bg_color": "#DDEBF7",
            "font_name": "Times New Roman",
        }
    )
    text = cells.add_format({"border": 1, "font_name": "Times New Roman"})
    money = wb.add_format({"border": 1, "num_format": "#,##0", "font_name": "Times New Roman"})
    cells.write(ws, 0, 0, str(title), bold)
    if subtitle:
        cells.write(ws, 1, 0, str(subtitle))
    header_row = 3
    cells.write(ws, header_row, 0, "STT", head)
    for c, h in enumerate(headers, 1):
        cells.write(ws, header_row, c, str(h), head)
    widths = [5] + [max(10, min(40, len(h) + 2)) for h in headers]
    n = 0
    for n, row in enumerate(rows, 1):
        r = header_row + n
        ws.write_number(r, 0, n, text)
        for c, value in enumerate(row, 1):
            if value is None:
                ws.write_blank(r, c, None, text)
            elif (c - 1) in money_columns and isinstance(value, int | float):
                ws.write_number(r, c, value, money)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(r, c, value, text)
            else:
                s = str(value)
                cells.write(ws, r, c, s, text)
                widths[c] = max(widths[c], min(40, len(s) + 2))
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.freeze_panes(header_row + 1, 0)
    ws.autofilter(header_row, 0, header_row + max(n, 1), len(headers))
    wb.close()
    return buf.getvalue()
