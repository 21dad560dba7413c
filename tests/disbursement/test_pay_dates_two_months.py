"""Issue #12 item 6: the cycle's scheduled pay dates (per province, recorded at creation,
changeable until release, carried by the files) and cycles paying two months (January and
February before Tết): one line per entitlement and month with its own reference, each month
paid by one cycle only, eligibility judged per month."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from chitra.core.errors import ChitraError
from chitra.core.models import AuditEvent
from chitra.disbursement.files import files_root, payment_file_download
from chitra.disbursement.models import (
    Batch,
    Cycle,
    CycleMonth,
    Exclusion,
    PaymentFile,
    PayrollLine,
    PaySchedule,
)
from chitra.disbursement.services import (
    cycle_approve,
    cycle_compute,
    cycle_create,
    cycle_freeze,
    cycle_release,
    cycle_set_pay_dates,
    pay_schedule_set,
    reconciliation,
)
from chitra.engine import payroll as engine
from chitra.geo.models import Province
from chitra.iam.models import OrgKind, Role
from chitra.payment_methods.services import first_open_payment_month
from chitra.registry.models import Entitlement
from tests.auth import VerifiedClient
from tests.disbursement.conftest import MONTH, NOV, OCT
from tests.factories import BeneficiaryFactory, EntitlementFactory

JAN = dt.date(2027, 1, 1)
FEB = dt.date(2027, 2, 1)
XSD = Path(__file__).resolve().parents[2] / "tests" / "data" / "iso20022"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}


def client_for(user) -> VerifiedClient:
    c = VerifiedClient()
    c.force_login(user)
    return c


def months_of(world, key) -> list[dt.date]:
    return list(
        PayrollLine.objects.filter(entitlement=world.entitlements[key])
        .order_by("period_month")
        .values_list("period_month", flat=True)
    )


def not_today(day: int) -> dt.date:
    """A December date that is not today: a file written today must still carry it."""
    d = MONTH.replace(day=day)
    return d if d != timezone.localdate() else d.replace(day=day + 1)


@pytest.fixture
def edges(world, tq_communes):
    """An entitlement ending in the cycle's first month, one starting in its second."""
    a = tq_communes[0]
    ends = EntitlementFactory(
        beneficiary=BeneficiaryFactory(full_name="Hứa Văn Cuối", commune=a),
        paid_through=NOV,
        end_month=MONTH,
        monthly_amount=2_000_000,
    )
    starts = EntitlementFactory(
        beneficiary=BeneficiaryFactory(full_name="Mạc Thị Đầu", sex="F", commune=a),
        paid_through=None,
        start_month=JAN,
        monthly_amount=2_500_000,
    )
    world.entitlements["ends_first"] = ends
    world.entitlements["starts_second"] = starts
    return world


# --- two months in one cycle ---------------------------------------------------------------


