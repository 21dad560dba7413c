from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chitra.core.models import AuditEvent, Job
from chitra.registry.models import Beneficiary
from chitra.registry.tasks import beneficiary_import_task
from tests.engine.spreadsheets import make_messy_sheet
from tests.factories import BeneficiaryFactory, EntitlementFactory
from tests.registry.test_import import person


@pytest.mark.django_db
def test_upload_queues_a_job_that_imports_and_offers_the_error_workbook(
    client, bhxh_officer, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.CHITRA_UPLOAD_DIR = tmp_path / "uploads"
    path = tmp_path / "ds.xlsx"
    make_messy_sheet(path, [person(1), person(2, personal_id="999")], fmt="xlsx", title_lines=True)
    client.force_login(bhxh_officer)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("beneficiary_import"),
            {"file": SimpleUploadedFile("ds.xlsx", path.read_bytes())},
        )
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("job_detail", args=[job.pk])
    assert job.status == Job.Status.QUEUED and job.created_by == bhxh_officer
    beneficiary_import_task.call(job.pk)  # what the worker runs
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result["line"] == "rows=2 created=1 updated=0 unchanged=0 rejected=1"
    page = client.get(reverse("job_detail", args=[job.pk]))
    assert "Dòng" in page.text and "999" in page.text
    # htmx polls the fragment only
    frag = client.get(reverse("job_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "<html" not in frag.text and 'data-status="succeeded"' in frag.text
    dl = client.get(reverse("job_errors", args=[job.pk]))
    assert dl.status_code == 200 and dl["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(action="export.job_errors", object_id=str(job.pk)).exists()


@pytest.mark.django_db
def test_a_job_is_visible_only_to_its_creator(client, bhxh_officer, make_user):
    job = Job.objects.create(kind="beneficiary_import", created_by=bhxh_officer)
    other = make_user()
    client.force_login(other)
    assert client.get(reverse("job_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("job_errors", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_unsupported_upload_is_refused_with_a_message(client, bhxh_officer, settings, tmp_path):
    settings.CHITRA_UPLOAD_DIR = tmp_path
    client.force_login(bhxh_officer)
    r = client.post(
        reverse("beneficiary_import"), {"file": SimpleUploadedFile("ds.pdf", b"%PDF-1.4")}
    )
    assert r.status_code == 200 and ".pdf" in r.text
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_failed_import_job_reports_the_reason(bhxh_officer, tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"garbage")
    job = Job.objects.create(
        kind="beneficiary_import", created_by=bhxh_officer, input_file=str(bad), input_name="x.xlsx"
    )
    beneficiary_import_task.call(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "x.xlsx" in job.message


@pytest.mark.django_db
def test_search_by_ids_and_folded_name_and_filters(client, bhxh_officer, tq_communes):
    a = BeneficiaryFactory(full_name="Nguyễn Văn Đức", si_number="0812345678")
    b = BeneficiaryFactory(full_name="Trần Thị Hoà", commune=tq_communes[5])
    EntitlementFactory(beneficiary=b, benefit_type="UNEMPLOYMENT")
    client.force_login(bhxh_officer)

    def names(**params):
        r = client.get(reverse("beneficiary_list"), params)
        assert r.status_code == 200
        return {n for n in ("Nguyễn Văn Đức", "Trần Thị Hoà") if n in r.text}

    assert names(q=a.personal_id) == {"Nguyễn Văn Đức"}
    assert names(q="0812345678") == {"Nguyễn Văn Đức"}
    assert names(q="nguyen van duc") == {"Nguyễn Văn Đức"}  # Đ folds to D
    assert names(q="VĂN ĐỨC") == {"Nguyễn Văn Đức"}
    assert names(q="hoa") == {"Trần Thị Hoà"}  # old tone placement
    assert names(commune=tq_communes[5].pk) == {"Trần Thị Hoà"}
    assert names(benefit="UNEMPLOYMENT") == {"Trần Thị Hoà"}
    assert names(status="deceased") == set()
    assert names(q="tr") == {"Trần Thị Hoà"}  # under 3 letters: the start of the name
    assert names(q=a.personal_id[:8]) >= {"Nguyễn Văn Đức"}  # the first digits of an ID


@pytest.mark.django_db
def test_list_pages_without_counting(client, bhxh_officer, django_assert_max_num_queries):
    BeneficiaryFactory.create_batch(55)
    client.force_login(bhxh_officer)
    r = client.get(reverse("beneficiary_list"))
    assert 'rel="next"' in r.text
    r2 = client.get(reverse("beneficiary_list"), {"page": 2})
    assert r2.text.count("/beneficiaries/") - r2.text.count('href="/beneficiaries/"') >= 5
    assert 'rel="next"' not in r2.text
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("beneficiary_list"))
    assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)


@pytest.mark.django_db
def test_detail_shows_the_record_in_vietnamese_and_english(client, bhxh_officer):
    e = EntitlementFactory(monthly_amount=6_120_000)
    client.force_login(bhxh_officer)
    r = client.get(reverse("beneficiary_detail", args=[e.beneficiary.pk]))
    assert "6.120.000" in r.text and "Lương hưu" in r.text and "Chế độ đang hưởng" in r.text
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    r = client.get(reverse("beneficiary_detail", args=[e.beneficiary.pk]))
    assert "Retirement pension" in r.text and "Entitlements" in r.text
    assert Beneficiary.objects.count() == 1


@pytest.mark.django_db
def test_pages_are_vietnamese_even_when_the_browser_asks_for_english(client, bhxh_officer):
    client.force_login(bhxh_officer)
    r = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Địa bàn của bạn" in r.text


@pytest.mark.django_db
def test_the_list_downloads_as_xlsx_within_scope_and_audited(client, make_user, tq_communes):
    import io

    import openpyxl

    from chitra.core.models import AuditEvent
    from chitra.iam.models import OrgKind, Role

    BeneficiaryFactory(full_name="Trong Vùng", commune=tq_communes[0])
    BeneficiaryFactory(full_name="Ngoài Vùng", commune=tq_communes[1])
    officer = make_user(OrgKind.BHXH_OFFICE, Role.OFFICER, communes=[tq_communes[0]])
    client.force_login(officer)
    r = client.get(reverse("beneficiary_list"), {"format": "xlsx"})
    values = [
        c.value
        for row in openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows()
        for c in row
    ]
    assert "Trong Vùng" in values and "Ngoài Vùng" not in values
    assert AuditEvent.objects.filter(action="export.beneficiaries", actor=officer).exists()
