"""The national mapper connector (G2P Connect /mapper/sync/resolve) against its simulator on
127.0.0.1: addresses resolved, unknown people absent, signatures checked, faults named."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from chitra.demo.mapper_simulator import MapperSimulator
from chitra.engine.g2p import jws
from chitra.payment_methods.national_mapper import HttpNationalMapper, MapperError
from tests.engine.g2p_specs import request_body, validate, validate_component

PID, OTHER = "001090012345", "001090012346"


@pytest.fixture
def sim() -> Iterator[tuple[MapperSimulator, str]]:
    s = MapperSimulator({PID: ("account:0123456789@970405", "970405", "Agribank")})
    server, url = s.serve()
    yield s, url
    server.shutdown()


def _verifier(key: Any) -> Any:
    def verify(signature: str, header: dict[str, Any], message: dict[str, Any]) -> None:
        jws.verify_envelope(signature, header, message, key)

    return verify


def test_resolve_through_the_simulator(sim: tuple[MapperSimulator, str]) -> None:
    s, url = sim
    mapper = HttpNationalMapper(url, sender_id="chitra", verifier=_verifier(s.key.public_key()))
    found = mapper.resolve([PID, OTHER, PID])
    assert list(found) == [PID]
    assert (
        str(found[PID].fa) == "account:0123456789@970405" and found[PID].provider_code == "970405"
    )
    (sent,) = s.received
    validate("mapper", request_body("mapper", "/mapper/resolve"), sent)
    assert [i["id"] for i in sent["message"]["resolve_request"]] == [
        f"uin:{PID}@vn.nid",
        f"uin:{OTHER}@vn.nid",
    ]
    answer = s.answer(sent)[1]
    validate_component("mapper", "ResolveResponse", answer["message"])


def test_unsigned_or_wrongly_signed_answers_refused(sim: tuple[MapperSimulator, str]) -> None:
    s, url = sim
    s.unsigned = True
    with pytest.raises(MapperError, match="answer refused"):
        HttpNationalMapper(url, sender_id="chitra", verifier=_verifier(s.key.public_key())).resolve(
            [PID]
        )
    s.unsigned = False
    with pytest.raises(MapperError, match="answer refused"):
        HttpNationalMapper(
            url, sender_id="chitra", verifier=_verifier(jws.generate_key().public_key())
        ).resolve([PID])


def test_mapper_down_is_named(sim: tuple[MapperSimulator, str]) -> None:
    s, url = sim
    s.fail = True
    with pytest.raises(MapperError, match="503"):
        HttpNationalMapper(url, sender_id="chitra").resolve([PID])
    assert HttpNationalMapper(url, sender_id="chitra").resolve([]) == {}