def test_a_two_month_cycle_pays_each_entitlement_each_month_with_its_own_reference(edges, runner):
    world = edges
    cycle = cycle_create(actor=runner, month=MONTH, months=2)
    assert (cycle.month, cycle.last_month, cycle.two_months) == (MONTH, JAN, True)
    assert cycle.months_label == "12/2026–01/2027"
    assert sorted(CycleMonth.objects.filter(cycle=cycle).values_list("month", flat=True)) == [
        MONTH,
        JAN,
    ]
    cycle = cycle_compute(actor=runner, cycle=cycle)
    # month after month: one line for each month the cycle pays
    for key in ("cash", "home", "bank", "bank2", "mobile", "unverified"):
        assert months_of(world, key) == [MONTH, JAN], key
    # arrears up to the cycle's last month; a one-off benefit once; a new benefit both months
    assert months_of(world, "arrears") == [OCT, NOV, MONTH, JAN]
    assert months_of(world, "lump") == [MONTH]
    assert months_of(world, "new") == [MONTH, JAN]
    # eligibility per month: a benefit ending in December gets only December, one starting
    # in January only January
    assert months_of(world, "ends_first") == [MONTH]
    assert months_of(world, "starts_second") == [JAN]
    for key in ("suspended", "dead", "pol", "lump_paid", "ended"):
        assert months_of(world, key) == [], key
    # each month its own deterministic reference (PP YYYYMM entitlement attempt + check)
    bank = world.entitlements["bank"]
    refs = dict(
        PayrollLine.objects.filter(entitlement=bank).values_list("period_month", "reference")
    )
    assert refs == {m: engine.payment_reference("08", m, bank.pk, 1) for m in (MONTH, JAN)}
    assert refs[MONTH][2:8] == "202612" and refs[JAN][2:8] == "202701"
    assert all(engine.reference_is_valid(r) for r in refs.values())
    # both lines in the same batch; control totals count both months
    lines = PayrollLine.objects.filter(cycle=cycle)
    assert lines.filter(entitlement=bank).values("batch_id").distinct().count() == 1
    assert cycle.line_count == lines.count() == 6 * 2 + 4 + 1 + 2 + 1 + 1
    for b in Batch.objects.filter(cycle=cycle):
        mine = lines.filter(batch=b)
        assert (b.declared_count, b.declared_amount) == (mine.count(), sum(x.amount for x in mine))
    assert reconciliation(cycle)["holds"]
    # an exclusion counts every month it leaves unpaid
    suspended = Exclusion.objects.get(cycle=cycle, entitlement=world.entitlements["suspended"])
    assert suspended.months == 2
    assert suspended.amount == 2 * world.entitlements["suspended"].monthly_amount
    # computing again gives the same lines and references
    before = sorted(lines.values_list("entitlement_id", "period_month", "reference"))
    cycle_compute(actor=runner, cycle=cycle)
    assert (
        sorted(
            PayrollLine.objects.filter(cycle=cycle).values_list(
                "entitlement_id", "period_month", "reference"
            )
        )
        == before
    )


def test_the_database_keeps_one_live_line_per_entitlement_and_month_in_two_month_cycles(
    world, runner
):
    cycle = cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH, months=2))
    jan = PayrollLine.objects.get(
        cycle=cycle, entitlement=world.entitlements["bank"], period_month=JAN
    )
    jan.pk = None
    jan.reference = engine.payment_reference("08", JAN, jan.entitlement_id, 2)
    with pytest.raises(IntegrityError), transaction.atomic():
        jan.save()


def test_a_month_is_paid_by_one_cycle_of_a_province(world, runner, make_user):
    cycle_create(actor=runner, month=MONTH, months=2)  # December and January
    for month, months in ((JAN, 1), (JAN, 2), (NOV, 2), (MONTH, 1)):
        with pytest.raises(ChitraError, match="already exists"):
            cycle_create(actor=runner, month=month, months=months)
    assert Cycle.objects.count() == 1
    feb = cycle_create(actor=runner, month=FEB)  # the next free month
    assert feb.last_month == FEB
    # the database refuses it whatever the code does: January-February overlapping
    # December-January (neither starts nor ends in the same month)
    tq = Province.objects.get(code="08")
    with pytest.raises(IntegrityError), transaction.atomic():
        CycleMonth.objects.create(cycle=feb, province=tq, month=JAN)
    # another province is not concerned
    hg = Province.objects.exclude(code="08").first()
    national = make_user(OrgKind.BHXH_PROVINCE, Role.ADMIN)
    national.is_superuser = True
    national.save()
    other = cycle_create(actor=national, month=JAN, province=hg)
    assert other.province == hg


def test_a_cycle_pays_one_or_two_months(world, runner):
    with pytest.raises(ChitraError, match="one month or two"):
        cycle_create(actor=runner, month=MONTH, months=3)
    with pytest.raises(IntegrityError), transaction.atomic():  # the database: last >= first
        Cycle.objects.create(
            province=Province.objects.get(code="08"),
            month=MONTH,
            last_month=NOV,
            account_credit_date=MONTH.replace(day=5),
            cash_from_date=MONTH.replace(day=2),
            created_by=runner,
        )


def test_a_frozen_two_month_cycle_takes_both_months_for_method_changes(world, runner, tq):
    today = dt.date(2026, 12, 5)
    cycle = cycle_create(actor=runner, month=MONTH, months=2)
    assert first_open_payment_month(today, tq.pk) == MONTH
    cycle_freeze(actor=runner, cycle=cycle)
    assert first_open_payment_month(today, tq.pk) == FEB


