"""Issue #12 item 6: a cycle's scheduled pay dates and the months it pays (one or two), each
month paid by one cycle of a province only (CycleMonth); the province's pay schedule.
Existing cycles pay their one month, on the default days (accounts the 5th, cash the 2nd)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def fill_existing_cycles(apps, schema_editor):
    Cycle = apps.get_model("disbursement", "Cycle")
    CycleMonth = apps.get_model("disbursement", "CycleMonth")
    months = []
    for cycle in Cycle.objects.all().only("pk", "province_id", "month").iterator():
        Cycle.objects.filter(pk=cycle.pk).update(
            last_month=cycle.month, account_credit_date=cycle.month.replace(day=5),
            cash_from_date=cycle.month.replace(day=2))
        months.append(CycleMonth(cycle_id=cycle.pk, province_id=cycle.province_id,
                                 month=cycle.month))
    CycleMonth.objects.bulk_create(months, batch_size=1000)
    if schema_editor.connection.vendor == "postgresql":
        # the deferred foreign-key checks of these rows now, not pending under the ALTERs below
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):

    dependencies = [
        ('disbursement', '0006_line_result_import'),
        ('geo', '0002_load_admin_units'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CycleMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='month')),
            ],
            options={
                'verbose_name': 'month of a cycle',
                'verbose_name_plural': 'months of cycles',
                'ordering': ['month'],
            },
        ),
        migrations.CreateModel(
            name='PaySchedule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('account_credit_day', models.PositiveSmallIntegerField(default=5, verbose_name='accounts credited on day')),
                ('cash_from_day', models.PositiveSmallIntegerField(default=2, verbose_name='cash paid from day')),
            ],
            options={
                'verbose_name': 'pay schedule',
                'verbose_name_plural': 'pay schedules',
            },
        ),
        migrations.AddField(
            model_name='cycle',
            name='account_credit_date',
            field=models.DateField(null=True, verbose_name='accounts credited on'),
        ),
        migrations.AddField(
            model_name='cycle',
            name='cash_from_date',
            field=models.DateField(null=True, verbose_name='cash paid from'),
        ),
        migrations.AddField(
            model_name='cycle',
            name='last_month',
            field=models.DateField(null=True, verbose_name='last month paid'),
        ),
        migrations.AddField(
            model_name='cyclemonth',
            name='cycle',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='covered', to='disbursement.cycle'),
        ),
        migrations.AddField(
            model_name='cyclemonth',
            name='province',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.province'),
        ),
        migrations.AddField(
            model_name='payschedule',
            name='province',
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.province', verbose_name='province'),
        ),
        migrations.AddField(
            model_name='payschedule',
            name='updated_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by'),
        ),
        migrations.AddConstraint(
            model_name='cyclemonth',
            constraint=models.UniqueConstraint(fields=('province', 'month'), name='cycle_month_paid_once'),
        ),
        migrations.AddConstraint(
            model_name='cyclemonth',
            constraint=models.CheckConstraint(condition=models.Q(('month__day', 1)), name='cycle_month_day_one'),
        ),
        migrations.AddConstraint(
            model_name='payschedule',
            constraint=models.CheckConstraint(condition=models.Q(('account_credit_day__gte', 1), ('account_credit_day__lte', 28)), name='pay_schedule_account_day_valid'),
        ),
        migrations.AddConstraint(
            model_name='payschedule',
            constraint=models.CheckConstraint(condition=models.Q(('cash_from_day__gte', 1), ('cash_from_day__lte', 28)), name='pay_schedule_cash_day_valid'),
        ),
        migrations.RunPython(fill_existing_cycles, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='cycle',
            name='account_credit_date',
            field=models.DateField(verbose_name='accounts credited on'),
        ),
        migrations.AlterField(
            model_name='cycle',
            name='cash_from_date',
            field=models.DateField(verbose_name='cash paid from'),
        ),
        migrations.AlterField(
            model_name='cycle',
            name='last_month',
            field=models.DateField(verbose_name='last month paid'),
        ),
        migrations.AddConstraint(
            model_name='cycle',
            constraint=models.CheckConstraint(condition=models.Q(('last_month__day', 1), ('last_month__gte', models.F('month'))), name='cycle_last_month_valid'),
        ),
    ]
