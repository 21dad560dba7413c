from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from chitra.core.commands import ActorCommand, ProgressBar
from chitra.core.errors import ChitraError
from chitra.verification.summary import summary_line

OUT_COLUMNS = [
    "input_row",
    "personal_id",
    "outcome",
    "mismatched_fields",
    "candidate_ids",
    "candidate_scores",
]


def _when(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else timezone.make_aware(value)


class Command(ActorCommand):
    help = (
        "Verify against the population register: the registry (outcomes stored, work "
        "queues and suspensions updated) or, with --beneficiaries, any list file (nothing "
        "stored)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--beneficiaries",
            type=Path,
            default=None,
            help="A list file (xlsx, xls, ods, csv) to classify.",
        )
        parser.add_argument("--sheet", default=None)
        parser.add_argument(
            "--province",
            default=None,
            help="Province code (commune names of a list; registry filter).",
        )
        parser.add_argument(
            "--changed-since",
            type=_when,
            default=None,
            help="Re-check only people whose register entry changed since this "
            "date/time (ISO 8601), e.g. deaths recorded since last week: those the register "
            "notified (G2P Connect /notify) and those of its change feed.",
        )
        parser.add_argument(
            "--scheduled",
            action="store_true",
            help="Record the run as started by a schedule (cron, a systemd "
            "timer) rather than by hand.",
        )
        parser.add_argument(
            "--out",
            type=Path,
            default=None,
            help="Write one row per person to this .csv or .parquet file.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.verification.services import verification_run, verify_list_file

        actor = self.actor(options)
        out: Path | None = options["out"]
        if out is not None and out.suffix.lower() not in (".csv", ".parquet"):
            raise CommandError("--out must end in .csv or .parquet")
        try:
            if options["beneficiaries"] is not None:
                path: Path = options["beneficiaries"]
                if not path.exists():
                    raise CommandError(f"File not found: {path}")
                table = verify_list_file(
                    actor=actor,
                    path=path,
                    sheet=options["sheet"],
                    province_code=options["province"],
                )
                counts: dict[str, int] = {}
                for o in table.column("outcome").to_pylist():
                    counts[o] = counts.get(o, 0) + 1
                line = summary_line(counts)
            else:
                bar = ProgressBar(enabled=sys.stderr.isatty())
                try:
                    from chitra.verification.models import VerificationRun

                    origin = (
                        VerificationRun.Origin.SCHEDULE
                        if options["scheduled"]
                        else VerificationRun.Origin.COMMAND
                    )
                    run = verification_run(
                        actor=actor,
                        province_code=options["province"],
                        progress=bar,
                        changed_since=options["changed_since"],
                        origin=origin,
                    )
                finally:
                    bar.close()
                from chitra.verification.selectors import run_outcome_table

                table = run_outcome_table(actor, run) if out is not None else None
                line = summary_line(run.counts, run.total)
        except ChitraError as exc:
            raise CommandError(str(exc)) from exc
        if out is not None and table is not None:
            table = table.select(OUT_COLUMNS)
            if out.suffix.lower() == ".csv":
                from chitra.engine.sheets.cells import inert_table

                pacsv.write_csv(inert_table(table), out)  # no cell runs as a formula
            else:
                pq.write_table(table, out)
            self.stdout.write(f"out: {out}")
        self.stdout.write(line)
