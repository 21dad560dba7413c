"""`chitra db_worker`: django-tasks-db's worker, which first sweeps the jobs a dead worker left
(stale jobs failed or resumed, leftover release files removed) and sweeps again every
CHITRA_JOB_SWEEP_SECONDS while it runs (chitra.core is listed before django_tasks_db in
INSTALLED_APPS, so this command replaces the library's)."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

log = logging.getLogger("chitra.core.jobs")


def sweep_once() -> None:
    from chitra.core.jobs import jobs_sweep

    try:
        report = jobs_sweep()
    except Exception:  # a sweep must never stop the worker
        log.exception("job sweep failed")
        return
    if report.failed or report.resumed or report.never_started or report.cleaned:
        log.warning("job sweep: %s", report.line())


class PeriodicSweep:
    """A daemon thread sweeping every `interval` seconds on its own connection."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="chitra-job-sweep", daemon=True)

    def _run(self) -> None:
        try:
            while not self.stop.wait(self.interval):
                sweep_once()
        finally:
            connections.close_all()

    def start(self) -> PeriodicSweep:
        if self.interval > 0:
            self.thread.start()
        return self


class Command(DbWorkerCommand):
    help = (
        "Run a database background worker (django-tasks-db), sweeping stale jobs at start "
        "and every CHITRA_JOB_SWEEP_SECONDS."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sweep_once()
        sweeper = PeriodicSweep(settings.CHITRA_JOB_SWEEP_SECONDS).start()
        try:
            super().handle(*args, **options)
        finally:
            sweeper.stop.set()
