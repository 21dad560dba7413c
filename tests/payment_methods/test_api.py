"""The provider API, tried as an attacker with a bank's token would: no row, request or answer
moves a pension or tells whether a personal ID exists."""

import datetime as dt
import json

import pytest

from chitra.iam.models import OrgKind, Role
from chitra.kernel.names import fold_name
from chitra.payment_methods.models import AccountNotice, ChangeRequest, PaymentMethod, Provider
from chitra.payment_methods.services import change_request_approve, change_request_submit
from tests.auth import api_headers
from tests.factories import BeneficiaryFactory, payment_method

PUSH = "/api/v1/payments/account-confirmations/"
REQUESTS = "/api/v1/payments/change-requests/"


def _post(client, url, body, auth):
    return client.post(url, body, content_type="application/json", **auth)


def _no_name_in(text: str, *names: str) -> None:
    folded = fold_name(text)
    for name in names:
        assert name not in text and fold_name(name) not in folded, name


@pytest.fixture
def bank(make_user):
    return make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405")


@pytest.mark.django_db
def test_one_bank_token_cannot_move_a_strangers_pension(client, bank, system, make_user):
    """The attack of issue #11: a dry run to learn the holder's name, then the same row."""
    stranger = BeneficiaryFactory(full_name="Trần Thu Hoa", sex="F")
    vcb = Provider.objects.get(code="970436")
    from chitra.payment_methods.models import Account

    acc = Account.objects.create(
        beneficiary=stranger,
        provider=vcb,
        method="BANK_ACCOUNT",
        number_encrypted="x",
        number_index="idx-vcb",
        number_last4="9999",
        holder_name="TRAN THU HOA",
        status="verified",
    )
    before = payment_method(
        beneficiary=stranger,
        method="BANK_ACCOUNT",
        account=acc,
        effective_month=dt.date(2026, 1, 1),
        created_by=system,
    )
    auth = api_headers(bank)
    answers = []
    for holder, dry in (
        ("AI DO", True),
        ("AI DO", False),
        ("TRAN THU HOA", True),
        ("TRAN THU HOA", False),
    ):
        r = _post(
            client,
            PUSH,
            {
                "dry_run": dry,
                "rows": [
                    {
                        "personal_id": stranger.personal_id,
                        "provider_code": "970405",
                        "account_number": "0123456781",
                        "holder_name": holder,
                    }
                ],
            },
            auth,
        )
        assert r.status_code == 200
        _no_name_in(r.content.decode(), "Trần Thu Hoa")
        answers.append(r.json())
    assert [a["results"] for a in answers] == [[{"row": 1, "status": "received"}]] * 4
    # where the money goes has not changed
    current = (
        PaymentMethod.objects.filter(beneficiary=stranger).order_by("-effective_month").first()
    )
    assert current == before and current.account == acc
    # the drafts it opened are BHXH's to decide; the bank does not see them
    drafts = ChangeRequest.objects.filter(beneficiary=stranger, source="bank")
    assert drafts.count() == 1 and drafts[0].status == "draft"
    listed = client.get(REQUESTS, **auth).json()["results"]
    assert listed == []
    with pytest.raises(Exception):
        change_request_submit(
            actor=bank,
            change_request=drafts[0],
            consent_date=dt.date.today(),
            consent_channel="bank_counter",
        )
    approver = make_user(OrgKind.BHXH_PROVINCE, Role.APPROVER)
    from chitra.core.errors import ChitraError

    with pytest.raises(ChitraError):  # a draft has no consent: nobody can approve it
        change_request_approve(actor=approver, change_request=drafts[0])


