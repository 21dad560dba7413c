"""Read any list file the import accepts as *people to verify*, without judging them.

Verification lists come from offices and police; each row is judged against the register later,
so nothing here rejects a row: a malformed ID stays as written (outcome `invalid_id`), a missing
one is null (`no_id`), an unreadable date, sex or commune is null. The rows, headers and
special-row rules are the import's own (`chitra.engine.rows.beneficiary.iter_data_rows`): a
column spec on the one validator whose parsers never refuse a value.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from chitra.engine.rows.beneficiary import (
    BENEFICIARY_FIELDS,
    _CommuneResolver,
    iter_data_rows,
)
from chitra.engine.sheets.headers import HeaderError, HeaderMatch
from chitra.engine.sheets.reading import Grid
from chitra.engine.sheets.spec import ColumnSpec, Row, RowSpec, cached, validate
from chitra.engine.sheets.values import ValueProblem, parse_date, parse_sex
from chitra.kernel.issues import Issue
from chitra.kernel.names import clean_text
from chitra.kernel.personal_id import normalize_personal_id

#: the people the engine verifies against the register: a list read here, or the registry's
#: beneficiaries (`verification.services.registry_people`)
PEOPLE_SCHEMA = pa.schema(
    [
        ("input_row", pa.int64()),
        ("personal_id", pa.string()),
        ("full_name", pa.string()),
        ("birth_date", pa.date32()),
        ("birth_precision", pa.string()),
        ("sex", pa.string()),
        ("commune_code", pa.string()),
    ]
)


def _lenient(parser: Callable[[object], Any]) -> Callable[[object], Any]:
    """``parser``, with ``None`` for a value it cannot read (a list to verify rejects nothing)."""

    def parse(cell: object) -> Any:
        try:
            return parser(cell)
        except ValueProblem:
            return None

    return cached(parse)


def _has_id_or_birth(header: HeaderMatch) -> HeaderError | None:
    if "personal_id" not in header.columns and "birth_date" not in header.columns:
        return HeaderError(["personal_id", "birth_date"], dict(header.labels), BENEFICIARY_FIELDS)
    return None


def _person(row: Row) -> _Person:
    v = row.values
    birth, precision = v["birth_date"] or (None, None)
    return _Person(
        row.data_row,
        v["personal_id"],
        v["full_name"] or "",
        birth,
        precision,
        v["sex"],
        v["commune"],
    )


@dataclass(slots=True)
class _Person:
    input_row: int
    personal_id: str | None
    full_name: str
    birth_date: object
    birth_precision: str | None
    sex: str | None
    commune_code: str | None
    warnings: list[Issue] = field(default_factory=list)


def people_spec(communes: Mapping[str, str]) -> RowSpec[_Person]:
    """The columns of a list of people to verify: the beneficiary list's, none of them
    rejecting a row (an unreadable value is null)."""
    parsers: dict[str, Callable[[object], Any]] = {
        "personal_id": normalize_personal_id,
        "full_name": clean_text,
        "birth_date": _lenient(parse_date),
        "sex": _lenient(parse_sex),
        "commune": _lenient(_CommuneResolver(communes).resolve),
    }
    columns = [
        ColumnSpec(k, aliases, parsers.get(k), k == "full_name")
        for k, aliases in BENEFICIARY_FIELDS.items()
    ]
    return RowSpec(
        columns=columns,
        steps=[c for c in columns if c.parser is not None],
        data_rows=iter_data_rows,
        record=_person,
        header_check=_has_id_or_birth,
        max_cell_chars=sys.maxsize,  # no cell is too long for a list that rejects nothing
    )


def read_people(grid: Grid, communes: Mapping[str, str]) -> pa.Table:
    """People of a list as an Arrow table (`PEOPLE_SCHEMA`); `input_row` is the 1-based data
    row (blank, title, header and totals lines not counted)."""
    people = validate(grid, people_spec(communes)).records
    return pa.table(
        {name: [getattr(p, name) for p in people] for name in PEOPLE_SCHEMA.names},
        schema=PEOPLE_SCHEMA,
    )
