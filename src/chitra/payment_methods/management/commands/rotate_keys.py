from __future__ import annotations

from typing import Any

from chitra.core.commands import ActorCommand
from chitra.payment_methods.services import rotate_keys


class Command(ActorCommand):
    help = (
        "Re-encrypt stored account numbers with the newest key of CHITRA_FIELD_KEYS "
        "(AES-GCM): those of older keys and of the former Fernet format. Put the new key "
        "first, run this (again after an interruption: it takes only what is left), then "
        "drop the old key."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        n = rotate_keys(actor=self.actor(options))
        self.stdout.write(f"re-encrypted={n}")
