from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from chitra.core import crypto
from chitra.core.errors import render_issue
from chitra.core.models import AuditEvent
from chitra.iam.models import OrgKind, Role
from chitra.payment_methods.imports import account_import
from chitra.payment_methods.models import Account, AccountNotice, ChangeRequest, PaymentMethod
from chitra.payment_methods.services import first_open_payment_month
from tests.engine.spreadsheets import make_messy_sheet
from tests.factories import BeneficiaryFactory

LABELS = {
    "personal_id": "Số CCCD",
    "full_name": "Họ và tên",
    "bank": "Ngân hàng",
    "account_number": "Số tài khoản",
    "holder_name": "Tên chủ tài khoản",
    "status": "Trạng thái",
    "provider": "Nhà cung cấp",
    "phone": "Số điện thoại",
}


def sheet(tmp_path, rows, name="tk.xlsx", **kw):
    cols = [
        "stt",
        "personal_id",
        "full_name",
        "bank",
        "provider",
        "account_number",
        "phone",
        "holder_name",
        "status",
    ]
    kw.setdefault("title_lines", True)
    make_messy_sheet(
        tmp_path / name, rows, fmt=name.rsplit(".", 1)[1], labels=LABELS, columns=cols, **kw
    )
    return tmp_path / name


@pytest.fixture
def people(db):
    return [
        BeneficiaryFactory(full_name="Nguyễn Văn Đức"),
        BeneficiaryFactory(full_name="Trần Thị Hoà", sex="F"),
        BeneficiaryFactory(full_name="Lê Văn Sáu"),
    ]


def rows_for(people):
    a, b, c = people
    return [
        {
            "personal_id": a.personal_id,
            "bank": "Agribank",
            "account_number": "0123456781",
            "holder_name": "NGUYEN VAN DUC",
            "status": "Hoạt động",
        },
        {
            "personal_id": b.personal_id,
            "provider": "Viettel Money",
            "phone": "0912345678",
            "holder_name": "TRAN THI HOA",
            "status": "Hoạt động",
        },
        {
            "personal_id": c.personal_id,
            "bank": "970436",
            "account_number": "1234",
            "holder_name": "LE VAN SAU",
            "status": "Hoạt động",
        },
        {
            "personal_id": c.personal_id,
            "bank": "Vietcombank",
            "account_number": "9988776655",
            "holder_name": "PHAM VAN KHAC",
            "status": "Hoạt động",
        },
        {
            "personal_id": "008099999999",
            "bank": "BIDV",
            "account_number": "555566667777",
            "holder_name": "AI DO",
            "status": "Hoạt động",
        },
        {
            "personal_id": c.personal_id,
            "bank": "Ngân hàng Không Có",
            "account_number": "555566667777",
            "holder_name": "LE VAN SAU",
        },
    ]


@pytest.mark.django_db
def test_a_confirmation_file_opens_drafts_and_never_sets_a_payment_method(
    tmp_path, people, bhxh_officer
):
    path = sheet(tmp_path, rows_for(people), ids_as_numbers=True, totals_row=True)
    s = account_import(actor=bhxh_officer, path=path)
    assert (s.rows, s.drafts, s.confirmed, s.unchanged, s.rejected) == (6, 3, 0, 0, 3)
    codes = sorted(i.code for r in s.rejected_rows for i in r.issues)
    assert codes == ["account_invalid", "beneficiary_unknown", "provider_unknown"]
    assert not PaymentMethod.objects.exists() and not Account.objects.exists()
    a, b, c = people
    drafts = {cr.beneficiary_id: cr for cr in ChangeRequest.objects.all()}
    assert set(drafts) == {a.pk, b.pk, c.pk}
    # an officer's import of a provider's file opens drafts; it does not vouch for the holder
    assert all(
        cr.status == "draft"
        and cr.source == "bank"
        and cr.maker == bhxh_officer
        and not cr.provider_confirmed
        for cr in drafts.values()
    )
    assert crypto.decrypt(drafts[a.pk].number_encrypted) == "0123456781"
    assert crypto.decrypt(drafts[b.pk].number_encrypted) == "+84912345678"
    assert drafts[a.pk].name_check == "match" and drafts[c.pk].name_check == "mismatch"
    assert AccountNotice.objects.filter(outcome="draft_opened").count() == 3
    events, notices = AuditEvent.objects.count(), AccountNotice.objects.count()
    again = account_import(actor=bhxh_officer, path=path)
    assert (again.drafts, again.unchanged, again.rejected) == (0, 3, 3)
    assert ChangeRequest.objects.count() == 3 and AccountNotice.objects.count() == notices
    assert AuditEvent.objects.count() == events + 1  # the import itself, nothing else


@pytest.mark.django_db
def test_the_message_for_a_person_outside_the_area_is_the_one_for_an_unknown_id(
    tmp_path, make_user, tq_communes
):
    office = make_user(OrgKind.BHXH_OFFICE, Role.OFFICER, communes=[tq_communes[0]])
    elsewhere = BeneficiaryFactory(full_name="Trần Thu Hoa", sex="F", commune=tq_communes[1])
    rows = [
        {
            "personal_id": elsewhere.personal_id,
            "bank": "Agribank",
            "account_number": "0123456781",
            "holder_name": "TRAN THU HOA",
        },
        {
            "personal_id": "008099999999",
            "bank": "Agribank",
            "account_number": "0123456782",
            "holder_name": "TRAN THU HOA",
        },
    ]
    s = account_import(actor=office, path=sheet(tmp_path, rows))
    issues = [i for r in s.rejected_rows for i in r.issues]
    assert [i.code for i in issues] == ["beneficiary_unknown", "beneficiary_unknown"]
    with translation.override("vi"):
        texts = [
            render_issue(i).replace(i.value, "<id>").replace(str(i.sheet_row), "<n>")
            for i in issues
        ]
    assert texts[0] == texts[1] and "Hoa" not in texts[0]
    assert not ChangeRequest.objects.exists()


