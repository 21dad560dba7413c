from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from chitra.core.commands import ActorCommand


class Command(ActorCommand):
    help = (
        "Subscribe to the population register's death and record-update events (G2P Connect "
        "/registry/subscribe at CHITRA_REGISTER_URL); the register notifies "
        "CHITRA_G2P_CALLBACK_URL/registry/notify and the re-check "
        "(verify --changed-since) reads what it sent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--province", default="", help="Only this province's people (its code)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.verification.g2p_registry import register_subscribe

        txn = register_subscribe(actor=self.actor(options), province_code=options["province"])
        self.stdout.write(f"subscribe sent: transaction {txn} (codes follow by on-subscribe)")
