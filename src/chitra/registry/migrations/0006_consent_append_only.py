"""The consent log is append-only: a withdrawal is a new row; the database refuses UPDATE and
DELETE of a recorded consent (Law 91/2025/QH15: the record of consent is evidence)."""

from django.db import migrations

from chitra.core.dbguards import refuse_changes

UP, DOWN = refuse_changes(
    "registry_consent", function="chitra_consent_append_only", what="append-only",
    sqlite_names=("registry_consent_no_update", "registry_consent_no_delete"))


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0005_consent_log"),
    ]

    operations = [migrations.RunPython(UP, DOWN)]
