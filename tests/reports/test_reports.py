"""Indicators from the data, targets and their status, issued reports (unchangeable), the plan
tracker, and their pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.urls import reverse

from chitra.core.errors import ChitraError
from chitra.disbursement.services import cycle_approve, cycle_compute, cycle_create, cycle_release
from chitra.iam.models import OrgKind, Role
from chitra.reports import selectors as sel
from chitra.reports.kpis import CATALOGUE, refresh_month
from chitra.reports.models import IssuedReport, KpiValue, PlanTask, Target
from chitra.reports.services import plan_update, report_issue, target_set
from tests.auth import VerifiedClient
from tests.disbursement.conftest import MONTH


@pytest.fixture
def officer(make_user):
    return make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER)


@pytest.fixture(autouse=True)
def _dirs(settings, tmp_path):
    settings.CHITRA_REPORTS_DIR = tmp_path / "reports"


def client_for(user) -> VerifiedClient:
    c = VerifiedClient()
    c.force_login(user)
    return c


def test_cashless_share_from_the_data(world, tq, officer):
    refresh_month(tq, MONTH)
    n, d, v = sel.total(officer, kpi="cashless_share", month=MONTH, group="monthly", province=tq)
    # monthly group: 10 living people with a running monthly entitlement (the dead one and
    # the ended one left out); paid into a verified account: bank, bank2, mobile, pol (the
    # unverified account does not count)
    assert (n, d) == (4, 10)
    assert v == 40.0
    # one-off: entitlements starting this year (October and December), both paid in cash
    assert sel.total(officer, kpi="cashless_share", month=MONTH, group="lump_sum", province=tq)[
        :2
    ] == (0, 2)
    by_commune = sel.rollup(
        officer, kpi="cashless_share", month=MONTH, group="monthly", by="commune", province=tq
    )
    assert sum(r["denominator"] for r in by_commune) == 10 and len(by_commune) == 2
    # every indicator of the catalogue is documented
    for k in CATALOGUE:
        assert k.definition and k.numerator and k.denominator


def test_payment_indicators_after_a_cycle(world, tq, runner, approver, officer):
    cycle = cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    cycle_release(actor=runner, cycle=cycle_approve(actor=approver, cycle=cycle))
    refresh_month(tq, MONTH)
    n, d, _v = sel.total(officer, kpi="amount_outstanding", month=MONTH, province=tq)
    assert d == 11 and n == cycle.total_amount
    assert sel.total(officer, kpi="first_attempt_success", month=MONTH, province=tq)[1] == 0


def test_refresh_is_whole_and_repeatable(world, tq):
    refresh_month(tq, MONTH)
    first = sorted(
        KpiValue.objects.values_list(
            "commune_id", "kpi", "group", "dim", "numerator", "denominator"
        )
    )
    refresh_month(tq, MONTH)
    assert (
        sorted(
            KpiValue.objects.values_list(
                "commune_id", "kpi", "group", "dim", "numerator", "denominator"
            )
        )
        == first
    )


def test_target_status(world, tq, officer, bhxh_admin):
    refresh_month(tq, MONTH)
    t = target_set(
        actor=bhxh_admin, province=tq, group="monthly", value="30", deadline=dt.date(2027, 12, 31)
    )
    assert sel.target_status(officer, t, MONTH).status == "met"
    t = target_set(
        actor=bhxh_admin, province=tq, group="monthly", value="90", deadline=dt.date(2027, 12, 31)
    )
    assert t.value == Decimal("90")
    assert sel.target_status(officer, t, MONTH).status == "behind"  # one month: no trend
    with pytest.raises(ChitraError):
        target_set(
            actor=bhxh_admin,
            province=tq,
            group="monthly",
            value="120",
            deadline=dt.date(2027, 12, 31),
        )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        target_set(
            actor=officer, province=tq, group="monthly", value="60", deadline=dt.date(2027, 12, 31)
        )
    # the plan's own targets are loaded by migration
    assert Target.objects.filter(province=tq, deadline=dt.date(2024, 12, 31)).count() == 3


def test_issue_a_report_and_it_never_changes(world, tq, officer, tmp_path):
    with pytest.raises(ChitraError, match="never been computed"):
        report_issue(actor=officer, kind="monthly", period="2026-12")
    refresh_month(tq, MONTH)
    rep = report_issue(actor=officer, kind="monthly", period="2026-12")
    assert rep.number.endswith("/BC-BHXH") and rep.data["month"] == "2026-12-01"
    groups = {g["group"]: g for g in rep.data["groups"]}
    assert (groups["monthly"]["cashless"], groups["monthly"]["people"]) == (4, 10)
    again = report_issue(actor=officer, kind="weekly", period="2026-W49")
    assert again.sequence == rep.sequence + 1
    with pytest.raises(DatabaseError), transaction.atomic():
        IssuedReport.objects.filter(pk=rep.pk).update(title="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        IssuedReport.objects.filter(pk=rep.pk).delete()
    with pytest.raises(ChitraError):
        report_issue(actor=officer, kind="monthly", period="12/2026")
    out = tmp_path / "bc.xlsx"
    call_command(
        "report",
        "--kind",
        "yearly",
        "--period",
        "2026",
        "--out",
        str(out),
        "--user",
        officer.username,
    )
    assert out.read_bytes()[:2] == b"PK"
    pdf = tmp_path / "bc.pdf"
    call_command(
        "report",
        "--kind",
        "adhoc",
        "--period",
        "dot-xuat",
        "--out",
        str(pdf),
        "--user",
        officer.username,
    )
    assert pdf.read_bytes().startswith(b"%PDF")


def test_plan_tracker(world, officer, make_user, tq):
    task = PlanTask.objects.get(number=1)
    assert PlanTask.objects.count() == 7
    rows = sel.plan(officer)
    assert rows[0]["overdue"]  # deadline Q2/2024 passed, nothing done
    assert not rows[6]["overdue"]  # task 7 is monthly
    plan_update(actor=officer, task=task, status="done", note="Đã vận động xong", percent=100)
    assert not sel.plan(officer)[0]["overdue"]
    with pytest.raises(ChitraError):
        plan_update(actor=officer, task=task, status="done", note=" ")


def test_pages(world, tq, officer, bhxh_admin, make_user):
    refresh_month(tq, MONTH)
    c = client_for(officer)
    r = c.get(reverse("report_dashboard") + "?month=2026-12")
    assert r.status_code == 200 and b"trend-data" in r.content
    assert c.get(reverse("report_dashboard") + "?month=2026-12&format=xlsx").content[:2] == b"PK"
    for name in ("report_catalogue", "report_targets", "report_issued", "report_plan"):
        assert c.get(reverse(name)).status_code == 200, name
    r = c.post(reverse("report_issued"), {"kind": "monthly", "period": "2026-12"})
    rep = IssuedReport.objects.get()
    r = c.get(reverse("report_issued_file", args=[rep.pk, "pdf"]))
    assert r.status_code == 200
    # an officer may not set targets; the admin may
    assert (
        c.post(
            reverse("report_targets"), {"group": "monthly", "value": "60", "deadline": "2027-12-31"}
        ).status_code
        == 403
    )
    client_for(bhxh_admin).post(
        reverse("report_targets"),
        {"group": "monthly", "area": "urban", "value": "60", "deadline": "2027-12-31"},
    )
    assert Target.objects.filter(area="urban", value=60).exists()
    c.post(
        reverse("report_plan"),
        {
            "task": PlanTask.objects.get(number=2).pk,
            "status": "in_progress",
            "percent": "40",
            "note": "Đang trích xuất",
        },
    )
    assert "Đang trích xuất" in c.get(reverse("report_plan")).content.decode()
    home = c.get("/").content.decode()
    assert 'data-testid="reminders"' in home
    # a bank sees no aggregates; a commune's police sees its commune only
    assert (
        client_for(make_user(OrgKind.BANK, Role.ADMIN)).get(reverse("report_dashboard")).status_code
        == 403
    )
    police = make_user(
        OrgKind.POLICE_COMMUNE, Role.OFFICER, communes=[world.people["bank2"].commune]
    )
    _n, d, _v = sel.total(police, kpi="cashless_share", month=MONTH, group="monthly", province=tq)
    assert 0 < d < 10


def test_api(world, tq, officer):
    refresh_month(tq, MONTH)
    c = client_for(officer)
    r = c.get("/api/v1/reports/indicators/?kpi=cashless_share&month=2026-12&by=commune")
    assert r.status_code == 200
    assert sum(x["denominator"] for x in r.json()["rows"]) == 10
    assert c.get("/api/v1/reports/indicators/?kpi=nope").status_code == 400
    r = c.get("/api/v1/reports/indicators/?kpi=returns&month=2026-12")
    assert r.status_code == 200
    targets = c.get("/api/v1/reports/targets/").json()
    assert {t["group"] for t in targets} == {"monthly", "lump_sum", "unemployment"}
    r = c.post(
        "/api/v1/reports/issued/",
        {"kind": "monthly", "period": "2026-12"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["data"]["month"] == "2026-12-01"
    assert len(c.get("/api/v1/reports/issued/").json()["results"]) == 1
    tasks = c.get("/api/v1/reports/plan-tasks/").json()
    assert len(tasks) == 7
    r = c.post(
        f"/api/v1/reports/plan-tasks/{tasks[0]['id']}/update_status/",
        {"status": "in_progress", "percent": 50, "note": "Đang làm"},
        content_type="application/json",
    )
    assert r.status_code == 201


def test_complaint_deadlines_met(world, tq, officer):
    from chitra.demo.grievances import ensure_demo_tickets
    from chitra.grievances.models import Ticket
    from chitra.grievances.stats import deadline_counts

    ensure_demo_tickets(province=tq, seed=2024, actor=officer)
    answered = Ticket.objects.exclude(resolved_at__isnull=True).order_by("due_date").first()
    month = answered.due_date.replace(day=1)
    refresh_month(tq, month)
    n, d, _v = sel.total(officer, kpi="complaint_deadlines_met", month=month, province=tq)
    from chitra.kernel.months import add_months

    stats = deadline_counts(
        Ticket.objects.all(), start=month, end=add_months(month, 1) - dt.timedelta(days=1)
    )
    assert (n, d) == (stats["met"], stats["due"])
    assert d > 0
