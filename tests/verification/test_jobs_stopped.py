"""A verification run whose worker dies midway applied nothing: no outcomes, no status, no
work queue, no suspension; its run record says so; the register's failures end in one line."""

from __future__ import annotations

import pytest
from django.utils import translation

from chitra.core.models import AuditEvent, Job
from chitra.registry.models import Entitlement
from chitra.verification import services
from chitra.verification.models import (
    CleaningTask,
    PersonStatus,
    Recovery,
    Suspension,
    VerificationResult,
    VerificationRun,
)
from chitra.verification.tasks import verification_run_task
from tests.jobs import queued, run_killed, stop_at


@pytest.mark.django_db
def test_a_run_killed_after_its_first_batch_applied_nothing(
    register, people, bhxh_officer, monkeypatch
):
    monkeypatch.setattr(services, "BATCH", 2)  # 6 people: 3 batches
    job = queued("verification_run", bhxh_officer, params={"province": "08"})
    seen = stop_at(monkeypatch, "write", nth=2)  # two batches written, the third not
    with translation.override("en"):
        job = run_killed(monkeypatch, verification_run_task, job)
    assert ("write", 4, 6) in seen
    assert not VerificationResult.objects.exists()
    assert not PersonStatus.objects.exists() and not CleaningTask.objects.exists()
    assert not Suspension.objects.exists() and not Recovery.objects.exists()
    assert Entitlement.objects.get(beneficiary=people["dead"]).status == "active"
    assert not AuditEvent.objects.filter(action__startswith="verification.deceased").exists()
    assert job.status == Job.Status.FAILED and "verifying against the population register" in (
        job.message
    )
    run = VerificationRun.objects.get(job_id=job.pk)
    assert run.status == VerificationRun.Status.FAILED and run.message == job.message
    # run again: the whole run applies
    from chitra.core.jobs import job_rerun

    again = job_rerun(actor=bhxh_officer, job=job)
    monkeypatch.undo()
    verification_run_task.call(again.pk)
    again.refresh_from_db()
    assert again.status == Job.Status.SUCCEEDED and VerificationResult.objects.count() == 6
    assert Suspension.objects.count() == 1
