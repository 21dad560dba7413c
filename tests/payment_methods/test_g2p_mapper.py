# ruff: noqa: E501  (spec-shaped literals read best on one line)
"""The G2P Connect mapper over the payment-method register: resolve with consent and scope,
link/update as change requests awaiting approval, unlink refused, repeats answered the same,
answers valid against the vendored spec and signed."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from chitra.core.models import AuditEvent
from chitra.engine.g2p import jws
from chitra.engine.g2p import mapper as m
from chitra.engine.g2p.disburse import FinancialAddress
from chitra.engine.g2p.envelope import Header, build_envelope
from chitra.geo.models import Province
from chitra.iam.models import OrgKind, Role
from chitra.iam.oauth import oauth_client_create, public_key_pem
from chitra.payment_methods.models import ChangeRequest, MapperMessage, Provider
from chitra.registry.services import consent_record
from tests.disbursement.conftest import add_method
from tests.engine.g2p_specs import validate_component
from tests.factories import BeneficiaryFactory


def _token(client: Client, client_id: str, secret: str) -> str:
    r = client.post(
        "/api/g2p/oauth2/client/token",
        {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )
    return str(r.json()["access_token"])


@pytest.fixture
def programme(make_user, system):  # type: ignore[no-untyped-def]
    user = make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER)
    new = oauth_client_create(actor=system, user=user, client_id="programme-a", name="Programme A")
    return _token(Client(), "programme-a", new.secret)


@pytest.fixture
def person(tq_communes, system):  # type: ignore[no-untyped-def]
    b = BeneficiaryFactory(full_name="Nguyễn Thị Bình", commune=tq_communes[0])
    add_method(
        b,
        "BANK_ACCOUNT",
        system,
        Provider.objects.get(code="970405"),
        number="0123456789",
        month=dt.date(2026, 1, 1),
    )
    return b


def _consent(b: Any, system: Any, purpose: str, given: bool = True) -> None:
    consent_record(
        actor=system,
        beneficiary=b,
        purpose=purpose,
        given=given,
        channel="paper_form",
        date=timezone.localdate(),
    )


def _ask(
    token: str, op: str, items: list[m.MapperItem], message_id: str | None = None
) -> dict[str, Any]:
    now = timezone.now()
    header = Header(
        message_id or uuid.uuid4().hex, now, op, "programme-a", "chitra", total_count=len(items)
    )
    env = build_envelope(header, m.build_request(op, "t-" + uuid.uuid4().hex[:8], items, at=now))
    r = Client().post(
        f"/api/g2p/mapper/sync/{op}",
        json.dumps(env),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert r.status_code == 200
    return r.json()  # type: ignore[no-any-return]


def _pid(b: Any) -> m.PersonId:
    return m.PersonId.parse(f"uin:{b.personal_id}@vn.nid")


@pytest.mark.django_db
def test_resolve_needs_consent_and_gives_the_address(programme, person, system):  # type: ignore[no-untyped-def]
    items = [
        m.MapperItem("1", id=_pid(person), scope="details"),
        m.MapperItem("2", id=_pid(person)),
    ]
    refused = _ask(programme, "resolve", items)
    assert [
        (r["status"], r["status_reason_code"]) for r in refused["message"]["resolve_response"]
    ] == [("rjct", "rjct.id.invalid")] * 2
    _consent(person, system, "data_sharing_with_provider")
    answer = _ask(programme, "resolve", items)
    validate_component("mapper", "ResolveResponse", answer["message"])
    assert answer["header"]["action"] == "on-resolve"
    jws.verify_envelope(
        answer["signature"], answer["header"], answer["message"], jws.load_public(public_key_pem())
    )
    details, yes_no = answer["message"]["resolve_response"]
    assert (
        details["fa"] == "account:0123456789@970405"
        and details["account_provider_info"]["code"] == "970405"
    )
    assert (yes_no["status_reason_code"], "fa" in yes_no) == ("succ.fa.active", False)
    audit = AuditEvent.objects.filter(action="payment.mapper.resolve").order_by("-id").first()
    assert (
        audit is not None
        and audit.after["statuses"] == {"succ": 2}
        and "0123456789" not in json.dumps(audit.after)
    )
    # consent withdrawn: refused again
    _consent(person, system, "data_sharing_with_provider", given=False)
    again = _ask(programme, "resolve", [m.MapperItem("1", id=_pid(person))])
    assert again["message"]["resolve_response"][0]["status"] == "rjct"


@pytest.mark.django_db
def test_resolve_outside_the_clients_area_is_not_found(make_user, system, person):  # type: ignore[no-untyped-def]
    _consent(person, system, "data_sharing_with_provider")
    other = make_user(
        OrgKind.BHXH_PROVINCE,
        Role.OFFICER,
        province=Province.objects.exclude(code="08").order_by("code").first(),
    )
    new = oauth_client_create(actor=system, user=other, client_id="programme-b", name="B")
    token = _token(Client(), "programme-b", new.secret)
    answer = _ask(
        token,
        "resolve",
        [
            m.MapperItem("1", id=_pid(person), scope="details"),
            m.MapperItem("2", id=m.PersonId.parse("uin:12@vn.nid")),
        ],
    )
    first, bad = answer["message"]["resolve_response"]
    assert (first["status"], first["status_reason_code"], "fa" in first) == (
        "succ",
        "succ.id.not_found",
        False,
    )
    assert (bad["status"], bad["status_reason_code"]) == ("rjct", "rjct.id.invalid")


@pytest.mark.django_db
def test_link_is_a_change_request_waiting_for_approval_and_a_repeat_changes_nothing(
    programme, person, system
):  # type: ignore[no-untyped-def]
    item = m.MapperItem(
        "1",
        id=_pid(person),
        fa=FinancialAddress.parse("account:9876543210@970436"),
        name="Nguyễn Thị Bình",
    )
    no_consent = _ask(programme, "link", [item])
    assert no_consent["message"]["link_response"][0]["status_reason_code"] == "rjct.other.error"
    _consent(person, system, "payment_method_change")
    answer = _ask(programme, "link", [item], message_id="link-1")
    validate_component("mapper", "LinkResponse", answer["message"])
    row = answer["message"]["link_response"][0]
    assert row["status"] == "pdng"
    cr = ChangeRequest.objects.get(beneficiary=person, source="api")
    assert (cr.status, cr.source, cr.provider.code, cr.number_last4) == (
        "submitted",
        "api",
        "970436",
        "3210",
    )
    assert dict((i["name"], i["value"]) for i in row["additional_info"])["change_request"] == str(
        cr.pk
    )
    assert _ask(programme, "link", [item], message_id="link-1") == answer
    assert ChangeRequest.objects.filter(beneficiary=person, source="api").count() == 1
    assert MapperMessage.objects.filter(message_id="link-1").count() == 1


@pytest.mark.django_db
def test_unlink_refused_and_bad_envelopes_named(programme, person):  # type: ignore[no-untyped-def]
    answer = _ask(programme, "unlink", [m.MapperItem("1", id=_pid(person))])
    validate_component("mapper", "UnlinkResponse", answer["message"])
    assert answer["message"]["unlink_response"][0]["status"] == "rjct"
    bad = {"header": {"message_id": "x", "message_ts": "2026-12-07T09:30:00Z", "action": "resolve", "sender_id": "p", "total_count": 1},
           "message": {"transaction_id": "t", "resolve_request": [{"reference_id": "1", "timestamp": "2026-12-07T09:30:00Z", "scope": "all", "id": "uin:1@vn.nid"}]}}  # fmt: skip
    r = Client().post(
        "/api/g2p/mapper/sync/resolve",
        json.dumps(bad),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {programme}",
    )
    err = r.json()["message"]
    assert (
        err["ack_status"] == "ERR"
        and "message.resolve_request[0].scope: 'all'" in err["error"]["message"]
    )
    assert (
        Client()
        .post("/api/g2p/mapper/sync/resolve", json.dumps(bad), content_type="application/json")
        .status_code
        == 401
    )
