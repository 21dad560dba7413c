from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from chitra.core.audit import audit_record
from chitra.core.commands import ActorCommand
from chitra.iam.access import Perm, require_perm


class Command(ActorCommand):
    help = (
        "Load a population-register extract (Parquet or CSV: personal_id, full_name, "
        "birth_date, sex, commune_code, death_date) into the local register store; "
        "re-loading replaces it atomically."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--store", type=Path, default=None, help="Store path (default CHITRA_REGISTER_STORE)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.engine.register.store import RegisterLoadError, load_extract

        actor = self.actor(options)
        require_perm(actor, Perm.VERIFY_RUN)
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"File not found: {path}")
        store = options["store"] or settings.CHITRA_REGISTER_STORE
        store.parent.mkdir(parents=True, exist_ok=True)

        def say(message: str) -> None:
            if sys.stderr.isatty():
                self.stderr.write(message)

        try:
            result = load_extract(path, store, progress=say)
        except RegisterLoadError as exc:
            raise CommandError(str(exc)) from exc
        audit_record(
            actor,
            "register.load",
            object_type="register.store",
            object_repr=path.name,
            after={"rows": result.rows, "deaths": result.deaths, "store": str(store)},
        )
        self.stdout.write(f"rows={result.rows} deaths={result.deaths} store={store}")
