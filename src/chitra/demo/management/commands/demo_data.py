from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from chitra.core.commands import ActorCommand, require_demo_mode
from chitra.demo import generator as demo_gen
from chitra.demo.iam import ensure_demo_org_users
from chitra.geo.models import Commune, Province
from chitra.registry.services import ImportSummary, apply_records, records_from_table

#: A fixed reference date keeps the demo data identical whatever day it is generated.
DEFAULT_AS_OF = dt.date(2026, 7, 1)


class Command(ActorCommand):
    help = (
        "Create synthetic beneficiaries for a province (and optionally a population-register "
        "extract with recorded discrepancies), plus demo organisations and users."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--province", default="08")
        parser.add_argument("--beneficiaries", type=int, default=20_000)
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            default=DEFAULT_AS_OF,
            help="Reference date for ages and start months (YYYY-MM-DD).",
        )
        parser.add_argument(
            "--register-out",
            type=Path,
            default=None,
            help="Also write a population-register extract (Parquet) here; "
            "the ground truth goes beside it (*.truth.parquet).",
        )
        parser.add_argument(
            "--register-extra",
            type=int,
            default=None,
            help="Non-beneficiaries in the extract (default: 4 x beneficiaries).",
        )
        parser.add_argument(
            "--no-users",
            action="store_true",
            help="Do not create the demo organisations and users.",
        )
        parser.add_argument(
            "--no-payments",
            action="store_true",
            help="Do not give demo payment accounts (a third by bank).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        require_demo_mode("demo_data")
        actor = self.actor(options)
        province = Province.objects.filter(code=options["province"]).first()
        if province is None:
            raise CommandError(f"Unknown province code {options['province']!r}")
        if not options["no_users"]:
            ensure_demo_org_users(actor=actor, province=province)
        communes = [
            demo_gen.Commune(code=c.code, name=c.name, is_urban=c.is_urban)
            for c in Commune.objects.filter(province=province).order_by("code")
        ]
        t0 = time.monotonic()
        table = demo_gen.generate_beneficiaries(
            province_code=province.code,
            communes=communes,
            n=options["beneficiaries"],
            seed=options["seed"],
            today=options["as_of"],
        )
        records = records_from_table(table)
        summary = ImportSummary(rows=len(records))
        apply_records(
            actor=actor,
            records=records,
            summary=summary,
            source={
                "file": f"demo_data seed={options['seed']}",
                "sha256": "",
                "province": province.code,
            },
        )
        summary.rejected = len(summary.rejected_rows)
        self.stdout.write(f"beneficiaries: {summary.line()} ({time.monotonic() - t0:.1f} s)")
        if not options["no_payments"]:
            from chitra.demo.payment_methods import (
                ensure_demo_coverage,
                ensure_demo_payment_methods,
                ensure_demo_provider_profiles,
            )

            ensure_demo_coverage(province)
            ensure_demo_provider_profiles(province)
            n = ensure_demo_payment_methods(actor=actor, province=province, seed=options["seed"])
            self.stdout.write(f"payment methods: new={n}")
        if not options["no_users"] and not options["no_payments"]:
            from chitra.demo.outreach import ensure_demo_campaign

            campaign = ensure_demo_campaign(actor=actor, province=province)
            self.stdout.write(f"outreach campaign: {campaign}")
        out: Path | None = options["register_out"]
        if out is not None:
            self._register_extract(out, options, province, table)

    def _register_extract(
        self, out: Path, options: dict[str, Any], province: Province, table: Any
    ) -> None:
        """The national register's demo extract: the demo people and others (with the ground
        truth of the discrepancies beside it)."""
        out.parent.mkdir(parents=True, exist_ok=True)
        truth = out.with_name(out.stem + ".truth.parquet")
        others = list(
            Commune.objects.exclude(province=province)
            .order_by("code")
            .values_list("code", flat=True)[:400]
        )
        extra = options["register_extra"]
        result = demo_gen.write_register_extract(
            table,
            path=out,
            ground_truth_path=truth,
            extra_people=extra if extra is not None else 4 * options["beneficiaries"],
            seed=options["seed"],
            communes_other=others,
            today=options["as_of"],
        )
        self.stdout.write(
            f"register extract: {out} rows={result.rows} "
            f"discrepancies={result.discrepancies} truth={truth}"
        )
