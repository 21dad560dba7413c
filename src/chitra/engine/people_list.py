"""Read any list file the import accepts as *people to verify*, without judging them.

Verification lists come from offices and police; each row is judged against the register later,
so nothing here rejects a row: a malformed ID stays as written (outcome `invalid_id`), a missing
one is null (`no_id`), an unreadable date, sex or commune is null. The rows, headers and
special-row rules are the import's own (`beneficiary_rows.iter_data_rows`).
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress

import pyarrow as pa

from chitra.engine.rows.beneficiary import (
    BENEFICIARY_FIELDS,
    _cached,
    _CommuneResolver,
    iter_data_rows,
)
from chitra.engine.sheets.headers import HeaderError, find_header
from chitra.engine.sheets.reading import Grid
from chitra.engine.sheets.values import ValueProblem, parse_date, parse_sex
from chitra.kernel.names import clean_text
from chitra.kernel.personal_id import normalize_personal_id

PEOPLE_SCHEMA = pa.schema([
    ("input_row", pa.int64()),
    ("personal_id", pa.string()),
    ("full_name", pa.string()),
    ("birth_date", pa.date32()),
    ("birth_precision", pa.string()),
    ("sex", pa.string()),
    ("commune_code", pa.string()),
])


def read_people(grid: Grid, communes: Mapping[str, str]) -> pa.Table:
    """People of a list as an Arrow table (`PEOPLE_SCHEMA`); `input_row` is the 1-based data
    row (blank, title, header and totals lines not counted)."""
    header = find_header(grid.rows, BENEFICIARY_FIELDS, required=("full_name",))
    cols = header.columns
    if "personal_id" not in cols and "birth_date" not in cols:
        raise HeaderError(["personal_id", "birth_date"], dict(header.labels), BENEFICIARY_FIELDS)
    width = max(max((len(r) for r in grid.rows), default=0), max(cols.values(), default=0) + 1)
    c = {k: cols.get(k, width) for k in BENEFICIARY_FIELDS}
    resolver = _CommuneResolver(communes)
    p_date = _cached(parse_date)
    p_sex = _cached(parse_sex)
    out: dict[str, list[object]] = {name: [] for name in PEOPLE_SCHEMA.names}
    for _sheet_row, data_row, r in iter_data_rows(grid, header, width):
        raw_pid = r[c["personal_id"]]
        pid = normalize_personal_id(raw_pid) if raw_pid is not None else None
        birth = precision = sex = commune = None
        if r[c["birth_date"]] is not None:
            with suppress(ValueProblem):
                birth, precision = p_date(r[c["birth_date"]])
        if r[c["sex"]] is not None:
            with suppress(ValueProblem):
                sex = p_sex(r[c["sex"]])
        if r[c["commune"]] is not None:
            with suppress(ValueProblem):
                commune = resolver.resolve(r[c["commune"]])
        out["input_row"].append(data_row)
        out["personal_id"].append(pid)
        out["full_name"].append(clean_text(r[c["full_name"]]) or "")
        out["birth_date"].append(birth)
        out["birth_precision"].append(precision)
        out["sex"].append(sex)
        out["commune_code"].append(commune)
    return pa.table(out, schema=PEOPLE_SCHEMA)
