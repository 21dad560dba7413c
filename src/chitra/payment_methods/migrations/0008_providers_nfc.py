"""The NAPAS list loaded again with every name in NFC: rows loaded before kept some names in
decomposed form (broken letters on pages, missed by searches)."""

from django.db import migrations


def load(apps, schema_editor):
    from chitra.payment_methods.loading import load_providers

    load_providers(apps.get_model("payment_methods", "Provider"))


class Migration(migrations.Migration):
    dependencies = [("payment_methods", "0007_mapper_request_sha256")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
