"""Workbooks as the documents write them: streamed (constant memory), the same rows giving the
same bytes, numbers Excel cannot hold exactly written as text, valid sheet names."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from chitra.engine.sheets.cells import XLSX_OPTIONS

__all__ = [
    "FIXED_CREATED",
    "MAX_EXACT_INT",
    "STREAM_OPTIONS",
    "excel_date_format",
    "new_workbook",
    "sheet_name",
]

# Workbook "created" property written into every xlsx, so that the same rows give the same bytes
# (xlsxwriter already fixes the zip members' timestamps).
FIXED_CREATED = datetime(2000, 1, 1)
MAX_EXACT_INT = 10**15  # Excel keeps 15 significant digits: larger integers are written as text


_STRFTIME_TO_EXCEL = {
    "d": "dd",
    "m": "mm",
    "Y": "yyyy",
    "y": "yy",
    "H": "hh",
    "M": "mm",
    "S": "ss",
    "%": "%",
}


def excel_date_format(date_format: str) -> str:
    """Excel number format equivalent to a strftime format (dd/mm/yyyy when not expressible)."""
    out: list[str] = []
    i = 0
    while i < len(date_format):
        ch = date_format[i]
        if ch == "%":
            token = date_format[i + 1 : i + 2]
            if token not in _STRFTIME_TO_EXCEL:
                return "dd/mm/yyyy"
            out.append(_STRFTIME_TO_EXCEL[token])
            i += 2
            continue
        out.append(ch if ch in "/-.:, " else f'"{ch}"' if ch != '"' else '\\"')
        i += 1
    return "".join(out)


STREAM_OPTIONS = {"constant_memory": True, **XLSX_OPTIONS}


def new_workbook(path: Path) -> Any:
    """A streaming workbook at ``path`` whose bytes depend only on what is written in it."""
    wb = xlsxwriter.Workbook(str(path), dict(STREAM_OPTIONS))
    wb.set_properties({"created": FIXED_CREATED})
    return wb


@contextmanager
def closed_on_error(wb: Any) -> Iterator[Any]:
    """`wb` for a block that closes it itself when it succeeds; when the block raises, the
    workbook is closed quietly (its file handle released) before the error goes on, so that
    the enclosing `atomic_path` can remove the temporary file."""
    try:
        yield wb
    except BaseException:
        with suppress(Exception):
            wb.close()
        raise


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str) -> str:
    """``name`` as a valid sheet name (no ``[]:*?/\\``, at most 31 characters)."""
    cleaned = _SHEET_BAD.sub(" ", name).strip().strip("'")[:31]
    return cleaned or "Sheet1"
