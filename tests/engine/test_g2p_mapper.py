# ruff: noqa: E501  (spec-shaped literals read best on one line)
"""G2P Connect mapper messages (chitra.engine.g2p.mapper) against the vendored spec."""

from __future__ import annotations

import datetime as dt

import pytest

from chitra.engine.g2p import mapper as m
from chitra.engine.g2p.disburse import FinancialAddress
from chitra.engine.g2p.envelope import EnvelopeError, Header, build_envelope
from tests.engine.g2p_specs import enum, request_body, spec, validate, validate_component

TS = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
PID = m.PersonId.parse("uin:001090012345@vn.nid")
FA = FinancialAddress.parse("account:0123456789@970436")


def _items(op: str) -> list[m.MapperItem]:
    if op == "resolve":
        return [m.MapperItem("1", id=PID, scope="details"), m.MapperItem("2", fa=FA)]
    if op == "unlink":
        return [m.MapperItem("1", id=PID)]
    return [m.MapperItem("1", id=PID, fa=FA, name="Nguyễn Thị Bình", phone_number="+84912345678")]


@pytest.mark.parametrize("op", m.OPERATIONS)
def test_requests_valid_against_the_spec_and_read_back(op: str) -> None:
    message = m.build_request(op, "t-1", _items(op), at=TS)
    env = build_envelope(
        Header("m-1", TS, op, "programme", "chitra", total_count=len(_items(op))), message
    )
    validate("mapper", request_body("mapper", f"/mapper/{op}"), env)
    validate_component("mapper", f"{op.capitalize()}Request", message)
    txn, items = m.parse_request(op, message)
    assert txn == "t-1" and items == _items(op)


@pytest.mark.parametrize("op", m.OPERATIONS)
def test_responses_valid_against_the_spec_and_read_back(op: str) -> None:
    answers = [
        m.MapperAnswer("1", "succ", "succ.fa.active" if op == "resolve" else "", fa=str(FA) if op in ("resolve", "update", "link") else "",
                       provider_name="Agribank" if op == "resolve" else "", provider_code="970405" if op == "resolve" else ""),
        m.MapperAnswer("2", "rjct", "rjct.reference_id.invalid", "bad"),
    ]  # fmt: skip
    message = m.build_response(op, "t-1", "c-1", answers, at=TS)
    validate_component("mapper", f"{op.capitalize()}Response", message)
    txn, got = m.parse_response(op, message)
    assert txn == "t-1" and [(a.reference_id, a.status, a.reason_code) for a in got] == [
        (a.reference_id, a.status, a.reason_code) for a in answers
    ]


def test_enums_are_the_specs() -> None:
    assert tuple(enum("mapper", "RequestStatus")) == m.STATUSES
    for op in m.OPERATIONS:
        assert set(enum("mapper", f"{op.capitalize()}StatusReasonCode")) == m.REASON_CODES[op]
    scope = spec("mapper")["components"]["schemas"]["ResolveRequest"]["properties"][
        "resolve_request"
    ]["items"]["properties"]["scope"]
    assert tuple(scope["enum"]) == m.RESOLVE_SCOPES
    assert {f"/mapper/sync/{op}" for op in m.OPERATIONS} <= set(spec("mapper")["paths"])


def test_spec_defects_still_there() -> None:
    """Listed in docs/conformance/g2p-mapper.md; drop a line when the spec fixes it."""
    paths = spec("mapper")["paths"]
    action = paths["/mapper/sync/resolve"]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ]["properties"]["header"]["allOf"][1]
    assert action["properties"]["action"]["enum"] == ["link"]  # should be resolve
    schemas = spec("mapper")["components"]["schemas"]
    assert "fa" in schemas["UpdateResponse"]["properties"]["update_response"]["items"]["required"]
    assert (
        "fa"
        not in schemas["UpdateResponse"]["properties"]["update_response"]["items"]["properties"]
    )
    assert (
        schemas["cdpi_PersonId"]["format"] == "^[a-zA-Z0-9.-]+@[a-zA-Z0-9.-]+$"
    )  # no ':' although examples have one


@pytest.mark.parametrize(
    ("op", "item", "element"),
    [
        (
            "link",
            {"reference_id": "1", "timestamp": "2026-12-07T09:30:00Z", "id": "uin:1@vn.nid"},
            "message.link_request[0].fa",
        ),
        (
            "link",
            {
                "reference_id": "1",
                "timestamp": "2026-12-07T09:30:00Z",
                "id": "not an id",
                "fa": "account:1@970436",
            },
            "message.link_request[0].id",
        ),
        (
            "unlink",
            {"reference_id": "1", "timestamp": "yesterday", "id": "uin:1@vn.nid"},
            "message.unlink_request[0].timestamp",
        ),
        (
            "resolve",
            {
                "reference_id": "1",
                "timestamp": "2026-12-07T09:30:00Z",
                "id": "uin:1@vn.nid",
                "scope": "all",
            },
            "message.resolve_request[0].scope",
        ),
        (
            "resolve",
            {"reference_id": "1", "timestamp": "2026-12-07T09:30:00Z"},
            "message.resolve_request[0].id",
        ),
        ("update", {"timestamp": "2026-12-07T09:30:00Z"}, "message.update_request[0].reference_id"),
    ],
)
def test_bad_items_named(op: str, item: dict[str, object], element: str) -> None:
    with pytest.raises(EnvelopeError) as err:
        m.parse_request(op, {"transaction_id": "t", f"{op}_request": [item]})
    assert err.value.element == element


def test_duplicate_reference_and_bad_codes() -> None:
    item = {"reference_id": "1", "timestamp": "2026-12-07T09:30:00Z", "id": "uin:1@vn.nid"}
    with pytest.raises(EnvelopeError, match="unique in the message"):
        m.parse_request("unlink", {"transaction_id": "t", "unlink_request": [item, item]})
    with pytest.raises(ValueError, match="not a reason code of update"):
        m.build_response(
            "update", "t", "c", [m.MapperAnswer("1", "rjct", "rjct.fa.invalid")], at=TS
        )
    assert str(m.PersonId.parse("UIN:001@VN.NID")) == "uin:001@vn.nid"