def _submitted_request(officer, person, number="0123456781", holder="NGUYEN VAN DUC"):
    import datetime as dt

    from chitra.payment_methods.models import Provider
    from chitra.payment_methods.services import change_request_create

    return change_request_create(
        actor=officer,
        beneficiary=person,
        method="BANK_ACCOUNT",
        source="officer",
        provider=Provider.objects.get(code="970405"),
        number=number,
        holder_name=holder,
        consent_date=dt.date.today(),
        consent_channel="paper_form",
    )


@pytest.mark.django_db
def test_the_bank_confirms_a_request_and_the_approval_pays_into_a_verified_account(
    tmp_path, people, bhxh_officer, make_user
):
    from chitra.payment_methods.services import change_request_approve

    a = people[0]
    cr = _submitted_request(bhxh_officer, a)
    row = {
        "personal_id": a.personal_id,
        "bank": "Agribank",
        "account_number": "0123456781",
        "holder_name": "NGUYEN VAN DUC",
        "status": "Hoạt động",
    }
    # the same file imported by a BHXH officer confirms nothing (only the bank's own users do)
    s = account_import(actor=bhxh_officer, path=sheet(tmp_path, [row]))
    assert (s.confirmed, s.unchanged, s.drafts) == (0, 1, 0)
    cr.refresh_from_db()
    assert not cr.provider_confirmed
    agri = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405")
    s = account_import(actor=agri, path=sheet(tmp_path, [row], name="b.xlsx"))
    assert (s.confirmed, s.drafts) == (1, 0)
    cr.refresh_from_db()
    assert cr.status == "submitted" and cr.provider_confirmed
    assert not PaymentMethod.objects.exists()  # the bank's word alone moves no money
    approver = make_user(OrgKind.BHXH_PROVINCE, Role.APPROVER)
    pm = change_request_approve(actor=approver, change_request=cr)
    assert pm.account.status == "verified" and pm.change_request == cr
    assert pm.effective_month == first_open_payment_month()


@pytest.mark.django_db
def test_the_bank_verifies_the_account_of_an_approved_request(
    tmp_path, people, bhxh_officer, make_user
):
    from chitra.payment_methods.services import change_request_approve

    a = people[0]
    cr = _submitted_request(bhxh_officer, a)
    pm = change_request_approve(
        actor=make_user(OrgKind.BHXH_PROVINCE, Role.APPROVER), change_request=cr
    )
    assert pm.account.status == "unverified"
    row = {
        "personal_id": a.personal_id,
        "bank": "Agribank",
        "account_number": "0123456781",
        "holder_name": "NGUYEN VAN DUC",
        "status": "Hoạt động",
    }
    assert account_import(actor=bhxh_officer, path=sheet(tmp_path, [row])).confirmed == 0
    pm.account.refresh_from_db()
    assert pm.account.status == "unverified"  # an officer's file never vouches for a holder
    agri = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405")
    assert account_import(actor=agri, path=sheet(tmp_path, [row], name="b.xlsx")).confirmed == 1
    pm.account.refresh_from_db()
    assert pm.account.status == "verified"
    wrong = dict(row, holder_name="PHAM VAN KHAC")
    s = account_import(actor=bhxh_officer, path=sheet(tmp_path, [wrong], name="w.xlsx"))
    assert [i.code for r in s.rejected_rows for i in r.issues] == ["holder_name_mismatch"]
    closed = dict(row, status="Đã đóng")
    s = account_import(
        actor=bhxh_officer, path=sheet(tmp_path, [closed], name="c.csv"), dry_run=True
    )
    assert s.closed == 1
    pm.account.refresh_from_db()
    assert pm.account.status == "verified"  # dry run
    account_import(actor=bhxh_officer, path=sheet(tmp_path, [closed], name="c.csv"))
    pm.account.refresh_from_db()
    assert pm.account.status == "closed"
    # a closed account said to be open again moves no money: BHXH decides on a draft
    s = account_import(actor=bhxh_officer, path=sheet(tmp_path, [row], name="r.xlsx"))
    pm.account.refresh_from_db()
    assert s.drafts == 1 and pm.account.status == "closed"


@pytest.mark.django_db
def test_a_bank_imports_only_its_own_accounts(tmp_path, people, make_user):
    agri = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405")
    rows = rows_for(people)[:2]
    s = account_import(actor=agri, path=sheet(tmp_path, rows))
    assert s.received == 1 and [i.code for r in s.rejected_rows for i in r.issues] == [
        "provider_not_yours"
    ]
    assert s.line() == "rows=2 confirmed=0 closed=0 unchanged=0 received=1 rejected=1"


@pytest.mark.django_db
def test_command(tmp_path, people, bhxh_officer, capsys):
    path = sheet(tmp_path, rows_for(people), name="tk.ods")
    call_command("import_accounts", str(path), "--user", bhxh_officer.username, "--dry-run")
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "rows=6 confirmed=0 closed=0 drafts=3 unchanged=0 rejected=3"
    assert not Account.objects.exists() and not ChangeRequest.objects.exists()
    with pytest.raises(CommandError):
        call_command("import_accounts", str(tmp_path / "none.xlsx"))


@pytest.mark.django_db
def test_the_database_refuses_a_payment_method_without_a_change_request(people, system):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentMethod.objects.create(
            beneficiary=people[0],
            method="CASH_HOME",
            home_reason="aged_80",
            effective_month=first_open_payment_month(),
            created_by=system,
        )
