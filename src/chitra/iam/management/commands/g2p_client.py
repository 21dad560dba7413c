from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from chitra.core.commands import ActorCommand
from chitra.core.errors import ChitraError


class Command(ActorCommand):
    help = (
        "Make an OAuth2 machine client (client credentials) acting as ACTS_AS, for a "
        "partner calling chitra's G2P Connect callbacks; the secret is printed once. "
        "--revoke CLIENT_ID revokes one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("acts_as", nargs="?", help="user name of the user the client acts as")
        parser.add_argument("client_id", nargs="?")
        parser.add_argument("--name", default="")
        parser.add_argument("--revoke", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.iam.models import OAuthClient, User
        from chitra.iam.oauth import oauth_client_create, oauth_client_revoke

        actor = self.actor(options)
        try:
            if options["revoke"]:
                client = OAuthClient.objects.filter(client_id=options["revoke"]).first()
                if client is None:
                    raise CommandError(f"Unknown client {options['revoke']}.")
                oauth_client_revoke(actor=actor, client=client)
                self.stdout.write(f"revoked {client.client_id}")
                return
            user = User.objects.filter(username=options["acts_as"] or "").first()
            if user is None or not options["client_id"]:
                raise CommandError("Give a known user name and a client id.")
            new = oauth_client_create(
                actor=actor,
                user=user,
                client_id=options["client_id"],
                name=options["name"] or options["client_id"],
            )
        except (ChitraError, PermissionDenied) as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"client_id={new.client.client_id}\nclient_secret={new.secret}")
