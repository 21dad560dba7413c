"""Entitlements get fillfactor 50 on PostgreSQL: each monthly release moves every paid
entitlement's `paid_through`, a column no index holds, so the new row version can stay on its
page (HOT) and no index is rewritten (ADR 0005)."""

from django.db import migrations


def fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE registry_entitlement SET (fillfactor = 50)")


def reset(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE registry_entitlement RESET (fillfactor)")


class Migration(migrations.Migration):

    dependencies = [("registry", "0003_name_collation_c")]

    operations = [migrations.RunPython(fillfactor, reset)]
