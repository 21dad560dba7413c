"""A local DuckDB copy of a National Population Register extract.

Pure Python + DuckDB, no Django. :func:`load_extract` reads a Parquet or CSV extract with the
columns ``personal_id, full_name, birth_date, sex, commune_code, death_date``, validates it and
writes a DuckDB file holding

* ``register(personal_id, full_name, name_folded, birth_date, birth_precision, sex,
  commune_code, death_date)`` physically ordered by ``personal_id`` (row-group zone maps then
  cover narrow ID ranges, so a lookup of a few IDs reads few row groups);
* ``name_stats(name_folded, sex, n)`` and ``block_stats(commune_code, sex, birth_year, n)``:
  frequencies used by :mod:`chitra.engine.register.verify` to calibrate candidate scores;
* the verification index, built by :func:`ensure_verify_index` (called by :func:`load_extract`;
  callable on an existing store): ``verify_names(name_id, name_folded)`` and
  ``verify_full_names(full_name_id, full_name)`` (one row per distinct folded / full name) and
  ``verify_blocks(commune_code, sex, birth_year, birth_date, birth_precision, name_id,
  full_name_id, death_date, pid)``, a narrow copy of the register physically ordered by commune,
  sex and birth date, with the names as small integer codes and the personal ID as a BIGINT
  (the ID is always 12 digits: ``lpad(pid, 12, '0')``). :mod:`chitra.engine.register.verify`
  works on it alone: a commune-blocked candidate search reads only the row groups of the list's
  communes, the ID lookup joins integers, and no wide string column is decoded for rows it does
  not need;
* ``meta(loaded_at, source, rows, deaths, sha256)`` (one row);
* ``changes(personal_id, kind, field_changes, detected_at)``: what each reload found different
  from the store it replaced (``death``, ``correction``, ``new``, ``removed``), accumulated over
  reloads. ``field_changes`` is a JSON object of the changed fields and their *new* values.

``name_folded`` is :func:`chitra.kernel.names.fold_name` itself, applied once per *distinct* name
of each Arrow batch (:func:`name_columns`) while DuckDB streams the extract; ``full_name`` is
stored as :func:`chitra.kernel.names.clean_text` (NFC, whitespace collapsed). :func:`fold_sql` is
the same folding as a pure SQL expression (proved equal with Hypothesis in
``tests/engine/test_register_store.py``) for ad-hoc queries; it is ~20x slower on real data,
whose names repeat.

A reload is atomic: the new store is built in ``<store>.tmp`` and moved over the old one with
:func:`chitra.kernel.files.move_into_place`; a failed load leaves the old store untouched.
DuckDB runs with a memory limit (2 GB by default) and spills to a temporary directory next to
the store, so 100 M rows load on a small machine.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from chitra.kernel.files import move_into_place
from chitra.kernel.hashing import sha256_file
from chitra.kernel.names import clean_text, fold_name
from chitra.kernel.personal_id import OLD_PROVINCE_CODES

__all__ = [
    "FOLD_SQL",
    "REGISTER_COLUMNS",
    "LoadIssue",
    "LoadResult",
    "RegisterChange",
    "RegisterLoadError",
    "RegisterPerson",
    "changes_since",
    "ensure_verify_index",
    "fold_sql",
    "has_verify_index",
    "load_extract",
    "lookup",
    "name_columns",
    "open_store",
    "store_info",
]

REGISTER_COLUMNS = ("personal_id", "full_name", "birth_date", "sex", "commune_code", "death_date")

# --------------------------------------------------------------------------------------------
# Folding in SQL (must equal chitra.kernel.names.fold_name)
# --------------------------------------------------------------------------------------------

# Characters Python's str.split() treats as whitespace (RE2's \s covers only [\t\n\f\r ]).
_WS_CLASS = (
    r"[\t\n\x{0b}\f\r \x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
    r"\x{202f}\x{205f}\x{3000}]+"
)
# Invisible characters chitra.kernel.names drops before folding.
_INVISIBLE_CLASS = r"[\x{200b}\x{200c}\x{200d}\x{feff}\x{ad}\x{2060}]"


def fold_sql(expr: str) -> str:
    """SQL expression folding ``expr`` exactly like :func:`chitra.kernel.names.fold_name`.

    NFC, Đ/đ/Ð/ð -> D, invisible characters removed, accents stripped (``strip_accents``
    decomposes and drops the marks), upper case, runs of whitespace -> one space, trimmed.
    NULL folds to ``''`` like ``fold_name(None)``.
    """
    s = f"nfc_normalize(coalesce({expr}, ''))"
    s = f"regexp_replace({s}, '{_INVISIBLE_CLASS}', '', 'g')"
    for ch in ("Đ", "đ", "Ð", "ð"):
        s = f"replace({s}, '{ch}', 'D')"
    s = f"upper(strip_accents({s}))"
    return f"trim(regexp_replace({s}, '{_WS_CLASS}', ' ', 'g'), ' ')"


FOLD_SQL = fold_sql("full_name")

# --------------------------------------------------------------------------------------------
# Public types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterPerson:
    """One person as the register knows them (``birth_date`` at ``birth_precision`` D/M/Y)."""

    personal_id: str
    full_name: str
    birth_date: date | None
    birth_precision: str
    sex: str
    commune_code: str | None
    death_date: date | None


@dataclass(frozen=True)
class RegisterChange:
    """A difference found by a reload: ``fields`` maps changed fields to their new values."""

    personal_id: str
    kind: str  # death | correction | new | removed
    fields: dict[str, Any]
    detected_at: datetime


@dataclass(frozen=True)
class LoadResult:
    rows: int
    deaths: int
    path: Path
    loaded_at: datetime
    sha256: str | None
    changes: int = 0  # changes recorded against the previous store (0 on a first load)


@dataclass(frozen=True)
class LoadIssue:
    row: int  # 1-based data row of the extract (CSV: line = row + 1)
    column: str
    value: str | None
    expected: str

    @property
    def message_en(self) -> str:
        return (
            f"Row {self.row}, column '{self.column}': value {self.value!r} "
            f"— expected {self.expected}"
        )


class RegisterLoadError(Exception):
    """The extract cannot be loaded; ``issues`` names the first bad rows (may be empty)."""

    def __init__(self, message: str, issues: Sequence[LoadIssue] = ()) -> None:
        self.message = message
        self.issues = list(issues)
        detail = "; ".join(i.message_en for i in self.issues)
        super().__init__(f"{message}: {detail}" if detail else message)


Progress = Callable[[str], None]

# --------------------------------------------------------------------------------------------
# Column parsing (SQL over the all-text source)
# --------------------------------------------------------------------------------------------

_PROVINCES_SQL = ", ".join(f"'{c}'" for c in sorted(OLD_PROVINCE_CODES))

_PID = (
    "CASE WHEN regexp_full_match(trim(personal_id), '[0-9]{1,11}') "
    f"AND substr(lpad(trim(personal_id), 12, '0'), 1, 3) IN ({_PROVINCES_SQL}) "
    "THEN lpad(trim(personal_id), 12, '0') ELSE trim(personal_id) END"
)


def _date_sql(col: str) -> tuple[str, str]:
    """(date expression, precision expression) for a YYYY-MM-DD / YYYY-MM / YYYY text column."""
    t = f"trim({col})"
    d = (
        f"CASE WHEN regexp_full_match({t}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
        f"THEN try_cast({t} AS DATE) "
        f"WHEN regexp_full_match({t}, '[0-9]{{4}}-[0-9]{{2}}') THEN try_cast({t} || '-01' AS DATE) "
        f"WHEN regexp_full_match({t}, '[0-9]{{4}}') THEN try_cast({t} || '-01-01' AS DATE) END"
    )
    p = (
        f"CASE WHEN regexp_full_match({t}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') THEN 'D' "
        f"WHEN regexp_full_match({t}, '[0-9]{{4}}-[0-9]{{2}}') THEN 'M' "
        f"WHEN regexp_full_match({t}, '[0-9]{{4}}') THEN 'Y' END"
    )
    return d, p


_BIRTH, _BIRTH_P = _date_sql("birth_date")
_DEATH, _ = _date_sql("death_date")
_COMMUNE = (
    "CASE WHEN nullif(trim(commune_code), '') IS NULL THEN NULL "
    "WHEN regexp_full_match(trim(commune_code), '[0-9]{1,5}') "
    "THEN lpad(trim(commune_code), 5, '0') ELSE trim(commune_code) END"
)

#: (column, SQL condition that is TRUE on a bad row, expectation in English)
_CHECKS: tuple[tuple[str, str, str], ...] = (
    (
        "personal_id",
        f"NOT coalesce(regexp_full_match({_PID}, '[0-9]{{12}}'), false)",
        "a 12-digit personal ID",
    ),
    ("full_name", "nullif(trim(coalesce(full_name, '')), '') IS NULL", "a full name"),
    (
        "birth_date",
        f"({_BIRTH}) IS NULL OR year({_BIRTH}) < 1850",
        "a birth date YYYY-MM-DD, YYYY-MM or YYYY",
    ),
    ("sex", "coalesce(upper(trim(sex)), '') NOT IN ('M', 'F')", "M or F"),
    (
        "commune_code",
        f"({_COMMUNE}) IS NOT NULL AND NOT regexp_full_match({_COMMUNE}, '[0-9]{{5}}')",
        "a 5-digit commune code",
    ),
    (
        "death_date",
        f"nullif(trim(coalesce(death_date, '')), '') IS NOT NULL AND ({_DEATH}) IS NULL",
        "empty or a date YYYY-MM-DD",
    ),
)

_SELECT = f"""
    {_PID} AS personal_id,
    full_name,
    name_folded,
    {_BIRTH} AS birth_date,
    {_BIRTH_P} AS birth_precision,
    upper(trim(sex)) AS sex,
    {_COMMUNE} AS commune_code,
    CASE WHEN nullif(trim(coalesce(death_date, '')), '') IS NULL THEN NULL ELSE {_DEATH} END
        AS death_date
