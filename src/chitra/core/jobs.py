"""Background jobs: created by a service, run by the task worker, progress kept in the database.

Progress is written outside the job's own data transaction (autocommit), so a page polling the
job sees it move while the work itself stays all-or-nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from chitra.core.audit import audit_record
from chitra.core.models import Job

if TYPE_CHECKING:
    from chitra.iam.models import User

ProgressFn = Callable[[str, int, int], None]


def job_create(*, actor: User, kind: str, params: dict[str, Any], input_file: str = "",
               input_name: str = "") -> Job:
    with transaction.atomic():
        job = Job.objects.create(kind=kind, params=params, input_file=input_file,
                                 input_name=input_name, created_by=actor)
        audit_record(actor, "job.create", obj=job, after={"kind": kind, "file": input_name})
    return job


class JobProgress:
    """A progress callback that writes at most every `interval` seconds."""

    def __init__(self, job_id: int, interval: float = 0.5) -> None:
        self.job_id = job_id
        self.interval = interval
        self._last = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._last < self.interval and done < total:
            return
        self._last = now
        conn = transaction.get_connection()
        if conn.in_atomic_block:
            return  # inside the data transaction the update would be invisible until the end
        Job.objects.filter(pk=self.job_id).update(
            phase=phase, progress_done=done, progress_total=total, updated_at=timezone.now()
        )


def job_start(job: Job) -> None:
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())


def job_finish(job: Job, *, ok: bool, result: dict[str, Any] | None = None, message: str = "",
               output_file: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.SUCCEEDED if ok else Job.Status.FAILED,
        result=result or {}, message=message, output_file=output_file,
        finished_at=timezone.now(), updated_at=timezone.now(),
    )
