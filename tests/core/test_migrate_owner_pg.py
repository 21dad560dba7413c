"""Deployment with two roles, end to end (PostgreSQL): `chitra migrate` with
CHITRA_MIGRATE_DATABASE_URL runs as the owner (its data migrations too) and grants the
application role (CHITRA_APP_DB_ROLE), which then owns nothing and cannot change the audit
trail. A scratch database and two roles, named uniquely and dropped after."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="roles are PostgreSQL's"),
]


def _url(user: str, db: str) -> str:
    d = settings.DATABASES["default"]
    return f"postgres://{user}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{db}"


def _admin() -> psycopg.Connection:
    d = settings.DATABASES["default"]
    return psycopg.connect(
        host=d["HOST"] or "127.0.0.1",
        port=d["PORT"] or 5432,
        user=d["USER"],
        password=d["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def test_migrate_runs_as_the_owner_and_leaves_the_app_role_owning_nothing(tmp_path: Path):
    tag = f"{os.getpid()}_{uuid.uuid4().hex[:8]}"
    owner, app, db = f"chitra_owner_t{tag}", f"chitra_app_t{tag}", f"chitra_roles_t{tag}"
    with _admin() as admin:
        admin.execute(f"CREATE ROLE {owner} LOGIN")
        admin.execute(f"CREATE ROLE {app} LOGIN")
        admin.execute(f"CREATE DATABASE {db} OWNER {owner}")
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CHITRA_", "DATABASE"))}
        env.update(
            DATABASE_URL=_url(app, db),
            CHITRA_MIGRATE_DATABASE_URL=_url(owner, db),
            CHITRA_APP_DB_ROLE=app,
            CHITRA_DEBUG="1",
            CHITRA_VAR_DIR=str(tmp_path),
            CHITRA_LOG_LEVEL="WARNING",
        )
        done = subprocess.run(
            [sys.executable, "-m", "chitra", "migrate", "--no-input"],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        assert "Migrating as the owner (database alias 'owner')" in done.stdout
        assert f"role={app} updated owner={owner}" in done.stdout
        with psycopg.connect(_url(app, db), autocommit=True) as conn:
            owned = conn.execute(
                "SELECT count(*) FROM pg_class c WHERE c.relowner = "
                "(SELECT oid FROM pg_roles WHERE rolname = current_user)"
            ).fetchone()
            assert owned == (0,)
            tables = conn.execute(
                "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
            assert tables == [(owner,)]
            # data the migrations loaded as the owner (the administrative units)
            assert conn.execute("SELECT count(*) FROM geo_province").fetchone()[0] == 34
            conn.execute(
                "INSERT INTO core_auditevent (at, actor_username, organisation_name, "
                "action, object_type, object_id, object_repr, reason, request_id) "
                "VALUES (now(), 'x', '', 'a', '', '', '', '', '')"
            )
            for statement in (
                "UPDATE core_auditevent SET action = 'b'",
                "DELETE FROM core_auditevent",
                "TRUNCATE core_auditevent",
                "ALTER TABLE core_auditevent DISABLE TRIGGER ALL",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(statement)
        # the application itself runs (and seals) as the app role
        env.pop("CHITRA_MIGRATE_DATABASE_URL")
        done = subprocess.run(
            [sys.executable, "-m", "chitra", "audit_seal"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0 and "sealed=1" in done.stdout, done.stderr[-2000:]
    finally:
        with _admin() as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
            admin.execute(f"DROP ROLE IF EXISTS {app}")
            admin.execute(f"DROP ROLE IF EXISTS {owner}")