"""

_REGISTER_DDL = """
CREATE TABLE register (
    personal_id VARCHAR NOT NULL, full_name VARCHAR, name_folded VARCHAR, birth_date DATE,
    birth_precision VARCHAR, sex VARCHAR, commune_code VARCHAR, death_date DATE)
"""
_CHANGES_DDL = """
CREATE TABLE changes (
    personal_id VARCHAR, kind VARCHAR, field_changes VARCHAR, detected_at TIMESTAMP)
"""

# --------------------------------------------------------------------------------------------
# Names: folded once per distinct value
# --------------------------------------------------------------------------------------------


def name_columns(names: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, pa.Array]:
    """``(clean_text(name), fold_name(name))`` for every value of ``names``.

    Computed once per *distinct* name (names repeat a lot: a 100 M-row register has a few
    million distinct full names) with the one folding function, then spread back with ``take``;
    that is ~20x faster than the equivalent SQL (:func:`fold_sql`, ~3.4 µs a row).
    """
    arr = names.combine_chunks() if isinstance(names, pa.ChunkedArray) else names
    if arr.type != pa.string():
        arr = arr.cast(pa.string())
    enc = pc.dictionary_encode(arr)
    uniques = enc.dictionary.to_pylist()
    clean = pa.array([clean_text(u) for u in uniques], pa.string())
    folded = pa.array([fold_name(u) for u in uniques], pa.string())
    return clean.take(enc.indices), folded.take(enc.indices)


def _with_names(reader: pa.RecordBatchReader) -> pa.RecordBatchReader:
    """Source batches (all text) with ``full_name`` cleaned and ``name_folded`` added."""
    schema = pa.schema(
        [pa.field(c, pa.string()) for c in REGISTER_COLUMNS]
        + [pa.field("name_folded", pa.string())]
    )

    def batches() -> Iterator[pa.RecordBatch]:
        for b in reader:
            cols = {c: b.column(c).cast(pa.string()) for c in REGISTER_COLUMNS}
            cols["full_name"], cols["name_folded"] = name_columns(cols["full_name"])
            yield pa.RecordBatch.from_pydict(cols, schema=schema)

    return pa.RecordBatchReader.from_batches(schema, batches())


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def _configure(
    con: duckdb.DuckDBPyConnection,
    temp_dir: Path | None,
    memory_limit: str,
    threads: int | None,
) -> None:
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    if temp_dir is not None:
        temp_dir.mkdir(parents=True, exist_ok=True)
        con.execute(f"SET temp_directory = '{_sql_str(str(temp_dir))}'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")


def _sql_str(s: str) -> str:
    return s.replace("'", "''")


def _source_sql(src: Path) -> str:
    ext = src.suffix.lower()
    p = _sql_str(str(src))
    if ext in (".parquet", ".pq"):
        return f"read_parquet('{p}')"
    if ext in (".csv", ".txt", ".tsv"):
        return f"read_csv('{p}', all_varchar = true, header = true)"
    raise RegisterLoadError(f"unsupported extract type {ext or '(none)'}: use Parquet or CSV")


def _remove_db(path: Path) -> None:
    for p in (path, Path(str(path) + ".wal")):
        if p.exists():
            p.unlink()


def load_extract(
    src: Path | str,
    store: Path | str,
    *,
    progress: Progress | None = None,
    memory_limit: str = "2GB",
    threads: int | None = None,
    checksum: bool = True,
    loaded_at: datetime | None = None,
) -> LoadResult:
    """Load a register extract into a DuckDB store, replacing ``store`` atomically.

    Raises :class:`RegisterLoadError` for missing columns, malformed values (the first bad rows
    with row number, column, value and expectation) or a duplicated personal ID. When a store
    already exists, the differences with it are appended to its ``changes`` history.
    """
    src, store = Path(src), Path(store)
    say = progress or (lambda _msg: None)
    if not src.is_file():
        raise RegisterLoadError(f"extract {src} does not exist")
    store.parent.mkdir(parents=True, exist_ok=True)
    tmp = store.with_suffix(".tmp")
    temp_dir = store.parent / f".{store.name}.spill"
    _remove_db(tmp)
    loaded = loaded_at or datetime.now(UTC).replace(tzinfo=None)
    source_sql = _source_sql(src)
    try:
        con = duckdb.connect(str(tmp))
        try:
            _configure(con, temp_dir, memory_limit, threads)
            _check_columns(con, source_sql)
            say("validating")
            _validate(con)
            say("writing the register (sorted by personal_id)")
            _write_register(con, source_sql)
            say("checking for duplicate personal IDs")
            _refuse_duplicates(con)
            say("computing name and block statistics")
            _write_stats(con)
            say("building the verification index (narrow copy ordered by commune)")
            ensure_verify_index(con)
            rows, deaths, sha = _write_meta(con, src, loaded, checksum=checksum)
            n_changes = _write_changes(con, store, loaded, say)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        _move_store(tmp, store)
    except BaseException:
        _remove_db(tmp)
        raise
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)
    say(f"loaded {rows:,} rows ({deaths:,} deaths)")
    return LoadResult(
        rows=int(rows),
        deaths=int(deaths),
        path=store,
        loaded_at=loaded,
        sha256=sha,
        changes=n_changes,
    )


def _write_changes(
    con: duckdb.DuckDBPyConnection, store: Path, loaded: datetime, say: Progress
) -> int:
    """The ``changes`` table: the old store's history and its differences with this one."""
    con.execute(_CHANGES_DDL)
    if not store.exists():
        return 0
    say("recording changes against the previous store")
    return _record_changes(con, store, loaded)


