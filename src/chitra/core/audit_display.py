"""An audit event as an officer reads it: the object's kind in words, and the change as a
list of fields with their labels and readable values (before -> after).

A key is labelled by the audited object's own model field (its ``verbose_name``), else by
the catalogue of keys that many events share (counts, amounts, files); a key that has neither
is shown as it is, as code. Values: ``None`` as a dash, booleans as yes/no, a field's choice
as its label, whole numbers with thousands separators, ISO dates as Vietnamese dates."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: keys that events of many kinds carry, and what they mean
COMMON_KEYS = {
    "status": gettext_lazy("status"),
    "lines": gettext_lazy("lines"),
    "total": gettext_lazy("total"),
    "amount": gettext_lazy("amount"),
    "months": gettext_lazy("months"),
    "first_month": gettext_lazy("first month"),
    "last_month": gettext_lazy("last month"),
    "batches": gettext_lazy("batches"),
    "exclusions": gettext_lazy("exclusions"),
    "file": gettext_lazy("file"),
    "files": gettext_lazy("files"),
    "sha256": gettext_lazy("file fingerprint (SHA-256)"),
    "xlsx_sha256": gettext_lazy("fingerprint of the xlsx file"),
    "pdf_sha256": gettext_lazy("fingerprint of the PDF file"),
    "rows": gettext_lazy("rows"),
    "created": gettext_lazy("created"),
    "updated": gettext_lazy("updated"),
    "unchanged": gettext_lazy("unchanged"),
    "rejected": gettext_lazy("rejected"),
    "format": gettext_lazy("format"),
    "query": gettext_lazy("search"),
    "params": gettext_lazy("filters"),
    "count": gettext_lazy("count"),
    "number": gettext_lazy("number"),
    "reason": gettext_lazy("reason"),
    "method": gettext_lazy("payment method"),
    "account": gettext_lazy("account"),
    "beneficiary": gettext_lazy("beneficiary"),
    "commune": gettext_lazy("commune"),
    "communes": gettext_lazy("communes"),
    "province": gettext_lazy("province"),
    "date": gettext_lazy("date"),
    "start_date": gettext_lazy("start date"),
    "end_date": gettext_lazy("end date"),
    "assignments": gettext_lazy("assignments"),
    "assignment": gettext_lazy("assignment"),
    "outcome": gettext_lazy("outcome"),
    "channel": gettext_lazy("channel"),
    "paid": gettext_lazy("paid"),
    "failed": gettext_lazy("failed"),
    "returned": gettext_lazy("returned"),
    "pending": gettext_lazy("pending"),
    "confirmed": gettext_lazy("confirmed"),
    "provider": gettext_lazy("provider"),
    "cycle": gettext_lazy("payment cycle"),
    "name": gettext_lazy("name"),
    "title": gettext_lazy("title"),
    "message_id": gettext_lazy("message id"),
}

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@dataclass(frozen=True)
class Change:
    label: str
    #: the key shown as code when it has no label
    code: str
    before: str
    after: str
    changed: bool


def _model(object_type: str) -> type[models.Model] | None:
    if "." not in object_type:
        return None
    app_label, name = object_type.split(".", 1)
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def object_type_label(object_type: str) -> str:
    """``registry.beneficiary`` -> the model's name in words (the code itself if unknown)."""
    model = _model(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


def _field(model: type[models.Model] | None, key: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        f = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return f if isinstance(f, models.Field) else None


def _sibling_choice_field(
    model: type[models.Model] | None, key: str, *values: Any
) -> models.Field[Any, Any] | None:
    """A field named `key` with choices that hold `values`, in another model of the same app
    (an event on a contact that records its assignment's status)."""
    if model is None:
        return None
    wanted = {v for v in values if isinstance(v, str) and v}
    if not wanted:
        return None
    for other in model._meta.app_config.get_models():
        f = _field(other, key)
        if f is not None and f.choices and wanted <= {c for c, _l in f.flatchoices}:
            return f
    return None


def _choice(value: Any, field: models.Field[Any, Any] | None) -> str | None:
    if field is None or not field.choices:
        return None
    for code, label in field.flatchoices:
        if code == value:
            return str(label)
    return None


def _text(text: str) -> str:
    m = _ISO_DATE.match(text)
    if m:
        return f"{m[3]}/{m[2]}/{m[1]}"
    if _ISO_DATETIME.match(text):
        try:
            return f"{dt.datetime.fromisoformat(text):%d/%m/%Y %H:%M}"
        except ValueError:
            return text
    return text


def _value(value: Any, field: models.Field[Any, Any] | None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    choice = _choice(value, field)
    if choice is not None:
        return choice
    if field is not None and field.is_relation and isinstance(value, int):
        return f"#{value}"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, list | dict):
        return _collection(value)
    return _text(str(value))


def _collection(value: list[Any] | dict[str, Any]) -> str:
    if isinstance(value, list):
        return ", ".join(_value(v, None) for v in value) or "—"
    return "; ".join(f"{k}: {_value(v, None)}" for k, v in value.items()) or "—"


def _label(field: models.Field[Any, Any] | None, key: str) -> str:
    if field is not None:
        # a field without its own verbose_name is named after the field: translate it
        name = field.verbose_name
        return _(name) if isinstance(name, str) else str(name)
    return str(COMMON_KEYS[key]) if key in COMMON_KEYS else ""


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    return {"": value} if value else {}


def _row(
    model: type[models.Model] | None, key: str, b: dict[str, Any], a: dict[str, Any]
) -> Change:
    field = _field(model, key)
    if field is None or not field.choices:
        field = _sibling_choice_field(model, key, b.get(key), a.get(key)) or field
    label = _label(field, key)
    return Change(
        label=label,
        code="" if label or not key else key,
        before=_value(b[key], field) if key in b else "",
        after=_value(a[key], field) if key in a else "",
        changed=key in b and key in a,
    )


def change_rows(object_type: str, before: Any, after: Any) -> list[Change]:
    """One row per key of `before`/`after` (dicts; anything else is one row)."""
    model = _model(object_type)
    b, a = _as_dict(before), _as_dict(after)
    return [_row(model, key, b, a) for key in [*b, *(k for k in a if k not in b)]]
