"""Adversarial probes of the G2P Connect mapper (``/api/g2p/mapper/sync/<op>``: a person's
bank account, personal data): enumeration, other areas and banks, consent withdrawn, and a
pension redirected to another account without BHXH's approval."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from chitra.core.errors import ChitraError
from chitra.engine.g2p import mapper as m
from chitra.engine.g2p.disburse import FinancialAddress
from chitra.geo.models import Province
from chitra.iam.models import OrgKind, Role
from chitra.iam.oauth import oauth_client_create
from chitra.payment_methods.models import ChangeRequest, Provider
from chitra.payment_methods.selectors import method_for_month
from chitra.payment_methods.services import change_request_approve
from tests.disbursement.conftest import add_method
from tests.factories import BeneficiaryFactory
from tests.payment_methods import test_g2p_mapper as mapper_tests
from tests.payment_methods.test_g2p_mapper import _ask, _consent, _pid, _token

person = mapper_tests.person  # a pensioner of the province paid into Agribank 0123456789
programme = mapper_tests.programme  # a province officer's machine client
pytestmark = pytest.mark.django_db


def _client(make_user, system, client_id: str, **user: Any) -> str:  # type: ignore[no-untyped-def]
    role = user.pop("role", Role.OFFICER)
    kind = user.pop("kind", OrgKind.BHXH_PROVINCE)
    new = oauth_client_create(
        actor=system, user=make_user(kind, role, **user), client_id=client_id, name=client_id
    )
    return _token(Client(), client_id, new.secret)


def _shape(row: dict[str, Any]) -> dict[str, Any]:
    """An answer row without what the caller sent (reference, id) and the clock."""
    return {k: v for k, v in row.items() if k not in ("reference_id", "timestamp", "id")}


def test_not_yours_and_no_such_person_answer_alike(make_user, system, tq_communes):  # type: ignore[no-untyped-def]
    """A client of another province cannot tell a real personal ID (consented or not) from
    a made-up one: enumerating IDs learns nothing."""
    consented = BeneficiaryFactory(commune=tq_communes[0])
    add_method(consented, "BANK_ACCOUNT", system, Provider.objects.get(code="970405"),
               month=dt.date(2026, 1, 1))  # fmt: skip
    _consent(consented, system, "data_sharing_with_provider")
    silent = BeneficiaryFactory(commune=tq_communes[0])
    other = Province.objects.exclude(code="08").order_by("code").first()
    token = _client(make_user, system, "programme-b", province=other)
    made_up = m.PersonId.parse("uin:999999999999@vn.nid")
    for scope in ("details", "yes_no"):
        items = [
            m.MapperItem("1", id=_pid(consented), scope=scope),
            m.MapperItem("2", id=_pid(silent), scope=scope),
            m.MapperItem("3", id=made_up, scope=scope),
        ]
        rows = _ask(token, "resolve", items)["message"]["resolve_response"]
        assert len({repr(sorted(_shape(r).items())) for r in rows}) == 1, rows
        assert rows[0]["status_reason_code"] == "succ.id.not_found"


def test_a_bank_resolves_only_its_own_customers(make_user, system, person, tq_communes):  # type: ignore[no-untyped-def]
    """Vietcombank's client asks for a person paid by Agribank (consent to share given)."""
    _consent(person, system, "data_sharing_with_provider")
    vcb = _client(make_user, system, "vcb", kind=OrgKind.BANK, provider_code="970436")
    agri = _client(make_user, system, "agri", kind=OrgKind.BANK, provider_code="970405")
    item = [m.MapperItem("1", id=_pid(person), scope="details")]
    (row,) = _ask(vcb, "resolve", item)["message"]["resolve_response"]
    assert (row["status_reason_code"], "fa" in row) == ("succ.id.not_found", False)
    (row,) = _ask(agri, "resolve", item)["message"]["resolve_response"]
    assert row["fa"] == "account:0123456789@970405"