@pytest.mark.django_db
def test_the_answer_is_the_same_for_unknown_and_not_yours(client, bank, tq_communes):
    from chitra.geo.models import Commune
    from chitra.registry.models import Beneficiary

    hanoi = Commune.objects.filter(province__code="01").first()
    people = {
        "customer_to_be": BeneficiaryFactory(commune=tq_communes[0]),
        "other_province": BeneficiaryFactory(commune=hanoi),
        "deceased": BeneficiaryFactory(status=Beneficiary.Status.DECEASED),
    }
    ids = [p.personal_id for p in people.values()] + ["008099999999"]
    auth = api_headers(bank)
    bodies = []
    for n, pid in enumerate(ids):
        row = {
            "personal_id": pid,
            "provider_code": "970405",
            "account_number": f"01234567{n:02d}",
            "holder_name": "AI DO",
        }
        bodies.append(_post(client, PUSH, {"rows": [row]}, auth).json())
        r = _post(
            client,
            REQUESTS,
            {
                "personal_id": pid,
                "method": "BANK_ACCOUNT",
                "provider_code": "970405",
                "number": f"09876543{n:02d}",
                "holder_name": "AI DO",
            },
            auth,
        )
        assert r.status_code == 202, r.content
        bodies.append({k: v for k, v in r.json().items() if k != "notice_id"})
    assert all(b == bodies[0] for b in bodies[0::2]) and all(b == bodies[1] for b in bodies[1::2])
    assert bodies[1] == {"status": "received"}
    # only the person of its province got drafts; every row is kept for BHXH
    assert set(ChangeRequest.objects.values_list("beneficiary", flat=True)) == {
        people["customer_to_be"].pk
    }
    assert AccountNotice.objects.filter(outcome="no_match").count() == 6


@pytest.mark.django_db
def test_a_bank_confirms_the_request_a_bhxh_officer_made_for_it(
    client, bank, bhxh_officer, make_user
):
    from chitra.payment_methods.services import change_request_create

    person = BeneficiaryFactory(full_name="Nguyễn Văn Đức")
    cr = change_request_create(
        actor=bhxh_officer,
        beneficiary=person,
        method="BANK_ACCOUNT",
        source="officer",
        provider=Provider.objects.get(code="970405"),
        number="0123456781",
        holder_name="NGUYEN VAN DUC",
        consent_date=dt.date.today(),
        consent_channel="paper_form",
    )
    auth = api_headers(bank)
    listed = client.get(REQUESTS, **auth).json()["results"]
    assert [x["id"] for x in listed] == [cr.pk]  # the bank must open or confirm it
    row = {
        "personal_id": person.personal_id,
        "provider_code": "970405",
        "account_number": "0123456781",
        "holder_name": "NGUYEN VAN DUC",
    }
    body = _post(client, PUSH, {"rows": [row]}, auth).json()
    assert body["results"] == [{"row": 1, "status": "confirmed", "name_check": "match"}]
    again = _post(client, PUSH, {"rows": [row]}, auth).json()
    assert again["results"] == [{"row": 1, "status": "unchanged"}]
    other_bank = dict(row, provider_code="970436")
    body = _post(client, PUSH, {"rows": [other_bank]}, auth).json()
    assert [x["code"] for x in body["rejected"]] == ["provider_not_yours"]
    pm = change_request_approve(
        actor=make_user(OrgKind.BHXH_PROVINCE, Role.APPROVER), change_request=cr
    )
    assert pm.account.status == "verified"
    assert _post(client, PUSH, {"rows": "x"}, auth).status_code == 400


