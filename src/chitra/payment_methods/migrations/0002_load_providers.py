from django.db import migrations


def load(apps, schema_editor):
    from chitra.payment_methods.loading import load_providers

    load_providers(apps.get_model("payment_methods", "Provider"))


class Migration(migrations.Migration):
    dependencies = [("payment_methods", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
