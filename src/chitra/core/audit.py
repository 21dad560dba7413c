"""Writing the audit trail. Every service calls `audit_record` inside its own transaction.

Each event carries the province it concerns (`AuditEvent.province`), which is what scopes the
audit pages (`iam.selectors.audit_search`):
- an area user's events: the user's area province, always;
- the system actor's and national users' events: the `province=` the service names (a
  Province, its id or its two-digit code), else the province of the object (its `province`,
  a user's area, or the commune reached through the model's registered scope,
  `core.access.register_scope`); an event about no province (key rotation, the national
  catalogue) has none and is seen by national users only.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction

from chitra.core import context
from chitra.core.audit_actions import require_action
from chitra.core.models import AuditEvent

if TYPE_CHECKING:
    from chitra.iam.models import User

#: a province as callers name it: a Province, its id, its two-digit code, or None
ProvinceRef = Any
_PROVINCE_CODES: dict[str, int] = {}


def province_id_of(ref: ProvinceRef) -> int | None:
    """The id of a province named by object, id or code (None for None or "")."""
    if ref is None or ref == "":
        return None
    if isinstance(ref, models.Model):
        return int(ref.pk)
    if isinstance(ref, bool):
        raise TypeError("a province is a Province, its id or its code")
    if isinstance(ref, int):
        return ref
    code = str(ref)
    if code not in _PROVINCE_CODES:
        _PROVINCE_CODES.update(_province_model()._default_manager.values_list("code", "id"))
    if code not in _PROVINCE_CODES:
        raise ValueError(f"unknown province code {code!r}")
    return _PROVINCE_CODES[code]


def _province_model() -> type[models.Model]:
    """geo's Province, as the audit event's own foreign key names it (core sits below geo: it
    imports no geo module)."""
    return AuditEvent._meta.get_field("province").related_model  # type: ignore[return-value]


def actor_province_id(actor: User | None) -> int | None:
    """The province of an area user's events; None for national users and the system."""
    if actor is None or getattr(actor, "is_national", True):
        return None
    return getattr(actor, "area_province_id", None)


def _province_path(model: type[models.Model]) -> str | None:
    """The lookup from `model` to a province id, or None when it reaches no province."""
    from django.contrib.auth import get_user_model

    from chitra.core.scopes import scope_spec

    Province = _province_model()
    if issubclass(model, Province):
        return "pk"
    if issubclass(model, get_user_model()):
        return "area_province_id"
    try:
        field = model._meta.get_field("province")
    except FieldDoesNotExist:
        field = None
    if field is not None and getattr(field, "related_model", None) is Province:
        return "province_id"
    try:
        spec = scope_spec(model)
    except LookupError:
        return None
    return f"{spec.commune_path}__province_id"


def province_of(obj: models.Model) -> int | None:
    """The province an object belongs to (see the module doc), or None."""
    model = obj._meta.model  # not type(obj): request.user is a lazy proxy of the user
    path = _province_path(model)
    if path is None or obj.pk is None:
        return None
    if path in ("pk", "province_id", "area_province_id"):
        value = getattr(obj, path)
        return int(value) if value is not None else None
    value = model._default_manager.filter(pk=obj.pk).values_list(path, flat=True).order_by().first()
    return int(value) if value is not None else None


def provinces_of_objects(object_type: str, object_ids: Iterable[Any]) -> dict[str, int]:
    """{object id: province id} for objects named by their model label ("app.model") and
    primary keys, in one query; objects that reach no province are left out."""
    from django.apps import apps

    app_label, _sep, model_name = object_type.partition(".")
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return {}
    path = _province_path(model)
    pks = sorted({int(i) for i in (str(v) for v in object_ids) if i.isdigit()})
    if path is None or not pks:
        return {}
    found: dict[str, int] = {}
    for i in range(0, len(pks), 5000):
        qs = model._default_manager.filter(pk__in=pks[i : i + 5000]).order_by()
        for pk, province_id in qs.values_list("pk", path):
            if province_id is not None:
                found.setdefault(str(pk), int(province_id))
    return found