@pytest.mark.django_db
def test_a_banks_request_is_a_draft_that_bhxh_completes_and_a_different_approver_decides(
    client, bank, bhxh_officer, make_user
):
    person = BeneficiaryFactory(full_name="Nguyễn Văn Đức")
    auth = api_headers(bank)
    body = {
        "personal_id": person.personal_id,
        "method": "BANK_ACCOUNT",
        "provider_code": "970405",
        "number": "0123456781",
        "holder_name": "NGUYEN VAN DUC",
        "consent_date": dt.date.today().isoformat(),
        "consent_channel": "bank_counter",
    }
    r = _post(client, REQUESTS, body, auth)
    assert r.status_code == 202 and r.json()["status"] == "received"
    _no_name_in(r.content.decode(), "Nguyễn Văn Đức")
    cr = ChangeRequest.objects.get()
    assert (cr.status, cr.source, cr.consent_channel) == ("draft", "bank", "bank_counter")
    assert cr.provider_confirmed
    assert _post(client, REQUESTS, dict(body, provider_code="970436"), auth).status_code == 400
    r = _post(client, REQUESTS, dict(body, number="12"), auth)
    assert r.status_code == 400 and "12" in r.json()["detail"]
    r = _post(client, REQUESTS, dict(body, method="CASH_PAY_POINT"), auth)
    assert r.status_code == 400
    # BHXH checks the consent and submits; the one who submitted cannot approve
    submitter = make_user(OrgKind.BHXH_PROVINCE, Role.APPROVER)
    change_request_submit(
        actor=submitter,
        change_request=cr,
        consent_date=dt.date.today(),
        consent_channel="bank_counter",
    )
    from chitra.core.errors import ChitraError

    with pytest.raises(ChitraError):
        change_request_approve(actor=submitter, change_request=cr)
    pm = change_request_approve(
        actor=make_user(OrgKind.BHXH_PROVINCE, Role.APPROVER), change_request=cr
    )
    assert pm.account.status == "verified"  # the bank said so, the names agree
    listed = client.get(REQUESTS, **auth).json()["results"]
    assert [x["id"] for x in listed] == [cr.pk]  # approved: now its customer


@pytest.mark.django_db
def test_bhxh_officers_get_the_request_and_one_message_outside_their_area(
    client, make_user, tq_communes
):
    office = make_user(OrgKind.BHXH_OFFICE, Role.OFFICER, communes=[tq_communes[0]])
    mine = BeneficiaryFactory(full_name="Nguyễn Văn Đức", commune=tq_communes[0])
    theirs = BeneficiaryFactory(full_name="Trần Thu Hoa", commune=tq_communes[1])
    auth = api_headers(office)
    body = {
        "method": "BANK_ACCOUNT",
        "provider_code": "970405",
        "number": "0123456781",
        "holder_name": "NGUYEN VAN DUC",
        "consent_date": dt.date.today().isoformat(),
        "consent_channel": "paper_form",
    }
    r = _post(client, REQUESTS, dict(body, personal_id=mine.personal_id), auth)
    assert r.status_code == 201 and r.json()["status"] == "submitted"
    answers = [
        _post(client, REQUESTS, dict(body, personal_id=pid), auth)
        for pid in (theirs.personal_id, "008099999999")
    ]
    assert [a.status_code for a in answers] == [404, 404]
    assert answers[0].json() == answers[1].json()
    _no_name_in(json.dumps(answers[0].json()), "Trần Thu Hoa")


@pytest.mark.django_db
def test_viewers_and_oversight_cannot_push(client, make_user):
    for user in (
        make_user(OrgKind.STATE_BANK, Role.ADMIN),
        make_user(OrgKind.BHXH_PROVINCE, Role.VIEWER),
    ):
        r = _post(client, PUSH, {"rows": []}, api_headers(user))
        assert r.status_code == 403


@pytest.mark.django_db
def test_a_second_branch_of_the_bank_does_not_see_the_firsts_drafts(client, make_user):
    branch_a = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405")
    branch_b = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405")
    assert branch_a.organisation_id != branch_b.organisation_id
    stranger = BeneficiaryFactory(full_name="Trần Thu Hoa", sex="F")
    for auth in (api_headers(branch_a), api_headers(branch_b)):
        for n, pid in enumerate([stranger.personal_id, "008099999999"]):
            r = _post(
                client,
                PUSH,
                {
                    "rows": [
                        {
                            "personal_id": pid,
                            "provider_code": "970405",
                            "account_number": f"01234567{n:02d}",
                            "holder_name": "AI DO",
                        }
                    ]
                },
                auth,
            )
            assert r.json()["results"] == [{"row": 1, "status": "received"}]
        assert client.get(REQUESTS, **auth).json()["results"] == []
    assert ChangeRequest.objects.filter(beneficiary=stranger, status="draft").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "consent",
    [
        {
            "consent_date": (dt.date.today() + dt.timedelta(days=3)).isoformat(),
            "consent_channel": "bank_counter",
        },
        {"consent_date": dt.date.today().isoformat()},
    ],
)
def test_a_bad_consent_is_refused_alike_for_known_and_unknown_people(client, bank, consent):
    known = BeneficiaryFactory(full_name="Trần Thu Hoa", sex="F")
    answers = [
        _post(
            client,
            REQUESTS,
            {
                "personal_id": pid,
                "method": "BANK_ACCOUNT",
                "provider_code": "970405",
                "number": "0123456781",
                "holder_name": "AI DO",
                **consent,
            },
            api_headers(bank),
        )
        for pid in (known.personal_id, "008099999999")
    ]
    assert [a.status_code for a in answers] == [400, 400]
    assert answers[0].json() == answers[1].json()
    assert not ChangeRequest.objects.exists()


