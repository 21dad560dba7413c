from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from chitra.core.errors import ChitraError
from chitra.disbursement.management.commands._base import CycleCommand


class Command(CycleCommand):
    help = (
        "Cancel a payment line before its batch is released (approvers; a reason is "
        "required). After release a line changes only through the provider's answer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("reference", help="The line's payment reference.")
        parser.add_argument(
            "--reason",
            required=True,
            help="Why (deceased reported, error found...): kept in the ledger and the audit trail.",
        )
        parser.add_argument(
            "--pay-again",
            action="store_true",
            help="The month is still owed: re-issue it next cycle (default: held).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.disbursement.models import PayrollLine
        from chitra.disbursement.services import line_cancel

        actor = self.actor(options)
        cycle = self.cycle(options)
        line = PayrollLine.objects.filter(cycle=cycle, reference=options["reference"]).first()
        if line is None:
            raise CommandError(f"No line {options['reference']} in cycle {cycle.month:%Y-%m}.")
        try:
            line = line_cancel(
                actor=actor, line=line, reason=options["reason"], pay_again=options["pay_again"]
            )
        except (ChitraError, PermissionDenied) as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            f"{line.reference}: {line.get_status_display()} [{line.status}], "
            f"{'owed again next cycle' if line.action == 'retry' else 'held'}."
        )
