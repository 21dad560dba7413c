"""Migration core.0004 gives the events written before it their province (the actor's area,
else the object's for the kinds that name one), with the append-only trigger lifted for the
migration only."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from chitra.core.audit import audit_record
from chitra.core.models import AuditEvent
from chitra.iam.models import OrgKind, Role

BEFORE = ("core", "0003_audit_append_only")
AFTER = ("core", "0004_audit_province_and_seal")


@pytest.fixture
def emptied_after():
    """SQLite flushes with DELETE, which the trail refuses: empty it as its owner would."""
    yield
    if connection.vendor == "sqlite":
        from tests.core.test_audit_chain import lifted

        with transaction.atomic(), lifted("core_auditevent"), lifted("core_auditseal"):
            AuditEvent.objects.all().delete()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_events_written_before_the_migration_get_their_province(emptied_after, make_user, system):
    officer = make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER)  # + system events on org, user
    audit_record(officer, "t.officer", object_type="x", object_id=1)
    audit_record(system, "t.national", object_type="payment.keys")
    org_event = AuditEvent.objects.get(
        action="iam.organisation.save", object_id=str(officer.organisation_id)
    )
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    with connection.cursor() as cur:  # the column has gone with the migration
        cols = [
            c.name for c in connection.introspection.get_table_description(cur, "core_auditevent")
        ]
    assert "province_id" not in cols
    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])
    # and every later migration again (those that depend on 0004 were unapplied with it)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    got = dict(AuditEvent.objects.values_list("action", "province__code"))
    assert got["t.officer"] == "08"
    assert got["t.national"] is None
    assert AuditEvent.objects.get(pk=org_event.pk).province.code == "08"  # its object's
    assert (
        AuditEvent.objects.filter(action="iam.user.save").exclude(province__code="08").count() == 0
    )
    # and the trail is append-only again
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=org_event.pk).update(action="x")