@pytest.mark.django_db
def test_a_bank_closes_the_account_of_its_deceased_customer(client, bank):
    from chitra.core import crypto
    from chitra.payment_methods.models import Account
    from chitra.registry.models import Beneficiary

    agri = Provider.objects.get(code="970405")
    dead = BeneficiaryFactory(status=Beneficiary.Status.DECEASED)
    acc = Account.objects.create(
        beneficiary=dead,
        provider=agri,
        method="BANK_ACCOUNT",
        number_encrypted=crypto.encrypt("0123456781"),
        number_index=crypto.blind_index("BANK_ACCOUNT:970405", "0123456781"),
        number_last4="6781",
        holder_name=dead.full_name.upper(),
        status="verified",
    )
    rows = [
        {
            "personal_id": dead.personal_id,
            "provider_code": "970405",
            "account_number": "0123456781",
            "holder_name": dead.full_name.upper(),
            "status": "closed",
        },
        {
            "personal_id": dead.personal_id,
            "provider_code": "970405",  # not its account
            "account_number": "0123456799",
            "holder_name": "AI DO",
        },
    ]
    body = _post(client, PUSH, {"rows": rows}, api_headers(bank)).json()
    assert [r["status"] for r in body["results"]] == ["closed", "received"]
    acc.refresh_from_db()
    assert acc.status == "closed"
    assert not ChangeRequest.objects.filter(beneficiary=dead).exists()


@pytest.mark.django_db
def test_only_a_providers_officers_of_an_active_organisation_push(client, make_user):
    viewer = make_user(OrgKind.BANK, Role.VIEWER, provider_code="970405")
    officer = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405")
    person = BeneficiaryFactory()
    row = {
        "personal_id": person.personal_id,
        "provider_code": "970405",
        "account_number": "0123456789",
        "holder_name": "X",
        "status": "closed",
    }
    auth = api_headers(officer)  # made while the bank is active
    assert _post(client, PUSH, {"rows": [row]}, api_headers(viewer)).status_code == 403
    assert (
        _post(
            client,
            REQUESTS,
            {
                "personal_id": person.personal_id,
                "method": "BANK_ACCOUNT",
                "provider_code": "970405",
                "number": "0123456789",
                "holder_name": "X",
            },
            api_headers(viewer),
        ).status_code
        == 403
    )
    officer.organisation.is_active = False
    officer.organisation.save()
    assert _post(client, PUSH, {"rows": [row]}, auth).status_code in (401, 403)
    assert not ChangeRequest.objects.exists()


@pytest.mark.django_db
def test_the_commune_committee_records_agreement_but_opens_no_request(
    client, make_user, tq_communes
):
    from django.urls import reverse

    committee = make_user(OrgKind.COMMUNE_COMMITTEE, Role.OFFICER, communes=[tq_communes[0]])
    person = BeneficiaryFactory(commune=tq_communes[0])
    client.force_login(committee)
    r = client.post(
        reverse("change_request_new", args=[person.pk]),
        {
            "method": "BANK_ACCOUNT",
            "provider": Provider.objects.get(code="970405").pk,
            "number": "0123456781",
            "holder_name": person.full_name,
            "consent_date": dt.date.today().isoformat(),
            "consent_channel": "in_person",
        },
    )
    assert r.status_code == 403
    assert not ChangeRequest.objects.exists()
