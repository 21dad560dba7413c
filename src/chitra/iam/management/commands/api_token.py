"""`chitra api_token USER --name N --scopes a,b [--days D]` prints a new token's secret (once);
`--list` lists the user's tokens, `--revoke ID` revokes one. The actor (`--user`, default the
system actor) is audited; making or revoking a token of somebody else needs an administrator
of their province (or the system actor)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from chitra.core.commands import ActorCommand
from chitra.core.errors import ChitraError
from chitra.iam.models import ApiToken, User
from chitra.iam.scopes import Scope, scopes_for
from chitra.iam.tokens import api_token_create, api_token_revoke, tokens_of


class Command(ActorCommand):
    help = (
        "Make an API token for a user and print its secret (shown once); --list, "
        "--revoke ID. Scopes: " + ", ".join(s.value for s in Scope) + "."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("for_user", help="User name the token is for.")
        parser.add_argument("--name", default="", help="What the token is for.")
        parser.add_argument(
            "--scopes",
            default="",
            help="Comma-separated scopes (default: all the user's role can use).",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Validity in days (default CHITRA_API_TOKEN_DAYS, at most 365).",
        )
        parser.add_argument("--list", action="store_true", help="List the user's tokens.")
        parser.add_argument(
            "--revoke", type=int, default=None, metavar="ID", help="Revoke the token with this id."
        )
        parser.add_argument("--reason", default="", help="Reason recorded with --revoke.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self.actor(options)
        owner = User.objects.filter(username=options["for_user"], is_active=True).first()
        if owner is None:
            raise CommandError(f"No active user named {options['for_user']!r}")
        try:
            if options["list"]:
                self._list(actor, owner)
            elif options["revoke"] is not None:
                token = tokens_of(actor, owner=owner).filter(pk=options["revoke"]).first()
                if token is None:
                    raise CommandError(f"No token {options['revoke']} of {owner.username}")
                api_token_revoke(actor=actor, token=token, reason=options["reason"])
                self.stdout.write(f"revoked {token.pk} {token.name} ({token.prefix}…)")
            else:
                if not options["name"]:
                    raise CommandError("--name is required (what the token is for)")
                scopes = options["scopes"] or ",".join(s.value for s in scopes_for(owner))
                new = api_token_create(
                    actor=actor,
                    owner=owner,
                    name=options["name"],
                    scopes=scopes,
                    days=options["days"],
                    verified=True,
                )
                self.stderr.write(
                    f"token {new.token.pk} {new.token.name}: "
                    f"{', '.join(new.token.scopes)}; expires "
                    f"{timezone.localtime(new.token.expires_at):%Y-%m-%d}"
                )
                self.stdout.write(new.secret)
        except PermissionDenied as exc:
            raise CommandError(
                "Only an administrator of the user's province may manage their tokens."
            ) from exc
        except ChitraError as exc:
            raise CommandError(str(exc)) from exc

    def _list(self, actor: User, owner: User) -> None:
        qs: Any = tokens_of(actor, owner=owner)
        for t in qs:
            state = "revoked" if t.revoked_at else "expired" if t.is_expired else "active"
            used = (
                f"{timezone.localtime(t.last_used_at):%Y-%m-%d %H:%M}"
                if t.last_used_at
                else "never"
            )
            self.stdout.write(
                f"{t.pk:>6} {t.prefix}… {t.name[:30]:<30} {state:<8} "
                f"expires {timezone.localtime(t.expires_at):%Y-%m-%d} used {used} "
                f"{','.join(t.scopes)}"
            )
        if not isinstance(qs, list) and not ApiToken.objects.filter(owner=owner).exists():
            self.stdout.write("no token")
