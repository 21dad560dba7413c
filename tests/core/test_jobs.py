"""Jobs that survive their worker: claim, heartbeat, stale detection by the sweep (failed or
resumed per kind), the task rows of a dead worker, re-run from the page and the API."""

from __future__ import annotations

import datetime as dt
import os
import socket
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from chitra.core import jobs
from chitra.core.models import AuditEvent, Job
from chitra.iam.models import OrgKind, Role
from chitra.registry.tasks import beneficiary_import_task
from chitra.reports.tasks import kpi_refresh_task
from tests.auth import VerifiedClient, api_headers
from tests.jobs import Killed, dead_pid, queued

HOST = socket.gethostname()
LONG_AGO = dt.timedelta(hours=2)


def running(
    job: Job,
    *,
    worker: str,
    beat_ago: dt.timedelta = dt.timedelta(0),
    started_ago: dt.timedelta = dt.timedelta(0),
    attempts: int = 1,
) -> Job:
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING,
        worker=worker,
        heartbeat_at=now - beat_ago,
        attempts=attempts,
        started_at=now - started_ago,
        phase="apply",
    )
    job.refresh_from_db()
    return job


def task_row(job: Job, status: str = "RUNNING", path: str | None = None) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [job.pk], "kwargs": {}},
        task_path=path or jobs.KINDS[job.kind].task,
        backend_name="default",
        run_after=timezone.now(),
        started_at=timezone.now() - LONG_AGO,
        worker_ids=["dead-worker"],
    )


@pytest.fixture
def officer(make_user):
    return make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER)


@pytest.fixture
def english():
    with translation.override("en"):
        yield


# --- claim ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_job_is_claimed_once_with_the_workers_identity(officer):
    job = queued("beneficiary_import", officer)
    lease = jobs.job_claim(job.pk)
    assert lease is not None and lease.attempt == 1
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and job.worker == f"{HOST}:{os.getpid()}"
    assert job.heartbeat_at is not None and job.attempts == 1
    assert jobs.job_claim(job.pk) is None  # a second worker (a duplicate task) gets nothing
    # the task of a job that is not queued does no work
    assert beneficiary_import_task.call(job.pk) == {"ok": False, "skipped": True}


@pytest.mark.django_db
def test_progress_outside_a_transaction_writes_the_heartbeat(officer, monkeypatch):
    job = queued("kpi_refresh", officer)
    lease = jobs.job_claim(job.pk)
    old = timezone.now() - LONG_AGO
    Job.objects.filter(pk=job.pk).update(heartbeat_at=old)
    progress = jobs.JobProgress(job.pk, lease=lease)
    with monkeypatch.context() as m:  # as in the worker: no transaction around the work
        m.setattr(transaction.get_connection(), "in_atomic_block", False)
        progress("months", 3, 13)
    job.refresh_from_db()
    assert job.heartbeat_at > old and (job.phase, job.progress_done) == ("months", 3)


@pytest.mark.django_db
def test_inside_the_transaction_progress_is_left_to_the_heartbeat(officer):
    job = queued("kpi_refresh", officer)
    lease = jobs.job_claim(job.pk)
    progress = jobs.JobProgress(job.pk, lease=lease)
    progress("apply", 5, 10)  # the test runs in a transaction: nothing written, noted
    job.refresh_from_db()
    assert job.phase == "" and lease.progress == ("apply", 5, 10)
    assert lease.beat() is True  # what the heartbeat thread writes
    job.refresh_from_db()
    assert (job.phase, job.progress_done, job.progress_total) == ("apply", 5, 10)


class CountingLease:
    """The lease seen by the heartbeat thread (the database write is `Lease.beat`, above)."""

    def __init__(self) -> None:
        import threading

        self.job = type("J", (), {"pk": 0})()
        self.progress = None
        self._written = None
        self.beats: list[float] = []
        self.lost = threading.Event()

    def beat(self) -> bool:
        self.beats.append(time.monotonic())
        self._written = self.progress
        return True


