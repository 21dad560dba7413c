from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from chitra.core.errors import ChitraError
from chitra.disbursement.management.commands._base import CycleCommand, parse_date


class Command(CycleCommand):
    help = (
        "Change a cycle's scheduled pay dates (until its files are released; audited): "
        "the date accounts are credited and the date cash is paid from."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--account-date", default=None, help="Date the accounts are credited, YYYY-MM-DD."
        )
        parser.add_argument(
            "--cash-date",
            default=None,
            help="Date cash is paid from at the pay points, YYYY-MM-DD.",
        )
        parser.add_argument("--reason", default="", help="Why (kept in the audit trail).")
        super().add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.disbursement.services import cycle_set_pay_dates

        actor = self.actor(options)
        cycle = self.cycle(options)
        if not options["account_date"] and not options["cash_date"]:
            raise CommandError("Give --account-date, --cash-date or both.")
        account = (
            parse_date(options["account_date"], "--account-date")
            if options["account_date"]
            else cycle.account_credit_date
        )
        cash = (
            parse_date(options["cash_date"], "--cash-date")
            if options["cash_date"]
            else cycle.cash_from_date
        )
        try:
            cycle = cycle_set_pay_dates(
                actor=actor,
                cycle=cycle,
                account_credit_date=account,
                cash_from_date=cash,
                reason=options["reason"],
            )
        except (ChitraError, PermissionDenied) as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            f"Cycle {cycle.pk} {cycle.months_label}: accounts credited on "
            f"{cycle.account_credit_date:%Y-%m-%d}, cash paid from "
            f"{cycle.cash_from_date:%Y-%m-%d}."
        )
