from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from chitra.core.commands import ActorCommand, require_demo_mode


class Command(ActorCommand):
    help = (
        "Demo: post a few plan-task updates, record a few complaints, compute the "
        "indicators of the last months and issue the reports due now as bhxh.officer "
        "(re-runnable: nothing is added or issued twice)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--months", type=int, default=3)

    def handle(self, *args: Any, **options: Any) -> None:
        require_demo_mode("demo_reports")
        from django.conf import settings

        from chitra.geo.models import Province
        from chitra.reports.kpis import months_to_refresh
        from chitra.reports.services import kpi_refresh

        province = Province.objects.get(code=settings.CHITRA_DEFAULT_PROVINCE)
        actor = self.actor(options)
        # the changes first, the indicators last: reports issued now are not stale
        self._plan_updates(province)
        try:
            from chitra.demo.grievances import ensure_demo_tickets
        except ImportError:  # pragma: no cover
            pass
        else:
            n = ensure_demo_tickets(province=province, seed=2024)
            self.stdout.write(f"complaints: {n} added")
        months = months_to_refresh(province, back=max(0, options["months"] - 1))
        rows = kpi_refresh(actor=actor, province=province, months=months)
        self.stdout.write(f"indicators: {rows:,} values for {len(months)} months")
        self._issue_due(actor, province, months)

    def _plan_updates(self, province: Any) -> None:
        """Four progress updates of the plan, by the demo officers (once)."""
        from chitra.iam.models import User
        from chitra.reports.models import PlanTask, PlanUpdate
        from chitra.reports.services import plan_update

        if not PlanUpdate.objects.filter(province=province).exists():
            updates = [
                (
                    "bhxh.officer",
                    1,
                    "in_progress",
                    60,
                    "Đã lập danh sách vận động 3 xã, đang gọi điện và đến nhà",
                ),
                (
                    "ca.officer",
                    2,
                    "done",
                    100,
                    "Đã trích xuất và phân loại dữ liệu người hưởng với CSDLQGDC",
                ),
                ("bhxh.officer", 5, "in_progress", 35, "Cập nhật tài khoản do ngân hàng xác nhận"),
                ("bhxh.officer", 7, "in_progress", 50, "Chi trả tháng này qua tài khoản"),
            ]
            for username, number, status, pct, note in updates:
                user = User.objects.filter(username=username).first()
                if user is not None:
                    plan_update(
                        actor=user,
                        task=PlanTask.objects.get(number=number),
                        status=status,
                        percent=pct,
                        note=note,
                    )
            self.stdout.write("plan: 4 progress updates")

    def _issue_due(self, actor: Any, province: Any, months: list[Any]) -> None:
        """The reports due now (weekly, last month's, this year's), once each."""
        from chitra.iam.models import User
        from chitra.reports.periodic import period_month
        from chitra.reports.selectors import obligations
        from chitra.reports.services import kpi_refresh, report_issue

        # the reports due now (weekly, last month's, this year's), once each
        issuer = User.objects.filter(username="bhxh.officer", is_active=True).first()
        if issuer is None:
            return
        for o in obligations(issuer):
            if o.issued is not None:
                continue
            month = period_month(o.kind, o.period)
            if month not in months:
                kpi_refresh(actor=actor, province=province, months=[month])
            rep = report_issue(actor=issuer, kind=o.kind, period=o.period, province=province)
            self.stdout.write(f"report {rep.number}: {rep.get_kind_display()} {rep.period}")
