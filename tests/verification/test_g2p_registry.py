# ruff: noqa: E501  (fixtures and spec-shaped literals read best on one line)
"""G2P Connect registry, chitra's side: subscribe, the register's signed /notify and
/on-subscribe callbacks (de-duplicated, audited, refused when unsigned or from another client),
and a notified death suspending payments at the next re-check."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import pytest
from django.test import Client
from django.utils import timezone

from chitra.core.models import AuditEvent
from chitra.demo.register_simulator import SimulatorServer, make_app
from chitra.engine.g2p import jws
from chitra.iam.models import OrgKind, Role
from chitra.iam.oauth import oauth_client_create, public_key_pem
from chitra.register.connector import FileExtractConnector
from chitra.verification.g2p_registry import register_subscribe
from chitra.verification.models import RegisterEvent, RegisterMessage, RegisterSubscription
from tests.engine.g2p_specs import request_body, validate

SIM_KEY = jws.generate_key()


class _Resp:
    def __init__(self, status: int, body: Any) -> None:
        self.status_code, self._body = status, body

    def json(self) -> Any:
        return self._body


def django_post(client: Client):  # type: ignore[no-untyped-def]
    """The simulator's transport into chitra: the test client (same database)."""

    def post(
        url: str, *, json: Any = None, data: Any = None, headers: Any = None, timeout: Any = None
    ):  # type: ignore[no-untyped-def]
        extra = {"HTTP_AUTHORIZATION": headers["Authorization"]} if headers else {}
        path = urlsplit(url).path
        if json is not None:
            r = client.post(path, _dumps(json), content_type="application/json", **extra)
        else:
            ctype = "application/x-www-form-urlencoded"
            r = client.post(path, urlencode(data), content_type=ctype, **extra)
        return _Resp(r.status_code, r.json())

    return post


def _dumps(value: Any) -> str:
    return json.dumps(value)


@pytest.fixture
def sim(register, make_user, system, settings) -> Iterator[SimulatorServer]:  # type: ignore[no-untyped-def]
    machine = make_user(OrgKind.POLICE_PROVINCE, Role.OFFICER)
    new = oauth_client_create(actor=system, user=machine, client_id="register-g2p", name="C06")
    app = make_app(
        None,
        source=FileExtractConnector(register["store"]),
        signing_key=SIM_KEY,
        verify_key=jws.load_public(public_key_pem()),
    )
    app.token_url = "http://testserver/api/g2p/oauth2/client/token"
    app.client_id, app.client_secret = "register-g2p", new.secret
    srv = SimulatorServer(app).start()
    settings.CHITRA_REGISTER_URL = srv.url
    settings.CHITRA_REGISTER_CLIENT_ID = "register-g2p"
    settings.CHITRA_REGISTER_PUBLIC_KEY = jws.public_pem(SIM_KEY)
    settings.CHITRA_G2P_CALLBACK_URL = "http://testserver/api/g2p"
    yield srv
    srv.stop()


def _subscribed(sim: SimulatorServer, actor: Any) -> None:
    txn = register_subscribe(actor=actor, province_code="08")
    ((url, envelope),) = sim.app.outbox
    assert url == "http://testserver/api/g2p/registry/on-subscribe"
    assert envelope["message"]["transaction_id"] == txn
    assert sim.app.deliver(post=django_post(Client())) == [(url, 200)]


@pytest.mark.django_db
def test_subscribe_then_a_notified_death_suspends_at_the_recheck(
    sim, people, bhxh_officer, settings
):  # type: ignore[no-untyped-def]
    from chitra.verification.models import Suspension
    from chitra.verification.services import verification_run

    _subscribed(sim, bhxh_officer)
    assert set(RegisterSubscription.objects.values_list("reference_id", flat=True)) == {
        "death",
        "update",
    }
    assert AuditEvent.objects.filter(action="verification.register.subscribe").count() == 1

    since = timezone.now() - dt.timedelta(seconds=1)
    dead = FileExtractConnector(settings.CHITRA_REGISTER_STORE).lookup([people["dead"].personal_id])
    assert sim.app.notify(dead.values(), died=True) == 1
    ((url, envelope),) = sim.app.outbox
    validate("registry", request_body("registry", "/registry/notify"), envelope)
    post = django_post(Client())
    assert sim.app.deliver(post=post) == [(url, 200)]
    event = RegisterEvent.objects.get()
    assert (event.personal_id, event.kind, event.death_date) == (
        people["dead"].personal_id, "death", dt.date(2026, 3, 10),
    )  # fmt: skip
    # the same message again: answered ACK, nothing stored twice
    answer = post(url, json=envelope, headers={"Authorization": f"Bearer {sim.app.bearer()}"})
    assert answer.json()["message"]["ack_status"] == "ACK"
    assert (
        RegisterEvent.objects.count() == 1
        and RegisterMessage.objects.filter(action="notify").count() == 1
    )
    assert AuditEvent.objects.filter(action="verification.register.notify").count() == 1

    # the re-check reads the notified IDs only (no change feed asked)
    settings.CHITRA_REGISTER_CONNECTOR = "http"
    settings.CHITRA_REGISTER_CHANGE_FEED = False
    sim.app.reset_stats()
    run = verification_run(actor=bhxh_officer, changed_since=since)
    assert run.status == "succeeded" and run.total == 1
    assert Suspension.objects.filter(entitlement__beneficiary=people["dead"]).exists()
    assert "GET /registry/changes" not in sim.app.stats
    assert sim.app.stats["POST /registry/sync/search"] == 1


