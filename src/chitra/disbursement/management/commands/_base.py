"""Shared options of the cycle commands: --cycle (an id or YYYY-MM) and --province."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from chitra.core.commands import ActorCommand


def parse_date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"{option} expects a date as YYYY-MM-DD, got {text!r}.") from None


def parse_month(text: str) -> dt.date:
    try:
        y, m = text.strip().split("-")
        return dt.date(int(y), int(m), 1)
    except ValueError:
        raise CommandError(f"Expected a month as YYYY-MM, got {text!r}.") from None


class CycleCommand(ActorCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--cycle",
            default=None,
            help="The cycle: its id or a month it pays, YYYY-MM (default: the "
            "latest cycle of the province).",
        )
        parser.add_argument(
            "--province", default=None, help="Province code (default: CHITRA_DEFAULT_PROVINCE)."
        )

    def cycle(self, options: dict[str, Any]) -> Any:
        from chitra.disbursement.models import Cycle

        code = options.get("province") or settings.CHITRA_DEFAULT_PROVINCE
        qs = Cycle.objects.filter(province__code=code).select_related("province")
        ref = options.get("cycle")
        if ref is None:
            cycle = qs.order_by("-month").first()
        elif "-" in str(ref):  # any month the cycle pays (both of a two-month cycle)
            cycle = qs.filter(covered__month=parse_month(ref)).first()
        else:
            try:
                cycle = Cycle.objects.select_related("province").filter(pk=int(ref)).first()
            except ValueError:
                raise CommandError(f"--cycle must be an id or YYYY-MM, got {ref!r}.") from None
        if cycle is None:
            raise CommandError(
                f"No payment cycle {ref or ''} in province {code}.".replace("  ", " ")
            )
        return cycle
