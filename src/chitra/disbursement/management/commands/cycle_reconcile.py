from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from chitra.core.errors import ChitraError
from chitra.disbursement.management.commands._base import CycleCommand


class Command(CycleCommand):
    help = "Mark a released cycle reconciled (no line outstanding, control totals add up)."

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.disbursement.services import cycle_reconcile

        try:
            cycle = cycle_reconcile(actor=self.actor(options), cycle=self.cycle(options))
        except (ChitraError, PermissionDenied) as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"Cycle {cycle.month:%Y-%m}: {cycle.status}.")
