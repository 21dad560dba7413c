from __future__ import annotations

from typing import Any

from chitra.core.commands import ActorCommand
from chitra.payment_methods.services import rotate_keys


class Command(ActorCommand):
    help = ("Re-encrypt stored account numbers with the newest key of CHITRA_FIELD_KEYS "
            "(put the new key first, run this, then drop the old key).")

    def handle(self, *args: Any, **options: Any) -> None:
        n = rotate_keys(actor=self.actor(options))
        self.stdout.write(f"re-encrypted={n}")
