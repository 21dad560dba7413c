import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("payment_methods", "0004_legacy_change_requests")]
    operations = [
        migrations.AlterField(
            model_name="paymentmethod", name="change_request",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="payment_methods.changerequest"),
        ),
    ]
