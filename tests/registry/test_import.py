from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from chitra.core.errors import ImportFileError
from chitra.core.models import AuditEvent
from chitra.iam.models import OrgKind, Role
from chitra.registry.models import Beneficiary, Entitlement
from chitra.registry.services import beneficiary_import, previous_month
from tests.engine.spreadsheets import make_messy_sheet
from tests.factories import make_pid


def person(i: int, **over) -> dict:
    year = 1940 + i % 30
    sex = "F" if i % 2 else "M"
    row = {
        "full_name": ("Nguyễn Thị Hoà " if sex == "F" else "Trần Văn Đức ") + str(i),
        "birth_date": f"{(i % 28) + 1:02d}/03/{year}",
        "sex": "Nữ" if sex == "F" else "Nam",
        "personal_id": make_pid(year, sex),
        "si_number": f"{3100000000 + i}",
        "commune": "Phường Minh Xuân" if i % 3 == 0 else "02269",
        "address": f"Tổ {i}",
        "phone": "0912 345 678",
        "benefit_type": "Lương hưu",
        "monthly_amount": "5.350.000",
        "start_month": "01/2015",
    }
    row.update(over)
    return row


def messy(tmp_path: Path, rows: list[dict], name: str = "ds.xlsx", **kw) -> Path:
    kw.setdefault("fmt", "xlsx")
    defaults = dict(
        two_row_header=True,
        title_lines=True,
        totals_row=True,
        blank_rows=True,
        nfd=True,
        ids_as_numbers=True,
    )
    defaults.update(kw)
    make_messy_sheet(tmp_path / name, rows, **defaults)
    return tmp_path / name


@pytest.mark.django_db
def test_messy_government_sheet_is_imported_exactly(tmp_path, bhxh_officer):
    rows = [person(i) for i in range(1, 21)]
    path = messy(tmp_path, rows)
    s = beneficiary_import(actor=bhxh_officer, path=path)
    assert (s.rows, s.created, s.updated, s.unchanged, s.rejected) == (20, 20, 0, 0, 0)
    b = Beneficiary.objects.get(personal_id=rows[0]["personal_id"])
    assert b.full_name == "Trần Thị Hoà 1".replace("Trần Thị", "Nguyễn Thị")  # NFC restored
    assert b.name_folded == "NGUYEN THI HOA 1"
    assert b.birth_date == dt.date(1941, 3, 2) and b.birth_precision == "D"
    assert b.sex == "F" and b.commune.code == "02269" and b.phone == "+84912345678"
    e = b.entitlements.get()
    assert (e.benefit_type, e.monthly_amount, e.start_month) == (
        "PENSION",
        5_350_000,
        dt.date(2015, 1, 1),
    )
    # imported without a "paid through" column: paid up to the month before the import
    assert e.paid_through == previous_month(timezone.localdate())
    ward = Beneficiary.objects.get(personal_id=rows[2]["personal_id"])
    assert ward.commune.name == "Phường Minh Xuân"
    # one event per new person, holding their entitlement
    assert AuditEvent.objects.filter(action="registry.import.row").count() == 20
    ev = AuditEvent.objects.get(action="registry.import.row", object_id=str(b.pk))
    assert ev.after["entitlements"][0]["monthly_amount"] == 5_350_000
    assert ev.after["entitlements"][0]["id"] == e.pk
    assert AuditEvent.objects.filter(action="registry.import", actor=bhxh_officer).count() == 1


