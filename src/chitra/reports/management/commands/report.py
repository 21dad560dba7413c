from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from chitra.core.commands import ActorCommand
from chitra.core.errors import ChitraError


class Command(ActorCommand):
    help = (
        "Issue a periodic report (weekly: 2026-W48, monthly: 2026-11, yearly: 2026, adhoc: "
        "any label) from the indicators, store it unchangeable with its data, and copy its "
        "xlsx or PDF to --out (by the file's extension). --replaces NUMBER --reason TEXT "
        "issues a corrected version of an issued report instead (the old one is kept, "
        "marked superseded). Refused while the month's indicators are stale: run "
        "kpi_refresh --month YYYY-MM first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--kind", choices=["weekly", "monthly", "yearly", "adhoc"])
        parser.add_argument("--period")
        parser.add_argument(
            "--replaces",
            default=None,
            help="number of the issued report to correct (e.g. 15/BC-BHXH)",
        )
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="year of the report to correct (default: this year)",
        )
        parser.add_argument("--reason", default="", help="why the report is corrected")
        parser.add_argument("--out", type=Path, required=True, help="FILE.xlsx or FILE.pdf")
        parser.add_argument("--province", default=None)
        parser.add_argument("--signer", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.geo.models import Province
        from chitra.reports.services import report_issue, report_reissue, reports_dir

        out: Path = options["out"]
        if out.suffix.lower() not in (".xlsx", ".pdf"):
            raise CommandError("--out must end in .xlsx or .pdf")
        province = None
        if options["province"]:
            province = Province.objects.filter(code=options["province"]).first()
            if province is None:
                raise CommandError(f"Unknown province {options['province']}.")
        actor = self.actor(options)
        try:
            if options["replaces"]:
                from django.utils import timezone

                from chitra.reports.selectors import issued_reports

                year = options["year"] or timezone.localdate().year
                found = issued_reports(actor).filter(number=options["replaces"], year=year)
                if province is not None:
                    found = found.filter(province=province)
                old = found.order_by("-id").first()
                if old is None:
                    raise CommandError(
                        f"No issued report {options['replaces']} of {year} that you may see."
                    )
                rep = report_reissue(
                    actor=actor, report=old, reason=options["reason"], signer=options["signer"]
                )
            else:
                if not options["kind"] or not options["period"]:
                    raise CommandError("--kind and --period are required (or --replaces).")
                rep = report_issue(
                    actor=actor,
                    kind=options["kind"],
                    period=options["period"],
                    province=province,
                    signer=options["signer"],
                )
        except (ChitraError, PermissionDenied) as e:
            raise CommandError(str(e)) from e
        src = reports_dir() / (rep.xlsx_path if out.suffix.lower() == ".xlsx" else rep.pdf_path)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, out)
        replaces = f", replaces {rep.supersedes.number}" if rep.supersedes else ""
        self.stdout.write(
            f"Report {rep.number} ({rep.kind} {rep.period}, version "
            f"{rep.version}{replaces}) issued: {out}"
        )
