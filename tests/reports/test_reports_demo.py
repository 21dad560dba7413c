"""Issue #12, item 2: every report kind issued on the demo, every figure checked against an
independent count made here with plain ORM queries over the registry, payment-method,
verification, disbursement, outreach and complaint tables (never through the reports app's
own code), against the dashboard of the same month, and against the document itself (no
table of zeros, no "0 %" for a month without data, every sentence agreeing with its table)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone, translation

from chitra.disbursement.models import PayrollLine
from chitra.geo.models import Province
from chitra.grievances.models import Ticket
from chitra.iam.models import User
from chitra.outreach.models import Assignment, Contact
from chitra.payment_methods.models import Account, PaymentMethod
from chitra.registry.models import Beneficiary, Entitlement
from chitra.reports.models import IssuedReport
from chitra.reports.services import report_issue
from chitra.verification.models import PersonStatus, Recovery, VerificationResult
from tests.auth import VerifiedClient

pytestmark = pytest.mark.django_db

#: the plan's benefit groups, written out here (not the reports app's table)
GROUP = {
    "PENSION": "monthly",
    "MONTHLY_ALLOWANCE": "monthly",
    "LUMP_SUM": "lump_sum",
    "UNEMPLOYMENT": "unemployment",
    "SURVIVOR_ONCE": "other_once",
    "FUNERAL": "other_once",
}
RUNNING = {"PENSION", "MONTHLY_ALLOWANCE", "UNEMPLOYMENT"}
OPEN = {"open", "in_progress", "waiting_info"}


def _next(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _start(month: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime(month.year, month.month, 1))


def cashless_count(month: dt.date) -> dict[str, tuple[int, int, int]]:
    """group -> (paid into a verified account, people entitled, people with a method on
    record), from the entitlements, payment methods and accounts."""
    jan = month.replace(month=1)
    people: dict[str, set[int]] = defaultdict(set)
    for e in (
        Entitlement.objects.filter(beneficiary__commune__province__code="08")
        .exclude(status="stopped")
        .exclude(beneficiary__status__in=["inactive", "deceased"])
        .values("beneficiary_id", "benefit_type", "start_month", "end_month")
    ):
        s, end = e["start_month"], e["end_month"]
        if e["benefit_type"] in RUNNING:
            ok = (s is None or s <= month) and (end is None or end >= month)
        else:
            ok = s is not None and jan <= s <= month
        if ok:
            people[GROUP[e["benefit_type"]]].add(e["beneficiary_id"])
    in_force: dict[int, tuple[str, int | None]] = {}
    for pm in (
        PaymentMethod.objects.filter(effective_month__lte=month)
        .order_by("beneficiary_id", "effective_month", "pk")
        .values("beneficiary_id", "method", "account_id")
    ):
        in_force[pm["beneficiary_id"]] = (pm["method"], pm["account_id"])
    verified = set(Account.objects.filter(status="verified").values_list("pk", flat=True))
    out = {}
    for g in ("monthly", "lump_sum", "unemployment", "other_once"):
        ids = people[g]
        paid = sum(
            1
            for b in ids
            if b in in_force
            and in_force[b][0] in ("BANK_ACCOUNT", "MOBILE_MONEY", "EWALLET")
            and in_force[b][1] in verified
        )
        out[g] = (paid, len(ids), sum(1 for b in ids if b in in_force))
    return out


def independent(month: dt.date) -> dict:
    """Every figure of a report for the month, counted from the tables."""
    nxt = _next(month)
    end = _start(nxt)
    current = end > timezone.now()
    active = Beneficiary.objects.filter(
        commune__province__code="08", status="active", created_at__lt=end
    )
    if not current:  # a past month: the people entitled in it (section 1's people)
        entitled = set()
        for e in Entitlement.objects.exclude(status="stopped").values(
            "beneficiary_id", "benefit_type", "start_month", "end_month"
        ):
            s, stop = e["start_month"], e["end_month"]
            if e["benefit_type"] in RUNNING:
                ok = (s is None or s <= month) and (stop is None or stop >= month)
            else:
                ok = s == month
            if ok:
                entitled.add(e["beneficiary_id"])
        active = Beneficiary.objects.filter(
            commune__province__code="08", status="active", pk__in=entitled
        )
    if current:
        confirmed = PersonStatus.objects.filter(
            beneficiary__in=active, confirmed_on_register=True
        ).count()
        outcomes = Counter(
            PersonStatus.objects.filter(beneficiary__in=active).values_list("outcome", flat=True)
        )
    else:  # the latest check of each person finished before the end of the month
        latest: dict[int, str] = {}
        for r in (
            VerificationResult.objects.filter(
                beneficiary__in=active, run__status="succeeded", run__finished_at__lt=end
            )
            .order_by("run__finished_at", "run_id")
            .values("beneficiary_id", "outcome")
        ):
            latest[r["beneficiary_id"]] = r["outcome"]
        outcomes = Counter(latest.values())
        confirmed = outcomes["verified"]
    lines = PayrollLine.objects.filter(cycle__province__code="08", cycle__month=month)
    first = lines.filter(attempt=1, status__in=["paid", "failed"])
    asg = Assignment.objects.filter(commune__province__code="08", created_at__lt=end)
    today = timezone.localdate()
    due = Ticket.objects.filter(
        commune__province__code="08", due_date__gte=month, due_date__lt=nxt
    ).exclude(Q(status__in=OPEN) & Q(due_date__gte=today))
    rec = Recovery.objects.filter(
        beneficiary__commune__province__code="08",
        created_at__date__gte=month,
        created_at__date__lt=nxt,
    )
    return {
        "cashless": cashless_count(month),
        "active": active.count(),
        "confirmed": confirmed,
        "outcomes": dict(outcomes),
        "lines": lines.count(),
        "amount": lines.aggregate(s=Sum("amount"))["s"] or 0,
        "first_paid": first.filter(status="paid").count(),
        "first_with_result": first.count(),
        "returns": lines.filter(status="failed").count(),
        "assigned": asg.count(),
        **_outreach(asg, nxt, current),
        "complaints_due": due.count(),
        "complaints_on_time": sum(
            1
            for t in due
            if t.status not in OPEN
            and t.resolved_at
            and timezone.localdate(t.resolved_at) <= t.due_date
        ),
        "death_people": rec.count(),
        "death_amount": rec.aggregate(s=Sum("amount"))["s"] or 0,
    }


def _outreach(asg, nxt: dt.date, current: bool) -> dict[str, int]:
    if current:
        return {
            "contacted": asg.filter(last_contact_date__isnull=False).count(),
            "agreed": asg.filter(last_outcome="agreed").count(),
        }
    last: dict[int, str] = {}
    for c in (
        Contact.objects.filter(assignment__in=asg, date__lt=nxt)
        .order_by("date", "created_at", "pk")
        .values("assignment_id", "outcome")
    ):
        last[c["assignment_id"]] = c["outcome"]
    return {"contacted": len(last), "agreed": sum(1 for o in last.values() if o == "agreed")}


def cells(path: Path) -> list[list[object]]:
    ws = openpyxl.load_workbook(path).active
    return [
        [v for v in row if v not in (None, "")]
        for row in ws.iter_rows(values_only=True)
        if any(v not in (None, "") for v in row)
    ]


def dotted(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@pytest.fixture
def demo(settings, tmp_path):
    settings.CHITRA_REPORTS_DIR = tmp_path / "reports"
    settings.CHITRA_REGISTER_STORE = tmp_path / "register.duckdb"
    settings.LANGUAGE_CODE = "vi"
    extract = tmp_path / "register.parquet"
    call_command(
        "demo_data",
        "--province",
        "08",
        "--beneficiaries",
        "400",
        "--seed",
        "2024",
        "--register-out",
        str(extract),
    )
    call_command("register_load", str(extract))
    call_command("verify")
    call_command("demo_cycle")
    call_command("demo_reports")
    return Province.objects.get(code="08")


def check_report(rep: IssuedReport, month: dt.date, client: VerifiedClient) -> None:
    want = independent(month)
    data = rep.data
    assert data["month"] == month.isoformat()
    groups = {g["group"]: g for g in data["groups"]}
    for g, (paid, people, recorded) in want["cashless"].items():
        assert (groups[g]["cashless"], groups[g]["people"], groups[g]["recorded"]) == (
            paid,
            people,
            recorded,
        ), g
        if recorded:
            assert groups[g]["share"] == round(100 * paid / people, 1)
        else:  # no payment method on record: no data, not 0 %
            assert groups[g]["share"] is None
    # the communes add up to the group, as the dashboard's ranking does
    monthly = groups["monthly"]
    assert sum(c["people"] for c in data["communes"]) == monthly["people"]
    assert sum(c["cashless"] for c in data["communes"]) == monthly["cashless"]
    v = data["verification"]
    assert (v["active"], v["confirmed"]) == (want["active"], want["confirmed"])
    assert {k: n for k, n in v["outcomes"].items() if n} == want["outcomes"]
    assert v["checked"] == sum(want["outcomes"].values())
    p = data["payments"]
    assert (p["lines"], p["amount"]) == (want["lines"], want["amount"])
    assert (p["first_paid"], p["first_with_result"]) == (
        want["first_paid"],
        want["first_with_result"],
    )
    assert sum(r["lines"] for r in p["returns"]) == want["returns"]
    o = data["outreach"]
    assert (o["assigned"], o["contacted"], o["agreed"]) == (
        want["assigned"],
        want["contacted"],
        want["agreed"],
    )
    c = data["complaints"]
    assert (c["due"], c["on_time"]) == (want["complaints_due"], want["complaints_on_time"])
    d = data["deaths"]
    assert (d["people"], d["amount_to_recover"]) == (want["death_people"], want["death_amount"])

    # the dashboard of the same month shows the same figures
    page = client.get(reverse("report_dashboard") + f"?month={month:%Y-%m}")
    assert page.status_code == 200
    for row in page.context["groups"]:
        g = groups[row["group"]]
        assert (row["numerator"], row["denominator"], row["value"]) == (
            g["cashless"],
            g["people"],
            g["share"],
        )

    # the document: every number as counted, a month without data said in words
    rows = cells(Path(settings_dir(rep)) / rep.xlsx_path)
    text = "\n".join(" | ".join(str(x) for x in r) for r in rows)
    assert "0,0 %" not in text and "— %" not in text
    if any(r for _p, _n, r in want["cashless"].values()):
        for g in groups.values():
            row = next(r for r in rows if r[0] == g["label"])
            assert row[1:3] == [g["people"], g["cashless"]]
        if monthly["people"]:
            assert f"{dotted(monthly['cashless'])}/{dotted(monthly['people'])}" in text
    else:
        assert text.count(f"Tháng {month:%m/%Y} chưa có hình thức nhận nào được đăng ký") == 2
        assert not any(r[0] == groups["monthly"]["label"] for r in rows)
    if want["outcomes"]:
        for label_row in rows:
            if label_row[0] == "Đã đối chiếu":
                assert label_row[1] == sum(want["outcomes"].values())
        assert (
            f"Đã xác thực trên CSDLQGDC: {dotted(want['confirmed'])}/{dotted(want['active'])}"
        ) in text
    elif want["active"]:
        assert f"Đến cuối tháng {month:%m/%Y} chưa thực hiện đối chiếu" in text
    else:
        assert f"Đến cuối tháng {month:%m/%Y} chưa có người hưởng nào" in text
    if want["lines"]:
        assert (
            f"Kỳ chi trả tháng {month:%m/%Y} có {dotted(want['lines'])} dòng "
            f"({dotted(want['amount'])} đồng)"
        ) in text
    else:
        assert f"Tháng {month:%m/%Y} không có kỳ chi trả" in text
    if want["assigned"]:
        assert f"Đã liên hệ {dotted(want['contacted'])}/{dotted(want['assigned'])} người" in text
    else:
        assert f"Đến cuối tháng {month:%m/%Y} chưa lập danh sách vận động nào" in text
    if want["complaints_due"]:
        assert (
            f"Khiếu nại đến hạn xử lý trong tháng: {dotted(want['complaints_due'])}, đã "
            f"giải quyết đúng hạn: {dotted(want['complaints_on_time'])}."
        ) in text
    else:
        assert f"Không có khiếu nại nào đến hạn xử lý trong tháng {month:%m/%Y}" in text
    if want["death_people"]:
        assert (
            f"{dotted(want['death_people'])} người được chi sau khi chết, "
            f"{dotted(want['death_amount'])} đồng cần truy thu"
        ) in text
    assert (Path(settings_dir(rep)) / rep.pdf_path).read_bytes().startswith(b"%PDF")


def settings_dir(rep: IssuedReport) -> str:
    from chitra.reports.services import reports_dir

    return str(reports_dir())


def test_every_report_kind_on_the_demo_agrees_with_the_data(demo):
    with translation.override("vi"):
        _every_report_kind(demo)


def _every_report_kind(demo):
    officer = User.objects.get(username="bhxh.officer")
    client = VerifiedClient()
    client.force_login(officer)
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    # the demo issued the reports due now: this week's, last month's and this year's
    issued = {r.kind: r for r in IssuedReport.objects.all()}
    assert set(issued) == {"weekly", "monthly", "yearly"}
    assert issued["monthly"].period == f"{last_month:%Y-%m}"
    # the rest of the kinds, issued here
    issued["monthly-now"] = report_issue(
        actor=officer, kind="monthly", period=f"{this_month:%Y-%m}"
    )
    issued["adhoc"] = report_issue(actor=officer, kind="adhoc", period="kiem-tra")
    year, week = issued["weekly"].period.split("-W")
    wednesday = dt.date.fromisocalendar(int(year), int(week), 3).replace(day=1)
    months = {
        "weekly": wednesday,
        "monthly": last_month,
        "yearly": this_month,
        "monthly-now": this_month,
        "adhoc": this_month,
    }
    for kind, rep in issued.items():
        check_report(rep, months[kind], client)
    # the demo has a payment cycle this month, and data on payments without cash
    now = issued["monthly-now"].data
    assert now["payments"]["lines"] > 0 and now["cashless_data"]
    assert now["verification"]["checked"] > 0 and now["outreach"]["assigned"] > 0
    # last month: the demo's account holders had switched from cash months before (their
    # methods were in force), but no cycle paid it: the payments section says so in words
    before = issued["monthly"].data
    assert before["cashless_data"] and before["payments"]["lines"] == 0
    # the people of section 1 are the people of section 3 (never "no beneficiary" under a
    # table that counts thousands), none checked by the end of the month
    assert before["verification"]["active"] > 0 and before["verification"]["checked"] == 0
    # the demo can run again: nothing issued twice
    call_command("demo_reports")
    assert IssuedReport.objects.count() == 5
