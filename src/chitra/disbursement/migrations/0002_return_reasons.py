"""The return-reason catalogue: ISO 20022 external status reason codes the providers send, and
a few of chitra's own (cash not collected), each with the action chitra takes."""

from django.db import migrations

REASONS = [
    # code, meaning (Vietnamese, as officers read it), action, closes the account
    ("AC01", "Số tài khoản không đúng", "cash", True),
    ("AC04", "Tài khoản đã đóng", "cash", True),
    ("AC06", "Tài khoản bị phong tỏa", "hold", False),
    ("AC07", "Tài khoản người nhận đã đóng", "cash", True),
    ("AG01", "Giao dịch bị cấm với tài khoản này", "cash", False),
    ("AG03", "Loại giao dịch không được hỗ trợ", "cash", False),
    ("AM04", "Không đủ tiền trong tài khoản chi", "retry", False),
    ("AM05", "Giao dịch trùng lặp", "investigate", False),
    ("AM14", "Vượt hạn mức của tài khoản/ví", "cash", False),
    ("BE01", "Tên chủ tài khoản không khớp", "investigate", False),
    ("BE05", "Không xác định được bên gửi lệnh", "retry", False),
    ("DORM", "Tài khoản không hoạt động (ngủ)", "retry", False),
    ("FF01", "Tệp sai định dạng", "retry", False),
    ("MD07", "Chủ tài khoản đã chết", "suspend", False),
    ("MS02", "Lý do do người nhận nêu, không xác định", "investigate", False),
    ("MS03", "Lý do không xác định", "investigate", False),
    ("NARR", "Lý do ghi bằng lời", "investigate", False),
    ("RR04", "Lý do pháp lý / tuân thủ", "hold", False),
    ("TM01", "Quá giờ chốt giao dịch", "retry", False),
    ("NCOL", "Người hưởng không đến nhận tiền mặt", "retry", False),
    ("NADR", "Không tìm thấy người hưởng tại địa chỉ", "investigate", False),
]


def load(apps, schema_editor):
    ReturnReason = apps.get_model("disbursement", "ReturnReason")
    for code, label, action, closes in REASONS:
        ReturnReason.objects.update_or_create(code=code, defaults={
            "label": label, "action": action, "closes_account": closes})


class Migration(migrations.Migration):
    dependencies = [("disbursement", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
