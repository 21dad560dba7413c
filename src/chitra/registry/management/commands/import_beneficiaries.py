from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from chitra.core.commands import ActorCommand, ProgressBar
from chitra.core.errors import ChitraError, render_issue
from chitra.registry.services import beneficiary_import


class Command(ActorCommand):
    help = "Import beneficiaries from a spreadsheet (xlsx, xls, ods, csv)."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        parser.add_argument("--sheet", default=None, help="Sheet name (default: the first).")
        parser.add_argument(
            "--errors",
            type=Path,
            default=None,
            help="Write rejected rows with their reasons to this .xlsx file.",
        )
        parser.add_argument(
            "--province", default=None, help="Province code for commune names (default: settings)."
        )
        parser.add_argument(
            "--quiet-rows", action="store_true", help="Do not print each rejected row."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self.actor(options)
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"File not found: {path}")
        bar = ProgressBar(enabled=sys.stderr.isatty())
        try:
            summary = beneficiary_import(
                actor=actor,
                path=path,
                sheet=options["sheet"],
                province_code=options["province"],
                dry_run=options["dry_run"],
                errors_out=options["errors"],
                progress=bar,
            )
        except ChitraError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        if not options["quiet_rows"]:
            for rej in summary.rejected_rows:
                for issue in rej.issues:
                    self.stdout.write(render_issue(issue))
            for warning in summary.warnings:
                self.stdout.write(render_issue(warning))
        if summary.error_file:
            self.stdout.write(f"errors: {summary.error_file}")
        if summary.dry_run:
            self.stdout.write("dry run: nothing written")
        self.stdout.write(summary.line())