@pytest.mark.django_db
def test_reimport_changes_nothing_and_a_change_is_audited(tmp_path, bhxh_officer):
    rows = [person(i) for i in range(1, 6)]
    path = messy(tmp_path, rows)
    beneficiary_import(actor=bhxh_officer, path=path)
    events = AuditEvent.objects.count()
    s = beneficiary_import(actor=bhxh_officer, path=path)
    assert (s.created, s.updated, s.unchanged, s.rejected) == (0, 0, 5, 0)
    assert AuditEvent.objects.count() == events + 1  # only the import's own summary
    rows[1]["monthly_amount"] = "5.400.000"
    s = beneficiary_import(actor=bhxh_officer, path=messy(tmp_path, rows, name="v2.xlsx"))
    assert (s.created, s.updated, s.unchanged) == (0, 1, 4)
    ent = Entitlement.objects.get(beneficiary__personal_id=rows[1]["personal_id"])
    assert ent.monthly_amount == 5_400_000
    ev = AuditEvent.objects.get(
        action="registry.import.row",
        object_type="registry.entitlement",
        object_id=str(ent.pk),
        before__isnull=False,
    )
    assert ev.before == {"monthly_amount": 5_350_000} and ev.after == {"monthly_amount": 5_400_000}


@pytest.mark.django_db
def test_bad_rows_are_rejected_with_reasons_and_the_rest_applied(tmp_path, bhxh_officer):
    good = person(1)
    bad_id = person(2, personal_id="12345")
    sex_mismatch = person(3, sex="Nam")  # odd i -> female ID digit
    unknown_commune = person(4, commune="Xã Không Có")
    bad_amount = person(5, monthly_amount="1.500.000,5")
    dup = dict(good, full_name="Nguyễn Thị Hoà 1 bis")
    path = messy(
        tmp_path,
        [good, bad_id, sex_mismatch, unknown_commune, bad_amount, dup],
        two_row_header=False,
        ids_as_numbers=False,
    )
    errors = tmp_path / "loi.xlsx"
    s = beneficiary_import(actor=bhxh_officer, path=path, errors_out=errors)
    assert (s.rows, s.created, s.rejected) == (6, 1, 5)
    assert Beneficiary.objects.count() == 1
    codes = {i.code for r in s.rejected_rows for i in r.issues}
    assert {"pid_sex_mismatch", "commune_unknown", "duplicate_in_file"} <= codes
    wb = openpyxl.load_workbook(errors)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert header[-1] == "Lý do từ chối"
    reasons = [ws.cell(row=r, column=len(header)).value for r in range(2, ws.max_row + 1)]
    assert len(reasons) == 5
    assert any("12345" in r and "12" in r for r in reasons)
    assert any("Xã Không Có" in r for r in reasons)


@pytest.mark.django_db
def test_rejection_messages_name_row_column_value_in_vietnamese(tmp_path, bhxh_officer):
    from django.utils import translation

    from chitra.core.errors import render_issue

    path = messy(
        tmp_path,
        [person(1), person(2, commune="Xã Không Có")],
        two_row_header=False,
        ids_as_numbers=False,
        title_lines=False,
    )
    s = beneficiary_import(actor=bhxh_officer, path=path)
    issue = s.rejected_rows[0].issues[0]
    with translation.override("vi"):
        text = render_issue(issue)
    assert text.startswith(f"Dòng {issue.sheet_row}, cột 'Xã/Phường': giá trị 'Xã Không Có'")


@pytest.mark.django_db
def test_dry_run_writes_nothing(tmp_path, bhxh_officer):
    path = messy(tmp_path, [person(i) for i in range(1, 4)])
    s = beneficiary_import(actor=bhxh_officer, path=path, dry_run=True)
    assert (s.created, s.rejected) == (3, 0)
    assert Beneficiary.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="registry.import").exists()


@pytest.mark.django_db
def test_import_is_all_or_nothing_when_writing_fails(tmp_path, bhxh_officer, monkeypatch):
    import chitra.registry.services as services

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "audit_record", boom)
    with pytest.raises(RuntimeError):
        beneficiary_import(actor=bhxh_officer, path=messy(tmp_path, [person(1), person(2)]))
    assert Beneficiary.objects.count() == 0 and Entitlement.objects.count() == 0


