"""The snapshot carries the beneficiary's proof-of-life date (issue #12, ADR 0011) instead of
the last time the register saw the person alive: renamed, and a date. Existing snapshots keep
their value as a date (PostgreSQL casts it; on SQLite the stored text is cut to its date)."""

from django.db import migrations, models


def _dates_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "UPDATE disbursement_cycleitem SET proof_of_life_on = substr(proof_of_life_on, 1, 10) "
            "WHERE proof_of_life_on IS NOT NULL")


class Migration(migrations.Migration):

    dependencies = [
        ("disbursement", "0006_line_result_import"),
    ]

    operations = [
        migrations.RenameField(model_name="cycleitem", old_name="alive_seen_at",
                               new_name="proof_of_life_on"),
        migrations.AlterField(model_name="cycleitem", name="proof_of_life_on",
                              field=models.DateField(null=True)),
        migrations.RunPython(_dates_on_sqlite, migrations.RunPython.noop, elidable=True),
    ]
