"""The payment cycle's jobs killed midway leave nothing half-applied; release files are staged
and moved into place only at the commit; what a killed release left is removed at the next
start (ADR 0008)."""

from __future__ import annotations

import csv
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.db import connection

from chitra.core.jobs import jobs_sweep
from chitra.core.models import AuditEvent, Job
from chitra.disbursement import files as files_mod
from chitra.disbursement.files import STAGING_DIR, Staging, files_root, release_leftovers_sweep
from chitra.disbursement.models import (
    Batch,
    CycleStatus,
    Exclusion,
    PaymentFile,
    PayrollLine,
    ResultImport,
)
from chitra.disbursement.services import (
    cycle_approve,
    cycle_compute,
    cycle_create,
    cycle_release,
)
from chitra.disbursement.tasks import cycle_compute_task, cycle_release_task, cycle_results_task
from chitra.payment_methods.models import Account
from chitra.registry.models import Entitlement
from tests.disbursement.conftest import MONTH, NOV
from tests.jobs import dead_pid, queued, run_killed, stop_at


def approved(runner, approver):
    return cycle_approve(
        actor=approver,
        cycle=cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH)),
    )


def files_on_disk() -> list[Path]:
    return (
        sorted(p for p in files_root().rglob("*") if p.is_file()) if files_root().exists() else []
    )


def assert_not_released(cycle, world) -> None:
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.APPROVED
    assert not PaymentFile.objects.exists()
    assert set(Batch.objects.values_list("status", flat=True)) == {"issued"}
    assert Entitlement.objects.get(pk=world.entitlements["bank"].pk).paid_through == NOV
    assert not AuditEvent.objects.filter(action="cycle.release").exists()
    assert files_on_disk() == []


def test_a_compute_killed_after_its_lines_were_written_applied_nothing(world, runner, monkeypatch):
    cycle = cycle_create(actor=runner, month=MONTH)
    job = queued("cycle_compute", runner, params={"cycle": cycle.pk})
    seen = stop_at(monkeypatch, "exclusions")  # the lines are in, the exclusions not yet
    job = run_killed(monkeypatch, cycle_compute_task, job)
    assert seen[-1][0] == "exclusions"
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.FROZEN  # the freeze is its own, earlier step
    assert not PayrollLine.objects.exists() and not Batch.objects.exists()
    assert not Exclusion.objects.exists() and cycle.line_count == 0
    assert not AuditEvent.objects.filter(action="cycle.compute").exists()
    assert job.status == Job.Status.FAILED and "computing the payroll" in job.message


@pytest.mark.parametrize(("phase", "nth"), [("files", 1), ("publish", 1)])
def test_a_release_killed_midway_leaves_no_file_and_no_released_state(
    world, runner, approver, monkeypatch, phase, nth
):
    cycle = approved(runner, approver)
    job = queued("cycle_release", runner, params={"cycle": cycle.pk})
    seen = stop_at(monkeypatch, phase, nth)
    job = run_killed(monkeypatch, cycle_release_task, job)
    assert seen[-1][0] == phase
    assert_not_released(cycle, world)
    assert job.status == Job.Status.FAILED and "writing the payment files" in job.message
    assert not (files_root() / STAGING_DIR).exists() or not any(
        (files_root() / STAGING_DIR).iterdir()
    )


def test_files_moved_into_place_are_removed_when_the_commit_fails(
    world, runner, approver, monkeypatch
):
    cycle = approved(runner, approver)
    real = Staging.publish
    published: list[Path] = []

    def publish_then_commit_fails(self):
        real(self)
        published.extend(final for _pk, final in self._published)
        assert all(p.is_dir() and any(p.iterdir()) for p in published)
        raise RuntimeError("could not commit")

    monkeypatch.setattr(Staging, "publish", publish_then_commit_fails)
    with pytest.raises(RuntimeError, match="could not commit"):
        cycle_release(actor=runner, cycle=cycle)
    assert published and not any(p.exists() for p in published)
    assert_not_released(cycle, world)


