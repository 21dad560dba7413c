"""A batch's payment file in the layout its provider asks for: CSV or XLSX parts.

* :class:`FileProfile` (stored by the app as JSON) says which columns, in which order, with
  which header texts, encoding, delimiter, amount and date formats;
* :func:`write_csv` / :func:`write_xlsx_parts` write the payroll lines of a batch in it.

Everything is whole đồng (``int``). Every writer is deterministic: the same input gives the same
bytes (and so the same SHA-256), which the app records. Pure Python, no Django.
"""

from __future__ import annotations

import codecs
import csv
import functools
import hashlib
import io
import operator
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from chitra.engine.render.files import atomic_files, atomic_path, sha256_file
from chitra.engine.render.text import vn_thousands
from chitra.engine.render.xlsx import MAX_EXACT_INT, excel_date_format, new_workbook
from chitra.engine.sheets.cells import FORMULA_START, XlsxText, csv_text_block

__all__ = [
    "AMOUNT_FORMATS",
    "ENCODINGS",
    "XLSX_MAX_ROWS",
    "FileProfile",
    "write_csv",
    "write_xlsx_parts",
]

XLSX_MAX_ROWS = 1_048_576
ENCODINGS = ("utf-8", "utf-8-sig", "cp1258")
_ENCODING_ALIASES = {
    "utf8": "utf-8",
    "utf8-sig": "utf-8-sig",
    "utf-8-bom": "utf-8-sig",
    "windows-1258": "cp1258",
    "cp-1258": "cp1258",
}
AMOUNT_FORMATS = ("plain", "dotted")

_CSV_CHUNK_CHARS = 1 << 20  # characters of CSV text encoded, hashed and written at a time


_PROFILE_KEYS = ("columns", "header", "encoding", "delimiter", "amount_format", "date_format")


def _checked_columns(raw: Any) -> tuple[tuple[str, str], ...]:
    """The (header text, field key) pairs of a profile: at least one, strings, each key set."""
    try:
        columns = tuple(
            (pair[0], pair[1])
            if isinstance(pair, list | tuple) and len(pair) == 2
            else (None, None)
            for pair in raw
        )
    except TypeError:
        raise ValueError(
            "File profile: 'columns' must be a list of [header text, field key] pairs."
        ) from None
    if not columns:
        raise ValueError("File profile: 'columns' must list at least one column.")
    for n, (head, key) in enumerate(columns, start=1):
        if not isinstance(head, str) or not isinstance(key, str) or not key.strip():
            raise ValueError(
                f"File profile: column {n} must be a [header text, field key] pair of "
                f"strings with a non-empty field key, got {raw[n - 1]!r}."
            )
    return columns  # type: ignore[return-value]


def _check_delimiter(delimiter: Any) -> None:
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n':
        raise ValueError(
            f"File profile: 'delimiter' must be one character other than a "
            f"quote or a line break, got {delimiter!r}."
        )


def _check_date_format(date_format: Any) -> None:
    if not isinstance(date_format, str) or "%" not in date_format:
        raise ValueError(
            f"File profile: 'date_format' must be a strftime format such as "
            f"'%d/%m/%Y', got {date_format!r}."
        )
    try:
        date(2000, 1, 2).strftime(date_format)
    except ValueError as exc:
        raise ValueError(f"File profile: invalid date_format {date_format!r}: {exc}.") from None


def _column_from_json(n: int, item: Any) -> tuple[Any, Any]:
    """Column `n` of a profile's JSON form: a [header, field] pair or a {header, field} object."""
    if isinstance(item, dict):
        extra = sorted(str(k) for k in item if k not in ("header", "field"))
        if extra or "field" not in item:
            raise ValueError(
                f"File profile: column {n} must have keys 'header' and 'field', got {item!r}."
            )
        return (item.get("header", item["field"]), item["field"])
    if isinstance(item, list | tuple) and len(item) == 2:
        return (item[0], item[1])
    raise ValueError(
        f"File profile: column {n} must be a [header text, field key] pair, got {item!r}."
    )


def _check_option_types(data: dict[str, Any]) -> None:
    for key, kind in (
        ("header", bool),
        ("encoding", str),
        ("delimiter", str),
        ("amount_format", str),
        ("date_format", str),
    ):
        if key in data and not isinstance(data[key], kind):
            raise ValueError(f"File profile: '{key}' must be a {kind.__name__}, got {data[key]!r}.")


