from __future__ import annotations

from typing import Any

from chitra.core.commands import ChitraCommand


class Command(ChitraCommand):
    help = (
        "Seal the audit events committed since the last run into the hash chain (ADR 0009). "
        "Run it every few minutes (cron or a systemd timer) and before audit_verify; runs "
        "take turns, so overlapping ones are safe. Prints the chain's head: keep it outside "
        "the database (audit_verify --anchor)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.core.seal import audit_seal

        result = audit_seal()
        self.stdout.write(f"sealed={result.sealed} head={result.head_seq}:{result.head_hash}")
