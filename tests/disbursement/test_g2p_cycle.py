"""A payment cycle through G2P Connect disburse: release -> push to the simulated provider (a
real HTTP server) -> its asynchronous callbacks -> status check -> reconciled lines; and the
faults: duplicate callbacks, bad signatures, timeouts, rejections, tokens."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client

from chitra.demo.g2p_provider import Faults, G2PProviderSimulator
from chitra.disbursement import g2p as g2p_service
from chitra.disbursement.models import Batch, G2PMessage, PayrollLine, ProviderProfile, ResultImport
from chitra.disbursement.services import cycle_approve, cycle_compute, cycle_create, cycle_release
from chitra.iam.models import OrgKind, Role
from chitra.iam.oauth import oauth_client_create, public_key_pem
from tests.disbursement.conftest import MONTH, NOV, add_method, seen_alive
from tests.factories import BeneficiaryFactory, EntitlementFactory

AGRI = "970405"


def django_post(client: Client):  # type: ignore[no-untyped-def]
    """The simulator's transport into chitra: the test client (same database)."""

    def post(url: str, *, json: Any = None, data: Any = None, headers: Any = None):  # type: ignore[no-untyped-def]
        extra = {"HTTP_AUTHORIZATION": headers["Authorization"]} if headers else {}
        path = urlsplit(url).path
        if json is not None:
            r = client.post(path, _dumps(json), content_type="application/json", **extra)
        else:
            ctype = "application/x-www-form-urlencoded"
            r = client.post(path, urlencode(data), content_type=ctype, **extra)
        return r.status_code, r.json()

    return post


def _dumps(value: Any) -> str:
    return json.dumps(value)


@pytest.fixture
def released(world, runner, approver, system, tq_communes):  # type: ignore[no-untyped-def]
    for n in range(5):  # more Agribank payees than the small payroll has
        b = BeneficiaryFactory(full_name=f"Người Nhận {n}", commune=tq_communes[0])
        EntitlementFactory(beneficiary=b, paid_through=NOV)
        add_method(b, "BANK_ACCOUNT", system, world.agribank)
        seen_alive(b)
    cycle = cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    cycle = cycle_approve(actor=approver, cycle=cycle)
    return cycle_release(actor=runner, cycle=cycle)


@pytest.fixture
def sim(world, make_user, system, settings) -> Iterator[G2PProviderSimulator]:  # type: ignore[no-untyped-def]
    machine = make_user(OrgKind.BANK, Role.OFFICER, provider_code=AGRI)
    new = oauth_client_create(actor=system, user=machine, client_id="agri-g2p", name="Agribank")
    s = G2PProviderSimulator(
        sender_id="agribank.sim",
        chitra_id=settings.CHITRA_G2P_SENDER_ID,
        chitra_public_pem=public_key_pem(),
        callback_url="http://testserver/api/g2p",
        client_id="agri-g2p",
        client_secret=new.secret,
        post=django_post(Client()),
    )
    url = s.start()
    ProviderProfile.objects.update_or_create(
        provider=world.agribank,
        defaults={
            "exchange": ProviderProfile.Exchange.G2P_PUSH,
            "g2p_base_url": url,
            "g2p_receiver_id": "agribank.sim",
            "g2p_public_key": s.public_pem,
        },
    )
    yield s
    s.stop()


def _batch(cycle) -> Batch:  # type: ignore[no-untyped-def]
    return cycle.batches.get(provider__code=AGRI, channel="BANK_ACCOUNT")


def _statuses(batch: Batch) -> dict[str, str]:
    return dict(PayrollLine.objects.filter(batch=batch).values_list("reference", "status"))


