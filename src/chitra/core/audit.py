"""Writing the audit trail. Every service calls `audit_record` inside its own transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from chitra.core import context
from chitra.core.models import AuditEvent

if TYPE_CHECKING:
    from chitra.iam.models import User


def to_json_value(value: Any) -> Any:
    """A value as it is stored in an audit event (JSON-safe, human-readable)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json_value(v) for v in value]
    return str(value)


def snapshot(obj: models.Model, fields: Sequence[str]) -> dict[str, Any]:
    """The named fields of `obj` (foreign keys by id) as a JSON-safe dict."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = to_json_value(getattr(obj, attname))
    return out


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict, dict]:
    """Only the keys whose values differ, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def _event(
    actor: User | None,
    action: str,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    object_repr: str = "",
    before: Any = None,
    after: Any = None,
    reason: str = "",
) -> AuditEvent:
    ctx = context.current()
    org = getattr(actor, "organisation", None) if actor is not None else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
    return AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        actor_username=getattr(actor, "username", "") or "anonymous",
        organisation_id=getattr(org, "pk", None),
        organisation_name=str(org) if org is not None else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id not in (None, "") else "",
        object_repr=(object_repr or "")[:255],
        before=to_json_value(before),
        after=to_json_value(after),
        reason=reason,
        ip_address=ctx.ip_address,
        request_id=ctx.request_id,
    )


def audit_record(actor: User | None, action: str, **kwargs: Any) -> AuditEvent:
    """Record one audit event. Call it inside the service's transaction."""
    event = _event(actor, action, **kwargs)
    event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class AuditRow:
    object_type: str
    object_id: Any
    object_repr: str
    before: Any
    after: Any


def audit_bulk(
    actor: User | None, action: str, rows: Iterable[AuditRow], *, reason: str = "",
    batch_size: int = 5000,
) -> int:
    """Record many events of one action at once (bulk imports). Must run inside a transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_bulk must run inside the service's transaction")
    import json

    from django.db import connection

    # What every event of the batch shares is prepared once; per row only the object and the
    # JSON of before/after (bulk imports write hundreds of thousands of events).
    template = _event(actor, action, reason=reason)
    fields = [f for f in AuditEvent._meta.concrete_fields if f.attname != "id"]
    per_row = {"object_type", "object_id", "object_repr", "before", "after"}
    shared = {f.attname: f.get_db_prep_save(getattr(template, f.attname), connection)
              for f in fields if f.attname not in per_row}
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(AuditEvent._meta.db_table)} "
           f"({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")

    def dump(value: Any) -> str | None:
        return None if value is None else json.dumps(to_json_value(value), ensure_ascii=False)

    def values_of(row: AuditRow) -> list[Any]:
        values = {"object_type": row.object_type,
                  "object_id": "" if row.object_id in (None, "") else str(row.object_id),
                  "object_repr": (row.object_repr or "")[:255],
                  "before": dump(row.before), "after": dump(row.after)}
        return [values[f.attname] if f.attname in per_row else shared[f.attname]
                for f in fields]

    count = 0
    if connection.vendor == "postgresql":
        # COPY (text): tens of thousands of events in one statement; the JSON goes as text
        columns = ", ".join(quote(f.column) for f in fields)
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY {quote(AuditEvent._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(values_of(row))
                count += 1
        return count
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(values_of(row))
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count