@dataclass(frozen=True)
class FileProfile:
    """Layout of a provider's CSV/XLSX payment file.

    ``columns`` are ``(header text, field key)`` pairs in file order; the field key is looked up
    in each row mapping given to the writers. Field values may be ``str`` (written as is),
    ``int`` (an amount in đồng: ``amount_format`` in CSV, a number formatted ``#,##0`` in XLSX),
    ``date``/``datetime`` (``date_format`` in CSV, a real date in XLSX) or ``None`` (empty).
    Identifiers that look like numbers (account numbers, IDs) must be passed as ``str``.
    """

    columns: tuple[tuple[str, str], ...]
    header: bool = True
    encoding: str = "utf-8"  # "utf-8", "utf-8-sig" or "cp1258"
    delimiter: str = ","
    amount_format: str = "plain"  # "plain" -> 3500000 ; "dotted" -> 3.500.000
    date_format: str = "%d/%m/%Y"

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", _checked_columns(self.columns))
        if isinstance(self.encoding, str):
            encoding = self.encoding.strip().lower().replace("_", "-")
            object.__setattr__(self, "encoding", _ENCODING_ALIASES.get(encoding, encoding))
        if not isinstance(self.header, bool):
            raise ValueError(f"File profile: 'header' must be true or false, got {self.header!r}.")
        if self.encoding not in ENCODINGS:
            raise ValueError(
                f"File profile: unsupported encoding {self.encoding!r}; use one of "
                f"{', '.join(ENCODINGS)}."
            )
        _check_delimiter(self.delimiter)
        if self.amount_format not in AMOUNT_FORMATS:
            raise ValueError(
                f"File profile: unsupported amount_format {self.amount_format!r}; "
                f"use one of {', '.join(AMOUNT_FORMATS)}."
            )
        _check_date_format(self.date_format)

    @property
    def field_keys(self) -> tuple[str, ...]:
        """The field keys in column order."""
        return tuple(key for _, key in self.columns)

    @property
    def header_texts(self) -> tuple[str, ...]:
        """The header texts in column order."""
        return tuple(head for head, _ in self.columns)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileProfile:
        """Build a profile from its JSON form (see :meth:`to_json`).

        ``columns`` is required: a list of ``[header text, field key]`` pairs (objects
        ``{"header": ..., "field": ...}`` are accepted too). Unknown keys and wrong types raise
        :class:`ValueError` with a message naming the key.
        """
        if not isinstance(data, dict):
            raise ValueError(f"File profile: expected a JSON object, got {type(data).__name__}.")
        unknown = sorted(str(k) for k in data if k not in _PROFILE_KEYS)
        if unknown:
            raise ValueError(
                f"File profile: unknown key(s) {', '.join(unknown)}; allowed: "
                f"{', '.join(_PROFILE_KEYS)}."
            )
        if "columns" not in data:
            raise ValueError("File profile: missing key 'columns'.")
        raw = data["columns"]
        if not isinstance(raw, list | tuple):
            raise ValueError(
                "File profile: 'columns' must be a list of [header text, field key] pairs."
            )
        columns = [_column_from_json(n, item) for n, item in enumerate(raw, start=1)]
        _check_option_types(data)
        options = {k: data[k] for k in _PROFILE_KEYS[1:] if k in data}
        return cls(columns=tuple(columns), **options)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form: ``columns`` as ``[header text, field key]`` pairs, every option."""
        return {
            "columns": [[head, key] for head, key in self.columns],
            "header": self.header,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "amount_format": self.amount_format,
            "date_format": self.date_format,
        }


# --------------------------------------------------------------------------------------------
# cp1258: Vietnamese letters the code page lacks as one character (ả, ễ, ự...) are written the
# way Windows writes them: the base letter (with its circumflex/breve/horn when the code page has
# it) followed by a combining tone mark. Readers (tabular.read_grid) normalise back to NFC.
# --------------------------------------------------------------------------------------------

_CP1258_ERRORS = "chitra.cp1258_vietnamese"


def _encodable_1258(text: str) -> bool:
    try:
        text.encode("cp1258")
    except UnicodeEncodeError:
        return False
    return True


@functools.lru_cache(maxsize=1024)
def _cp1258_form(ch: str) -> str | None:
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if not marks:
        return None
    # Compose the base with as many marks as the code page allows, the rest as combining marks.
    for keep in range(len(marks), -1, -1):
        for i in range(len(marks)):
            chosen = marks[i : i + keep]
            rest = marks[:i] + marks[i + keep :]
            head = unicodedata.normalize("NFC", base + chosen)
            if len(head) == 1 and _encodable_1258(head) and _encodable_1258(rest):
                return head + rest
            if keep == 0:
                break
    return None


def _cp1258_handler(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out: list[str] = []
    for ch in exc.object[exc.start : exc.end]:
        form = _cp1258_form(ch)
        if form is None:
            raise exc
        out.append(form)
    return "".join(out), exc.end


codecs.register_error(_CP1258_ERRORS, _cp1258_handler)


def _codec(encoding: str) -> tuple[bytes, str, str]:
    """(bytes to write first, codec for the text, error handler)."""
    if encoding == "utf-8-sig":
        return codecs.BOM_UTF8, "utf-8", "strict"
    if encoding == "cp1258":
        return b"", "cp1258", _CP1258_ERRORS
    return b"", "utf-8", "strict"


class _CellTypeError(Exception):
    pass


def _csv_converter(profile: FileProfile) -> Callable[[object], object]:
    amount: Callable[[int], object] = vn_thousands if profile.amount_format == "dotted" else str
    date_format = profile.date_format
    dates: dict[object, str] = {}  # payment files repeat a few dates: format each once

    def convert(value: object) -> object:
        cls = value.__class__
        if cls is str or value is None:
            return value
        if cls is int:
            return amount(value)  # type: ignore[arg-type]
        if isinstance(value, date):  # datetime too
            text = dates.get(value)
            if text is None:
                text = value.strftime(date_format)
                if len(dates) < 4096:
                    dates[value] = text
            return text
        value = _plain_value(value)
        return value if value.__class__ is str else amount(value)  # type: ignore[arg-type]

    return convert


def _plain_value(value: object) -> str | int:
    """A str or int subclass (a text choice, an int enum) as a plain str or int; bools, floats
    and other types raise :class:`_CellTypeError`."""
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    raise _CellTypeError


def _getter(keys: Sequence[str]) -> Callable[[Mapping[str, object]], tuple[object, ...]]:
    """Fetch the profile's fields of a row as a tuple (C speed)."""
    if len(keys) == 1:
        key = keys[0]
        return lambda row: (row[key],)
    return operator.itemgetter(*keys)