def test_the_next_cycle_waits_for_the_two_month_one_and_pays_from_where_it_ended(
    world, runner, approver, tmp_path
):
    from tests.disbursement.test_line_states import answer_all

    cycle = cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH, months=2))
    feb = cycle_create(actor=runner, month=FEB)
    with pytest.raises(ChitraError, match="12/2026–01/2027 must be released first"):
        cycle_freeze(actor=runner, cycle=feb)
    cycle_release(actor=runner, cycle=cycle_approve(actor=approver, cycle=cycle))
    # paid through the cycle's last month once the provider reports both months paid
    answer_all(runner, cycle, tmp_path, "both-months")
    for key in ("bank", "arrears", "new"):
        ent = Entitlement.objects.get(pk=world.entitlements[key].pk)
        assert ent.paid_through == JAN, key
    feb = cycle_compute(actor=runner, cycle=feb)
    assert months_of(world, "bank") == [MONTH, JAN, FEB]
    assert set(PayrollLine.objects.filter(cycle=feb).values_list("period_month", flat=True)) == {
        FEB
    }


def test_engine_judges_each_month_of_the_cycle():
    def item(**kw):
        base = dict(
            entitlement_id=7,
            beneficiary_id=1,
            commune_id=1,
            benefit_type="PENSION",
            amount=1000,
            start_month=None,
            end_month=None,
            paid_through=NOV,
            entitlement_status="active",
            beneficiary_status="active",
            register_outcome="",
            proof_of_life_on=None,
            method="",
            account_id=None,
            account_status="",
            provider_id=None,
            payee_name="A",
        )
        base.update(kw)
        return engine.Item(**base)

    assert engine.months_due(item(), MONTH, JAN) == [MONTH, JAN]
    assert engine.months_due(item(end_month=MONTH), MONTH, JAN) == [MONTH]
    assert engine.months_due(item(paid_through=None, start_month=JAN), MONTH, JAN) == [JAN]
    assert engine.months_due(item(paid_through=None), MONTH, JAN) == [MONTH, JAN]
    assert engine.months_due(item(paid_through=JAN), MONTH, JAN) == []
    assert engine.months_due(
        item(benefit_type="LUMP_SUM", paid_through=None, start_month=JAN), MONTH, JAN
    ) == [JAN]
    params = engine.Params(
        month=MONTH,
        province_code="08",
        cash_provider_id=None,
        proof_of_life_cutoff=None,
        through=JAN,
        already_live=frozenset({(7, JAN)}),
    )
    lines, excluded = engine.compute_payroll([item()], params)
    assert [ln.period_month for ln in lines] == [MONTH]  # January already has a live line
    lines, excluded = engine.compute_payroll([item(entitlement_status="suspended")], params)
    assert lines == [] and excluded[0].months == 1  # only December was still due


# --- pay dates --------------------------------------------------------------------------------


def test_pay_dates_come_from_the_province_schedule_at_creation(world, runner, bhxh_admin):
    cycle = cycle_create(actor=runner, month=MONTH)
    assert (cycle.account_credit_date, cycle.cash_from_date) == (
        dt.date(2026, 12, 5),
        dt.date(2026, 12, 2),
    )
    tq = Province.objects.get(code="08")
    with pytest.raises(PermissionDenied):  # an officer does not set the province's days
        pay_schedule_set(actor=runner, province=tq, account_credit_day=4, cash_from_day=3)
    with pytest.raises(ChitraError, match="1 to 28"):
        pay_schedule_set(actor=bhxh_admin, province=tq, account_credit_day=31, cash_from_day=3)
    other = Province.objects.exclude(code="08").first()
    with pytest.raises(ChitraError, match="own province"):
        pay_schedule_set(actor=bhxh_admin, province=other, account_credit_day=4, cash_from_day=3)
    pay_schedule_set(actor=bhxh_admin, province=tq, account_credit_day=4, cash_from_day=3)
    assert PaySchedule.objects.get(province=tq).account_credit_day == 4
    assert AuditEvent.objects.filter(action="payment.pay_schedule").count() == 1
    # the open cycle keeps the dates it recorded; a new one takes the schedule
    cycle.refresh_from_db()
    assert cycle.account_credit_date == dt.date(2026, 12, 5)
    jan = cycle_create(actor=runner, month=JAN, months=2)
    assert (jan.account_credit_date, jan.cash_from_date) == (
        dt.date(2027, 1, 4),
        dt.date(2027, 1, 3),
    )
    with pytest.raises(IntegrityError), transaction.atomic():  # the database: days 1-28
        PaySchedule.objects.filter(province=tq).update(cash_from_day=29)


