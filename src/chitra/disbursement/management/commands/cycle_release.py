from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from chitra.core.commands import ProgressBar
from chitra.core.errors import ChitraError
from chitra.disbursement.management.commands._base import CycleCommand


class Command(CycleCommand):
    help = (
        "Release an approved cycle: write and lock its payment files (pain.001, CSV/XLSX, "
        "cash lists), mark the lines sent, and copy the files to --out. On a released "
        "cycle, releases a supplementary batch if one waits, else only copies the files "
        "already released (checked against their SHA-256; never written again)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--out", type=Path, required=True, help="Directory for the files.")

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.disbursement.files import export_files
        from chitra.disbursement.models import Batch, CycleStatus
        from chitra.disbursement.services import cycle_release

        actor = self.actor(options)
        cycle = self.cycle(options)
        bar = ProgressBar(enabled=options.get("verbosity", 1) > 0)
        try:
            waiting = cycle.batches.filter(status=Batch.Status.ISSUED).exists()
            if cycle.status == CycleStatus.APPROVED or (
                cycle.status == CycleStatus.RELEASED and waiting
            ):
                cycle = cycle_release(actor=actor, cycle=cycle, progress=bar)
            elif cycle.status != CycleStatus.RELEASED and cycle.status not in (
                CycleStatus.RECONCILED,
                CycleStatus.CLOSED,
            ):
                cycle_release(actor=actor, cycle=cycle)  # raises the state message
            from chitra.disbursement.selectors import files as files_of

            files = files_of(actor, cycle).order_by("batch_id", "name")
            copied = export_files(files, options["out"], actor=actor)
        except (ChitraError, PermissionDenied) as e:
            raise CommandError(str(e)) from e
        finally:
            bar.close()
        for f in files:
            self.stdout.write(f"{f.name}\t{f.rows}\t{f.amount}\t{f.sha256}")
        self.stdout.write(f"{len(copied)} files in {options['out']}")
