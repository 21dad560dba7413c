"""Issue #12, item 2: a month refreshed later tells what was true then; issuing is refused
while the month's indicators are stale (recompute as a job first); a wrong report is
superseded by a corrected re-issue, never changed."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from chitra.core.errors import ChitraError
from chitra.core.models import AuditEvent, Job
from chitra.disbursement.services import cycle_compute, cycle_create
from chitra.iam.models import OrgKind, Role
from chitra.reports import selectors as sel
from chitra.reports.kpis import freshness, refresh_month
from chitra.reports.models import IssuedReport, KpiRefresh
from chitra.reports.periodic import StaleIndicators
from chitra.reports.services import report_issue, report_reissue, reports_dir
from chitra.reports.tasks import kpi_refresh_task
from chitra.verification.models import PersonStatus, VerificationResult, VerificationRun
from tests.auth import VerifiedClient, api_headers
from tests.disbursement.conftest import MONTH

NOV = dt.date(2026, 11, 1)


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


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def test_a_past_month_refreshed_later_tells_what_was_true_then(world, tq, officer, system):
    bank = world.accounts["bank"]
    refresh_month(tq, NOV)
    # the accounts were opened and confirmed in December: none was open at the end of November
    assert sel.total(officer, kpi="accounts_confirmed", month=NOV, province=tq)[:2] == (0, 0)
    type(bank).objects.filter(pk=bank.pk).update(
        created_at=at(dt.date(2026, 11, 3)), verified_at=at(dt.date(2026, 11, 10))
    )
    refresh_month(tq, NOV)
    assert sel.total(officer, kpi="accounts_confirmed", month=NOV, province=tq)[:2] == (1, 1)
    # closed on 20 November: not open at the end of November, whatever its status now
    type(bank).objects.filter(pk=bank.pk).update(
        closed_at=at(dt.date(2026, 11, 20)), status="closed"
    )
    refresh_month(tq, NOV)
    assert sel.total(officer, kpi="accounts_confirmed", month=NOV, province=tq)[:2] == (0, 0)

    # nobody was checked against the register by the end of November: no outcome
    assert sel.rollup(officer, kpi="verification_outcome", month=NOV, dim=None, province=tq) == []
    people = world.people
    ids = [people[k].pk for k in ("cash", "bank", "bank2")]
    type(people["cash"]).objects.filter(pk__in=ids).update(created_at=at(dt.date(2026, 10, 1)))
    nov_run = VerificationRun.objects.create(
        started_by=system,
        connector="file",
        status="succeeded",
        province_code="08",
        finished_at=at(dt.date(2026, 11, 15)),
    )
    dec_run = VerificationRun.objects.create(
        started_by=system,
        connector="file",
        status="succeeded",
        province_code="08",
        finished_at=timezone.now(),
    )
    for pk in ids:
        VerificationResult.objects.create(run=nov_run, beneficiary_id=pk, outcome="verified")
    # re-checked in December: a mismatch now (the current status), verified in November
    for pk in ids[:2]:
        r = VerificationResult.objects.create(run=dec_run, beneficiary_id=pk, outcome="mismatch")
        PersonStatus.objects.update_or_create(
            beneficiary_id=pk,
            defaults={
                "outcome": "mismatch",
                "last_result": r,
                "last_verified_at": timezone.now(),
                "confirmed_on_register": False,
            },
        )
    refresh_month(tq, NOV)
    refresh_month(tq, MONTH)
    # of the 9 people entitled in November (the same people the cashless share counts), the 3
    # checked by the end of November were confirmed then
    assert sel.total(officer, kpi="verification_coverage", month=NOV, province=tq)[:2] == (3, 9)
    nov = {
        r["key"]: r["numerator"]
        for r in sel.rollup(officer, kpi="verification_outcome", month=NOV, dim=None, province=tq)
    }
    assert nov == {"verified": 3}
    dec = {
        r["key"]: r["numerator"]
        for r in sel.rollup(officer, kpi="verification_outcome", month=MONTH, dim=None, province=tq)
    }
    # December: the current status of everyone who has one, counted (never a zero)
    assert (
        dec["mismatch"] == 2
        and sum(dec.values()) == PersonStatus.objects.filter(beneficiary__status="active").count()
    )


def test_a_month_without_payment_methods_on_record_has_no_data_not_zero(world, tq, officer):
    from chitra.payment_methods.models import PaymentMethod

    PaymentMethod.objects.update(effective_month=MONTH)  # the register starts in December
    refresh_month(tq, NOV)
    refresh_month(tq, MONTH)
    n, d, v = sel.total(officer, kpi="cashless_share", month=NOV, group="monthly", province=tq)
    assert n == 0 and d == 9 and v is None  # entitled, no method on record: no data
    assert (
        sel.total(officer, kpi="cashless_share", month=MONTH, group="monthly", province=tq)[2]
        == 40.0
    )
    trend = {
        p["month"]: p["value"]
        for p in sel.trend(officer, kpi="cashless_share", group="monthly", last=MONTH, province=tq)
    }
    assert trend[NOV] is None and trend[MONTH] == 40.0
    assert all(
        r["value"] is None
        for r in sel.rollup(
            officer, kpi="cashless_share", month=NOV, group="monthly", by="commune", province=tq
        )
    )
    page = client_for(officer).get(reverse("report_dashboard") + "?month=2026-11")
    assert page.content.decode().count('data-testid="no-data"') == 4
    assert not [g for g in page.context["groups"] if g["value"] is not None]
    t = sel.targets(officer, tq).filter(group="monthly").first()
    assert sel.target_status(officer, t, NOV).status == "no_data"
    assert sel.target_status(officer, t, MONTH).status != "no_data"


def test_issuing_is_refused_while_the_indicators_are_stale(world, tq, officer, runner, tmp_path):
    refresh_month(tq, MONTH)
    assert not freshness(tq, MONTH).stale
    report_issue(actor=officer, kind="monthly", period="2026-12")
    # the month's payroll is computed after the indicators were: refused, with the reason
    cycle = cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    f = freshness(tq, MONTH)
    assert f.reason == "changed" and f.change.startswith("cycle.")
    with pytest.raises(StaleIndicators, match="changed after") as e:
        report_issue(actor=officer, kind="weekly", period="2026-W50")
    assert e.value.month == MONTH and "kpi_refresh --month 2026-12" in str(e.value)
    with pytest.raises(CommandError, match="kpi_refresh --month 2026-12"):
        call_command(
            "report",
            "--kind",
            "monthly",
            "--period",
            "2026-12",
            "--out",
            str(tmp_path / "r.pdf"),
            "--user",
            officer.username,
        )
    assert IssuedReport.objects.count() == 1
    # the pages say so and offer to recompute the month as a job with progress
    c = client_for(officer)
    dash = c.get(reverse("report_dashboard") + "?month=2026-12").content.decode()
    assert 'data-stale="changed"' in dash and 'name="month" value="2026-12"' in dash
    r = c.post(reverse("report_issued"), {"kind": "monthly", "period": "2026-12"})
    assert r.status_code == 302 and r["Location"].endswith("?recompute=2026-12")
    page = c.get(r["Location"]).content.decode()
    assert 'data-testid="recompute"' in page and 'name="month" value="2026-12"' in page
    assert 'data-testid="obligation-stale"' in page  # the reports due now wait for it too
    r = c.post(reverse("report_refresh"), {"month": "2026-12"})
    job = Job.objects.get(kind="kpi_refresh")
    assert r["Location"] == reverse("job_detail", args=[job.pk])
    assert job.params == {"province": "08", "months": ["2026-12"]}
    kpi_refresh_task.call(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and not freshness(tq, MONTH).stale
    rep = report_issue(actor=officer, kind="monthly", period="2026-12")
    assert rep.data["payments"]["lines"] == cycle.line_count
    assert rep.data["payments"]["amount"] == cycle.total_amount
    # a month never computed is refused too
    with translation.override("en"), pytest.raises(StaleIndicators, match="never been computed"):
        report_issue(actor=officer, kind="monthly", period="2026-10")


def test_a_running_month_computed_on_an_earlier_day_is_stale(world, tq):
    refresh_month(tq, MONTH)
    ref = KpiRefresh.objects.get(province=tq, month=MONTH)
    later = ref.computed_at + dt.timedelta(days=1)
    if later.astimezone(timezone.get_current_timezone()).month != MONTH.month:
        pytest.skip("the month ends today")
    assert freshness(tq, MONTH, now=later).reason == "day"
    # a past month does not age by days
    refresh_month(tq, NOV)
    assert not freshness(tq, NOV, now=later).stale


def test_a_wrong_report_is_superseded_by_a_corrected_one(
    world, tq, officer, runner, make_user, tmp_path
):
    refresh_month(tq, MONTH)
    first = report_issue(actor=officer, kind="monthly", period="2026-12")
    frozen = IssuedReport.objects.filter(pk=first.pk).values().get()
    cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    with pytest.raises(StaleIndicators):  # a correction is refused while stale, too
        report_reissue(actor=officer, report=first, reason="Bổ sung kỳ chi trả")
    refresh_month(tq, MONTH)
    with pytest.raises(ChitraError, match="reason"):
        report_reissue(actor=officer, report=first, reason="  ")
    second = report_reissue(actor=officer, report=first, reason="Bổ sung kỳ chi trả")
    assert (second.version, second.supersedes_id, second.correction_reason) == (
        2,
        first.pk,
        "Bổ sung kỳ chi trả",
    )
    assert second.number != first.number and second.period == first.period
    assert second.data["payments"]["lines"] > 0 == first.data["payments"]["lines"]
    assert second.data["replaces"]["number"] == first.number
    # the first report is untouched, still downloadable, and known as superseded
    assert IssuedReport.objects.filter(pk=first.pk).values().get() == frozen
    first.refresh_from_db()
    assert first.superseded_by == second
    ev = AuditEvent.objects.get(action="reports.reissue")
    assert ev.before["number"] == first.number and ev.after["version"] == 2
    assert ev.reason == "Bổ sung kỳ chi trả"
    c = client_for(officer)
    r = c.get(reverse("report_issued_file", args=[first.pk, "pdf"]))
    assert r.status_code == 200
    page = c.get(reverse("report_issued")).content.decode()
    assert 'data-testid="superseded"' in page and second.number in page
    # the corrected document names the report it replaces and why
    ws = openpyxl.load_workbook(reports_dir() / second.xlsx_path).active
    text = "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v)
    assert first.number in text and "Bổ sung kỳ chi trả" in text
    # only the latest version is corrected; the database keeps the chain whole
    with translation.override("en"), pytest.raises(ChitraError, match="already replaced"):
        report_reissue(actor=officer, report=first, reason="lần nữa")
    with pytest.raises(DatabaseError), transaction.atomic():
        IssuedReport.objects.filter(pk=first.pk).update(correction_reason="sửa")
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedReport.objects.create(
            **{k: v for k, v in frozen.items() if k not in ("id", "sequence", "version")},
            sequence=99,
            version=2,
            supersedes=second,
        )
    # on the page (a reason is required) and through the API
    r = c.post(reverse("report_reissue", args=[second.pk]), {"reason": ""})
    assert r.status_code == 302 and IssuedReport.objects.count() == 2
    c.post(reverse("report_reissue", args=[second.pk]), {"reason": "Sửa số liệu xã"})
    third = IssuedReport.objects.get(supersedes=second)
    assert third.version == 3
    viewer = make_user(OrgKind.BHXH_PROVINCE, Role.VIEWER)
    r = client_for(viewer).post(
        f"/api/v1/reports/issued/{third.pk}/reissue/",
        {"reason": "x"},
        content_type="application/json",
        **api_headers(viewer),
    )
    assert r.status_code == 403
    r = c.post(
        f"/api/v1/reports/issued/{third.pk}/reissue/",
        {"reason": "Theo yêu cầu"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["version"] == 4
    assert r.json()["supersedes"] == third.pk
    listed = {x["id"]: x for x in c.get("/api/v1/reports/issued/").json()["results"]}
    assert listed[third.pk]["superseded_by"] == r.json()["id"]
    assert listed[r.json()["id"]]["superseded_by"] is None
    # and on the command line
    fourth = IssuedReport.objects.get(pk=r.json()["id"])
    with pytest.raises(CommandError):
        call_command(
            "report",
            "--replaces",
            fourth.number,
            "--out",
            str(tmp_path / "c.pdf"),
            "--user",
            officer.username,
        )
    call_command(
        "report",
        "--replaces",
        fourth.number,
        "--reason",
        "Theo công văn",
        "--out",
        str(tmp_path / "c.pdf"),
        "--user",
        officer.username,
    )
    fifth = IssuedReport.objects.get(supersedes=fourth)
    assert fifth.version == 5 and (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF")


def test_what_makes_a_month_stale(world, tq, officer, system):
    from chitra.core.audit import audit_record

    refresh_month(tq, MONTH)
    # reads, exports, reports and sign-ins change no indicator
    for action in (
        "registry.beneficiary.view",
        "export.payroll_lines",
        "reports.issue",
        "iam.user.save",
        "grievances.ticket.view",
        "api.disbursements",
        "register.load",
    ):
        audit_record(officer, action, object_type="x", object_id="1", province=tq)
    assert not freshness(tq, MONTH).stale
    # a verification run over every province (no province of its own) does
    audit_record(system, "verification.run.finish", object_type="verification.run", object_id="1")
    assert AuditEvent.objects.filter(
        action="verification.run.finish", province__isnull=True
    ).exists()
    assert freshness(tq, MONTH).change == "verification.run.finish"
    refresh_month(tq, MONTH)
    assert not freshness(tq, MONTH).stale
    # another province's change does not
    from chitra.geo.models import Province

    other = Province.objects.exclude(pk=tq.pk).first()
    audit_record(system, "registry.import", object_type="x", object_id="1", province=other)
    assert not freshness(tq, MONTH).stale


def test_the_second_month_of_a_two_month_cycle_is_said_paid_with_it(world, tq, officer, runner):
    """January paid with December's two-month cycle: January's report does not say 'no payment
    cycle', it names the cycle whose report holds its lines."""
    from chitra.reports.periodic import collect, document

    jan = dt.date(2027, 1, 1)
    cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH, months=2))
    refresh_month(tq, MONTH)
    refresh_month(tq, jan)
    dec, january = (collect(officer, tq, "monthly", p) for p in ("2026-12", "2027-01"))
    assert dec["paid_with"] is None and dec["payments"]["lines"] > 0
    assert january["paid_with"] == {"months": "12/2026–01/2027", "first": "12/2026"}
    assert january["payments"]["lines"] == 0
    with translation.override("en"):
        doc = document(
            january,
            number="1/BC",
            issuing_body="BHXH",
            superior_body="UBND",
            place="Tuyên Quang",
            on=dt.date(2027, 2, 3),
        )
    texts = [getattr(s, "text", "") for s in doc.tables]
    assert any("paid with the payment cycle of months 12/2026–01/2027" in t for t in texts)
    assert not any("has no payment cycle" in t for t in texts)


def test_a_commune_paid_only_in_cash_is_zero_not_no_data_when_the_area_has_data(world, tq, officer):
    """Found by review of issue #12: a commune whose people have no method on record (all paid
    in cash by default) said 'no data' though the province counts them as not cashless."""
    from chitra.payment_methods.models import PaymentMethod

    cash_only = world.people["cash"].commune
    PaymentMethod.objects.filter(beneficiary__commune=cash_only).delete()
    refresh_month(tq, MONTH)
    rows = {
        r["key"]: r
        for r in sel.rollup(
            officer, kpi="cashless_share", month=MONTH, group="monthly", by="commune", province=tq
        )
    }
    here = rows[cash_only.name]
    assert here["denominator"] > 0 and here["numerator"] == 0 and here["value"] == 0.0
    assert (
        sel.total(officer, kpi="cashless_share", month=MONTH, group="monthly", province=tq)[2]
        is not None
    )