def test_pay_dates_change_until_release_and_are_audited(world, runner, approver):
    cycle = cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    with pytest.raises(ChitraError, match="must fall between"):
        cycle_set_pay_dates(
            actor=runner,
            cycle=cycle,
            account_credit_date=dt.date(2027, 1, 5),
            cash_from_date=dt.date(2026, 12, 2),
        )
    cycle = cycle_set_pay_dates(
        actor=runner,
        cycle=cycle,
        account_credit_date=dt.date(2026, 12, 4),
        cash_from_date=dt.date(2026, 11, 30),
        reason="nghỉ lễ",
    )
    event = AuditEvent.objects.get(action="cycle.pay_dates")
    assert event.before == {"account_credit_date": "2026-12-05", "cash_from_date": "2026-12-02"}
    assert event.after == {"account_credit_date": "2026-12-04", "cash_from_date": "2026-11-30"}
    assert event.reason == "nghỉ lễ"
    cycle = cycle_release(actor=runner, cycle=cycle_approve(actor=approver, cycle=cycle))
    with pytest.raises(ChitraError, match="not yet released"):
        cycle_set_pay_dates(
            actor=runner,
            cycle=cycle,
            account_credit_date=dt.date(2026, 12, 5),
            cash_from_date=dt.date(2026, 12, 2),
        )


def _released(runner, approver, months=1, account=None, cash=None):
    cycle = cycle_create(
        actor=runner, month=MONTH, months=months, account_credit_date=account, cash_from_date=cash
    )
    cycle = cycle_compute(actor=runner, cycle=cycle)
    return cycle_release(actor=runner, cycle=cycle_approve(actor=approver, cycle=cycle))


def _execution_dates(path: Path) -> list[str]:
    root = etree.parse(str(path))
    return [e.text for e in root.iterfind(".//p:PmtInf/p:ReqdExctnDt/p:Dt", NS)]


def test_payment_files_carry_the_scheduled_dates(world, runner, approver):
    account, cash = not_today(3), MONTH.replace(day=1)
    cycle = _released(runner, approver, account=account, cash=cash)
    import xmlschema

    schema = xmlschema.XMLSchema(str(XSD / "pain.001.001.09.xsd"))
    xmls = PaymentFile.objects.filter(batch__cycle=cycle, kind="pain001")
    assert xmls.count() == 2
    for f in xmls:
        path = files_root() / f.path
        schema.validate(str(path))
        # the requested execution date is the account credit date, not the day written
        assert _execution_dates(path) == [account.isoformat()]
    # the CSV and XLSX files of a provider carry it in their own column
    csv_file = PaymentFile.objects.get(
        batch__cycle=cycle, kind="csv", batch__provider__code="970405"
    )
    rows = list(csv.reader(io.StringIO((files_root() / csv_file.path).read_text("utf-8"))))
    assert "Ngày chi trả" in rows[0]
    col = rows[0].index("Ngày chi trả")
    assert {r[col] for r in rows[1:]} == {f"{account:%d/%m/%Y}"}
    import openpyxl

    xlsx = PaymentFile.objects.filter(batch__cycle=cycle, kind="xlsx").first()
    ws = openpyxl.load_workbook(files_root() / xlsx.path).active
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    col = header.index("Ngày chi trả")
    values = {r[col].value for r in ws.iter_rows(min_row=2)}
    assert {v.date() if isinstance(v, dt.datetime) else v for v in values} == {account}
    # cash lists: the date cash is paid from
    cash_list = PaymentFile.objects.filter(batch__cycle=cycle, kind="cash_xlsx").first()
    ws = openpyxl.load_workbook(files_root() / cash_list.path).active
    texts = [str(c.value) for row in ws.iter_rows(max_row=6) for c in row if c.value]
    assert any(f"paid from {cash:%d/%m/%Y}" in t for t in texts), texts


