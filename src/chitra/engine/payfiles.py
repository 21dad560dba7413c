"""Files of a payment batch: provider files (CSV/XLSX), cash lists (PDF/XLSX), result files.

* :func:`write_csv` / :func:`write_xlsx_parts` write the payroll lines of a batch in the layout a
  provider asks for (:class:`FileProfile`, stored by the app as JSON).
* :func:`write_cash_list_pdf` / :func:`write_cash_list_xlsx` print the cash list of a commune pay
  point or a home-delivery round, with a signature column, totals and a signature block.
* :func:`read_result_table` parses the result file a provider sends back (reference, status,
  reason code, optional amount and note).

Everything is whole đồng (``int``). Every writer is deterministic: the same input gives the same
bytes (and so the same SHA-256), which the app records. Pure Python, no Django.
"""

from __future__ import annotations

import codecs
import csv
import functools
import hashlib
import io
import itertools
import math
import operator
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as _xml_escape

import xlsxwriter

from chitra.engine.sheets.cells import FORMULA_START, XLSX_OPTIONS, XlsxText, csv_text_block
from chitra.engine.sheets.headers import HeaderError, HeaderMatch, find_header
from chitra.engine.sheets.limits import DEFAULT_LIMITS, ReadLimits, check_file_size
from chitra.engine.sheets.reading import (
    TEXT_EXTENSIONS,
    HeaderSpec,
    TableReadError,
    _check_shape,
    _decode,
    _sniff_delimiter,
    read_grid,
)
from chitra.engine.sheets.values import ValueProblem, parse_amount, render_cell
from chitra.kernel.names import clean_text, fold_name

__all__ = [
    "AMOUNT_FORMATS",
    "CASH_LABELS_VI",
    "ENCODINGS",
    "RESULT_FIELDS",
    "XLSX_MAX_ROWS",
    "CashListHeader",
    "CashRow",
    "FileProfile",
    "ResultFileError",
    "ResultIssue",
    "ResultRow",
    "read_result_table",
    "write_cash_list_pdf",
    "write_cash_list_xlsx",
    "write_csv",
    "write_xlsx_parts",
]

XLSX_MAX_ROWS = 1_048_576
ENCODINGS = ("utf-8", "utf-8-sig", "cp1258")
_ENCODING_ALIASES = {"utf8": "utf-8", "utf8-sig": "utf-8-sig", "utf-8-bom": "utf-8-sig",
                     "windows-1258": "cp1258", "cp-1258": "cp1258"}
AMOUNT_FORMATS = ("plain", "dotted")