def test_a_release_writes_apart_then_moves_into_place(
    world, runner, approver, django_capture_on_commit_callbacks
):
    cycle = approved(runner, approver)
    with django_capture_on_commit_callbacks(execute=True):
        cycle = cycle_release(actor=runner, cycle=cycle)
    files = list(PaymentFile.objects.all())
    assert files and all(files_mod.checked_path(f).is_file() for f in files)
    assert not any(STAGING_DIR in f.path for f in files)
    assert list((files_root() / STAGING_DIR).iterdir()) == []  # staging gone after the commit


def test_abandon_keeps_what_the_database_recorded(
    world, runner, approver, django_capture_on_commit_callbacks
):
    """A commit that reports an error may still have happened: the files of recorded batches
    stay (never a committed release without its files)."""
    with django_capture_on_commit_callbacks(execute=True):
        cycle = cycle_release(actor=runner, cycle=approved(runner, approver))
    recorded = Batch.objects.filter(cycle=cycle, files__isnull=False).distinct().first()
    kept = files_root() / files_mod._relative(recorded)
    staging = Staging(cycle)
    stray = files_root() / "08" / "2026-12" / "NOT-RECORDED"
    stray.mkdir(parents=True)
    (stray / "x.csv").write_text("x")
    staging._published = [(recorded.pk, kept), (10**9, stray)]
    staging.abandon()
    assert kept.is_dir() and any(kept.iterdir()) and not stray.exists()
    assert not staging.root.exists()


def test_results_killed_after_the_lines_were_updated_applied_nothing(
    world, runner, approver, tmp_path, monkeypatch
):
    cycle = cycle_release(actor=runner, cycle=approved(runner, approver))
    bank2 = PayrollLine.objects.get(entitlement=world.entitlements["bank2"])
    bank = PayrollLine.objects.get(entitlement=world.entitlements["bank"])
    path = tmp_path / "r.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Mã thanh toán", "Trạng thái", "Mã lý do"])
        w.writerow([bank.reference, "succ", ""])
        w.writerow([bank2.reference, "rjct", "AC04"])
    job = queued(
        "cycle_results",
        runner,
        params={"cycle": cycle.pk},
        input_file=str(path),
        input_name="r.csv",
    )
    seen = stop_at(monkeypatch, "follow-up")  # paid, failed, re-issued, account closed...
    job = run_killed(monkeypatch, cycle_results_task, job)
    assert [s[0] for s in seen][-3:] == ["check", "apply", "follow-up"]
    assert not ResultImport.objects.exists()
    assert set(PayrollLine.objects.values_list("status", flat=True)) == {"sent"}
    assert not PayrollLine.objects.filter(reissue_of=bank2).exists()
    assert Account.objects.get(pk=world.accounts["bank2"].pk).status == "verified"
    assert not AuditEvent.objects.filter(action="cycle.results").exists()
    assert job.status == Job.Status.FAILED


# --- leftovers of a killed release -------------------------------------------------------


def _staged(name: str, *, manifest: dict | None = None) -> Path:
    root = files_root() / STAGING_DIR / name
    (root / "B1").mkdir(parents=True)
    (root / "B1" / "x.xml").write_text("<Document/>")
    if manifest is not None:
        import json

        (root / "manifest.json").write_text(json.dumps(manifest))
    return root


def test_leftover_staging_is_removed_only_when_its_release_is_gone(
    world, runner, approver, settings, django_capture_on_commit_callbacks
):
    settings.CHITRA_RELEASE_TEMP_MAX_AGE_SECONDS = 3600
    with django_capture_on_commit_callbacks(execute=True):
        cycle = cycle_release(actor=runner, cycle=approved(runner, approver))
    host, now = socket.gethostname(), int(time.time())
    recorded = Batch.objects.filter(cycle=cycle, files__isnull=False).distinct().first()
    kept_rel = str(files_mod._relative(recorded))
    moved = files_root() / "08" / "2026-12" / "MOVED-BUT-NOT-COMMITTED"
    moved.mkdir(parents=True)
    (moved / "a.csv").write_text("a")
    dead = _staged(
        f"release-{cycle.pk}-{now}-{dead_pid()}-aa-{host}",
        manifest={
            "cycle": cycle.pk,
            "batches": {
                str(recorded.pk): kept_rel,
                str(10**9): str(moved.relative_to(files_root())),
            },
        },
    )
    alive = _staged(f"release-{cycle.pk}-{now}-{os.getpid()}-bb-{host}")
    young = _staged(f"release-{cycle.pk}-{now}-1-cc-elsewhere")
    old = _staged(f"release-{cycle.pk}-{now - 7200}-1-dd-elsewhere")
    for p in [old, *old.rglob("*")]:
        os.utime(p, (now - 7200, now - 7200))
    removed = release_leftovers_sweep()
    assert set(removed) == {str(dead), str(moved), str(old)}
    assert not dead.exists() and not moved.exists() and not old.exists()
    assert alive.exists() and young.exists()
    assert (files_root() / kept_rel).is_dir()  # recorded: the release did commit
    # the sweep of jobs runs it too
    os.utime(young, (now - 7200, now - 7200))
    for p in young.rglob("*"):
        os.utime(p, (now - 7200, now - 7200))
    assert str(young) in jobs_sweep().cleaned


