from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.db import connections, transaction
from django.utils.translation import gettext as _

from chitra.core.commands import ChitraCommand


class Command(ChitraCommand):
    help = (
        "Create or update the application's PostgreSQL role so that it owns nothing and "
        "may only SELECT and INSERT the audit trail, its seal chain and the issued reports "
        "(SELECT, INSERT, UPDATE, DELETE elsewhere). Run as the owner role or a superuser, "
        "after each migrate (chitra migrate does it when CHITRA_APP_DB_ROLE is set)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--app-role",
            default=settings.CHITRA_APP_DB_ROLE or None,
            help="The application's role (default CHITRA_APP_DB_ROLE).",
        )
        parser.add_argument(
            "--owner",
            default=None,
            help="The owner role (default: the owner of django_migrations).",
        )
        parser.add_argument(
            "--password-env",
            default=None,
            help="Set the role's password from this environment variable.",
        )
        parser.add_argument(
            "--reassign",
            action="store_true",
            help="Give what the application role owns to the owner.",
        )
        parser.add_argument(
            "--database", default=None, help="Connection alias (default: the migrations' one)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.core.dbroles import RoleError, grant_app_role

        role = options["app_role"]
        if not role:
            raise CommandError(_("Name the application role: --app-role chitra_app."))
        password = None
        if options["password_env"]:
            password = os.environ.get(options["password_env"])
            if not password:
                raise CommandError(
                    _("The environment variable %(name)s is empty.")
                    % {"name": options["password_env"]}
                )
        alias = options["database"] or settings.CHITRA_MIGRATE_DATABASE
        connection = connections[alias]
        try:
            with transaction.atomic(using=alias):
                summary = grant_app_role(
                    connection,
                    role,
                    owner=options["owner"],
                    password=password,
                    reassign=options["reassign"],
                )
        except RoleError as exc:
            raise CommandError(str(exc)) from exc
        for line in summary.lines():
            self.stdout.write(line)