def test_the_heartbeat_thread_beats_while_the_work_holds_the_thread():
    lease = CountingLease()
    with jobs.Heartbeat(lease, interval=0.2):  # type: ignore[arg-type]
        time.sleep(1.1)  # one long statement, as far as the worker's thread is concerned
        lease.progress = ("apply", 1, 2)
        time.sleep(1.1)
    assert len(lease.beats) >= 5 and lease._written == ("apply", 1, 2)
    slow = CountingLease()
    with jobs.Heartbeat(slow, interval=30):  # type: ignore[arg-type]
        slow.progress = ("apply", 1, 2)  # new progress is written within about a second
        time.sleep(1.5)
    assert len(slow.beats) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite: the work's transaction holds the only write lock",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_progress_inside_a_transaction_reaches_the_page_through_the_heartbeat(officer):
    job = queued("kpi_refresh", officer)
    lease = jobs.job_claim(job.pk)
    with jobs.Heartbeat(lease, interval=0.2), transaction.atomic():
        jobs.JobProgress(job.pk, lease=lease)("apply", 7, 9)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            time.sleep(0.2)
            with connection.cursor() as cur:  # this transaction sees its own writes only
                cur.execute("SELECT 1")
            if lease._written == ("apply", 7, 9):
                break
    assert lease._written == ("apply", 7, 9)
    assert Job.objects.get(pk=job.pk).progress_done == 7


# --- stale detection -----------------------------------------------------------------------


@pytest.mark.django_db
def test_stale_rules(officer, settings):
    settings.CHITRA_JOB_STALE_SECONDS = 300
    job = queued("kpi_refresh", officer)
    me = f"{HOST}:{os.getpid()}"
    # this host, process alive: not stale, whatever the heartbeat (SQLite holds it up)
    assert not jobs.is_stale(running(job, worker=me, beat_ago=LONG_AGO))
    # this host, process gone: stale at once
    assert jobs.is_stale(running(job, worker=f"{HOST}:{dead_pid()}"))
    # this host, pid alive but started after the job: a reused pid, the worker is gone
    assert jobs.is_stale(running(job, worker=me, started_ago=dt.timedelta(days=3650)))
    # another host: by the heartbeat's age
    assert not jobs.is_stale(
        running(job, worker="other-host:12", beat_ago=dt.timedelta(seconds=290))
    )
    assert jobs.is_stale(running(job, worker="other-host:12", beat_ago=dt.timedelta(seconds=310)))
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED)
    job.refresh_from_db()
    assert not jobs.is_stale(job)


@pytest.mark.django_db
def test_the_sweep_fails_a_stale_job_its_task_row_and_audits(officer, english):
    job = running(
        queued("beneficiary_import", officer, input_name="ds.xlsx"),
        worker="db2:4242",
        beat_ago=LONG_AGO,
    )
    row = task_row(job)
    live = task_row(running(queued("beneficiary_import", officer), worker="db2:4243"))
    report = jobs.jobs_sweep()
    assert report.failed == [job.pk] and report.task_rows == 0
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.is_stale and job.finished_at
    assert job.message.startswith(
        "The worker stopped while importing the beneficiary file "
        "(worker db2:4242, last sign of life "
    )
    assert job.message.endswith("nothing was applied. Run it again.")
    assert job.result["phase"] == "apply"
    row.refresh_from_db()
    assert row.status == "FAILED" and "worker stopped" in row.traceback
    live.refresh_from_db()
    assert live.status == "RUNNING"  # a job whose worker lives keeps its task row
    ev = AuditEvent.objects.get(action="job.stale", object_id=str(job.pk))
    assert ev.after["worker"] == "db2:4242" and ev.actor_username == "system"
    assert jobs.jobs_sweep().failed == []  # done once


def test_the_stopped_message_is_vietnamese_by_default(db, officer):
    job = running(queued("cycle_release", officer), worker="db2:1", beat_ago=LONG_AGO)
    with translation.override("vi"):
        jobs.jobs_sweep()
    job.refresh_from_db()
    assert "Tiến trình xử lý nền đã dừng khi đang ghi các tệp chi trả" in job.message
    assert "chưa có thay đổi nào được ghi" in job.message