def test_the_next_release_cleans_what_a_killed_one_left(world, runner, approver):
    cycle = approved(runner, approver)
    left = _staged(f"release-{cycle.pk}-{int(time.time())}-{dead_pid()}-ee-{socket.gethostname()}")
    cycle_release(actor=runner, cycle=cycle)
    assert not left.exists()


def test_a_release_process_killed_with_sigkill_is_cleaned_at_next_start(db, tmp_path, settings):
    """A real process stages and moves a batch's files into place, and is killed (kill -9)
    before its commit: the next start's sweep removes both."""
    store = Path(settings.CHITRA_PAYMENT_FILES_DIR)
    child = textwrap.dedent("""
        import datetime as dt
        import time
        from types import SimpleNamespace
        import django
        django.setup()
        from chitra.disbursement.files import Staging
        cycle = SimpleNamespace(pk=424242)
        batch = SimpleNamespace(pk=999999999, reference="KILLED-B1", cycle=SimpleNamespace(
            province=SimpleNamespace(code="08"), month=dt.date(2026, 12, 1)))
        s = Staging(cycle)
        (s.directory(batch) / "KILLED-B1.xml").write_text("<Document/>")
        s.publish()
        print("published", flush=True)
        time.sleep(60)  # the commit that never comes
    """)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "chitra.settings",
        "CHITRA_TESTING": "1",
        "CHITRA_PAYMENT_FILES_DIR": str(store),
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", child], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "published"
        final = store / "08" / "2026-12" / "KILLED-B1"
        assert (final / "KILLED-B1.xml").is_file()
        assert len(list((store / STAGING_DIR).iterdir())) == 1
        assert release_leftovers_sweep() == []  # its process still runs: left alone
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    removed = release_leftovers_sweep()
    assert str(final) in removed and not final.exists()
    assert list((store / STAGING_DIR).iterdir()) == []


def test_staging_is_in_the_file_store(world, runner, approver):
    """Same file system as the final place: moving a batch's directory is a rename."""
    cycle = approved(runner, approver)
    staging = Staging(cycle)
    assert staging.root.parent.parent == files_root()
    assert os.stat(staging.root).st_dev == os.stat(files_root()).st_dev
    staging.abandon()
    assert not staging.root.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks seen from another connection (PostgreSQL)"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_staging_directory_is_kept_while_its_cycle_is_locked_by_a_release(runner):
    """On PostgreSQL a release holds its cycle's row lock for its whole transaction: a sweep
    never removes the staging directory of a release that still runs (a host name or pid
    that looks dead notwithstanding)."""
    import threading

    from django.db import connections, transaction

    from chitra.disbursement.models import Cycle
    from chitra.geo.models import Province

    cycle = Cycle.objects.create(
        province=Province.objects.get(code="08"),
        month=MONTH,
        last_month=MONTH,
        account_credit_date=MONTH.replace(day=5),
        cash_from_date=MONTH.replace(day=2),
        created_by=runner,
    )
    left = _staged(f"release-{cycle.pk}-{int(time.time())}-{dead_pid()}-ff-{socket.gethostname()}")
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                Cycle.objects.select_for_update().get(pk=cycle.pk)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    t = threading.Thread(target=hold)
    t.start()
    try:
        assert locked.wait(10)
        assert release_leftovers_sweep() == [] and left.exists()
    finally:
        release.set()
        t.join(10)
    assert release_leftovers_sweep() == [str(left)]
