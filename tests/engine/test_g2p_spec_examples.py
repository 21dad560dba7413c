"""The G2P Connect disburse spec's own examples, read by chitra as expected.

The spec gives examples per element (`example:` in its schemas), not whole messages: each test
assembles a message from them (tests/engine/g2p_examples.py; elements without an example get
the value a provider would send) and reads it with the engine, checking that each example
value comes through."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from chitra.engine.g2p import disburse as d
from chitra.engine.g2p.envelope import parse_header
from tests.engine.g2p_examples import Examples

DISBURSE = Examples("disburse_core_api_v1.0.0.yaml", {"action": "disburse"})


def _schemas() -> dict[str, Any]:
    return DISBURSE.spec["components"]["schemas"]


def example_of(schema: dict[str, Any]) -> Any:
    return DISBURSE._instance(schema, "", 0)


def test_the_spec_example_of_an_on_disburse_message_is_read() -> None:
    message = example_of(_schemas()["DisburseResponse"])
    tx, (status,) = d.parse_disburse_response(message)
    item = message["disbursements_status"][0]
    assert tx == message["transaction_id"] == "0123456789"
    assert (status.reference_id, status.status, status.status_reason_code) == (
        item["reference_id"],
        item["status"],
        item["status_reason_code"],
    )
    assert status.timestamp == dt.datetime(2022, 12, 4, 21, 20, 7, tzinfo=dt.UTC)
    assert status.amount == 6_120_000
    # the spec's reason code maps to the return-reason catalogue, never to a guess
    assert d.catalogue_reason(status.status_reason_code) != ""


def test_the_spec_example_of_a_disburse_request_is_read_and_its_addresses_parsed() -> None:
    message = example_of(_schemas()["DisburseRequest"])
    # the provider's side (chitra's simulator) reads any ISO 4217 currency; chitra writes VND
    tx, items = d.parse_disburse_request(message)
    assert (items[0].currency_code, items[0].amount, items[0].payee_name) == (
        "SLL",
        6_120_000,
        "Joe John",
    )
    assert tx == "0123456789" and len(items) == 1
    fa = d.FinancialAddress.parse(message["disbursements"][0]["payee_fa"])
    assert (fa.id_type, fa.id, fa.provider) == ("token", "12345", "gtbank")


def test_the_spec_examples_of_both_headers_are_read() -> None:
    request = example_of(_schemas()["MsgHeader_V1.0.0"])
    request["action"] = "disburse"
    header = parse_header(request, callback=False, actions={"disburse"})
    assert (header.message_id, header.sender_id, header.receiver_id, header.total_count) == (
        "123",
        "spp.example.org",
        "pymts.example.org",
        21800,
    )
    callback = example_of(_schemas()["MsgCallbackHeader_V1.0.0"])
    callback["action"] = "on-disburse"
    header = parse_header(callback, callback=True, actions={"on-disburse"})
    assert (header.message_id, header.status, header.sender_id) == (
        "789",
        "rcvd",
        "civilregistry.example.org",
    )


@pytest.mark.parametrize("status", ["rcvd", "pdng", "succ", "rjct"])
def test_every_status_of_the_spec_is_read(status: str) -> None:
    message = example_of(_schemas()["DisburseResponse"])
    message["disbursements_status"][0]["status"] = status
    assert d.parse_disburse_response(message)[1][0].status == status
