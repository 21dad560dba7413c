"""Folded names are upper-case ASCII: the byte-order collation "C" lets one btree index serve
prefix search (LIKE 'NGUYEN%') and name ordering on PostgreSQL (bench/search_bench.py).
SQLite's default collation is already byte order."""

from django.db import migrations


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE registry_beneficiary ALTER COLUMN name_folded TYPE varchar(150) '
            'COLLATE "C"')
        schema_editor.execute(
            "ALTER TABLE registry_beneficiary ALTER COLUMN personal_id TYPE varchar(12) "
            'COLLATE "C"')
        schema_editor.execute("DROP INDEX IF EXISTS benef_name_prefix_idx")
        schema_editor.execute("ANALYZE geo_commune")


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE registry_beneficiary ALTER COLUMN name_folded TYPE varchar(150)")
        schema_editor.execute(
            "ALTER TABLE registry_beneficiary ALTER COLUMN personal_id TYPE varchar(12)")


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_name_search_index")]
    operations = [migrations.RunPython(up, down)]
