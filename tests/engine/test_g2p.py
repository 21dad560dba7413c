# ruff: noqa: E501  (the parametrised cases read best one per line)
"""G2P Connect disburse messages (chitra.engine.g2p) against the spec's vendored schemas."""

from __future__ import annotations

import datetime as dt

import jsonschema
import pytest

from chitra.engine import g2p
from chitra.engine.g2p.disburse import Disbursement, DisbursementStatus, FinancialAddress
from tests.engine.g2p_schema import ack_schema, request_body, spec, validate, validate_component

TS = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def _header(action: str = "disburse", **kw: object) -> g2p.Header:
    base: dict[str, object] = {
        "message_id": "msg-1",
        "message_ts": TS,
        "action": action,
        "sender_id": "bhxh.hanoi.chitra",
        "receiver_id": "vnpost.example",
        "total_count": 2,
    }
    base.update(kw)
    return g2p.Header(**base)  # type: ignore[arg-type]


def _request() -> dict[str, object]:
    items = [
        Disbursement(
            reference_id=f"C2612-0001-{n}",
            payer_fa="account:1234567890@970415",
            payee_fa=str(FinancialAddress.build("account", f"00{n}456", "970436")),
            amount=1_500_000 + n,
            payee_name="Nguyễn Văn A",
            note="BHXH LTHT 12/2026",
            purpose="PENS",
            scheduled_timestamp=TS if n == 1 else None,
        )
        for n in (1, 2)
    ]
    return g2p.build_disburse_request("C2612-0001", items)


def test_disburse_envelope_is_valid_against_the_spec() -> None:
    env = g2p.build_envelope(_header(), _request(), signature="x..y")
    validate(request_body("/disburse"), env)
    header, message, signature = g2p.parse_envelope(env, callback=False, actions={"disburse"})
    assert header.total_count == 2 and header.receiver_id == "vnpost.example"
    assert signature == "x..y"
    tx, items = g2p.parse_disburse_request(message)
    assert tx == "C2612-0001" and [i.amount for i in items] == [1_500_001, 1_500_002]
    assert env["message"]["disbursements"][0]["amount"] == "1500001.00"  # type: ignore[index]
    assert env["message"]["disbursements"][0]["scheduled_timestamp"] == "2026-12-07T09:30:00+07:00"  # type: ignore[index]
    assert "scheduled_timestamp" not in env["message"]["disbursements"][1]  # type: ignore[index]


def test_the_spec_typo_would_refuse_every_request() -> None:
    raw = spec()["components"]["schemas"]["DisburseRequest"]["required"]
    assert "disburemsents" in raw  # when the spec fixes it, drop the work-around and this test


def test_on_disburse_callback_and_ack_are_valid() -> None:
    statuses = [
        DisbursementStatus("C2612-0001-1", "succ", TS),
        DisbursementStatus(
            "C2612-0001-2", "rjct", TS, "rjct.payee_fa.invalid", "no such account", 1_500_002
        ),
        DisbursementStatus("C2612-0001-3", "pdng", TS),
    ]
    header = _header("on-disburse", status="succ", completed_count=2, total_count=3)
    env = g2p.build_envelope(header, g2p.build_disburse_response("C2612-0001", statuses))
    validate(request_body("/on-disburse"), env)
    h, m, _sig = g2p.parse_envelope(env, callback=True, actions={"on-disburse"})
    assert h.is_callback and h.completed_count == 2
    tx, got = g2p.parse_disburse_response(m)
    assert tx == "C2612-0001" and got == statuses
    answer = g2p.ack("ACK", correlation_id="42", at=TS)
    validate(ack_schema(), answer)
    err = g2p.ack("ERR", correlation_id="42", at=TS, error_code="err.signature.invalid")
    validate(ack_schema(), err)
    assert g2p.parse_ack(err).error_code == "err.signature.invalid"
    with pytest.raises(ValueError, match="err"):
        g2p.ack("ERR", correlation_id="1", at=TS, error_code="err.made_up")


def test_txn_status_request_and_response_are_valid() -> None:
    req = g2p.build_txn_status_request("C2612-0001", "st-1")
    validate_component("TxnStatusRequest", req)
    assert g2p.parse_txn_status_request(req)[2:] == ("transaction_id", "C2612-0001")
    some = g2p.build_txn_status_request("C2612-0001", "st-2", references=["a", "b"])
    validate_component("TxnStatusRequest", some)
    inner = g2p.build_disburse_response("C2612-0001", [DisbursementStatus("a", "succ", TS)])
    resp = g2p.build_txn_status_response("C2612-0001", "corr-9", inner)
    validate_component("TxnStatusResponse", resp)
    tx, corr, statuses = g2p.parse_txn_status_response(resp)
    assert (tx, corr, statuses[0].status) == ("C2612-0001", "corr-9", "succ")