@pytest.mark.django_db
def test_callbacks_refused_unsigned_badly_signed_or_from_another_client(
    sim, people, bhxh_officer, make_user, system, settings
):  # type: ignore[no-untyped-def]
    _subscribed(sim, bhxh_officer)
    dead = FileExtractConnector(settings.CHITRA_REGISTER_STORE).lookup([people["dead"].personal_id])
    sim.app.notify(dead.values(), died=True)
    ((url, envelope),) = sim.app.outbox
    post = django_post(Client())
    auth = {"Authorization": f"Bearer {sim.app.bearer(post)}"}

    unsigned = {**envelope, "signature": ""}
    err = post(url, json=unsigned, headers=auth).json()["message"]
    assert err["ack_status"] == "ERR" and err["error"]["code"] == "err.signature.missing"
    other = jws.sign_envelope(
        envelope["header"], envelope["message"], jws.generate_key(), kid="x|1|ed25519", created=1
    )
    err = post(url, json={**envelope, "signature": other}, headers=auth).json()["message"]
    assert err["error"]["code"] == "err.signature.invalid"
    tampered = json.loads(json.dumps(envelope))
    tampered["message"]["notify_event"][0]["data"]["reg_records"]["identifier"] = people[
        "ok"
    ].personal_id
    err = post(url, json=tampered, headers=auth).json()["message"]
    assert err["error"]["code"] == "err.signature.invalid"

    bank = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405")
    new = oauth_client_create(actor=system, user=bank, client_id="bank-g2p", name="Bank")
    token = post("http://testserver/api/g2p/oauth2/client/token",
                 data={"grant_type": "client_credentials", "client_id": "bank-g2p", "client_secret": new.secret}).json()["access_token"]  # fmt: skip
    err = post(url, json=envelope, headers={"Authorization": f"Bearer {token}"}).json()["message"]
    assert err["error"]["code"] == "err.request.forbidden"
    assert not RegisterEvent.objects.exists()
    assert (
        Client()
        .post("/api/g2p/registry/notify", _dumps(envelope), content_type="application/json")
        .status_code
        == 401
    )


@pytest.mark.django_db
def test_subscribe_needs_a_callback_url_and_an_ack(sim, bhxh_officer, settings):  # type: ignore[no-untyped-def]
    from chitra.core.errors import ChitraError

    settings.CHITRA_G2P_CALLBACK_URL = ""
    with pytest.raises(ChitraError, match="CHITRA_G2P_CALLBACK_URL is not set"):
        register_subscribe(actor=bhxh_officer)
    settings.CHITRA_G2P_CALLBACK_URL = "http://testserver/api/g2p"
    settings.CHITRA_REGISTER_URL = "http://127.0.0.1:1"
    with pytest.raises(ChitraError, match="did not take the subscription"):
        register_subscribe(actor=bhxh_officer, client=httpx.Client(timeout=0.5))


@pytest.mark.django_db
def test_async_search_answer_reaches_on_search(sim, people, settings):  # type: ignore[no-untyped-def]
    from chitra.register.http_client import HttpRegisterConnector
    from chitra.verification.g2p_registry import register_verifier, sign

    conn = HttpRegisterConnector(
        sim.url, sender_id=settings.CHITRA_G2P_SENDER_ID, mode="async", poll_interval=0,
        signer=sign, verifier=register_verifier(), callback_uri="http://testserver/api/g2p",
        rate_per_second=None,
    )  # fmt: skip
    found = conn.lookup([people["ok"].personal_id])
    assert found[people["ok"].personal_id].full_name == people["ok"].full_name
    ((url, envelope),) = sim.app.outbox
    assert url == "http://testserver/api/g2p/registry/on-search"
    post = django_post(Client())
    assert sim.app.deliver(post=post) == [(url, 200)]
    got = RegisterMessage.objects.get(action="on-search")
    assert got.transaction_id == envelope["message"]["transaction_id"]
    assert AuditEvent.objects.filter(action="verification.register.on_search").count() == 1