@pytest.mark.django_db
def test_two_sweeps_never_both_act_on_a_job(officer):
    job = running(queued("beneficiary_import", officer), worker="db2:1", beat_ago=LONG_AGO)
    seen_by_second = Job.objects.get(pk=job.pk)
    assert jobs._stop_job(job, attempt=job.attempts) == "failed"
    # the second sweep read the job before the first changed it: its guarded update misses
    assert jobs._stop_job(seen_by_second, attempt=seen_by_second.attempts) is None
    assert AuditEvent.objects.filter(action="job.stale").count() == 1
    # nor does a sweep act on a job a worker took again meanwhile
    job2 = running(queued("kpi_refresh", officer), worker="db2:1", beat_ago=LONG_AGO)
    Job.objects.filter(pk=job2.pk).update(attempts=2)
    assert jobs._stop_job(job2, attempt=1) is None


@pytest.mark.django_db
def test_a_resumable_job_is_queued_again_then_failed_after_its_resumes(
    officer, django_capture_on_commit_callbacks, english
):
    job = running(
        queued("kpi_refresh", officer, params={"province": "08"}), worker="db2:9", beat_ago=LONG_AGO
    )
    old_row = task_row(job)
    with django_capture_on_commit_callbacks(execute=True):
        report = jobs.jobs_sweep()
    assert report.resumed == [job.pk]
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.worker == "" and job.message == ""
    old_row.refresh_from_db()
    assert old_row.status == "FAILED"
    new_row = DBTaskResult.objects.get(status="READY", args_kwargs__args__0=job.pk)
    assert new_row.task_path == "chitra.reports.tasks.kpi_refresh_task"
    assert AuditEvent.objects.filter(action="job.resume", object_id=str(job.pk)).exists()
    # the resumed job runs from the start (every month computed again)
    out = kpi_refresh_task.call(job.pk)
    job.refresh_from_db()
    assert out["ok"] and job.status == Job.Status.SUCCEEDED and job.attempts == 2
    # a job that kills its worker every time is failed after MAX_RESUMES
    job3 = running(
        queued("kpi_refresh", officer, params={"province": "08"}),
        worker="db2:9",
        beat_ago=LONG_AGO,
        attempts=jobs.MAX_RESUMES + 1,
    )
    assert jobs.jobs_sweep().failed == [job3.pk]
    job3.refresh_from_db()
    assert "the months already computed are kept" in job3.message


@pytest.mark.django_db
def test_a_job_taken_from_its_worker_stops_at_the_next_progress(officer):
    job = queued("kpi_refresh", officer)
    lease = jobs.job_claim(job.pk)
    progress = jobs.JobProgress(job.pk, lease=lease)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED)  # a sweep failed it
    assert lease.beat() is False and lease.lost.is_set()
    with pytest.raises(jobs.JobLost):
        progress("months", 2, 13)


@pytest.mark.django_db
def test_a_worker_that_only_looked_dead_records_what_really_happened(officer):
    job = queued("cycle_compute", officer)
    lease = jobs.job_claim(job.pk)
    jobs._stop_job(Job.objects.get(pk=job.pk), attempt=lease.attempt)
    assert Job.objects.get(pk=job.pk).is_stale
    assert lease.finish(ok=True, result={"rows": 3}) is True  # its work did commit
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result == {"rows": 3}
    # once queued again (or run again by a new attempt), the old worker's word is refused
    job2 = queued("kpi_refresh", officer)
    lease2 = jobs.job_claim(job2.pk)
    Job.objects.filter(pk=job2.pk).update(status=Job.Status.QUEUED)
    assert lease2.finish(ok=True, result={}) is False


