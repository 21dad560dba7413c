from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from chitra.core.commands import ActorCommand
from chitra.core.errors import ChitraError


class Command(ActorCommand):
    help = ("Issue a periodic report (weekly: 2026-W48, monthly: 2026-11, yearly: 2026, adhoc: "
            "any label) from the indicators, store it unchangeable with its data, and copy its "
            "xlsx or PDF to --out (by the file's extension).")

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--kind", required=True,
                            choices=["weekly", "monthly", "yearly", "adhoc"])
        parser.add_argument("--period", required=True)
        parser.add_argument("--out", type=Path, required=True,
                            help="FILE.xlsx or FILE.pdf")
        parser.add_argument("--province", default=None)
        parser.add_argument("--signer", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.geo.models import Province
        from chitra.reports.services import report_issue, reports_dir

        out: Path = options["out"]
        if out.suffix.lower() not in (".xlsx", ".pdf"):
            raise CommandError("--out must end in .xlsx or .pdf")
        province = None
        if options["province"]:
            province = Province.objects.filter(code=options["province"]).first()
            if province is None:
                raise CommandError(f"Unknown province {options['province']}.")
        try:
            rep = report_issue(actor=self.actor(options), kind=options["kind"],
                               period=options["period"], province=province,
                               signer=options["signer"])
        except (ChitraError, PermissionDenied) as e:
            raise CommandError(str(e)) from e
        src = reports_dir() / (rep.xlsx_path if out.suffix.lower() == ".xlsx" else rep.pdf_path)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, out)
        self.stdout.write(f"Report {rep.number} ({rep.kind} {rep.period}) issued: {out}")
