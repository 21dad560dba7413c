from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from chitra.core.commands import ActorCommand
from chitra.core.errors import ChitraError


class Command(ActorCommand):
    help = (
        "Set the payment files a provider receives (--formats pain001,csv,xlsx) and the "
        "columns of its CSV/XLSX files (--column 'Header=field' repeated; fields: reference, "
        "account, payee, amount, currency, period, remittance), and for pain.001 the service "
        "level, local instrument and name style its bank guide asks. Without options, prints "
        "the current profile."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("provider", help="Provider code (NAPAS BIN, VNPOST, VIETTELMONEY...)")
        parser.add_argument("--formats", default=None)
        parser.add_argument("--column", action="append", default=[])
        parser.add_argument("--encoding", default="utf-8")
        parser.add_argument("--delimiter", default=",")
        parser.add_argument("--amount-format", default="plain", choices=["plain", "dotted"])
        parser.add_argument("--no-header", action="store_true")
        parser.add_argument(
            "--service-level", default=None, help="pain.001 SvcLvl: NURG, SDVA... or prtry:TEXT"
        )
        parser.add_argument(
            "--local-instrument", default=None, help="pain.001 LclInstrm: a code or prtry:TEXT"
        )
        parser.add_argument(
            "--name-style", default=None, choices=["unicode", "latin", "latin_upper"]
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.disbursement.files import DEFAULT_TABLE_PROFILE
        from chitra.disbursement.models import ProviderProfile
        from chitra.disbursement.services import provider_profile_set
        from chitra.payment_methods.models import Provider

        provider = Provider.objects.filter(code=options["provider"]).first()
        if provider is None:
            raise CommandError(f"Unknown provider {options['provider']}.")
        if options["formats"] is None:
            p = ProviderProfile.objects.filter(provider=provider).first()
            columns = p.table_profile if p and p.table_profile else DEFAULT_TABLE_PROFILE.to_json()
            self.stdout.write(
                f"{provider}: formats={p.formats if p else '(default)'} columns={columns}"
                f" service_level={p.service_level if p else ''}"
                f" local_instrument={p.local_instrument if p else ''}"
                f" name_style={p.name_style if p else 'unicode'}"
            )
            return
        table = None
        if options["column"]:
            cols = []
            for c in options["column"]:
                head, sep, field = c.rpartition("=")
                if not sep:
                    raise CommandError(f"--column must be 'Header=field', got {c!r}.")
                cols.append([head, field])
            table = {
                "columns": cols,
                "header": not options["no_header"],
                "encoding": options["encoding"],
                "delimiter": options["delimiter"],
                "amount_format": options["amount_format"],
            }
        try:
            p = provider_profile_set(
                actor=self.actor(options),
                provider=provider,
                formats=options["formats"].split(","),
                table_profile=table,
                service_level=options["service_level"],
                local_instrument=options["local_instrument"],
                name_style=options["name_style"],
            )
        except (ChitraError, PermissionDenied) as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            f"{provider}: formats={p.formats} service_level={p.service_level} "
            f"local_instrument={p.local_instrument} name_style={p.name_style}"
        )
