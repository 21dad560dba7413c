"""G2P Connect mapper over the payment-method register (``/api/g2p/mapper/sync/<op>``).

Other programmes' machine clients (OAuth2 client credentials; each acts as its user, with
that user's permissions and area) ask chitra for a person's financial address:

* ``resolve``: a person id ``uin:<personal ID>@vn.nid`` -> the account chitra pays into this
  month as ``account:<number>@<bank BIN>`` (``mobile:`` for wallets); only when the person's
  latest answer in the registry consent log for ``data_sharing_with_provider`` is a consent,
  only for people in the client's area (anyone else is ``succ.id.not_found``); ``yes_no``
  answers the status alone, ``details`` adds ``fa`` and ``account_provider_info``;
* ``link`` / ``update``: a new financial address becomes a payment change request (source
  API) carrying the consent recorded in the consent log for ``payment_method_change``; it is
  answered ``pdng`` and takes effect only when a BHXH approver approves it (maker-checker);
* ``unlink``: refused (``rjct``): chitra never leaves a pensioner without a way to be paid; a
  change of account is an ``update``.

Every message is recorded once by (client, message_id): a repeat gets the same answer. Every
message is audited with its counts (never the numbers). The answer is signed with chitra's key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from chitra.core.audit import audit_record
from chitra.core.crypto import decrypt
from chitra.core.errors import ChitraError
from chitra.engine.g2p import jws
from chitra.engine.g2p import mapper as m
from chitra.engine.g2p.disburse import FinancialAddress
from chitra.engine.g2p.envelope import EnvelopeError, Header, ack, parse_envelope
from chitra.iam.access import Perm, scope_queryset
from chitra.iam.models import User
from chitra.iam.oauth import key_id, signing_key
from chitra.payment_methods.models import (
    ChangeRequest,
    MapperMessage,
    Method,
    PaymentMethod,
    Provider,
    ProviderKind,
)
from chitra.payment_methods.selectors import method_for_month
from chitra.registry.models import Beneficiary
from chitra.registry.services import consent_current

#: id types read as the Vietnamese personal ID (CCCD, 12 digits), and the id provider
ID_TYPES = frozenset({"uin", "cccd", "nid"})
WALLET_KINDS = frozenset({ProviderKind.MOBILE_MONEY, ProviderKind.EWALLET})


@dataclass(frozen=True)
class Answer:
    http_status: int
    body: dict[str, Any]


def person_id(pid: str) -> str:
    return f"uin:{pid}@{settings.CHITRA_MAPPER_ID_PROVIDER}"


def fa_of(method: PaymentMethod) -> str:
    assert method.account is not None
    provider = method.account.provider
    kind = "mobile" if provider.kind in WALLET_KINDS else "account"
    number = decrypt(method.account.number_encrypted)
    return str(FinancialAddress.build(kind, number, provider.code))


def _err(code: str, text: str) -> Answer:
    body = ack("ERR", correlation_id="-", at=timezone.now(), error_code=code, error_message=text)
    return Answer(200, body)


def _pid(item: m.MapperItem) -> str | None:
    """The personal ID an item names, or None when its id is not chitra's kind."""
    if item.id is None or item.id.provider != settings.CHITRA_MAPPER_ID_PROVIDER:
        return None
    if item.id.id_type not in ID_TYPES or len(item.id.id) != 12 or not item.id.id.isdigit():
        return None
    return item.id.id


def _person(actor: User, pid: str | None, perm: Perm) -> Beneficiary | None:
    if pid is None:
        return None
    return (
        scope_queryset(actor, Beneficiary.objects.all(), perm=perm).filter(personal_id=pid).first()
    )


def _consented(ben: Beneficiary, purpose: str) -> Any:
    c = consent_current(ben).get(purpose)
    return c if c is not None and c.given else None


# -- resolve -----------------------------------------------------------------------------------