def test_a_withdrawn_consent_stops_sharing(programme, person, system):  # type: ignore[no-untyped-def]
    _consent(person, system, "data_sharing_with_provider")
    item = [m.MapperItem("1", id=_pid(person), scope="details")]
    assert "fa" in _ask(programme, "resolve", item)["message"]["resolve_response"][0]
    _consent(person, system, "data_sharing_with_provider", given=False)
    (row,) = _ask(programme, "resolve", item)["message"]["resolve_response"]
    assert row["status"] == "rjct" and "fa" not in row


def test_a_consent_for_another_purpose_does_not_open_the_account(programme, person, system):  # type: ignore[no-untyped-def]
    _consent(person, system, "payment_method_change")  # consent to change, not to share
    (row,) = _ask(programme, "resolve", [m.MapperItem("1", id=_pid(person), scope="details")])[
        "message"
    ]["resolve_response"]
    assert row["status"] == "rjct" and "fa" not in row


def test_update_cannot_redirect_a_pension_without_a_second_person(  # type: ignore[no-untyped-def]
    make_user, system, person
):
    """An approver's machine client sends update to the attacker's account: the request
    waits; the pension still goes to the old account; the same user cannot approve it."""
    _consent(person, system, "payment_method_change")
    user = make_user(OrgKind.BHXH_PROVINCE, Role.APPROVER)
    new = oauth_client_create(actor=system, user=user, client_id="approver-m", name="m")
    token = _token(Client(), "approver-m", new.secret)
    attacker = FinancialAddress.parse("account:5555555555@970436")
    item = m.MapperItem("1", id=_pid(person), fa=attacker, name=person.full_name)
    (row,) = _ask(token, "update", [item])["message"]["update_response"]
    assert row["status"] == "pdng"
    cr = ChangeRequest.objects.get(beneficiary=person, source="api")
    month = timezone.localdate().replace(day=1)
    method = method_for_month(person, month, actor=system)
    assert method is not None and method.account.provider.code == "970405"
    with pytest.raises(ChitraError):
        change_request_approve(actor=user, change_request=cr)
    cr.refresh_from_db()
    assert cr.status == "submitted"


def test_a_bank_cannot_link_a_person_into_another_banks_account(  # type: ignore[no-untyped-def]
    make_user, system, person
):
    """Agribank's client links its customer to a Vietcombank account: refused; into its own
    accounts the request is only a draft BHXH must complete and an approver decide."""
    _consent(person, system, "payment_method_change")
    agri = _client(make_user, system, "agri", kind=OrgKind.BANK, provider_code="970405")
    elsewhere = FinancialAddress.parse("account:5555555555@970436")
    (row,) = _ask(agri, "link", [m.MapperItem("1", id=_pid(person), fa=elsewhere)])["message"][
        "link_response"
    ]
    assert row["status"] == "rjct"
    assert not ChangeRequest.objects.filter(beneficiary=person, source="api").exists()
    own = FinancialAddress.parse("account:5555555555@970405")
    (row,) = _ask(agri, "link", [m.MapperItem("1", id=_pid(person), fa=own)])["message"][
        "link_response"
    ]
    cr = ChangeRequest.objects.get(beneficiary=person, source="api")
    assert row["status"] == "pdng" and cr.status == "draft", row


def test_a_reused_message_id_with_another_request_is_refused(programme, person, system):  # type: ignore[no-untyped-def]
    """link for one account under message_id X, then update to another account under X:
    answering the stored 'pdng' would tell the client its second request waits for approval
    when nothing was made."""
    _consent(person, system, "payment_method_change")
    first = FinancialAddress.parse("account:1111111111@970436")
    second = FinancialAddress.parse("account:2222222222@970436")
    _ask(programme, "link", [m.MapperItem("1", id=_pid(person), fa=first)], message_id="x-1")
    again = _ask(programme, "link", [m.MapperItem("1", id=_pid(person), fa=second)],
                 message_id="x-1")  # fmt: skip
    assert again["message"]["ack_status"] == "ERR", again
    assert "already used for another message" in again["message"]["error"]["message"]
    assert ChangeRequest.objects.filter(beneficiary=person, source="api").count() == 1
