"""Issue #12 item 7: a run records the communes it covers (with its counts there), its origin
and the register changes it re-checked. Runs made before are given the area of their starter
(a national starter: every commune of the run's province, or of every province) plus the
communes of their results, and the counts of their results."""

import django.db.models.deletion
import django.db.models.expressions
from django.db import migrations, models


OUTCOMES = ("verified", "mismatch", "deceased", "not_found", "invalid_id", "no_id", "duplicate")


def backfill(apps, schema_editor):
    from django.db.models import Count

    Run = apps.get_model("verification", "VerificationRun")
    Area = apps.get_model("verification", "VerificationRunArea")
    Result = apps.get_model("verification", "VerificationResult")
    Commune = apps.get_model("geo", "Commune")
    User = apps.get_model("iam", "User")
    Run.objects.filter(job__isnull=False).update(origin="page")
    for run in Run.objects.filter(areas__isnull=True).order_by("id"):
        starter = User.objects.select_related("area_province").get(pk=run.started_by_id)
        code, limited = run.province_code, False
        if starter.is_superuser or starter.is_system:
            coverage = Commune.objects.filter(province__code=code) if code else Commune.objects
        else:
            code = code or (starter.area_province.code if starter.area_province_id else "")
            ids = list(starter.area_communes.values_list("id", flat=True))
            limited = bool(ids)
            coverage = (Commune.objects.filter(id__in=ids) if ids
                        else Commune.objects.filter(province__code=code) if code
                        else Commune.objects.none())
        rows = {c: {o: 0 for o in OUTCOMES} for c in coverage.values_list("id", flat=True)}
        for row in (Result.objects.filter(run=run).order_by()
                    .values("beneficiary__commune_id", "outcome").annotate(n=Count("id"))):
            area = rows.setdefault(row["beneficiary__commune_id"], {o: 0 for o in OUTCOMES})
            area[row["outcome"]] += row["n"]
        Area.objects.bulk_create([Area(run_id=run.pk, commune_id=c, total=sum(n.values()), **n)
                                  for c, n in rows.items()], batch_size=5000)
        Run.objects.filter(pk=run.pk).update(province_code=code, commune_scoped=limited)


class Migration(migrations.Migration):

    dependencies = [
        ('geo', '0002_load_admin_units'),
        ('iam', '0003_api_tokens_drop_authtoken'),
        ('verification', '0002_alter_suspension_reason'),
    ]

    operations = [
        migrations.AddField(
            model_name='verificationrun',
            name='changed_since',
            field=models.DateTimeField(blank=True, null=True, verbose_name='register changes since'),
        ),
        migrations.AddField(
            model_name='verificationrun',
            name='commune_scoped',
            field=models.BooleanField(default=False, verbose_name='some communes only'),
        ),
        migrations.AddField(
            model_name='verificationrun',
            name='origin',
            field=models.CharField(choices=[('page', 'Web page'), ('command', 'Command line'), ('schedule', 'Schedule')], default='command', max_length=16, verbose_name='started from'),
        ),
        migrations.CreateModel(
            name='VerificationRunArea',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('total', models.IntegerField(default=0, verbose_name='total')),
                ('verified', models.IntegerField(default=0)),
                ('mismatch', models.IntegerField(default=0)),
                ('deceased', models.IntegerField(default=0)),
                ('not_found', models.IntegerField(default=0)),
                ('invalid_id', models.IntegerField(default=0)),
                ('no_id', models.IntegerField(default=0)),
                ('duplicate', models.IntegerField(default=0)),
                ('commune', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.commune')),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='areas', to='verification.verificationrun')),
            ],
            options={
                'verbose_name': 'area of a verification run',
                'verbose_name_plural': 'areas of verification runs',
                'indexes': [models.Index(fields=['commune', 'run'], name='vrunarea_commune_run_idx')],
                'constraints': [models.UniqueConstraint(fields=('run', 'commune'), name='vrunarea_one_per_commune'), models.CheckConstraint(condition=models.Q(('total', django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F('verified'), '+', models.F('mismatch')), '+', models.F('deceased')), '+', models.F('not_found')), '+', models.F('invalid_id')), '+', models.F('no_id')), '+', models.F('duplicate')))), name='vrunarea_total_is_the_sum')],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
