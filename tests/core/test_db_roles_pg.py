"""The database protects the audit trail against the application itself (PostgreSQL): the
application's role, as `chitra db_roles` makes it, owns nothing and may only SELECT and INSERT
the append-only tables, so UPDATE, DELETE, TRUNCATE, DISABLE TRIGGER and DROP TRIGGER fail for
it, while the rest of the application works.

Roles are cluster-wide: each test names its role uniquely, and drops it (inside the test's
transaction, which is rolled back as well)."""

from __future__ import annotations

import contextlib
import io
import os
import uuid
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from chitra.core.audit import audit_record
from chitra.core.dbguards import APPEND_ONLY_TABLES
from chitra.core.models import AuditEvent, AuditSeal
from chitra.core.seal import audit_seal, audit_verify

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="roles are PostgreSQL's"),
]

REFUSED = [
    ("UPDATE {t} SET {c} = {c}", "permission denied"),
    ("DELETE FROM {t}", "permission denied"),
    ("TRUNCATE {t}", "permission denied"),
    ("ALTER TABLE {t} DISABLE TRIGGER ALL", "must be owner"),
    ("ALTER TABLE {t} DISABLE TRIGGER USER", "must be owner"),
    ("DROP TRIGGER {trigger} ON {t}", "must be owner"),
    ("ALTER TABLE {t} OWNER TO CURRENT_USER", "must be owner"),
    ("DROP TABLE {t}", "must be owner"),
]
TRIGGERS = {
    "core_auditevent": "core_auditevent_append_only",
    "core_auditseal": "core_auditseal_append_only",
    "reports_issuedreport": "reports_issuedreport_unchangeable",
}
COLUMN = {"core_auditevent": "action", "core_auditseal": "hash", "reports_issuedreport": "title"}


