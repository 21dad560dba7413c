"""G2P Connect ID-to-financial-address mapper (specs ``mapper_core_api_v1.0.0``): pure.

Requests ``LinkRequest`` / ``UpdateRequest`` / ``UnlinkRequest`` / ``ResolveRequest`` (one
list of items each, with ``reference_id``, ``timestamp``, ``id`` as ``cdpi_PersonId``
``id-type:id@provider`` and ``fa`` as ``cdpi_FinancialAddress``), and their responses with
``status`` ``rcvd|pdng|succ|rjct`` and each operation's reason codes. Every refusal is an
:class:`~chitra.engine.g2p.envelope.EnvelopeError` naming the element, value and expectation.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from chitra.engine.g2p.disburse import FinancialAddress, TypedAddress
from chitra.engine.g2p.envelope import MAX_ID, EnvelopeError, parse_timestamp, timestamp

OPERATIONS = ("link", "update", "unlink", "resolve")
STATUSES = ("rcvd", "pdng", "succ", "rjct")
RESOLVE_SCOPES = ("yes_no", "details")
REASON_CODES: dict[str, frozenset[str]] = {
    "link": frozenset(
        {
            "rjct.reference_id.invalid",
            "rjct.reference_id.duplicate",
            "rjct.timestamp.invalid",
            "rjct.id.invalid",
            "rjct.fa.invalid",
            "rjct.name.invalid",
            "rjct.mobile_number.invalid",
            "rjct.unknown.retry",
            "rjct.other.error",
        }
    ),
    "update": frozenset(
        {
            "rjct.reference_id.invalid",
            "rjct.reference_id.duplicate",
            "rjct.timestamp.invalid",
            "rjct.beneficiary_name.invalid",
        }
    ),
    "unlink": frozenset(
        {
            "rjct.reference_id.invalid",
            "rjct.reference_id.duplicate",
            "rjct.timestamp.invalid",
            "rjct.beneficiary_name.invalid",
        }
    ),
    "resolve": frozenset(
        {
            "rjct.reference_id.invalid",
            "rjct.reference_id.duplicate",
            "rjct.timestamp.invalid",
            "rjct.id.invalid",
            "rjct.fa.invalid",
            "rjct.resolve_type.not_supported",
            "succ.fa.active",
            "succ.fa.inactive",
            "succ.fa.not_found",
            "succ.fa.not_linked_to_id",
            "succ.id.active",
            "succ.id.inactive",
            "succ.id.not_found",
        }
    ),
}
#: header.action per operation (sync and async) and of its answer
ACTIONS = {op: op for op in OPERATIONS}
CALLBACK_ACTIONS = {op: f"on-{op}" for op in OPERATIONS}

_PERSON_ID = re.compile(
    r"^(?:(?P<type>[A-Za-z0-9.-]+):)?(?P<id>[A-Za-z0-9.-]+)@(?P<provider>[A-Za-z0-9.-]+)$"
)


@dataclass(frozen=True, slots=True)
class PersonId(TypedAddress):
    """``id-type:id@provider`` (e.g. ``uin:001090012345@vn.nid``), case-insensitive type and
    provider."""

    PATTERN: ClassVar[re.Pattern[str]] = _PERSON_ID
    WHAT: ClassVar[str] = "a person id id-type:id@provider"

    @classmethod
    def parse(cls, value: Any, element: str = "id") -> Self:
        return super(PersonId, cls).parse(value, element)


@dataclass(frozen=True, slots=True)
class MapperItem:
    """One request item of any operation."""

    reference_id: str
    id: PersonId | None = None
    fa: FinancialAddress | None = None
    name: str = ""
    phone_number: str = ""
    scope: str = "yes_no"


_NEEDS = {"link": ("id", "fa"), "update": ("id", "fa"), "unlink": ("id",), "resolve": ()}


def build_request(
    operation: str, transaction_id: str, items: Sequence[MapperItem], *, at: dt.datetime
) -> dict[str, Any]:
    if operation not in OPERATIONS:
        raise ValueError(f"operation {operation!r} is not one of {', '.join(OPERATIONS)}")
    out = []
    for it in items:
        row: dict[str, Any] = {"reference_id": it.reference_id, "timestamp": timestamp(at)}
        if it.id is not None:
            row["id"] = str(it.id)
        if it.fa is not None:
            row["fa"] = str(it.fa)
        if it.name:
            row["name"] = it.name
        if it.phone_number:
            row["phone_number"] = it.phone_number
        if operation == "resolve":
            row["scope"] = it.scope
        out.append(row)
    return {"transaction_id": transaction_id, f"{operation}_request": out}


def _reference(element: str, raw: Any, seen: set[str]) -> str:
    if not isinstance(raw, dict):
        raise EnvelopeError(element, raw, "an object")
    ref = raw.get("reference_id")
    if not isinstance(ref, str) or not ref or len(ref) > MAX_ID:
        raise EnvelopeError(f"{element}.reference_id", ref, f"a string of 1 to {MAX_ID}")
    if ref in seen:
        raise EnvelopeError(f"{element}.reference_id", ref, "unique in the message")
    seen.add(ref)
    parse_timestamp(f"{element}.timestamp", raw.get("timestamp"))
    return ref


def _check_resolve(element: str, raw: dict[str, Any]) -> None:
    if raw.get("scope", "yes_no") not in RESOLVE_SCOPES:
        raise EnvelopeError(f"{element}.scope", raw.get("scope"), "one of yes_no, details")
    if not raw.get("id") and not raw.get("fa"):
        raise EnvelopeError(f"{element}.id", None, "present (an id or an fa to resolve)")


def _item(operation: str, element: str, raw: Any, seen: set[str]) -> MapperItem:
    ref = _reference(element, raw, seen)
    for name in _NEEDS[operation]:
        if raw.get(name) in (None, ""):
            raise EnvelopeError(f"{element}.{name}", None, "present (required)")
    if operation == "resolve":
        _check_resolve(element, raw)
    return MapperItem(
        reference_id=ref,
        id=PersonId.parse(raw["id"], f"{element}.id") if raw.get("id") else None,
        fa=FinancialAddress.parse(raw["fa"], f"{element}.fa") if raw.get("fa") else None,
        name=str(raw.get("name") or ""),
        phone_number=str(raw.get("phone_number") or ""),
        scope=str(raw.get("scope", "yes_no")),
    )


def parse_request(operation: str, message: Any) -> tuple[str, list[MapperItem]]:
    """(transaction_id, items) of a mapper request of ``operation``."""
    if not isinstance(message, dict):
        raise EnvelopeError("message", message, "an object")
    txn = message.get("transaction_id")
    if not isinstance(txn, str) or not txn or len(txn) > MAX_ID:
        raise EnvelopeError("message.transaction_id", txn, f"a string of 1 to {MAX_ID}")
    name = f"{operation}_request"
    items = message.get(name)
    if not isinstance(items, list) or not items:
        raise EnvelopeError(f"message.{name}", items, "a non-empty list")
    seen: set[str] = set()
    return txn, [_item(operation, f"message.{name}[{i}]", raw, seen) for i, raw in enumerate(items)]


@dataclass(frozen=True, slots=True)
class MapperAnswer:
    reference_id: str
    status: str
    reason_code: str = ""
    reason_message: str = ""
    fa: str = ""
    id: str = ""
    provider_name: str = ""
    provider_code: str = ""
    additional_info: tuple[tuple[str, str], ...] = ()


def build_response(
    operation: str,
    transaction_id: str,
    correlation_id: str,
    answers: Sequence[MapperAnswer],
    *,
    at: dt.datetime,
) -> dict[str, Any]:
    out = []
    for a in answers:
        if a.status not in STATUSES:
            raise ValueError(f"status {a.status!r} is not one of {', '.join(STATUSES)}")
        if a.reason_code and a.reason_code not in REASON_CODES[operation]:
            raise ValueError(f"{a.reason_code!r} is not a reason code of {operation}")
        row: dict[str, Any] = {
            "reference_id": a.reference_id,
            "timestamp": timestamp(at),
            "status": a.status,
        }
        if a.reason_code:
            row["status_reason_code"] = a.reason_code
        if a.reason_message:
            row["status_reason_message"] = a.reason_message[:999]
        if a.fa or operation == "update":  # UpdateResponse items require fa (a spec oddity)
            row["fa"] = a.fa
        if a.id:
            row["id"] = a.id
        if a.provider_code:
            row["account_provider_info"] = {"name": a.provider_name, "code": a.provider_code}
        if a.additional_info:
            row["additional_info"] = [{"name": k, "value": v} for k, v in a.additional_info]
        out.append(row)
    return {
        "transaction_id": transaction_id,
        "correlation_id": correlation_id[:MAX_ID],
        f"{operation}_response": out,
    }


def _answer(operation: str, element: str, raw: Any) -> MapperAnswer:
    if not isinstance(raw, dict) or not isinstance(raw.get("reference_id"), str):
        raise EnvelopeError(f"{element}.reference_id", raw, "a reference_id string")
    status = raw.get("status")
    if status not in STATUSES:
        raise EnvelopeError(f"{element}.status", status, "one of " + ", ".join(STATUSES))
    code = raw.get("status_reason_code") or ""
    if code and code not in REASON_CODES[operation]:
        raise EnvelopeError(f"{element}.status_reason_code", code, f"a reason code of {operation}")
    fa = raw.get("fa") or ""
    if fa:
        FinancialAddress.parse(fa, f"{element}.fa")
    info = raw.get("account_provider_info")
    info = info if isinstance(info, dict) else {}
    return MapperAnswer(
        raw["reference_id"], status, code, str(raw.get("status_reason_message") or ""),
        fa=fa, id=str(raw.get("id") or ""),
        provider_name=str(info.get("name", "")), provider_code=str(info.get("code", "")),
    )  # fmt: skip


def parse_response(operation: str, message: Any) -> tuple[str, list[MapperAnswer]]:
    """(transaction_id, answers) of a mapper response (the national mapper's answers)."""
    name = f"{operation}_response"
    items = message.get(name) if isinstance(message, dict) else None
    if not isinstance(items, list):
        raise EnvelopeError(f"message.{name}", items, "a list")
    answers = [_answer(operation, f"message.{name}[{i}]", raw) for i, raw in enumerate(items)]
    return str(message.get("transaction_id", "")), answers