def _move_store(tmp: Path, store: Path) -> None:
    move_into_place(tmp, store)
    wal = Path(str(tmp) + ".wal")
    if wal.exists():  # pragma: no cover - CHECKPOINT + close leave no WAL
        move_into_place(wal, Path(str(store) + ".wal"))


def _check_columns(con: duckdb.DuckDBPyConnection, source_sql: str) -> None:
    """Refuse an extract without the register's columns; view ``src`` of them as text."""
    con.execute("SET preserve_insertion_order = false")
    cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source_sql}").fetchall()]
    missing = [c for c in REGISTER_COLUMNS if c not in cols]
    if missing:
        raise RegisterLoadError(
            f"the extract lacks column(s) {', '.join(missing)}; found {', '.join(cols)}"
        )
    casts = ", ".join(f"CAST({c} AS VARCHAR) AS {c}" for c in REGISTER_COLUMNS)
    con.execute(f"CREATE TEMP VIEW src AS SELECT {casts} FROM {source_sql}")


def _write_register(con: duckdb.DuckDBPyConnection, source_sql: str) -> None:
    con.execute(_REGISTER_DDL)
    reader_con = con.cursor()
    reader = reader_con.sql(
        f"SELECT {', '.join(REGISTER_COLUMNS)} FROM {source_sql}"
    ).to_arrow_reader(batch_size=1 << 20)
    con.register("src_names", _with_names(reader))
    con.execute(
        f"INSERT INTO register SELECT {_SELECT} FROM src_names ORDER BY CAST({_PID} AS BIGINT)"
    )
    con.unregister("src_names")
    reader_con.close()


