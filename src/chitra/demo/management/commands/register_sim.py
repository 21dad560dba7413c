from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from chitra.core.commands import ChitraCommand


class Command(ChitraCommand):
    help = (
        "Serve a simulated population register (G2P Connect registry: sync and async search, "
        "txn status, subscribe and notify; the older draft too) over the local register "
        "store, with switchable faults (POST /_faults) and notifications on demand (POST "
        "/_notify with personal_ids and died)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8090)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--store",
            type=Path,
            default=None,
            help="Register store (default CHITRA_REGISTER_STORE).",
        )
        parser.add_argument("--latency-ms", type=int, default=0)
        parser.add_argument(
            "--error-rate",
            type=float,
            default=0.0,
            help="Share of requests answered with a 5xx (0-1).",
        )
        parser.add_argument(
            "--timeout-rate",
            type=float,
            default=0.0,
            help="Share of requests that hang past the client's time-out.",
        )
        parser.add_argument(
            "--malformed-rate",
            type=float,
            default=0.0,
            help="Share of requests answered with a malformed answer (0-1).",
        )
        parser.add_argument(
            "--malformed-kind",
            default="not_json",
            choices=["not_json", "wrong_shape", "wrong_ids"],
            help="What a malformed answer is (default: not_json).",
        )
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument(
            "--key-file",
            type=Path,
            default=None,
            help="The simulator's Ed25519 signing key (PEM; made when missing); its public key "
            "is written beside it (.pub) for CHITRA_REGISTER_PUBLIC_KEY_FILE.",
        )
        parser.add_argument(
            "--chitra-url",
            default="",
            help="chitra's G2P base URL (e.g. http://127.0.0.1:8000/api/g2p) for the token.",
        )
        parser.add_argument("--client-id", default="", help="chitra OAuth2 client id.")
        parser.add_argument("--client-secret", default="", help="its secret.")

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.demo.register_simulator import Faults, make_app, serve
        from chitra.engine.g2p import jws

        store: Path = options["store"] or settings.CHITRA_REGISTER_STORE
        if not Path(store).exists():
            raise CommandError(f"No register store at {store}; run `chitra register_load` first.")
        try:
            faults = Faults(
                latency_ms=options["latency_ms"],
                error_rate=options["error_rate"],
                timeout_rate=options["timeout_rate"],
                malformed_rate=options["malformed_rate"],
                malformed_kind=options["malformed_kind"],
                seed=options["seed"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        key = None
        if options["key_file"] is not None:
            path: Path = options["key_file"]
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(jws.private_pem(jws.generate_key()))
            key = jws.load_private(path.read_text())
            path.with_suffix(".pub").write_text(jws.public_pem(key))
        app = make_app(store, faults, signing_key=key)
        if options["chitra_url"]:
            app.token_url = options["chitra_url"].rstrip("/") + "/oauth2/client/token"
            app.client_id, app.client_secret = options["client_id"], options["client_secret"]
        self.stdout.write(
            f"register simulator on http://{options['host']}:{options['port']}/ "
            f"(store {store}); Ctrl-C stops it"
        )
        with suppress(KeyboardInterrupt):
            serve(store, options["host"], options["port"], faults, app=app)
