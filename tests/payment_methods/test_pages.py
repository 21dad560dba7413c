import datetime as dt

import pytest
from django.urls import reverse

from chitra.core.models import AuditEvent
from chitra.iam.models import OrgKind, Role
from chitra.payment_methods.models import ChangeRequest, PaymentMethod, Provider
from tests.factories import BeneficiaryFactory


@pytest.mark.django_db
def test_officer_requests_approver_approves_and_full_number_is_audited(
    client, bhxh_officer, make_user
):
    b = BeneficiaryFactory(full_name="Nguyễn Văn Đức")
    agri = Provider.objects.get(code="970405")
    client.force_login(bhxh_officer)
    r = client.post(
        reverse("change_request_new", args=[b.pk]),
        {
            "method": "BANK_ACCOUNT",
            "provider": agri.pk,
            "number": "0123 4567 81",
            "holder_name": "NGUYEN VAN DUC",
            "consent_date": dt.date.today().isoformat(),
            "consent_channel": "in_person",
        },
    )
    assert r.status_code == 302
    cr = ChangeRequest.objects.get()
    assert cr.status == "submitted"
    page = client.get(reverse("change_requests"))
    assert "Nguyễn Văn Đức" in page.text and "0123456781" not in page.text
    approver = make_user(OrgKind.BHXH_PROVINCE, Role.APPROVER)
    client.force_login(approver)
    r = client.post(reverse("change_request_decide", args=[cr.pk]), {"decision": "approve"})
    assert r.status_code == 302
    pm = PaymentMethod.objects.get(beneficiary=b)
    detail = client.get(reverse("beneficiary_detail", args=[b.pk]))
    assert "******6781" in detail.text and "0123456781" not in detail.text
    shown = client.post(reverse("account_reveal", args=[pm.account_id]))
    assert "0123456781" in shown.text
    assert AuditEvent.objects.filter(action="payment.account.reveal").count() == 1
    client.force_login(bhxh_officer)  # an officer sees the masked number only
    assert client.post(reverse("account_reveal", args=[pm.account_id])).status_code == 403


@pytest.mark.django_db
def test_bad_account_number_is_a_clear_message(client, bhxh_officer):
    b = BeneficiaryFactory()
    client.force_login(bhxh_officer)
    r = client.post(
        reverse("change_request_new", args=[b.pk]),
        {
            "method": "BANK_ACCOUNT",
            "provider": Provider.objects.get(code="970405").pk,
            "number": "12AB",
            "holder_name": "X",
        },
        follow=True,
    )
    assert "12AB" in r.text and not ChangeRequest.objects.exists()


@pytest.mark.django_db
def test_provider_catalogue_and_exports(client, bhxh_officer, tq):
    import io

    import openpyxl

    from chitra.demo.payment_methods import ensure_demo_coverage

    ensure_demo_coverage(tq)
    client.force_login(bhxh_officer)
    page = client.get(reverse("providers"))
    assert "Agribank" in page.text and "MoMo" in page.text
    xl = client.get(reverse("providers"), {"format": "xlsx"})
    ws = openpyxl.load_workbook(io.BytesIO(xl.content)).active
    rows = {r[1]: r for r in ws.iter_rows(min_row=5, values_only=True)}
    assert rows["970405"][5] == 124  # Agribank serves every commune of Tuyên Quang
    cr_xl = client.get(reverse("change_requests"), {"format": "xlsx", "status": ""})
    assert cr_xl.status_code == 200


@pytest.mark.django_db
def test_province_admin_keeps_the_provider_catalogue(client, make_user, tq_communes):
    from chitra.payment_methods.models import Coverage

    admin = make_user(OrgKind.BHXH_PROVINCE, Role.ADMIN)
    agri = Provider.objects.get(code="970405")
    client.force_login(admin)
    url = reverse("provider_detail", args=[agri.pk])
    client.post(
        url,
        {
            "action": "info",
            "contacts": "Chi nhánh Tuyên Quang: 0207 3822 xxx",
            "fee_notes": "Miễn phí chuyển lương hưu",
        },
    )
    client.post(
        url,
        {"action": "add", "commune": tq_communes[3].pk, "kind": "pay_point", "address": "UBND xã"},
    )
    assert Coverage.objects.filter(provider=agri, commune=tq_communes[3]).exists()
    assert "Miễn phí" in client.get(url).text
    assert AuditEvent.objects.filter(action="payment.coverage.set").count() == 1
    officer = make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER)
    client.force_login(officer)
    assert client.post(url, {"action": "info", "contacts": "x"}).status_code == 403
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_a_draft_from_a_bank_is_completed_on_the_page_and_decided_by_another(
    client, bhxh_officer, make_user
):
    from chitra.payment_methods.imports import (
        AccountImportSummary,
        account_records_apply,
        records_from_api,
    )

    b = BeneficiaryFactory(full_name="Nguyễn Văn Đức")
    bank = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405")
    records, _rej = records_from_api(
        [
            {
                "personal_id": b.personal_id,
                "provider_code": "970405",
                "account_number": "0123456781",
                "holder_name": "NGUYEN VAN DUC",
            }
        ]
    )
    account_records_apply(actor=bank, records=records, summary=AccountImportSummary(rows=1))
    cr = ChangeRequest.objects.get()
    client.force_login(bank)  # the bank neither sees nor submits its draft
    assert "Nguyễn Văn Đức" not in client.get(reverse("change_requests") + "?status=draft").text
    r = client.post(
        reverse("change_request_submit", args=[cr.pk]),
        {"consent_date": dt.date.today().isoformat(), "consent_channel": "bank_counter"},
    )
    assert r.status_code == 404
    cr.refresh_from_db()
    assert cr.status == "draft"
    client.force_login(bhxh_officer)
    page = client.get(reverse("change_requests") + "?status=draft")
    assert f'data-testid="submit-{cr.pk}"' in page.text
    notices = client.get(reverse("account_notices"))
    assert notices.status_code == 200 and "******6781" in notices.text
    assert "0123456781" not in notices.text
    r = client.post(
        reverse("change_request_submit", args=[cr.pk]),
        {"consent_date": dt.date.today().isoformat(), "consent_channel": "paper_form"},
    )
    assert r.status_code == 302
    cr.refresh_from_db()
    assert (cr.status, cr.submitted_by) == ("submitted", bhxh_officer)
    approver = make_user(OrgKind.BHXH_PROVINCE, Role.APPROVER)
    client.force_login(approver)
    assert (
        f'action="/payments/change-requests/{cr.pk}/decide/"'
        in client.get(reverse("change_requests")).text
    )
    client.post(reverse("change_request_decide", args=[cr.pk]), {"decision": "approve"})
    pm = PaymentMethod.objects.get(beneficiary=b)
    assert pm.change_request == cr and pm.account.status == "verified"


@pytest.mark.django_db
def test_account_notices_are_for_bhxh_only(client, make_user):
    for kind, role, code in (
        (OrgKind.BANK, Role.ADMIN, 200),
        (OrgKind.BHXH_PROVINCE, Role.VIEWER, 403),
        (OrgKind.POLICE_PROVINCE, Role.ADMIN, 403),
        (OrgKind.BHXH_PROVINCE, Role.OFFICER, 200),
    ):
        client.force_login(make_user(kind, role))
        r = client.get(reverse("account_notices"))
        assert r.status_code == (403 if kind == OrgKind.BANK else code), kind
