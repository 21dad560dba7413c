"""G2P Connect registry, chitra's side: the register's callbacks (``/registry/notify``,
``/registry/on-search``, ``/registry/on-subscribe``) and the subscription to death and
correction events (``register_subscribe``).

A callback is the register's machine client (OAuth2 client ``CHITRA_REGISTER_CLIENT_ID``)
posting a signed envelope: the signature is checked with ``CHITRA_REGISTER_PUBLIC_KEY``, the
message is recorded once by (sender, message_id) (a repeat is answered ``ACK`` again and
changes nothing), each step audited. Notified deaths and corrections are stored as
:class:`RegisterEvent` rows that the periodic re-check reads (:func:`notified_ids_since`,
used by ``verification_run(changed_since=...)``): a death then suspends payments there, as one
found by the change feed does."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from chitra.core.audit import audit_record
from chitra.core.errors import ChitraError
from chitra.engine.g2p import jws
from chitra.engine.g2p import registry as reg
from chitra.engine.g2p.envelope import EnvelopeError, Header, ack, parse_ack, parse_envelope
from chitra.iam.access import Perm, require_perm
from chitra.iam.models import User
from chitra.iam.oauth import key_id, signing_key
from chitra.register.connector import RegisterProtocolError
from chitra.register.http_client import person_from_record
from chitra.verification.models import RegisterEvent, RegisterMessage, RegisterSubscription

ACTIONS = {"notify": "notify", "on-search": "on-search", "on-subscribe": "on-subscribe"}
SUBSCRIBE_PATH = "/registry/subscribe"
DEATH = "DCI:RegistrySubType:Death"
UPDATE = "DCI:RegistrySubType:Update"


@dataclass(frozen=True)
class Answer:
    http_status: int
    body: dict[str, Any]


def _answer(status: str, correlation: str, code: str = "", text: str = "") -> Answer:
    body = ack(
        status, correlation_id=correlation or "-", at=timezone.now(), error_code=code,
        error_message=text,
    )  # fmt: skip
    return Answer(401 if code == "err.request.unauthorized" else 200, body)


def _sha(header: Any, message: Any) -> str:
    return hashlib.sha256(jws.envelope_payload(header, message)).hexdigest()


# -- signing -----------------------------------------------------------------------------------


def sign(header: dict[str, Any], message: dict[str, Any]) -> str:
    """chitra's detached signature of an envelope it sends to the register."""
    kid = key_id()
    return jws.sign_envelope(header, message, signing_key(), kid=kid, created=int(time.time()))


def register_verifier() -> Callable[[str, dict[str, Any], dict[str, Any]], None] | None:
    """Checks the register's signatures, or None when no register key is configured."""
    pem = settings.CHITRA_REGISTER_PUBLIC_KEY
    if not pem:
        return None
    key = jws.load_public(pem)

    def verify(signature: str, header: dict[str, Any], message: dict[str, Any]) -> None:
        jws.verify_envelope(signature, header, message, key)

    return verify


# -- callbacks ---------------------------------------------------------------------------------


def _check(body: Any, action: str) -> tuple[Header, dict[str, Any]]:
    header, message, signature = parse_envelope(
        body, callback=True, actions={action}, message_required=True
    )
    assert message is not None
    if header.sender_id and header.sender_id != settings.CHITRA_REGISTER_ID:
        raise EnvelopeError(
            "header.sender_id", header.sender_id, settings.CHITRA_REGISTER_ID,
            "err.sender_id.invalid",
        )  # fmt: skip
    if not settings.CHITRA_REGISTER_PUBLIC_KEY:
        raise EnvelopeError(
            "signature", "…", "checkable (CHITRA_REGISTER_PUBLIC_KEY is not set)",
            "err.signature.invalid",
        )  # fmt: skip
    if not signature:
        raise EnvelopeError("signature", "", "present", "err.signature.missing")
    verify = register_verifier()
    assert verify is not None
    try:
        verify(signature, body["header"], message)
    except (jws.SignatureError, ValueError) as e:
        raise EnvelopeError("signature", "…", f"valid ({e})", "err.signature.invalid") from None
    return header, message


