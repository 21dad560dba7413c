"""The G2P Connect message envelope: ``{"signature", "header", "message"}``.

A request header is ``MsgHeader_V1.0.0`` (required: message_id, message_ts, action,
sender_id, total_count); a callback header is ``MsgCallbackHeader_V1.0.0`` (required:
message_id, message_ts, action, status). chitra always writes version, receiver_id and
is_msg_encrypted too. Checks are by hand (the engine loads no schema) and every failure is an
:class:`EnvelopeError` naming the element, the value and what was expected, with the spec's
``err.*`` code to answer with.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

VERSION = "1.0.0"
SUPPORTED_VERSIONS = frozenset({"1.0.0"})

#: ``Ack``: ACK (valid, a callback follows), NACK (valid, nothing follows), ERR (invalid)
ACK_STATUSES = ("ACK", "NACK", "ERR")

#: ``Error.code``: communication-layer errors answered with ERR
ERROR_CODES = frozenset(
    {
        "err.request.bad",
        "err.request.unauthorized",
        "err.request.forbidden",
        "err.request.not_found",
        "err.request.timeout",
        "err.version.not_supported",
        "err.request.too_many_requests",
        "err.sender_id.invalid",
        "err.sender_uri.invalid",
        "err.receiver_id.invalid",
        "err.signature.missing",
        "err.signature.invalid",
        "err.encryption.invalid",
        "err.service.unavailable",
    }
)

#: ``MsgHeaderStatusReasonCode``: reasons a callback header may carry with ``rjct``
HEADER_REASON_CODES = frozenset(
    {
        "rjct.version.invalid",
        "rjct.message_id.duplicate",
        "rjct.message_ts.invalid",
        "rjct.action.invalid",
        "rjct.action.not_supported",
        "rjct.total_count.invalid",
        "rjct.total_count.limit_exceeded",
        "rjct.errors.too_many",
    }
)

_REQUEST_STATUSES = ("rcvd", "pdng", "succ", "rjct")
MAX_ID = 99  # TransactionId / CorrelationId maxLength; used for message ids as well


class EnvelopeError(ValueError):
    """A message refused: ``code`` is the spec's ``err.*`` code to answer ``ERR`` with."""

    def __init__(self, element: str, value: Any, expected: str, code: str = "err.request.bad"):
        shown = repr(value)
        if len(shown) > 80:
            shown = shown[:77] + "..."
        super().__init__(f"{element}: {shown} is not {expected}")
        self.element = element
        self.value = value
        self.expected = expected
        self.code = code


def timestamp(value: dt.datetime) -> str:
    """ISO 8601 with its offset, seconds precision (``DateTime``)."""
    if value.tzinfo is None:
        raise ValueError("G2P Connect timestamps carry a time zone")
    return value.isoformat(timespec="seconds")


def parse_timestamp(element: str, value: Any) -> dt.datetime:
    if not isinstance(value, str) or not value:
        raise EnvelopeError(element, value, "an ISO 8601 date-time with a time zone")
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise EnvelopeError(element, value, "an ISO 8601 date-time with a time zone") from None
    if parsed.tzinfo is None:
        raise EnvelopeError(element, value, "an ISO 8601 date-time with a time zone")
    return parsed


@dataclass(frozen=True, slots=True)
class Header:
    message_id: str
    message_ts: dt.datetime
    action: str
    sender_id: str
    receiver_id: str = ""
    total_count: int = 0
    version: str = VERSION
    is_msg_encrypted: bool = False
    sender_uri: str = ""
    # callback headers only
    status: str = ""
    status_reason_code: str = ""
    status_reason_message: str = ""
    completed_count: int | None = None

    @property
    def is_callback(self) -> bool:
        return bool(self.status)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "version": self.version,
            "message_id": self.message_id,
            "message_ts": timestamp(self.message_ts),
            "action": self.action,
        }
        if self.status:
            out["status"] = self.status
            if self.status_reason_code:
                out["status_reason_code"] = self.status_reason_code
            if self.status_reason_message:
                out["status_reason_message"] = self.status_reason_message[:999]
        out["sender_id"] = self.sender_id
        if self.sender_uri:
            out["sender_uri"] = self.sender_uri
        out["receiver_id"] = self.receiver_id
        out["total_count"] = self.total_count
        if self.completed_count is not None:
            out["completed_count"] = self.completed_count
        out["is_msg_encrypted"] = self.is_msg_encrypted
        return out


def build_envelope(header: Header, message: dict[str, Any], signature: str = "") -> dict[str, Any]:
    """The envelope as JSON-ready data; ``signature`` comes from :func:`jws.sign_envelope`."""
    out: dict[str, Any] = {}
    if signature:
        out["signature"] = signature
    out["header"] = header.to_json()
    out["message"] = message
    return out


def _text(h: dict[str, Any], name: str, *, required: bool, max_len: int = MAX_ID) -> str:
    value = h.get(name)
    if value is None:
        if required:
            raise EnvelopeError(f"header.{name}", None, "present (required)")
        return ""
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > max_len:
        raise EnvelopeError(f"header.{name}", value, f"a non-empty string of at most {max_len}")
    return value


