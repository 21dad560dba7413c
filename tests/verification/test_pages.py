from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from chitra.core.models import Job
from chitra.iam.models import OrgKind, Role
from chitra.verification.models import CleaningTask, VerificationRun
from chitra.verification.services import verification_run
from chitra.verification.tasks import verification_run_task
from tests.auth import api_headers


@pytest.mark.django_db
def test_start_a_run_from_the_page_and_drill_down(
    client, register, people, bhxh_officer, django_capture_on_commit_callbacks
):
    client.force_login(bhxh_officer)
    assert client.get(reverse("verification_runs")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("verification_run_start"))
    job = Job.objects.get(kind="verification_run")
    assert r["Location"] == reverse("job_detail", args=[job.pk])
    verification_run_task.call(job.pk)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["line"].startswith("total=6 verified=2")
    run = VerificationRun.objects.get()
    page = client.get(reverse("verification_run", args=[run.pk]), {"outcome": "deceased"})
    assert "Lê Thị Cúc" in page.text and "Nguyễn Văn An" not in page.text
    detail = client.get(reverse("beneficiary_detail", args=[people["dead"].pk]))
    assert "Đã chết" in detail.text or "Tử vong" in detail.text or "Deceased" in detail.text


@pytest.mark.django_db
def test_queue_is_scoped_and_actions_work_from_the_page(
    client, register, people, bhxh_officer, make_user, tq_communes
):
    verification_run(actor=bhxh_officer)
    police_b = make_user(OrgKind.POLICE_COMMUNE, Role.OFFICER, communes=[tq_communes[1]])
    client.force_login(police_b)
    page = client.get(reverse("verification_queue"))
    assert "Phạm Văn Dũng" in page.text and "Trần Văn Bình" not in page.text
    t_other = CleaningTask.objects.get(beneficiary=people["name"])
    assert client.get(reverse("verification_task", args=[t_other.pk])).status_code == 404
    t = CleaningTask.objects.get(beneficiary=people["absent"])
    r = client.post(
        reverse("verification_task", args=[t.pk]), {"action": "confirm", "note": "Đã gặp, CCCD gốc"}
    )
    assert r.status_code == 302
    assert CleaningTask.objects.get(pk=t.pk).resolution == "confirmed_in_person"
    xl = client.get(reverse("verification_queue"), {"status": "resolved", "format": "xlsx"})
    ws = openpyxl.load_workbook(io.BytesIO(xl.content)).active
    assert any(c.value == "Phạm Văn Dũng" for row in ws.iter_rows() for c in row)


@pytest.mark.django_db
def test_recovery_and_proof_of_life_lists_download(
    client, register, people, bhxh_officer, make_user
):
    from django.utils import timezone

    verification_run(actor=bhxh_officer)
    client.force_login(bhxh_officer)
    page = client.get(reverse("verification_recoveries"))
    assert "Lê Thị Cúc" in page.text and "35.000.000" in page.text
    xl = client.get(reverse("verification_recoveries"), {"format": "xlsx"})
    ws = openpyxl.load_workbook(io.BytesIO(xl.content)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "Lê Thị Cúc" in values and 35_000_000 in values
    # proof of life concerns people paid into an account: give two of them one
    from chitra.payment_methods.models import Provider
    from chitra.payment_methods.services import change_request_approve, change_request_create

    approver = make_user(OrgKind.BHXH_PROVINCE, Role.APPROVER)
    for key, number in (("absent", "11112221"), ("ok", "11112231"), ("name", "11112241")):
        b = people[key]
        change_request_approve(
            actor=approver,
            change_request=change_request_create(
                actor=bhxh_officer,
                beneficiary=b,
                method="BANK_ACCOUNT",
                source="officer",
                provider=Provider.objects.get(code="970405"),
                number=number,
                holder_name=b.full_name,
                consent_date=timezone.localdate(),
                consent_channel="in_person",
            ),
        )
    # the switch into an account counts from its month; the register saw two of them today
    from chitra.registry.models import Beneficiary
    from chitra.verification.proof_of_life import due_on

    month = timezone.localdate().replace(day=1)
    absent = Beneficiary.objects.get(pk=people["absent"].pk)
    assert (absent.proof_of_life_on, absent.proof_of_life_source) == (month, "account_start")
    assert Beneficiary.objects.get(pk=people["ok"].pk).proof_of_life_source == "register"
    # a year and more ago: overdue; eleven months ago: due within 60 days
    today = timezone.localdate()
    Beneficiary.objects.filter(pk=people["absent"].pk).update(
        proof_of_life_on=today - dt.timedelta(days=400)
    )
    Beneficiary.objects.filter(pk=people["name"].pk).update(
        proof_of_life_on=today - dt.timedelta(days=335)
    )
    overdue = client.get(reverse("verification_proof_of_life"))
    assert "Phạm Văn Dũng" in overdue.text and "Trần Văn Bình" not in overdue.text
    assert "Nguyễn Văn An" not in overdue.text
    assert "Hoàng Thị Hoà" not in overdue.text  # paid in cash: not on these lists
    assert "Lê Thị Cúc" not in overdue.text  # deceased, suspended
    soon = client.get(reverse("verification_proof_of_life"), {"state": "due_soon"})
    assert "Trần Văn Bình" in soon.text and "Phạm Văn Dũng" not in soon.text
    due = due_on(today - dt.timedelta(days=335))
    assert due is not None and due.strftime("%d/%m/%Y") in soon.text
    xl = client.get(reverse("verification_proof_of_life"), {"state": "due_soon", "format": "xlsx"})
    ws = openpyxl.load_workbook(io.BytesIO(xl.content)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "Trần Văn Bình" in values and due.strftime("%d/%m/%Y") in values
    assert "Phạm Văn Dũng" not in values
    xl = client.get(reverse("verification_proof_of_life"), {"format": "xlsx"})
    values = [
        c.value
        for row in openpyxl.load_workbook(io.BytesIO(xl.content)).active.iter_rows()
        for c in row
    ]
    assert "Phạm Văn Dũng" in values and "Trần Văn Bình" not in values


@pytest.mark.django_db
def test_api_results_are_scoped(client, register, people, bhxh_officer, make_user, tq_communes):
    run = verification_run(actor=bhxh_officer)
    office = make_user(OrgKind.BHXH_OFFICE, Role.OFFICER, communes=[tq_communes[0]])
    auth = api_headers(office)
    r = client.get("/api/v1/verification/results/", {"run": run.pk}, **auth)
    assert r.status_code == 200
    names = {row["full_name"] for row in r.json()["results"]}
    assert names == {"Nguyễn Văn An", "Trần Văn Bình", "Lê Thị Cúc"}
    r = client.get("/api/v1/verification/results/", **auth)
    assert r.status_code == 400
    bank = make_user(OrgKind.BANK, Role.ADMIN)
    assert client.get("/api/v1/verification/runs/", **api_headers(bank)).status_code == 403
