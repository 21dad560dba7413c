from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from rest_framework.authtoken.models import Token

from chitra.core.audit import audit_record
from chitra.core.commands import ActorCommand
from chitra.iam.models import User


class Command(ActorCommand):
    help = "Create (or with --rotate, replace) the API token of a user and print it."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("for_user", help="User name the token is for.")
        parser.add_argument("--rotate", action="store_true", help="Replace an existing token.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self.actor(options)
        if not (actor.is_national or actor.username == options["for_user"]):
            from chitra.core.access import Perm, has_perm

            if not has_perm(actor, Perm.USER_MANAGE):
                raise CommandError("Only an administrator may create tokens for others.")
        user = User.objects.filter(username=options["for_user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {options['for_user']!r}")
        with transaction.atomic():
            if options["rotate"]:
                Token.objects.filter(user=user).delete()
            token, created = Token.objects.get_or_create(user=user)
            if created:
                audit_record(actor, "iam.api_token.create", obj=user,
                             reason="rotate" if options["rotate"] else "")
        self.stdout.write(token.key)
