from django.conf import settings
from django.db import migrations


def create_system_user(apps, schema_editor):
    User = apps.get_model("iam", "User")
    User.objects.get_or_create(
        username=settings.CHITRA_SYSTEM_USERNAME,
        defaults={"is_system": True, "is_active": True, "full_name": "chitra (system)",
                  "password": "!"},  # unusable password: nobody logs in as the system
    )


class Migration(migrations.Migration):
    dependencies = [("iam", "0001_initial")]
    operations = [migrations.RunPython(create_system_user, migrations.RunPython.noop)]