def _resolve_one(actor: User, item: m.MapperItem, month: dt.date) -> m.MapperAnswer:
    ref = item.reference_id
    if item.id is None:
        return m.MapperAnswer(
            ref,
            "rjct",
            "rjct.resolve_type.not_supported",
            "chitra resolves a person id, not a financial address alone",
        )
    pid = _pid(item)
    if pid is None:
        return m.MapperAnswer(
            ref,
            "rjct",
            "rjct.id.invalid",
            f"an id uin:<12 digits>@{settings.CHITRA_MAPPER_ID_PROVIDER} is expected",
        )
    ben = _person(actor, pid, Perm.REGISTRY_VIEW)
    if ben is None:
        return m.MapperAnswer(ref, "succ", "succ.id.not_found", id=str(item.id))
    if _consented(ben, "data_sharing_with_provider") is None:
        return m.MapperAnswer(
            ref,
            "rjct",
            "rjct.id.invalid",
            "the person has not consented to share their financial address",
        )
    method = method_for_month(ben, month, actor=actor)
    if method is None or method.account is None:
        return m.MapperAnswer(ref, "succ", "succ.fa.not_found", id=str(item.id))
    fa = fa_of(method)
    if item.fa is not None and str(item.fa) != fa:
        return m.MapperAnswer(ref, "succ", "succ.fa.not_linked_to_id", id=str(item.id))
    if item.scope != "details":
        return m.MapperAnswer(ref, "succ", "succ.fa.active", id=str(item.id))
    provider = method.account.provider
    return m.MapperAnswer(
        ref,
        "succ",
        "succ.fa.active",
        fa=fa,
        id=str(item.id),
        provider_name=provider.name,
        provider_code=provider.code,
    )


# -- link / update -----------------------------------------------------------------------------


def _method_for(provider: Provider) -> str:
    if provider.kind == ProviderKind.MOBILE_MONEY:
        return str(Method.MOBILE_MONEY)
    if provider.kind == ProviderKind.EWALLET:
        return str(Method.EWALLET)
    return str(Method.BANK_ACCOUNT)


def _link_one(actor: User, item: m.MapperItem, operation: str) -> m.MapperAnswer:
    from chitra.payment_methods.services import change_request_create

    ref = item.reference_id
    bad = "rjct.id.invalid" if operation == "link" else ""
    ben = _person(actor, _pid(item), Perm.REGISTRY_VIEW)
    if ben is None:
        return m.MapperAnswer(ref, "rjct", bad, "no such person in the client's area")
    consent = _consented(ben, "payment_method_change")
    if consent is None:
        return m.MapperAnswer(
            ref,
            "rjct",
            "rjct.other.error" if operation == "link" else "",
            "no consent to change how the person is paid is recorded",
        )
    assert item.fa is not None
    provider = Provider.objects.filter(code__iexact=item.fa.provider).first()
    if provider is None:
        return m.MapperAnswer(
            ref,
            "rjct",
            "rjct.fa.invalid" if operation == "link" else "",
            f"no provider {item.fa.provider} is known to chitra",
        )
    try:
        cr = change_request_create(
            actor=actor,
            beneficiary=ben,
            method=_method_for(provider),
            source=ChangeRequest.Source.API,
            provider=provider,
            number=item.fa.id,
            holder_name=item.name or ben.full_name,
            consent_date=consent.date,
            consent_channel=consent.channel,
        )
    except (ChitraError, PermissionDenied, Http404) as e:
        code = "rjct.fa.invalid" if operation == "link" else ""
        return m.MapperAnswer(ref, "rjct", code, (str(e) or "not allowed")[:999])
    return m.MapperAnswer(
        ref,
        "pdng",
        fa=str(item.fa),
        id=str(item.id),
        reason_message="waiting for approval by BHXH",
        additional_info=(("change_request", str(cr.pk)), ("status", cr.status)),
    )


