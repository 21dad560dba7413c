"""Background jobs: created by a service, run by the task worker, progress kept in the database.

Progress is written outside the job's own data transaction (autocommit), so a page polling the
job sees it move while the work itself stays all-or-nothing.

Jobs survive their worker (ADR 0008):

* a worker *claims* a job (queued -> running, WHERE status = queued: two workers never run the
  same job) and records who it is (`host:pid`) and the attempt number;
* while the work runs, the progress callback and a heartbeat thread (its own database
  connection, every CHITRA_JOB_HEARTBEAT_SECONDS) write `heartbeat_at`, so that one long SQL
  statement does not look like a dead worker;
* `jobs_sweep` (at worker start, every CHITRA_JOB_SWEEP_SECONDS in the worker, and
  `chitra jobs_sweep`) finds *stale* jobs: the worker's process is gone (same host), or its
  heartbeat is older than CHITRA_JOB_STALE_SECONDS (another host). Each is failed with a
  message saying what it was doing and that nothing was applied, or, for the kinds whose work
  is resumable (`JobKind.resumable`), queued again. The transition is a guarded UPDATE (WHERE
  status = running AND attempts = the attempt seen): two sweeps never both act on one job;
* the user who started a failed job can run it again (`job_rerun`): a new job with the same
  parameters and input file.

The data work of every kind is all-or-nothing: it runs in one transaction (or, for the
indicator refresh, one transaction per month, recomputed whole on a resume), so a stopped job
leaves nothing half-applied.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task as django_task
from django_tasks.base import Task

from chitra.core.audit import audit_record
from chitra.core.errors import ChitraError
from chitra.core.models import Job
from chitra.core.perms import Perm
from chitra.core.policy import can_rerun

if TYPE_CHECKING:
    from chitra.iam.models import User

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]


# --- the kinds of job ----------------------------------------------------------------------


@dataclass(frozen=True)
class JobKind:
    """What the sweep and the re-run need to know about a kind of job."""

    #: dotted path of the task that runs it (its first argument is the job id)
    task: str
    #: what the job does, for "the worker stopped while ..."
    doing: Any
    #: the user re-running it needs one of these permissions
    perms: tuple[Perm, ...]
    #: a stale job of this kind is queued again (at most MAX_RESUMES times) instead of failed
    resumable: bool = False
    #: what a stopped job left behind (default: nothing)
    left: Any = None
    #: dotted path of `fn(job_id)` that marks the kind's own records of a stopped job
    on_stop: str | None = None


#: A stale job is resumed only where re-running it unattended is harmless: the indicator
#: refresh recomputes derived aggregates (no money, no personal data, no decision), each month
#: whole in its own transaction, so the resumed run simply computes them all again. Every other
#: kind is failed and left to the person who started it ("Chạy lại"): an import applies a file
#: someone chose (they may have uploaded a corrected one since), verification suspends payments
#: of the dead, and the payment cycle's steps are decisions about money.
KINDS: dict[str, JobKind] = {
    "beneficiary_import": JobKind(
        "chitra.registry.tasks.beneficiary_import_task",
        gettext_lazy("importing the beneficiary file"),
        (Perm.REGISTRY_IMPORT,),
    ),
    "verification_run": JobKind(
        "chitra.verification.tasks.verification_run_task",
        gettext_lazy("verifying against the population register"),
        (Perm.VERIFY_RUN,),
        on_stop="chitra.verification.services.verification_run_stopped",
    ),
    "cycle_compute": JobKind(
        "chitra.disbursement.tasks.cycle_compute_task",
        gettext_lazy("computing the payroll"),
        (Perm.PAYMENT_RUN,),
    ),
    "cycle_release": JobKind(
        "chitra.disbursement.tasks.cycle_release_task",
        gettext_lazy("writing the payment files"),
        (Perm.PAYMENT_RUN,),
    ),
    "cycle_results": JobKind(
        "chitra.disbursement.tasks.cycle_results_task",
        gettext_lazy("applying the payment results file"),
        (Perm.PAYMENT_RESULTS,),
    ),
    "cycle_statement": JobKind(
        "chitra.disbursement.tasks.cycle_statement_task",
        gettext_lazy("reconciling the bank statement"),
        (Perm.PAYMENT_RESULTS,),
    ),
    "batch_g2p": JobKind(
        "chitra.disbursement.tasks.batch_g2p_task",
        gettext_lazy("exchanging a batch with its provider by G2P Connect"),
        (Perm.PAYMENT_RUN,),
    ),
    "kpi_refresh": JobKind(
        "chitra.reports.tasks.kpi_refresh_task",
        gettext_lazy("computing the indicators"),
        (Perm.REPORT_ISSUE, Perm.TARGET_EDIT),
        resumable=True,
        left=gettext_lazy(
            "the months already computed are kept (each month is computed "
            "whole); the others are as before"
        ),
    ),
}

#: a resumable job is queued again at most this many times (a job that kills its worker every
#: time, e.g. out of memory, then fails like the others)
MAX_RESUMES = 2

#: other clean-ups run by every sweep (leftover temporary release directories)
SWEEPERS: tuple[str, ...] = ("chitra.disbursement.files.release_leftovers_sweep",)


def enqueue(job: Job) -> None:
    """Queue the job's task once the current transaction commits."""
    task = import_string(KINDS[job.kind].task)
    transaction.on_commit(lambda: task.enqueue(job.pk))


