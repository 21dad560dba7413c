"""Read any spreadsheet (xlsx, xlsm, xlsb, xls, ods, csv, txt) into a raw grid of Python values.

The grid keeps every row, including title lines and blank rows, so ``rows[i]`` is the sheet's row
``i + 1`` as the user sees it in Excel (or line ``i + 1`` of a CSV file). Pure Python, no Django.
"""

from __future__ import annotations

import csv
import io
import itertools
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import fastexcel
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chitra.engine.sheets.limits import (
    DEFAULT_LIMITS,
    ZIPPED_EXTENSIONS,
    ReadLimits,
    check_archive,
    check_file_size,
    declared_dimensions,
)

__all__ = [
    "EXCEL_EXTENSIONS",
    "TEXT_EXTENSIONS",
    "Grid",
    "HeaderSpec",
    "TableReadError",
    "read_grid",
]

EXCEL_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
TEXT_EXTENSIONS = frozenset({".csv", ".txt", ".tsv"})
_SUPPORTED = "Excel (.xlsx, .xlsm, .xlsb, .xls), OpenDocument (.ods) or CSV/text (.csv, .txt)"

Cell = object | None


class TableReadError(Exception):
    """The file cannot be read as a table. ``message`` is plain English; errors the Django layer
    says in Vietnamese carry a stable ``code`` and the ``params`` of the message (limits, empty
    workbooks, no header: see ``chitra.core.errors.table_error_text``)."""

    def __init__(
        self, message: str, *, code: str = "", params: Mapping[str, object] | None = None
    ) -> None:
        self.message = message
        self.code = code
        self.params = dict(params or {})
        super().__init__(message)


@dataclass(frozen=True)
class HeaderSpec:
    """The header a caller looks for: used to pick the sheet of a workbook that holds it (a
    cover page or instructions may come first)."""

    fields: Mapping[str, Sequence[str]]
    required: Sequence[str] = ()


@dataclass
class Grid:
    rows: list[list[object | None]]
    sheet_name: str | None = None
    sheet_names: list[str] = field(default_factory=list)
    #: characters of the longest text cell, when the reader measured it (cheaply, by column);
    #: None: unknown, a parser checks each cell it reads
    longest_text: int | None = None

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


def read_grid(
    path: str | Path,
    *,
    sheet: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    header: HeaderSpec | None = None,
) -> Grid:
    """Read the first sheet (or ``sheet``) of a spreadsheet or a CSV file into a :class:`Grid`.

    The file is checked against ``limits`` first (size; for zipped formats the archive, before
    the spreadsheet reader opens it), then while it is read (rows, columns). With ``header``
    and no ``sheet``, the first sheet whose first rows hold that header is read (a cover page
    or instructions may come first); when none does, :class:`TableReadError` ``no_header``
    names the sheets looked at, unless only one sheet has data (then it is returned and the
    caller reports its header). An empty workbook or file is ``workbook_empty``/``file_empty``
    when ``header`` is given, an empty grid otherwise.

    Raises :class:`TableReadError` for an unsupported extension, an unreadable file, a sheet
    that does not exist, or a limit.
    """
    p = Path(path)
    ext = p.suffix.lower()
    if ext not in EXCEL_EXTENSIONS and ext not in TEXT_EXTENSIONS:
        raise TableReadError(
            f"Cannot read '{p}': unsupported file type '{ext or '(none)'}'. "
            f"Supported: {_SUPPORTED}."
        )
    if not p.is_file():
        raise TableReadError(f"Cannot read '{p}': the file does not exist.")
    check_file_size(p, limits)
    if ext in TEXT_EXTENSIONS:
        grid = _read_text(p, limits)
        if header is not None and not grid.rows:
            raise TableReadError(f"'{p.name}' is empty.", code="file_empty")
        return grid
    if ext in ZIPPED_EXTENSIONS:
        check_archive(p, limits)
    return _read_excel(p, sheet, limits, header)


