"""G2P Connect registry (specs ``registry_core_api_v1.0.0``, draft): pure, no Django.

* search: ``SearchRequest`` items with ``query_type`` ``idtype`` (``IdTypeQuery``: ``type``
  such as ``UIN``, ``BRN``, ``MRN``, ``DRN``, and ``value``), ``predicate``
  (``PredicateQuery``: a list of ``{seq_num, expression1, condition, expression2}``) or
  ``namedQuery`` (``NamedQuery``: ``query_name`` and ``query_params``); the answer
  ``SearchResponse`` with one item per ``reference_id`` (``status`` ``rcvd|pdng|succ|rjct``,
  ``SearchStatusReasonCode``, ``data.reg_records``);
* records: ``dci_PersonRecord`` with ``sex`` ``male|female|other|unknown`` mapped to chitra's
  ``M`` / ``F`` (``other`` and ``unknown`` are kept as ``""``: chitra's registry records only
  male and female, and an empty sex is never compared);
* subscribe: ``SubscribeRequest`` / ``SubscribeResponse`` (subscription codes) and
  ``NotifyEventRequest`` (the registry pushes events; chitra reads death and correction events);
* ``TxnStatusRequest`` for ``search`` and ``subscribe``.

Every refusal is an :class:`~chitra.engine.g2p.envelope.EnvelopeError` naming the element, the
value and the expectation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from chitra.engine.g2p.envelope import MAX_ID, EnvelopeError, parse_timestamp, timestamp

QUERY_TYPES = ("namedQuery", "idtype", "predicate")
#: ``dci_IdentifierType``
ID_TYPES = ("UIN", "BRN", "MRN", "DRN")
OPERATORS = ("gt", "lt", "eq", "ge", "le", "in")
CONDITIONS = ("and", "or", "not")
SEXES = ("male", "female", "other", "unknown")
SEARCH_REASON_CODES = frozenset(
    {
        "rjct.reference_id.invalid",
        "rjct.reference_id.duplicate",
        "rjct.timestamp.invalid",
        "rjct.search_criteria.invalid",
        "rjct.filter.invalid",
        "rjct.sort.invalid",
        "rjct.pagination.invalid",
        "rjct.search.too_many_records_found",
    }
)
SUBSCRIBE_REASON_CODES = frozenset(
    {
        "rjct.reference_id.invalid",
        "rjct.reference_id.duplicate",
        "rjct.timestamp.invalid",
        "rjct.notify_types.invalid",
        "rjct.notify_details.invalid",
        "rjct.person_id.invalid",
        "rjct.event.already_subscribed",
    }
)
STATUSES = ("rcvd", "pdng", "succ", "rjct")
TXN_TYPES = ("search", "subscribe", "unsubscribe")
ATTRIBUTE_TYPES = (
    "transaction_id",
    "reference_id_list",
    "correlation_id",
    "subscription_code_list",
)

#: registry actions (header.action) chitra sends and receives
REQUEST_ACTIONS = frozenset({"search", "subscribe", "unsubscribe", "txn-status"})
CALLBACK_ACTIONS = frozenset({"on-search", "on-subscribe", "on-unsubscribe", "txn-on-status"})
NOTIFY_ACTIONS = frozenset({"notify"})

SEX_TO_CHITRA = {"male": "M", "female": "F", "other": "", "unknown": ""}
CHITRA_TO_SEX = {"M": "male", "F": "female"}

#: event kinds (``reg_sub_type``, or ``dci_VitalEvents``) read as chitra's register changes
DEATH_EVENTS = frozenset({"death", "DCI:RegistrySubType:Death", "ns:dci:VitalEvent:death"})


def sex_to_chitra(value: Any, element: str = "sex") -> str:
    if value is None or value == "":
        return ""
    if value not in SEX_TO_CHITRA:
        raise EnvelopeError(element, value, "one of " + ", ".join(SEXES))
    return SEX_TO_CHITRA[value]


def sex_from_chitra(value: str) -> str:
    return CHITRA_TO_SEX.get(value, "unknown")


# -- queries -----------------------------------------------------------------------------------


def idtype_query(id_type: str, value: str) -> dict[str, Any]:
    if not id_type:
        raise ValueError("an idtype query names its identifier type")
    return {"type": id_type, "value": value}


def predicate(attribute: str, operator: str, value: Any) -> dict[str, Any]:
    if operator not in OPERATORS:
        raise ValueError(f"operator {operator!r} is not one of {', '.join(OPERATORS)}")
    return {"attribute_name": attribute, "operator": operator, "attribute_value": value}


def predicate_query(*expressions: dict[str, Any], condition: str = "and") -> list[dict[str, Any]]:
    """A ``PredicateQuery``: the expressions joined two by two with ``condition``.

    The spec types ``condition`` as a ``Predicate`` although it names an ``ExpCondition``
    (``and|or|not``); chitra writes the ``ExpCondition`` string (a spec defect, listed in the
    conformance page)."""
    if condition not in CONDITIONS:
        raise ValueError(f"condition {condition!r} is not one of {', '.join(CONDITIONS)}")
    if not expressions:
        raise ValueError("a predicate query has at least one expression")
    out: list[dict[str, Any]] = []
    for seq, start in enumerate(range(0, len(expressions), 2), start=1):
        item: dict[str, Any] = {"seq_num": seq, "expression1": expressions[start]}
        if start + 1 < len(expressions):
            item["condition"] = condition
            item["expression2"] = expressions[start + 1]
        out.append(item)
    return out


def named_query(name: str, params: Mapping[str, Any]) -> dict[str, Any]:
    if not name:
        raise ValueError("a named query has a name")
    return {"query_name": name, "query_params": dict(params)}


def _check_predicate(element: str, p: Any) -> None:
    if not isinstance(p, dict):
        raise EnvelopeError(element, p, "a Predicate object")
    for name in ("attribute_name", "operator", "attribute_value"):
        if name not in p:
            raise EnvelopeError(f"{element}.{name}", None, "present (required)")
    if p["operator"] not in OPERATORS:
        raise EnvelopeError(f"{element}.operator", p["operator"], "one of " + ", ".join(OPERATORS))


def _check_idtype(element: str, query: Any) -> None:
    if not isinstance(query, dict) or not query.get("type") or "value" not in query:
        raise EnvelopeError(f"{element}.query", query, "an IdTypeQuery {type, value}")


def _check_named(element: str, query: Any) -> None:
    name = query.get("query_name") if isinstance(query, dict) else None
    if not isinstance(name, str) or not name or not isinstance(query.get("query_params"), dict):
        raise EnvelopeError(f"{element}.query", query, "a NamedQuery {query_name, query_params}")


def _check_predicates(element: str, query: Any) -> None:
    if not isinstance(query, list) or not query:
        raise EnvelopeError(f"{element}.query", query, "a PredicateQuery (a non-empty list)")
    for i, item in enumerate(query):
        at = f"{element}.query[{i}]"
        if not isinstance(item, dict) or "expression1" not in item:
            raise EnvelopeError(at, item, "a PredicateWithCondition")
        _check_predicate(f"{at}.expression1", item["expression1"])
        if "expression2" in item:
            _check_predicate(f"{at}.expression2", item["expression2"])
            if item.get("condition") not in CONDITIONS:
                raise EnvelopeError(
                    f"{at}.condition", item.get("condition"), "one of " + ", ".join(CONDITIONS)
                )


_QUERY_CHECKS = {
    "idtype": _check_idtype,
    "namedQuery": _check_named,
    "predicate": _check_predicates,
}


def check_query(element: str, query_type: Any, query: Any) -> None:
    """The ``query`` of a search criteria agrees with its ``query_type``."""
    if query_type not in QUERY_TYPES:
        raise EnvelopeError(f"{element}.query_type", query_type, "one of " + ", ".join(QUERY_TYPES))
    _QUERY_CHECKS[query_type](element, query)


# -- search ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchItem:
    reference_id: str
    query_type: str
    query: Any
    reg_type: str
    reg_sub_type: str = ""
    record_type: str = ""
    consent: dict[str, Any] | None = None
    timestamp: dt.datetime | None = None


def build_search_request(
    transaction_id: str, items: Sequence[SearchItem], *, at: dt.datetime
) -> dict[str, Any]:
    out = []
    for it in items:
        check_query(f"search_request[{it.reference_id}]", it.query_type, it.query)
        crit: dict[str, Any] = {
            "version": "1.0.0",
            "reg_type": it.reg_type,
            "query_type": it.query_type,
            "query": it.query,
        }
        if it.reg_sub_type:
            crit["reg_sub_type"] = it.reg_sub_type
        if it.consent is not None:
            crit["consent"] = it.consent
        out.append(
            {"reference_id": it.reference_id, "timestamp": timestamp(at), "search_criteria": crit}
        )
    return {"transaction_id": transaction_id, "search_request": out}


def _items(message: Any, name: str) -> list[Any]:
    if not isinstance(message, dict):
        raise EnvelopeError("message", message, "an object")
    txn = message.get("transaction_id")
    if not isinstance(txn, str) or not txn or len(txn) > MAX_ID:
        raise EnvelopeError("message.transaction_id", txn, f"a string of 1 to {MAX_ID}")
    items = message.get(name)
    if not isinstance(items, list):
        raise EnvelopeError(f"message.{name}", items, "a list")
    return items


def _reference(element: str, item: Any, seen: set[str]) -> str:
    if not isinstance(item, dict):
        raise EnvelopeError(element, item, "an object")
    ref = item.get("reference_id")
    if not isinstance(ref, str) or not ref:
        raise EnvelopeError(f"{element}.reference_id", ref, "a non-empty string")
    if ref in seen:
        raise EnvelopeError(f"{element}.reference_id", ref, "unique in the message")
    seen.add(ref)
    parse_timestamp(f"{element}.timestamp", item.get("timestamp"))
    return ref


def parse_search_request(message: Any) -> tuple[str, list[SearchItem]]:
    """(transaction_id, items) of a ``SearchRequest`` (the simulator's side)."""
    items = _items(message, "search_request")
    seen: set[str] = set()
    out = []
    for i, item in enumerate(items):
        element = f"message.search_request[{i}]"
        ref = _reference(element, item, seen)
        crit = item.get("search_criteria")
        if not isinstance(crit, dict):
            raise EnvelopeError(f"{element}.search_criteria", crit, "an object")
        if not isinstance(crit.get("reg_type"), str):
            raise EnvelopeError(f"{element}.search_criteria.reg_type", crit.get("reg_type"),
                                "a RegistryType string")  # fmt: skip
        check_query(f"{element}.search_criteria", crit.get("query_type"), crit.get("query"))
        out.append(
            SearchItem(
                reference_id=ref,
                query_type=crit["query_type"],
                query=crit["query"],
                reg_type=crit["reg_type"],
                reg_sub_type=str(crit.get("reg_sub_type") or ""),
                consent=crit.get("consent"),
            )
        )
    return message["transaction_id"], out


@dataclass(frozen=True, slots=True)
class SearchAnswer:
    reference_id: str
    status: str
    records: list[Any] = field(default_factory=list)
    reason_code: str = ""
    reason_message: str = ""


def records_out(records: Sequence[Any]) -> Any:
    """``reg_records`` as written: the spec types ``RegistryRecord`` as one object (a defect:
    its description says ``@container: @set`` and a predicate query matches many), so one
    record goes as the object and several as a list; readers take both."""
    return records[0] if len(records) == 1 else list(records)


def build_search_response(
    transaction_id: str,
    correlation_id: str,
    answers: Sequence[SearchAnswer],
    *,
    at: dt.datetime,
    reg_type: str,
    record_type: str,
) -> dict[str, Any]:
    out = []
    for a in answers:
        item: dict[str, Any] = {
            "reference_id": a.reference_id,
            "timestamp": timestamp(at),
            "status": a.status,
        }
        if a.reason_code:
            item["status_reason_code"] = a.reason_code
            item["status_reason_message"] = a.reason_message[:999]
        if a.status == "succ":
            item["data"] = {
                "version": "1.0.0",
                "reg_type": reg_type,
                "reg_record_type": record_type,
                "reg_records": records_out(a.records),
            }
        out.append(item)
    return {
        "transaction_id": transaction_id,
        "correlation_id": correlation_id,
        "search_response": out,
    }


def parse_search_response(message: Any) -> tuple[str, str, list[SearchAnswer]]:
    """(transaction_id, correlation_id, answers) of a ``SearchResponse``; ``reg_records`` may
    be one record object or a list (the spec leaves ``RegistryRecord`` open): a list always
    comes back."""
    items = _items(message, "search_response")
    corr = message.get("correlation_id")
    if not isinstance(corr, str) or len(corr) > MAX_ID:
        raise EnvelopeError("message.correlation_id", corr, f"a string of at most {MAX_ID}")
    seen: set[str] = set()
    out = []
    for i, item in enumerate(items):
        element = f"message.search_response[{i}]"
        ref = _reference(element, item, seen)
        status = item.get("status")
        if status not in STATUSES:
            raise EnvelopeError(f"{element}.status", status, "one of " + ", ".join(STATUSES))
        code = item.get("status_reason_code") or ""
        if code and code not in SEARCH_REASON_CODES:
            raise EnvelopeError(f"{element}.status_reason_code", code, "a SearchStatusReasonCode")
        records: list[Any] = []
        data = item.get("data")
        if status == "succ" and data is not None:
            if not isinstance(data, dict) or "reg_records" not in data:
                raise EnvelopeError(f"{element}.data", data, "an object with reg_records")
            recs = data["reg_records"]
            records = recs if isinstance(recs, list) else [recs]
        out.append(
            SearchAnswer(ref, status, records, code, str(item.get("status_reason_message") or ""))
        )
    return message["transaction_id"], corr, out


# -- subscribe / notify ------------------------------------------------------------------------


def build_subscribe_request(
    transaction_id: str,
    criteria: Sequence[tuple[str, dict[str, Any]]],
    *,
    at: dt.datetime,
    until: dt.datetime,
    frequency: str = "0 0 * * * ? *",
) -> dict[str, Any]:
    """One ``subscribe_request`` item per (reference_id, subscribe_criteria without its
    frequency): each needs ``reg_type``, ``filter_type``, ``filter`` and
    ``notify_record_type``."""
    out = []
    for ref, crit in criteria:
        for name in ("reg_type", "filter", "notify_record_type"):
            if name not in crit:
                raise ValueError(f"subscribe criteria {ref}: {name} is required")
        check_query(f"subscribe_request[{ref}]", crit.get("filter_type"), crit["filter"])
        full = {
            "version": "1.0.0",
            **crit,
            "frequency": {
                "start_time": timestamp(at),
                "end_time": timestamp(until),
                "frequency": frequency,
            },
        }
        out.append({"reference_id": ref, "timestamp": timestamp(at), "subscribe_criteria": full})
    return {"transaction_id": transaction_id, "subscribe_request": out}


@dataclass(frozen=True, slots=True)
class SubscribeAnswer:
    reference_id: str
    status: str
    codes: tuple[str, ...] = ()
    reason_code: str = ""
    reason_message: str = ""


def parse_subscribe_response(message: Any) -> tuple[str, list[SubscribeAnswer]]:
    items = _items(message, "subscribe_response")
    seen: set[str] = set()
    out = []
    for i, item in enumerate(items):
        element = f"message.subscribe_response[{i}]"
        ref = _reference(element, item, seen)
        status = item.get("status")
        if status not in STATUSES:
            raise EnvelopeError(f"{element}.status", status, "one of " + ", ".join(STATUSES))
        code = item.get("status_reason_code") or ""
        if code and code not in SUBSCRIBE_REASON_CODES:
            raise EnvelopeError(
                f"{element}.status_reason_code", code, "a SubscribeStatusReasonCode"
            )
        subs = item.get("subscriptions") or []
        if not isinstance(subs, list):
            raise EnvelopeError(f"{element}.subscriptions", subs, "a list of SubscriptionInfo")
        codes = []
        for j, s in enumerate(subs):
            # the spec's SubscriptionInfo has the property "code" but requires
            # "subscription_code": both are read
            c = (s.get("code") or s.get("subscription_code")) if isinstance(s, dict) else None
            if not isinstance(c, str) or not c or len(c) > MAX_ID:
                raise EnvelopeError(f"{element}.subscriptions[{j}].code", c, "a SubscriptionCode")
            codes.append(c)
        out.append(
            SubscribeAnswer(
                ref, status, tuple(codes), code, str(item.get("status_reason_message") or "")
            )
        )
    return message["transaction_id"], out


@dataclass(frozen=True, slots=True)
class NotifyEvent:
    reference_id: str
    at: dt.datetime
    reg_type: str
    reg_sub_type: str
    record_type: str
    records: list[Any]


def parse_notify(message: Any) -> tuple[str, list[NotifyEvent]]:
    """(transaction_id, events) of a ``NotifyEventRequest``."""
    items = _items(message, "notify_event")
    seen: set[str] = set()
    out = []
    for i, item in enumerate(items):
        element = f"message.notify_event[{i}]"
        ref = _reference(element, item, seen)
        data = item.get("data")
        if not isinstance(data, dict):
            raise EnvelopeError(f"{element}.data", data, "an object")
        for name in ("reg_type", "reg_record_type", "reg_records"):
            if name not in data:
                raise EnvelopeError(f"{element}.data.{name}", None, "present (required)")
        recs = data["reg_records"]
        out.append(
            NotifyEvent(
                reference_id=ref,
                at=parse_timestamp(f"{element}.timestamp", item["timestamp"]),
                reg_type=str(data["reg_type"]),
                reg_sub_type=str(data.get("reg_sub_type") or ""),
                record_type=str(data["reg_record_type"]),
                records=recs if isinstance(recs, list) else [recs],
            )
        )
    return message["transaction_id"], out


def build_notify(
    transaction_id: str, events: Sequence[NotifyEvent], *, at: dt.datetime
) -> dict[str, Any]:
    return {
        "transaction_id": transaction_id,
        "notify_event": [
            {
                "reference_id": e.reference_id,
                "timestamp": timestamp(e.at),
                "data": {
                    "version": "1.0.0",
                    "reg_type": e.reg_type,
                    **({"reg_sub_type": e.reg_sub_type} if e.reg_sub_type else {}),
                    "reg_record_type": e.record_type,
                    "reg_records": records_out(e.records),
                },
            }
            for e in events
        ],
    }


def event_kind(event: NotifyEvent, record: Mapping[str, Any]) -> str:
    """``death`` when the event is a death or the record carries a death date, else
    ``correction``."""
    if event.reg_sub_type in DEATH_EVENTS or record.get("deathdate"):
        return "death"
    return "correction"


# -- txn status --------------------------------------------------------------------------------


def build_txn_status_request(
    transaction_id: str, reference_id: str, txn_type: str, attribute_type: str, value: Any
) -> dict[str, Any]:
    if txn_type not in TXN_TYPES:
        raise ValueError(f"txn_type {txn_type!r} is not one of {', '.join(TXN_TYPES)}")
    if attribute_type not in ATTRIBUTE_TYPES:
        raise ValueError(f"attribute_type {attribute_type!r} is not one of the spec's")
    return {
        "transaction_id": transaction_id,
        "txnstatus_request": {
            "reference_id": reference_id,
            "txn_type": txn_type,
            "attribute_type": attribute_type,
            "attribute_value": value,
        },
    }


def parse_txn_status_request(message: Any) -> tuple[str, str, str, Any]:
    """(transaction_id, txn_type, attribute_type, attribute_value)."""
    if not isinstance(message, dict):
        raise EnvelopeError("message", message, "an object")
    req = message.get("txnstatus_request")
    if not isinstance(req, dict):
        raise EnvelopeError("message.txnstatus_request", req, "an object")
    if req.get("txn_type") not in TXN_TYPES:
        raise EnvelopeError("message.txnstatus_request.txn_type", req.get("txn_type"),
                            "one of " + ", ".join(TXN_TYPES))  # fmt: skip
    if req.get("attribute_type") not in ATTRIBUTE_TYPES:
        raise EnvelopeError(
            "message.txnstatus_request.attribute_type",
            req.get("attribute_type"),
            "one of " + ", ".join(ATTRIBUTE_TYPES),
        )
    return (
        str(message.get("transaction_id", "")),
        req["txn_type"],
        req["attribute_type"],
        req.get("attribute_value"),
    )


def build_txn_status_response(
    transaction_id: str, correlation_id: str, txn_type: str, status: dict[str, Any]
) -> dict[str, Any]:
    return {
        "transaction_id": transaction_id,
        "correlation_id": correlation_id,
        "txnstatus_response": {"txn_type": txn_type, "txn_status": status},
    }


def parse_txn_status_response(message: Any) -> tuple[str, dict[str, Any]]:
    """(txn_type, txn_status) of a ``TxnStatusResponse``."""
    resp = message.get("txnstatus_response") if isinstance(message, dict) else None
    if not isinstance(resp, dict):
        raise EnvelopeError("message.txnstatus_response", resp, "an object")
    kind = resp.get("txn_type")
    if kind not in ("on-search", "on-subscribe", "on-unsubscribe"):
        raise EnvelopeError("message.txnstatus_response.txn_type", kind,
                            "one of on-search, on-subscribe, on-unsubscribe")  # fmt: skip
    status = resp.get("txn_status")
    if not isinstance(status, dict):
        raise EnvelopeError("message.txnstatus_response.txn_status", status, "an object")
    return kind, status
