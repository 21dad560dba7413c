from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from chitra.core import crypto
from chitra.core.errors import render_issue
from chitra.core.models import AuditEvent
from chitra.iam.models import OrgKind, Role
from chitra.payment_methods.imports import account_import
from chitra.payment_methods.models import Account, PaymentMethod
from chitra.payment_methods.services import first_open_payment_month
from tests.engine.spreadsheets import make_messy_sheet
from tests.factories import BeneficiaryFactory

LABELS = {"personal_id": "Số CCCD", "full_name": "Họ và tên", "bank": "Ngân hàng",
          "account_number": "Số tài khoản", "holder_name": "Tên chủ tài khoản",
          "status": "Trạng thái", "provider": "Nhà cung cấp", "phone": "Số điện thoại"}


def sheet(tmp_path, rows, name="tk.xlsx", **kw):
    cols = ["stt", "personal_id", "full_name", "bank", "provider", "account_number", "phone",
            "holder_name", "status"]
    kw.setdefault("title_lines", True)
    make_messy_sheet(tmp_path / name, rows, fmt=name.rsplit(".", 1)[1], labels=LABELS,
                     columns=cols, **kw)
    return tmp_path / name


@pytest.fixture
def people(db):
    return [BeneficiaryFactory(full_name="Nguyễn Văn Đức"),
            BeneficiaryFactory(full_name="Trần Thị Hoà", sex="F"),
            BeneficiaryFactory(full_name="Lê Văn Sáu")]


def rows_for(people):
    a, b, c = people
    return [
        {"personal_id": a.personal_id, "bank": "Agribank", "account_number": "0123456781",
         "holder_name": "NGUYEN VAN DUC", "status": "Hoạt động"},
        {"personal_id": b.personal_id, "provider": "Viettel Money", "phone": "0912345678",
         "holder_name": "TRAN THI HOA", "status": "Hoạt động"},
        {"personal_id": c.personal_id, "bank": "970436", "account_number": "1234",
         "holder_name": "LE VAN SAU", "status": "Hoạt động"},
        {"personal_id": c.personal_id, "bank": "Vietcombank", "account_number": "9988776655",
         "holder_name": "PHAM VAN KHAC", "status": "Hoạt động"},
        {"personal_id": "008099999999", "bank": "BIDV", "account_number": "555566667777",
         "holder_name": "AI DO", "status": "Hoạt động"},
        {"personal_id": c.personal_id, "bank": "Ngân hàng Không Có", "account_number":
         "555566667777", "holder_name": "LE VAN SAU"},
    ]


@pytest.mark.django_db
def test_confirmation_file_applies_whole_and_idempotently(tmp_path, people, bhxh_officer):
    path = sheet(tmp_path, rows_for(people), ids_as_numbers=True, totals_row=True)
    s = account_import(actor=bhxh_officer, path=path)
    assert (s.rows, s.applied, s.unchanged, s.rejected) == (6, 2, 0, 4)
    codes = sorted(i.code for r in s.rejected_rows for i in r.issues)
    assert codes == ["account_invalid", "beneficiary_unknown", "holder_name_mismatch",
                     "provider_unknown"]
    a, b, _c = people
    pm = PaymentMethod.objects.get(beneficiary=a)
    assert pm.method == "BANK_ACCOUNT" and pm.effective_month == first_open_payment_month()
    assert pm.account.status == "verified" and pm.account.provider.code == "970405"
    assert crypto.decrypt(pm.account.number_encrypted) == "0123456781"
    mm = PaymentMethod.objects.get(beneficiary=b)
    assert mm.method == "MOBILE_MONEY"
    assert crypto.decrypt(mm.account.number_encrypted) == "+84912345678"
    events = AuditEvent.objects.count()
    again = account_import(actor=bhxh_officer, path=path)
    assert (again.applied, again.unchanged, again.rejected) == (0, 2, 4)
    assert AuditEvent.objects.count() == events + 1
    mismatch = next(i for r in s.rejected_rows for i in r.issues
                    if i.code == "holder_name_mismatch")
    with translation.override("vi"):
        assert "PHAM VAN KHAC" in render_issue(mismatch) and "Lê Văn Sáu" in render_issue(
            mismatch)


@pytest.mark.django_db
def test_closing_and_dry_run(tmp_path, people, bhxh_officer):
    a = people[0]
    row = {"personal_id": a.personal_id, "bank": "AGRIBANK", "account_number": "0123456781",
           "holder_name": "NGUYEN VAN DUC", "status": "Hoạt động"}
    account_import(actor=bhxh_officer, path=sheet(tmp_path, [row]))
    closed = dict(row, status="Đã đóng")
    s = account_import(actor=bhxh_officer, path=sheet(tmp_path, [closed], name="c.csv"),
                       dry_run=True)
    assert s.applied == 1 and Account.objects.get().status == "verified"
    account_import(actor=bhxh_officer, path=sheet(tmp_path, [closed], name="c.csv"))
    assert Account.objects.get().status == "closed"


@pytest.mark.django_db
def test_a_bank_imports_only_its_own_accounts(tmp_path, people, make_user):
    agri = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405")
    rows = rows_for(people)[:2]
    s = account_import(actor=agri, path=sheet(tmp_path, rows))
    assert s.applied == 1 and [i.code for r in s.rejected_rows for i in r.issues] == [
        "provider_not_yours"]


@pytest.mark.django_db
def test_command(tmp_path, people, bhxh_officer, capsys):
    path = sheet(tmp_path, rows_for(people), name="tk.ods")
    call_command("import_accounts", str(path), "--user", bhxh_officer.username, "--dry-run")
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "rows=6 applied=2 unchanged=0 rejected=4"
    assert not Account.objects.exists()
    with pytest.raises(CommandError):
        call_command("import_accounts", str(tmp_path / "none.xlsx"))