def test_whole_cycle_through_the_simulator(released, sim, runner, settings):  # type: ignore[no-untyped-def]
    settings.CHITRA_G2P_MAX_PER_MESSAGE = 4  # the batch goes in two messages
    batch = _batch(released)
    lines = _statuses(batch)
    assert len(lines) > 4 and set(lines.values()) == {"sent"}
    sim.faults.reject_rate = 0.5
    sim.seed = next(s for s in map(str, range(200)) if _split(lines, s))  # some of each

    sent = g2p_service.batch_push(actor=runner, batch=batch)
    assert [(m.ack_status, m.error) for m in sent] == [("ACK", ""), ("ACK", "")]
    assert {r["message"]["transaction_id"] for r in sim.received} == {batch.reference}
    assert [r["header"]["total_count"] for r in sim.received] == [4, len(lines) - 4]
    first = sim.received[0]["message"]["disbursements"][0]
    credit = released.account_credit_date
    if credit > dt.date.today():
        assert first["scheduled_timestamp"].startswith(f"{credit:%Y-%m-%d}T00:00:00+07:00")
    else:
        assert "scheduled_timestamp" not in first
    assert first["payee_fa"].startswith("account:") and first["payee_fa"].endswith("@970405")
    assert first["amount"].endswith(".00") and first["currency_code"] == "VND"
    assert set(_statuses(batch).values()) == {"sent"}  # the answer is only ACK

    answers = sim.deliver()  # for each message: pdng first, then the final statuses
    assert [a[1]["message"]["ack_status"] for a in answers] == ["ACK"] * 4
    pending = G2PMessage.objects.filter(direction="in", status="pdng")
    assert sum(m.pending for m in pending) == len(lines)
    assert all(m.result_import is None for m in pending)  # no money moved
    final = _statuses(batch)
    expected = {s.reference_id: s.status for s in sim.transactions[batch.reference]}
    assert final == {ref: "paid" if st == "succ" else "failed" for ref, st in expected.items()}
    failed = PayrollLine.objects.filter(batch=batch, status="failed")
    assert {ln.reason_code for ln in failed} == {"AC01"}  # rjct.payee_fa.invalid
    imports = ResultImport.objects.filter(cycle=released, source="g2p")
    assert imports.count() == 2

    # a status check: the provider repeats what it said, nothing changes
    asked = g2p_service.status_poll(actor=runner, batch=batch)
    assert asked.ack_status == "ACK"
    ((status, body),) = sim.deliver()
    assert status == 200 and body["message"]["ack_status"] == "ACK"
    assert _statuses(batch) == final
    on_status = G2PMessage.objects.filter(direction="in", transaction_id=batch.reference).first()
    assert on_status is not None and on_status.result_import.unchanged == len(lines)
    shown = g2p_service.exchange_status(batch)
    assert shown["sent"].ack_status == "ACK" and shown["waiting"] == 0


def _split(lines: dict[str, str], seed: str) -> bool:
    from chitra.demo.g2p_provider import _unit

    picks = {_unit(ref, seed) < 0.5 for ref in lines}
    return picks == {True, False} if len(lines) > 1 else True


def test_duplicate_callbacks_are_applied_once(released, sim, runner):  # type: ignore[no-untyped-def]
    sim.faults = Faults(duplicate_callbacks=True, pending_first=False)
    batch = _batch(released)
    g2p_service.batch_push(actor=runner, batch=batch)
    (_s1, first), (_s2, again) = sim.deliver()
    assert first["message"]["ack_status"] == again["message"]["ack_status"] == "ACK"
    assert first["message"]["correlation_id"] == again["message"]["correlation_id"]
    assert G2PMessage.objects.filter(direction="in").count() == 1
    assert ResultImport.objects.filter(source="g2p").count() == 1
    assert set(_statuses(batch).values()) == {"paid"}


def test_a_bad_signature_is_refused_and_changes_nothing(released, sim, runner):  # type: ignore[no-untyped-def]
    sim.faults = Faults(bad_signature=True, pending_first=False)
    batch = _batch(released)
    g2p_service.batch_push(actor=runner, batch=batch)
    ((_status, body),) = sim.deliver()
    assert body["message"]["ack_status"] == "ERR"
    assert body["message"]["error"]["code"] == "err.signature.invalid"
    assert set(_statuses(batch).values()) == {"sent"}
    assert not G2PMessage.objects.filter(direction="in").exists()


def test_a_timeout_is_recorded_and_the_push_can_be_repeated(released, sim, runner, settings):  # type: ignore[no-untyped-def]
    settings.CHITRA_G2P_TIMEOUT = 0.2
    sim.faults = Faults(delay=0.6, pending_first=False)
    batch = _batch(released)
    (sent,) = g2p_service.batch_push(actor=runner, batch=batch)
    assert sent.ack_status == "" and "did not answer in time" in sent.error
    sim.faults.delay = 0
    (again,) = g2p_service.batch_push(actor=runner, batch=batch)
    assert again.ack_status == "ACK" and again.transaction_id == sent.transaction_id
    sim.deliver()  # the late first push and the second both answer; applied once
    assert set(_statuses(batch).values()) == {"paid"}


def test_sync_disburse_applies_the_answer(released, sim, runner):  # type: ignore[no-untyped-def]
    ProviderProfile.objects.filter(provider__code=AGRI).update(g2p_sync=True)
    batch = _batch(released)
    (sent,) = g2p_service.batch_push(actor=runner, batch=batch)
    assert sent.ack_status == "ACK", sent.error
    assert not sim.outbox
    assert set(_statuses(batch).values()) == {"paid"}


