"""G2P Connect disburse with providers whose profile says ``exchange = g2p_push``.

* :func:`batch_push`: a released batch sent to the provider's ``/disburse`` (it answers
  ``ACK`` and calls back ``/on-disburse``) or ``/disburse/sync/disburse`` (the statuses come
  in the answer); the request is signed (detached JWS, chitra's key) and carries a bearer JWT.
* :func:`callback_receive`: an ``/on-disburse`` or ``/disburse/txn/on-status`` callback,
  from the machine client of the provider (OAuth2 bearer token), signature verified with the
  provider's registered key, de-duplicated by (sender, message_id), answered ACK / ERR.
* :func:`status_poll`: ``/disburse/txn/status`` (answer by callback) or
  ``/disburse/sync/txn/status``.

Final statuses (``succ`` / ``rjct``, reason codes mapped to the return-reason catalogue) go
through :func:`results_apply` whole or not at all; ``rcvd`` / ``pdng`` lines are counted on
the message and change no money. Every message in and out is a :class:`G2PMessage`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core.audit import audit_record
from chitra.core.crypto import decrypt
from chitra.core.errors import ChitraError
from chitra.disbursement.models import (
    Batch,
    Channel,
    Cycle,
    G2PMessage,
    LineStatus,
    PayrollLine,
    ProviderProfile,
    ReturnReason,
)
from chitra.disbursement.results import ResultRow, ResultsRejected, results_apply
from chitra.engine import g2p
from chitra.engine.g2p import jws
from chitra.iam.access import Perm, require_perm
from chitra.iam.models import User
from chitra.iam.oauth import key_id, signing_key
from chitra.payment_methods.models import Provider

WALLET_CHANNELS = frozenset({Channel.MOBILE_MONEY, Channel.EWALLET})


class G2PCallError(ChitraError):
    """The provider could not be reached or answered something unreadable."""


@dataclass(frozen=True)
class Answer:
    http_status: int
    body: dict[str, Any]


# -- building ----------------------------------------------------------------------------------


def g2p_profile(provider: Provider | None) -> ProviderProfile:
    profile = (
        ProviderProfile.objects.filter(provider=provider).first() if provider is not None else None
    )
    if profile is None or profile.exchange != ProviderProfile.Exchange.G2P_PUSH:
        raise ChitraError(_("This provider does not take G2P Connect disburse messages."))
    if not (profile.g2p_base_url and profile.g2p_receiver_id and profile.g2p_public_key):
        raise ChitraError(
            _("The provider's G2P Connect address, id and public key must all be set.")
        )
    return profile


def payee_fa(line: PayrollLine) -> str:
    """``account:<number>@<bank BIN>`` or ``mobile:<number>@<wallet provider code>``."""
    if line.account is None or line.provider is None:
        raise ChitraError(
            _("Line %(ref)s has no account: cash is not sent by G2P Connect.")
            % {"ref": line.reference}
        )
    kind = "mobile" if line.channel in WALLET_CHANNELS else "account"
    number = decrypt(line.account.number_encrypted)
    return str(g2p.FinancialAddress.build(kind, number, line.provider.code))


def payer_fa() -> str:
    return str(
        g2p.FinancialAddress.build(
            "account", settings.CHITRA_DEBTOR_ACCOUNT, settings.CHITRA_DEBTOR_BIN
        )
    )


def _disbursements(batch: Batch) -> Iterator[list[g2p.Disbursement]]:
    """The batch's lines waiting for their result, CHITRA_G2P_MAX_PER_MESSAGE at a time."""
    lines = (
        PayrollLine.objects.filter(batch=batch, live=True, status=LineStatus.SENT)
        .select_related("account", "provider")
        .order_by("id")
    )
    payer = payer_fa()
    when = _scheduled(batch)
    size = max(1, settings.CHITRA_G2P_MAX_PER_MESSAGE)
    chunk: list[g2p.Disbursement] = []
    for ln in lines.iterator(chunk_size=2000):
        chunk.append(
            g2p.Disbursement(
                reference_id=ln.reference,
                payer_fa=payer,
                payee_fa=payee_fa(ln),
                amount=ln.amount,
                payee_name=ln.payee_name,
                payer_name=settings.CHITRA_DEBTOR_NAME,
                note=f"BHXH {ln.benefit_type} {ln.period_month:%m/%Y}",
                purpose="PENS" if ln.benefit_type.startswith("PENSION") else "SSBE",
                scheduled_timestamp=when,
            )
        )
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _scheduled(batch: Batch) -> dt.datetime | None:
    """The cycle's account credit date (pain.001's ReqdExctnDt) when still ahead: the
    provider schedules the payment; from that day on, none (pay now)."""
    day = batch.cycle.account_credit_date
    if day is None or day <= timezone.localdate():
        return None
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=timezone.get_current_timezone())


