"""The application's PostgreSQL role: it owns nothing, so that the audit trail is protected
against the application itself (issue 11, docs/operations.md).

Migrations run as the owner role (CHITRA_MIGRATE_DATABASE_URL); the web and task processes as
the application role (DATABASE_URL), which gets exactly:
- CONNECT and TEMPORARY on the database, USAGE (never CREATE) on the schema;
- SELECT, INSERT, UPDATE, DELETE on the ordinary tables (SELECT only on django_migrations);
- SELECT and INSERT only on the append-only tables (`dbguards.APPEND_ONLY_TABLES`);
- USAGE on the sequences, EXECUTE on `chitra_analyze`;
- the same by default on tables and sequences the owner creates later (later migrations;
  `chitra migrate` grants again when CHITRA_APP_DB_ROLE is set, for new append-only tables).
Never TRUNCATE, REFERENCES or TRIGGER; and as a non-owner it can neither ALTER the tables
(DISABLE TRIGGER) nor DROP their triggers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext as _

from chitra.core.dbguards import APPEND_ONLY_TABLES
from chitra.core.errors import ChitraError

_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
READ_ONLY_TABLES = ("django_migrations",)
ROLE_FLAGS = ("rolsuper", "rolcreatedb", "rolcreaterole", "rolreplication", "rolbypassrls")


class RoleError(ChitraError):
    pass


@dataclass
class GrantSummary:
    role: str
    owner: str
    created: bool = False
    reassigned: list[str] = field(default_factory=list)
    tables: int = 0
    append_only: list[str] = field(default_factory=list)
    sequences: int = 0

    def lines(self) -> list[str]:
        return [
            f"role={self.role} {'created' if self.created else 'updated'} owner={self.owner}",
            f"tables={self.tables} (SELECT, INSERT, UPDATE, DELETE) "
            f"append_only={','.join(self.append_only)} (SELECT, INSERT)",
            f"sequences={self.sequences} (USAGE); default privileges for what {self.owner} "
            "creates later",
            *(
                [f"reassigned to {self.owner}: {', '.join(self.reassigned)}"]
                if self.reassigned
                else []
            ),
        ]


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _one(cur: Any, sql: str, params: list[Any] | None = None) -> Any:
    cur.execute(sql, params or [])
    row = cur.fetchone()
    return row[0] if row else None


def owned_by(cur: Any, role: str) -> list[str]:
    """What `role` owns in the current database (tables, sequences, views, functions, types,
    schemas), as readable names."""
    cur.execute(
        """SELECT c.relkind::text || ' ' || n.nspname || '.' || c.relname FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = %s)
             AND n.nspname NOT LIKE 'pg_temp%%' AND n.nspname NOT LIKE 'pg_toast%%'
           UNION ALL
           SELECT 'function ' || p.oid::regprocedure::text FROM pg_proc p
           WHERE p.proowner = (SELECT oid FROM pg_roles WHERE rolname = %s)
           UNION ALL
           SELECT 'schema ' || nspname FROM pg_namespace
           WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = %s)
           ORDER BY 1""",
        [role, role, role],
    )
    return [r[0] for r in cur.fetchall()]


def grant_app_role(
    connection: BaseDatabaseWrapper,
    role: str,
    *,
    owner: str | None = None,
    password: str | None = None,
    create: bool = True,
    reassign: bool = False,
) -> GrantSummary:
    """Create (or bring up to date) the application role and grant it exactly its
    privileges (module doc). Run as the owner role or a superuser."""
    if connection.vendor != "postgresql":
        raise RoleError(_("Database roles exist on PostgreSQL only."))
    if not _ROLE.match(role):
        raise RoleError(
            _("A role name is lower-case letters, digits and _ (got %(role)s).") % {"role": role}
        )
    with connection.cursor() as cur:
        schema = _one(cur, "SELECT current_schema()")
        database = _one(cur, "SELECT current_database()")
        owner = (
            owner
            or _one(
                cur,
                "SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() "
                "AND tablename = 'django_migrations'",
            )
            or _one(cur, "SELECT current_user")
        )
        if role == owner:
            raise RoleError(
                _("The application role must not be the owner (%(owner)s).") % {"owner": owner}
            )
        summary = GrantSummary(role=role, owner=owner)
        summary.created = _create_or_alter_role(cur, role, password, create=create)
        _check_membership_and_ownership(cur, role, owner, summary, reassign=reassign)
        _grant_privileges(cur, role, owner, schema, database, summary)
        problems = check_app_role(cur, role)
        if problems:
            raise RoleError("; ".join(problems))
    return summary


def _create_or_alter_role(cur: Any, role: str, password: str | None, *, create: bool) -> bool:
    """Create the login role, or strip its flags (and set its password); True when created."""
    cur.execute("SELECT " + ", ".join(ROLE_FLAGS) + " FROM pg_roles WHERE rolname = %s", [role])
    flags = cur.fetchone()
    pw = f" PASSWORD {_literal(password)}" if password else ""
    if flags is None:
        if not create:
            raise RoleError(_("No role %(role)s: run chitra db_roles.") % {"role": role})
        cur.execute(
            f"CREATE ROLE {_ident(role)} LOGIN NOSUPERUSER NOCREATEDB "
            f"NOCREATEROLE NOREPLICATION NOBYPASSRLS{pw}"
        )
        return True
    if any(flags) or pw:
        cur.execute(
            f"ALTER ROLE {_ident(role)} NOSUPERUSER NOCREATEDB NOCREATEROLE "
            f"NOREPLICATION NOBYPASSRLS{pw}"
        )
    return False


def _check_membership_and_ownership(
    cur: Any, role: str, owner: str, summary: GrantSummary, *, reassign: bool
) -> None:
    if _one(cur, "SELECT pg_has_role(%s, %s, 'MEMBER')", [role, owner]):
        raise RoleError(
            _(
                "%(role)s is a member of the owner role %(owner)s: it would own "
                "the tables. Revoke the membership first."
            )
            % {"role": role, "owner": owner}
        )
    owned = owned_by(cur, role)
    if owned and not reassign:
        raise RoleError(
            _(
                "%(role)s owns objects (%(objects)s): it must own nothing. Run "
                "again with --reassign to give them to %(owner)s."
            )
            % {"role": role, "objects": "; ".join(owned[:10]), "owner": owner}
        )
    if owned:
        cur.execute(f"REASSIGN OWNED BY {_ident(role)} TO {_ident(owner)}")
        summary.reassigned = owned


def _grant_privileges(
    cur: Any, role: str, owner: str, schema: str, database: str, summary: GrantSummary
) -> None:
    r, s = _ident(role), _ident(schema)
    cur.execute(f"GRANT CONNECT, TEMPORARY ON DATABASE {_ident(database)} TO {r}")
    cur.execute(f"GRANT USAGE ON SCHEMA {s} TO {r}")
    cur.execute(f"REVOKE CREATE ON SCHEMA {s} FROM {r}")
    cur.execute(f"REVOKE CREATE ON SCHEMA {s} FROM PUBLIC")  # PostgreSQL < 15 granted it
    cur.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r}")
    cur.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}")
    cur.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename = ANY(%s) ORDER BY tablename",
        [list(APPEND_ONLY_TABLES + READ_ONLY_TABLES)],
    )
    for (table,) in cur.fetchall():
        revoke = "INSERT, UPDATE, DELETE" if table in READ_ONLY_TABLES else "UPDATE, DELETE"
        cur.execute(f"REVOKE {revoke} ON TABLE {s}.{_ident(table)} FROM {r}")
        if table in APPEND_ONLY_TABLES:
            summary.append_only.append(table)
    cur.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {r}")
    cur.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {s} TO {r}")
    if _one(cur, "SELECT to_regprocedure('chitra_analyze(regclass)') IS NOT NULL"):
        cur.execute(f"GRANT EXECUTE ON FUNCTION {s}.chitra_analyze(regclass) TO {r}")
    o = _ident(owner)
    cur.execute(
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}"
    )
    cur.execute(
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} GRANT USAGE ON SEQUENCES TO {r}"
    )
    summary.tables = _one(cur, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
    summary.sequences = _one(
        cur, "SELECT count(*) FROM pg_sequences WHERE schemaname = current_schema()"
    )


def check_app_role(cur: Any, role: str) -> list[str]:
    """What would let `role` change an append-only table (empty when nothing)."""
    problems = []
    cur.execute(
        "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = "
        "current_schema() AND tablename = ANY(%s)",
        [list(APPEND_ONLY_TABLES)],
    )
    for table, table_owner in cur.fetchall():
        for privilege in ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES"):
            if _one(cur, "SELECT has_table_privilege(%s, %s, %s)", [role, table, privilege]):
                problems.append(
                    _(
                        "%(role)s still has %(privilege)s on %(table)s (granted to "
                        "PUBLIC or to a role it belongs to)"
                    )
                    % {"role": role, "privilege": privilege, "table": table}
                )
        if _one(cur, "SELECT pg_has_role(%s, %s, 'USAGE')", [role, table_owner]):
            problems.append(
                _("%(role)s acts as %(owner)s, the owner of %(table)s")
                % {"role": role, "owner": table_owner, "table": table}
            )
    return problems