# Workbook "created" property written into every xlsx, so that the same rows give the same bytes
# (xlsxwriter already fixes the zip members' timestamps).
_FIXED_CREATED = datetime(2000, 1, 1)
_CSV_CHUNK_CHARS = 1 << 20  # characters of CSV text encoded, hashed and written at a time
_MAX_EXACT_INT = 10**15  # Excel keeps 15 significant digits: larger integers are written as text


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(functools.partial(fh.read, 1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _tmp_for(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp")


# ============================================================================================
# 1. Provider file profiles
# ============================================================================================

_PROFILE_KEYS = ("columns", "header", "encoding", "delimiter", "amount_format", "date_format")


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
        try:
            columns = tuple((pair[0], pair[1])
                            if isinstance(pair, list | tuple) and len(pair) == 2
                            else (None, None) for pair in self.columns)
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
                    f"strings with a non-empty field key, got {self.columns[n - 1]!r}."
                )
        object.__setattr__(self, "columns", columns)
        if isinstance(self.encoding, str):
            encoding = self.encoding.strip().lower().replace("_", "-")
            object.__setattr__(self, "encoding", _ENCODING_ALIASES.get(encoding, encoding))
        if not isinstance(self.header, bool):
            raise ValueError(f"File profile: 'header' must be true or false, got "
                             f"{self.header!r}.")
        if self.encoding not in ENCODINGS:
            raise ValueError(f"File profile: unsupported encoding {self.encoding!r}; use one of "
                             f"{', '.join(ENCODINGS)}.")
        if (not isinstance(self.delimiter, str) or len(self.delimiter) != 1
                or self.delimiter in "\"\r\n"):
            raise ValueError(f"File profile: 'delimiter' must be one character other than a "
                             f"quote or a line break, got {self.delimiter!r}.")
        if self.amount_format not in AMOUNT_FORMATS:
            raise ValueError(f"File profile: unsupported amount_format {self.amount_format!r}; "
                             f"use one of {', '.join(AMOUNT_FORMATS)}.")
        if not isinstance(self.date_format, str) or "%" not in self.date_format:
            raise ValueError(f"File profile: 'date_format' must be a strftime format such as "
                             f"'%d/%m/%Y', got {self.date_format!r}.")
        try:
            date(2000, 1, 2).strftime(self.date_format)
        except ValueError as exc:
            raise ValueError(f"File profile: invalid date_format {self.date_format!r}: "
                             f"{exc}.") from None

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
            raise ValueError(f"File profile: expected a JSON object, got "
                             f"{type(data).__name__}.")
        unknown = sorted(str(k) for k in data if k not in _PROFILE_KEYS)
        if unknown:
            raise ValueError(f"File profile: unknown key(s) {', '.join(unknown)}; allowed: "
                             f"{', '.join(_PROFILE_KEYS)}.")
        if "columns" not in data:
            raise ValueError("File profile: missing key 'columns'.")
        raw = data["columns"]
        if not isinstance(raw, list | tuple):
            raise ValueError("File profile: 'columns' must be a list of [header text, field key] "
                             "pairs.")
        columns: list[tuple[Any, Any]] = []
        for n, item in enumerate(raw, start=1):
            if isinstance(item, dict):
                extra = sorted(str(k) for k in item if k not in ("header", "field"))
                if extra or "field" not in item:
                    raise ValueError(f"File profile: column {n} must have keys 'header' and "
                                     f"'field', got {item!r}.")
                columns.append((item.get("header", item["field"]), item["field"]))
            elif isinstance(item, list | tuple) and len(item) == 2:
                columns.append((item[0], item[1]))
            else:
                raise ValueError(f"File profile: column {n} must be a [header text, field key] "
                                 f"pair, got {item!r}.")
        for key, kind in (("header", bool), ("encoding", str), ("delimiter", str),
                          ("amount_format", str), ("date_format", str)):
            if key in data and not isinstance(data[key], kind):
                raise ValueError(f"File profile: '{key}' must be a {kind.__name__}, got "
                                 f"{data[key]!r}.")
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
            chosen = marks[i:i + keep]
            rest = marks[:i] + marks[i + keep:]
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
    for ch in exc.object[exc.start:exc.end]:
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


def _dotted(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class _CellTypeError(Exception):
    pass


def _csv_converter(profile: FileProfile) -> Callable[[object], object]:
    amount: Callable[[int], object] = _dotted if profile.amount_format == "dotted" else str
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
        return ValueError(f"Row {n}: expected a mapping of field values, got "
                          f"{type(row).__name__}.")
    missing = [k for k in keys if k not in row]
    if not missing:
        return None
    return ValueError(f"Row {n}: missing field(s) {', '.join(repr(k) for k in missing)} "
                      f"required by the file profile.")


def _bad_value(n: int, profile: FileProfile, values: Sequence[object],
               convert: Callable[[object], object]) -> ValueError:
    for (head, key), value in zip(profile.columns, values, strict=True):
        try:
            convert(value)
        except _CellTypeError:
            return ValueError(
                f"Row {n}, field '{key}' (column '{head}'): unsupported value {value!r} of type "
                f"{type(value).__name__}; expected str, int (đồng), date or None."
            )
    return ValueError(f"Row {n}: unsupported value.")  # pragma: no cover - not reached


def _encode_error(profile: FileProfile, text: str, first_row: int, codec: str, errors: str,
                  exc: UnicodeEncodeError) -> ValueError:
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


def write_csv(path: Path, profile: FileProfile,
              rows: Iterable[Mapping[str, object]]) -> tuple[int, str]:
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
        {str, type(None), int} if profile.amount_format == "plain" else {str, type(None)})
    is_plain = passthrough.issuperset
    bom, codec, errors = _codec(profile.encoding)

    tmp = _tmp_for(path)
    hasher = hashlib.sha256()
    buf = io.StringIO()
    writerow = csv.writer(buf, delimiter=profile.delimiter, lineterminator="\r\n",
                          quoting=csv.QUOTE_MINIMAL).writerow
    count = 0
    try:
        with tmp.open("wb") as out:
            chunk_first = 0 if profile.header else 1  # number of the chunk's first line

            def flush() -> None:
                # Formula-looking text cells get a leading ' (one scan of the block).
                text = csv_text_block(buf.getvalue(), profile.delimiter)
                try:
                    data = text.encode(codec, errors)
                except UnicodeEncodeError as exc:
                    raise _encode_error(profile, text, chunk_first, codec, errors,
                                        exc) from None
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
                            values = tuple([v if v.__class__ is str else convert(v)
                                        for v in values])
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
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise
    return count, hasher.hexdigest()


# --------------------------------------------------------------------------------------------
# XLSX parts
# --------------------------------------------------------------------------------------------

_STRFTIME_TO_EXCEL = {"d": "dd", "m": "mm", "Y": "yyyy", "y": "yy", "H": "hh", "M": "mm",
                      "S": "ss", "%": "%"}


def _excel_date_format(date_format: str) -> str:
    """Excel number format equivalent to a strftime format (dd/mm/yyyy when not expressible)."""
    out: list[str] = []
    i = 0
    while i < len(date_format):
        ch = date_format[i]
        if ch == "%":
            token = date_format[i + 1:i + 2]
            if token not in _STRFTIME_TO_EXCEL:
                return "dd/mm/yyyy"
            out.append(_STRFTIME_TO_EXCEL[token])
            i += 2
            continue
        out.append(ch if ch in "/-.:, " else f'"{ch}"' if ch != '"' else '\\"')
        i += 1
    return "".join(out)


_XLSX_OPTIONS = {"constant_memory": True, **XLSX_OPTIONS}


def _new_workbook(path: Path) -> Any:
    wb = xlsxwriter.Workbook(str(path), dict(_XLSX_OPTIONS))
    wb.set_properties({"created": _FIXED_CREATED})
    return wb


def write_xlsx_parts(directory: Path, stem: str, profile: FileProfile,
                     rows: Iterable[Mapping[str, object]], *,
                     max_rows: int = XLSX_MAX_ROWS) -> list[tuple[Path, int, str]]:
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
    if not stem or stem != Path(stem).name or stem in (".", ".."):
        raise ValueError(f"Invalid file stem {stem!r}: a plain file name without directories "
                         "or extension is expected.")
    if not 1 <= max_rows <= XLSX_MAX_ROWS:
        raise ValueError(f"max_rows must be between 1 and {XLSX_MAX_ROWS}, got {max_rows}.")
    header_rows = 1 if profile.header else 0
    per_part = max_rows - header_rows
    if per_part < 1:
        raise ValueError(f"max_rows={max_rows} leaves no room for data rows under the header.")
    keys = profile.field_keys
    getter = _getter(keys)
    excel_date = _excel_date_format(profile.date_format)

    tmps: list[Path] = []
    counts: list[int] = []
    wb: Any = None
    try:
        ws: Any = None
        fmt_money: Any = None
        fmt_date: Any = None
        text: XlsxText | None = None
        r = 0

        def open_part() -> None:
            nonlocal wb, ws, fmt_money, fmt_date, r, text
            tmp = directory / f".{stem}_part{len(tmps) + 1}.xlsx.tmp"
            tmps.append(tmp)
            counts.append(0)
            wb = _new_workbook(tmp)
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
                    if abs(value) >= _MAX_EXACT_INT:  # type: ignore[arg-type]
                        ws.write_string(r, c, str(value))
                    else:
                        ws.write_number(r, c, value, fmt_money)
                elif cls is datetime:
                    ws.write_datetime(r, c, value, fmt_date)
                elif cls is date:
                    d: date = value  # type: ignore[assignment]
                    ws.write_datetime(r, c, datetime(d.year, d.month, d.day), fmt_date)
                elif isinstance(value, str | int) and not isinstance(value, bool):
                    plain = _plain_value(value)
                    if plain.__class__ is str:
                        text.write(ws, r, c, plain)  # type: ignore[union-attr,arg-type]
                    elif abs(plain) >= _MAX_EXACT_INT:  # type: ignore[arg-type]
                        ws.write_string(r, c, str(plain))
                    else:
                        ws.write_number(r, c, plain, fmt_money)
                else:
                    head, key = profile.columns[c]
                    raise ValueError(
                        f"Row {n}, field '{key}' (column '{head}'): unsupported value {value!r} "
                        f"of type {type(value).__name__}; expected str, int (đồng), date or None."
                    )
            r += 1
            counts[-1] += 1
        wb.close()
        wb = None
        if len(tmps) == 1:
            finals = [directory / f"{stem}.xlsx"]
        else:
            finals = [directory / f"{stem}_part{k}.xlsx" for k in range(1, len(tmps) + 1)]
        result = []
        for tmp, final, count in zip(tmps, finals, counts, strict=True):
            os.replace(tmp, final)
            result.append((final, count, _sha256_file(final)))
        return result
    except BaseException:
        if wb is not None:
            with suppress(Exception):
                wb.close()
        for tmp in tmps:
            with suppress(OSError):
                tmp.unlink()
        raise


# ============================================================================================
# 2. Cash lists
# ============================================================================================


@dataclass(frozen=True)
class CashListHeader:
    """Heading of a cash list."""

    authority: str  # e.g. "BẢO HIỂM XÃ HỘI TỈNH TUYÊN QUANG"
    title: str  # e.g. "DANH SÁCH CHI TRẢ LƯƠNG HƯU, TRỢ CẤP BHXH BẰNG TIỀN MẶT"
    subtitle: str  # e.g. "Tháng 12/2026 — Điểm chi trả: Xã An Tường" or "Chi trả tại nhà"
    batch_reference: str
    printed_on: date


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
    "date_line": "Ngày {day:02d} tháng {month:02d} năm {year}",
    "prepared_by": "Người lập biểu",
    "accountant": "Kế toán",
    "director": "Giám đốc",
    "sign_hint": "(Ký, ghi rõ họ tên)",
    "page": "Trang {page}/{pages}",
    "sheet": "Danh sách chi trả",
}

_CASH_COLUMNS = ("stt", "reference", "full_name", "id_masked", "address", "benefit", "period",
                 "amount", "payee", "signature")
# Share of the table width per column (PDF) and Excel widths (characters).
_PDF_SHARES = tuple(w / 785 for w in (22, 99, 104, 66, 118, 66, 50, 68, 100, 92))
_XLSX_WIDTHS = (5, 16, 24, 15, 30, 16, 12, 14, 22, 20)


def _labels(labels: Mapping[str, str]) -> dict[str, str]:
    merged = dict(CASH_LABELS_VI)
    merged.update(labels)
    return merged


def _fill(template: str, **values: object) -> str:
    """``template.format(**values)``; a label without (or with unknown) fields stays as is."""
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template


def _line(text: object) -> str:
    return " ".join(str(text).split())


def _date_line(labels: Mapping[str, str], d: date) -> str:
    return _fill(labels["date_line"], day=d.day, month=d.month, year=d.year)


def _total_text(labels: Mapping[str, str], count: int) -> str:
    return f"{labels['total']}: {_fill(labels['total_count'], count=count)}"


# --------------------------------------------------------------------------------------------
# PDF (ReportLab platypus, Noto Serif from fontpkg-noto-serif)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fonts:
    regular: str
    bold: str
    italic: str
    fake_bold: bool  # no bold face available: bold text is drawn filled and stroked


@functools.lru_cache(maxsize=1)
def _pdf_fonts() -> _Fonts:
    """Register Noto Serif with ReportLab once.

    fontpkg-noto-serif ships variable fonts only (``NotoSerif[wdth,wght].ttf``): ReportLab embeds
    their default instance, Regular (and Italic from the italic file). A static Bold file is used
    when the package provides one; otherwise bold text is synthesised (fill + stroke).
    """
    import fontpkg
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    family = "Noto Serif"
    regular_path = Path(fontpkg.path(family, 400))
    pdfmetrics.registerFont(TTFont("NotoSerif", str(regular_path)))
    bold_path = Path(fontpkg.path(family, 700, nearest=True))
    fake_bold = True
    bold = "NotoSerif"
    if bold_path != regular_path:
        pdfmetrics.registerFont(TTFont("NotoSerif-Bold", str(bold_path)))
        bold, fake_bold = "NotoSerif-Bold", False
    italic = "NotoSerif"
    with suppress(Exception):  # no italic file: regular
        italic_path = Path(fontpkg.path(family, 400, "italic", nearest=True))
        pdfmetrics.registerFont(TTFont("NotoSerif-Italic", str(italic_path)))
        italic = "NotoSerif-Italic"
    return _Fonts(regular="NotoSerif", bold=bold, italic=italic, fake_bold=fake_bold)


@functools.lru_cache(maxsize=1)
def _pdf_classes() -> tuple[type, type]:
    """(bold paragraph class, numbered canvas class), built on first use (ReportLab is imported
    lazily so that importing this module stays cheap)."""
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph

    class BoldParagraph(Paragraph):  # type: ignore[misc]
        """A paragraph drawn filled and stroked: bold from a regular face."""

        def draw(self) -> None:
            canv = self.canv
            canv.saveState()
            canv.setStrokeColor(self.style.textColor)
            canv.setLineWidth(self.style.fontSize * 0.035)
            canv.addLiteral("2 Tr")  # text render mode: fill, then stroke
            super().draw()
            canv.restoreState()

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        """Defers pages so that each footer can say "Trang x/y"."""

        def __init__(self, *args: Any, footer_left: str = "", page_label: str = "",
                     font: str = "Helvetica", **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._footer_left = footer_left
            self._page_label = page_label
            self._footer_font = font
            self._saved_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            pages = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self._footer(pages)
                Canvas.showPage(self)
            Canvas.save(self)

        def _footer(self, pages: int) -> None:
            width, _height = self._pagesize
            self.saveState()
            self.setFont(self._footer_font, 8)
            self.drawString(28, 16, self._footer_left)
            self.drawRightString(width - 28, 16, _fill(self._page_label,
                                                       page=self._pageNumber, pages=pages))
            self.restoreState()

    return BoldParagraph, NumberedCanvas


def write_cash_list_pdf(path: Path, header: CashListHeader, rows: Iterable[CashRow], *,
                        labels: Mapping[str, str] = CASH_LABELS_VI) -> tuple[int, int, str]:
    """Print a cash list as a PDF; return (rows, total amount in đồng, SHA-256 hex).

    A4 landscape. Top left the authority and the batch reference, top right the national motto;
    the title and subtitle; a table repeating its header on every page with a wide, empty
    "Ký nhận" column tall enough to sign in; a total row (number of people and sum); the date and
    the signature block (Người lập biểu, Kế toán, Giám đốc). Every page's footer carries the batch
    reference and "Trang x/y". Noto Serif (fontpkg-noto-serif) is embedded, so every Vietnamese
    letter renders. ``labels`` override entries of :data:`CASH_LABELS_VI`. The document is
    written in ReportLab's invariant mode: the same input gives the same bytes.
    """
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import (
        KeepTogether,
        LongTable,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    path = Path(path)
    lab = _labels(labels)
    fonts = _pdf_fonts()
    bold_paragraph, numbered_canvas = _pdf_classes()

    def bold(text: str, style: Any) -> Any:
        if fonts.fake_bold:
            return bold_paragraph(text, style)
        return Paragraph(text, style.clone(style.name + "-b", fontName=fonts.bold))

    def esc(text: object) -> str:
        return _xml_escape(_line(text))

    size = 9
    base = ParagraphStyle("cash", fontName=fonts.regular, fontSize=size, leading=size + 2,
                          alignment=TA_LEFT)
    center = base.clone("cash-c", alignment=TA_CENTER)
    right = base.clone("cash-r", alignment=TA_RIGHT)
    head_style = base.clone("head", fontSize=11, leading=14, alignment=TA_CENTER)
    head_italic = head_style.clone("head-i", fontName=fonts.italic)
    title_style = base.clone("title", fontSize=14, leading=18, alignment=TA_CENTER)
    subtitle_style = base.clone("subtitle", fontSize=11, leading=14, alignment=TA_CENTER)
    sign_italic = base.clone("sign-i", fontName=fonts.italic, fontSize=10, leading=13,
                             alignment=TA_CENTER)
    sign_bold = base.clone("sign-b", fontSize=11, leading=14, alignment=TA_CENTER)

    pagesize = landscape(A4)
    margin = 10 * mm
    avail = pagesize[0] - 2 * margin
    col_widths = [avail * share for share in _PDF_SHARES]
    col_widths[-1] = avail - sum(col_widths[:-1])
    pad = 3
    ref_size = 7.5  # a 22-digit payment reference fits on one line
    sizes = [ref_size if key == "reference" else size for key in _CASH_COLUMNS]

    def cell(text: str, col: int) -> str:
        return _wrap_text(_line(text), fonts.regular, sizes[col], col_widths[col] - 2 * pad - 0.5,
                          stringWidth)

    # Data rows are plain strings (pre-wrapped lines): ReportLab lays them out far faster than
    # paragraphs, which matters for lists of thousands of people over hundreds of pages.
    data: list[list[Any]] = [[bold(esc(lab[key]), center) for key in _CASH_COLUMNS]]
    count = 0
    total = 0
    for count, row in enumerate(rows, start=1):
        amount = _cash_amount(row, count)
        total += amount
        data.append([
            str(count),
            cell(row.reference, 1),
            cell(row.full_name, 2),
            cell(row.id_masked, 3),
            cell(row.address, 4),
            cell(row.benefit, 5),
            cell(row.period, 6),
            _dotted(amount),
            cell(row.payee, 8),
            "\n",  # two empty lines of the signature column's leading: room to sign
        ])

    grid_style = [
        ("FONTNAME", (0, 0), (-1, -1), fonts.regular),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size + 2),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
    ]
    table = LongTable(data, colWidths=col_widths, repeatRows=1)
    table.setStyle(TableStyle([
        *grid_style,
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
        ("FONTSIZE", (1, 1), (1, -1), ref_size),
        ("LEADING", (9, 1), (9, -1), 13),
        ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("ALIGN", (3, 1), (3, -1), "CENTER"),
        ("ALIGN", (6, 1), (6, -1), "CENTER"),
        ("ALIGN", (7, 1), (7, -1), "RIGHT"),
    ]))
    # The total row is a table of its own, drawn flush under the list (a spanning cell in the
    # long table would make every page break recompute the spans of all remaining rows).
    amount_at = _CASH_COLUMNS.index("amount")
    totals = Table(
        [[bold(esc(_total_text(lab, count)), base), bold(_dotted(total), right), "", ""]],
        colWidths=[sum(col_widths[:amount_at]), *col_widths[amount_at:]],
    )
    totals.setStyle(TableStyle(grid_style))

    top = Table(
        [[bold(esc(header.authority), head_style), bold(esc(lab["motto"]), head_style)],
         [Paragraph(esc(_fill(lab["batch"], reference=header.batch_reference)), head_style),
          bold(f"<u>{esc(lab['motto_sub'])}</u>", head_style)]],
        colWidths=[avail * 0.45, avail * 0.55],
    )
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                             ("LEFTPADDING", (0, 0), (-1, -1), 0),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    third = avail / 3
    signatures = Table(
        [["", "", Paragraph(esc(_date_line(lab, header.printed_on)), head_italic)],
         [bold(esc(lab[k]), sign_bold) for k in ("prepared_by", "accountant", "director")],
         [Paragraph(esc(lab["sign_hint"]), sign_italic) for _ in range(3)],
         [Spacer(1, 60), "", ""]],
        colWidths=[third, third, third],
    )
    signatures.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [
        top,
        Spacer(1, 6 * mm),
        bold(esc(header.title), title_style),
        Spacer(1, 1.5 * mm),
        Paragraph(esc(header.subtitle), subtitle_style),
        Spacer(1, 5 * mm),
        table,
        totals,
        KeepTogether([Spacer(1, 5 * mm), signatures]),
    ]

    tmp = _tmp_for(path)
    doc = SimpleDocTemplate(
        str(tmp), pagesize=pagesize, leftMargin=margin, rightMargin=margin,
        topMargin=margin, bottomMargin=margin + 4 * mm, title=_line(header.title),
        author=_line(header.authority), subject=_line(header.subtitle), creator="chitra",
        invariant=1,
    )
    maker = functools.partial(numbered_canvas, font=fonts.regular, page_label=lab["page"],
                              footer_left=_line(_fill(lab["batch"],
                                                      reference=header.batch_reference)))
    try:
        doc.build(story, canvasmaker=maker)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise
    return count, total, _sha256_file(path)


def _wrap_text(text: str, font: str, size: float, width: float,
               string_width: Callable[[str, str, float], float]) -> str:
    """``text`` broken into lines no wider than ``width`` (joined with newlines): at spaces,
    and inside a word too long for a line preferably after a dash or a slash."""
    if string_width(text, font, size) <= width:
        return text
    from reportlab.lib.utils import simpleSplit

    out: list[str] = []
    for line in simpleSplit(text, font, size, width):
        while len(line) > 1 and string_width(line, font, size) > width:
            fit = 1
            while fit < len(line) and string_width(line[:fit + 1], font, size) <= width:
                fit += 1
            cut = max((line.rfind(ch, 0, fit) + 1 for ch in "–-/,"), default=0)
            cut = cut if cut > 0 else fit
            out.append(line[:cut])
            line = line[cut:].lstrip()
        if line:
            out.append(line)
    return "\n".join(out)


def _cash_amount(row: CashRow, n: int) -> int:
    amount = row.amount
    if amount.__class__ is not int:
        raise ValueError(f"Row {n} ({row.reference}): amount must be a whole number of đồng "
                         f"(int), got {amount!r}.")
    return amount


# --------------------------------------------------------------------------------------------
# XLSX cash list
# --------------------------------------------------------------------------------------------


def write_cash_list_xlsx(path: Path, header: CashListHeader, rows: Iterable[CashRow], *,
                         labels: Mapping[str, str] = CASH_LABELS_VI) -> tuple[int, int, str]:
    """The cash list as an XLSX workbook; return (rows, total amount in đồng, SHA-256 hex).

    Same content as :func:`write_cash_list_pdf`: authority and batch reference (rows 1-2, left),
    national motto (right), title (row 4), subtitle (row 5), the table header on row 7, one row
    per payment (tall enough to sign), the total row (text in column A, sum in the amount
    column H), then the date and the signature block. Set up to print on A4 landscape, one page
    wide, header row repeated, "Trang x/y" footer. Deterministic bytes.
    """
    path = Path(path)
    lab = _labels(labels)
    ncols = len(_CASH_COLUMNS)
    last_col = ncols - 1
    amount_col = _CASH_COLUMNS.index("amount")
    tmp = _tmp_for(path)
    font = {"font_name": "Times New Roman", "font_size": 11}
    count = 0
    total = 0
    wb = _new_workbook(tmp)
    try:
        ws = wb.add_worksheet(_sheet_name(lab["sheet"]))
        text = XlsxText(wb)
        f_head = text.add_format({**font, "bold": True, "align": "center", "valign": "vcenter"})
        f_head_u = wb.add_format({**font, "bold": True, "underline": 1, "align": "center"})
        f_center = text.add_format({**font, "align": "center"})
        f_italic = wb.add_format({**font, "italic": True, "align": "center"})
        f_title = text.add_format({**font, "bold": True, "font_size": 14, "align": "center",
                                   "valign": "vcenter", "text_wrap": True})
        f_col = wb.add_format({**font, "bold": True, "border": 1, "align": "center",
                               "valign": "vcenter", "text_wrap": True, "bg_color": "#E7E6E6"})
        cell_base = {**font, "border": 1, "valign": "vcenter", "text_wrap": True}
        f_text = text.add_format(cell_base)
        f_mid = text.add_format({**cell_base, "align": "center"})
        f_money = wb.add_format({**cell_base, "num_format": "#,##0"})
        f_total = wb.add_format({**cell_base, "bold": True})
        f_total_money = wb.add_format({**cell_base, "bold": True, "num_format": "#,##0"})

        for c, width in enumerate(_XLSX_WIDTHS):
            ws.set_column(c, c, width)
        split = 4  # authority over columns A-D, motto over F-J
        authority, title, subtitle = (_line(header.authority), _line(header.title),
                                      _line(header.subtitle))
        ws.merge_range(0, 0, 0, split - 1, authority, text.fmt_for(authority, f_head))
        ws.merge_range(0, split + 1, 0, last_col, lab["motto"], f_head)
        ws.merge_range(1, 0, 1, split - 1,
                       _fill(lab["batch"], reference=header.batch_reference), f_center)
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
            ws.set_row(r, 32)
            ws.write_number(r, 0, count, f_mid)
            for c, value in enumerate((row.reference, row.full_name, row.id_masked, row.address,
                                       row.benefit, row.period), start=1):
                text.write(ws, r, c, _line(value), f_mid if c in (3, 6) else f_text)
            ws.write_number(r, amount_col, amount, f_money)
            text.write(ws, r, amount_col + 1, _line(row.payee), f_text)
            ws.write_blank(r, amount_col + 2, None, f_text)
        r += 1
        ws.set_row(r, 20)
        ws.merge_range(r, 0, r, amount_col - 1, _total_text(lab, count), f_total)
        ws.write_number(r, amount_col, total, f_total_money)
        ws.write_blank(r, amount_col + 1, None, f_total)
        ws.write_blank(r, amount_col + 2, None, f_total)
        r += 2
        thirds = ((0, 2), (3, 6), (7, last_col))
        ws.merge_range(r, thirds[2][0], r, thirds[2][1], _date_line(lab, header.printed_on),
                       f_italic)
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
        ws.set_footer("&R" + _fill(lab["page"].replace("&", "&&"), page="&P", pages="&N"))
        wb.close()
        os.replace(tmp, path)
    except BaseException:
        with suppress(Exception):
            wb.close()
        with suppress(OSError):
            tmp.unlink()
        raise
    return count, total, _sha256_file(path)


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(name: str) -> str:
    cleaned = _SHEET_BAD.sub(" ", name).strip().strip("'")[:31]
    return cleaned or "Sheet1"


# ============================================================================================
# 3. Result files from providers
# ============================================================================================

RESULT_FIELDS: dict[str, tuple[str, ...]] = {
    "reference": ("reference", "reference_id", "reference id", "payment reference",
                  "ma thanh toan", "mã thanh toán", "endtoendid",
                  "end to end id", "end_to_end_id"),
    "status": ("status", "trang thai", "trạng thái", "kết quả", "result", "tình trạng"),
    "reason_code": ("reason", "reason_code", "reason code", "status_reason_code",
                    "status reason code", "ma ly do", "mã lý do", "lý do", "mã lỗi",
                    "error code"),
    "amount": ("amount", "so tien", "số tiền", "số tiền chi trả", "instructed amount"),
    "note": ("note", "notes", "ghi chú", "ghi chu", "diễn giải", "mô tả", "description",
             "additional information"),
}
_REQUIRED_RESULT = ("reference", "status")
# Column names shown in error messages (any alias of RESULT_FIELDS is accepted).
_RESULT_DISPLAY: dict[str, tuple[str, ...]] = {
    "reference": ("Mã thanh toán", "Reference", "EndToEndId"),
    "status": ("Trạng thái", "Kết quả", "Status"),
    "reason_code": ("Mã lý do", "Reason code"),
    "amount": ("Số tiền", "Amount"),
    "note": ("Ghi chú", "Note"),
}

_STATUS: dict[str, str] = {}
for _word in ("SUCC", "SUCCESS", "SUCCESSFUL", "SUCCEEDED", "PAID", "OK", "THANH CONG", "ACSC",
              "ACCC", "DA CHI TRA", "DA CHI"):
    _STATUS[_word] = "succ"
for _word in ("RJCT", "REJECTED", "REJECT", "FAILED", "FAIL", "FAILURE", "THAT BAI",
              "KHONG THANH CONG", "TU CHOI", "BI TU CHOI"):
    _STATUS[_word] = "rjct"

STATUS_EXPECTED = "succ or rjct"
REFERENCE_EXPECTED = "a payment reference"
AMOUNT_EXPECTED = "a whole number of đồng"
_ZERO = re.compile(r"0+(?:[.,]0+)?")


class ResultFileError(TableReadError, ValueError):
    """The result file cannot be used: unreadable, or required columns missing.
    ``message`` is plain English naming the problem (e.g. the missing columns)."""


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One parsed line of a result file."""

    row: int  # sheet row (or CSV line) as the user sees it, 1-based, title rows counted
    reference: str
    status: str  # "succ" | "rjct"
    reason_code: str  # "" when the file has none
    amount: int | None  # None when the file has no amount column or the cell is empty
    note: str = ""  # the provider's free text, "" when none


@dataclass(frozen=True)
class ResultIssue:
    """A cell that could not be read; the row yields no :class:`ResultRow`."""

    row: int
    column: str  # the header text as in the file
    value: str
    expected: str  # short English, e.g. "succ or rjct"


def _text_of(cell: object) -> str:
    if isinstance(cell, float) and math.isfinite(cell) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, datetime | date):
        return render_cell(cell)
    return clean_text(cell) or ""


def _parse_status(cell: object) -> str | None:
    if not isinstance(cell, str):
        return None
    return _status_of(cell)


@functools.lru_cache(maxsize=256)
def _status_of(text: str) -> str | None:
    return _STATUS.get(fold_name(text).strip(" .!"))


def _parse_result_amount(cell: object) -> int:
    if isinstance(cell, str):
        return _parse_amount_text(cell)
    return _parse_amount_cell(cell)


@functools.lru_cache(maxsize=4096)
def _parse_amount_text(cell: str) -> int:
    return _parse_amount_cell(cell)


def _parse_amount_cell(cell: object) -> int:
    if isinstance(cell, bool):
        raise ValueProblem("amount_invalid", AMOUNT_EXPECTED)
    if isinstance(cell, int | float) and cell == 0:
        return 0
    if isinstance(cell, str) and _ZERO.fullmatch(cell.strip()):
        return 0
    return parse_amount(cell)


def _missing_message(path: Path, missing: Sequence[str], match: HeaderMatch | None) -> str:
    parts = []
    for key in missing:
        aliases = " / ".join(f"'{a}'" for a in _RESULT_DISPLAY[key])
        parts.append(f"{key} (e.g. {aliases})")
    found = ", ".join(f"'{label}'" for label in (match.column_labels if match else []) if label)
    return (f"Result file '{path.name}': missing column(s) {'; '.join(parts)}. "
            f"Columns found: {found or 'none'}.")


def read_result_table(path: Path, *, limits: ReadLimits = DEFAULT_LIMITS,
                      ) -> tuple[list[ResultRow], list[ResultIssue]]:
    """Parse a provider's result file (CSV, XLSX, XLS, ODS) into rows and issues.

    The header is found among the first rows by :func:`headers.find_header` with
    :data:`RESULT_FIELDS` (Vietnamese and English aliases, any case or diacritics); title rows
    above it are fine. Required: reference and status; optional: reason code, amount, note.
    Statuses ``succ/success/paid/ok/thành công/ACSC/ACCC`` read as ``"succ"`` and
    ``rjct/rejected/failed/thất bại/không thành công/RJCT`` as ``"rjct"``. Amounts are whole đồng
    (``3.500.000`` or ``3500000``; 0 allowed). Blank rows are skipped and rows after the last
    reference ignored (totals, signatures); every other row gives either a :class:`ResultRow` or
    one or more :class:`ResultIssue` (no row is dropped silently). References are not checked
    against anything here. Raises :class:`ResultFileError` for an unreadable file or missing
    columns.

    CSV/text files are streamed by :func:`_read_result_csv` (same results, several times
    faster on large files); anything it does not handle goes through :func:`_read_result_grid`.
    """
    path = Path(path)
    try:
        check_file_size(path, limits)
    except TableReadError as exc:
        raise ResultFileError(exc.message, code=exc.code, params=exc.params) from exc
    except OSError:
        pass  # the general path says the file does not exist
    fast = _read_result_csv(path, limits)
    if fast is not None:
        return fast
    return _read_result_grid(path, limits)


@dataclass(frozen=True, slots=True)
class _ResultColumns:
    """Where the fields of a result file are: column indices (None: no such column), labels."""

    labels: dict[str, str]
    reference: int
    status: int
    reason_code: int | None
    amount: int | None
    note: int | None

    @classmethod
    def of(cls, match: HeaderMatch) -> _ResultColumns:
        c = match.columns
        return cls(match.labels, c["reference"], c["status"], c.get("reason_code"),
                   c.get("amount"), c.get("note"))


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_at(r: Sequence[object], c: int | None) -> object:
    """Cell ``c`` of a grid row; None for a column the file does not have or past the row end."""
    return r[c] if c is not None and c < len(r) else None


def _result_line(r: Sequence[object], sheet_row: int,
                 cols: _ResultColumns) -> ResultRow | list[ResultIssue] | None:
    """Outcome of one data row of a grid: a row, its issues (never empty), or None if blank."""
    ref_cell = _cell_at(r, cols.reference)
    reference = _text_of(ref_cell)
    if not reference and all(_blank(c) for c in r):
        return None  # blank row
    labels = cols.labels
    row_issues: list[ResultIssue] = []
    if not reference:
        row_issues.append(ResultIssue(sheet_row, labels["reference"], render_cell(ref_cell),
                                      REFERENCE_EXPECTED))
    status_cell = _cell_at(r, cols.status)
    status = _parse_status(status_cell)
    if status is None:
        row_issues.append(ResultIssue(sheet_row, labels["status"],
                                      render_cell(status_cell), STATUS_EXPECTED))
    amount: int | None = None
    amount_cell = _cell_at(r, cols.amount)
    if not _blank(amount_cell):
        try:
            amount = _parse_result_amount(amount_cell)
        except ValueProblem:
            row_issues.append(ResultIssue(sheet_row, labels["amount"],
                                          render_cell(amount_cell), AMOUNT_EXPECTED))
    if row_issues or status is None:
        return row_issues
    return ResultRow(sheet_row, reference, status, _text_of(_cell_at(r, cols.reason_code)),
                     amount, _text_of(_cell_at(r, cols.note)))


def _read_result_grid(path: Path, limits: ReadLimits = DEFAULT_LIMITS,
                      ) -> tuple[list[ResultRow], list[ResultIssue]]:
    """The general path of :func:`read_result_table`: any file :func:`read_grid` reads."""
    try:
        grid = read_grid(path, limits=limits,
                         header=HeaderSpec(RESULT_FIELDS, _REQUIRED_RESULT))
    except TableReadError as exc:
        raise ResultFileError(exc.message, code=exc.code, params=exc.params) from exc
    try:
        match = find_header(grid.rows, RESULT_FIELDS, required=_REQUIRED_RESULT)
    except HeaderError as exc:
        best: HeaderMatch | None = None
        with suppress(HeaderError):
            best = find_header(grid.rows, RESULT_FIELDS)
        raise ResultFileError(_missing_message(path, exc.missing, best)) from exc

    cols = _ResultColumns.of(match)
    grid_rows = grid.rows
    start = match.data_start
    # Rows after the last one with a reference cell are ignored (totals, signatures).
    end = len(grid_rows)
    while end > start and _blank(_cell_at(grid_rows[end - 1], cols.reference)):
        end -= 1
    rows: list[ResultRow] = []
    issues: list[ResultIssue] = []
    for i in range(start, end):
        outcome = _result_line(grid_rows[i], i + 1, cols)
        if isinstance(outcome, ResultRow):
            rows.append(outcome)
        elif outcome:
            issues.extend(outcome)
    return rows, issues


# --- CSV fast path --------------------------------------------------------------------------

_HEADER_SCAN = 30  # rows find_header looks at (its default scan_rows)
_MEMO_MAX = 1 << 16  # distinct texts remembered per column while streaming a CSV result file
_AMOUNT_UNSEEN = -1  # amounts are never negative: -1 and -2 are free as markers
_AMOUNT_BAD = -2


def _read_result_csv(path: Path, limits: ReadLimits = DEFAULT_LIMITS,
                     ) -> tuple[list[ResultRow], list[ResultIssue]] | None:
    """:func:`read_result_table` for a CSV/text file, streamed with a tight loop over ``str``
    cells; None when the general path must decide (errors, missing columns, csv errors).

    The text is decoded exactly as :func:`tabular.read_grid` does (same helpers: BOM, UTF-8,
    Windows-1258, NFC of the whole text, sniffed delimiter, ``newline=""``), so the records are
    the grid's rows with ``""`` for ``None``. The header is looked for in the first
    ``_HEADER_SCAN + 1`` records: that is all :func:`find_header` reads of the grid (blank rows
    trimmed from the grid's end never change its result). Rows without a reference cell are kept
    aside and only reported when a later row has one ("rows after the last reference are
    ignored"). Common rows (plain reference, known status, empty or valid amount) are built
    directly; every other row goes through :func:`_result_line`, like the general path.
    """
    if path.suffix.lower() not in TEXT_EXTENSIONS:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    # As tabular._read_text: the general path reports binary files.
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    text = _decode(data)
    del data
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    del text
    try:
        head = list(itertools.islice(reader, _HEADER_SCAN + 1))
        widest = max((len(r) for r in head), default=0)
        if widest > limits.max_columns:
            return None  # the general path refuses it with the same message
        try:
            match = find_header(head, RESULT_FIELDS, required=_REQUIRED_RESULT)
        except HeaderError:
            return None  # the general path builds the message
        return _stream_result_rows(itertools.chain(head[match.data_start:], reader),
                                   match.data_start, _ResultColumns.of(match), limits)
    except csv.Error:
        return None  # the general path raises the same error


def _stream_result_rows(records: Iterable[list[str]], start: int, cols: _ResultColumns,
                        limits: ReadLimits = DEFAULT_LIMITS,
                        ) -> tuple[list[ResultRow], list[ResultIssue]]:
    """Rows and issues of the CSV records following the header (``start`` records above)."""
    rows: list[ResultRow] = []
    issues: list[ResultIssue] = []
    pending: list[ResultIssue] = []  # issues of rows without a reference, not yet reported
    c_ref, c_status = cols.reference, cols.status
    c_reason, c_amount, c_note = cols.reason_code, cols.amount, cols.note
    need = 1 + max(c for c in (c_ref, c_status, c_reason, c_amount, c_note) if c is not None)
    statuses: dict[str, str] = {}  # cell -> "succ" | "rjct" | "" (not a status)
    texts: dict[str, str] = {"": ""}  # cell -> _text_of(cell) for reason codes and notes
    amounts: dict[str, int | None] = {"": None}  # cell -> amount, None, or _AMOUNT_BAD

    def text_of(cell: str) -> str:
        text = texts.get(cell)
        if text is None:
            text = _text_of(cell)
            if len(texts) < _MEMO_MAX:
                texts[cell] = text
        return text

    def other_row(r: list[str], sheet_row: int) -> None:
        """Any row: the general rules on the grid row (``""`` cells are None in the grid)."""
        grid_row = [c if c != "" else None for c in r]
        outcome = _result_line(grid_row, sheet_row, cols)
        if _blank(grid_row[c_ref]):
            if isinstance(outcome, list):  # reported only if a later row has a reference
                pending.extend(outcome)
            return
        if pending:
            issues.extend(pending)
            pending.clear()
        if isinstance(outcome, ResultRow):
            rows.append(outcome)
        elif outcome:
            issues.extend(outcome)

    append = rows.append
    max_rows, max_columns = limits.max_rows, limits.max_columns
    for sheet_row, r in enumerate(records, start + 1):
        if sheet_row > max_rows or len(r) > max_columns:
            try:
                _check_shape(None, sheet_row, len(r), limits)
            except TableReadError as exc:
                raise ResultFileError(exc.message, code=exc.code, params=exc.params) from exc
        if len(r) < need:
            r = r + [""] * (need - len(r))  # a short CSV record: padded like the grid
        ref = r[c_ref]
        # A non-empty ASCII reference without whitespace or control characters is its own
        # _text_of(); anything else takes the general route.
        if not (ref.isascii() and (ref.isalnum() or (ref.isprintable() and ref
                                                     and " " not in ref))):
            other_row(r, sheet_row)
            continue
        cell = r[c_status]
        status = statuses.get(cell)
        if status is None:
            status = _status_of(cell) or ""
            if len(statuses) < _MEMO_MAX:
                statuses[cell] = status
        if not status:
            other_row(r, sheet_row)
            continue
        amount: int | None = None
        if c_amount is not None:
            cell = r[c_amount]
            amount = amounts.get(cell, _AMOUNT_UNSEEN)
            if amount == _AMOUNT_UNSEEN:
                if not cell.strip():
                    amount = None
                else:
                    try:
                        amount = _parse_result_amount(cell)
                    except ValueProblem:
                        amount = _AMOUNT_BAD
                if len(amounts) < _MEMO_MAX:
                    amounts[cell] = amount
            if amount == _AMOUNT_BAD:
                other_row(r, sheet_row)
                continue
        if pending:
            issues.extend(pending)
            pending.clear()
        append(ResultRow(sheet_row, ref, status,
                         "" if c_reason is None else text_of(r[c_reason]), amount,
                         "" if c_note is None else text_of(r[c_note])))
    return rows, issues