def _events(message: dict[str, Any]) -> list[tuple[str, str, str, dt.date | None, dt.datetime]]:
    """(reference_id, personal_id, kind, death date, event time) of a notify message."""
    _txn, events = reg.parse_notify(message)
    out = []
    for e in events:
        for record in e.records:
            try:
                person = person_from_record(record)
            except RegisterProtocolError as err:
                raise EnvelopeError(f"notify_event[{e.reference_id}].reg_records", record,
                                    f"a person record ({err})") from None  # fmt: skip
            kind = reg.event_kind(e, record if isinstance(record, Mapping) else {})
            out.append((e.reference_id, person.personal_id, kind, person.death_date, e.at))
    return out


def _subscriptions(message: dict[str, Any]) -> list[tuple[str, str]]:
    _txn, answers = reg.parse_subscribe_response(message)
    return [(a.reference_id, code) for a in answers if a.status == "succ" for code in a.codes]


def registry_callback_receive(*, actor: User, client_id: str, body: Any, action: str) -> Answer:
    """A registry callback (``notify``, ``on-search``, ``on-subscribe``) from the register's
    machine client: checked, recorded once, audited; answered ACK, or ERR naming the fault."""
    if not settings.CHITRA_REGISTER_CLIENT_ID or client_id != settings.CHITRA_REGISTER_CLIENT_ID:
        return _answer("ERR", "", "err.request.forbidden",
                       "this client is not the population register's")  # fmt: skip
    try:
        header, message = _check(body, action)
        events = _events(message) if action == "notify" else []
        subs = _subscriptions(message) if action == "on-subscribe" else []
        if action == "on-search":
            reg.parse_search_response(message)
    except EnvelopeError as e:
        return _answer("ERR", "", e.code, str(e))
    sender = header.sender_id or settings.CHITRA_REGISTER_ID
    sha = _sha(body["header"], message)
    try:
        with transaction.atomic():
            received = RegisterMessage.objects.create(
                sender_id=sender,
                message_id=header.message_id,
                action=action,
                transaction_id=str(message.get("transaction_id", ""))[:99],
                status=header.status,
                sha256=sha,
                events=len(events) or len(subs),
            )
            _store(received, events, subs, str(message.get("transaction_id", "")))
            _audit(actor, action, received, events, subs)
    except IntegrityError:  # the same message again: answered, not applied twice
        return _repeat(sender, header.message_id, sha)
    return _answer("ACK", header.message_id)


def _audit(
    actor: User,
    action: str,
    received: RegisterMessage,
    events: list[tuple[str, str, str, dt.date | None, dt.datetime]],
    subs: list[tuple[str, str]],
) -> None:
    recorded = (
        "verification.register.notify"
        if action == "notify"
        else "verification.register.on_search"
        if action == "on-search"
        else "verification.register.on_subscribe"
    )
    audit_record(
        actor,
        recorded,
        obj=received,
        after={
            "message_id": received.message_id,
            "deaths": sum(1 for e in events if e[2] == "death"),
            "corrections": sum(1 for e in events if e[2] == "correction"),
            "subscriptions": [code for _ref, code in subs],
        },
    )


def _repeat(sender: str, message_id: str, sha: str) -> Answer:
    """A message_id already received: ACK for the very same message; another message under
    it is refused (answered ACK it would be dropped unseen, a death never noted)."""
    first = RegisterMessage.objects.filter(sender_id=sender, message_id=message_id).first()
    if first is not None and first.sha256 != sha:
        text = f"header.message_id {message_id!r} was already used for another message"
        return _answer("ERR", message_id, "err.request.bad", text)
    return _answer("ACK", message_id)


