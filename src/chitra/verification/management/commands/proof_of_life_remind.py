from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandParser

from chitra.core.commands import ActorCommand
from chitra.verification.proof_of_life import proof_of_life_remind


class Command(ActorCommand):
    help = (
        "Notify the people paid into an account whose proof of life is due within "
        "CHITRA_PROOF_OF_LIFE_WARN_DAYS days or overdue (once per person and due date; "
        "run it daily)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--as-of", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD (default today)"
        )
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = proof_of_life_remind(
            actor=self.actor(options), as_of=options["as_of"], dry_run=options["dry_run"]
        )
        if options["dry_run"]:
            self.stdout.write("dry run: nothing sent")
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
