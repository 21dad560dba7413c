"""Status reports as banks send them (issue #14 item 1): pending counts and the report's ids on a
results import, Verification-of-Payee name checks per line, and the ISO 20022
ExternalStatusReason1Code / ExternalReturnReason1Code codes banks use for credit transfers added
to the return-reason catalogue (codes already there keep the label and action an officer may
have set)."""

import django.db.models.deletion
from django.db import migrations, models

#: code, meaning (Vietnamese, as officers read it), action, closes the account
REASONS = [
    ("AC01", "Số tài khoản không đúng", "cash", True),
    ("AC02", "Số tài khoản chi (của cơ quan BHXH) không hợp lệ", "investigate", False),
    ("AC03", "Số tài khoản người hưởng không hợp lệ", "cash", True),
    ("AC04", "Tài khoản đã đóng", "cash", True),
    ("AC06", "Tài khoản bị phong tỏa", "hold", False),
    ("AG01", "Giao dịch bị cấm với tài khoản này", "cash", False),
    ("AG02", "Mã nghiệp vụ ngân hàng không hợp lệ", "investigate", False),
    ("AM01", "Số tiền bằng không", "investigate", False),
    ("AM02", "Số tiền vượt mức cho phép", "investigate", False),
    ("AM03", "Loại tiền không được chấp nhận", "investigate", False),
    ("AM04", "Không đủ tiền trong tài khoản chi", "retry", False),
    ("AM05", "Giao dịch trùng lặp", "investigate", False),
    ("AM09", "Số tiền không đúng", "investigate", False),
    ("AM10", "Tổng kiểm soát của tệp không đúng", "investigate", False),
    ("AM18", "Số giao dịch khai báo không khớp với số giao dịch trong tệp", "investigate", False),
    ("BE04", "Thiếu địa chỉ người hưởng", "investigate", False),
    ("CNOR", "Ngân hàng của người hưởng không tham gia hệ thống thanh toán", "cash", False),
    ("CURR", "Loại tiền không đúng", "investigate", False),
    ("CUST", "Theo yêu cầu của khách hàng", "investigate", False),
    ("DNOR", "Ngân hàng chi không tham gia hệ thống thanh toán", "investigate", False),
    ("DUPL", "Lệnh thanh toán trùng lặp", "investigate", False),
    ("ED05", "Quyết toán không thành công", "retry", False),
    ("FF01", "Tệp sai định dạng", "retry", False),
    ("FOCR", "Hoàn trả sau yêu cầu hủy lệnh", "investigate", False),
    ("MD07", "Chủ tài khoản đã chết", "suspend", False),
    ("MS02", "Lý do do người nhận nêu, không xác định", "investigate", False),
    ("MS03", "Lý do không xác định", "investigate", False),
    ("NARR", "Lý do ghi bằng lời", "investigate", False),
    ("RC01", "Mã ngân hàng của người hưởng không đúng", "cash", False),
    ("RR01", "Thiếu tài khoản hoặc định danh của bên chi", "investigate", False),
    ("RR02", "Thiếu tên hoặc địa chỉ của bên chi", "investigate", False),
    ("RR03", "Thiếu tên hoặc địa chỉ người hưởng", "investigate", False),
    ("RR04", "Lý do pháp lý / tuân thủ", "hold", False),
]


def load(apps, schema_editor):
    ReturnReason = apps.get_model("disbursement", "ReturnReason")
    for code, label, action, closes in REASONS:
        ReturnReason.objects.get_or_create(
            code=code, defaults={"label": label, "action": action, "closes_account": closes}
        )


class Migration(migrations.Migration):

    dependencies = [
        ('disbursement', '0010_pain001_bank_guides'),
    ]

    operations = [
        migrations.AddField(
            model_name='resultimport',
            name='group_status',
            field=models.CharField(blank=True, default='', max_length=4, verbose_name='group status'),
        ),
        migrations.AddField(
            model_name='resultimport',
            name='message_id',
            field=models.CharField(blank=True, default='', max_length=35, verbose_name='message id'),
        ),
        migrations.AddField(
            model_name='resultimport',
            name='original_message_id',
            field=models.CharField(blank=True, default='', max_length=35, verbose_name='original message id'),
        ),
        migrations.AddField(
            model_name='resultimport',
            name='pending',
            field=models.BigIntegerField(default=0, verbose_name='still pending'),
        ),
        migrations.CreateModel(
            name='PayeeNameCheck',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('outcome', models.CharField(choices=[('match', 'Name matches (RCVC)'), ('close', "Name close to the holder's (RVMC)"), ('mismatch', 'Name does not match (RVNM)'), ('unavailable', 'Name check not possible (RVNA)')], max_length=12, verbose_name='name check')),
                ('name_sent', models.CharField(blank=True, max_length=140, verbose_name='name sent')),
                ('name_returned', models.CharField(blank=True, max_length=500, verbose_name='name the bank returned')),
                ('reason_code', models.CharField(blank=True, max_length=8, verbose_name='reason')),
                ('line', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='name_checks', to='disbursement.payrollline', verbose_name='line')),
                ('result_import', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='name_checks', to='disbursement.resultimport')),
            ],
            options={
                'verbose_name': 'payee name check',
                'verbose_name_plural': 'payee name checks',
                'ordering': ['result_import_id', 'line_id'],
                'constraints': [models.UniqueConstraint(fields=('result_import', 'line'), name='name_check_once')],
            },
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