def test_a_masked_copy_carries_the_same_execution_date(
    world, runner, approver, make_user, tmp_path
):
    account = not_today(4)
    cycle = _released(runner, approver, account=account)
    viewer = make_user(OrgKind.BHXH_PROVINCE, Role.VIEWER)
    pf = PaymentFile.objects.filter(batch__cycle=cycle, kind="pain001").first()
    got = payment_file_download(actor=viewer, payment_file=pf, directory=tmp_path)
    assert not got.full_numbers
    assert _execution_dates(got.path) == [account.isoformat()]


def test_a_two_month_cycle_sends_both_months_in_its_files(world, runner, approver):
    cycle = _released(runner, approver, months=2)
    bank = world.entitlements["bank"]
    refs = {m: engine.payment_reference("08", m, bank.pk, 1) for m in (MONTH, JAN)}
    f = PaymentFile.objects.get(batch__cycle=cycle, kind="pain001", batch__provider__code="970405")
    text = (files_root() / f.path).read_text("utf-8")
    for m, ref in refs.items():
        assert f"<EndToEndId>{ref}</EndToEndId>" in text
        assert f"thang {m:%m/%Y}" in text
    assert f.rows == PayrollLine.objects.filter(batch=f.batch).count() == 2
    assert _execution_dates(files_root() / f.path) == ["2026-12-05"]
    # the cash list: one row per month, the months in its heading, paid from the 2nd
    cash = PaymentFile.objects.filter(
        batch__cycle=cycle,
        kind="cash_xlsx",
        batch__channel="CASH_PAY_POINT",
        commune=world.people["cash"].commune,
    ).get()
    import openpyxl

    ws = openpyxl.load_workbook(files_root() / cash.path).active
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert any("12/2026–01/2027" in t and "02/12/2026" in t for t in cells), cells[:8]
    cash_refs = {
        engine.payment_reference("08", m, world.entitlements["cash"].pk, 1) for m in (MONTH, JAN)
    }
    assert cash_refs <= set(cells)


# --- pages, commands, API ---------------------------------------------------------------------


