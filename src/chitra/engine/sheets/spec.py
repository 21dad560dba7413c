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
from functools import lru_cache
from types import CodeType
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

    wrapper.cache = cache  # type: ignore[attr-defined]  # read directly by the row check
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
    """One data row being checked: its cells, the values parsed so far and its issues.

    The file's columns (``cols``: field -> index), labels and padded ``width`` are class
    attributes of a subclass made once per file (:func:`row_class`): a row is built with its
    own five slots only."""

    __slots__ = ("cells", "data_row", "errors", "sheet_row", "values", "warnings")

    cols: Mapping[str, int] = {}
    labels: Mapping[str, str] = {}
    width: int = 0

    def __init__(
        self, sheet_row: int, data_row: int, cells: list[object], values: dict[str, Any]
    ) -> None:
        self.sheet_row = sheet_row
        self.data_row = data_row
        self.cells = cells
        self.values = values
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


def row_class(cols: Mapping[str, int], labels: Mapping[str, str], width: int) -> type[Row]:
    """The :class:`Row` of one file: its columns, labels and padded width."""
    attrs = {"__slots__": (), "cols": cols, "labels": labels, "width": width}
    return type("Row", (Row,), attrs)


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


# --------------------------------------------------------------------------------------------
# the row check: generated once per file from the spec's steps
# --------------------------------------------------------------------------------------------

#: the signature of a generated row check: (the row, its padded cells, its values)
RowCheck = Callable[[Row, list[object], dict[str, Any]], None]


def _column_source(k: int, step: ColumnSpec, cached_parser: bool) -> list[str]:
    """The lines of the row check for column step `k`: its cell parsed into
    ``values[field]``, an empty cell the ``missing`` issue, a problem an error (a warning for
    a ``warn`` column) and the value ``None``. A memoised parser's cache is read inline."""
    name = repr(step.field)
    missing = f"row.error(label{k}, raw, *missing{k})" if step.missing is not None else "pass"
    if step.parser is None:
        return [f"    values[{name}] = None", f"    raw = r[index{k}]", f"    {missing}"]
    parse = [f"            v = parser{k}(raw)"]
    if cached_parser:  # a hit costs a dict look-up, not a call (bools stay apart from 0/1)
        parse = [
            f"            v = cache{k}.get(raw) if raw.__class__ is not bool else None",
            "            if v is None or isinstance(v, ValueProblem):",
            f"                v = parser{k}(raw)",
        ]
    report = "row.warn" if step.warn else "row.error"
    return [
        f"    raw = r[index{k}]",
        "    if raw is None or (raw.__class__ is str and not raw.strip()):",
        f"        {missing}",
        f"        values[{name}] = None",
        "    else:",
        "        try:",
        *parse,
        "        except ValueProblem as e:",
        f"            {report}(label{k}, raw, e.code, e.expected, **e.params)",
        f"            values[{name}] = None",
        "        else:",
        *([f"            if v is None: {missing}"] if step.missing is not None else []),
        f"            values[{name}] = v",
    ]


def row_check(
    spec: RowSpec[Any], cols: Mapping[str, int], labels: Mapping[str, str], width: int
) -> RowCheck:
    """The spec's steps as one function, written out once per file with each column's index,
    label, parser and issue bound as constants: the cells of every data row are checked
    without a loop over the steps, a tuple per step or a call per memoised value (the same
    checks, in the same order, as the steps say)."""
    lines = ["def check(row, r, values):"]
    names: dict[str, Any] = {"ValueProblem": ValueProblem}
    for k, step in enumerate(spec.steps):
        if not isinstance(step, ColumnSpec):
            names[f"rule{k}"] = step
            lines.append(f"    rule{k}(row)")
            continue
        cache = getattr(step.parser, "cache", None)
        names.update(
            {
                f"index{k}": cols.get(step.field, width),
                f"label{k}": labels[step.field],
                f"parser{k}": step.parser,
                f"missing{k}": step.missing,
                f"cache{k}": cache,
            }
        )
        lines += _column_source(k, step, isinstance(cache, dict))
    if len(lines) == 1:
        lines.append("    pass")
    exec(_compiled("\n".join(lines)), names)  # noqa: S102  # the source names constants only
    return names["check"]  # type: ignore[no-any-return]


@lru_cache(maxsize=64)
def _compiled(source: str) -> CodeType:
    """The code of a row check (its source depends only on the spec's steps, not on the file:
    the columns' indexes and labels are bound by name), compiled once per process."""
    return compile(source, "<row check>", "exec")  # type: ignore[no-any-return]


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
    check = row_check(spec, cols, labels, width)
    max_cell = spec.max_cell_chars
    # the reader measured the longest cell: rows are checked only when one may be too long
    check_cells = grid.longest_text is None or grid.longest_text > max_cell
    text_fields = tuple(cols[k] for k in spec.text_limits if k in cols)
    unique = spec.unique or Unique(lambda row: None, lambda row, first: None)
    key_of, record_of, file_row, sheet = (
        unique.key,
        spec.record,
        row_class(cols, labels, width),
        grid.rows,
    )
    seen: dict[Any, int] = {}
    records: list[R] = []
    rejected: list[RejectedRow] = []
    keep, reject = records.append, rejected.append
    # every row's values start as a copy of one dict holding every field the steps set (a
    # copy of a dict of the right size, rather than a dict grown field by field)
    new_values = dict.fromkeys(s.field for s in spec.steps if isinstance(s, ColumnSpec)).copy
    data_row = 0
    for sheet_row, data_row, r in spec.data_rows(grid, header, width):
        row = file_row(sheet_row, data_row, r, new_values())
        if check_cells:
            _long_cells(row, sheet[sheet_row - 1], header, max_cell, text_fields)
        check(row, r, row.values)
        key = key_of(row)
        first = seen.get(key) if key is not None else None
        if first is not None:
            unique.report(row, first)
        if row.errors:
            issues = row.errors + row.warnings
            reject(RejectedRow(sheet_row, data_row, list(sheet[sheet_row - 1]), issues))
        else:
            if key is not None:
                seen[key] = sheet_row
            keep(record_of(row))
    return RowsResult(records, rejected, header, data_row)
