"""One validator for the rows of every file kind: a declarative column spec applied to a grid.

A file kind (beneficiary list, provider account file...) is a :class:`RowSpec`: its columns as
:class:`ColumnSpec` ``(field, aliases, parser, required)``, the cross-field rules as small named
functions (:data:`Rule`), what makes two rows the same (:class:`Unique`) and how an accepted row
becomes a record. :func:`validate` finds the header, walks the data rows, applies the steps in
their order and returns the accepted records and the rejected rows with their issues (codes and
params, :class:`chitra.kernel.issues.Issue`; the words are rendered elsewhere).

Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from chitra.engine.sheets.headers import HeaderError, HeaderMatch, find_header
from chitra.engine.sheets.reading import Grid
from chitra.engine.sheets.values import (
    MAX_CELL_CHARS,
    ValueProblem,
    excel_column,
    render_cell,
    shown_value,
    too_long,
)
from chitra.kernel.issues import Issue

__all__ = [
    "ColumnSpec",
    "RejectedRow",
    "Row",
    "RowSpec",
    "RowsResult",
    "Rule",
    "Unique",
    "cached",
    "column_label",
    "is_empty",
    "long_cells",
    "validate",
]

_T = TypeVar("_T")


def is_empty(cell: object) -> bool:
    """No value: ``None`` or text of spaces only."""
    return cell is None or (cell.__class__ is str and not cell.strip())  # type: ignore[attr-defined]


def cached(fn: Callable[[object], _T]) -> Callable[[object], _T]:
    """Memoise a parser per import (values repeat a lot: dates, amounts, sex, months)."""
    cache: dict[object, _T | ValueProblem] = {}

    def wrapper(cell: object) -> _T:
        # Key by value (1 == 1.0 parse alike); bools would collide with 0/1, so keep them apart.
        key = cell if cell.__class__ is not bool else ("bool", cell)
        try:
            hit = cache[key]
        except KeyError:
            try:
                hit = fn(cell)
            except ValueProblem as exc:
                hit = exc
            cache[key] = hit
        if isinstance(hit, ValueProblem):
            raise hit
        return hit

    return wrapper


def long_cells(
    row: Sequence[object], limit: int, skip: Sequence[int] = ()
) -> Iterator[tuple[int, str]]:
    """``(column index, text)`` of the text cells of ``row`` longer than ``limit``."""
    for ci, cell in enumerate(row):
        if cell.__class__ is str and len(cell) > limit and ci not in skip:  # type: ignore[arg-type]
            yield ci, cell  # type: ignore[misc]


def column_label(header: HeaderMatch, index: int) -> str:
    """The header text of column ``index``, else its letter (A, B... AA)."""
    labels = header.column_labels
    if index < len(labels) and labels[index]:
        return labels[index]
    return excel_column(index)


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column of a file kind.

    ``aliases`` are the header texts that name it; ``required`` columns must be in the header.
    ``parser`` turns a non-empty cell into the field's value (``None``: the cell says nothing)
    or raises :class:`ValueProblem`. An empty cell, or one the parser finds empty, is the issue
    ``missing`` (``(code, expected)``) when given, else the value ``None``. A problem of a
    ``warn`` column is a warning: the row is kept without the value.
    """

    field: str
    aliases: tuple[str, ...]
    parser: Callable[[object], Any] | None = None
    required: bool = False
    missing: tuple[str, str] | None = None
    warn: bool = False


class Row:
    """One data row being checked: its cells, the values parsed so far and its issues."""

    __slots__ = (
        "cells",
        "cols",
        "data_row",
        "errors",
        "labels",
        "sheet_row",
        "values",
        "warnings",
        "width",
    )

    def __init__(
        self,
        sheet_row: int,
        data_row: int,
        cells: list[object],
        cols: Mapping[str, int],
        labels: Mapping[str, str],
        width: int,
    ) -> None:
        self.sheet_row = sheet_row
        self.data_row = data_row
        self.cells = cells
        self.cols = cols
        self.labels = labels
        self.width = width
        self.values: dict[str, Any] = {}
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []

    def cell(self, key: str) -> object:
        """The raw cell of field ``key`` (``None`` when the file has no such column)."""
        return self.cells[self.cols.get(key, self.width)]

    def error(self, column: str, value: object, code: str, expected: str, **params: Any) -> None:
        """An error in ``column`` (a header text); the value is shown cut to its first
        characters."""
        self.errors.append(
            Issue(
                self.sheet_row, column, shown_value(value), code, {"expected": expected, **params}
            )
        )

    def warn(self, column: str, value: object, code: str, expected: str, **params: Any) -> None:
        """A warning in ``column``: the row is kept; the value is shown whole."""
        self.warnings.append(
            Issue(
                self.sheet_row,
                column,
                render_cell(value),
                code,
                {"expected": expected, **params},
                "warning",
            )
        )

    def has_error(self, code: str) -> bool:
        return any(i.code == code for i in self.errors)


#: A cross-field rule: reads the row's values and cells, adds issues, may drop a value.
Rule = Callable[[Row], None]


@dataclass(frozen=True, slots=True)
class Unique:
    """Rows of a file that must not repeat: ``key`` of a row (``None``: not comparable) and the
    issue ``report`` adds when an accepted earlier row (``first``) had the same key."""

    key: Callable[[Row], Any]
    report: Callable[[Row, int], None]


@dataclass(slots=True)
class RejectedRow:
    sheet_row: int
    data_row: int
    cells: list[object]
    issues: list[Issue]


class _HasWarnings(Protocol):
    warnings: list[Issue]


R = TypeVar("R", bound=_HasWarnings)


