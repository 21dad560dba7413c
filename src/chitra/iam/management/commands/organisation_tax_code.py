"""`chitra organisation_tax_code CODE [TAX_CODE] --user U`: the tax code (mã số thuế) of an
organisation, written in the payment files it initiates (pain.001 InitgPty/Id, scheme TXID)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from chitra.core.commands import ActorCommand
from chitra.core.errors import ChitraError


class Command(ActorCommand):
    help = (
        "Set the tax code of an organisation (the BHXH of a province initiates the pain.001 "
        "files with it); '' removes it. Without a tax code, prints the current one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("code", help="Organisation code (e.g. bhxh-08).")
        parser.add_argument("tax_code", nargs="?", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.iam.models import Organisation
        from chitra.iam.services import organisation_tax_code_set

        if options["tax_code"] is None:
            org = Organisation.objects.filter(code=options["code"]).first()
            if org is None:
                raise CommandError(f"Unknown organisation {options['code']}.")
            self.stdout.write(f"{org.code}: tax_code={org.tax_code}")
            return
        try:
            org = organisation_tax_code_set(
                actor=self.actor(options), code=options["code"], tax_code=options["tax_code"]
            )
        except (ChitraError, PermissionDenied) as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"{org.code}: tax_code={org.tax_code}")