def event_province_id(
    actor: User | None,
    *,
    province: ProvinceRef = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
) -> int | None:
    """The province an event concerns (see the module doc)."""
    area = actor_province_id(actor)
    if area is not None:
        return area
    named = province_id_of(province)
    if named is not None:
        return named
    if obj is not None:
        return province_of(obj)
    if object_type and object_id not in (None, ""):
        return provinces_of_objects(object_type, [object_id]).get(str(object_id))
    return None


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
    province: ProvinceRef = None,
) -> AuditEvent:
    require_action(action)
    ctx = context.current()
    org = getattr(actor, "organisation", None) if actor is not None else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
    province_id = event_province_id(
        actor, province=province, obj=obj, object_type=object_type, object_id=object_id
    )
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
        province_id=province_id,
    )


def audit_record(actor: User | None, action: str, **kwargs: Any) -> AuditEvent:
    """Record one audit event. Call it inside the service's transaction. The action must be
    registered in the catalogue (chitra.core.audit_actions), else UnregisteredAction.

    Keywords: `obj` (or `object_type`, `object_id`, `object_repr`), `before`, `after`,
    `reason`, and `province` (a Province, id or code) for the system actor and national users
    when the object does not say (see the module doc)."""
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
    #: the province of this row (a Province, id or code), for national actors
    province: ProvinceRef = None


_PER_ROW = {"object_type", "object_id", "object_repr", "before", "after", "province_id"}


def audit_bulk(
    actor: User | None,
    action: str,
    rows: Iterable[AuditRow],
    *,
    reason: str = "",
    province: ProvinceRef = None,
    batch_size: int = 5000,
) -> int:
    """Record many events of one action at once (bulk imports). Must run inside a transaction.

    The province of each event: the actor's area for area users; else the row's `province`,
    else the call's `province`, else the object's (looked up for a whole batch at once)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_bulk must run inside the service's transaction")
    from django.db import connection

    # What every event of the batch shares is prepared once; per row only the object and the
    # JSON of before/after (bulk imports write hundreds of thousands of events).
    template = _event(actor, action, reason=reason)
    fields = [f for f in AuditEvent._meta.concrete_fields if f.attname != "id"]
    area = actor_province_id(actor)
    named = province_id_of(province)
    shared = {
        f.attname: f.get_db_prep_save(getattr(template, f.attname), connection)
        for f in fields
        if f.attname not in _PER_ROW
    }
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(AuditEvent._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    count = 0
    it = iter(rows)
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        while chunk := list(itertools.islice(it, batch_size)):
            values = [
                _bulk_values(r, p, fields, shared)
                for r, p in zip(chunk, _bulk_provinces(chunk, area, named), strict=True)
            ]
            if connection.vendor == "postgresql":
                # COPY (text): thousands of events in one statement; the JSON goes as text
                with cursor.cursor.copy(
                    f"COPY {quote(AuditEvent._meta.db_table)} ({columns}) FROM STDIN"
                ) as copy:
                    for v in values:
                        copy.write_row(v)
            else:
                cursor.executemany(sql, values)
            count += len(values)
    return count


def _bulk_dump(value: Any) -> str | None:
    import json

    return None if value is None else json.dumps(to_json_value(value), ensure_ascii=False)


def _bulk_values(
    row: AuditRow, province_id: int | None, fields: list[Any], shared: dict[str, Any]
) -> list[Any]:
    """The column values of one bulk event, in the order of `fields`."""
    values = {
        "object_type": row.object_type,
        "object_id": "" if row.object_id in (None, "") else str(row.object_id),
        "object_repr": (row.object_repr or "")[:255],
        "before": _bulk_dump(row.before),
        "after": _bulk_dump(row.after),
        "province_id": province_id,
    }
    return [values[f.attname] if f.attname in _PER_ROW else shared[f.attname] for f in fields]


def _bulk_provinces(chunk: list[AuditRow], area: int | None, named: int | None) -> list[int | None]:
    """The province of each event of a chunk (see audit_bulk)."""
    if area is not None:
        return [area] * len(chunk)
    out = [province_id_of(r.province) if r.province not in (None, "") else named for r in chunk]
    # the rest from their objects: one query per object type and batch
    missing: dict[str, list[int]] = {}
    for i, (r, p) in enumerate(zip(chunk, out, strict=True)):
        if p is None and r.object_type and r.object_id not in (None, ""):
            missing.setdefault(r.object_type, []).append(i)
    for object_type, idx in missing.items():
        found = provinces_of_objects(object_type, [chunk[i].object_id for i in idx])
        for i in idx:
            out[i] = found.get(str(chunk[i].object_id))
    return out