def job_create(
    *,
    actor: User,
    kind: str,
    params: dict[str, Any],
    input_file: str = "",
    input_name: str = "",
    rerun_of: Job | None = None,
) -> Job:
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            params=params,
            input_file=input_file,
            input_name=input_name,
            created_by=actor,
            rerun_of=rerun_of,
        )
        audit_record(actor, "job.create", obj=job, after={"kind": kind, "file": input_name})
    return job


# --- who runs a job ------------------------------------------------------------------------


def worker_identity() -> str:
    """`host:pid` of this process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _parse_identity(worker: str) -> tuple[str, int | None]:
    host, _sep, pid = worker.rpartition(":")
    return (host, int(pid)) if pid.isdigit() else (worker, None)


def _process_start(pid: int) -> dt.datetime | None:
    """When process `pid` started (Linux /proc), or None when unknown."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/stat", encoding="ascii") as fh:
            boot = next(int(line.split()[1]) for line in fh if line.startswith("btime "))
    except (OSError, ValueError, IndexError, StopIteration):
        return None
    return dt.datetime.fromtimestamp(boot + ticks / os.sysconf("SC_CLK_TCK"), dt.UTC)


def process_alive(pid: int, started_before: dt.datetime | None = None) -> bool:
    """Whether process `pid` of this host runs (and, when known, started before
    `started_before`: a process started later only reuses a dead worker's pid)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: it exists
    if started_before is not None:
        began = _process_start(pid)
        if began is not None and began > started_before + dt.timedelta(seconds=1):
            return False
    return True


# --- running a job -------------------------------------------------------------------------


class JobLost(Exception):
    """The job was taken from this worker (found stale by a sweep): stop, apply nothing."""


@dataclass
class Lease:
    """This worker's hold on a job: the attempt it claimed and the latest progress."""

    job: Job
    attempt: int
    worker: str
    lost: threading.Event = field(default_factory=threading.Event)
    progress: tuple[str, int, int] | None = None
    _written: tuple[str, int, int] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _mine(self) -> Any:
        return Job.objects.filter(pk=self.job.pk, status=Job.Status.RUNNING, attempts=self.attempt)

    def note(self, phase: str, done: int, total: int) -> None:
        with self._lock:
            self.progress = (phase, done, total)

    def beat(self) -> bool:
        """Write the heartbeat (and the latest progress): False when the job is not ours."""
        with self._lock:
            progress = self.progress
        values: dict[str, Any] = {"heartbeat_at": timezone.now()}
        if progress is not None and progress != self._written:
            values.update(
                phase=progress[0][:64],
                progress_done=max(0, progress[1]),
                progress_total=max(0, progress[2]),
                updated_at=values["heartbeat_at"],
            )
        if not self._mine().update(**values):
            self.lost.set()
            return False
        self._written = progress
        return True

    def finish(
        self,
        *,
        ok: bool,
        result: dict[str, Any] | None = None,
        message: str = "",
        output_file: str = "",
    ) -> bool:
        """Record the outcome, if the job is still this attempt's. A job failed as stale meanwhile
        (its worker only looked dead) takes the real outcome: the data says what happened."""
        now = timezone.now()
        n = Job.objects.filter(
            Q(status=Job.Status.RUNNING) | Q(status=Job.Status.FAILED, result__stale=True),
            pk=self.job.pk,
            attempts=self.attempt,
        ).update(
            status=Job.Status.SUCCEEDED if ok else Job.Status.FAILED,
            result=result or {},
            message=message,
            output_file=output_file,
            finished_at=now,
            updated_at=now,
            heartbeat_at=now,
        )
        if not n:
            log.warning(
                "job %s attempt %s: outcome not recorded (the job was taken over)",
                self.job.pk,
                self.attempt,
            )
        return bool(n)


