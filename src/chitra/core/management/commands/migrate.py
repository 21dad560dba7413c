"""`chitra migrate`: Django's migrate, run as the owner role when CHITRA_MIGRATE_DATABASE_URL
is set (the application's own role owns nothing), and followed by the application role's
grants when CHITRA_APP_DB_ROLE is set (tables of the new migrations; `chitra db_roles`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections, transaction


class Command(DjangoMigrate):
    help = (
        DjangoMigrate.help + " As the owner (CHITRA_MIGRATE_DATABASE_URL) when it is set, "
        "then grants the application role (CHITRA_APP_DB_ROLE) its privileges again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(database=None)  # None: the migrations' connection

    def execute(self, *args: Any, **options: Any) -> Any:
        options["database"] = options.get("database") or settings.CHITRA_MIGRATE_DATABASE
        return super().execute(*args, **options)

    def handle(self, *args: Any, **options: Any) -> None:
        alias = options["database"]
        if options["verbosity"] >= 1 and alias != "default":
            self.stdout.write(f"Migrating as the owner (database alias {alias!r}).")
        from chitra.core.dbrouter import all_queries_to

        with all_queries_to(alias):
            super().handle(*args, **options)
        role = settings.CHITRA_APP_DB_ROLE
        connection = connections[alias]
        if (
            role
            and connection.vendor == "postgresql"
            and not options["plan"]
            and not options["check_unapplied"]
        ):
            from chitra.core.dbroles import grant_app_role

            with transaction.atomic(using=alias):
                summary = grant_app_role(connection, role, create=False)
            if options["verbosity"] >= 1:
                for line in summary.lines():
                    self.stdout.write(line)
