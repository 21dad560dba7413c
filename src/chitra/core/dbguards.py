"""Tables the database itself keeps append-only (audit trail, its seal chain, issued reports):
triggers that refuse UPDATE and DELETE, for PostgreSQL and SQLite, used by migrations.

TRUNCATE, DISABLE TRIGGER and DROP TRIGGER are left to privileges: the application's
PostgreSQL role owns nothing and may only SELECT and INSERT these tables (`chitra db_roles`,
docs/operations.md); test databases are flushed with TRUNCATE."""

from __future__ import annotations

from typing import Any

#: every table with the triggers below: the application's role gets SELECT and INSERT only
APPEND_ONLY_TABLES = ("core_auditevent", "core_auditseal", "reports_issuedreport")


def _pg_up(table: str, function: str, what: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{table} is {what} (%% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_{what.replace("-", "_")}
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {function}();
"""


def refuse_changes(
    table: str, *, function: str, what: str, sqlite_names: tuple[str, str]
) -> tuple[Any, Any]:
    """(forward, backward) functions for migrations.RunPython."""

    def up(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(_pg_up(table, function, what))
        elif vendor == "sqlite":
            for name, op in zip(sqlite_names, ("UPDATE", "DELETE"), strict=True):
                schema_editor.execute(
                    f"CREATE TRIGGER {name} BEFORE {op} ON {table} BEGIN SELECT "
                    f"RAISE(ABORT, '{table} is {what} ({op} refused)'); END;"
                )

    def down(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS {table}_{what.replace('-', '_')} "
                f"ON {table}; DROP FUNCTION IF EXISTS {function}();"
            )
        elif vendor == "sqlite":
            for name in sqlite_names:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")

    return up, down
