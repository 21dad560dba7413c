from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser

from chitra.disbursement.management.commands._base import CycleCommand


class Command(CycleCommand):
    help = (
        "Counts and sums per line state, per batch, and whether the reconciliation invariant "
        "(declared = paid + failed + returned + outstanding) holds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.disbursement.ledger import cycle_summary

        cycle = self.cycle(options)
        s = cycle_summary(cycle)
        if options["json"]:
            self.stdout.write(json.dumps(s, default=str, ensure_ascii=False, indent=1))
            return
        months = (
            f"{cycle.month:%Y-%m}"
            if not cycle.two_months
            else f"{cycle.month:%Y-%m}..{cycle.last_month:%Y-%m}"
        )
        self.stdout.write(f"Cycle {cycle.pk} {months} ({cycle.province}): {cycle.status}")
        self.stdout.write(
            f"  accounts credited on {cycle.account_credit_date:%Y-%m-%d}, "
            f"cash paid from {cycle.cash_from_date:%Y-%m-%d}"
        )
        for m in s["months"]:
            self.stdout.write(
                f"  for {m['month']:<7} {m['lines']:>10,} lines {m['amount']:>20,} VND"
            )
        self.stdout.write(
            f"  snapshot {cycle.snapshot_count:,} entitlements, {cycle.exclusion_count:,} excluded"
        )
        for state, (n, amount) in s["states"].items():  # the pages' labels, then the code
            label = f"{s['state_labels'][state]} [{state}]"
            self.stdout.write(f"  {label:<24} {n:>10,} lines {amount:>20,} VND")
        for b in s["batches"]:
            ok = "ok" if b["holds"] else "BROKEN"
            self.stdout.write(
                f"  {b['reference']:<35} {b['status_label']} [{b['status']}]"
                f"  declared {b['declared'][0]:>9,} / {b['declared'][1]:,}"
                f"  paid {b['paid'][0]:,}  failed {b['failed'][0]:,}  returned "
                f"{b['returned'][0]:,}  outstanding {b['outstanding'][0]:,}  cancelled "
                f"{b['cancelled'][0]:,}  [{ok}]"
            )
        self.stdout.write("Reconciliation invariant: " + ("holds" if s["holds"] else "BROKEN"))
