"""The result file a provider sends back for a batch: CSV, XLSX, XLS or ODS.

:func:`read_result_table` parses it into :class:`ResultRow` (reference, status, reason code,
optional amount and note) and :class:`ResultIssue` (a cell that could not be read). The
ISO 20022 form of the same answer (pain.002) is read by :mod:`chitra.engine.iso20022`.
Pure Python, no Django.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

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
    "AMOUNT_EXPECTED",
    "REFERENCE_EXPECTED",
    "RESULT_FIELDS",
    "STATUS_EXPECTED",
    "ResultFileError",
    "ResultIssue",
    "ResultRow",
    "read_result_table",
]


RESULT_FIELDS: dict[str, tuple[str, ...]] = {
    "reference": (
        "reference",
        "reference_id",
        "reference id",
        "payment reference",
        "ma thanh toan",
        "mã thanh toán",
        "endtoendid",
        "end to end id",
        "end_to_end_id",
    ),
    "status": ("status", "trang thai", "trạng thái", "kết quả", "result", "tình trạng"),
    "reason_code": (
        "reason",
        "reason_code",
        "reason code",
        "status_reason_code",
        "status reason code",
        "ma ly do",
        "mã lý do",
        "lý do",
        "mã lỗi",
        "error code",
    ),
    "amount": ("amount", "so tien", "số tiền", "số tiền chi trả", "instructed amount"),
    "note": (
        "note",
        "notes",
        "ghi chú",
        "ghi chu",
        "diễn giải",
        "mô tả",
        "description",
        "additional information",
    ),
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
for _word in (
    "SUCC",
    "SUCCESS",
    "SUCCESSFUL",
    "SUCCEEDED",
    "PAID",
    "OK",
    "THANH CONG",
    "ACSC",
    "ACCC",
    "DA CHI TRA",
    "DA CHI",
):
    _STATUS[_word] = "succ"
for _word in (
    "RJCT",
    "REJECTED",
    "REJECT",
    "FAILED",
    "FAIL",
    "FAILURE",
    "THAT BAI",
    "KHONG THANH CONG",
    "TU CHOI",
    "BI TU CHOI",
):
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
    #: the issue code, e.g. "result_status_invalid" (what the message is rendered from)
    code: str = field(default="value_missing", compare=False)


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
    return (
        f"Result file '{path.name}': missing column(s) {'; '.join(parts)}. "
        f"Columns found: {found or 'none'}."
    )


def read_result_table(
    path: Path,
    *,
    limits: ReadLimits = DEFAULT_LIMITS,
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
        return cls(
            match.labels,
            c["reference"],
            c["status"],
            c.get("reason_code"),
            c.get("amount"),
            c.get("note"),
        )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_at(r: Sequence[object], c: int | None) -> object:
    """Cell ``c`` of a grid row; None for a column the file does not have or past the row end."""
    return r[c] if c is not None and c < len(r) else None


def _result_line(
    r: Sequence[object], sheet_row: int, cols: _ResultColumns
) -> ResultRow | list[ResultIssue] | None:
    """Outcome of one data row of a grid: a row, its issues (never empty), or None if blank."""
    ref_cell = _cell_at(r, cols.reference)
    reference = _text_of(ref_cell)
    if not reference and all(_blank(c) for c in r):
        return None  # blank row
    labels = cols.labels
    row_issues: list[ResultIssue] = []
    if not reference:
        row_issues.append(
            ResultIssue(
                sheet_row,
                labels["reference"],
                render_cell(ref_cell),
                REFERENCE_EXPECTED,
                "result_reference_missing",
            )
        )
    status_cell = _cell_at(r, cols.status)
    status = _parse_status(status_cell)
    if status is None:
        row_issues.append(
            ResultIssue(
                sheet_row,
                labels["status"],
                render_cell(status_cell),
                STATUS_EXPECTED,
                "result_status_invalid",
            )
        )
    amount: int | None = None
    amount_cell = _cell_at(r, cols.amount)
    if not _blank(amount_cell):
        try:
            amount = _parse_result_amount(amount_cell)
        except ValueProblem:
            row_issues.append(
                ResultIssue(
                    sheet_row,
                    labels["amount"],
                    render_cell(amount_cell),
                    AMOUNT_EXPECTED,
                    "amount_fraction",
                )
            )
    if row_issues or status is None:
        return row_issues
    return ResultRow(
        sheet_row,
        reference,
        status,
        _text_of(_cell_at(r, cols.reason_code)),
        amount,
        _text_of(_cell_at(r, cols.note)),
    )


def _read_result_grid(
    path: Path,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> tuple[list[ResultRow], list[ResultIssue]]:
    """The general path of :func:`read_result_table`: any file :func:`read_grid` reads."""
    try:
        grid = read_grid(path, limits=limits, header=HeaderSpec(RESULT_FIELDS, _REQUIRED_RESULT))
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


def _read_result_csv(
    path: Path,
    limits: ReadLimits = DEFAULT_LIMITS,
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
        return _stream_result_rows(
            itertools.chain(head[match.data_start :], reader),
            match.data_start,
            _ResultColumns.of(match),
            limits,
        )
    except csv.Error:
        return None  # the general path raises the same error


# over the limits: the fast path over every record of a bank's result file (up to millions):
# memo dicts and bound locals in one loop, the general rules only for an unusual row; a
# function call per record costs measurable time (tests/engine/test_result_table_fast.py)
def _stream_result_rows(
    records: Iterable[list[str]],
    start: int,
    cols: _ResultColumns,
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
        if not (
            ref.isascii() and (ref.isalnum() or (ref.isprintable() and ref and " " not in ref))
        ):
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
        append(
            ResultRow(
                sheet_row,
                ref,
                status,
                "" if c_reason is None else text_of(r[c_reason]),
                amount,
                "" if c_note is None else text_of(r[c_note]),
            )
        )
    return rows, issues
