from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from chitra.core.commands import ActorCommand, require_demo_mode


class Command(ActorCommand):
    help = (
        "Demo: open and compute this month's payment cycle of the default province as "
        "bhxh.officer, unless a cycle of this month exists already (re-runnable). Approval, "
        "release and results are left to the demo users."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--officer", default="bhxh.officer")

    def handle(self, *args: Any, **options: Any) -> None:
        require_demo_mode("demo_cycle")
        from django.conf import settings

        from chitra.disbursement.models import Cycle
        from chitra.disbursement.services import cycle_compute, cycle_create
        from chitra.geo.models import Province
        from chitra.iam.models import User

        month = timezone.localdate().replace(day=1)
        province = Province.objects.get(code=settings.CHITRA_DEFAULT_PROVINCE)
        if Cycle.objects.filter(province=province, covered__month=month).exists():
            self.stdout.write(f"payment cycle {month:%m/%Y}: exists already")
            return
        officer = User.objects.get(username=options["officer"])
        cycle = cycle_compute(
            actor=officer, cycle=cycle_create(actor=officer, month=month, province=province)
        )
        self.stdout.write(
            f"payment cycle {month:%m/%Y}: {cycle.line_count:,} lines, "
            f"{cycle.total_amount:,} VND, computed by {officer.username}; "
            f"approve it as bhxh.approver (and bhxh.admin above "
            f"{settings.CHITRA_SECOND_APPROVAL_ABOVE:,} VND)"
        )