def _store(
    received: RegisterMessage,
    events: list[tuple[str, str, str, dt.date | None, dt.datetime]],
    subs: list[tuple[str, str]],
    transaction_id: str,
) -> None:
    RegisterEvent.objects.bulk_create(
        [
            RegisterEvent(
                message=received,
                reference_id=ref[:99],
                personal_id=pid,
                kind=kind,
                death_date=died,
                event_at=at,
            )
            for ref, pid, kind, died, at in events
        ]
    )
    for ref, code in subs:
        RegisterSubscription.objects.update_or_create(
            code=code,
            defaults={"reference_id": ref[:99], "transaction_id": transaction_id[:99]},
        )


def notified_ids_since(since: dt.datetime) -> set[str]:
    """Personal IDs the register notified (death, correction) since ``since``."""
    return set(
        RegisterEvent.objects.filter(received_at__gte=since).values_list("personal_id", flat=True)
    )


# -- subscribe ---------------------------------------------------------------------------------


def subscribe_message(
    *, province_code: str = "", now: dt.datetime | None = None, days: int = 365
) -> dict[str, Any]:
    """A ``SubscribeRequest`` for death events and record updates (of one province when
    given: a predicate on ``province_code``, else every person: a named query)."""
    now = now or timezone.now()
    flt: Any
    if province_code:
        kind, flt = (
            "predicate",
            reg.predicate_query(reg.predicate("province_code", "eq", province_code)),
        )
    else:
        kind, flt = "namedQuery", reg.named_query("vn:all_persons", {})
    base = {
        "reg_type": "ns:vn:RegistryType:Population",
        "filter_type": kind,
        "filter": flt,
        "notify_record_type": "person",
    }
    return reg.build_subscribe_request(
        uuid.uuid4().hex,
        [("death", {**base, "reg_sub_type": DEATH}), ("update", {**base, "reg_sub_type": UPDATE})],
        at=now,
        until=now + dt.timedelta(days=days),
    )


def register_subscribe(
    *, actor: User, province_code: str = "", client: httpx.Client | None = None
) -> str:
    """Ask the register (``CHITRA_REGISTER_URL``) to notify deaths and corrections to
    ``CHITRA_G2P_CALLBACK_URL``; answers the transaction id (the subscription codes come
    with ``/registry/on-subscribe``). Audited."""
    require_perm(actor, Perm.VERIFY_RUN)
    callback = settings.CHITRA_G2P_CALLBACK_URL
    if not callback:
        raise ChitraError("CHITRA_G2P_CALLBACK_URL is not set: the register would not know "
                          "where to send its notifications.")  # fmt: skip
    now = timezone.now()
    message = subscribe_message(province_code=province_code, now=now)
    header = Header(
        message_id=uuid.uuid4().hex, message_ts=now, action="subscribe",
        sender_id=settings.CHITRA_G2P_SENDER_ID, receiver_id=settings.CHITRA_REGISTER_ID,
        total_count=len(message["subscribe_request"]), sender_uri=callback,
    ).to_json()  # fmt: skip
    body = {"signature": sign(header, message), "header": header, "message": message}
    http = client or httpx.Client(timeout=settings.CHITRA_REGISTER_TIMEOUT)
    url = settings.CHITRA_REGISTER_URL.rstrip("/") + SUBSCRIBE_PATH
    try:
        resp = http.post(url, json=body)
        answer = parse_ack(resp.json())
    except (httpx.HTTPError, ValueError) as e:
        raise ChitraError(f"The register did not take the subscription ({url}): {e}") from e
    finally:
        if client is None:
            http.close()
    if answer.status != "ACK":
        raise ChitraError(
            f"The register refused the subscription: {answer.status} {answer.error_code} "
            f"{answer.error_message}".strip()
        )
    audit_record(
        actor,
        "verification.register.subscribe",
        object_type="register",
        object_id=settings.CHITRA_REGISTER_ID,
        object_repr=settings.CHITRA_REGISTER_ID,
        after={"transaction_id": message["transaction_id"], "province": province_code or None},
    )
    return str(message["transaction_id"])
