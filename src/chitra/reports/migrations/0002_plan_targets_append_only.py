"""The plan's targets (appendix 01 / section II) and its seven tasks (appendix 02), and issued
reports made unchangeable by the database (as the audit trail)."""

import datetime as dt

from django.db import migrations

from chitra.core.dbguards import refuse_changes

TASKS = [
    (1, "Vận động, tuyên truyền đến từng người hưởng nhận chế độ qua phương thức thanh toán "
        "không dùng tiền mặt, kết hợp xác minh, làm sạch dữ liệu người hưởng",
     "BHXH tỉnh, Công an tỉnh, Ủy ban nhân dân cấp xã",
     "Các tổ chức cung ứng dịch vụ thanh toán không dùng tiền mặt; tổ chức dịch vụ ủy quyền "
     "đang thực hiện nhiệm vụ chi trả lương hưu và trợ cấp BHXH",
     "bhxh_province,bhxh_office,police_province,police_commune,commune_committee",
     dt.date(2024, 6, 30), ""),
    (2, "Trích xuất, phân loại dữ liệu", "Công an tỉnh, BHXH tỉnh",
     "Các tổ chức cung ứng dịch vụ thanh toán không dùng tiền mặt; tổ chức dịch vụ ủy quyền "
     "đang thực hiện nhiệm vụ chi trả lương hưu và trợ cấp BHXH",
     "police_province,bhxh_province", dt.date(2024, 6, 30), ""),
    (3, "Lựa chọn đơn vị cung ứng dịch vụ thanh toán cho người thụ hưởng", "BHXH tỉnh",
     "Các cơ quan, đơn vị có liên quan", "bhxh_province", dt.date(2024, 6, 30), ""),
    (4, "Hỗ trợ mở tài khoản thanh toán và hướng dẫn cách thức sử dụng tài khoản cho người "
        "hưởng", "BHXH tỉnh",
     "Các tổ chức cung ứng dịch vụ thanh toán không dùng tiền mặt; tổ chức dịch vụ ủy quyền "
     "chi đang thực hiện nhiệm vụ chi trả lương hưu và trợ cấp BHXH",
     "bhxh_province", dt.date(2024, 6, 30), ""),
    (5, "Hoàn thiện, cập nhật thông tin tài khoản vào danh sách đăng ký hình thức nhận lương "
        "hưu và trợ cấp BHXH", "BHXH tỉnh",
     "Các tổ chức cung ứng dịch vụ thanh toán không dùng tiền mặt; tổ chức đang thực hiện "
     "nhiệm vụ chi trả lương hưu và trợ cấp BHXH", "bhxh_province", dt.date(2024, 6, 30), ""),
    (6, "Xác thực danh sách người nhận lương hưu và trợ cấp BHXH, cập nhật đồng bộ trên hệ "
        "thống Cơ sở dữ liệu Quốc gia về dân cư", "BHXH tỉnh",
     "Công an tỉnh; các tổ chức cung ứng dịch vụ thanh toán không dùng tiền mặt; tổ chức đang "
     "thực hiện nhiệm vụ chi trả lương hưu và trợ cấp BHXH", "bhxh_province",
     dt.date(2024, 6, 30), ""),
    (7, "Tổ chức chi trả cho người hưởng qua phương thức không dùng tiền mặt (thực hiện "
        "thường xuyên, ngay khi nhận đầy đủ hồ sơ)", "BHXH tỉnh",
     "Các tổ chức cung ứng dịch vụ thanh toán không dùng tiền mặt; tổ chức dịch vụ ủy quyền "
     "đang thực hiện nhiệm vụ chi trả lương hưu và trợ cấp BHXH", "bhxh_province", None,
     "monthly"),
]

# Plan section II: over 50 % of monthly pension/allowance recipients cashless by the end of
# 2024; keep 98 % of one-time recipients and 100 % of unemployment-benefit recipients.
TARGETS = [
    ("monthly", "50.00", dt.date(2024, 12, 31), False,
     "Kế hoạch 2024, mục II: trên 50% người nhận lương hưu, trợ cấp BHXH hằng tháng"),
    ("lump_sum", "98.00", dt.date(2024, 12, 31), True,
     "Kế hoạch 2024, mục II: duy trì 98% người nhận BHXH một lần"),
    ("unemployment", "100.00", dt.date(2024, 12, 31), True,
     "Kế hoạch 2024, mục II: duy trì 100% người nhận trợ cấp thất nghiệp"),
]
PROVINCE = "08"

UNCHANGEABLE_UP, UNCHANGEABLE_DOWN = refuse_changes(
    "reports_issuedreport", function="chitra_report_unchangeable", what="unchangeable",
    sqlite_names=("reports_issuedreport_no_update", "reports_issuedreport_no_delete"))


def load(apps, schema_editor):
    PlanTask = apps.get_model("reports", "PlanTask")
    Target = apps.get_model("reports", "Target")
    Province = apps.get_model("geo", "Province")
    for number, title, lead, partners, kinds, deadline, recurring in TASKS:
        PlanTask.objects.update_or_create(number=number, defaults={
            "title": title, "lead": lead, "partners": partners, "lead_kinds": kinds,
            "deadline": deadline, "recurring": recurring})
    province = Province.objects.filter(code=PROVINCE).first()
    if province is not None:
        for group, value, deadline, keep, note in TARGETS:
            Target.objects.get_or_create(
                province=province, commune=None, kpi="cashless_share", group=group,
                area="all", deadline=deadline,
                defaults={"value": value, "keep": keep, "note": note})
    UNCHANGEABLE_UP(apps, schema_editor)


def unload(apps, schema_editor):
    UNCHANGEABLE_DOWN(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial"), ("geo", "0002_load_admin_units")]
    operations = [migrations.RunPython(load, unload)]