def _answers(actor: User, operation: str, items: list[m.MapperItem]) -> list[m.MapperAnswer]:
    if operation == "resolve":
        today = timezone.localdate()
        return [_resolve_one(actor, it, today.replace(day=1)) for it in items]
    if operation == "unlink":
        why = "chitra never removes how a pensioner is paid: send update with the new address"
        return [m.MapperAnswer(it.reference_id, "rjct", "", why, id=str(it.id)) for it in items]
    return [_link_one(actor, it, operation) for it in items]


# -- the envelope ------------------------------------------------------------------------------


def _signed(request: Header, operation: str, message: dict[str, Any]) -> dict[str, Any]:
    header = Header(
        message_id=uuid.uuid4().hex,
        message_ts=timezone.now(),
        action=f"on-{operation}",
        sender_id=settings.CHITRA_G2P_SENDER_ID,
        receiver_id=request.sender_id,
        total_count=request.total_count,
        status="succ",
        completed_count=len(message[f"{operation}_response"]),
    ).to_json()
    kid = key_id()
    sig = jws.sign_envelope(header, message, signing_key(), kid=kid, created=int(time.time()))
    return {"signature": sig, "header": header, "message": message}


def mapper_handle(*, actor: User, client_id: str, body: Any, operation: str) -> Answer:
    """One sync mapper request of the machine client `actor`: the signed answer envelope, or
    ERR naming the element at fault. A repeated message_id gets the stored answer."""
    if operation not in m.OPERATIONS:
        return _err("err.request.not_found", f"no mapper operation {operation}")
    try:
        header, message, _signature = parse_envelope(body, callback=False, actions={operation})
        txn, items = m.parse_request(operation, message)
    except EnvelopeError as e:
        return _err(e.code, str(e))
    asked = request_digest(operation, items)
    earlier = MapperMessage.objects.filter(
        client_id=client_id, message_id=header.message_id
    ).first()
    if earlier is not None:
        return _repeat(earlier, asked)
    try:
        with transaction.atomic():
            answers = _answers(actor, operation, items)
            out = m.build_response(operation, txn, uuid.uuid4().hex, answers, at=timezone.now())
            envelope = _signed(header, operation, out)
            saved = MapperMessage.objects.create(
                client_id=client_id,
                message_id=header.message_id,
                operation=operation,
                transaction_id=txn,
                items=len(items),
                request_sha256=asked,
                answer=envelope,
            )
            action = (
                "payment.mapper.link"
                if operation == "link"
                else "payment.mapper.update"
                if operation == "update"
                else "payment.mapper.unlink"
                if operation == "unlink"
                else "payment.mapper.resolve"
            )
            audit_record(
                actor,
                action,
                obj=saved,
                after={
                    "client": client_id,
                    "items": len(items),
                    "statuses": _count(answers),
                    "reasons": sorted({a.reason_code for a in answers if a.reason_code}),
                },
            )
    except IntegrityError:  # the same message at the same time: the first answer stands
        earlier = MapperMessage.objects.get(client_id=client_id, message_id=header.message_id)
        return _repeat(earlier, asked)
    return Answer(200, envelope)


def request_digest(operation: str, items: list[m.MapperItem]) -> str:
    """SHA-256 of what a request asks (operation and items; not its timestamps)."""
    asked = [
        [it.reference_id, str(it.id or ""), str(it.fa or ""), it.name, it.phone_number, it.scope]
        for it in items
    ]
    return hashlib.sha256(jws.canonical([operation, asked])).hexdigest()


def _repeat(earlier: MapperMessage, asked: str) -> Answer:
    """The stored answer for a repeat; ERR for another request under a used message_id."""
    if earlier.request_sha256 and earlier.request_sha256 != asked:
        return _err(
            "err.request.bad",
            f"header.message_id {earlier.message_id!r} was already used for another message",
        )
    return Answer(200, earlier.answer)


def _count(answers: list[m.MapperAnswer]) -> dict[str, int]:
    out: dict[str, int] = {}
    for a in answers:
        out[a.status] = out.get(a.status, 0) + 1
    return out
