"""A real worker process (`chitra db_worker` on a SQLite file) killed with SIGKILL in the middle
of an import's transaction: nothing was applied, the next worker start (or `jobs_sweep`) fails
the job with its message, the dead worker's task row neither blocks the queue nor runs again,
and the user can run the job again."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.engine.spreadsheets import make_messy_sheet
from tests.registry.test_import import person

CHITRA = str(Path(sys.executable).with_name("chitra"))
ROWS = 40_000

USER = """
from chitra.geo.models import Province
from chitra.iam.models import OrgKind, Role
from chitra.iam.services import organisation_upsert, system_actor, user_upsert

system = system_actor()
org = organisation_upsert(actor=system, code="bhxh-08", kind=OrgKind.BHXH_PROVINCE,
                          name="BHXH tinh", province=Province.objects.get(code="08"),
                          communes=[], provider_code="")
user_upsert(actor=system, username="officer", organisation=org, role=Role.OFFICER,
            full_name="Officer", password="correct-horse-battery-9")
"""

ENQUEUE = """
import os
from chitra.iam.models import User
from chitra.registry.services import beneficiary_import_start

with open({name!r}, "rb") as fh:
    job = beneficiary_import_start(actor=User.objects.get(username="officer"),
                                   upload_name=os.path.basename(fh.name), chunks=[fh.read()])
print(job.pk)
"""


def _run(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHITRA, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _write_lock_held(db: Path) -> bool:
    con = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        return "locked" in str(exc)
    finally:
        con.close()


def _one(db: Path, sql: str, *params: object) -> tuple:
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute(sql, params).fetchone()
    finally:
        con.close()


def test_a_worker_killed_mid_import_applies_nothing_and_its_job_is_failed(tmp_path):
    db = tmp_path / "chitra.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "CHITRA_TESTING": "1",
        "CHITRA_VAR_DIR": str(tmp_path),
        "CHITRA_UPLOAD_DIR": str(tmp_path / "uploads"),
        "CHITRA_JOB_HEARTBEAT_SECONDS": "0.3",
        "CHITRA_JOB_STALE_SECONDS": "1",
        "CHITRA_JOB_SWEEP_SECONDS": "0",
        "CHITRA_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "chitra.settings",
    }
    big = tmp_path / "big.csv"
    make_messy_sheet(big, [person(i) for i in range(1, ROWS + 1)], fmt="csv")
    small = tmp_path / "small.csv"
    make_messy_sheet(small, [person(i) for i in range(ROWS + 1, ROWS + 4)], fmt="csv")
    assert _run(env, "migrate", "-v0").returncode == 0
    assert _run(env, "shell", "-c", USER).returncode == 0
    out = _run(env, "shell", "-c", ENQUEUE.format(name=str(big)))
    assert out.returncode == 0, out.stderr
    job = int(out.stdout.split()[-1])

    worker = subprocess.Popen(
        [CHITRA, "db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.1", "-v0"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    beats: set[str] = set()
    try:
        held_since = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            status, beat = _one(db, "SELECT status, heartbeat_at FROM core_job WHERE id = ?", job)
            if status == "running":
                beats.add(beat)
                if _write_lock_held(db):  # the import's transaction (its IMMEDIATE lock)
                    held_since = held_since or time.monotonic()
                    if time.monotonic() - held_since > 0.5:
                        break
                else:
                    held_since = None
            assert status in ("queued", "running"), status
            time.sleep(0.05)
        else:
            pytest.fail("the import never held its transaction")
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    # the heartbeat thread wrote while the job read its file
    assert len(beats) >= 2
    assert _one(db, "SELECT status, worker FROM core_job WHERE id = ?", job)[0] == "running"
    assert _one(db, "SELECT COUNT(*) FROM registry_beneficiary") == (0,)
    assert _one(db, "SELECT COUNT(*) FROM registry_entitlement") == (0,)
    assert _one(
        db, "SELECT COUNT(*) FROM core_auditevent WHERE action LIKE 'registry.import%'"
    ) == (0,)

    # a second file queued while no worker runs; then the next worker starts
    out = _run(env, "shell", "-c", ENQUEUE.format(name=str(small)))
    assert out.returncode == 0, out.stderr
    job2 = int(out.stdout.split()[-1])
    done = _run(env, "db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v0")
    assert done.returncode == 0, done.stderr
    status, message, result = _one(
        db, "SELECT status, message, result FROM core_job WHERE id = ?", job
    )
    assert status == "failed" and '"stale": true' in result
    assert "nhập tệp danh sách người hưởng" in message and "Hãy chạy lại" in message
    # the dead worker's task row is failed, not run again; the queue went on
    rows = (
        sqlite3.connect(db)
        .execute(
            "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at"
        )
        .fetchall()
    )
    assert [r[0] for r in rows] == ["FAILED", "SUCCESSFUL"]
    assert len(json.loads(rows[0][1])) == 1  # claimed once, by the worker that died
    assert _one(db, "SELECT status FROM core_job WHERE id = ?", job2) == ("succeeded",)
    assert _one(db, "SELECT COUNT(*) FROM registry_beneficiary") == (3,)
    # the sweep command finds nothing more to do
    again = _run(env, "jobs_sweep")
    assert again.returncode == 0 and again.stdout.strip().endswith("temp_removed=0")
