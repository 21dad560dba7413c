from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from chitra.core.commands import ProgressBar
from chitra.core.errors import ChitraError
from chitra.disbursement.management.commands._base import CycleCommand


class Command(CycleCommand):
    help = (
        "Freeze the cycle (snapshot of entitlements, methods, accounts, payees) if it is "
        "open, and compute its payroll lines, exclusions and batches."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.disbursement.services import cycle_compute

        actor = self.actor(options)
        cycle = self.cycle(options)
        bar = ProgressBar(enabled=options.get("verbosity", 1) > 0)
        t = time.monotonic()
        try:
            cycle = cycle_compute(actor=actor, cycle=cycle, progress=bar)
        except (ChitraError, PermissionDenied) as e:
            raise CommandError(str(e)) from e
        finally:
            bar.close()
        self.stdout.write(
            f"Cycle {cycle.month:%Y-%m}: {cycle.snapshot_count:,} entitlements in the snapshot, "
            f"{cycle.line_count:,} lines, {cycle.total_amount:,} VND, "
            f"{cycle.exclusion_count:,} excluded, {cycle.batches.count()} batches "
            f"({time.monotonic() - t:.1f} s)."
        )