@pytest.mark.django_db
def test_unknown_province_prefix_is_a_warning_not_a_rejection(tmp_path, bhxh_officer):
    pid = "003" + make_pid(1950, "M")[3:]
    s = beneficiary_import(
        actor=bhxh_officer,
        path=messy(
            tmp_path,
            [person(2, personal_id=pid, sex="Nam", birth_date="1950")],
            ids_as_numbers=False,
        ),
    )
    assert (s.created, s.rejected) == (1, 0)
    assert [w.code for w in s.warnings] == ["pid_unknown_province"]
    assert Beneficiary.objects.get(personal_id=pid).birth_precision == "Y"


@pytest.mark.django_db
def test_office_officer_cannot_import_outside_the_service_area(tmp_path, make_user, tq_communes):
    own = [c for c in tq_communes if c.code == "02269"]
    officer = make_user(OrgKind.BHXH_OFFICE, Role.OFFICER, communes=own)
    rows = [person(1, commune="02269"), person(3, commune="Phường Minh Xuân")]
    s = beneficiary_import(actor=officer, path=messy(tmp_path, rows))
    assert (s.created, s.rejected) == (1, 1)
    assert s.rejected_rows[0].issues[0].code == "commune_out_of_scope"


@pytest.mark.django_db
def test_an_import_never_names_a_person_of_another_area(tmp_path, make_user, tq_communes):
    """A row with the social insurance number of a person outside the officer's area is
    refused with the message of any out-of-area person: that person's ID is not given."""
    from chitra.core.errors import render_issue
    from tests.factories import BeneficiaryFactory

    own = [c for c in tq_communes if c.code == "02269"]
    other = next(c for c in tq_communes if c.code != "02269")
    stranger = BeneficiaryFactory(commune=other, si_number="3100000001")
    officer = make_user(OrgKind.BHXH_OFFICE, Role.OFFICER, communes=own)
    s = beneficiary_import(
        actor=officer, path=messy(tmp_path, [person(1, commune="02269", si_number="3100000001")])
    )
    issue = s.rejected_rows[0].issues[0]
    assert (s.created, issue.code) == (0, "beneficiary_out_of_scope")
    assert stranger.personal_id not in render_issue(issue)
    assert Beneficiary.objects.get(pk=stranger.pk).full_name == stranger.full_name


@pytest.mark.django_db
def test_viewer_may_not_import(tmp_path, make_user):
    from django.core.exceptions import PermissionDenied

    viewer = make_user(OrgKind.BHXH_PROVINCE, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        beneficiary_import(actor=viewer, path=messy(tmp_path, [person(1)]))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fmt", "encoding"),
    [("xls", "utf-8"), ("ods", "utf-8"), ("csv", "utf-8"), ("csv", "utf-8-sig"), ("csv", "cp1258")],
)
def test_every_format(tmp_path, bhxh_officer, fmt, encoding):
    rows = [person(i) for i in range(1, 4)]
    path = messy(
        tmp_path, rows, name=f"ds.{fmt}", fmt=fmt, encoding=encoding, two_row_header=fmt != "csv"
    )
    s = beneficiary_import(actor=bhxh_officer, path=path)
    assert (s.created, s.rejected) == (3, 0), [
        i.message_en for r in s.rejected_rows for i in r.issues
    ]
    assert set(Beneficiary.objects.values_list("full_name", flat=True)) == {
        r["full_name"] for r in rows
    }


@pytest.mark.django_db
def test_unreadable_file_is_a_clear_error(tmp_path, bhxh_officer):
    junk = tmp_path / "ds.xlsx"
    junk.write_bytes(b"this is not a spreadsheet")
    with pytest.raises(ImportFileError) as exc:
        beneficiary_import(actor=bhxh_officer, path=junk)
    assert "ds.xlsx" in str(exc.value)
    nohead = tmp_path / "x.csv"
    nohead.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(ImportFileError):
        beneficiary_import(actor=bhxh_officer, path=nohead)


