"""Write rejected rows back to an .xlsx the user can fix and re-import. Pure Python, no Django."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from chitra.engine.sheets.cells import XLSX_OPTIONS, XlsxText
from chitra.engine.sheets.spec import RejectedRow
from chitra.kernel.issues import Issue

__all__ = ["write_error_workbook"]

_MAX_WIDTH = 60
_MIN_WIDTH = 6
_SAMPLE_ROWS = 500


def _default_reason(issue: Issue) -> str:
    return issue.message_en


def _text_width(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime | date):
        return 10
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def write_error_workbook(
    path: str | Path,
    header_labels: list[str],
    rejected: Sequence[RejectedRow],
    *,
    reason_header: str = "Lý do từ chối",
    row_header: str = "Dòng",
    reasons: Callable[[Issue], str] | None = None,
    sheet_name: str = "Lỗi",
) -> None:
    """One sheet: ``Dòng`` (the original sheet row), the original columns, then the reasons.

    ``reasons`` renders one issue (default: :attr:`Issue.message_en`); a row's reasons are joined
    with ``"; "``. Written in xlsxwriter's constant-memory mode (rows strictly in order).
    """
    render = reasons or _default_reason
    width = max([len(header_labels)] + [len(r.cells) for r in rejected])
    labels = list(header_labels) + [""] * (width - len(header_labels))

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, **XLSX_OPTIONS})
    cells = XlsxText(wb)
    try:
        ws = wb.add_worksheet(sheet_name)
        bold_props = {
            "bold": True,
            "text_wrap": True,
            "valign": "top",
            "border": 1,
            "bg_color": "#F2F2F2",
        }
        date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
        datetime_fmt = wb.add_format({"num_format": "dd/mm/yyyy hh:mm"})
        reason_fmt = cells.add_format({"font_color": "#9C0006"})

        reason_col = width + 1
        widths = _column_widths(labels, rejected, width, row_header, reason_header, render)
        for c, w in enumerate(widths):
            ws.set_column(c, c, min(max(w + 2, _MIN_WIDTH), _MAX_WIDTH if c != reason_col else 100))

        bold = cells.add_format(bold_props)
        cells.write(ws, 0, 0, row_header, bold)
        for c, label in enumerate(labels):
            cells.write(ws, 0, c + 1, label, bold)
        cells.write(ws, 0, reason_col, reason_header, bold)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(rejected), 1), reason_col)

        for n, rej in enumerate(rejected, start=1):
            ws.write_number(n, 0, rej.sheet_row)
            for c, value in enumerate(rej.cells[:width]):
                _write_cell(ws, cells, n, c + 1, value, date_fmt, datetime_fmt)
            cells.write(ws, n, reason_col, "; ".join(render(i) for i in rej.issues), reason_fmt)
    finally:
        wb.close()


def _column_widths(
    labels: list[str],
    rejected: Sequence[RejectedRow],
    width: int,
    row_header: str,
    reason_header: str,
    render: Callable[[Issue], str],
) -> list[int]:
    """Column widths from the header and a sample of rows (constant memory: set up front)."""
    reason_col = width + 1
    widths = [max(len(row_header), 5)] + [_text_width(lb) for lb in labels] + [len(reason_header)]
    for rej in rejected[:_SAMPLE_ROWS]:
        for c, value in enumerate(rej.cells[:width]):
            widths[c + 1] = max(widths[c + 1], _text_width(value))
        text = "; ".join(render(i) for i in rej.issues)
        widths[reason_col] = max(widths[reason_col], len(text))
    return widths


def _write_cell(
    ws: Any, cells: XlsxText, row: int, col: int, value: object, date_fmt: Any, datetime_fmt: Any
) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        ws.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            ws.write_string(row, col, str(value))
        elif isinstance(value, int) and abs(value) >= 10**15:
            ws.write_string(row, col, str(value))  # beyond Excel's 15 significant digits
        else:
            ws.write_number(row, col, value)
    elif isinstance(value, datetime):
        ws.write_datetime(row, col, value, datetime_fmt)
    elif isinstance(value, date):
        ws.write_datetime(row, col, datetime(value.year, value.month, value.day), date_fmt)
    else:
        cells.write(ws, row, col, str(value))
