from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from chitra.core.errors import ChitraError
from chitra.disbursement.management.commands._base import CycleCommand


class Command(CycleCommand):
    help = (
        "Approve a computed payroll (the user who computed it is refused; above "
        "CHITRA_SECOND_APPROVAL_ABOVE a second approver is needed)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--note", default="", help="A note kept in the audit trail.")

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.disbursement.services import cycle_approve

        actor = self.actor(options)
        try:
            cycle = cycle_approve(actor=actor, cycle=self.cycle(options), note=options["note"])
        except (ChitraError, PermissionDenied) as e:
            raise CommandError(str(e)) from e
        if cycle.awaiting_second_approval:
            self.stdout.write(
                f"Cycle {cycle.month:%Y-%m}: first approval recorded; a second approver is needed."
            )
        else:
            self.stdout.write(f"Cycle {cycle.month:%Y-%m} approved.")