@pytest.mark.django_db
def test_a_worker_stopped_by_a_signal_fails_its_job_on_the_way_out(
    officer, tmp_path, english, monkeypatch
):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n", encoding="utf-8")
    job = queued("beneficiary_import", officer, input_file=str(path), input_name="x.csv")

    def stopped(**kw):
        raise Killed("SIGTERM twice")

    monkeypatch.setattr("chitra.registry.services.beneficiary_import", stopped)
    with pytest.raises(Killed):
        beneficiary_import_task.call(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.result["reason"] == "interrupted"
    assert job.message == (
        "The worker was stopped while importing the beneficiary file; "
        "nothing was applied. Run it again."
    )


@pytest.mark.django_db
def test_a_queued_job_whose_task_was_lost_is_failed(officer, settings):
    old = timezone.now() - LONG_AGO
    lost = queued("cycle_compute", officer, params={"cycle": 1})
    waiting = queued("cycle_compute", officer, params={"cycle": 1})
    fresh = queued("cycle_compute", officer, params={"cycle": 1})
    Job.objects.filter(pk__in=[lost.pk, waiting.pk]).update(updated_at=old)
    task_row(waiting, status="READY")  # still in the queue: left alone
    report = jobs.jobs_sweep()
    assert report.never_started == [lost.pk]
    assert Job.objects.get(pk=waiting.pk).status == Job.Status.QUEUED
    assert Job.objects.get(pk=fresh.pk).status == Job.Status.QUEUED


@pytest.mark.django_db
def test_a_task_row_left_running_after_its_job_ended_is_failed(officer):
    job = queued("kpi_refresh", officer)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED)
    row = task_row(job)
    assert jobs.jobs_sweep().task_rows == 1
    row.refresh_from_db()
    assert row.status == "FAILED"


@pytest.mark.django_db
def test_jobs_sweep_command(officer, capsys):
    job = running(queued("cycle_results", officer), worker=f"{HOST}:{dead_pid()}")
    call_command("jobs_sweep")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"failed job {job.pk}"
    assert out[-1].startswith("stale_failed=1 resumed=0 never_started=0 task_rows=0")


@pytest.mark.django_db
def test_the_worker_sweeps_when_it_starts(officer, settings, monkeypatch):
    from django_tasks_db.management.commands import db_worker as library

    settings.CHITRA_JOB_SWEEP_SECONDS = 0  # no periodic thread in this test
    job = running(queued("cycle_compute", officer), worker=f"{HOST}:{dead_pid()}")
    loops: list[bool] = []
    # the worker's loop itself (library code) would close the test's connection
    monkeypatch.setattr(
        library.Worker, "run", lambda self: loops.append(Job.objects.get(pk=job.pk).is_stale)
    )
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert loops == [True]  # swept before the first task was taken


def test_the_worker_sweeps_periodically(monkeypatch):
    from chitra.core.management.commands import db_worker

    calls: list[float] = []
    monkeypatch.setattr(db_worker, "sweep_once", lambda: calls.append(time.monotonic()))
    sweeper = db_worker.PeriodicSweep(0.1).start()
    time.sleep(0.55)
    sweeper.stop.set()
    sweeper.thread.join(2)
    assert 3 <= len(calls) <= 6 and not sweeper.thread.is_alive()


# --- run again -----------------------------------------------------------------------------


@pytest.fixture
def failed_import(officer, tmp_path, settings):
    settings.CHITRA_UPLOAD_DIR = tmp_path
    path = tmp_path / "ds.xlsx"
    path.write_bytes(b"kept")
    job = queued(
        "beneficiary_import",
        officer,
        input_file=str(path),
        input_name="ds.xlsx",
        params={"sheet": "DS", "dry_run": False},
    )
    running(job, worker="db2:1", beat_ago=LONG_AGO)
    jobs.jobs_sweep()
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_the_job_page_shows_the_stale_job_and_runs_it_again(
    client, officer, failed_import, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    page = client.get(reverse("job_detail", args=[failed_import.pk]))
    assert 'data-testid="job-stale"' in page.text and failed_import.message[:30] in page.text
    assert 'data-testid="job-rerun"' in page.text and "Chạy lại" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("job_rerun", args=[failed_import.pk]))
    new = Job.objects.get(rerun_of=failed_import)
    assert r.status_code == 302 and r["Location"] == reverse("job_detail", args=[new.pk])
    assert (new.kind, new.params, new.input_file, new.input_name, new.created_by) == (
        failed_import.kind,
        failed_import.params,
        failed_import.input_file,
        "ds.xlsx",
        officer,
    )
    assert new.status == Job.Status.QUEUED
    assert DBTaskResult.objects.filter(
        status="READY", args_kwargs__args__0=new.pk, task_path=jobs.KINDS["beneficiary_import"].task
    ).exists()
    ev = AuditEvent.objects.get(action="job.rerun", object_id=str(new.pk))
    assert ev.after == {"kind": "beneficiary_import", "of": failed_import.pk}
    # the old page links to the new job; a job that did not fail cannot be run again
    assert f"#{new.pk}" in client.get(reverse("job_detail", args=[failed_import.pk])).text
    assert 'data-testid="job-rerun"' not in client.get(reverse("job_detail", args=[new.pk])).text
    client.post(reverse("job_rerun", args=[new.pk]))
    assert Job.objects.filter(rerun_of=new).count() == 0


