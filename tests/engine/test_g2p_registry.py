# ruff: noqa: E501  (spec-shaped literals read best on one line)
"""G2P Connect registry messages (chitra.engine.g2p.registry) against the vendored spec."""

from __future__ import annotations

import datetime as dt

import jsonschema
import pytest

from chitra.engine.g2p import registry as reg
from chitra.engine.g2p.envelope import EnvelopeError, Header, build_envelope
from tests.engine.g2p_specs import enum, request_body, spec, validate, validate_component

TS = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
REG_TYPE = "ns:vn:RegistryType:Population"


def _items() -> list[reg.SearchItem]:
    return [
        reg.SearchItem("1", "idtype", reg.idtype_query("UIN", "001090012345"), REG_TYPE),
        reg.SearchItem(
            "2",
            "predicate",
            reg.predicate_query(
                reg.predicate("birthdate", "ge", "1950-01-01"),
                reg.predicate("commune_code", "eq", "08089"),
            ),
            REG_TYPE,
        ),
        reg.SearchItem(
            "3", "namedQuery", reg.named_query("vn:deaths_since", {"since": "2026-11-01"}), REG_TYPE
        ),
    ]


def test_search_envelope_is_valid_against_the_spec() -> None:
    message = reg.build_search_request("txn-1", _items(), at=TS)
    header = Header("m-1", TS, "search", "chitra", "register", total_count=3)
    env = build_envelope(header, message, signature="x..y")
    validate("registry", request_body("registry", "/registry/search"), env)
    validate("registry", request_body("registry", "/registry/sync/search"), env)
    txn, items = reg.parse_search_request(message)
    assert txn == "txn-1" and [i.query_type for i in items] == ["idtype", "predicate", "namedQuery"]
    assert items[1].query[0]["condition"] == "and"


def test_search_response_round_trip_and_schema() -> None:
    record = {"identifier_type": "UIN", "identifier": "001090012345", "sex": "female"}
    answers = [
        reg.SearchAnswer("1", "succ", [record]),
        reg.SearchAnswer("2", "rjct", [], "rjct.search.too_many_records_found", "too many"),
    ]
    message = reg.build_search_response(
        "txn-1", "c-1", answers, at=TS, reg_type=REG_TYPE, record_type="person"
    )
    validate_component("registry", "SearchResponse", message)
    validate_component("registry", "dci_PersonRecord", record)
    assert reg.parse_search_response(message) == ("txn-1", "c-1", answers)


def test_enums_are_the_specs() -> None:
    assert tuple(enum("registry", "QueryType")) == reg.QUERY_TYPES
    assert tuple(enum("registry", "dci_IdentifierType")) == reg.ID_TYPES
    assert tuple(enum("registry", "dci_Sex")) == reg.SEXES
    assert tuple(enum("registry", "ExpOperator")) == reg.OPERATORS
    assert tuple(enum("registry", "ExpCondition")) == reg.CONDITIONS
    assert tuple(enum("registry", "RequestStatus")) == reg.STATUSES
    assert set(enum("registry", "SearchStatusReasonCode")) == reg.SEARCH_REASON_CODES
    assert set(enum("registry", "SubscribeStatusReasonCode")) == reg.SUBSCRIBE_REASON_CODES
    txn = spec("registry")["components"]["schemas"]["TxnStatusRequest"]["properties"]
    assert tuple(txn["txnstatus_request"]["properties"]["txn_type"]["enum"]) == reg.TXN_TYPES
    assert (
        tuple(txn["txnstatus_request"]["properties"]["attribute_type"]["enum"])
        == reg.ATTRIBUTE_TYPES
    )
    paths = set(spec("registry")["paths"])
    assert {"/registry/search", "/registry/on-search", "/registry/sync/search",
            "/registry/subscribe", "/registry/notify", "/registry/txn/status"} <= paths  # fmt: skip


def test_sex_mapping() -> None:
    assert [reg.sex_to_chitra(s) for s in reg.SEXES] == ["M", "F", "", ""]
    assert reg.sex_from_chitra("F") == "female" and reg.sex_from_chitra("") == "unknown"
    with pytest.raises(EnvelopeError, match="sex: '1' is not one of male, female"):
        reg.sex_to_chitra("1")


def test_spec_defects_still_there() -> None:
    """Each defect worked around (tests/engine/g2p_specs.py, docs/conformance/g2p-registry.md);
    when the spec fixes one, drop its work-around and its line here."""
    schemas = spec("registry")["components"]["schemas"]
    assert schemas["PredicateWithCondition"]["properties"]["condition"] == {
        "$ref": "#/components/schemas/Predicate"
    }
    assert schemas["SubscriptionInfo"]["required"] == [
        "subscription_code",
        "timestamp",
        "subscribe_criteria",
    ]
    assert schemas["RegistryRecord"]["type"] == "object"
    assert schemas["UnSubscribeRequest"]["required"][-1] == "sunscription_codes"


def test_several_records_go_as_a_list() -> None:
    two = [{"identifier": "1"}, {"identifier": "2"}]
    message = reg.build_search_response(
        "t",
        "c",
        [reg.SearchAnswer("1", "succ", two)],
        at=TS,
        reg_type=REG_TYPE,
        record_type="person",
    )
    assert message["search_response"][0]["data"]["reg_records"] == two
    assert reg.parse_search_response(message)[2][0].records == two


