"""Issue #12, item 1, end to end through the commands: a BHXH list imported (nobody has been
seen alive anywhere yet), the bank's confirmation file for 40 of them, BHXH records the
consent and submits, an approver decides, then this month's cycle: created and computed by
one user, approved by another, released. All 40 are paid into their accounts in their first
cashless month (one pain.001 credit transfer each, with its amount); nobody is excluded for
proof of life, and each is due 12 months after the bank saw them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from lxml import etree

from chitra.core import crypto
from chitra.disbursement.models import Cycle, Exclusion, PayrollLine
from chitra.iam.models import OrgKind, Role
from chitra.payment_methods.models import Account, ChangeRequest
from chitra.registry.models import Beneficiary
from chitra.verification.proof_of_life import due_on
from tests.engine.spreadsheets import make_messy_sheet
from tests.factories import make_pid

PEOPLE, BANKED = 50, 40
PAIN = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.09}"


def _bhxh_list(tmp_path: Path, commune_code: str) -> tuple[Path, list[dict]]:
    rows = []
    for i in range(PEOPLE):
        year, sex = 1950 + i % 15, "F" if i % 2 else "M"
        rows.append(
            {
                "personal_id": make_pid(year, sex),
                "full_name": ("Hoàng Thị Mai " if sex == "F" else "Đặng Văn Đức ") + f"{i:02d}",
                "birth_date": f"{i % 28 + 1:02d}/05/{year}",
                "sex": "Nữ" if sex == "F" else "Nam",
                "commune": commune_code,
                "address": f"Tổ {i}",
                "phone": "0912 345 678",
                "benefit_type": "Lương hưu",
                "monthly_amount": f"{4_000_000 + i * 10_000}",
                "start_month": "01/2020",
            }
        )
    make_messy_sheet(tmp_path / "ds-bhxh.xlsx", rows, title_lines=True, ids_as_numbers=True)
    return tmp_path / "ds-bhxh.xlsx", rows


def _bank_file(tmp_path: Path, rows: list[dict]) -> Path:
    from chitra.kernel.names import fold_name

    labels = {
        "personal_id": "Số CCCD",
        "full_name": "Họ và tên",
        "bank": "Ngân hàng",
        "account_number": "Số tài khoản",
        "holder_name": "Tên chủ tài khoản",
        "status": "Trạng thái",
    }
    bank_rows = [
        {
            "personal_id": r["personal_id"],
            "full_name": r["full_name"],
            "bank": "Agribank",
            "account_number": f"{8800000000 + i:013d}",
            "holder_name": fold_name(r["full_name"]),
            "status": "Hoạt động",
        }
        for i, r in enumerate(rows[:BANKED])
    ]
    make_messy_sheet(
        tmp_path / "xac-nhan-agribank.xlsx",
        bank_rows,
        labels=labels,
        columns=["stt", *labels],
        title_lines=True,
        ids_as_numbers=True,
    )
    return tmp_path / "xac-nhan-agribank.xlsx"


@pytest.mark.django_db
def test_the_bank_s_new_customers_are_paid_in_their_first_cashless_month(
    tmp_path, make_user, tq_communes, capsys
):
    officer = make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER)
    approver = make_user(OrgKind.BHXH_PROVINCE, Role.APPROVER)
    cycle_approver = make_user(OrgKind.BHXH_PROVINCE, Role.APPROVER)
    bank = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405")
    today = timezone.localdate()
    month = today.replace(day=1)

    path, rows = _bhxh_list(tmp_path, tq_communes[0].code)
    call_command("import_beneficiaries", str(path), "--user", officer.username)
    assert f"created={PEOPLE}" in capsys.readouterr().out
    # nobody seen alive anywhere yet
    assert not Beneficiary.objects.filter(proof_of_life_on__isnull=False).exists()

    call_command("import_accounts", str(_bank_file(tmp_path, rows)), "--user", bank.username)
    assert f"received={BANKED}" in capsys.readouterr().out  # a bank learns nothing more
    assert ChangeRequest.objects.filter(status="draft", source="bank").count() == BANKED

    call_command(
        "change_requests_submit",
        "--source",
        "bank",
        "--provider",
        "970405",
        "--consent-date",
        today.isoformat(),
        "--consent-channel",
        "bank_counter",
        "--evidence",
        "Phiếu đồng ý lưu tại BHXH tỉnh, hồ sơ 12/2026",
        "--user",
        officer.username,
    )
    assert f"drafts={BANKED} submitted={BANKED}" in capsys.readouterr().out
    call_command("change_requests_approve", "--provider", "970405", "--user", approver.username)
    assert f"submitted={BANKED} approved={BANKED} left=0" in capsys.readouterr().out
    assert Account.objects.filter(status="verified", provider__code="970405").count() == BANKED

    banked = Beneficiary.objects.filter(personal_id__in=[r["personal_id"] for r in rows[:BANKED]])
    # the bank saw each of them (KYC with the chip ID card): due 12 months later
    assert set(banked.values_list("proof_of_life_source", flat=True)) == {"provider"}
    assert set(banked.values_list("proof_of_life_on", flat=True)) == {today}
    due = due_on(today)
    assert due is not None and (due.year, due.month) == (today.year + 1, today.month)

    call_command("cycle_create", f"{month:%Y-%m}", "--user", officer.username)
    call_command("cycle_compute", "--user", officer.username, verbosity=0)
    cycle = Cycle.objects.get(month=month)
    assert not Exclusion.objects.filter(cycle=cycle).exists()
    call_command("cycle_approve", "--user", cycle_approver.username)
    out = tmp_path / "out"
    call_command("cycle_release", "--out", str(out), "--user", officer.username, verbosity=0)

    expected = {
        crypto.decrypt(
            Account.objects.get(beneficiary=b).number_encrypted
        ): b.entitlements.get().monthly_amount
        for b in banked
    }
    transfers = {}
    xml_files = [p for p in out.rglob("*.xml") if "ban-che" not in p.name]
    assert xml_files
    for f in xml_files:
        tree = etree.parse(str(f))
        for tx in tree.iter(f"{PAIN}CdtTrfTxInf"):
            account = tx.findtext(f"{PAIN}CdtrAcct/{PAIN}Id/{PAIN}Othr/{PAIN}Id")
            amount = int(tx.findtext(f"{PAIN}Amt/{PAIN}InstdAmt"))
            assert account not in transfers, "one credit transfer per account"
            transfers[account] = amount
    assert transfers == expected
    assert len(transfers) == BANKED
    # the other ten are paid in cash, this month, as before
    lines = PayrollLine.objects.filter(cycle=cycle)
    assert lines.filter(channel="BANK_ACCOUNT", period_month=month).count() == BANKED
    assert lines.filter(channel="CASH_PAY_POINT").count() == PEOPLE - BANKED