@pytest.mark.django_db
def test_only_the_starter_reruns_by_post_with_csrf(officer, make_user, failed_import):
    other = make_user(OrgKind.BHXH_PROVINCE, Role.ADMIN)
    c = VerifiedClient()
    c.force_login(other)
    assert c.post(reverse("job_rerun", args=[failed_import.pk])).status_code == 404
    national = make_user(OrgKind.BHXH_PROVINCE, Role.ADMIN)
    type(national).objects.filter(pk=national.pk).update(is_superuser=True)
    mine = VerifiedClient(enforce_csrf_checks=True)
    mine.force_login(officer)
    assert mine.get(reverse("job_rerun", args=[failed_import.pk])).status_code == 405
    assert mine.post(reverse("job_rerun", args=[failed_import.pk])).status_code == 403  # CSRF
    assert not Job.objects.filter(rerun_of=failed_import).exists()


@pytest.mark.django_db
def test_a_rerun_needs_the_input_file_and_the_permission(officer, failed_import, make_user):
    with translation.override("en"):
        import pathlib

        pathlib.Path(failed_import.input_file).unlink()
        with pytest.raises(jobs.ChitraError, match="no longer kept"):
            jobs.job_rerun(actor=officer, job=failed_import)
    viewer = make_user(OrgKind.BHXH_PROVINCE, Role.VIEWER)
    Job.objects.filter(pk=failed_import.pk).update(created_by=viewer)
    failed_import.refresh_from_db()
    assert not jobs.can_rerun(viewer, failed_import)  # a viewer cannot import


@pytest.mark.django_db
def test_the_jobs_api_lists_own_jobs_and_reruns(
    client, officer, make_user, failed_import, django_capture_on_commit_callbacks
):
    other = make_user()
    queued("kpi_refresh", other)
    r = client.get("/api/v1/jobs/", **api_headers(officer))
    assert r.status_code == 200
    assert [j["id"] for j in r.json()["results"]] == [failed_import.pk]
    got = client.get(f"/api/v1/jobs/{failed_import.pk}/", **api_headers(officer)).json()
    assert got["status"] == "failed" and got["stale"] is True and got["worker"] == "db2:1"
    assert client.get(f"/api/v1/jobs/{failed_import.pk}/", **api_headers(other)).status_code == 404
    assert (
        client.post(f"/api/v1/jobs/{failed_import.pk}/rerun/", **api_headers(other)).status_code
        == 404
    )
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/api/v1/jobs/{failed_import.pk}/rerun/", **api_headers(officer))
    assert r.status_code == 201 and r.json()["rerun_of"] == failed_import.pk
    again = client.post(f"/api/v1/jobs/{r.json()['id']}/rerun/", **api_headers(officer))
    assert again.status_code == 400  # queued, not failed


@pytest.mark.django_db
def test_a_running_job_page_shows_its_worker_and_last_sign_of_life(client, officer):
    job = running(queued("kpi_refresh", officer), worker="db2:77")
    client.force_login(officer)
    frag = client.get(reverse("job_detail", args=[job.pk]), HTTP_HX_REQUEST="true").text
    assert 'data-testid="job-heartbeat"' in frag and "Tín hiệu hoạt động cuối" in frag
    assert "db2:77" in frag and 'hx-trigger="every 1s"' in frag
