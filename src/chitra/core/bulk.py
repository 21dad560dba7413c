"""Fast bulk inserts: one prepared INSERT run with executemany over plain tuples.

Django's bulk_create builds one huge statement per batch and does per-object work that costs
about 4x the database's own time for a 300,000-row import (bench/import_bench.py). Values are
still prepared by each field (`get_db_prep_save`), so dates, time zones and JSON are stored
exactly as the ORM stores them. Primary keys are not returned: callers that need them read them
back by their natural keys."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone


def fast_insert(
    model: type[models.Model], objs: Iterable[models.Model], *, batch_size: int = 20_000
) -> int:
    """Insert `objs` (unsaved instances); returns the number of rows."""
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) "
        f"VALUES ({placeholders})"
    )
    now = timezone.now()
    auto_now = [f.attname for f in fields if getattr(f, "auto_now", False)]
    preps = [(f.attname, _prep(f)) for f in fields]
    n = 0
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for obj in objs:
            for name in auto_now:
                setattr(obj, name, now)
            d = obj.__dict__
            batch.append([d[name] if prep is None else prep(d[name]) for name, prep in preps])
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                n += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            n += len(batch)
    return n


_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)
_PLAIN_PREP = (
    models.CharField.get_prep_value,
    models.TextField.get_prep_value,
    models.IntegerField.get_prep_value,
    models.BooleanField.get_prep_value,
)


def _prep(field: models.Field) -> Any:
    """None when the value goes to the database as it is (text, numbers, booleans, keys), the
    backend's adapter for dates and date-times, else the field's own preparation (JSON...)."""
    if isinstance(field, models.ForeignKey):
        return None  # the attname holds the raw key
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    if (
        isinstance(field, _PLAIN)
        and type(field).get_db_prep_save is models.Field.get_db_prep_save
        and type(field).get_prep_value in _PLAIN_PREP
    ):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def max_pk(model: type[models.Model]) -> int:
    value = model._default_manager.aggregate(m=models.Max("pk"))["m"]
    return int(value or 0)


def copy_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    batch_size: int = 20_000,
) -> int:
    """Insert plain tuples (values in the order of `columns`, attnames) as fast as the backend
    allows: `COPY ... FROM STDIN` on PostgreSQL, batched executemany elsewhere. Dates and
    date-times are adapted like the ORM does; other values go as they are."""
    fields = [model._meta.get_field(c) for c in columns]
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)  # type: ignore[union-attr]
    if connection.vendor == "postgresql":
        return _copy_binary(table, cols, fields, rows)
    return _insert_batches(table, cols, fields, rows, batch_size)


def _copy_binary(
    table: str, cols: str, fields: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> int:
    n = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        # binary COPY: the server parses no text (a third of the time for millions of
        # rows); values are dumped as the columns' own types
        raw.execute(
            "SELECT a.atttypid FROM pg_attribute a JOIN unnest(%s::text[]) WITH "
            "ORDINALITY c(name, i) ON a.attname = c.name WHERE a.attrelid = "
            "%s::regclass ORDER BY c.i",
            [[str(f.column) for f in fields], table],
        )  # type: ignore[union-attr]
        types = [int(r[0]) for r in raw.fetchall()]
        with raw.copy(f"COPY {table} ({cols}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)
                n += 1
    return n


def _insert_batches(
    table: str,
    cols: str,
    fields: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    batch_size: int,
) -> int:
    n = 0
    preps = [_prep(f) for f in fields]
    plain = all(p is None for p in preps)
    sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(fields))})"
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(
                row
                if plain
                else [
                    v if p is None or v is None else p(v) for v, p in zip(row, preps, strict=True)
                ]
            )
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                n += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            n += len(batch)
    return n


def bulk_session() -> None:
    """Inside a bulk service's transaction on PostgreSQL: give its sorts and hash joins
    `CHITRA_BULK_WORK_MEM` of memory (SET LOCAL: this transaction only)."""
    from django.conf import settings

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('work_mem', %s, true)", [settings.CHITRA_BULK_WORK_MEM]
            )


def analyze(model: type[models.Model]) -> None:
    """ANALYZE a table just filled in bulk (PostgreSQL), also when the application runs as a
    role that owns nothing (`chitra db_roles`): through `chitra_analyze`, a function of the
    owner's (migration core.0004) that analyzes the owner's tables only."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT chitra_analyze(%s::regclass)", [model._meta.db_table])