def _missing_header(grid: Grid, header: HeaderSpec) -> list[str] | None:
    """None when ``grid`` holds ``header``; else the labels of the required columns it lacks."""
    from chitra.engine.sheets.headers import HeaderError, find_header

    try:
        find_header(grid.rows, header.fields, required=header.required)
    except HeaderError as exc:
        return [header.fields[k][0] if header.fields.get(k) else k for k in exc.missing]
    return None


# --------------------------------------------------------------------------------------------
# Excel / ODS via fastexcel (calamine)
# --------------------------------------------------------------------------------------------
#
# Cell types. fastexcel guesses one dtype per column; with title and header lines in the grid,
# every column that has a header is a mixed column, and the only lossless dtype is "string":
# "float" turns text into null (and numeric text such as "001234567890" into 1234567890.0, losing
# the zeros), "datetime" turns numbers into dates. Reading the sheet twice with different dtypes
# would double the parse time (about 2.5 s each for 300k x 15 cells). So the sheet is read once
# with dtypes="string" and the types are restored vectorially from calamine's canonical
# rendering, which is reversible:
#   * numbers render as Rust's f64 Display: "1500000", "1.5" (never "1.50", "01", "1e5");
#     text in exactly that canonical form becomes the same number, with no loss since
#     str(number) gives back the text (floats only when repr() round-trips, else the text stays).
#     Text with leading zeros ("0912345678") stays text;
#   * dates render as "YYYY-MM-DD HH:MM:SS" (xlsx/xls) or ISO "YYYY-MM-DD[THH:MM:SS]" (ods):
#     midnight values become datetime.date, others datetime.datetime;
#   * booleans render "true"/"false" and stay strings; error cells (#DIV/0!) become None.

_INT_RE = r"^-?(?:0|[1-9][0-9]*)$"
_FLOAT_RE = r"^-?(?:0|[1-9][0-9]*)\.[0-9]*[1-9]$"
_DATE_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T]00:00:00(?:\.0+)?)?$"
_DATETIME_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}$"


def _column_values(arr: pa.Array) -> list[object | None]:
    """Convert one string column to Python values, restoring numbers and dates."""
    if arr.type != pa.string() and arr.type != pa.large_string():
        arr = arr.cast(pa.string())
    values: list[object | None] = arr.to_pylist()
    if arr.null_count == len(arr):
        return values
    # Cheap pre-filter: columns of names, addresses... have no cell starting with a digit.
    if not pc.any(pc.match_substring_regex(arr, r"^-?[0-9]").fill_null(False)).as_py():
        return values
    for pattern, convert in (
        (_INT_RE, int),
        (_FLOAT_RE, _to_float),
        (_DATE_RE, _to_date),
        (_DATETIME_RE, _to_datetime),
    ):
        mask = pc.match_substring_regex(arr, pattern).fill_null(False)
        if not pc.any(mask).as_py():
            continue
        for i in np.flatnonzero(mask.to_numpy(zero_copy_only=False)).tolist():
            text = values[i]
            if isinstance(text, str):  # not yet converted by an earlier pattern
                converted = convert(text)
                if converted is not None:
                    values[i] = converted
    return values


def _to_float(text: str) -> float | None:
    value = float(text)
    return value if repr(value) == text else None  # keep text that a float cannot hold exactly


def _to_date(text: object) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10])
    except ValueError:  # e.g. text "2023-02-30"
        return None