def _missing_field(row: object, n: int, keys: Sequence[str]) -> ValueError | None:
    if not isinstance(row, Mapping):
        return ValueError(f"Row {n}: expected a mapping of field values, got {type(row).__name__}.")
    missing = [k for k in keys if k not in row]
    if not missing:
        return None
    return ValueError(
        f"Row {n}: missing field(s) {', '.join(repr(k) for k in missing)} "
        f"required by the file profile."
    )


def _bad_value(
    n: int, profile: FileProfile, values: Sequence[object], convert: Callable[[object], object]
) -> ValueError:
    for (head, key), value in zip(profile.columns, values, strict=True):
        try:
            convert(value)
        except _CellTypeError:
            return ValueError(
                f"Row {n}, field '{key}' (column '{head}'): unsupported value {value!r} of type "
                f"{type(value).__name__}; expected str, int (đồng), date or None."
            )
    return ValueError(f"Row {n}: unsupported value.")  # pragma: no cover - not reached


def _encode_error(
    profile: FileProfile,
    text: str,
    first_row: int,
    codec: str,
    errors: str,
    exc: UnicodeEncodeError,
) -> ValueError:
    """Find the row and field of a chunk of CSV text whose text the encoding cannot hold.

    ``first_row`` is the number of the chunk's first line (0 for the header)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=profile.delimiter)
    for offset, cells in enumerate(reader):
        n = first_row + offset
        for (head, key), cell in zip(profile.columns, cells, strict=False):
            try:
                cell.encode(codec, errors)
            except UnicodeEncodeError as cell_exc:
                ch = cell_exc.object[cell_exc.start]
                where = "Header" if n == 0 else f"Row {n}"
                return ValueError(
                    f"{where}, field '{key}' (column '{head}'): character {ch!r} "
                    f"(U+{ord(ch):04X}) cannot be encoded in {profile.encoding}; value {cell!r}."
                )
    return ValueError(f"Cannot encode the file in {profile.encoding}: {exc}.")


# over the limits: the hot loop of a streamed writer of millions of rows, kept inline (no call
# per row); the flush closure shares the buffer, hasher and chunk line number with the loop.
def write_csv(
    path: Path, profile: FileProfile, rows: Iterable[Mapping[str, object]]
) -> tuple[int, str]:
    """Write ``rows`` as a CSV file laid out by ``profile``; return (data rows, SHA-256 hex).

    Streamed: rows are rendered by :func:`csv.writer` into a text buffer that is encoded, hashed
    and written about every megabyte. Lines end with ``\\r\\n``; quoting is minimal. The bytes
    depend only on the profile and the rows. With ``cp1258`` the Vietnamese letters the code page
    lacks are written decomposed (base letter + combining tone mark, as Windows does); a character
    it cannot hold at all raises :class:`ValueError` naming the row and field, and so does a
    missing field or a value of an unsupported type (``float``, ``bool``...). The file is written
    under a temporary name and renamed at the end, so a failed write leaves nothing behind.
    """
    path = Path(path)
    keys = profile.field_keys
    getter = _getter(keys)
    convert = _csv_converter(profile)
    # Rows made only of these types go to csv.writer untouched (it writes None as "" and ints
    # with str()); other rows are converted cell by cell.
    passthrough: frozenset[type] = frozenset(
        {str, type(None), int} if profile.amount_format == "plain" else {str, type(None)}
    )
    is_plain = passthrough.issuperset
    bom, codec, errors = _codec(profile.encoding)

    hasher = hashlib.sha256()
    buf = io.StringIO()
    writerow = csv.writer(
        buf, delimiter=profile.delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
    ).writerow
    count = 0
    with atomic_path(path) as tmp, tmp.open("wb") as out:
        chunk_first = 0 if profile.header else 1  # number of the chunk's first line

        def flush() -> None:
            # Formula-looking text cells get a leading ' (one scan of the block).
            text = csv_text_block(buf.getvalue(), profile.delimiter)
            try:
                data = text.encode(codec, errors)
            except UnicodeEncodeError as exc:
                raise _encode_error(profile, text, chunk_first, codec, errors, exc) from None
            out.write(data)
            hasher.update(data)
            buf.seek(0)
            buf.truncate()

        if bom:
            out.write(bom)
            hasher.update(bom)
        if profile.header:
            writerow(profile.header_texts)
        n = 0
        row: object = None
        try:
            for n, row in enumerate(rows, start=1):
                values = getter(row)  # type: ignore[arg-type]
                if not is_plain(map(type, values)):
                    try:
                        values = tuple([v if v.__class__ is str else convert(v) for v in values])
                    except _CellTypeError:
                        raise _bad_value(n, profile, values, convert) from None
                writerow(values)
                if not n & 1023 and buf.tell() >= _CSV_CHUNK_CHARS:
                    flush()
                    chunk_first = n + 1
        except (KeyError, TypeError) as exc:
            problem = _missing_field(row, n, keys)
            if problem is None:
                raise
            raise problem from exc
        count = n
        flush()
    return count, hasher.hexdigest()


# --------------------------------------------------------------------------------------------
# XLSX parts
# --------------------------------------------------------------------------------------------


def _xlsx_rows_per_part(stem: str, profile: FileProfile, max_rows: int) -> int:
    """The data rows a part holds; raise on a stem that is not a plain name or a bad max_rows."""
    if not stem or stem != Path(stem).name or stem in (".", ".."):
        raise ValueError(
            f"Invalid file stem {stem!r}: a plain file name without directories "
            "or extension is expected."
        )
    if not 1 <= max_rows <= XLSX_MAX_ROWS:
        raise ValueError(f"max_rows must be between 1 and {XLSX_MAX_ROWS}, got {max_rows}.")
    header_rows = 1 if profile.header else 0
    per_part = max_rows - header_rows
    if per_part < 1:
        raise ValueError(f"max_rows={max_rows} leaves no room for data rows under the header.")
    return per_part


def _xlsx_part_names(directory: Path, stem: str, parts: int) -> list[Path]:
    if parts == 1:
        return [directory / f"{stem}.xlsx"]
    return [directory / f"{stem}_part{k}.xlsx" for k in range(1, parts + 1)]


def _write_other_cell(
    ws: Any,
    r: int,
    c: int,
    value: object,
    text: XlsxText | None,
    fmt_money: Any,
    profile: FileProfile,
    n: int,
) -> None:
    """A cell whose value is not exactly str, None, int or a date (the rare path): a subclass of
    str or int is written as its plain value; any other type raises naming row and field."""
    if isinstance(value, str | int) and not isinstance(value, bool):
        plain = _plain_value(value)
        if plain.__class__ is str:
            text.write(ws, r, c, plain)  # type: ignore[union-attr,arg-type]
        elif abs(plain) >= MAX_EXACT_INT:  # type: ignore[arg-type]
            ws.write_string(r, c, str(plain))
        else:
            ws.write_number(r, c, plain, fmt_money)
        return
    head, key = profile.columns[c]
    raise ValueError(
        f"Row {n}, field '{key}' (column '{head}'): unsupported value "
        f"{value!r} of type {type(value).__name__}; expected str, int "
        "(đồng), date or None."
    )


# over the limits: the hot loop of a streamed writer of millions of cells (one branch per cell
# type, inline, no call per cell on the common types); open_part shares the workbook, formats and
# row counter with the loop, and the parts are published together or not at all.
def write_xlsx_parts(
    directory: Path,
    stem: str,
    profile: FileProfile,
    rows: Iterable[Mapping[str, object]],
    *,
    max_rows: int = XLSX_MAX_ROWS,
) -> list[tuple[Path, int, str]]:
    """Write ``rows`` as one or more XLSX files; return ``(path, data rows, SHA-256)`` per part.

    A part holds at most ``max_rows`` sheet rows, the header row included, so each part has
    ``max_rows - 1`` data rows (``max_rows`` without a header). One part is ``<stem>.xlsx``;
    several are ``<stem>_part1.xlsx``, ``<stem>_part2.xlsx``... No rows give one part with the
    header only. Written by xlsxwriter in constant-memory mode; ints are numbers formatted
    ``#,##0``, dates real dates in the profile's date format, strings always text. The workbook
    creation date is fixed so that the same rows give the same bytes. Field errors raise
    :class:`ValueError` naming the row and field; the parts are renamed into place only when all
    are written.
    """
    directory = Path(directory)
    per_part = _xlsx_rows_per_part(stem, profile, max_rows)
    keys = profile.field_keys
    getter = _getter(keys)
    excel_date = excel_date_format(profile.date_format)

    counts: list[int] = []
    wb: Any = None
    with atomic_files() as staged:
        tmps = staged.tmps
        try:
            ws: Any = None
            fmt_money: Any = None
            fmt_date: Any = None
            text: XlsxText | None = None
            r = 0

            def open_part() -> None:
                nonlocal wb, ws, fmt_money, fmt_date, r, text
                tmp = directory / f".{stem}_part{len(tmps) + 1}.xlsx.tmp"
                staged.new(tmp)
                counts.append(0)
                wb = new_workbook(tmp)
                text = XlsxText(wb)
                ws = wb.add_worksheet("Sheet1")
                bold = wb.add_format({"bold": True})
                fmt_money = wb.add_format({"num_format": "#,##0"})
                fmt_date = wb.add_format({"num_format": excel_date})
                for c, head in enumerate(profile.header_texts):
                    ws.set_column(c, c, min(max(len(head) + 2, 12), 60))
                r = 0
                if profile.header:
                    for c, head in enumerate(profile.header_texts):
                        text.write(ws, 0, c, head, bold)
                    ws.freeze_panes(1, 0)
                    r = 1

            open_part()
            for n, row in enumerate(rows, start=1):
                if counts[-1] >= per_part:
                    wb.close()
                    wb = None
                    open_part()
                try:
                    values = getter(row)
                except (KeyError, TypeError):
                    problem = _missing_field(row, n, keys)
                    if problem is None:
                        raise
                    raise problem from None
                for c, value in enumerate(values):
                    cls = value.__class__
                    if cls is str:
                        if value and value[0] in FORMULA_START:  # type: ignore[index]
                            ws.write_string(r, c, value, text.fmt_for(value))  # type: ignore[union-attr,arg-type]
                        else:
                            ws.write_string(r, c, value)
                    elif value is None:
                        continue
                    elif cls is int:
                        if abs(value) >= MAX_EXACT_INT:  # type: ignore[arg-type]
                            ws.write_string(r, c, str(value))
                        else:
                            ws.write_number(r, c, value, fmt_money)
                    elif cls is datetime:
                        ws.write_datetime(r, c, value, fmt_date)
                    elif cls is date:
                        d: date = value  # type: ignore[assignment]
                        ws.write_datetime(r, c, datetime(d.year, d.month, d.day), fmt_date)
                    else:
                        _write_other_cell(ws, r, c, value, text, fmt_money, profile, n)
                r += 1
                counts[-1] += 1
            wb.close()
            wb = None
            finals = _xlsx_part_names(directory, stem, len(tmps))
            staged.publish_as(finals)
        except BaseException:
            if wb is not None:
                with suppress(Exception):
                    wb.close()
            raise
    return [(f, count, sha256_file(f)) for f, count in zip(finals, counts, strict=True)]
