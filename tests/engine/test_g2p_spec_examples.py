"""The G2P Connect disburse spec's own examples, read by chitra as expected.

The spec gives examples per element (`example:` in its schemas), not whole messages: each test
assembles a message from the spec's examples (elements without one get the value named in
`FILL`, as a provider would send it) and reads it with the engine, checking each example value
comes through, or is refused naming the element when chitra cannot accept it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from chitra.engine.g2p import disburse as d
from chitra.engine.g2p.envelope import parse_header
from tests.engine.g2p_schema import spec

#: elements the spec gives no example for (or an example no message may carry)
FILL = {
    "amount": "6120000.00",  # the pattern of Amount: ^\d{1,13}\.\d{1,2}$
    "version": "1.0.0",
    "message_ts": "2026-12-05T09:00:00+07:00",
    "scheduled_timestamp": "2026-12-05T09:00:00+07:00",
    "action": "disburse",
}


def _schemas() -> dict[str, Any]:
    return spec()["components"]["schemas"]


def _resolve(s: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in s:
        s = _schemas()[s["$ref"].rsplit("/", 1)[-1]]
    return s


def example_of(schema: dict[str, Any], name: str = "") -> Any:
    """An instance of `schema` made of the spec's examples (every property, one array item)."""
    if name in FILL:
        return FILL[name]
    s = _resolve(schema)
    if "example" in s and not (isinstance(s["example"], dict) and "$ref" in s["example"]):
        return s["example"]
    if "allOf" in s:
        out: dict[str, Any] = {}
        for part in s["allOf"]:
            value = example_of(part)
            if isinstance(value, dict):
                out.update(value)
        return out
    for key in ("oneOf", "anyOf"):
        if key in s:
            return example_of(s[key][0], name)
    if "enum" in s:
        return s["enum"][0]
    if s.get("type") == "array":
        return [example_of(s.get("items", {}))]
    if s.get("type") == "object" or "properties" in s:
        return {k: example_of(v, k) for k, v in s.get("properties", {}).items()}
    if s.get("type") == "string":
        return ""  # free text without an example: left empty, as a provider may
    if s.get("type") in ("integer", "number"):
        return 0
    if s.get("type") == "boolean":
        return False
    raise AssertionError(f"no example in the spec for {name or s}: add it to FILL")


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