def job_claim(job_id: int) -> Lease | None:
    """Take a queued job (None when it is not queued: running elsewhere, finished or failed)."""
    me = worker_identity()
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        updated_at=now,
        worker=me,
        attempts=F("attempts") + 1,
        finished_at=None,
    )
    if not claimed:
        return None
    job = Job.objects.select_related("created_by").get(pk=job_id)
    return Lease(job=job, attempt=job.attempts, worker=me)


class JobProgress:
    """A progress callback that writes at most every `interval` seconds.

    Inside the job's data transaction a write would stay invisible until the end: there the
    latest progress is handed to the heartbeat thread, which writes it on its own connection.
    When the job was taken from this worker, the next call raises JobLost (the work stops
    and its transaction rolls back)."""

    def __init__(self, job_id: int, interval: float = 0.5, lease: Lease | None = None) -> None:
        self.job_id = job_id
        self.interval = interval
        self.lease = lease
        self._last = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        if self.lease is not None:
            if self.lease.lost.is_set():
                raise JobLost(f"job {self.job_id} was taken from this worker (found stale)")
            self.lease.note(phase, done, total)
        now = time.monotonic()
        if now - self._last < self.interval and done < total:
            return
        self._last = now
        conn = transaction.get_connection()
        if conn.in_atomic_block:
            return
        if self.lease is not None:
            self.lease.beat()
            return
        stamp = timezone.now()
        Job.objects.filter(pk=self.job_id).update(
            phase=phase[:64],
            progress_done=done,
            progress_total=total,
            updated_at=stamp,
            heartbeat_at=stamp,
        )


class Heartbeat:
    """A thread that writes the lease's heartbeat every `interval` seconds (and the latest
    progress about every second) on its own database connection.

    Not started when the caller is inside a transaction (the job row may not be committed, so
    another connection would not see it: tests, or a job run inline)."""

    def __init__(self, lease: Lease, interval: float | None = None) -> None:
        self.lease = lease
        self.interval = settings.CHITRA_JOB_HEARTBEAT_SECONDS if interval is None else interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Heartbeat:
        if self.interval > 0 and not connection.in_atomic_block:
            self._thread = threading.Thread(
                target=self._run, daemon=True, name=f"chitra-heartbeat-{self.lease.job.pk}"
            )
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)

    def _run(self) -> None:
        tick = min(1.0, self.interval)
        last = time.monotonic()
        try:
            while not self._stop.wait(tick):
                now = time.monotonic()
                changed = self.lease.progress != self.lease._written
                if now - last < self.interval and not changed:
                    continue
                try:
                    if not self.lease.beat():
                        return  # taken over: the progress callback stops the work
                    last = now
                except DatabaseError as exc:  # e.g. SQLite's write lock held by the work
                    log.debug("job %s: heartbeat not written: %s", self.lease.job.pk, exc)
        finally:
            connections.close_all()  # this thread's connections


@dataclass
class Outcome:
    """What a job's work returns: the result shown on the job page, an optional file."""

    result: dict[str, Any]
    output_file: str = ""


Work = Callable[[Job, ProgressFn], "Outcome | dict[str, Any]"]
OnError = Callable[[Job, ChitraError], dict[str, Any]]


def run_job(job_id: int, work: Work, *, on_error: OnError | None = None) -> dict[str, Any]:
    """Claim the job, run `work(job, progress)` with a heartbeat, record the outcome. A
    ChitraError fails the job with its message; any other error fails it with "internal error"
    and is raised again (the task row records the traceback)."""
    lease = job_claim(job_id)
    if lease is None:
        log.warning("job %s is not queued: not run again", job_id)
        return {"ok": False, "skipped": True}
    job = lease.job
    progress = JobProgress(job.pk, lease=lease)
    try:
        with Heartbeat(lease):
            out = work(job, progress)
    except JobLost:
        log.warning("job %s was taken from this worker: stopped, nothing applied", job.pk)
        return {"ok": False, "lost": True}
    except ChitraError as exc:
        lease.finish(ok=False, message=str(exc), result=on_error(job, exc) if on_error else {})
        return {"ok": False}
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        lease.finish(ok=False, message=_("Internal error; see the worker log."))
        raise
    except BaseException:  # the worker is being stopped (second Ctrl+C, SIGTERM twice)
        _stop_job(job, attempt=lease.attempt, reason="interrupted")
        raise
    if not isinstance(out, Outcome):
        out = Outcome(out)
    lease.finish(ok=True, result=out.result, output_file=out.output_file)
    return {"ok": True, **out.result}