def _to_datetime(text: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return None


def _read_excel(p: Path, sheet: str | None, limits: ReadLimits, header: HeaderSpec | None) -> Grid:
    reader, names = _open_workbook(p)
    dims = declared_dimensions(p)
    if sheet is not None:
        return _load_sheet(reader, p, _find_sheet(sheet, names, p), names, limits, dims)
    if header is None:
        # No sheet asked for: the first one, unless it is empty (a blank "Sheet1" first).
        grid = _load_sheet(reader, p, names[0], names, limits, dims)
        for other in names[1:]:
            if grid.rows:
                break
            grid = _load_sheet(reader, p, other, names, limits, dims)
        return grid if grid.rows else Grid(rows=[], sheet_name=names[0], sheet_names=names)
    return _sheet_with_header(reader, p, names, limits, dims, header)


def _open_workbook(p: Path) -> tuple[fastexcel.ExcelReader, list[str]]:
    """The fastexcel reader of a workbook and its sheet names (at least one)."""
    with p.open("rb") as fh:
        head = fh.read(512)
    try:
        reader = fastexcel.read_excel(str(p))
        names = list(reader.sheet_names)
    except Exception as exc:  # fastexcel raises several error classes
        hint = ""
        if head.lstrip().startswith(b"<"):
            hint = (
                " The file looks like a web page (HTML) saved with a spreadsheet extension;"
                " open it in Excel and save it as .xlsx."
            )
        raise TableReadError(
            f"Cannot read '{p}' as a {p.suffix.lower()} spreadsheet: {exc}.{hint} "
            f"Supported: {_SUPPORTED}."
        ) from exc
    if not names:
        raise TableReadError(
            f"Cannot read '{p}': the workbook has no sheets.",
            code="workbook_empty",
            params={"sheets": []},
        )
    return reader, names


def _sheet_with_header(
    reader: fastexcel.ExcelReader,
    p: Path,
    names: list[str],
    limits: ReadLimits,
    dims: dict[str, tuple[int, int]],
    header: HeaderSpec,
) -> Grid:
    """The first sheet that holds the header (cover pages and instructions come first)."""
    looked: list[tuple[str, list[str] | None]] = []  # (sheet, missing columns; None: empty)
    with_data: list[Grid] = []
    for name in names:
        grid = _load_sheet(reader, p, name, names, limits, dims)
        if not grid.rows:
            looked.append((name, None))
            continue
        missing = _missing_header(grid, header)
        if missing is None:
            return grid
        looked.append((name, missing))
        with_data.append(grid)
    if not with_data:
        raise TableReadError(
            f"The workbook '{p.name}' is empty: no sheet holds any data (sheets: "
            + ", ".join(f"'{n}'" for n in names)
            + ").",
            code="workbook_empty",
            params={"sheets": names},
        )
    if len(with_data) == 1:
        return with_data[0]  # the caller says what its header lacks
    raise TableReadError(
        f"No sheet of '{p.name}' has a recognisable header row. Sheets looked at: "
        + "; ".join(
            f"'{n}' ("
            + ("empty" if why is None else "missing " + ", ".join(f"'{c}'" for c in why))
            + ")"
            for n, why in looked
        )
        + ".",
        code="no_header",
        params={"sheets": looked},
    )


def _load_sheet(
    reader: fastexcel.ExcelReader,
    p: Path,
    name: str,
    names: list[str],
    limits: ReadLimits,
    dims: Mapping[str, tuple[int, int]],
) -> Grid:
    declared = dims.get(name)
    if declared is not None:
        _check_shape(name, declared[0], declared[1], limits)
    try:
        # header_row=None: no header. skip_rows=0 (not None!) keeps leading blank rows: with
        # None fastexcel drops the empty rows at the top and row numbers would shift.
        # n_rows: one more than allowed, so that a longer sheet is seen and refused.
        loaded = reader.load_sheet(
            name, header_row=None, skip_rows=0, dtypes="string", n_rows=limits.max_rows + 1
        )
        columns = loaded.available_columns()
        batch = loaded.to_arrow()
    except Exception as exc:
        raise TableReadError(f"Cannot read sheet '{name}' of '{p}': {exc}.") from exc
    # calamine starts at the first used column: pad so column indices match the sheet.
    offset = columns[0].absolute_index if columns else 0
    _check_shape(name, batch.num_rows, offset + batch.num_columns, limits)
    cols: list[list[object | None]] = [
        _column_values(batch.column(i)) for i in range(batch.num_columns)
    ]
    longest = 0
    for i in range(batch.num_columns):
        arr = batch.column(i)
        if arr.null_count < len(arr):
            longest = max(longest, pc.max(pc.utf8_length(arr)).as_py() or 0)
    n = batch.num_rows
    if offset:
        blank: list[list[object | None]] = [[None] * n for _ in range(offset)]
        cols = blank + cols
    rows = [list(r) for r in zip(*cols, strict=True)] if cols else [[] for _ in range(n)]
    _trim_tail(rows)
    return Grid(rows=rows, sheet_name=name, sheet_names=names, longest_text=longest)


def _check_shape(sheet: str | None, rows: int, columns: int, limits: ReadLimits) -> None:
    where = f"Sheet '{sheet}'" if sheet is not None else "The file"
    if rows > limits.max_rows:
        raise TableReadError(
            f"{where} has more than {limits.max_rows:,} rows; split the list into several files.",
            code="too_many_rows",
            params={"sheet": sheet or "", "rows": rows, "limit": limits.max_rows},
        )
    if columns > limits.max_columns:
        raise TableReadError(
            f"{where} has {columns:,} columns; at most {limits.max_columns:,} are read. "
            f"Delete the unused columns.",
            code="too_many_columns",
            params={"sheet": sheet or "", "columns": columns, "limit": limits.max_columns},
        )


def _find_sheet(sheet: str, names: list[str], p: Path) -> str:
    if sheet in names:
        return sheet
    wanted = " ".join(unicodedata.normalize("NFC", sheet).casefold().split())
    for candidate in names:
        if " ".join(unicodedata.normalize("NFC", candidate).casefold().split()) == wanted:
            return candidate
    available = ", ".join(f"'{n}'" for n in names)
    raise TableReadError(f"Sheet '{sheet}' not found in '{p}'. Available sheets: {available}.")


def _trim_tail(rows: list[list[object | None]]) -> None:
    """Drop trailing rows with no value at all (row numbers of the others are unchanged)."""
    while rows and not any(c is not None and c != "" for c in rows[-1]):
        rows.pop()


# --------------------------------------------------------------------------------------------
# CSV / text
# --------------------------------------------------------------------------------------------

_DELIMITERS = (",", ";", "\t", "|")


def _decode(data: bytes) -> str:
    """UTF-8 with BOM, UTF-16 with BOM, UTF-8, else Windows-1258 (Vietnamese ANSI)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace")


def _sniff_delimiter(text: str) -> str:
    sample_lines = [ln for ln in text[:65536].splitlines()[:60] if ln.strip()]
    sample = "\n".join(sample_lines)
    best = ","
    best_score = (0, 0)
    for delim in _DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=delim)]
        except csv.Error:
            continue
        multi = [c for c in counts if c > 1]
        if not multi:
            continue
        modal, freq = Counter(multi).most_common(1)[0]
        score = (freq, modal)
        if score > best_score:
            best, best_score = delim, score
    return best


def _read_text(p: Path, limits: ReadLimits = DEFAULT_LIMITS) -> Grid:
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise TableReadError(f"Cannot read '{p}': {exc}.") from exc
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TableReadError(
            f"Cannot read '{p}' as CSV: the file is binary. Supported: {_SUPPORTED}."
        )
    text = _decode(data)
    # cp1258 (and some UTF-8 exports) carry decomposed tone marks: normalise once, whole text.
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    delim = _sniff_delimiter(text)
    try:
        raw_rows = list(
            itertools.islice(
                csv.reader(io.StringIO(text, newline=""), delimiter=delim), limits.max_rows + 1
            )
        )
    except csv.Error as exc:
        raise TableReadError(f"Cannot read '{p}' as CSV: {exc}.") from exc
    width = max((len(r) for r in raw_rows), default=0)
    _check_shape(None, len(raw_rows), width, limits)
    longest = max((max(map(len, r), default=0) for r in raw_rows), default=0)
    rows: list[list[object | None]] = []
    for r in raw_rows:
        row: list[object | None] = [c if c != "" else None for c in r]
        if len(row) < width:
            row.extend([None] * (width - len(row)))
        rows.append(row)
    _trim_tail(rows)
    return Grid(rows=rows, sheet_name=None, sheet_names=[], longest_text=longest)
