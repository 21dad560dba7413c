from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import CommandError, CommandParser

from chitra.core.commands import ActorCommand, ProgressBar


class Command(ActorCommand):
    help = (
        "Recompute the monthly indicator aggregates of a province (default: the last 12 "
        "months and this one; --month YYYY-MM for one month)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--province", default=None)
        parser.add_argument("--month", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        import datetime as dt

        from django.conf import settings

        from chitra.geo.models import Province
        from chitra.reports.services import kpi_refresh

        code = options["province"] or settings.CHITRA_DEFAULT_PROVINCE
        province = Province.objects.filter(code=code).first()
        if province is None:
            raise CommandError(f"Unknown province {code}.")
        months = None
        if options["month"]:
            try:
                y, m = options["month"].split("-")
                months = [dt.date(int(y), int(m), 1)]
            except ValueError:
                raise CommandError("--month must be YYYY-MM") from None
        bar = ProgressBar(enabled=sys.stderr.isatty() and options.get("verbosity", 1) > 0)
        try:
            rows = kpi_refresh(
                actor=self.actor(options), province=province, months=months, progress=bar
            )
        finally:
            bar.close()
        self.stdout.write(f"indicators of {province}: {rows:,} values")
