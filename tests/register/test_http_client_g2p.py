"""The register client in the current G2P Connect registry draft (and the older one kept as
dialect ``legacy``) against the simulator on 127.0.0.1: sync and async search, signatures."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx
import pytest

from chitra.demo.register_simulator import Faults, SimulatorServer, make_app
from chitra.engine.g2p import jws
from chitra.register.connector import (
    InMemoryConnector,
    RegisterPerson,
    RegisterProtocolError,
    RegisterUnavailable,
)
from chitra.register.http_client import HttpRegisterConnector, person_from_record, person_to_record
from tests.engine.g2p_specs import request_body, validate, validate_component

AN = RegisterPerson("001090012345", "Nguyễn Thị Bình", date(1950, 3, 1), "D", "F", "08089", None)
DEAD = RegisterPerson(
    "001090012346", "Trần Văn Cường", date(1948, 1, 1), "Y", "M", "08089", date(2026, 11, 2)
)
SIM_KEY = jws.generate_key()
CHITRA_KEY = jws.generate_key()


@pytest.fixture
def server() -> Iterator[SimulatorServer]:
    app = make_app(
        None,
        source=InMemoryConnector([AN, DEAD]),
        signing_key=SIM_KEY,
        verify_key=CHITRA_KEY.public_key(),
    )
    srv = SimulatorServer(app).start()
    yield srv
    srv.stop()


def _signer(header: dict[str, Any], message: dict[str, Any]) -> str:
    return jws.sign_envelope(
        header, message, CHITRA_KEY, kid="chitra|1|ed25519", created=int(time.time())
    )


def _verifier(key: Any) -> Any:
    def verify(signature: str, header: dict[str, Any], message: dict[str, Any]) -> None:
        jws.verify_envelope(signature, header, message, key)

    return verify


def _conn(srv: SimulatorServer, **kw: Any) -> HttpRegisterConnector:
    kw.setdefault("signer", _signer)
    kw.setdefault("verifier", _verifier(SIM_KEY.public_key()))
    return HttpRegisterConnector(
        srv.url, sender_id="chitra", retries=0, rate_per_second=None, backoff=0, **kw
    )


def test_current_draft_request_is_valid_and_people_come_back(server: SimulatorServer) -> None:
    conn = _conn(server)
    payload, _refs = conn._search_request([AN.personal_id])
    validate("registry", request_body("registry", "/registry/sync/search"), payload)
    crit = payload["message"]["search_request"][0]["search_criteria"]
    assert crit["query_type"] == "idtype" and crit["query"] == {
        "type": "UIN",
        "value": AN.personal_id,
    }
    found = conn.lookup([AN.personal_id, DEAD.personal_id, "009999999999"])
    assert found == {AN.personal_id: AN, DEAD.personal_id: DEAD}


def test_records_in_the_current_draft() -> None:
    rec = person_to_record(AN)
    assert rec["sex"] == "female" and rec["identifier_type"] == "UIN"
    validate_component(
        "registry", "dci_PersonRecord", {k: v for k, v in rec.items() if k != "deathdate"}
    )
    assert person_from_record(rec) == AN
    assert person_from_record({**rec, "sex": "unknown"}).sex == ""
    assert person_from_record({**rec, "sex": "2"}).sex == "F"  # the older draft still read
    assert person_to_record(AN, "legacy")["sex"] == "2"


def test_legacy_dialect_still_selectable(server: SimulatorServer) -> None:
    conn = _conn(server, dialect="legacy")
    payload, _ = conn._search_request([AN.personal_id])
    assert (
        payload["message"]["search_request"][0]["search_criteria"]["query_type"] == "idtype-value"
    )
    assert conn.lookup([AN.personal_id]) == {AN.personal_id: AN}


def test_async_search_polls_txn_status_until_final(server: SimulatorServer) -> None:
    server.app.set_faults(Faults(pending_polls=2))
    waits: list[float] = []
    conn = _conn(server, mode="async", poll_interval=0.01, sleep=waits.append)
    assert conn.lookup([AN.personal_id, DEAD.personal_id]) == {
        AN.personal_id: AN,
        DEAD.personal_id: DEAD,
    }
    assert waits == [0.01, 0.01]  # two pending answers, then the final one
    stats = server.app.stats
    assert stats["POST /registry/search"] == 1 and stats["POST /registry/sync/txn/status"] == 3


def test_async_search_sends_on_search_to_the_sender_uri(server: SimulatorServer) -> None:
    conn = _conn(server, mode="async", poll_interval=0, callback_uri="http://chitra.test/api/g2p")
    conn.lookup([AN.personal_id])
    ((url, envelope),) = server.app.outbox
    assert url == "http://chitra.test/api/g2p/registry/on-search"
    validate("registry", request_body("registry", "/registry/on-search"), envelope)
    jws.verify_envelope(
        envelope["signature"], envelope["header"], envelope["message"], SIM_KEY.public_key()
    )


def test_async_search_gives_up_after_the_polls(server: SimulatorServer) -> None:
    server.app.set_faults(Faults(pending_polls=50))
    conn = _conn(server, mode="async", poll_interval=0, poll_attempts=3)
    with pytest.raises(
        RegisterUnavailable, match=r"had not answered search .* after 3 status checks"
    ):
        conn.lookup([AN.personal_id])


def test_answer_signed_with_another_key_is_refused(server: SimulatorServer) -> None:
    conn = _conn(server, verifier=_verifier(jws.generate_key().public_key()))
    with pytest.raises(RegisterProtocolError, match="signature is not valid"):
        conn.lookup([AN.personal_id])


def test_unsigned_request_refused_by_a_register_that_checks(server: SimulatorServer) -> None:
    body = _conn(server)._search_request([AN.personal_id])[0]
    body["signature"] = ""
    answer = httpx.post(server.url + "/registry/sync/search", json=body).json()
    assert answer["message"]["ack_status"] == "ERR"
    assert answer["message"]["error"]["code"] == "err.signature.invalid"


def test_bad_settings_refused() -> None:
    with pytest.raises(ValueError, match="dialect one of"):
        HttpRegisterConnector("http://x", sender_id="c", dialect="v0")
    with pytest.raises(ValueError, match="async search is the current draft"):
        HttpRegisterConnector("http://x", sender_id="c", dialect="legacy", mode="async")


def test_notify_on_demand_reaches_the_subscriber(server: SimulatorServer) -> None:
    server.app.subscriptions["sub-1"] = ("http://chitra.test/api/g2p", "")
    sent: list[tuple[str, dict[str, Any]]] = []

    class Ok:
        status_code = 200

    def post(url: str, **kw: Any) -> Ok:
        sent.append((url, kw["json"]))
        return Ok()

    server.app.notify([DEAD], died=True)
    assert server.app.deliver(post=post) == [("http://chitra.test/api/g2p/registry/notify", 200)]
    ((_url, env),) = sent
    validate("registry", request_body("registry", "/registry/notify"), env)
    assert (
        env["message"]["notify_event"][0]["data"]["reg_records"]["identifier"] == DEAD.personal_id
    )
    bad = httpx.post(server.url + "/_notify", json={"died": True})
    assert bad.status_code == 400
