from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from chitra.core.errors import ChitraError
from chitra.disbursement.management.commands._base import CycleCommand, parse_month


class Command(CycleCommand):
    help = "Open the payment cycle of a month (YYYY-MM)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("month", help="The payment month, YYYY-MM.")
        super().add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        from chitra.disbursement.services import cycle_create
        from chitra.geo.models import Province

        actor = self.actor(options)
        code = options.get("province") or settings.CHITRA_DEFAULT_PROVINCE
        province = Province.objects.filter(code=code).first()
        if province is None:
            raise CommandError(f"Unknown province code {code}.")
        try:
            cycle = cycle_create(actor=actor, month=parse_month(options["month"]),
                                 province=province)
        except (ChitraError, PermissionDenied) as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"Cycle {cycle.pk} {cycle.month:%Y-%m} ({province}) opened.")