@dataclass
class RowsResult(Generic[R]):
    """What a file parser returns: accepted records, rejected rows, the header found."""

    records: list[R]
    rejected: list[RejectedRow]
    header: HeaderMatch
    total_rows: int

    @property
    def issues(self) -> list[Issue]:
        """All issues: errors of rejected rows and warnings of accepted records, by row."""
        out = [i for r in self.rejected for i in r.issues]
        out += [w for r in self.records for w in r.warnings]
        out.sort(key=lambda i: i.sheet_row)
        return out


DataRows = Callable[[Grid, HeaderMatch, int], Iterator[tuple[int, int, list[object]]]]


@dataclass
class RowSpec(Generic[R]):
    """A file kind: its columns, the order its checks run in, and its record.

    ``steps`` run in order on every data row: a :class:`ColumnSpec` parses its cell, a
    :data:`Rule` checks what the earlier steps found. ``header_check`` refuses a header that
    lacks a combination of columns; ``data_rows`` yields the rows that hold data (titles,
    totals, repeated headers left out); ``text_limits`` are the fields with a length limit of
    their own (any other text cell may hold ``max_cell_chars``); ``record`` builds the accepted
    row's record.
    """

    columns: Sequence[ColumnSpec]
    steps: Sequence[ColumnSpec | Rule]
    data_rows: DataRows
    record: Callable[[Row], R]
    header_check: Callable[[HeaderMatch], HeaderError | None] | None = None
    unique: Unique | None = None
    text_limits: Sequence[str] = ()
    label_default: Callable[[str], str] = str
    max_cell_chars: int = MAX_CELL_CHARS
    fields: dict[str, tuple[str, ...]] = field(init=False)

    def __post_init__(self) -> None:
        self.fields = {c.field: c.aliases for c in self.columns}

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.columns if c.required)


def _header(grid: Grid, spec: RowSpec[Any]) -> HeaderMatch:
    header = find_header(grid.rows, spec.fields, required=spec.required)
    if spec.header_check is not None:
        problem = spec.header_check(header)
        if problem is not None:
            raise problem
    return header


def _long_cells(
    row: Row, cells: Sequence[object], header: HeaderMatch, limit: int, skip: Sequence[int]
) -> None:
    for ci, text in long_cells(cells, limit, skip):
        row.error(
            column_label(header, ci),
            text,
            "value_too_long",
            too_long(limit, len(text)),
            limit=limit,
            count=len(text),
        )


#: a step of :func:`validate`: (field, column index, label, parser, missing, warn) of a column;
#: a rule is ``(None, -1, "", rule, None, False)``
_Step = tuple[str | None, int, str, Callable[..., Any] | None, tuple[str, str] | None, bool]


def _steps(
    spec: RowSpec[Any], cols: Mapping[str, int], labels: Mapping[str, str], width: int
) -> list[_Step]:
    out: list[_Step] = []
    for s in spec.steps:
        if isinstance(s, ColumnSpec):
            out.append(
                (s.field, cols.get(s.field, width), labels[s.field], s.parser, s.missing, s.warn)
            )
        else:
            out.append((None, -1, "", s, None, False))
    return out


# over the limits: the import's hot loop (every cell of up to 3.5 M rows) is written out here,
# with locals only, rather than as a call per cell.
def validate(grid: Grid, spec: RowSpec[R]) -> RowsResult[R]:
    """Apply ``spec`` to every data row of ``grid``: accepted records and rejected rows.

    Raises :class:`~chitra.engine.sheets.headers.HeaderError` when a required column, or a
    combination ``header_check`` asks for, is missing.
    """
    header = _header(grid, spec)
    cols = header.columns
    labels = {k: header.labels.get(k, spec.label_default(k)) for k in spec.fields}
    # Rows are padded to ``width + 1`` cells; an absent column points at the last, always None.
    width = max(max((len(r) for r in grid.rows), default=0), max(cols.values(), default=0) + 1)
    columns = _steps(spec, cols, labels, width)
    max_cell = spec.max_cell_chars
    # the reader measured the longest cell: rows are checked only when one may be too long
    check_cells = grid.longest_text is None or grid.longest_text > max_cell
    text_fields = tuple(cols[k] for k in spec.text_limits if k in cols)
    unique = spec.unique or Unique(lambda row: None, lambda row, first: None)
    seen: dict[Any, int] = {}
    records: list[R] = []
    rejected: list[RejectedRow] = []
    data_row = 0
    for sheet_row, data_row, r in spec.data_rows(grid, header, width):
        row = Row(sheet_row, data_row, r, cols, labels, width)
        if check_cells:
            _long_cells(row, grid.rows[sheet_row - 1], header, max_cell, text_fields)
        values = row.values
        for name, index, label, parser, missing, warn in columns:
            if name is None:
                parser(row)  # type: ignore[misc]  # a rule
                continue
            raw = r[index]
            value = None
            if parser is not None and not (
                raw is None or (raw.__class__ is str and not raw.strip())  # type: ignore[attr-defined]
            ):  # type: ignore[attr-defined]
                try:
                    value = parser(raw)
                except ValueProblem as e:
                    if warn:  # the row is kept, without this value
                        row.warn(label, raw, e.code, e.expected, **e.params)
                    else:
                        row.error(label, raw, e.code, e.expected, **e.params)
                    values[name] = None
                    continue
            if value is None and missing is not None:
                row.error(label, raw, *missing)
            values[name] = value
        key = unique.key(row)
        first = seen.get(key) if key is not None else None
        if first is not None:
            unique.report(row, first)
        if row.errors:
            rejected.append(
                RejectedRow(
                    sheet_row, data_row, list(grid.rows[sheet_row - 1]), row.errors + row.warnings
                )
            )
        else:
            if key is not None:
                seen[key] = sheet_row
            records.append(spec.record(row))
    return RowsResult(records, rejected, header, data_row)