def _header(action: str, profile: ProviderProfile, total: int) -> g2p.Header:
    callback = settings.CHITRA_G2P_CALLBACK_URL
    return g2p.Header(
        message_id=uuid.uuid4().hex,
        message_ts=timezone.now(),
        action=action,
        sender_id=settings.CHITRA_G2P_SENDER_ID,
        receiver_id=profile.g2p_receiver_id,
        total_count=total,
        sender_uri=f"{callback.rstrip('/')}/on-disburse" if callback else "",
    )


def _signed(header: g2p.Header, message: dict[str, Any]) -> dict[str, Any]:
    h = header.to_json()
    sig = jws.sign_envelope(h, message, signing_key(), kid=key_id(), created=int(time.time()))
    return g2p.build_envelope(header, message, sig)


def _sha(header: dict[str, Any], message: Any) -> str:
    return hashlib.sha256(jws.envelope_payload(header, message)).hexdigest()


def _bearer(profile: ProviderProfile) -> str:
    now = int(time.time())
    claims = {
        "iss": settings.CHITRA_G2P_SENDER_ID,
        "aud": profile.g2p_receiver_id,
        "iat": now,
        "exp": now + 300,
        "jti": uuid.uuid4().hex,
    }
    return jws.jwt_encode(claims, signing_key(), kid=key_id())


def _post(profile: ProviderProfile, path: str, envelope: dict[str, Any]) -> dict[str, Any]:
    url = profile.g2p_base_url.rstrip("/") + path
    try:
        r = httpx.post(
            url,
            json=envelope,
            headers={"Authorization": f"Bearer {_bearer(profile)}"},
            timeout=settings.CHITRA_G2P_TIMEOUT,
        )
    except httpx.TimeoutException:
        text = _("The provider did not answer in time (%(url)s).") % {"url": url}
        raise G2PCallError(text) from None
    except httpx.HTTPError as e:
        raise G2PCallError(
            _("The provider could not be reached (%(url)s): %(why)s.") % {"url": url, "why": e}
        ) from None
    try:
        body = r.json()
    except ValueError:
        body = None
    if r.status_code >= 400 or not isinstance(body, dict):
        raise G2PCallError(
            _("The provider answered HTTP %(code)s to %(url)s.")
            % {"code": r.status_code, "url": url}
        )
    return body


# -- sending -----------------------------------------------------------------------------------


def _require_batch(actor: User, batch: Batch) -> tuple[Batch, ProviderProfile]:
    require_perm(actor, Perm.PAYMENT_RUN)
    batch = Batch.objects.select_related("cycle", "provider").get(pk=batch.pk)
    if not actor.is_national and actor.area_province_id != batch.cycle.province_id:
        raise ChitraError(_("This cycle is not of your province."))
    if batch.status != Batch.Status.RELEASED:
        raise ChitraError(_("Only a released batch can be sent."))
    return batch, g2p_profile(batch.provider)


def require_batch(*, actor: User, batch: Batch) -> None:
    """Refuses (ChitraError) what `batch_push` and `status_poll` would refuse before any
    exchange: the actor's right and province, the batch's state, the provider's profile."""
    _require_batch(actor, batch)


