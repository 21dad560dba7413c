from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from chitra.core.errors import ChitraError
from chitra.disbursement.management.commands._base import CycleCommand, parse_date, parse_month


class Command(CycleCommand):
    help = (
        "Open the payment cycle of a month (YYYY-MM), paying that month or (--months 2) "
        "that month and the next, e.g. January and February before Tết."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("month", help="The (first) payment month, YYYY-MM.")
        parser.add_argument(
            "--months",
            type=int,
            choices=[1, 2],
            default=None,
            help="Months the cycle pays: 1, or 2 (this month and the next). "
            "Default: 2 for the months of CHITRA_TWO_MONTH_CYCLES "
            "(January), else 1.",
        )
        parser.add_argument(
            "--account-date",
            default=None,
            help="Date the accounts are credited, YYYY-MM-DD (default: the "
            "province's pay schedule, the 5th).",
        )
        parser.add_argument(
            "--cash-date",
            default=None,
            help="Date cash is paid from at the pay points, YYYY-MM-DD "
            "(default: the province's pay schedule, the 2nd).",
        )
        super().add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        from chitra.disbursement.services import cycle_create, suggested_months
        from chitra.geo.models import Province

        actor = self.actor(options)
        code = options.get("province") or settings.CHITRA_DEFAULT_PROVINCE
        province = Province.objects.filter(code=code).first()
        if province is None:
            raise CommandError(f"Unknown province code {code}.")
        month = parse_month(options["month"])
        months = options["months"] or suggested_months(month)
        account = (
            parse_date(options["account_date"], "--account-date")
            if options["account_date"]
            else None
        )
        cash = parse_date(options["cash_date"], "--cash-date") if options["cash_date"] else None
        try:
            cycle = cycle_create(
                actor=actor,
                month=month,
                province=province,
                months=months,
                account_credit_date=account,
                cash_from_date=cash,
            )
        except (ChitraError, PermissionDenied) as e:
            raise CommandError(str(e)) from e
        months_text = (
            f"{cycle.month:%Y-%m}"
            if not cycle.two_months
            else f"{cycle.month:%Y-%m} and {cycle.last_month:%Y-%m}"
        )
        self.stdout.write(
            f"Cycle {cycle.pk} {months_text} ({province}) opened: accounts "
            f"credited on {cycle.account_credit_date:%Y-%m-%d}, cash paid from "
            f"{cycle.cash_from_date:%Y-%m-%d}."
        )
