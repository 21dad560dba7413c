import pytest
from rest_framework.authtoken.models import Token

from chitra.iam.models import OrgKind, Role
from chitra.payment_methods.models import PaymentMethod
from tests.factories import BeneficiaryFactory


@pytest.mark.django_db
def test_bank_pushes_confirmations_and_fetches_its_change_requests(client, make_user):
    b = BeneficiaryFactory(full_name="Nguyễn Văn Đức")
    bank = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405")
    auth = {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=bank).key}"}
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
        auth = {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=user).key}"}
        r = client.post("/api/v1/payments/account-confirmations/", {"rows": []},
                        content_type="application/json", **auth)
        assert r.status_code == 403