def test_unknown_reason_code_refuses_the_whole_callback(released, sim, runner):  # type: ignore[no-untyped-def]
    sim.faults = Faults(reject_rate=1.0, reject_code="rjct.made_up", pending_first=False)
    batch = _batch(released)
    g2p_service.batch_push(actor=runner, batch=batch)
    ((_s, body),) = sim.deliver()
    assert body["message"]["ack_status"] == "ERR"
    assert "rjct.made_up" in body["message"]["error"]["message"]
    assert set(_statuses(batch).values()) == {"sent"}


def test_tokens_and_callers(released, sim, world):  # type: ignore[no-untyped-def]
    c = Client()
    bad = {"grant_type": "client_credentials", "client_id": "agri-g2p", "client_secret": "no"}
    r = c.post("/api/g2p/oauth2/client/token", bad)
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    r = c.post("/api/g2p/oauth2/client/token", {"grant_type": "password"})
    assert r.status_code == 400 and r.json()["error"] == "unsupported_grant_type"
    r = c.post("/api/g2p/on-disburse", "{}", content_type="application/json")
    assert r.status_code in (401, 403)
    r = c.post(
        "/api/g2p/on-disburse", "{}", content_type="application/json",
        HTTP_AUTHORIZATION="Bearer x.y.z",
    )  # fmt: skip
    assert r.status_code == 401
    token = sim.token()
    r = c.post(
        "/api/g2p/on-disburse", "{}", content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip
    assert r.status_code == 200 and r.json()["message"]["error"]["code"] == "err.request.bad"


def test_push_refused_for_a_file_provider(released, runner):  # type: ignore[no-untyped-def]
    from chitra.core.errors import ChitraError

    with pytest.raises(ChitraError, match="G2P Connect"):
        g2p_service.batch_push(actor=runner, batch=_batch(released))


def test_cycle_page_sends_by_g2p_with_permission(released, sim, runner, make_user):  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from chitra.core.models import AuditEvent, Job
    from chitra.disbursement.tasks import batch_g2p_task
    from tests.auth import VerifiedClient

    batch = _batch(released)
    c = VerifiedClient()
    c.force_login(runner)
    html = c.get(reverse("cycle_detail", args=[released.pk])).content.decode()
    assert "Gửi qua G2P Connect" in html and batch.reference in html
    url = reverse("batch_g2p_send", args=[released.pk, batch.pk])
    viewer = make_user(OrgKind.BHXH_PROVINCE, Role.VIEWER)
    v = VerifiedClient()
    v.force_login(viewer)
    assert v.post(url).status_code == 403
    assert not G2PMessage.objects.exists()
    r = c.post(url)
    job = Job.objects.get(kind="batch_g2p")
    assert r.status_code == 302 and r["Location"] == reverse("job_detail", args=[job.pk])
    assert not G2PMessage.objects.exists()  # the exchange runs in the worker
    batch_g2p_task.call(job.pk)  # what the worker runs
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["ack"] == "ACK", job.result
    assert G2PMessage.objects.get(direction="out").ack_status == "ACK"
    assert AuditEvent.objects.filter(action="payment.g2p_send", actor=runner).exists()
    summary = c.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Được đơn vị chi trả nhận" in summary or "Taken by the provider" in summary
    sim.deliver()
    html = c.get(reverse("cycle_detail", args=[released.pk])).content.decode()
    assert 'data-testid="g2p-ack">ACK' in html
    r = c.post(reverse("batch_g2p_status", args=[released.pk, batch.pk]))
    status_job = Job.objects.filter(kind="batch_g2p").latest("pk")
    assert r.status_code == 302 and status_job.params["what"] == "status"
    batch_g2p_task.call(status_job.pk)
    assert len(sim.outbox) == 1


def test_exchange_set_by_command_checks_the_key(world, system, tmp_path):  # type: ignore[no-untyped-def]
    from django.core.management import CommandError, call_command

    from chitra.engine.g2p import jws

    key = tmp_path / "p.pem"
    key.write_text("not a key")
    args = ["provider_g2p", "970436", "--exchange", "g2p_push", "--base-url", "https://p.example"]
    with pytest.raises(CommandError, match="PEM"):
        call_command(*args, "--id", "vcb", "--public-key-file", str(key))
    key.write_text(jws.public_pem(jws.generate_key()))
    call_command(*args, "--id", "vcb", "--public-key-file", str(key))
    p = ProviderProfile.objects.get(provider=world.vcb)
    assert (p.exchange, p.g2p_receiver_id) == ("g2p_push", "vcb")


def test_client_command_and_token_shape(world, make_user, system, capsys):  # type: ignore[no-untyped-def]
    import yaml
    from django.core.management import call_command

    from tests.engine.g2p_schema import SPEC
    from tests.engine.g2p_schema import validate as _unused  # noqa: F401 (same vendored folder)

    machine = make_user(OrgKind.BANK, Role.OFFICER, provider_code=AGRI)
    call_command("g2p_client", machine.username, "agri-2")
    out = capsys.readouterr().out
    secret = out.split("client_secret=")[1].strip()
    r = Client().post(
        "/api/g2p/oauth2/client/token",
        {"grant_type": "client_credentials", "client_id": "agri-2", "client_secret": secret},
    )
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]
    authz = yaml.safe_load((SPEC.parent / "authz_core_api_v1.0.0.yaml").read_text())
    schema = authz["components"]["schemas"]["OAuth2ClientTokenResponse"]
    import jsonschema

    jsonschema.validate(r.json(), schema)
    call_command("g2p_client", "--revoke", "agri-2")
    r = Client().post(
        "/api/g2p/on-disburse", "{}", content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {r.json()['access_token']}",
    )  # fmt: skip
    assert r.status_code == 401


