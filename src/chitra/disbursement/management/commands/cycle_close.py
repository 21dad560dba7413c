from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from chitra.core.errors import ChitraError
from chitra.disbursement.management.commands._base import CycleCommand


class Command(CycleCommand):
    help = "Close a reconciled cycle (an approver)."

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.disbursement.services import cycle_close

        try:
            cycle = cycle_close(actor=self.actor(options), cycle=self.cycle(options))
        except (ChitraError, PermissionDenied) as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"Cycle {cycle.month:%Y-%m}: {cycle.status}.")
