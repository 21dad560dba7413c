"""The owner's connection for migrations (alias "owner"): a mirror of the test database in
tests, chosen by `chitra migrate` when CHITRA_MIGRATE_DATABASE_URL is set, and every query of
a migration routed to it meanwhile."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import router

from chitra.core.dbrouter import all_queries_to
from chitra.core.models import AuditEvent


def test_the_owner_alias_mirrors_the_test_database():
    assert settings.DATABASES["owner"]["TEST"]["MIRROR"] == "default"
    assert settings.CHITRA_MIGRATE_DATABASE == "default"  # no owner URL in the tests


def test_queries_go_to_the_migrations_connection_while_migrating():
    assert router.db_for_write(AuditEvent) == "default"
    with all_queries_to("owner"):
        assert router.db_for_write(AuditEvent) == "owner"
        assert router.db_for_read(AuditEvent) == "owner"
    assert router.db_for_read(AuditEvent) == "default"


@pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "owner"])
def test_migrate_uses_the_owner_connection_when_it_is_configured(settings):
    out = io.StringIO()
    call_command("migrate", "--check", stdout=out)
    assert "owner" not in out.getvalue()
    settings.CHITRA_MIGRATE_DATABASE = "owner"
    out = io.StringIO()
    call_command("migrate", stdout=out)
    assert "Migrating as the owner (database alias 'owner')" in out.getvalue()
    assert "No migrations to apply" in out.getvalue()
