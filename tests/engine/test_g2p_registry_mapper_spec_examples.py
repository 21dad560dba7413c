"""The G2P Connect registry and mapper specs' own examples, read by chitra as expected
(messages assembled from the examples of each element: tests/engine/g2p_examples.py)."""

from __future__ import annotations

import pytest

from chitra.engine.g2p import mapper as m
from chitra.engine.g2p import registry as r
from chitra.engine.g2p.envelope import EnvelopeError
from tests.engine.g2p_examples import Examples

REGISTRY = Examples("registry_core_api_v1.0.0.yaml")
MAPPER = Examples("mapper_core_api_v1.0.0.yaml")


def test_the_search_request_example_is_read_with_its_named_query() -> None:
    tx, (item,) = r.parse_search_request(REGISTRY.of("SearchRequest"))
    assert (tx, item.reference_id, item.query_type) == (
        "0123456789",
        "12345678901234567890",
        "namedQuery",
    )
    assert item.query == {
        "query_name": "DCI:NamedQuery:getBirthByBRNandAreaCode",
        "query_params": {"BRN": "1111", "area_code": "123"},
    }


def test_the_search_response_example_is_read() -> None:
    tx, correlation, (answer,) = r.parse_search_response(REGISTRY.of("SearchResponse"))
    assert (tx, correlation) == ("0123456789", "9876543210")
    assert (answer.status, answer.reason_code) == ("rcvd", "rjct.reference_id.invalid")


def test_the_notify_example_is_read() -> None:
    tx, (event,) = r.parse_notify(REGISTRY.of("NotifyEventRequest"))
    assert (tx, event.reference_id, event.record_type) == (
        "0123456789",
        "12345678901234567890",
        "ns:dci:RegistryRecordType:CRVSPerson",
    )


def test_a_subscribe_answer_needs_its_subscription_code() -> None:
    """The spec has no example of a SubscriptionCode: without one, chitra could never match a
    later notification to its subscription, so the answer is refused naming the element."""
    message = REGISTRY.of("SubscribeResponse")
    with pytest.raises(EnvelopeError, match=r"subscriptions\[0\]\.code"):
        r.parse_subscribe_response(message)
    message["subscribe_response"][0]["subscriptions"][0]["code"] = "SUB-0001"
    tx, (answer,) = r.parse_subscribe_response(message)
    assert tx == "0123456789" and answer is not None


@pytest.mark.parametrize(
    ("operation", "schema"),
    [
        ("resolve", "ResolveRequest"),
        ("link", "LinkRequest"),
        ("update", "UpdateRequest"),
        ("unlink", "UnlinkRequest"),
    ],
)
def test_every_mapper_request_example_is_read(operation: str, schema: str) -> None:
    tx, (item,) = m.parse_request(operation, MAPPER.of(schema))
    assert (tx, item.reference_id) == ("0123456789", "12345678901234567890")
    assert (item.id.id_type, item.id.id, item.id.provider) == ("vid", "54321", "nid")
    assert item.fa is not None
    assert (item.fa.id_type, item.fa.id, item.fa.provider) == ("token", "12345", "gtbank")
