"""Helpers for the tests of jobs that stop midway: a worker "killed" at a chosen progress call.

`stop_at` makes the job's progress callback raise `Killed` (a BaseException, like the
SystemExit a stopped worker raises) at the n-th call of a phase: the work stops right there,
inside its transaction, as when the process dies."""

from __future__ import annotations

import socket
import subprocess
from typing import Any

import pytest

from chitra.core import jobs
from chitra.core.models import Job
from chitra.iam.models import User


class Killed(BaseException):
    """The worker dies here."""


def stop_at(monkeypatch: pytest.MonkeyPatch, phase: str, nth: int = 1) -> list[tuple]:
    """Kill the job at the `nth` progress call of `phase`; returns the calls seen."""
    seen: list[tuple] = []
    real = jobs.JobProgress.__call__

    def progress(self: Any, p: str, done: int, total: int) -> None:
        seen.append((p, done, total))
        real(self, p, done, total)
        if p == phase and sum(1 for s in seen if s[0] == phase) == nth:
            raise Killed(f"{phase} #{nth}")

    monkeypatch.setattr(jobs.JobProgress, "__call__", progress)
    return seen


def queued(kind: str, user: User, **kw: Any) -> Job:
    return jobs.job_create(actor=user, kind=kind, params=kw.pop("params", {}), **kw)


def dead_pid() -> int:
    """The pid of a process of this host that has ended."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def run_killed(monkeypatch: pytest.MonkeyPatch, task: Any, job: Job) -> Job:
    """Run the job's task as the worker does until it dies (a killed process records nothing:
    the job is left *running*), then sweep as the next worker start does; the job as the sweep
    left it."""
    with monkeypatch.context() as m:
        m.setattr(jobs, "_stop_job", lambda *a, **k: None)
        with pytest.raises(Killed):
            task.call(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING
    Job.objects.filter(pk=job.pk).update(worker=f"{socket.gethostname()}:{dead_pid()}")
    report = jobs.jobs_sweep()
    assert job.pk in report.failed + report.resumed
    job.refresh_from_db()
    return job