@pytest.mark.django_db
def test_command_prints_summary_and_exits_non_zero_only_for_unreadable(
    tmp_path, bhxh_officer, capsys
):
    path = messy(tmp_path, [person(1), person(2, personal_id="12")])
    out = tmp_path / "err.xlsx"
    call_command(
        "import_beneficiaries", str(path), "--user", bhxh_officer.username, "--errors", str(out)
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == "rows=2 created=1 updated=0 unchanged=0 rejected=1"
    assert out.exists()
    call_command("import_beneficiaries", str(path), "--dry-run")  # system actor
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        "rows=2 created=0 updated=0 unchanged=1 rejected=1"
    )
    bad = tmp_path / "bad.ods"
    bad.write_bytes(b"nope")
    with pytest.raises(CommandError):
        call_command("import_beneficiaries", str(bad))
    with pytest.raises(CommandError):
        call_command("import_beneficiaries", str(path), "--user", "nobody")


@pytest.mark.django_db
def test_representative_authorisation_gets_a_default_validity(bhxh_officer):
    from chitra.core.errors import ChitraError
    from chitra.registry.services import representative_add
    from tests.factories import BeneficiaryFactory

    b = BeneficiaryFactory()
    rep = representative_add(
        actor=bhxh_officer,
        beneficiary=b,
        kind="authorised",
        full_name="Lê Văn Nhận",
        personal_id=make_pid(1980, "M"),
        valid_from=dt.date(2026, 3, 15),
    )
    assert rep.valid_to == dt.date(2027, 2, 28)
    assert rep.is_valid_on(dt.date(2026, 12, 1)) and not rep.is_valid_on(dt.date(2027, 3, 1))
    assert AuditEvent.objects.filter(action="registry.representative.add").count() == 1
    with pytest.raises(ChitraError):
        representative_add(
            actor=bhxh_officer,
            beneficiary=b,
            kind="guardian",
            full_name="X",
            personal_id="123",
            valid_from=dt.date(2026, 1, 1),
        )
    with pytest.raises(ChitraError):
        representative_add(
            actor=bhxh_officer,
            beneficiary=b,
            kind="guardian",
            full_name="X",
            personal_id=b.personal_id,
            valid_from=dt.date(2026, 1, 1),
        )


@pytest.mark.django_db
def test_api_token_command(bhxh_officer, capsys, client):
    from chitra.iam.models import ApiToken

    call_command(
        "api_token",
        bhxh_officer.username,
        "--name",
        "import robot",
        "--scopes",
        "registry:read",
        "--user",
        bhxh_officer.username,
    )
    secret = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(owner=bhxh_officer)
    assert (
        secret.startswith("chitra_")
        and token.digest != secret
        and secret not in str(token.__dict__)
    )
    auth = {"HTTP_AUTHORIZATION": f"Token {secret}"}
    assert client.get("/api/v1/beneficiaries/", **auth).status_code == 200
    call_command("api_token", bhxh_officer.username, "--revoke", str(token.pk))
    r = client.get("/api/v1/beneficiaries/", **auth)
    assert r.status_code == 401
    assert "thu hồi" in r.json()["detail"] or "revoked" in r.json()["detail"]


@pytest.mark.django_db
def test_people_named_tong_cong_are_never_taken_for_a_totals_row(tmp_path, bhxh_officer):
    rows = [
        person(1, full_name="Tống Công Minh"),
        person(2, full_name="Tổng Văn Số"),
        person(3, full_name="Cộng Thị Hoa"),
    ]
    s = beneficiary_import(actor=bhxh_officer, path=messy(tmp_path, rows, totals_row=True))
    assert (s.rows, s.created, s.rejected) == (3, 3, 0)
    assert set(Beneficiary.objects.values_list("full_name", flat=True)) == {
        "Tống Công Minh",
        "Tổng Văn Số",
        "Cộng Thị Hoa",
    }