def _record_out(
    batch: Batch, header: g2p.Header, envelope: dict[str, Any], lines: int
) -> G2PMessage:
    assert batch.provider is not None
    return G2PMessage.objects.create(
        direction=G2PMessage.Direction.OUT,
        provider=batch.provider,
        batch=batch,
        sender_id=header.sender_id,
        message_id=header.message_id,
        action=header.action,
        transaction_id=envelope["message"]["transaction_id"],
        sha256=_sha(envelope["header"], envelope["message"]),
        lines=lines,
        at=timezone.now(),
    )


def _exchange(
    actor: User, batch: Batch, profile: ProviderProfile, kind: str, paths: tuple[str, str],
    header: g2p.Header, message: dict[str, Any], lines: int,
) -> G2PMessage:  # fmt: skip
    envelope = _signed(header, message)
    sent = _record_out(batch, header, envelope, lines)
    audit = {"message_id": header.message_id, "kind": kind, "lines": lines}
    try:
        if profile.g2p_sync:
            body = _post(profile, paths[0], envelope)
            answer = _apply_envelope(actor, batch.provider, profile, body, kind=kind)
            sent.ack_status = answer.body["message"]["ack_status"]
            sent.error = answer.body["message"].get("error", {}).get("message", "")
        else:
            got = g2p.parse_ack(_post(profile, paths[1], envelope))
            sent.ack_status, sent.correlation_id = got.status, got.correlation_id[:99]
            sent.error = f"{got.error_code} {got.error_message}".strip()[:1000]
    except (G2PCallError, g2p.EnvelopeError) as e:
        sent.error = str(e)[:1000]
    sent.save(update_fields=["ack_status", "correlation_id", "error"])
    audit_record(
        actor,
        "payment.g2p_send",
        obj=batch,
        after=audit | {"ack_status": sent.ack_status, "error": sent.error},
    )
    return sent


def batch_push(*, actor: User, batch: Batch) -> list[G2PMessage]:
    """Send the lines of a released batch still waiting for their result (status sent), in
    messages of at most CHITRA_G2P_MAX_PER_MESSAGE disbursements, all under the batch
    reference as transaction_id; a second push after a timeout sends them again under the
    same transaction_id, so the provider can tell a repeat by its reference_ids. Stops at the
    first message the provider does not take (the rest wait for the next push)."""
    batch, profile = _require_batch(actor, batch)
    paths = ("/disburse/sync/disburse", "/disburse")
    sent: list[G2PMessage] = []
    for items in _disbursements(batch):
        message = g2p.build_disburse_request(batch.reference, items)
        header = _header("disburse", profile, len(items))
        sent.append(
            _exchange(actor, batch, profile, "disburse", paths, header, message, len(items))
        )
        if sent[-1].ack_status not in ("ACK", "NACK"):
            break
    if not sent:
        raise ChitraError(_("No line of this batch is waiting to be sent."))
    return sent


def status_poll(*, actor: User, batch: Batch) -> G2PMessage:
    """Ask the provider for the status of the batch's transaction."""
    batch, profile = _require_batch(actor, batch)
    message = g2p.build_txn_status_request(batch.reference, uuid.uuid4().hex)
    # the spec's header action for /disburse/txn/status is the callback's: on-disburse
    header = _header("on-disburse", profile, 1)
    paths = ("/disburse/sync/txn/status", "/disburse/txn/status")
    return _exchange(actor, batch, profile, "txn_status", paths, header, message, 0)


# -- receiving ---------------------------------------------------------------------------------


def _err(code: str, text: str, correlation: str = "") -> Answer:
    body = g2p.ack(
        "ERR", correlation_id=correlation or "-", at=timezone.now(), error_code=code,
        error_message=text,
    )  # fmt: skip
    return Answer(401 if code == "err.request.unauthorized" else 200, body)


def callback_receive(*, actor: User, body: Any, kind: str) -> Answer:
    """An ``/on-disburse`` (kind ``disburse``) or ``/disburse/txn/on-status`` (kind
    ``txn_status``) callback from the machine client `actor` of a provider."""
    org = actor.organisation if actor.organisation_id else None
    code = org.provider_code if org is not None else ""
    provider = Provider.objects.filter(code=code).first() if code else None
    try:
        profile = g2p_profile(provider)
    except ChitraError as e:
        return _err("err.sender_id.invalid", str(e))
    return _apply_envelope(actor, provider, profile, body, kind=kind)