def _refuse_duplicates(con: duckdb.DuckDBPyConnection) -> None:
    dup = con.execute(
        "SELECT lpad(CAST(k AS VARCHAR), 12, '0'), count(*) FROM "
        "(SELECT CAST(personal_id AS BIGINT) AS k FROM register) GROUP BY k "
        "HAVING count(*) > 1 LIMIT 1"
    ).fetchall()
    if dup:
        raise RegisterLoadError(
            f"duplicate personal ID: {dup[0][0]} appears {dup[0][1]} times"
            " (each person must appear once)"
        )


def _write_stats(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "CREATE TABLE name_stats AS SELECT name_folded, sex, count(*) AS n "
        "FROM register GROUP BY ALL"
    )
    con.execute(
        "CREATE TABLE block_stats AS SELECT commune_code, sex, "
        "year(birth_date) AS birth_year, count(*) AS n FROM register GROUP BY ALL"
    )


def _write_meta(
    con: duckdb.DuckDBPyConnection, src: Path, loaded: datetime, *, checksum: bool
) -> tuple[Any, Any, str | None]:
    """The ``meta`` row of the store: (rows, deaths, SHA-256 of the extract or None)."""
    rows, deaths = con.execute("SELECT count(*), count(death_date) FROM register").fetchall()[0]
    sha = sha256_file(src) if checksum else None
    con.execute(
        "CREATE TABLE meta (loaded_at TIMESTAMP, source VARCHAR, rows BIGINT, "
        "deaths BIGINT, sha256 VARCHAR)"
    )
    con.execute("INSERT INTO meta VALUES (?, ?, ?, ?, ?)", [loaded, src.name, rows, deaths, sha])
    return rows, deaths, sha