def test_a_header_only_rejection_is_recorded_without_change(released, sim, runner):  # type: ignore[no-untyped-def]
    import time

    from chitra.engine import g2p
    from chitra.engine.g2p import jws
    from chitra.engine.g2p.envelope import Header

    batch = _batch(released)
    header = Header(
        message_id="hdr-1",
        message_ts=dt.datetime.now(dt.UTC),
        action="on-disburse",
        sender_id="agribank.sim",
        status="rjct",
        status_reason_code="rjct.total_count.invalid",
        status_reason_message="total_count does not match",
    )
    h = header.to_json()
    sig = jws.sign_envelope(
        h, None, sim.key, kid="agribank.sim|1|ed25519", created=int(time.time())
    )
    env = g2p.build_envelope(header, None, sig)  # type: ignore[arg-type]
    del env["message"]
    status, body = sim.post(
        "http://testserver/api/g2p/on-disburse",
        json=env,
        headers={"Authorization": f"Bearer {sim.token()}"},
    )
    assert status == 200 and body["message"]["ack_status"] == "ACK"
    got = G2PMessage.objects.get(direction="in", message_id="hdr-1")
    assert got.status == "rjct" and got.error.startswith("rjct.total_count.invalid")
    assert set(_statuses(batch).values()) == {"sent"}


def test_sync_status_check_applies_what_the_provider_says(released, sim, runner):  # type: ignore[no-untyped-def]
    """A provider that paid but whose callback was lost: the status check settles the lines."""
    sim.faults = Faults(pending_first=False, reject_rate=1.0, reject_code="rjct.amount.invalid")
    batch = _batch(released)
    g2p_service.batch_push(actor=runner, batch=batch)
    sim.outbox.clear()  # the callback never arrives
    assert set(_statuses(batch).values()) == {"sent"}
    ProviderProfile.objects.filter(provider__code=AGRI).update(g2p_sync=True)
    asked = g2p_service.status_poll(actor=runner, batch=batch)
    assert asked.ack_status == "ACK", asked.error
    assert set(_statuses(batch).values()) == {"failed"}
    assert set(PayrollLine.objects.filter(batch=batch).values_list("reason_code", flat=True)) == {
        "AM12"
    }


def test_status_of_an_unknown_transaction_is_an_error(released, sim, runner):  # type: ignore[no-untyped-def]
    asked = g2p_service.status_poll(actor=runner, batch=_batch(released))
    assert asked.ack_status == "ERR" and "err.request.not_found" in asked.error


def test_a_crash_while_applying_leaves_no_record_so_the_retry_applies(
    released, sim, runner, monkeypatch
):  # type: ignore[no-untyped-def]
    sim.faults = Faults(pending_first=False)
    batch = _batch(released)
    g2p_service.batch_push(actor=runner, batch=batch)
    queued = list(sim.outbox)

    def crash(**kw):  # type: ignore[no-untyped-def]
        raise RuntimeError("worker killed")

    monkeypatch.setattr(g2p_service, "results_apply", crash)
    with pytest.raises(RuntimeError):
        sim.deliver()
    assert not G2PMessage.objects.filter(direction="in").exists()
    monkeypatch.undo()
    sim.outbox = queued  # the provider retries the same message
    ((_s, body),) = sim.deliver()
    assert body["message"]["ack_status"] == "ACK"
    assert set(_statuses(batch).values()) == {"paid"}