def _check_envelope(
    profile: ProviderProfile, body: Any, kind: str
) -> tuple[g2p.Header, dict[str, Any], dict[str, Any] | None]:
    header, message, signature = g2p.parse_envelope(
        body, callback=True, actions={"on-disburse", "on-search"}, message_required=False
    )
    if header.sender_id and header.sender_id != profile.g2p_receiver_id:
        raise g2p.EnvelopeError(
            "header.sender_id", header.sender_id, profile.g2p_receiver_id, "err.sender_id.invalid"
        )
    if header.receiver_id and header.receiver_id != settings.CHITRA_G2P_SENDER_ID:
        raise g2p.EnvelopeError(
            "header.receiver_id", header.receiver_id, settings.CHITRA_G2P_SENDER_ID,
            "err.receiver_id.invalid",
        )  # fmt: skip
    if not signature:
        raise g2p.EnvelopeError("signature", "", "present", "err.signature.missing")
    try:
        jws.verify_envelope(
            signature, body["header"], message, jws.load_public(profile.g2p_public_key)
        )
    except (jws.SignatureError, ValueError) as e:
        raise g2p.EnvelopeError("signature", "…", f"valid ({e})", "err.signature.invalid") from None
    return header, body["header"], message


def _statuses(kind: str, message: dict[str, Any] | None) -> tuple[str, list[Any]]:
    if message is None:
        return "", []
    if kind == "txn_status":
        tx, _corr, statuses = g2p.parse_txn_status_response(message)
        return tx, statuses
    return g2p.parse_disburse_response(message)


def _apply_envelope(
    actor: User, provider: Provider | None, profile: ProviderProfile, body: Any, *, kind: str
) -> Answer:
    try:
        header, raw_header, message = _check_envelope(profile, body, kind)
        tx, statuses = _statuses(kind, message)
    except g2p.EnvelopeError as e:
        return _err(e.code, str(e))
    assert provider is not None
    sha = _sha(raw_header, message)
    # the record and what it applies commit together: a crash half-way leaves no record, so
    # the provider's retry is applied, never answered ACK for nothing
    with transaction.atomic():
        try:
            with transaction.atomic():
                received = G2PMessage.objects.create(
                    direction=G2PMessage.Direction.IN,
                    provider=provider,
                    sender_id=header.sender_id or profile.g2p_receiver_id,
                    message_id=header.message_id,
                    action=header.action,
                    transaction_id=tx,
                    status=header.status,
                    sha256=sha,
                    lines=len(statuses),
                    pending=sum(1 for s in statuses if s.status in ("rcvd", "pdng")),
                    error=f"{header.status_reason_code} {header.status_reason_message}".strip(),
                    at=timezone.now(),
                )
        except IntegrityError:
            return _repeat(profile, header, sha)
        return _apply_statuses(actor, provider, received, tx, statuses)


def _repeat(profile: ProviderProfile, header: g2p.Header, sha: str) -> Answer:
    """The same message again: the same answer, nothing applied twice."""
    first = G2PMessage.objects.get(
        direction=G2PMessage.Direction.IN,
        sender_id=header.sender_id or profile.g2p_receiver_id,
        message_id=header.message_id,
    )
    if first.sha256 != sha:
        return _err(
            "err.request.bad",
            f"header.message_id {header.message_id!r} was already used for another message",
        )
    return _answer(first)


def _answer(received: G2PMessage) -> Answer:
    corr = f"chitra-{received.pk}"
    if received.ack_status == "ERR":
        code, _sep, text = received.error.partition(" ")
        return _err(code if code in g2p.ERROR_CODES else "err.request.bad", text, corr)
    return Answer(
        200, g2p.ack(received.ack_status or "ACK", correlation_id=corr, at=timezone.now())
    )


