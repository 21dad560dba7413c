from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from chitra.core.commands import ActorCommand
from chitra.core.errors import ChitraError


class Command(ActorCommand):
    help = (
        "How batches reach a provider: --exchange file|pull|g2p_push; for g2p_push, the "
        "provider's --base-url (…/disburse is appended), its --id in G2P Connect headers, "
        "--public-key-file (Ed25519, PEM) and --sync for /disburse/sync/disburse. "
        "--chitra-key prints chitra's public key for the provider to register."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("provider", nargs="?", help="Provider code")
        parser.add_argument("--exchange", choices=["file", "pull", "g2p_push"])
        parser.add_argument("--base-url", default="")
        parser.add_argument("--id", dest="receiver_id", default="")
        parser.add_argument("--public-key-file", default="")
        parser.add_argument("--sync", action="store_true")
        parser.add_argument("--chitra-key", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.disbursement.g2p import provider_exchange_set
        from chitra.iam.oauth import key_id, public_key_pem
        from chitra.payment_methods.models import Provider

        if options["chitra_key"]:
            self.stdout.write(f"kid: {key_id()}\n{public_key_pem()}")
            return
        provider = Provider.objects.filter(code=options["provider"] or "").first()
        if provider is None or not options["exchange"]:
            raise CommandError("Give a known provider code and --exchange.")
        key = ""
        if options["public_key_file"]:
            key = Path(options["public_key_file"]).read_text(encoding="ascii")
        try:
            p = provider_exchange_set(
                actor=self.actor(options),
                provider=provider,
                exchange=options["exchange"],
                base_url=options["base_url"],
                receiver_id=options["receiver_id"],
                public_key=key,
                sync=options["sync"],
            )
        except (ChitraError, PermissionDenied) as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"{provider}: exchange={p.exchange} {p.g2p_base_url}")
