"""The indicator refresh, the one resumable kind: each month is computed whole; a worker that
dies midway leaves every month either as before or fully new, and the resumed job computes
them all."""

from __future__ import annotations

import pytest

from chitra.core.models import AuditEvent, Job
from chitra.iam.models import OrgKind, Role
from chitra.reports import kpis
from chitra.reports.models import KpiRefresh, KpiValue
from chitra.reports.tasks import kpi_refresh_task
from tests.jobs import Killed, queued, run_killed, stop_at


@pytest.fixture
def admin(make_user):
    return make_user(OrgKind.BHXH_PROVINCE, Role.ADMIN)


def values() -> list[tuple]:
    return sorted(
        KpiValue.objects.values_list(
            "month", "commune_id", "kpi", "group", "dim", "numerator", "denominator"
        )
    )


def test_a_refresh_killed_midway_keeps_whole_months_and_is_resumed(
    world, admin, monkeypatch, django_capture_on_commit_callbacks
):
    job = queued("kpi_refresh", admin, params={"province": "08"})
    seen = stop_at(monkeypatch, "months", nth=3)  # three months computed, ten to go
    with django_capture_on_commit_callbacks(execute=False) as queued_again:
        job = run_killed(monkeypatch, kpi_refresh_task, job)
    assert seen[-1] == ("months", 3, 13)
    assert KpiRefresh.objects.count() == 3  # whole months only
    assert not AuditEvent.objects.filter(action="reports.refresh").exists()
    assert job.status == Job.Status.QUEUED and len(queued_again) == 1  # resumed
    kpi_refresh_task.call(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.attempts == 2
    assert KpiRefresh.objects.count() == 13
    resumed = values()
    KpiValue.objects.all().delete()
    KpiRefresh.objects.all().delete()
    clean = queued("kpi_refresh", admin, params={"province": "08"})
    kpi_refresh_task.call(clean.pk)
    assert values() == resumed  # the same as a run that never stopped


def test_a_month_killed_inside_its_transaction_stays_as_before(world, admin, monkeypatch, tq):
    month = kpis.months_to_refresh(tq)[-1]
    kpis.refresh_month(tq, month)
    before = values()
    KpiValue.objects.filter(month=month).update(numerator=0)  # so that a refresh shows
    stale = values()
    assert stale != before

    def dies(*a, **kw):
        raise Killed("inside the month")

    monkeypatch.setattr(KpiRefresh.objects, "update_or_create", dies)
    with pytest.raises(Killed):
        kpis.refresh_month(tq, month)  # deleted and re-inserted, then killed
    assert values() == stale
