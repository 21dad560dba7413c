"""`chitra jobs_sweep`: fail (or resume) the jobs whose worker stopped, and remove what a
killed release left (the worker does the same at its start and every
CHITRA_JOB_SWEEP_SECONDS)."""

from __future__ import annotations

from typing import Any

from chitra.core.commands import ChitraCommand


class Command(ChitraCommand):
    help = (
        "Find jobs whose worker stopped (process gone, or no heartbeat for "
        "CHITRA_JOB_STALE_SECONDS): fail them with a message (or queue the resumable ones "
        "again), fail their task rows, remove leftover temporary release files."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.core.jobs import jobs_sweep

        report = jobs_sweep()
        for pk in report.failed:
            self.stdout.write(f"failed job {pk}")
        for pk in report.resumed:
            self.stdout.write(f"queued again job {pk}")
        for pk in report.never_started:
            self.stdout.write(f"failed job {pk} (never started)")
        for path in report.cleaned:
            self.stdout.write(f"removed {path}")
        self.stdout.write(report.line())
