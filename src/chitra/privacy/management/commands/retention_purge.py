from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from chitra.core.commands import ActorCommand


class Command(ActorCommand):
    help = (
        "Apply the retention rules that delete or anonymise (privacy/retention.py): "
        "expired sessions, old log-in records, uploaded files and error workbooks, "
        "finished tasks, tokens of deactivated users, old outreach notes and complaint "
        "reporters. Reports per table; audited. Tables the law keeps are never touched."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be done; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.privacy.retention import RULES, Action, retention_purge

        try:
            lines = retention_purge(actor=self.actor(options), dry_run=options["dry_run"])
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        verb = "would " if options["dry_run"] else ""
        for line in lines:
            self.stdout.write(
                f"{line.rule.target:40} {line.rule.action:9} {verb}"
                f"rows={line.outcome.rows} files={line.outcome.files}"
            )
        kept = sum(1 for r in RULES if r.action == Action.KEEP)
        self.stdout.write(
            f"rules applied={len(lines)} kept untouched={kept}"
            + (" (dry run: nothing changed)" if options["dry_run"] else "")
        )