def _apply_statuses(
    actor: User, provider: Provider, received: G2PMessage, tx: str, statuses: list[Any]
) -> Answer:
    final = [s for s in statuses if s.status in ("succ", "rjct")]
    try:
        if final:
            batch = Batch.objects.filter(provider=provider, reference=tx).first()
            if batch is None:
                raise ChitraError(f"message.transaction_id {tx!r} is not a batch of this provider")
            rows = _rows(final)
            outcome = results_apply(
                actor=actor,
                cycle=Cycle.objects.get(pk=batch.cycle_id),
                rows=rows,
                sha256=received.sha256,
                source="g2p",
                file_name=f"{tx} {received.message_id}",
                batch_id=batch.pk,
                pending=[received.pending],
            )
            received.batch = batch
            received.result_import = outcome.result_import
        elif tx:
            received.batch = Batch.objects.filter(provider=provider, reference=tx).first()
        received.ack_status = "ACK"
    except ResultsRejected as e:
        shown = "; ".join(f"{i.code} {i.value}" for i in e.issues[:5])
        received.ack_status, received.error = "ERR", f"err.request.bad {e}: {shown}"[:1000]
    except (ChitraError, ValueError) as e:
        received.ack_status, received.error = "ERR", f"err.request.bad {e}"[:1000]
    received.save(update_fields=["ack_status", "error", "batch", "result_import"])
    return _answer(received)


def _rows(final: list[Any]) -> list[ResultRow]:
    catalogue = set(ReturnReason.objects.values_list("code", flat=True))
    rows = []
    for n, s in enumerate(final, 1):
        reason = ""
        if s.status == "rjct":
            try:
                reason = g2p.catalogue_reason(s.status_reason_code, catalogue)
            except ValueError as e:
                raise ValueError(f"message.disbursements_status[{n - 1}]: {e}") from None
        rows.append(ResultRow(n, s.reference_id, s.status, reason, s.amount))
    return rows


def exchange_status(batch: Batch) -> dict[str, Any]:
    """What the cycle page shows for a G2P batch: the last push and the last callback."""
    msgs = G2PMessage.objects.filter(batch=batch).order_by("-at", "-id")
    sent = msgs.filter(direction=G2PMessage.Direction.OUT, action="disburse").first()
    received = msgs.filter(direction=G2PMessage.Direction.IN).first()
    pending = PayrollLine.objects.filter(batch=batch, live=True, status=LineStatus.SENT).count()
    return {"sent": sent, "received": received, "waiting": pending, "at": _at(sent, received)}


def _at(*msgs: G2PMessage | None) -> dt.datetime | None:
    times = [m.at for m in msgs if m is not None]
    return max(times) if times else None


def provider_exchange_set(
    *,
    actor: User,
    provider: Provider,
    exchange: str,
    base_url: str = "",
    receiver_id: str = "",
    public_key: str = "",
    sync: bool = False,
) -> ProviderProfile:
    """How batches reach a provider: files, the pull API, or G2P Connect push (with the
    provider's base URL, its id in headers and its Ed25519 public key), audited."""
    require_perm(actor, Perm.PROVIDER_EDIT)
    if exchange not in ProviderProfile.Exchange.values:
        raise ChitraError(
            _("The exchange must be one of %(known)s.")
            % {"known": ", ".join(ProviderProfile.Exchange.values)}
        )
    if exchange == ProviderProfile.Exchange.G2P_PUSH:
        if not base_url.startswith(("https://", "http://")) or not receiver_id:
            raise ChitraError(_("G2P Connect push needs the provider's base URL and its id."))
        try:
            jws.load_public(public_key)
        except ValueError as e:
            raise ChitraError(str(e)) from None
    with transaction.atomic():
        profile, _created = ProviderProfile.objects.select_for_update().get_or_create(
            provider=provider
        )
        fields = ("exchange", "g2p_base_url", "g2p_receiver_id", "g2p_sync")
        before = {f: getattr(profile, f) for f in fields}
        profile.exchange, profile.g2p_sync = exchange, sync
        profile.g2p_base_url, profile.g2p_receiver_id = base_url, receiver_id
        profile.g2p_public_key = public_key
        profile.save()
        after = {f: getattr(profile, f) for f in fields}
        after["g2p_public_key_sha256"] = hashlib.sha256(public_key.encode()).hexdigest()
        audit_record(actor, "payment.g2p_exchange", obj=profile, before=before, after=after)
    return profile