def test_pages_open_a_two_month_cycle_show_both_months_and_change_the_dates(
    world, runner, approver, bhxh_admin
):
    c = client_for(runner)
    r = c.get(reverse("cycle_list"))
    html = r.content.decode()
    assert 'data-testid="pay-schedule"' in html and "ngày 5" in html  # Vietnamese first
    assert f'action="{reverse("pay_schedule")}"' not in html  # an officer does not edit it
    r = c.post(
        reverse("cycle_create"),
        {"month": "2026-12", "two_months": "1", "account_credit_date": "2026-12-04"},
    )
    cycle = Cycle.objects.get()
    assert r.status_code == 302 and (cycle.month, cycle.last_month) == (MONTH, JAN)
    assert cycle.account_credit_date == dt.date(2026, 12, 4)
    r = c.post(reverse("cycle_create"), {"month": "2027-01"}, follow=True)
    assert "đã có kỳ chi trả" in r.content.decode()  # refused, in Vietnamese
    cycle_compute(actor=runner, cycle=cycle)
    html = c.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    assert "12/2026–01/2027" in html and 'data-testid="two-months"' in html
    assert "04/12/2026" in html and "02/12/2026" in html
    assert 'data-testid="months"' in html and "01/2027" in html
    r = c.post(
        reverse("cycle_pay_dates", args=[cycle.pk]),
        {
            "account_credit_date": "2026-12-03",
            "cash_from_date": "2026-12-01",
            "reason": "lịch nghỉ",
        },
    )
    cycle.refresh_from_db()
    assert (cycle.account_credit_date, cycle.cash_from_date) == (
        dt.date(2026, 12, 3),
        dt.date(2026, 12, 1),
    )
    r = c.post(
        reverse("cycle_pay_dates", args=[cycle.pk]),
        {"account_credit_date": "2027-03-01"},
        follow=True,
    )
    assert "phải nằm trong khoảng" in r.content.decode()
    # the lines list: filter by month; its export names both months
    r = c.get(reverse("cycle_lines", args=[cycle.pk]) + "?period=2027-01")
    html = r.content.decode()
    bank = world.entitlements["bank"]
    assert engine.payment_reference("08", JAN, bank.pk, 1) in html
    assert engine.payment_reference("08", MONTH, bank.pk, 1) not in html
    r = c.get(reverse("cycle_lines", args=[cycle.pk]) + "?format=xlsx")
    assert r.status_code == 200 and "bang-chi-2026-12-01.xlsx" in r["Content-Disposition"]
    import openpyxl

    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    cells = [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert any("12/2026–01/2027" in t for t in cells)
    assert {"12/2026", "01/2027"} <= set(cells)
    # the province admin sets the pay days on the same page
    a = client_for(bhxh_admin)
    assert f'action="{reverse("pay_schedule")}"' in a.get(reverse("cycle_list")).content.decode()
    r = a.post(reverse("pay_schedule"), {"account_credit_day": "4", "cash_from_day": "3"})
    assert r.status_code == 302
    assert PaySchedule.objects.get().account_credit_day == 4
    assert (
        c.post(
            reverse("pay_schedule"), {"account_credit_day": "4", "cash_from_day": "3"}
        ).status_code
        == 403
    )


def test_commands_open_a_two_month_cycle_and_change_its_dates(world, runner, approver, capsys):
    call_command(
        "cycle_create",
        "2026-12",
        "--months",
        "2",
        "--account-date",
        "2026-12-04",
        "--user",
        runner.username,
    )
    out = capsys.readouterr().out
    assert "2026-12 and 2027-01" in out and "2026-12-04" in out
    with pytest.raises(CommandError, match="already exists"):
        call_command("cycle_create", "2027-01", "--user", runner.username)
    call_command(
        "cycle_pay_dates",
        "--cycle",
        "2027-01",
        "--cash-date",
        "2026-12-01",
        "--reason",
        "Tết",
        "--user",
        runner.username,
    )
    cycle = Cycle.objects.get()
    assert cycle.cash_from_date == dt.date(2026, 12, 1)
    assert cycle.account_credit_date == dt.date(2026, 12, 4)
    cycle_compute(actor=runner, cycle=cycle)
    capsys.readouterr()
    call_command("cycle_status", "--cycle", str(cycle.pk))
    out = capsys.readouterr().out
    assert "2026-12..2027-01" in out and "cash paid from 2026-12-01" in out
    assert "for 2027-01" in out and "for 2026-12" in out


def test_a_january_cycle_is_suggested_to_pay_february_too(world, runner, capsys):
    call_command("cycle_create", "2027-01", "--user", runner.username)
    cycle = Cycle.objects.get()
    assert (cycle.month, cycle.last_month) == (JAN, FEB)
    call_command("cycle_create", "2027-03", "--user", runner.username)
    assert Cycle.objects.get(month=dt.date(2027, 3, 1)).last_month == dt.date(2027, 3, 1)


def test_the_provider_api_gives_the_months_and_the_execution_date(
    world, runner, approver, make_user
):
    cycle = _released(runner, approver, months=2, account=dt.date(2026, 12, 4))
    bank = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405")
    c = client_for(bank)
    data = c.get("/api/v1/payments/batches/").json()
    (batch,) = data["results"]
    assert batch["payment_month"] == "2026-12-01"
    assert batch["last_payment_month"] == "2027-01-01"
    assert batch["requested_execution_date"] == "2026-12-04"
    lines = c.get(f"/api/v1/payments/batches/{batch['id']}/disbursements/").json()["results"]
    assert sorted(x["period_month"] for x in lines) == ["2026-12-01", "2027-01-01"]
    assert cycle.pk


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL fast path is PostgreSQL's")
@pytest.mark.parametrize("fallback", ["cash", "hold"])
def test_sql_and_engine_give_the_same_two_month_payroll(
    world, tq_communes, system, runner, settings, monkeypatch, fallback
):
    """ADR 0005: the plain rows' INSERT ... SELECT writes both months of each plain row with
    each month's reference; a benefit ending in the first month or starting in the second
    goes to the engine; both ways give the same payroll."""
    from chitra.disbursement import services
    from tests.disbursement.test_plain_lines_pg import _payroll, _varied

    settings.CHITRA_ACCOUNT_FALLBACK = fallback
    _varied(tq_communes, system)
    seen: list[int] = []
    real = services._plain_lines

    def spy(cycle, params, reissues):
        out = real(cycle, params, reissues)
        seen.append(out[0])
        return out

    monkeypatch.setattr(services, "_plain_lines", spy)
    cycle = cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH, months=2))
    fast = _payroll(cycle)
    assert seen and seen[0] > 60 and seen[0] % 2 == 0  # two lines per plain row
    with connection.cursor() as cur:
        cur.execute(
            "SELECT COUNT(DISTINCT period_month) FROM disbursement_payrollline "
            "WHERE cycle_id = %s AND period_month >= %s",
            [cycle.pk, MONTH],
        )
        assert cur.fetchone()[0] == 2
    monkeypatch.setattr(services, "SQL_PLAIN_LINES", False)
    cycle = cycle_compute(actor=runner, cycle=cycle)
    slow = _payroll(cycle)
    assert fast[0] == slow[0]
    assert fast[1] == slow[1]
    assert fast[2] == slow[2]
    months = {ln[1] for ln in slow[0]}
    assert {MONTH, JAN} <= months


