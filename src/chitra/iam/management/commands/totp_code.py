"""`chitra totp_code USER` prints the code USER's authenticator shows now: for the demo and the
browser tests only, refused unless CHITRA_DEMO=1 or CHITRA_DEBUG=1."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from chitra.core.commands import ChitraCommand
from chitra.iam.models import User
from chitra.iam.twofactor import confirmed_totp, totp_code_now


class Command(ChitraCommand):
    help = "Print the current two-factor code of a user (demo and development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("for_user", help="User name.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.CHITRA_DEMO or settings.DEBUG):
            raise CommandError(
                "totp_code works only in the demo (CHITRA_DEMO=1) or in "
                "development (CHITRA_DEBUG=1)."
            )
        user = User.objects.filter(username=options["for_user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {options['for_user']!r}")
        device = confirmed_totp(user)
        if device is None:
            raise CommandError(f"{user.username} has no two-factor authenticator.")
        self.stdout.write(totp_code_now(device))
