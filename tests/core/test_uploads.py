"""Hostile files through every door: the upload pages (size stopped while the request is read,
zip bombs refused before the file is stored), the services and the commands (same limits),
cover sheets, and the one-line messages for empty workbooks and missing headers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from chitra.core.errors import ImportFileError
from chitra.core.models import AuditEvent, Job
from chitra.payment_methods.models import ChangeRequest, Provider
from chitra.registry.models import Beneficiary
from chitra.registry.services import beneficiary_import
from tests.engine.spreadsheets import make_messy_sheet
from tests.factories import BeneficiaryFactory
from tests.registry.test_import import person
from tests.zipbombs import xlsx_bomb, zeros

OVERSIZE = "lớn hơn"  # Vietnamese: "larger than"


@pytest.fixture
def uploads(settings, tmp_path) -> Path:
    settings.CHITRA_UPLOAD_DIR = tmp_path / "uploads"
    return settings.CHITRA_UPLOAD_DIR


def _stored(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.mark.django_db
@pytest.mark.parametrize("size", [5_000, 3 * 1024 * 1024])  # a part past the limit; a body
def test_import_page_refuses_a_file_over_the_limit(client, bhxh_officer, uploads, settings, size):
    settings.CHITRA_UPLOAD_MAX_BYTES = 1_000
    client.force_login(bhxh_officer)
    r = client.post(
        reverse("beneficiary_import"), {"file": SimpleUploadedFile("ds.csv", b"x" * size)}
    )
    assert r.status_code == 200
    errors = r.context["form"].errors["file"]
    assert len(errors) == 1 and OVERSIZE in errors[0] and "ds.csv" in errors[0]
    assert OVERSIZE in r.text
    assert not Job.objects.exists() and _stored(uploads) == []


@pytest.mark.django_db
def test_import_page_refuses_a_zip_bomb_before_storing_it(client, bhxh_officer, uploads, tmp_path):
    bomb = xlsx_bomb(tmp_path / "ds.xlsx", zeros(1536))
    client.force_login(bhxh_officer)
    r = client.post(
        reverse("beneficiary_import"), {"file": SimpleUploadedFile("ds.xlsx", bomb.read_bytes())}
    )
    assert r.status_code == 200
    [error] = r.context["form"].errors["file"]
    assert "giải nén" in error  # "once unpacked"
    assert not Job.objects.exists() and _stored(uploads) == []


@pytest.mark.django_db
def test_an_accepted_upload_is_still_stored(client, bhxh_officer, uploads, tmp_path):
    path = tmp_path / "ds.xlsx"
    make_messy_sheet(path, [person(1)], fmt="xlsx")
    client.force_login(bhxh_officer)
    r = client.post(
        reverse("beneficiary_import"), {"file": SimpleUploadedFile("ds.xlsx", path.read_bytes())}
    )
    assert r.status_code == 302 and Job.objects.count() == 1 and len(_stored(uploads)) == 1


@pytest.mark.django_db
def test_consent_scan_over_the_limit_is_refused(client, bhxh_officer, settings):
    settings.CHITRA_UPLOAD_MAX_BYTES = 1_000
    b = BeneficiaryFactory(full_name="Nguyễn Văn Đức")
    client.force_login(bhxh_officer)
    r = client.post(
        reverse("change_request_new", args=[b.pk]),
        {
            "method": "BANK_ACCOUNT",
            "provider": Provider.objects.get(code="970405").pk,
            "number": "0123 4567 81",
            "holder_name": "NGUYEN VAN DUC",
            "consent_date": dt.date.today().isoformat(),
            "consent_channel": "in_person",
            "consent_file": SimpleUploadedFile("scan.pdf", b"%PDF" + b"x" * 5_000),
        },
    )
    assert r.status_code == 200
    assert OVERSIZE in r.context["form"].errors["consent_file"][0]
    assert not ChangeRequest.objects.exists()


# --------------------------------------------------------------------------------------------
# services and commands apply the same limits
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_zip_bomb_import_writes_nothing(bhxh_officer, tmp_path):
    bomb = xlsx_bomb(tmp_path / "ds.xlsx", zeros(1536))
    events = AuditEvent.objects.count()
    with pytest.raises(ImportFileError, match="giải nén"):
        beneficiary_import(actor=bhxh_officer, path=bomb)
    assert not Beneficiary.objects.exists() and AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_commands_apply_the_upload_limit(bhxh_officer, tmp_path, settings):
    settings.CHITRA_UPLOAD_MAX_BYTES = 100
    path = tmp_path / "ds.xlsx"
    make_messy_sheet(path, [person(1)], fmt="xlsx")
    for command, extra in (
        ("import_beneficiaries", []),
        ("import_accounts", []),
        ("verify", ["--beneficiaries"]),
    ):
        with pytest.raises(CommandError, match="tối đa được nhận là 100"):
            call_command(command, *extra, str(path), "--user", bhxh_officer.username)
    assert not Beneficiary.objects.exists()


@pytest.mark.django_db
def test_rows_limit_through_the_service(bhxh_officer, tmp_path, settings):
    settings.CHITRA_IMPORT_MAX_ROWS = 5
    path = tmp_path / "ds.xlsx"
    make_messy_sheet(path, [person(i) for i in range(1, 10)], fmt="xlsx")
    with pytest.raises(ImportFileError, match="có hơn 5 dòng"):
        beneficiary_import(actor=bhxh_officer, path=path)


# --------------------------------------------------------------------------------------------
# cover sheets, empty workbooks, missing headers: one line, in Vietnamese
# --------------------------------------------------------------------------------------------


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                ws.write_string(r, c, str(value))
    wb.close()
    return path


HEAD = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Xã/Phường", "Loại chế độ", "Mức hưởng"]


def _row(p: dict) -> list[object]:
    return [
        p["full_name"],
        p["birth_date"],
        p["sex"],
        p["personal_id"],
        p["commune"],
        p["benefit_type"],
        p["monthly_amount"],
    ]


@pytest.mark.django_db
def test_a_cover_page_before_the_list(bhxh_officer, tmp_path):
    path = _workbook(
        tmp_path / "ds.xlsx",
        {
            "Bìa": [["BẢO HIỂM XÃ HỘI TỈNH TUYÊN QUANG"], ["DANH SÁCH NGƯỜI HƯỞNG"]],
            "Hướng dẫn": [["Điền mỗi người một dòng"]],
            "Danh sách": [HEAD, _row(person(1)), _row(person(2))],
        },
    )
    s = beneficiary_import(actor=bhxh_officer, path=path)
    assert (s.rows, s.created, s.rejected) == (2, 2, 0)


@pytest.mark.django_db
def test_no_sheet_with_a_header_names_the_sheets(bhxh_officer, tmp_path):
    path = _workbook(
        tmp_path / "ds.xlsx",
        {"Bìa": [["DANH SÁCH NGƯỜI HƯỞNG"]], "Ghi chú": [["Họ và tên", "Ghi chú"]]},
    )
    with pytest.raises(ImportFileError) as info:
        beneficiary_import(actor=bhxh_officer, path=path)
    message = str(info.value)
    assert "\n" not in message
    assert "Không trang tính nào có dòng tiêu đề" in message
    assert "'Bìa' (không có cột 'Họ và tên'" in message
    assert "'Ghi chú' (không có cột 'Ngày sinh'" in message


@pytest.mark.django_db
def test_empty_workbook_and_headerless_sheet(bhxh_officer, tmp_path):
    empty = _workbook(tmp_path / "e.xlsx", {"Sheet1": [], "Sheet2": []})
    with pytest.raises(
        ImportFileError,
        match=r"Bảng tính không có dữ liệu.*'Sheet1', "
        r"'Sheet2'",
    ):
        beneficiary_import(actor=bhxh_officer, path=empty)
    headless = _workbook(tmp_path / "h.xlsx", {"DS": [["Nguyễn Văn An", "1950"]]})
    with pytest.raises(ImportFileError) as info:
        beneficiary_import(actor=bhxh_officer, path=headless)
    assert str(info.value).startswith("Trang tính 'DS' không có dòng tiêu đề nhận biết được")
    partial = _workbook(tmp_path / "p.xlsx", {"DS": [["Họ và tên", "Ngày sinh", "Số CCCD"]]})
    with pytest.raises(ImportFileError) as info:
        beneficiary_import(actor=bhxh_officer, path=partial)
    assert str(info.value).startswith("Trang tính 'DS': dòng tiêu đề thiếu cột 'Giới tính'")
