"""Disburse messages: ``DisburseRequest``, ``DisburseResponse``, ``TxnStatusRequest`` /
``TxnStatusResponse``, the request statuses, the reason codes and financial addresses.

Amounts are ``Amount`` strings (``^\\d{1,13}\\.\\d{1,2}$``); chitra pays whole đồng, so it
writes ``1500000.00`` and refuses an amount with a fraction of a đồng.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from chitra.engine.g2p.envelope import MAX_ID, EnvelopeError, parse_timestamp, timestamp

#: ``RequestStatus``: received, pending, success, rejected
STATUSES = ("rcvd", "pdng", "succ", "rjct")
PENDING = frozenset({"rcvd", "pdng"})

#: ``DisburseStatusReasonCode``
G2P_REASON_CODES = (
    "rjct.reference_id.invalid",
    "rjct.reference_id.duplicate",
    "rjct.timestamp.invalid",
    "rjct.payer_fa.invalid",
    "rjct.payee_fa.invalid",
    "rjct.amount.invalid",
    "rjct.schedule_ts.invalid",
    "rjct.currency_code.invalid",
)

#: the spec's reason codes as chitra's return reasons (ISO 20022 external status reason codes,
#: the catalogue of ``disbursement.ReturnReason``): what the office does next follows from it
REASON_TO_CATALOGUE: Mapping[str, str] = {
    "rjct.reference_id.invalid": "MS03",  # chitra wrote a reference the provider cannot use
    "rjct.reference_id.duplicate": "AM05",  # duplicate payment
    "rjct.timestamp.invalid": "DT01",  # invalid date
    "rjct.payer_fa.invalid": "BE05",  # the paying party is not recognised
    "rjct.payee_fa.invalid": "AC01",  # incorrect account number: paid in cash, account closed
    "rjct.amount.invalid": "AM12",  # invalid amount
    "rjct.schedule_ts.invalid": "DT01",
    "rjct.currency_code.invalid": "AM03",  # currency not allowed
}
#: a rejection without a reason code
NO_REASON = "MS03"

_AMOUNT = re.compile(r"^\d{1,13}\.\d{1,2}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_FA = re.compile(r"^(?:(?P<type>[A-Za-z0-9-]+):)?(?P<id>[^\s@:]+)@(?P<provider>[A-Za-z0-9.-]+)$")


def amount_text(amount: int) -> str:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValueError(f"amount {amount!r} is not a positive whole number of đồng")
    if amount >= 10**13:
        raise ValueError(f"amount {amount} has more than 13 digits")
    return f"{amount}.00"


def parse_amount(element: str, value: Any) -> int:
    if not isinstance(value, str) or not _AMOUNT.match(value):
        raise EnvelopeError(element, value, "an amount like 1500000.00 (Amount)")
    whole, _, fraction = value.partition(".")
    if fraction.strip("0"):
        raise EnvelopeError(element, value, "a whole number of đồng (VND has no minor unit)")
    return int(whole)


def catalogue_reason(code: str, catalogue: Iterable[str] = ()) -> str:
    """The return reason for a ``rjct`` line: the spec's code mapped, or a catalogue code the
    provider sent as it is (an ISO 20022 code); anything else is a ValueError."""
    if not code:
        return NO_REASON
    if code in REASON_TO_CATALOGUE:
        return REASON_TO_CATALOGUE[code]
    if code in set(catalogue):
        return code
    raise ValueError(
        f"status_reason_code {code!r} is neither one of the spec's codes "
        f"({', '.join(G2P_REASON_CODES)}) nor a return reason of the catalogue"
    )


@dataclass(frozen=True, slots=True)
class TypedAddress:
    """``id-type:id@provider``, the G2P Connect form of a person's id and of a financial
    address; the type may be absent. Type and provider are compared case-insensitively.
    A subclass says which characters it allows (`PATTERN`) and what it is (`WHAT`)."""

    PATTERN: ClassVar[re.Pattern[str]] = _FA
    WHAT: ClassVar[str] = "a financial address id-type:id@provider"

    id: str
    provider: str
    id_type: str = ""

    def __str__(self) -> str:
        prefix = f"{self.id_type}:" if self.id_type else ""
        return f"{prefix}{self.id}@{self.provider}"

    @classmethod
    def parse(cls, value: Any, element: str = "payee_fa") -> Self:
        m = cls.PATTERN.match(value) if isinstance(value, str) else None
        if m is None:
            raise EnvelopeError(element, value, cls.WHAT)
        return cls(m["id"], m["provider"].lower(), (m["type"] or "").lower())


@dataclass(frozen=True, slots=True)
class FinancialAddress(TypedAddress):
    """``account:0123456789@970436``, or without a type (``joeuser@national-bank``)."""

    @classmethod
    def build(cls, id_type: str, id_: str, provider: str) -> FinancialAddress:
        fa = cls(id_, provider.lower(), id_type.lower())
        return cls.parse(str(fa), "financial address")


@dataclass(frozen=True, slots=True)
class Disbursement:
    reference_id: str
    payer_fa: str
    payee_fa: str
    amount: int
    payee_name: str = ""
    payer_name: str = ""
    note: str = ""
    purpose: str = ""
    currency_code: str = "VND"
    scheduled_timestamp: dt.datetime | None = None
    locale: str = "vie"  # LanguageCode: ISO 639-3

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "reference_id": self.reference_id,
            "payer_fa": str(FinancialAddress.parse(self.payer_fa, "payer_fa")),
            "payee_fa": str(FinancialAddress.parse(self.payee_fa, "payee_fa")),
            "amount": amount_text(self.amount),
        }
        if self.scheduled_timestamp is not None:
            out["scheduled_timestamp"] = timestamp(self.scheduled_timestamp)
        for name in ("payer_name", "payee_name"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        if self.note:
            out["note"] = self.note[:99]
        if self.purpose:
            out["purpose"] = self.purpose[:99]
        out["currency_code"] = self.currency_code
        out["locale"] = self.locale
        return out


@dataclass(frozen=True, slots=True)
class DisbursementStatus:
    reference_id: str
    status: str
    timestamp: dt.datetime
    status_reason_code: str = ""
    status_reason_message: str = ""
    amount: int | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "reference_id": self.reference_id,
            "timestamp": timestamp(self.timestamp),
            "status": self.status,
        }
        if self.status_reason_code:
            out["status_reason_code"] = self.status_reason_code
        if self.status_reason_message:
            out["status_reason_message"] = self.status_reason_message[:999]
        if self.amount is not None:
            out["amount"] = amount_text(self.amount)
        return out


def _transaction_id(m: Any, element: str = "message.transaction_id") -> str:
    if not isinstance(m, dict):
        raise EnvelopeError(element.rsplit(".", 1)[0], m, "an object")
    value = m.get("transaction_id")
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_ID:
        raise EnvelopeError(element, value, f"a non-empty string of at most {MAX_ID}")
    return value


def _items(m: dict[str, Any], name: str) -> list[dict[str, Any]]:
    items = m.get(name)
    if not isinstance(items, list) or not items:
        raise EnvelopeError(f"message.{name}", items, "a non-empty list")
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            raise EnvelopeError(f"message.{name}[{n}]", item, "an object")
    return items


def _ref(item: dict[str, Any], where: str) -> str:
    ref = item.get("reference_id")
    if not isinstance(ref, str) or not ref.strip() or len(ref) > MAX_ID:
        raise EnvelopeError(f"{where}.reference_id", ref, "a non-empty reference_id")
    return ref


def build_disburse_request(transaction_id: str, items: Iterable[Disbursement]) -> dict[str, Any]:
    rows = [d.to_json() for d in items]
    if not rows:
        raise ValueError("a disburse request has at least one disbursement")
    return {"transaction_id": transaction_id, "disbursements": rows}


def parse_disburse_request(m: Any) -> tuple[str, list[Disbursement]]:
    tx = _transaction_id(m)
    out = []
    for n, item in enumerate(_items(m, "disbursements")):
        where = f"message.disbursements[{n}]"
        currency = item.get("currency_code", "VND")
        if not isinstance(currency, str) or not _CURRENCY.match(currency):
            raise EnvelopeError(f"{where}.currency_code", currency, "an ISO 4217 code")
        for name in ("payer_fa", "payee_fa"):
            FinancialAddress.parse(item.get(name), f"{where}.{name}")
        out.append(
            Disbursement(
                reference_id=_ref(item, where),
                payer_fa=item["payer_fa"],
                payee_fa=item["payee_fa"],
                amount=parse_amount(f"{where}.amount", item.get("amount")),
                payee_name=str(item.get("payee_name", "")),
                payer_name=str(item.get("payer_name", "")),
                note=str(item.get("note", "")),
                purpose=str(item.get("purpose", "")),
                currency_code=currency,
            )
        )
    return tx, out


def build_disburse_response(
    transaction_id: str, items: Iterable[DisbursementStatus]
) -> dict[str, Any]:
    return {"transaction_id": transaction_id, "disbursements_status": [s.to_json() for s in items]}


def _status(item: dict[str, Any], where: str) -> DisbursementStatus:
    status = item.get("status")
    if status not in STATUSES:
        raise EnvelopeError(f"{where}.status", status, "one of rcvd, pdng, succ, rjct")
    reason = item.get("status_reason_code", "") or ""
    if not isinstance(reason, str) or len(reason) > MAX_ID:
        raise EnvelopeError(f"{where}.status_reason_code", reason, "a reason code")
    message = item.get("status_reason_message", "") or ""
    amount = item.get("amount")
    return DisbursementStatus(
        reference_id=_ref(item, where),
        status=status,
        timestamp=parse_timestamp(f"{where}.timestamp", item.get("timestamp")),
        status_reason_code=reason,
        status_reason_message=str(message)[:999],
        amount=None if amount is None else parse_amount(f"{where}.amount", amount),
    )


def parse_disburse_response(m: Any) -> tuple[str, list[DisbursementStatus]]:
    tx = _transaction_id(m)
    out = [
        _status(item, f"message.disbursements_status[{n}]")
        for n, item in enumerate(_items(m, "disbursements_status"))
    ]
    seen: set[str] = set()
    for n, s in enumerate(out):
        if s.reference_id in seen:
            raise EnvelopeError(
                f"message.disbursements_status[{n}].reference_id",
                s.reference_id,
                "a reference_id given once per message",
            )
        seen.add(s.reference_id)
    return tx, out


def build_txn_status_request(
    transaction_id: str, reference_id: str, *, references: list[str] | None = None
) -> dict[str, Any]:
    """Ask for the status of a whole earlier transaction, or of some of its disbursements."""
    request: dict[str, Any] = {"reference_id": reference_id, "txn_type": "disburse"}
    if references:
        request |= {"attribute_type": "reference_id_list", "attribute_value": list(references)}
    else:
        request |= {"attribute_type": "transaction_id", "attribute_value": transaction_id}
    request["locale"] = "vie"
    return {"transaction_id": transaction_id, "txnstatus_request": request}


def parse_txn_status_request(m: Any) -> tuple[str, str, str, Any]:
    """(transaction_id, reference_id, attribute_type, attribute_value)."""
    tx = _transaction_id(m)
    r = m.get("txnstatus_request")
    if not isinstance(r, dict):
        raise EnvelopeError("message.txnstatus_request", r, "an object")
    if r.get("txn_type") != "disburse":
        raise EnvelopeError("message.txnstatus_request.txn_type", r.get("txn_type"), "disburse")
    kind = r.get("attribute_type")
    value = r.get("attribute_value")
    if kind == "transaction_id":
        ok = isinstance(value, str) and bool(value)
    elif kind == "reference_id_list":
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value) and bool(value)
    else:
        raise EnvelopeError(
            "message.txnstatus_request.attribute_type", kind, "transaction_id or reference_id_list"
        )
    if not ok:
        raise EnvelopeError("message.txnstatus_request.attribute_value", value, f"a {kind}")
    return tx, _ref(r, "message.txnstatus_request"), kind, value


def build_txn_status_response(
    transaction_id: str, correlation_id: str, disburse_response: dict[str, Any]
) -> dict[str, Any]:
    return {
        "transaction_id": transaction_id,
        "correlation_id": correlation_id,
        "txnstatus_response": {"txn_type": "on-disburse", "txn_status": disburse_response},
    }


def parse_txn_status_response(m: Any) -> tuple[str, str, list[DisbursementStatus]]:
    """(transaction_id, correlation_id, statuses)."""
    tx = _transaction_id(m)
    corr = m.get("correlation_id")
    if not isinstance(corr, str) or not corr or len(corr) > MAX_ID:
        raise EnvelopeError("message.correlation_id", corr, "a non-empty correlation_id")
    r = m.get("txnstatus_response")
    if not isinstance(r, dict):
        raise EnvelopeError("message.txnstatus_response", r, "an object")
    if r.get("txn_type") != "on-disburse":
        raise EnvelopeError("message.txnstatus_response.txn_type", r.get("txn_type"), "on-disburse")
    _inner_tx, statuses = parse_disburse_response(r.get("txn_status"))
    return tx, corr, statuses