VERIFY_INDEX_TABLES = ("verify_names", "verify_full_names", "verify_blocks")


def ensure_verify_index(
    store_or_con: Path | str | duckdb.DuckDBPyConnection,
    *,
    rebuild: bool = False,
    memory_limit: str = "2GB",
) -> bool:
    """Build ``verify_names`` and ``verify_blocks`` (see the module docstring) if missing.

    ``store_or_con`` is a store path (opened read-write, spilling next to the store) or a
    writable connection whose ``register`` table is the store's. Returns True when it built the
    index, False when it was already there (and ``rebuild`` is false).
    """
    if isinstance(store_or_con, duckdb.DuckDBPyConnection):
        return _build_verify_index(store_or_con, rebuild)
    store = Path(store_or_con)
    if not store.exists():
        raise FileNotFoundError(f"register store {store} does not exist")
    temp_dir = store.parent / f".{store.name}.spill"
    con = duckdb.connect(str(store))
    try:
        _configure(con, temp_dir, memory_limit, None)
        return _build_verify_index(con, rebuild)
    finally:
        con.close()
        shutil.rmtree(temp_dir, ignore_errors=True)


def has_verify_index(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the connection's default database holds the verification index."""
    names = ", ".join(f"'{t}'" for t in VERIFY_INDEX_TABLES)
    row = con.execute(
        "SELECT count(DISTINCT table_name) FROM duckdb_tables() "
        f"WHERE table_name IN ({names}) AND NOT temporary "
        "AND database_name = current_database() AND schema_name = current_schema()"
    ).fetchall()[0]
    return bool(row and row[0] == len(VERIFY_INDEX_TABLES))


def _build_verify_index(con: duckdb.DuckDBPyConnection, rebuild: bool) -> bool:
    if has_verify_index(con) and not rebuild:
        return False
    con.execute("BEGIN TRANSACTION")
    try:
        for t in VERIFY_INDEX_TABLES:
            con.execute(f"DROP TABLE IF EXISTS {t}")
        for table, col in (("verify_names", "name_folded"), ("verify_full_names", "full_name")):
            code = "name_id" if col == "name_folded" else "full_name_id"
            con.execute(
                f"CREATE TABLE {table} AS SELECT CAST(row_number() OVER (ORDER BY {col}) "
                f"AS INTEGER) AS {code}, {col} FROM "
                f"(SELECT DISTINCT {col} FROM register WHERE {col} IS NOT NULL)"
            )
        con.execute(
            """CREATE TABLE verify_blocks AS
            SELECT r.commune_code, r.sex, CAST(year(r.birth_date) AS SMALLINT) AS birth_year,
              r.birth_date, r.birth_precision, n.name_id, f.full_name_id, r.death_date,
              CAST(r.personal_id AS BIGINT) AS pid
            FROM register r
            LEFT JOIN verify_names n ON n.name_folded = r.name_folded
            LEFT JOIN verify_full_names f ON f.full_name = r.full_name
            ORDER BY r.commune_code, r.sex, r.birth_date, n.name_id"""
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("CHECKPOINT")
    return True


def _validate(con: duckdb.DuckDBPyConnection, limit: int = 5) -> None:
    filters = ", ".join(
        f"count(*) FILTER (WHERE coalesce(({cond}), true))" for _, cond, _ in _CHECKS
    )
    counts = con.execute(f"SELECT {filters} FROM src").fetchall()[0]
    if counts is None or not any(counts):
        return
    # Slow path (errors only): number the rows in file order.
    con.execute("SET preserve_insertion_order = true")
    conds = " OR ".join(f"coalesce(({cond}), true)" for _, cond, _ in _CHECKS)
    flags = ", ".join(
        f"coalesce(({cond}), true) AS _bad_{i}" for i, (_, cond, _) in enumerate(_CHECKS)
    )
    rows = (
        con.sql(
            f"SELECT *, {flags} FROM (SELECT row_number() OVER () AS rn, * FROM src) "
            f"WHERE {conds} ORDER BY rn LIMIT {limit}"
        )
        .to_arrow_table()
        .to_pylist()
    )
    issues = [
        LoadIssue(int(r["rn"]), col, r[col], expected)
        for r in rows
        for i, (col, _, expected) in enumerate(_CHECKS)
        if r[f"_bad_{i}"]
    ]
    total = sum(int(c) for c in counts)
    raise RegisterLoadError(f"{total:,} malformed value(s) in the extract", issues)


_FIELDS = ("full_name", "birth_date", "sex", "commune_code", "death_date")


# over the limits: one diff of two registers in DuckDB SQL (attach, copy the history, a
# temp table of differences, one INSERT per kind of change); the length is the SQL text
def _record_changes(con: duckdb.DuckDBPyConnection, old_store: Path, at: datetime) -> int:
    """Copy the old store's change history and append the differences old -> new."""
    try:
        con.execute(f"ATTACH '{_sql_str(str(old_store))}' AS old (READ_ONLY)")
    except duckdb.Error:  # an unreadable old store: nothing to compare with
        return 0
    try:
        has = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'old' "
            "AND table_name IN ('register', 'changes')"
        ).fetchall()[0]
        if not has or has[0] < 1:
            return 0
        if has[0] == 2:
            con.execute("INSERT INTO changes SELECT * FROM old.changes")
        row_hash = "hash(full_name, birth_date, birth_precision, sex, commune_code, death_date)"
        con.execute(
            f"""CREATE TEMP TABLE _diff AS
            SELECT coalesce(o.k, n.k) AS k, o.k IS NULL AS is_new, n.k IS NULL AS is_removed
            FROM (SELECT CAST(personal_id AS BIGINT) AS k, {row_hash} AS h FROM old.register) o
            FULL JOIN (SELECT CAST(personal_id AS BIGINT) AS k, {row_hash} AS h FROM register) n
              ON o.k = n.k
            WHERE o.k IS NULL OR n.k IS NULL OR o.h <> n.h"""
        )
        reg_bd = (
            "CASE {t}.birth_precision WHEN 'Y' THEN strftime({t}.birth_date, '%Y') "
            "WHEN 'M' THEN strftime({t}.birth_date, '%Y-%m') "
            "ELSE strftime({t}.birth_date, '%Y-%m-%d') END"
        )
        pairs = []
        for f in _FIELDS:
            if f == "birth_date":
                ov, nv = reg_bd.format(t="o"), reg_bd.format(t="n")
                new_val = (
                    "'\"birth_date\": \"' || strftime(n.birth_date, '%Y-%m-%d') || "
                    '\'", "birth_precision": "\' || n.birth_precision || \'"\''
                )
            else:
                ov, nv = f"CAST(o.{f} AS VARCHAR)", f"CAST(n.{f} AS VARCHAR)"
                new_val = f"'\"{f}\": ' || coalesce(to_json({nv})::VARCHAR, 'null')"
            pairs.append(
                f"CASE WHEN d.is_removed OR d.is_new OR ({ov}) IS NOT DISTINCT FROM ({nv}) "
                f"THEN NULL ELSE {new_val} END"
            )
        fields_json = f"'{{' || concat_ws(', ', {', '.join(pairs)}) || '}}'"
        con.execute(
            f"""INSERT INTO changes
            SELECT lpad(CAST(d.k AS VARCHAR), 12, '0'),
              CASE WHEN d.is_new THEN 'new' WHEN d.is_removed THEN 'removed'
                   WHEN o.death_date IS NULL AND n.death_date IS NOT NULL THEN 'death'
                   ELSE 'correction' END,
              {fields_json}, ?::TIMESTAMP
            FROM _diff d
            LEFT JOIN old.register o ON CAST(o.personal_id AS BIGINT) = d.k
            LEFT JOIN register n ON CAST(n.personal_id AS BIGINT) = d.k
            ORDER BY 1""",
            [at],
        )
        n = con.execute("SELECT count(*) FROM _diff").fetchall()[0]
        con.execute("DROP TABLE _diff")
        return int(n[0]) if n else 0
    finally:
        con.execute("DETACH old")


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def open_store(
    store: Path | str,
    read_only: bool = True,
    *,
    memory_limit: str | None = "2GB",
    threads: int | None = None,
) -> duckdb.DuckDBPyConnection:
    """A connection to the store (read-only by default)."""
    store = Path(store)
    if not store.exists():
        raise FileNotFoundError(f"register store {store} does not exist")
    con = duckdb.connect(str(store), read_only=read_only)
    con.execute("SET enable_progress_bar = false")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con


@contextmanager
def _connection(
    store_or_con: Path | str | duckdb.DuckDBPyConnection,
) -> Iterator[duckdb.DuckDBPyConnection]:
    if isinstance(store_or_con, duckdb.DuckDBPyConnection):
        yield store_or_con
        return
    con = open_store(store_or_con)
    try:
        yield con
    finally:
        con.close()


def store_info(store: Path | str | duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """``loaded_at, source, rows, deaths, sha256, changes, path, size_bytes`` of a store."""
    with _connection(store) as con:
        row = con.execute("SELECT loaded_at, source, rows, deaths, sha256 FROM meta").fetchall()[0]
        n_changes = con.execute("SELECT count(*) FROM changes").fetchall()[0]
    info: dict[str, Any] = {}
    if row is not None:
        info = dict(zip(("loaded_at", "source", "rows", "deaths", "sha256"), row, strict=True))
    info["changes"] = int(n_changes[0]) if n_changes else 0
    if not isinstance(store, duckdb.DuckDBPyConnection):
        info["path"] = str(store)
        info["size_bytes"] = Path(store).stat().st_size
    return info


def lookup(
    store_or_con: Path | str | duckdb.DuckDBPyConnection,
    ids: Sequence[str],
    *,
    register_table: str = "register",
) -> dict[str, RegisterPerson]:
    """Register rows of ``ids`` (unknown IDs are absent from the result)."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    out: dict[str, RegisterPerson] = {}
    with _connection(store_or_con) as con:
        cur = con.cursor()
        try:
            cur.register("_lookup_ids", pa.table({"personal_id": pa.array(wanted, pa.string())}))
            rows = cur.execute(
                "SELECT r.personal_id, r.full_name, r.birth_date, r.birth_precision, r.sex, "
                f"r.commune_code, r.death_date FROM {register_table} r "
                "SEMI JOIN _lookup_ids USING (personal_id)"
            ).fetchall()
        finally:
            cur.close()
    for r in rows:
        out[r[0]] = RegisterPerson(*r)
    return out


def changes_since(
    store_or_con: Path | str | duckdb.DuckDBPyConnection,
    since: datetime,
) -> list[RegisterChange]:
    """Changes detected by reloads after ``since`` (naive UTC), oldest first."""
    if since.tzinfo is not None:
        since = since.astimezone(UTC).replace(tzinfo=None)
    with _connection(store_or_con) as con:
        rows = con.execute(
            "SELECT personal_id, kind, field_changes, detected_at FROM changes "
            "WHERE detected_at > ? ORDER BY detected_at, personal_id",
            [since],
        ).fetchall()
    out = []
    for pid, kind, fields, at in rows:
        values: dict[str, Any] = json.loads(fields) if fields else {}
        for k in ("death_date", "birth_date"):
            if isinstance(values.get(k), str):
                values[k] = date.fromisoformat(values[k])
        out.append(RegisterChange(pid, kind, values, at))
    return out