@pytest.mark.parametrize(
    ("query_type", "query", "element"),
    [
        ("idtype-value", {"type": "NID", "value": "1"}, "q.query_type"),
        ("idtype", {"value": "1"}, "q.query"),
        ("namedQuery", {"query_name": "x"}, "q.query"),
        ("predicate", [], "q.query"),
        (
            "predicate",
            [{"expression1": {"attribute_name": "a", "operator": "like", "attribute_value": 1}}],
            "q.query[0].expression1.operator",
        ),
        (
            "predicate",
            [
                {
                    "expression1": reg.predicate("a", "eq", 1),
                    "expression2": reg.predicate("b", "eq", 2),
                }
            ],
            "q.query[0].condition",
        ),
    ],
)
def test_bad_queries_named(query_type: str, query: object, element: str) -> None:
    with pytest.raises(EnvelopeError) as err:
        reg.check_query("q", query_type, query)
    assert err.value.element == element


def test_bad_search_answers_named() -> None:
    ok = {"transaction_id": "t", "correlation_id": "c", "search_response": []}
    item = {"reference_id": "1", "timestamp": "2026-12-07T09:30:00+07:00", "status": "done"}
    with pytest.raises(EnvelopeError, match=r"search_response\[0\]\.status: 'done'"):
        reg.parse_search_response({**ok, "search_response": [item]})
    dup = [{**item, "status": "succ"}, {**item, "status": "succ"}]
    with pytest.raises(EnvelopeError, match="unique in the message"):
        reg.parse_search_response({**ok, "search_response": dup})
    with pytest.raises(EnvelopeError, match="status_reason_code"):
        reg.parse_search_response(
            {
                **ok,
                "search_response": [{**item, "status": "rjct", "status_reason_code": "rjct.nope"}],
            }
        )
    with pytest.raises(jsonschema.ValidationError):
        validate_component("registry", "SearchResponse", {**ok, "search_response": [item]})


def test_subscribe_request_and_response() -> None:
    crit = {
        "reg_type": REG_TYPE,
        "reg_sub_type": "DCI:RegistrySubType:Death",
        "filter_type": "predicate",
        "filter": reg.predicate_query(reg.predicate("province_code", "eq", "01")),
        "notify_record_type": "person",
    }
    message = reg.build_subscribe_request(
        "t-2", [("death", crit)], at=TS, until=TS + dt.timedelta(days=365)
    )
    env = build_envelope(
        Header("m-2", TS, "subscribe", "chitra", "register", total_count=1), message
    )
    validate("registry", request_body("registry", "/registry/subscribe"), env)
    answer = {
        "transaction_id": "t-2",
        "correlation_id": "c-2",
        "subscribe_response": [
            {"reference_id": "death", "timestamp": "2026-12-07T09:30:00+07:00", "status": "succ",
             "subscriptions": [{"code": "sub-1", "status": "subscribe", "timestamp": "2026-12-07T09:30:00+07:00"}]}
        ],
    }  # fmt: skip
    validate_component("registry", "SubscribeResponse", answer)
    assert reg.parse_subscribe_response(answer) == (
        "t-2",
        [reg.SubscribeAnswer("death", "succ", ("sub-1",))],
    )


def test_notify_round_trip_and_kinds() -> None:
    died = {
        "identifier_type": "UIN",
        "identifier": "001090012345",
        "deathdate": "2026-11-30T00:00:00+07:00",
    }
    moved = {"identifier_type": "UIN", "identifier": "001090012346", "address": {"locality": "x"}}
    events = [
        reg.NotifyEvent("e1", TS, REG_TYPE, "DCI:RegistrySubType:Death", "person", [died]),
        reg.NotifyEvent("e2", TS, REG_TYPE, "", "person", [moved]),
    ]
    message = reg.build_notify("t-3", events, at=TS)
    env = build_envelope(
        Header("m-3", TS, "notify", "register", "chitra", total_count=2, status="succ"), message
    )
    validate("registry", request_body("registry", "/registry/notify"), env)
    txn, got = reg.parse_notify(message)
    assert txn == "t-3" and got == events
    assert [reg.event_kind(e, e.records[0]) for e in got] == ["death", "correction"]
    with pytest.raises(EnvelopeError, match=r"notify_event\[0\]\.data\.reg_records: None"):
        reg.parse_notify({"transaction_id": "t", "notify_event": [
            {"reference_id": "e", "timestamp": "2026-12-07T09:30:00Z", "data": {"reg_type": "x", "reg_record_type": "person"}}]})  # fmt: skip


def test_txn_status() -> None:
    message = reg.build_txn_status_request("t-4", "r-1", "search", "transaction_id", "txn-1")
    env = build_envelope(
        Header("m-4", TS, "txn-status", "chitra", "register", total_count=1), message
    )
    validate("registry", request_body("registry", "/registry/txn/status"), env)
    assert reg.parse_txn_status_request(message) == ("t-4", "search", "transaction_id", "txn-1")
    status = reg.build_search_response(
        "txn-1", "c-1", [], at=TS, reg_type=REG_TYPE, record_type="person"
    )
    resp = reg.build_txn_status_response("t-4", "c-1", "on-search", status)
    validate_component("registry", "TxnStatusResponse", resp)
    assert reg.parse_txn_status_response(resp) == ("on-search", status)
    with pytest.raises(ValueError, match="txn_type 'link'"):
        reg.build_txn_status_request("t", "r", "link", "transaction_id", "x")