def test_statuses_and_reason_codes_are_the_specs() -> None:
    schemas = spec()["components"]["schemas"]
    assert tuple(schemas["RequestStatus"]["enum"]) == g2p.STATUSES
    assert tuple(schemas["DisburseStatusReasonCode"]["enum"]) == g2p.G2P_REASON_CODES
    assert set(schemas["Ack"]["enum"]) == set(g2p.ACK_STATUSES)
    assert set(schemas["Error"]["properties"]["code"]["enum"]) == g2p.ERROR_CODES
    assert set(schemas["MsgHeaderStatusReasonCode"]["enum"]) == g2p.HEADER_REASON_CODES
    assert set(g2p.REASON_TO_CATALOGUE) == set(g2p.G2P_REASON_CODES)


def test_reason_codes_map_to_the_catalogue() -> None:
    assert g2p.catalogue_reason("rjct.payee_fa.invalid") == "AC01"
    assert g2p.catalogue_reason("") == "MS03"
    assert g2p.catalogue_reason("AC04", ["AC04"]) == "AC04"  # an ISO code sent as it is
    with pytest.raises(ValueError, match=r"rjct\.payee\.gone"):
        g2p.catalogue_reason("rjct.payee.gone", ["AC04"])


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("account:0123456789@970436", ("account", "0123456789", "970436")),
        ("MOBILE:0912345678@Momo", ("mobile", "0912345678", "momo")),
        ("joeuser@national-bank", ("", "joeuser", "national-bank")),
        ("token:12345@gtbank", ("token", "12345", "gtbank")),  # the spec's example
    ],
)
def test_financial_address_parsed(text: str, parts: tuple[str, str, str]) -> None:
    fa = FinancialAddress.parse(text)
    assert (fa.id_type, fa.id, fa.provider) == parts
    assert FinancialAddress.parse(str(fa)) == fa


@pytest.mark.parametrize("bad", ["", "0123456789", "account:12 34@bank", "a:b@", "a:b@c@d", 7])
def test_bad_financial_address_named(bad: object) -> None:
    with pytest.raises(g2p.EnvelopeError, match=r"payee_fa.*id-type:id@provider"):
        FinancialAddress.parse(bad)


@pytest.mark.parametrize(
    ("mutate", "element", "code"),
    [
        (lambda e: e["header"].pop("message_id"), "header.message_id", "err.request.bad"),
        (lambda e: e["header"].update(version="2.0.0"), "header.version", "err.version.not_supported"),
        (lambda e: e["header"].update(action="search"), "header.action", "err.request.bad"),
        (lambda e: e["header"].update(message_ts="7/12/2026"), "header.message_ts", "err.request.bad"),
        (lambda e: e["header"].update(total_count=-1), "header.total_count", "err.request.bad"),
        (lambda e: e["header"].update(is_msg_encrypted=True), "header.is_msg_encrypted", "err.encryption.invalid"),
        (lambda e: e.pop("message"), "message", "err.request.bad"),
        (lambda e: e.update(extra=1), "extra", "err.request.bad"),
    ],
)  # fmt: skip
def test_bad_envelopes_named(mutate: object, element: str, code: str) -> None:
    env = g2p.build_envelope(_header(), _request())
    mutate(env)  # type: ignore[operator]
    with pytest.raises(g2p.EnvelopeError) as e:
        g2p.parse_envelope(env, callback=False, actions={"disburse"})
    assert e.value.element == element and e.value.code == code
    assert element in str(e.value)


def test_bad_envelopes_also_refused_by_the_schema() -> None:
    env = g2p.build_envelope(_header(), _request())
    del env["header"]["message_id"]
    with pytest.raises(jsonschema.ValidationError):
        validate(request_body("/disburse"), env)


@pytest.mark.parametrize(
    ("item", "element"),
    [
        ({"reference_id": "r", "timestamp": TS.isoformat(), "status": "ok"}, "status"),
        ({"reference_id": "", "timestamp": TS.isoformat(), "status": "succ"}, "reference_id"),
        ({"reference_id": "r", "status": "succ"}, "timestamp"),
        ({"reference_id": "r", "timestamp": TS.isoformat(), "status": "succ", "amount": "10.5"}, "amount"),
        ({"reference_id": "r", "timestamp": TS.isoformat(), "status": "succ", "amount": 10}, "amount"),
    ],
)  # fmt: skip
def test_bad_statuses_named(item: dict[str, object], element: str) -> None:
    with pytest.raises(g2p.EnvelopeError) as e:
        g2p.parse_disburse_response({"transaction_id": "t", "disbursements_status": [item]})
    assert e.value.element == f"message.disbursements_status[0].{element}"


def test_duplicate_reference_in_one_message_refused() -> None:
    s = DisbursementStatus("r", "succ", TS).to_json()
    with pytest.raises(g2p.EnvelopeError, match="once per message"):
        g2p.parse_disburse_response({"transaction_id": "t", "disbursements_status": [s, s]})


def test_amounts() -> None:
    assert g2p.amount_text(2_000_000) == "2000000.00"
    assert g2p.parse_amount("a", "2000000.00") == 2_000_000
    with pytest.raises(ValueError, match="positive"):
        g2p.amount_text(0)
