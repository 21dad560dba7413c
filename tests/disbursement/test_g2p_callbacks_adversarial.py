"""Adversarial probes of the G2P Connect disburse callbacks (``/api/g2p/on-disburse``, money):
each test is one attack by a provider's machine client (or someone holding its token) and
asserts that no line changes and nothing is recorded as applied."""

from __future__ import annotations

import json
import time
from typing import Any

from django.test import Client

from chitra.disbursement import g2p as g2p_service
from chitra.disbursement.models import G2PMessage, PayrollLine, ProviderProfile, ResultImport
from chitra.engine import g2p
from chitra.engine.g2p import jws
from chitra.iam.models import OrgKind, Role
from chitra.iam.oauth import oauth_client_create
from tests.disbursement import test_g2p_cycle as cycle_tests
from tests.disbursement.test_g2p_cycle import _batch, _statuses

released = cycle_tests.released  # the fixtures: a released cycle, the simulated Agribank
sim = cycle_tests.sim

VCB = "970436"


def _post(path: str, envelope: Any, token: str) -> tuple[int, Any]:
    r = Client().post(
        f"/api/g2p{path}",
        json.dumps(envelope),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    return r.status_code, r.json()


def _final(batch, status: str = "succ", amount_delta: int = 0) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    lines = PayrollLine.objects.filter(batch=batch, live=True).order_by("id")
    return g2p.build_disburse_response(
        batch.reference,
        [
            g2p.DisbursementStatus(
                ln.reference,
                status,
                g2p_now(),
                "rjct.payee_fa.invalid" if status == "rjct" else "",
                amount=(ln.amount + amount_delta) if status == "succ" else None,
            )
            for ln in lines
        ],
    )


def g2p_now():  # type: ignore[no-untyped-def]
    from chitra.demo.g2p_provider import _now

    return _now()


def _pushed(runner, batch, sim) -> None:  # type: ignore[no-untyped-def]
    g2p_service.batch_push(actor=runner, batch=batch)
    sim.outbox.clear()  # the simulator's own callbacks are not sent


def _nothing_applied(batch) -> None:  # type: ignore[no-untyped-def]
    assert set(_statuses(batch).values()) == {"sent"}
    assert not ResultImport.objects.filter(source="g2p").exists()


def test_another_providers_client_cannot_settle_this_providers_batch(  # type: ignore[no-untyped-def]
    released, sim, world, make_user, system, runner
):
    """Vietcombank's machine client, with its own valid token, key and profile, posts a
    correctly signed on-disburse naming Agribank's batch."""
    batch = _batch(released)
    _pushed(runner, batch, sim)
    vcb_user = make_user(OrgKind.BANK, Role.OFFICER, provider_code=VCB)
    vcb = oauth_client_create(actor=system, user=vcb_user, client_id="vcb-g2p", name="VCB")
    vcb_key = jws.generate_key()
    ProviderProfile.objects.update_or_create(
        provider=world.vcb,
        defaults={
            "exchange": ProviderProfile.Exchange.G2P_PUSH,
            "g2p_base_url": "http://127.0.0.1:9",
            "g2p_receiver_id": "vcb.sim",
            "g2p_public_key": jws.public_pem(vcb_key),
        },
    )
    sim.sender_id, sim.key = "vcb.sim", vcb_key  # the simulator now speaks as Vietcombank
    sim.client_id, sim.client_secret, sim._token = "vcb-g2p", vcb.secret, ""
    envelope = sim._envelope("on-disburse", _final(batch), 1)
    status, body = _post("/on-disburse", envelope, sim.token())
    assert status == 200 and body["message"]["ack_status"] == "ERR"
    assert "not a batch of this provider" in body["message"]["error"]["message"]
    _nothing_applied(batch)


def test_a_valid_signature_over_a_changed_body_is_refused(released, sim, runner):  # type: ignore[no-untyped-def]
    """The provider's genuine 'all rejected' callback, altered in transit to 'all paid'."""
    batch = _batch(released)
    _pushed(runner, batch, sim)
    envelope = sim._envelope("on-disburse", _final(batch, "rjct"), 1)
    forged = _final(batch, "succ")["disbursements_status"]
    envelope["message"]["disbursements_status"] = forged
    _status, body = _post("/on-disburse", envelope, sim.token())
    assert body["message"]["ack_status"] == "ERR", body
    assert body["message"]["error"]["code"] == "err.signature.invalid"
    _nothing_applied(batch)
    assert not G2PMessage.objects.filter(direction="in").exists()


def test_a_replayed_message_id_with_another_body_is_refused(released, sim, runner):  # type: ignore[no-untyped-def]
    """A first, harmless 'pending' message; then the same message_id, validly re-signed,
    carrying final statuses: a de-duplication keyed on message_id alone would answer ACK
    and drop it, or worse apply it under the first record."""
    batch = _batch(released)
    _pushed(runner, batch, sim)
    lines = PayrollLine.objects.filter(batch=batch, live=True)
    pending = g2p.build_disburse_response(
        batch.reference,
        [g2p.DisbursementStatus(ln.reference, "pdng", g2p_now()) for ln in lines],
    )
    first = sim._envelope("on-disburse", pending, 0)
    assert _post("/on-disburse", first, sim.token())[1]["message"]["ack_status"] == "ACK"
    header = dict(first["header"])
    message = _final(batch, "succ")
    sig = jws.sign_envelope(
        header, message, sim.key, kid=jws.key_id(sim.sender_id, "1"), created=int(time.time())
    )
    _status, body = _post(
        "/on-disburse", {"signature": sig, "header": header, "message": message}, sim.token()
    )
    assert body["message"]["ack_status"] == "ERR"
    assert "already used for another message" in body["message"]["error"]["message"]
    _nothing_applied(batch)


def test_amounts_that_differ_from_the_lines_refuse_the_whole_callback(released, sim, runner):  # type: ignore[no-untyped-def]
    batch = _batch(released)
    _pushed(runner, batch, sim)
    envelope = sim._envelope("on-disburse", _final(batch, "succ", amount_delta=1), 1)
    _status, body = _post("/on-disburse", envelope, sim.token())
    assert body["message"]["ack_status"] == "ERR"
    assert "amount" in body["message"]["error"]["message"]
    _nothing_applied(batch)


def test_succ_for_lines_already_rejected_does_not_pay_them(released, sim, runner):  # type: ignore[no-untyped-def]
    """All lines rejected (failed, the money returned to the cycle); later a new message
    says they succeeded: the failed lines must not turn paid silently."""
    batch = _batch(released)
    _pushed(runner, batch, sim)
    paid_later = _final(batch, "succ")  # built while the lines are still waiting
    rejected = sim._envelope("on-disburse", _final(batch, "rjct"), 1)
    assert _post("/on-disburse", rejected, sim.token())[1]["message"]["ack_status"] == "ACK"
    assert set(_statuses(batch).values()) == {"failed"}
    later = sim._envelope("on-disburse", paid_later, 1)
    _status, body = _post("/on-disburse", later, sim.token())
    assert body["message"]["ack_status"] == "ERR", body
    assert "line_final_changed" in body["message"]["error"]["message"]
    assert set(_statuses(batch).values()) == {"failed"}
    assert ResultImport.objects.filter(source="g2p").count() == 1


def test_lines_of_another_batch_under_this_batchs_transaction_are_refused(  # type: ignore[no-untyped-def]
    released, sim, runner
):
    """The callback names this provider's bank batch as transaction_id but lists the
    references of lines of another batch of the cycle (another provider's)."""
    batch = _batch(released)
    _pushed(runner, batch, sim)
    other = PayrollLine.objects.filter(cycle=released, live=True, status="sent").exclude(
        batch=batch
    )
    assert other.exists()
    message = g2p.build_disburse_response(
        batch.reference,
        [g2p.DisbursementStatus(ln.reference, "succ", g2p_now(), amount=ln.amount) for ln in other],
    )
    envelope = sim._envelope("on-disburse", message, 1)
    _status, body = _post("/on-disburse", envelope, sim.token())
    assert body["message"]["ack_status"] == "ERR", body
    assert "reference_unknown" in body["message"]["error"]["message"]
    assert set(other.values_list("status", flat=True)) == {"sent"}
    assert not ResultImport.objects.filter(source="g2p").exists()


def test_a_header_sender_of_another_provider_is_refused(released, sim, runner):  # type: ignore[no-untyped-def]
    batch = _batch(released)
    _pushed(runner, batch, sim)
    sim.sender_id = "vcb.sim"  # Agribank's client and key, Vietcombank's name in the header
    envelope = sim._envelope("on-disburse", _final(batch), 1)
    _status, body = _post("/on-disburse", envelope, sim.token())
    assert body["message"]["error"]["code"] == "err.sender_id.invalid"
    _nothing_applied(batch)


def test_the_same_banks_client_of_another_province_cannot_settle_this_provinces_batch(  # type: ignore[no-untyped-def]
    released, sim, runner, make_user, system
):
    """Agribank's machine client registered for another province (same bank code, same key)
    posts final statuses for this province's Agribank batch."""
    from chitra.geo.models import Province

    batch = _batch(released)
    _pushed(runner, batch, sim)
    other = Province.objects.exclude(pk=released.province_id).order_by("code").first()
    elsewhere = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405", province=other)
    new = oauth_client_create(actor=system, user=elsewhere, client_id="agri-b", name="Agri B")
    sim.client_id, sim.client_secret, sim._token = "agri-b", new.secret, ""
    envelope = sim._envelope("on-disburse", _final(batch), 1)
    _status, body = _post("/on-disburse", envelope, sim.token())
    assert body["message"]["ack_status"] == "ERR", body
    _nothing_applied(batch)


def test_one_line_both_paid_and_rejected_in_one_message_is_refused(released, sim, runner):  # type: ignore[no-untyped-def]
    batch = _batch(released)
    _pushed(runner, batch, sim)
    line = PayrollLine.objects.filter(batch=batch, live=True).order_by("id").first()
    message = g2p.build_disburse_response(
        batch.reference,
        [
            g2p.DisbursementStatus(line.reference, "succ", g2p_now(), amount=line.amount),
            g2p.DisbursementStatus(line.reference, "rjct", g2p_now(), "rjct.payee_fa.invalid"),
        ],
    )
    _status, body = _post("/on-disburse", sim._envelope("on-disburse", message, 1), sim.token())
    assert body["message"]["ack_status"] == "ERR", body
    _nothing_applied(batch)
