"""How chitra talks to the National Population Register, whatever carries the data.

Three connectors share one protocol (:class:`RegisterConnector`):

* :class:`FileExtractConnector` reads a DuckDB copy of a register extract
  (``chitra.engine.register.store``);
* :class:`~chitra.register.http_client.HttpRegisterConnector` asks a register over HTTP
  (G2P Connect / DCI sync search);
* :class:`InMemoryConnector` holds a handful of people (tests, demos).

Verification rules live in one place, ``chitra.engine.register.verify.verify(con, people,
register_table=...)``: every connector hands it a DuckDB table of register rows, so the rules
never diverge between an extract and a live register. A connector that can only fetch people by
ID (HTTP, in-memory) fetches the rows of the IDs in the list, builds a small in-memory register
table from them and calls the same function (:func:`verify_with_register_rows`). Such a
connector cannot search the whole register for people *without* an ID: those rows come back with
outcome ``no_id`` and no candidates.

Pure Python: no Django import here (the app wiring and the management commands live elsewhere).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol, cast, runtime_checkable

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from chitra.engine.register import store as register_store
from chitra.engine.register import verify as verify_module
from chitra.engine.register.store import RegisterChange, RegisterPerson
from chitra.kernel.names import fold_name

__all__ = [
    "CHANGE_KINDS",
    "REGISTER_TABLE_SCHEMA",
    "ChangeKind",
    "FileExtractConnector",
    "InMemoryConnector",
    "RegisterChange",
    "RegisterConnector",
    "RegisterError",
    "RegisterPerson",
    "RegisterProtocolError",
    "RegisterRejected",
    "RegisterUnavailable",
    "Rejection",
    "lookup_ids",
    "register_table",
    "verify_with_register_rows",
]

#: ``RegisterChange.kind`` values (``removed``: the person left the extract between reloads).
ChangeKind = Literal["death", "correction", "new", "removed"]
CHANGE_KINDS: frozenset[str] = frozenset({"death", "correction", "new", "removed"})

_PID_RE = re.compile(r"[0-9]{12}")

#: Columns of the ``register`` table that ``chitra.engine.register.verify.verify`` reads.
REGISTER_TABLE_SCHEMA = pa.schema(
    [
        ("personal_id", pa.string()),
        ("full_name", pa.string()),
        ("name_folded", pa.string()),
        ("birth_date", pa.date32()),
        ("birth_precision", pa.string()),
        ("sex", pa.string()),
        ("commune_code", pa.string()),
        ("death_date", pa.date32()),
    ]
)


# --------------------------------------------------------------------------------------------
# Errors


class RegisterError(Exception):
    """Base class of every register connector error."""


class RegisterUnavailable(RegisterError):
    """The register cannot be reached now (circuit open, retries exhausted, store missing).

    The message says what happened; retrying later may succeed.
    """


class RegisterProtocolError(RegisterError):
    """The register answered something that does not follow the protocol (malformed JSON,
    missing fields, answers to questions that were not asked). Retrying will not help."""


@dataclass(frozen=True)
class Rejection:
    """One search item (or the whole message) that the register refused."""

    personal_id: str | None  # None: the whole message was refused
    code: str  # e.g. "rjct.search_criteria.invalid", "rjct.total_count.limit_exceeded", "http.401"
    message: str = ""


class RegisterRejected(RegisterError):
    """The register refused (part of) a request: per-item ``rjct`` statuses, a ``rjct`` message
    header or an HTTP 4xx other than 429. ``rejections`` lists what was refused and why."""

    def __init__(self, rejections: Sequence[Rejection]) -> None:
        self.rejections = list(rejections)
        shown = ", ".join(f"{r.personal_id or '<message>'}: {r.code}" for r in self.rejections[:5])
        more = f" (+{len(self.rejections) - 5} more)" if len(self.rejections) > 5 else ""
        super().__init__(f"register rejected {len(self.rejections)} item(s): {shown}{more}")


# --------------------------------------------------------------------------------------------
# Values: ``RegisterPerson`` and ``RegisterChange`` are the store's own dataclasses, re-exported
# here (``chitra.engine.register.store``): one class each for the whole code base.


@runtime_checkable
class RegisterConnector(Protocol):
    """What chitra needs from the register, whatever carries the data."""

    def lookup(self, ids: Sequence[str]) -> dict[str, RegisterPerson]:
        """People by personal ID; IDs the register does not know are absent from the result."""
        ...

    def verify_batch(self, people: pa.Table) -> pa.Table:
        """``chitra.engine.register.verify.verify`` of ``people`` against this register (same
        columns)."""
        ...

    def changes_since(self, since: datetime) -> list[RegisterChange]:
        """Deaths, corrections and new people the register recorded after ``since``."""
        ...


# --------------------------------------------------------------------------------------------
# Shared helpers


def lookup_ids(people: pa.Table, column: str = "personal_id") -> list[str]:
    """Distinct well-formed personal IDs of ``people`` (12 digits once spaces are trimmed, as
    ``chitra.engine.register.verify`` reads them), in first-seen order.

    Missing and malformed IDs are left out: the register would only refuse them, and verification
    judges them (``no_id`` / ``invalid_id``) without it.
    """
    if column not in people.column_names:
        return []
    seen: dict[str, None] = {}
    for value in people[column].to_pylist():
        if not isinstance(value, str):
            continue
        pid = value.strip(" ")
        if pid not in seen and _PID_RE.fullmatch(pid):
            seen[pid] = None
    return list(seen)


def register_table(persons: Iterable[RegisterPerson]) -> pa.Table:
    """An Arrow table in the ``register`` schema (:data:`REGISTER_TABLE_SCHEMA`)."""
    cols: dict[str, list[object]] = {name: [] for name in REGISTER_TABLE_SCHEMA.names}
    for p in persons:
        cols["personal_id"].append(p.personal_id)
        cols["full_name"].append(p.full_name)
        cols["name_folded"].append(fold_name(p.full_name))  # == register_store.FOLD_SQL
        cols["birth_date"].append(p.birth_date)
        cols["birth_precision"].append(p.birth_precision)
        cols["sex"].append(p.sex)
        cols["commune_code"].append(p.commune_code)
        cols["death_date"].append(p.death_date)
    return pa.table(cols, schema=REGISTER_TABLE_SCHEMA)


VerifyFn = Callable[..., pa.Table]


def _verify() -> VerifyFn:
    """``chitra.engine.register.verify.verify``, looked up at call time (tests may replace it)."""
    return cast("VerifyFn", verify_module.verify)


def verify_with_register_rows(people: pa.Table, persons: Iterable[RegisterPerson]) -> pa.Table:
    """Run ``chitra.engine.register.verify.verify`` on ``people`` against a register made of
    ``persons``.

    For connectors that fetch people by ID only. Rows without a usable ID are verified against an
    *empty* register, so they come out as ``no_id`` with no candidates (a partial register would
    propose wrong candidates); rows with an ID are verified against the fetched rows. The output
    keeps the input's row order.
    """
    verify = _verify()
    reg = register_table(persons)
    if "personal_id" in people.column_names:
        # exactly verify's ``nullif(trim(personal_id), '')`` (SQL trim removes spaces only)
        trimmed = pc.utf8_trim(pc.cast(people["personal_id"], pa.string()), " ")
        no_id = pc.fill_null(pc.equal(pc.utf8_length(trimmed), 0), True)
    else:
        no_id = pa.array([True] * people.num_rows, pa.bool_())
    no_id_arr = no_id.combine_chunks() if isinstance(no_id, pa.ChunkedArray) else no_id
    n_no_id = int(pc.sum(no_id_arr).as_py() or 0)
    if n_no_id == 0:
        return _run_verify(verify, people, reg)
    if n_no_id == people.num_rows:
        return _run_verify(verify, people, reg.schema.empty_table())
    with_id_idx = pc.indices_nonzero(pc.invert(no_id_arr))
    no_id_idx = pc.indices_nonzero(no_id_arr)
    out_with = _run_verify(verify, people.take(with_id_idx), reg)
    out_without = _run_verify(verify, people.take(no_id_idx), reg.schema.empty_table())
    if out_with.num_rows != len(with_id_idx) or out_without.num_rows != len(no_id_idx):
        raise RuntimeError("verify() must return one row per input row, in input order")
    combined = pa.concat_tables([out_with, out_without.cast(out_with.schema)])
    # position of each original row inside ``combined``
    order = pa.concat_arrays([with_id_idx, no_id_idx])
    inverse = pc.sort_indices(order)
    return combined.take(inverse)


def _run_verify(verify: VerifyFn, people: pa.Table, reg: pa.Table) -> pa.Table:
    con = duckdb.connect()
    try:
        con.register("register_rows", reg)
        con.execute("CREATE TABLE register AS SELECT * FROM register_rows")
        con.unregister("register_rows")
        return verify(con, people, register_table="register")
    finally:
        con.close()


# --------------------------------------------------------------------------------------------
# Connectors


class FileExtractConnector:
    """The register as a DuckDB copy of an extract (``chitra.engine.register.store``).

    One read-only DuckDB connection per connector; each call uses its own cursor, so one
    connector may serve many threads (the simulator does). ``register_load`` replaces the store
    file atomically: the connector notices (the file's inode changes) and reopens it.
    """

    def __init__(self, store_path: str | Path, *, memory_limit: str | None = "2GB") -> None:
        self.store_path = Path(store_path)
        self._memory_limit = memory_limit
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._ino: int | None = None
        self._closed = False
        with self._lock:
            self._open()

    def _open(self) -> None:
        # Close first: DuckDB shares one database instance per path within a process, so a
        # second connection opened while the first lives would still see the replaced file.
        if self._con is not None:
            self._con.close()
            self._con = None
        try:
            ino = os.stat(self.store_path).st_ino
            con = register_store.open_store(self.store_path, memory_limit=self._memory_limit)
        except (OSError, duckdb.Error) as e:
            raise RegisterUnavailable(f"register store {self.store_path}: {e}") from e
        self._con, self._ino = con, ino

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            if self._closed:
                raise RegisterUnavailable(f"register store {self.store_path} is closed")
            try:
                ino: int | None = os.stat(self.store_path).st_ino
            except OSError:
                ino = self._ino  # gone for a moment (being replaced): keep the open copy
            if self._con is None or ino != self._ino:
                self._open()
            assert self._con is not None
            return self._con.cursor()

    def lookup(self, ids: Sequence[str]) -> dict[str, RegisterPerson]:
        cur = self._cursor()
        try:
            return register_store.lookup(cur, list(ids))
        finally:
            cur.close()

    def verify_batch(self, people: pa.Table) -> pa.Table:
        cur = self._cursor()
        try:
            return _verify()(cur, people)
        finally:
            cur.close()

    def changes_since(self, since: datetime) -> list[RegisterChange]:
        cur = self._cursor()
        try:
            return register_store.changes_since(cur, since)
        finally:
            cur.close()

    def info(self) -> dict[str, Any]:
        """``register_store.store_info`` of the open store."""
        cur = self._cursor()
        try:
            return register_store.store_info(cur)
        finally:
            cur.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._con is not None:
                self._con.close()
                self._con = None

    def __enter__(self) -> FileExtractConnector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class InMemoryConnector:
    """A register of a few people held in memory (tests, demos, the simulator's fallback)."""

    def __init__(
        self,
        people: Iterable[RegisterPerson] = (),
        changes: Iterable[RegisterChange] = (),
    ) -> None:
        self._people: dict[str, RegisterPerson] = {p.personal_id: p for p in people}
        self._changes = list(changes)

    def lookup(self, ids: Sequence[str]) -> dict[str, RegisterPerson]:
        return {i: self._people[i] for i in ids if i in self._people}

    def verify_batch(self, people: pa.Table) -> pa.Table:
        return verify_with_register_rows(people, self.lookup(lookup_ids(people)).values())

    def changes_since(self, since: datetime) -> list[RegisterChange]:
        if since.tzinfo is not None:  # naive UTC, like register_store.changes_since
            since = since.astimezone(UTC).replace(tzinfo=None)
        return sorted(
            (c for c in self._changes if c.detected_at > since),
            key=lambda c: (c.detected_at, c.personal_id),
        )

    @property
    def people(self) -> Mapping[str, RegisterPerson]:
        return self._people
