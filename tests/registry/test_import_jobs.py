"""The import as a job: a worker that dies midway applied nothing; `updated` counts rows that
change a person already in the registry (command line, job page, API)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from chitra.core.models import AuditEvent, Job
from chitra.registry.models import Beneficiary, Entitlement
from chitra.registry.services import beneficiary_import
from chitra.registry.tasks import beneficiary_import_task
from tests.auth import api_headers
from tests.jobs import queued, run_killed, stop_at
from tests.registry.test_import import messy, person


@pytest.mark.django_db
def test_an_import_killed_after_its_first_writes_applied_nothing(
    tmp_path, bhxh_officer, monkeypatch
):
    rows = [person(i) for i in range(1, 8)]
    path = messy(tmp_path, rows)
    beneficiary_import(actor=bhxh_officer, path=path)  # 7 people known
    rows[0]["address"] = "Tổ 40"
    rows += [person(i) for i in range(8, 12)]
    path2 = messy(tmp_path, rows, name="v2.xlsx")
    events = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    job = queued("beneficiary_import", bhxh_officer, input_file=str(path2), input_name="v2.xlsx")
    # killed after the people are written, before their entitlements and the audit
    seen = stop_at(monkeypatch, "entitlements")
    with translation.override("en"):
        job = run_killed(monkeypatch, beneficiary_import_task, job)
    assert ("entitlements", 5, 11) in seen  # 4 new people and 1 changed one were written
    assert Beneficiary.objects.count() == 7
    assert Beneficiary.objects.get(personal_id=rows[0]["personal_id"]).address == "Tổ 1"
    assert Entitlement.objects.count() == 7
    assert not AuditEvent.objects.filter(action="registry.import", pk__gt=events).exists()
    assert job.status == Job.Status.FAILED and job.is_stale
    assert "importing the beneficiary file" in job.message  # what it was doing
    assert "nothing was applied" in job.message and "Run it again" in job.message
    assert job.input_name == "v2.xlsx"


@pytest.mark.django_db
def test_a_changed_address_is_counted_as_updated_everywhere(tmp_path, bhxh_officer, client, capsys):
    rows = [person(i) for i in range(1, 7)]
    call_command(
        "import_beneficiaries", str(messy(tmp_path, rows)), "--user", bhxh_officer.username
    )
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        "rows=6 created=6 updated=0 unchanged=0 rejected=0"
    )
    rows[3]["address"] = "Tổ 12, thôn Nà Chang"
    path = messy(tmp_path, rows, name="v2.xlsx")
    call_command("import_beneficiaries", str(path), "--dry-run", "--user", bhxh_officer.username)
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        "rows=6 created=0 updated=1 unchanged=5 rejected=0"
    )
    # the job page and the API show the same counts
    job = queued("beneficiary_import", bhxh_officer, input_file=str(path), input_name="v2.xlsx")
    beneficiary_import_task.call(job.pk)
    job.refresh_from_db()
    assert job.result["line"] == "rows=6 created=0 updated=1 unchanged=5 rejected=0"
    assert Beneficiary.objects.get(personal_id=rows[3]["personal_id"]).address == (
        "Tổ 12, thôn Nà Chang"
    )
    client.force_login(bhxh_officer)
    page = client.get(reverse("job_detail", args=[job.pk]))
    assert page.status_code == 200
    summary = page.text[page.text.index('data-testid="job-summary"') :]
    assert "<td>1</td>" in summary and "<td>5</td>" in summary
    api = client.get(f"/api/v1/jobs/{job.pk}/", **api_headers(bhxh_officer))
    assert api.status_code == 200
    got = api.json()["result"]
    assert (got["rows"], got["created"], got["updated"], got["unchanged"]) == (6, 0, 1, 5)


@pytest.mark.django_db
def test_a_row_that_changes_a_known_person_and_adds_a_benefit_is_an_update(tmp_path, bhxh_officer):
    rows = [person(i) for i in range(1, 4)]
    beneficiary_import(actor=bhxh_officer, path=messy(tmp_path, rows))
    rows[1]["address"] = "Tổ 9"
    rows[1]["benefit_type"] = "Trợ cấp thất nghiệp"
    fresh = dict(rows[2], benefit_type="Trợ cấp thất nghiệp")  # unchanged person, new benefit
    s = beneficiary_import(actor=bhxh_officer, path=messy(tmp_path, [*rows, fresh], name="v2.xlsx"))
    assert (s.rows, s.created, s.updated, s.unchanged) == (4, 1, 1, 2)
    assert Entitlement.objects.filter(benefit_type="UNEMPLOYMENT").count() == 2
