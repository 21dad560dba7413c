"""Text cells that a spreadsheet cannot take for a formula (CSV/formula injection).

Every CSV and XLSX chitra writes holds values typed by somebody else: names and addresses from
imported lists, holder names sent by banks, complaint texts. A cell that begins with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by Excel and LibreOffice when
a CSV file is opened (``=HYPERLINK("http://x","y")``, ``=cmd|'/C calc'!A0``...). OWASP's
guidance (CSV Injection) is to make such a cell start with a single quote; what each format does
(ADR 0007):

* **CSV**: a formula-looking text cell is written with a leading ``'`` (:func:`csv_text`);
  spreadsheet programs then show it as text, and programs that read the file as data see the
  apostrophe, which no real value starts with.
* **XLSX**: text is always a string cell (``write_string``, workbooks opened with
  :data:`XLSX_OPTIONS`), which Excel never evaluates; a formula-looking one also gets the
  *quote prefix* cell attribute (:class:`XlsxText`), so that it stays text when somebody edits
  the cell. The value itself is unchanged (no visible apostrophe).

Numbers stay numbers: a value of a numeric type is never touched (a negative amount is written as
a number), and a text that is only a signed number (``-1.500.000``, ``+84912345678``) cannot call
anything and is left alone. The test reads the first character only, so the cost per cell is one
index and one set lookup. Pure Python, no Django.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

__all__ = [
    "FORMULA_START",
    "XLSX_OPTIONS",
    "XlsxText",
    "csv_text",
    "csv_text_block",
    "formula_like",
    "inert_table",
]

#: first characters that make a spreadsheet read a cell as a formula (OWASP)
FORMULA_START = frozenset("=+-@\t\r")
# A signed number in any common layout: digits with . , or spaces as separators.
_SIGNED_NUMBER_RE = r"[+-][0-9][0-9., ]*"
_SIGNED_NUMBER = re.compile(_SIGNED_NUMBER_RE).fullmatch

#: xlsxwriter options of every workbook chitra writes: text is never turned into a formula,
#: a number or a link
XLSX_OPTIONS: dict[str, bool] = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def formula_like(text: str) -> bool:
    """True when a spreadsheet would take ``text`` for a formula (see the module doc)."""
    if not text or text[0] not in FORMULA_START:
        return False
    return not (text[0] in "+-" and _SIGNED_NUMBER(text) is not None)


def csv_text(text: str) -> str:
    """``text`` as a CSV cell: with a leading ``'`` when it looks like a formula."""
    if text and text[0] in FORMULA_START and formula_like(text):
        return "'" + text
    return text


def _any_cell_start(delimiter: str) -> re.Pattern[str]:
    d = re.escape(delimiter)
    # a cell starts the text, follows a delimiter or a line end; a quoted one begins with "
    return re.compile(rf'(?:\A|{d}|\n)"?[=+\-@\t\r]')


_CELL_START: dict[str, re.Pattern[str]] = {}


def csv_text_block(text: str, delimiter: str, lineterminator: str = "\r\n") -> str:
    """Whole lines of CSV text (as :func:`csv.writer` wrote them, QUOTE_MINIMAL) with every
    formula-looking cell made inert by :func:`csv_text`.

    For the streamed payment files: one regular-expression scan per block of text finds whether
    any cell may start with a formula character; only then are the block's lines read back and
    written again, the other cells byte for byte as they were. Cells that are only a signed
    number (a negative amount) stay as they are, like :func:`csv_text` leaves them.
    """
    pattern = _CELL_START.get(delimiter)
    if pattern is None:
        pattern = _CELL_START.setdefault(delimiter, _any_cell_start(delimiter))
    if pattern.search(text) is None:
        return text
    out = io.StringIO()
    writer = csv.writer(
        out, delimiter=delimiter, lineterminator=lineterminator, quoting=csv.QUOTE_MINIMAL
    )
    for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        writer.writerow([csv_text(c) for c in cells])
    return out.getvalue()


class XlsxText:
    """Writes the text cells of one xlsxwriter workbook so that none can run as a formula.

    Formats are made through :meth:`add_format` (same properties as ``Workbook.add_format``)
    so that each has a twin with the quote-prefix attribute; :meth:`write` writes a string cell
    with the twin when the text looks like a formula. ``fmt_for`` gives the format to use for a
    text written by another call (``merge_range``).
    """

    def __init__(self, workbook: Any) -> None:
        self._wb = workbook
        self._quoted: dict[int, Any] = {}
        self._plain_quoted: Any = None

    def add_format(self, props: dict[str, Any] | None = None) -> Any:
        props = dict(props or {})
        fmt = self._wb.add_format(props)
        self._quoted[id(fmt)] = self._wb.add_format({**props, "quote_prefix": True})
        return fmt

    def fmt_for(self, text: str, fmt: Any = None) -> Any:
        if not (text and text[0] in FORMULA_START and formula_like(text)):
            return fmt
        if fmt is None:
            if self._plain_quoted is None:
                self._plain_quoted = self._wb.add_format({"quote_prefix": True})
            return self._plain_quoted
        quoted = self._quoted.get(id(fmt))
        if quoted is None:  # a format not made here: keep it (the cell is a string anyway)
            return fmt
        return quoted

    def write(self, ws: Any, row: int, col: int, text: str, fmt: Any = None) -> None:
        """A string cell (never a formula), quote-prefixed when it looks like one."""
        if text and text[0] in FORMULA_START:
            fmt = self.fmt_for(text, fmt)
        if fmt is None:
            ws.write_string(row, col, text)
        else:
            ws.write_string(row, col, text, fmt)


def inert_table(table: Any) -> Any:
    """An Arrow table with :func:`csv_text` applied to every text column (vectorised), for the
    CSV files written by Arrow (``chitra verify --out``)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for col in table.columns:
        if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
            columns.append(col)
            continue
        risky = pc.match_substring_regex(col, r"^[=+\-@\t\r]")
        if not pc.any(risky).as_py():
            columns.append(col)
            continue
        number = pc.match_substring_regex(col, "^" + _SIGNED_NUMBER_RE + "$")
        mask = pc.and_(risky, pc.invert(number)).fill_null(False)
        quoted = pc.binary_join_element_wise(pa.scalar("'"), col, "")
        columns.append(pc.if_else(mask, quoted, col))
    return pa.table(columns, names=table.column_names)
