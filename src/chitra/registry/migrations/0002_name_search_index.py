"""On PostgreSQL, a trigram index makes search by any part of a folded name fast at national
scale; a text_pattern_ops index serves prefix search. SQLite (trial size) scans."""

from django.db import migrations

PG_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm;",
    "CREATE INDEX IF NOT EXISTS benef_name_trgm_idx ON registry_beneficiary "
    "USING gin (name_folded gin_trgm_ops);",
    "CREATE INDEX IF NOT EXISTS benef_name_prefix_idx ON registry_beneficiary "
    "(name_folded text_pattern_ops);",
]
PG_DOWN = [
    "DROP INDEX IF EXISTS benef_name_trgm_idx;",
    "DROP INDEX IF EXISTS benef_name_prefix_idx;",
]


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_UP:
            schema_editor.execute(sql)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_DOWN:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