def run(statement: str, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(statement, params or [])
        return cur.fetchall() if cur.description else []


@pytest.fixture
def app_role(db) -> Iterator[str]:
    name = f"chitra_app_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    out = io.StringIO()
    call_command("db_roles", "--app-role", name, "--database", "default", stdout=out)
    assert f"role={name} created" in out.getvalue()
    try:
        yield name
    finally:
        run("RESET ROLE")
        run(f"DROP OWNED BY {name}")
        run(f"DROP ROLE {name}")


@contextlib.contextmanager
def as_role(role: str) -> Iterator[None]:
    run(f"SET ROLE {role}")
    try:
        yield
    finally:
        run("RESET ROLE")


def refused(statement: str) -> str:
    """The error PostgreSQL gives for `statement` (inside a savepoint), or "" when it ran."""
    try:
        with transaction.atomic():
            run(statement)
    except DatabaseError as exc:
        return str(exc)
    return ""


def test_the_app_role_cannot_change_the_append_only_tables(app_role, bhxh_officer):
    audit_record(bhxh_officer, "t.x", object_type="x", object_id=1)
    audit_seal()
    assert set(TRIGGERS) == set(APPEND_ONLY_TABLES)
    with as_role(app_role):
        for table in APPEND_ONLY_TABLES:
            for statement, expected in REFUSED:
                sql = statement.format(t=table, c=COLUMN[table], trigger=TRIGGERS[table])
                error = refused(sql)
                assert expected in error, (sql, error)
        # what it may do: read and append
        assert audit_record(bhxh_officer, "t.y", object_type="x", object_id=2).pk
        assert AuditEvent.objects.filter(action__startswith="t.").count() == 2
        assert audit_seal().sealed == 1  # the sealer runs as the application
        assert audit_verify().ok
        assert AuditSeal.objects.count() >= 2
    # the triggers are still there and on (the owner's own protection)
    rows = run(
        "SELECT tgrelid::regclass::text, tgenabled FROM pg_trigger WHERE tgname = ANY(%s)",
        [list(TRIGGERS.values())],
    )
    assert sorted(rows) == sorted((t, "O") for t in TRIGGERS)


def test_the_app_role_works_on_ordinary_tables_and_owns_nothing(app_role, bhxh_officer, tq):
    from chitra.core.dbroles import owned_by
    from tests.factories import BeneficiaryFactory

    ben = BeneficiaryFactory()
    with as_role(app_role):
        assert run("SELECT current_user") == [(app_role,)]
        run("UPDATE registry_beneficiary SET address = 'x' WHERE id = %s", [ben.pk])
        BeneficiaryFactory()  # INSERT and its sequence
        run("DELETE FROM registry_beneficiary WHERE id = %s", [ben.pk])
        run("CREATE TEMP TABLE scratch (id int)")  # the payment services use temporary tables
        # but it creates nothing that lasts, and writes no migration
        assert "permission denied" in refused("CREATE TABLE evil (id int)")
        assert "permission denied" in refused(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('x', 'y', now())"
        )
        assert "permission denied" in refused("TRUNCATE registry_beneficiary")
    with connection.cursor() as cur:
        assert owned_by(cur, app_role) == []


def test_bulk_analyze_works_as_the_app_role(app_role):
    """ANALYZE needs the owner: as the app role a plain ANALYZE is skipped with a warning,
    the helper (through chitra_analyze) is not."""
    from chitra.core.bulk import analyze
    from chitra.disbursement.models import PayrollLine

    notices: list[str] = []
    raw = connection.connection

    def handler(diagnostic) -> None:
        notices.append(diagnostic.message_primary or "")

    raw.add_notice_handler(handler)
    try:
        with as_role(app_role):
            run("ANALYZE disbursement_payrollline")
            assert any("only table or database owner can analyze" in n for n in notices)
            notices.clear()
            analyze(PayrollLine)
            assert notices == []
            # but not a table that is not the application's
            assert "is not a table of" in refused("SELECT chitra_analyze('pg_class'::regclass)")
    finally:
        raw.remove_notice_handler(handler)


def test_default_privileges_cover_tables_created_later(app_role):
    run("CREATE TABLE later_table (id bigserial PRIMARY KEY, v text)")
    with as_role(app_role):
        run("INSERT INTO later_table (v) VALUES ('a')")
        run("UPDATE later_table SET v = 'b'")
        assert run("SELECT v FROM later_table") == [("b",)]
        run("DELETE FROM later_table")
        assert "permission denied" in refused("TRUNCATE later_table")


def test_db_roles_is_repeatable_and_refuses_an_app_role_that_owns_something(app_role):
    out = io.StringIO()
    call_command("db_roles", "--app-role", app_role, "--database", "default", stdout=out)
    assert f"role={app_role} updated" in out.getvalue()
    assert "append_only=core_auditevent,core_auditseal,reports_issuedreport" in out.getvalue()
    run("CREATE TABLE owned_by_app (id int)")
    run(f"ALTER TABLE owned_by_app OWNER TO {app_role}")
    with pytest.raises(CommandError, match="owned_by_app"):
        call_command(
            "db_roles", "--app-role", app_role, "--database", "default", stdout=io.StringIO()
        )
    call_command(
        "db_roles", "--app-role", app_role, "--database", "default", "--reassign", stdout=out
    )
    assert "reassigned" in out.getvalue()
    with connection.cursor() as cur:
        from chitra.core.dbroles import owned_by

        assert owned_by(cur, app_role) == []
    # a privilege granted around it (to PUBLIC) is found
    run("GRANT UPDATE ON core_auditevent TO PUBLIC")
    with pytest.raises(CommandError, match=f"{app_role}.* UPDATE .*core_auditevent"):
        call_command(
            "db_roles", "--app-role", app_role, "--database", "default", stdout=io.StringIO()
        )
    run("REVOKE UPDATE ON core_auditevent FROM PUBLIC")
    # and a superuser or the owner itself is refused
    run(f"ALTER ROLE {app_role} SUPERUSER")
    call_command("db_roles", "--app-role", app_role, "--database", "default", stdout=io.StringIO())
    assert run("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [app_role]) == [(False,)]
    owner = run("SELECT tableowner FROM pg_tables WHERE tablename = 'django_migrations'")[0][0]
    with pytest.raises(CommandError, match=rf"\({owner}\)"):
        call_command("db_roles", "--app-role", owner, "--database", "default", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command(
            "db_roles", "--app-role", "Bad-Name", "--database", "default", stdout=io.StringIO()
        )