def job_task(*, on_error: OnError | None = None) -> Callable[[Work], Task[[int], dict[str, Any]]]:
    """Make `work(job, progress)` the task `work.__name__(job_id)` that runs it as a job
    (`run_job`: claim, heartbeat, outcome, `on_error` for a ChitraError), registered under
    the work's own module and name (what `KINDS` names)."""

    def wrap(work: Work) -> Task[[int], dict[str, Any]]:
        def run(job_id: int) -> dict[str, Any]:
            return run_job(job_id, work, on_error=on_error)

        run.__module__, run.__name__, run.__qualname__ = (
            work.__module__,
            work.__name__,
            work.__qualname__,
        )
        run.__doc__ = work.__doc__
        return django_task()(run)

    return wrap


# --- the sweep -----------------------------------------------------------------------------


@dataclass
class SweepReport:
    failed: list[int] = field(default_factory=list)
    resumed: list[int] = field(default_factory=list)
    never_started: list[int] = field(default_factory=list)
    task_rows: int = 0
    cleaned: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"stale_failed={len(self.failed)} resumed={len(self.resumed)} "
            f"never_started={len(self.never_started)} task_rows={self.task_rows} "
            f"temp_removed={len(self.cleaned)}"
        )


def _last_sign(job: Job) -> dt.datetime:
    return job.heartbeat_at or job.started_at or job.updated_at


def is_stale(job: Job, *, now: dt.datetime | None = None) -> bool:
    """A running job whose worker is gone: on this host its process is not running (whatever
    the heartbeat: on SQLite the work's own transaction holds up the heartbeat); elsewhere its
    heartbeat is older than CHITRA_JOB_STALE_SECONDS."""
    if job.status != Job.Status.RUNNING:
        return False
    now = now or timezone.now()
    host, pid = _parse_identity(job.worker)
    if pid is not None and host == socket.gethostname():
        return not process_alive(pid, started_before=job.started_at)
    limit = dt.timedelta(seconds=settings.CHITRA_JOB_STALE_SECONDS)
    return _last_sign(job) < now - limit


def _stopped_message(job: Job, reason: str) -> str:
    kind = KINDS.get(job.kind)
    doing = str(kind.doing) if kind else job.kind
    left = str(kind.left) if kind and kind.left else _("nothing was applied")
    at = timezone.localtime(_last_sign(job)).strftime("%d/%m/%Y %H:%M:%S")
    if reason == "interrupted":
        return _("The worker was stopped while %(doing)s; %(left)s. Run it again.") % {
            "doing": doing,
            "left": left,
        }
    return _(
        "The worker stopped while %(doing)s (worker %(worker)s, last sign of life "
        "%(at)s); %(left)s. Run it again."
    ) % {"doing": doing, "worker": job.worker or "?", "at": at, "left": left}


