from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from chitra.core.errors import ChitraError, render_issue
from chitra.disbursement.management.commands._base import CycleCommand


class Command(CycleCommand):
    help = (
        "Apply a provider's results file (pain.002.001.10 XML, or CSV/XLSX with reference, "
        "status succ/rjct and reason code): whole or not at all; applying it again changes "
        "nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        super().add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.disbursement.results import ResultsRejected, results_import

        actor = self.actor(options)
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"File not found: {path}")
        try:
            out = results_import(actor=actor, cycle=self.cycle(options), path=path)
        except ResultsRejected as e:
            for issue in e.issues[:50]:
                self.stderr.write(render_issue(issue))
            if len(e.issues) > 50:
                self.stderr.write(f"... and {len(e.issues) - 50} more")
            raise CommandError(str(e)) from e
        except (ChitraError, PermissionDenied) as e:
            raise CommandError(str(e)) from e
        if out.already_applied:
            self.stdout.write(
                f"This file was applied already (import {out.result_import.pk}); nothing changed."
            )
            return
        self.stdout.write(
            f"Applied: {out.paid:,} paid, {out.failed:,} failed, {out.returned:,} returned "
            f"after payment, {out.unchanged:,} already "
            f"recorded, {out.pending:,} still pending; {out.reissued_cash:,} re-issued in cash, "
            f"{out.accounts_closed:,} accounts closed, {out.suspended:,} entitlements "
            f"suspended."
        )
