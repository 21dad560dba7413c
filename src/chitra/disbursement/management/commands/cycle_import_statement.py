from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from chitra.core.errors import ChitraError, render_issue
from chitra.disbursement.management.commands._base import CycleCommand


class Command(CycleCommand):
    help = (
        "Reconcile a statement of the paying account from the bank (camt.053 or camt.054 XML, "
        "any version): debits confirm the credits, credits back with a return reason return "
        "the lines, batch debits are compared with the control totals. Whole or not at all; "
        "loading it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        super().add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.disbursement.results import ResultsRejected
        from chitra.disbursement.statements import statement_import

        actor = self.actor(options)
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"File not found: {path}")
        try:
            out = statement_import(actor=actor, cycle=self.cycle(options), path=path)
        except ResultsRejected as e:
            for issue in e.issues[:50]:
                self.stderr.write(render_issue(issue))
            if len(e.issues) > 50:
                self.stderr.write(f"... and {len(e.issues) - 50} more")
            raise CommandError(str(e)) from e
        except (ChitraError, PermissionDenied) as e:
            raise CommandError(str(e)) from e
        if out.already_applied:
            self.stdout.write(
                f"This statement was loaded already (statement {out.statement.pk}); nothing "
                "changed."
            )
            return
        self.stdout.write(
            f"Reconciled: {out.confirmed:,} credits confirmed, {out.returned:,} returned after "
            f"credit, {out.unchanged:,} already recorded, {out.pending:,} not booked yet, "
            f"{out.unmatched:,} not chitra's; {out.discrepancies:,} batch debits with a "
            f"discrepancy; {out.reissued_cash:,} re-issued in cash, {out.owed_next:,} owed by "
            f"the next cycle, {out.accounts_closed:,} accounts closed, {out.suspended:,} "
            "entitlements suspended."
        )
        for check in out.statement.batch_checks.select_related("batch"):
            self.stdout.write(
                f"  {check.batch.reference}: {check.get_state_display()} "
                f"(debited {check.debited:,}, control {check.declared_count:,} / "
                f"{check.declared_amount:,}){' — ' + check.note if check.note else ''}"
            )