def test_the_cycle_api_opens_cycles_and_changes_their_dates(world, runner, make_user):
    c = client_for(runner)
    r = c.post("/api/v1/payments/cycles/", {"month": "2027-01"}, content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["months"] == ["2027-01-01", "2027-02-01"]  # January: with February (Tết)
    assert (body["account_credit_date"], body["cash_from_date"]) == ("2027-01-05", "2027-01-02")
    r = c.post(
        "/api/v1/payments/cycles/",
        {"month": "2027-02", "months": 1},
        content_type="application/json",
    )
    assert r.status_code == 400 and "02/2027" in r.json()["detail"]
    r = c.post("/api/v1/payments/cycles/", {"month": "2027-13"}, content_type="application/json")
    assert r.status_code == 400
    r = c.post(
        "/api/v1/payments/cycles/",
        {"month": "2027-03", "months": 1, "account_credit_date": "2027-03-04"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["months"] == ["2027-03-01"]
    pk = body["id"]
    r = c.post(
        f"/api/v1/payments/cycles/{pk}/pay-dates/",
        {"account_credit_date": "2027-01-04", "cash_from_date": "2027-01-03", "reason": "Tết"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["account_credit_date"] == "2027-01-04"
    assert AuditEvent.objects.filter(action="cycle.pay_dates").count() == 1
    r = c.post(
        f"/api/v1/payments/cycles/{pk}/pay-dates/",
        {"account_credit_date": "2027-04-04", "cash_from_date": "2027-01-03"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "2027" in r.json()["detail"]
    assert {x["id"] for x in c.get("/api/v1/payments/cycles/").json()["results"]} == set(
        Cycle.objects.values_list("pk", flat=True)
    )
    # a bank and a viewer read (nothing unreleased for the bank) but open nothing
    bank = client_for(make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405"))
    assert bank.get("/api/v1/payments/cycles/").json()["results"] == []
    viewer = client_for(make_user(OrgKind.BHXH_PROVINCE, Role.VIEWER))
    assert len(viewer.get("/api/v1/payments/cycles/").json()["results"]) == 2
    for other in (bank, viewer):
        assert (
            other.post(
                "/api/v1/payments/cycles/", {"month": "2027-05"}, content_type="application/json"
            ).status_code
            == 403
        )
        assert (
            other.post(
                f"/api/v1/payments/cycles/{pk}/pay-dates/",
                {"account_credit_date": "2027-01-04", "cash_from_date": "2027-01-03"},
                content_type="application/json",
            ).status_code
            == 403
        )
