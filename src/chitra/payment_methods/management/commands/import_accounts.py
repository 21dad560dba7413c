from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from chitra.core.commands import ActorCommand
from chitra.core.errors import ChitraError, render_issue
from chitra.payment_methods.imports import account_import


class Command(ActorCommand):
    help = "Import a provider's account confirmation file (xlsx, xls, ods, csv)."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--sheet", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self.actor(options)
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"File not found: {path}")
        try:
            summary = account_import(
                actor=actor, path=path, sheet=options["sheet"], dry_run=options["dry_run"]
            )
        except ChitraError as exc:
            raise CommandError(str(exc)) from exc
        for rej in summary.rejected_rows:
            for issue in rej.issues:
                self.stdout.write(render_issue(issue))
        if summary.dry_run:
            self.stdout.write("dry run: nothing written")
        self.stdout.write(summary.line())
