import pytest

from chitra.iam.models import OrgKind, Role
from chitra.payment_methods.models import PaymentMethod
from tests.auth import api_headers
from tests.factories import BeneficiaryFactory


@pytest.mark.django_db
def test_bank_pushes_confirmations_and_fetches_its_change_requests(client, make_user):
    b = BeneficiaryFactory(full_name="Nguyễn Văn Đức")
    bank = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405")
    auth = api_headers(bank)
    rows = [{"personal_id": b.personal_id, "provider_code": "970405",
             "account_number": "0123456781", "holder_name": "NGUYEN VAN DUC"},
            {"personal_id": b.personal_id, "provider_code": "970436",
             "account_number": "0123456789", "holder_name": "NGUYEN VAN DUC"}]
    r = client.post("/api/v1/payments/account-confirmations/", {"rows": rows},
                    content_type="application/json", **auth)
    body = r.json()
    assert r.status_code == 200 and body["applied"] == 1
    assert [x["code"] for x in body["rejected"]] == ["provider_not_yours"]
    assert body["rejected"][0]["row"] == 2
    assert PaymentMethod.objects.get(beneficiary=b).account.status == "verified"
    again = client.post("/api/v1/payments/account-confirmations/", {"rows": rows[:1]},
                        content_type="application/json", **auth).json()
    assert again["unchanged"] == 1 and again["applied"] == 0
    r = client.get("/api/v1/payments/change-requests/", **auth)
    assert r.status_code == 200
    assert client.post("/api/v1/payments/account-confirmations/", {"rows": "x"},
                       content_type="application/json", **auth).status_code == 400


@pytest.mark.django_db
def test_viewers_and_oversight_cannot_push(client, make_user):
    for user in (make_user(OrgKind.STATE_BANK, Role.ADMIN),
                 make_user(OrgKind.BHXH_PROVINCE, Role.VIEWER)):
        auth = api_headers(user)
        r = client.post("/api/v1/payments/account-confirmations/", {"rows": []},
                        content_type="application/json", **auth)
        assert r.status_code == 403


@pytest.mark.django_db
def test_change_requests_through_the_api(client, make_user):
    import datetime as dt

    from chitra.payment_methods.models import ChangeRequest

    b = BeneficiaryFactory(full_name="Nguyễn Văn Đức")
    bank = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405")
    auth = api_headers(bank)
    body = {"personal_id": b.personal_id, "method": "BANK_ACCOUNT", "provider_code": "970405",
            "number": "0123456781", "holder_name": "NGUYEN VAN DUC",
            "consent_date": dt.date.today().isoformat(), "consent_channel": "bank_counter"}
    r = client.post("/api/v1/payments/change-requests/", body, content_type="application/json",
                    **auth)
    assert r.status_code == 201, r.content
    assert r.json()["account_masked"] == "******6781" and r.json()["status"] == "submitted"
    assert ChangeRequest.objects.get().source == "bank"
    other = dict(body, provider_code="970436")  # not the bank's own accounts
    r = client.post("/api/v1/payments/change-requests/", other,
                    content_type="application/json", **auth)
    assert r.status_code == 400
    r = client.post("/api/v1/payments/change-requests/", dict(body, number="12"),
                    content_type="application/json", **auth)
    assert r.status_code == 400 and "12" in r.json()["detail"]
    r = client.post("/api/v1/payments/change-requests/", dict(body, personal_id="008099999999"),
                    content_type="application/json", **auth)
    assert r.status_code == 404


@pytest.mark.django_db
def test_a_bank_cannot_reach_beneficiaries_of_another_province(client, make_user):
    from chitra.geo.models import Commune

    hanoi = Commune.objects.filter(province__code="01").first()
    b = BeneficiaryFactory(full_name="Nguyễn Văn Đức", commune=hanoi)
    bank = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405")  # Tuyên Quang branch
    auth = api_headers(bank)
    r = client.post("/api/v1/payments/change-requests/", {
        "personal_id": b.personal_id, "method": "BANK_ACCOUNT", "provider_code": "970405",
        "number": "0123456781", "holder_name": "NGUYEN VAN DUC"},
        content_type="application/json", **auth)
    assert r.status_code == 404