def _fail_task_rows(job_ids: list[int], note: str) -> int:
    """The task rows of stopped jobs that still say *running*: failed (django-tasks-db never
    takes a running row again, so they would say so forever; they never run twice)."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return 0
    from django_tasks_db.models import DBTaskResult

    paths = [k.task for k in KINDS.values()]
    q = Q()
    for jid in job_ids:
        q |= Q(args_kwargs__args__0=jid)
    if not job_ids:
        return 0
    return DBTaskResult.objects.filter(q, status="RUNNING", task_path__in=paths).update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path="chitra.core.jobs.JobLost",
        traceback=note,
    )


def _stop_job(job: Job, *, attempt: int, reason: str = "stale") -> str | None:
    """Fail or resume one job whose worker stopped. Returns "failed", "resumed" or None when
    another sweep (or the worker itself) changed the job first."""
    from chitra.core import ports

    kind = KINDS.get(job.kind)
    resume = bool(kind and kind.resumable and attempt <= MAX_RESUMES)
    message = _stopped_message(job, reason)
    now = timezone.now()
    with transaction.atomic():
        guard = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=attempt)
        if resume:
            n = guard.update(
                status=Job.Status.QUEUED, worker="", heartbeat_at=None, message="", updated_at=now
            )
        else:
            n = guard.update(
                status=Job.Status.FAILED,
                message=message,
                finished_at=now,
                updated_at=now,
                result={
                    **(job.result or {}),
                    "stale": True,
                    "worker": job.worker,
                    "phase": job.phase,
                    "reason": reason,
                },
            )
        if not n:
            return None
        _fail_task_rows([job.pk], message)
        if kind and kind.on_stop and not resume:
            import_string(kind.on_stop)(job.pk, message)
        audit_record(
            ports.system_actor.get()(),
            "job.resume" if resume else "job.stale",
            obj=job,
            after={
                "kind": job.kind,
                "worker": job.worker,
                "attempt": attempt,
                "phase": job.phase,
                "reason": reason,
                "last_heartbeat": _last_sign(job).isoformat(),
            },
        )
        if resume:
            enqueue(job)
    log.warning(
        "job %s (%s) of worker %s %s",
        job.pk,
        job.kind,
        job.worker,
        "queued again" if resume else "failed: its worker stopped",
    )
    return "resumed" if resume else "failed"


def _never_started(now: dt.datetime, report: SweepReport) -> None:
    """Queued jobs older than the stale limit whose task row is gone or finished (the enqueue
    was lost): failed, so that the page does not wait for ever."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return
    from django_tasks_db.models import DBTaskResult

    cutoff = now - dt.timedelta(seconds=settings.CHITRA_JOB_STALE_SECONDS)
    for job in Job.objects.filter(status=Job.Status.QUEUED, updated_at__lt=cutoff):
        kind = KINDS.get(job.kind)
        if kind is None:
            continue
        live = DBTaskResult.objects.filter(
            task_path=kind.task, args_kwargs__args__0=job.pk, status__in=("READY", "RUNNING")
        ).exists()
        if live:
            continue
        n = Job.objects.filter(
            pk=job.pk, status=Job.Status.QUEUED, updated_at=job.updated_at
        ).update(
            status=Job.Status.FAILED,
            finished_at=now,
            updated_at=now,
            result={"stale": True, "reason": "never_started"},
            message=_(
                "This job was never started by a worker (its task was lost); nothing "
                "was applied. Run it again."
            ),
        )
        if n:
            report.never_started.append(job.pk)


def jobs_sweep(*, now: dt.datetime | None = None) -> SweepReport:
    """Fail (or resume) every stale job, fail its task rows, and run the other clean-ups."""
    now = now or timezone.now()
    report = SweepReport()
    for job in Job.objects.filter(status=Job.Status.RUNNING).order_by("pk"):
        if not is_stale(job, now=now):
            continue
        done = _stop_job(job, attempt=job.attempts)
        if done == "failed":
            report.failed.append(job.pk)
        elif done == "resumed":
            report.resumed.append(job.pk)
    report.task_rows = _orphan_task_rows(now)
    _never_started(now, report)
    for path in SWEEPERS:
        report.cleaned.extend(import_string(path)())
    return report


def _orphan_task_rows(now: dt.datetime) -> int:
    """Task rows still *running* for a job that is not running (its worker died after the job
    was recorded, before the task row was): failed, with the job's message."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return 0
    from django_tasks_db.models import DBTaskResult

    cutoff = now - dt.timedelta(seconds=settings.CHITRA_JOB_STALE_SECONDS)
    paths = [k.task for k in KINDS.values()]
    ids = []
    for row in DBTaskResult.objects.filter(
        status="RUNNING", task_path__in=paths, started_at__lt=cutoff
    ).only("args_kwargs"):
        args = (row.args_kwargs or {}).get("args") or []
        if args and isinstance(args[0], int):
            ids.append(args[0])
    running = set(
        Job.objects.filter(pk__in=ids, status=Job.Status.RUNNING).values_list("pk", flat=True)
    )
    done = [i for i in ids if i not in running]
    return _fail_task_rows(done, "the job ended; its worker stopped before the task row did")


# --- run again -----------------------------------------------------------------------------


def job_rerun(*, actor: User, job: Job) -> Job:
    """A new job with the same parameters and input file as a failed one, started by the user
    who started it."""
    from pathlib import Path

    if not can_rerun(actor, job):
        raise ChitraError(_("Only a failed job can be run again, by the user who started it."))
    if job.input_file and not Path(job.input_file).is_file():
        raise ChitraError(_("The file of this job is no longer kept: upload it again."))
    with transaction.atomic():
        new = job_create(
            actor=actor,
            kind=job.kind,
            params=dict(job.params),
            input_file=job.input_file,
            input_name=job.input_name,
            rerun_of=job,
        )
        audit_record(actor, "job.rerun", obj=new, after={"kind": job.kind, "of": job.pk})
        enqueue(new)
    return new