def _count(h: dict[str, Any], name: str, *, required: bool) -> int | None:
    value = h.get(name)
    if value is None:
        if required:
            raise EnvelopeError(f"header.{name}", None, "present (required)")
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise EnvelopeError(f"header.{name}", value, "a whole number of at least 0")
    return value


def parse_header(h: Any, *, callback: bool, actions: frozenset[str] | set[str]) -> Header:
    if not isinstance(h, dict):
        raise EnvelopeError("header", h, "an object")
    version = h.get("version", VERSION)
    if version not in SUPPORTED_VERSIONS:
        raise EnvelopeError(
            "header.version", version, "a supported version (1.0.0)", "err.version.not_supported"
        )
    action = _text(h, "action", required=True)
    if action not in actions:
        raise EnvelopeError("header.action", action, "one of " + ", ".join(sorted(actions)))
    status = ""
    if callback:
        status = _text(h, "status", required=True)
        if status not in _REQUEST_STATUSES:
            raise EnvelopeError("header.status", status, "one of rcvd, pdng, succ, rjct")
    encrypted = h.get("is_msg_encrypted", False)
    if not isinstance(encrypted, bool):
        raise EnvelopeError("header.is_msg_encrypted", encrypted, "true or false")
    if encrypted:
        raise EnvelopeError(
            "header.is_msg_encrypted", encrypted, "false (chitra takes no encrypted message)",
            "err.encryption.invalid",
        )  # fmt: skip
    reason = _text(h, "status_reason_code", required=False)
    return Header(
        message_id=_text(h, "message_id", required=True),
        message_ts=parse_timestamp("header.message_ts", h.get("message_ts")),
        action=action,
        sender_id=_text(h, "sender_id", required=not callback),
        receiver_id=_text(h, "receiver_id", required=False),
        total_count=_count(h, "total_count", required=not callback) or 0,
        version=version,
        is_msg_encrypted=False,
        sender_uri=_text(h, "sender_uri", required=False, max_len=2000),
        status=status,
        status_reason_code=reason,
        status_reason_message=_text(h, "status_reason_message", required=False, max_len=999),
        completed_count=_count(h, "completed_count", required=False),
    )


def parse_envelope(
    doc: Any, *, callback: bool, actions: frozenset[str] | set[str], message_required: bool = True
) -> tuple[Header, dict[str, Any] | None, str]:
    """(header, message, signature) of an envelope, or :class:`EnvelopeError`."""
    if not isinstance(doc, dict):
        raise EnvelopeError("(body)", type(doc).__name__, "a JSON object")
    unknown = sorted(set(doc) - {"signature", "header", "message"})
    if unknown:
        raise EnvelopeError(unknown[0], doc[unknown[0]], "an element of the envelope")
    if "header" not in doc:
        raise EnvelopeError("header", None, "present (required)")
    header = parse_header(doc["header"], callback=callback, actions=actions)
    signature = doc.get("signature", "")
    if not isinstance(signature, str):
        raise EnvelopeError("signature", signature, "a string", "err.signature.invalid")
    message = doc.get("message")
    if message is None and message_required:
        raise EnvelopeError("message", None, "present (required)")
    if message is not None and not isinstance(message, dict):
        raise EnvelopeError("message", message, "an object")
    return header, message, signature


def ack(
    status: str,
    *,
    correlation_id: str,
    at: dt.datetime,
    error_code: str = "",
    error_message: str = "",
) -> dict[str, Any]:
    """The synchronous answer to any async call (``Response``)."""
    if status not in ACK_STATUSES:
        raise ValueError(f"ack_status {status!r} is not one of ACK, NACK, ERR")
    message: dict[str, Any] = {
        "ack_status": status,
        "timestamp": timestamp(at),
        "correlation_id": correlation_id[:MAX_ID],
    }
    if error_code:
        if error_code not in ERROR_CODES:
            raise ValueError(f"error code {error_code!r} is not one of the spec's err.* codes")
        message["error"] = {"code": error_code, "message": error_message[:999]}
    return {"message": message}


@dataclass(frozen=True, slots=True)
class Ack:
    status: str
    correlation_id: str
    error_code: str = ""
    error_message: str = ""


def parse_ack(doc: Any) -> Ack:
    m = doc.get("message") if isinstance(doc, dict) else None
    if not isinstance(m, dict):
        raise EnvelopeError("message", m, "the acknowledgement object")
    status = m.get("ack_status")
    if status not in ACK_STATUSES:
        raise EnvelopeError("message.ack_status", status, "one of ACK, NACK, ERR")
    error = m.get("error") or {}
    if not isinstance(error, dict):
        raise EnvelopeError("message.error", error, "an object")
    corr = m.get("correlation_id", "")
    return Ack(
        status,
        str(corr) if corr is not None else "",
        str(error.get("code", "")),
        str(error.get("message", "")),
    )
