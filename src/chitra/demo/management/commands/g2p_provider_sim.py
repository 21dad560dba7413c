from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from chitra.core.commands import ChitraCommand


class Command(ChitraCommand):
    help = (
        "DEMO ONLY: run a simulated provider speaking G2P Connect disburse (a real HTTP "
        "server) for PROVIDER: registers it as a g2p_push provider with the simulator's key, "
        "makes an OAuth2 client acting as ACTS_AS (a user of that provider), then answers "
        "/disburse and /disburse/txn/status and delivers its callbacks to --callback-url "
        "every second, until interrupted. Needs CHITRA_G2P_SIGNING_KEY(_FILE) shared with "
        "the web process (make demo writes one)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("provider", help="Provider code, e.g. 970405")
        parser.add_argument("acts_as", help="User name of a user of that provider")
        parser.add_argument("--callback-url", default="http://127.0.0.1:8000/api/g2p")
        parser.add_argument("--reject-rate", type=float, default=0.03)
        parser.add_argument("--duplicate-callbacks", action="store_true")
        parser.add_argument("--bad-signature", action="store_true")
        parser.add_argument("--delay", type=float, default=0.0)

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.demo.g2p_provider import Faults, G2PProviderSimulator
        from chitra.disbursement.g2p import provider_exchange_set
        from chitra.iam.models import OAuthClient, User
        from chitra.iam.oauth import oauth_client_create, public_key_pem
        from chitra.iam.services import system_actor
        from chitra.payment_methods.models import Provider

        if not settings.CHITRA_DEMO:
            raise CommandError("g2p_provider_sim is for demos only (CHITRA_DEMO=1).")
        if not settings.CHITRA_G2P_SIGNING_KEY:
            raise CommandError("Set CHITRA_G2P_SIGNING_KEY_FILE, as the web process has it.")
        provider = Provider.objects.filter(code=options["provider"]).first()
        user = User.objects.filter(username=options["acts_as"]).first()
        if provider is None or user is None:
            raise CommandError("Give a known provider code and user name.")
        system = system_actor()
        client_id = f"sim-{provider.code.lower()}"
        OAuthClient.objects.filter(client_id=client_id).delete()  # demo: a fresh secret
        new = oauth_client_create(actor=system, user=user, client_id=client_id, name="simulator")
        sim = G2PProviderSimulator(
            sender_id=f"{provider.code.lower()}.sim",
            chitra_id=settings.CHITRA_G2P_SENDER_ID,
            chitra_public_pem=public_key_pem(),
            callback_url=options["callback_url"].rstrip("/"),
            client_id=client_id,
            client_secret=new.secret,
            faults=Faults(
                delay=options["delay"],
                duplicate_callbacks=options["duplicate_callbacks"],
                bad_signature=options["bad_signature"],
                reject_rate=options["reject_rate"],
            ),
        )
        url = sim.start()
        provider_exchange_set(
            actor=system,
            provider=provider,
            exchange="g2p_push",
            base_url=url,
            receiver_id=sim.sender_id,
            public_key=sim.public_pem,
        )
        self.stdout.write(f"{provider}: G2P Connect simulator at {url}; Ctrl-C stops it")
        try:
            while True:
                time.sleep(1)
                for status, body in sim.deliver():
                    self.stdout.write(f"callback -> {status} {body}")
        except KeyboardInterrupt:
            pass
        finally:
            sim.stop()
