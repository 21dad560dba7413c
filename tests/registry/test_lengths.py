"""Length limits at the registry: the engine's field limits are the models' max_length, and a
100,000-character name is a rejected row with a one-line Vietnamese reason."""

from __future__ import annotations

import csv

import openpyxl
import pytest

from chitra.core.errors import render_issue
from chitra.engine.rows.account import HOLDER_MAX_CHARS
from chitra.engine.rows.beneficiary import FIELD_MAX_CHARS
from chitra.payment_methods.models import Account, ChangeRequest
from chitra.registry.models import Beneficiary
from chitra.registry.services import beneficiary_import
from tests.registry.test_import import person


def test_engine_limits_are_the_model_limits():
    field = Beneficiary._meta.get_field
    model = {"full_name": field("full_name").max_length, "address": field("address").max_length}
    assert model == FIELD_MAX_CHARS
    assert field("name_folded").max_length == FIELD_MAX_CHARS["full_name"]
    assert HOLDER_MAX_CHARS["holder_name"] == Account._meta.get_field("holder_name").max_length
    assert (
        HOLDER_MAX_CHARS["holder_name"] == ChangeRequest._meta.get_field("holder_name").max_length
    )


@pytest.mark.django_db
def test_a_100000_character_name_is_rejected_with_a_clear_reason(bhxh_officer, tmp_path):
    rows = [person(1), person(2, full_name="Nguyễn " + "A" * 100_000)]
    path = tmp_path / "ds.csv"
    keys = list(rows[0])
    labels = {
        "full_name": "Họ và tên",
        "birth_date": "Ngày sinh",
        "sex": "Giới tính",
        "personal_id": "Số CCCD",
        "si_number": "Mã số BHXH",
        "commune": "Xã/Phường",
        "address": "Địa chỉ",
        "phone": "Số điện thoại",
        "benefit_type": "Loại chế độ",
        "monthly_amount": "Mức hưởng",
        "start_month": "Tháng bắt đầu hưởng",
    }
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([labels[k] for k in keys])
        w.writerows([r[k] for k in keys] for r in rows)
    errors = tmp_path / "loi.xlsx"
    s = beneficiary_import(actor=bhxh_officer, path=path, errors_out=errors)
    assert (s.created, s.rejected) == (1, 1)
    [issue] = s.rejected_rows[0].issues
    text = render_issue(issue)
    assert text.startswith("Dòng 3, cột 'Họ và tên': giá trị 'Nguyễn AAAA")
    assert text.endswith("cần tối đa 150 ký tự (giá trị này có 100,007 ký tự)")
    assert len(text) < 300 and "\n" not in text
    ws = openpyxl.load_workbook(errors).active
    assert ws.cell(2, 1).value == 3
    assert Beneficiary.objects.count() == 1
