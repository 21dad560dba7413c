"""Issue #12 item 7: every verification run (page, command, schedule) is listed on the page and
the API for the users of the area it covers, whoever started it, with its counts in their area.

The people fixture: commune A (tq_communes[0]) holds ok / name / dead (verified, mismatch,
deceased); commune B (tq_communes[1]) holds absent / accents / noid (not found, verified,
no ID)."""

from __future__ import annotations

import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from chitra.core.models import Job
from chitra.geo.models import Province
from chitra.iam.models import OrgKind, Role
from chitra.verification.models import VerificationRun
from chitra.verification.services import verification_run
from chitra.verification.tasks import verification_run_task
from tests.auth import api_headers

A_COUNTS = {
    "verified": 1,
    "mismatch": 1,
    "deceased": 1,
    "not_found": 0,
    "invalid_id": 0,
    "no_id": 0,
    "duplicate": 0,
}
B_COUNTS = {
    "verified": 1,
    "mismatch": 0,
    "deceased": 0,
    "not_found": 1,
    "invalid_id": 0,
    "no_id": 1,
    "duplicate": 0,
}
ALL_COUNTS = {k: A_COUNTS[k] + B_COUNTS[k] for k in A_COUNTS}


def _page_rows(html: str) -> dict[int, dict[str, str]]:
    """The runs of the list page: id -> {column: text} (cells marked data-col)."""
    rows: dict[int, dict[str, str]] = {}
    for m in re.finditer(r'<tr data-run="(\d+)">(.*?)</tr>', html, re.S):
        cells = dict(re.findall(r'data-col="([a-z_]+)"[^>]*>(.*?)</td>', m[2], re.S))
        rows[int(m[1])] = {k: re.sub(r"<[^>]+>", "", v).strip() for k, v in cells.items()}
    return rows


def _api_runs(client, user) -> dict[int, dict]:
    r = client.get("/api/v1/verification/runs/", **api_headers(user))
    assert r.status_code == 200, r.content
    return {row["id"]: row for row in r.json()["results"]}


@pytest.fixture
def users(make_user, tq_communes):
    a, b = tq_communes[0], tq_communes[1]
    return {
        "province": make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER),
        "police": make_user(OrgKind.POLICE_PROVINCE, Role.OFFICER),
        "office_a": make_user(OrgKind.BHXH_OFFICE, Role.OFFICER, communes=[a]),
        "police_a": make_user(OrgKind.POLICE_COMMUNE, Role.OFFICER, communes=[a]),
        "police_b": make_user(OrgKind.POLICE_COMMUNE, Role.OFFICER, communes=[b]),
        "hanoi": make_user(
            OrgKind.BHXH_PROVINCE, Role.OFFICER, province=Province.objects.get(code="01")
        ),
    }


@pytest.mark.django_db
def test_a_run_of_the_command_line_is_on_the_page_and_the_api(
    client, register, people, users, capsys
):
    call_command("verify")  # the system actor, as `make demo` does
    run = VerificationRun.objects.get()
    assert run.started_by.is_system
    for key in ("province", "police"):
        client.force_login(users[key])
        page = client.get(reverse("verification_runs"))
        assert "Chưa có đợt xác thực nào" not in page.text
        assert "Chưa chạy lần nào" not in page.text  # the words of the empty list before
        row = _page_rows(page.text)[run.pk]
        assert row["total"] == "6"
        assert {k: int(row[k]) for k in ALL_COUNTS} == ALL_COUNTS
        assert client.get(reverse("verification_run", args=[run.pk])).status_code == 200
        api = _api_runs(client, users[key])[run.pk]
        assert api["total"] == 6 and api["counts"] == ALL_COUNTS
        assert api["origin"] == "command" and api["status"] == "succeeded"
        r = client.get(f"/api/v1/verification/runs/{run.pk}/", **api_headers(users[key]))
        assert r.status_code == 200 and r.json()["counts"] == ALL_COUNTS
    assert run.origin == "command"


@pytest.mark.django_db
def test_counts_are_those_of_the_viewers_area(client, register, people, users):
    run = verification_run(actor=users["province"])
    for key, counts in (("office_a", A_COUNTS), ("police_a", A_COUNTS), ("police_b", B_COUNTS)):
        client.force_login(users[key])
        row = _page_rows(client.get(reverse("verification_runs")).text)[run.pk]
        assert row["total"] == str(sum(counts.values()))
        assert {k: int(row[k]) for k in counts} == counts, key
        api = _api_runs(client, users[key])[run.pk]
        assert api["counts"] == counts and api["total"] == sum(counts.values())
        detail = client.get(reverse("verification_run", args=[run.pk]))
        assert detail.status_code == 200
        cards = dict(
            re.findall(
                r'data-outcome="([a-z_]+)".*?<div class="fs-4">(\d+)</div>', detail.text, re.S
            )
        )
        assert {k: int(v) for k, v in cards.items()} == counts
    # the whole run for the province, as recorded on the run
    assert run.total == 6 and run.counts == ALL_COUNTS


@pytest.mark.django_db
def test_a_run_is_seen_by_the_area_it_covers_whoever_started_it(
    client, register, people, users, capsys
):
    # an office of commune A runs it on the command line: the province and commune A see it,
    # commune B (not covered) does not, nor another province
    from chitra.verification.models import VerificationRunArea

    call_command("verify", "--user", users["office_a"].username)
    run = VerificationRun.objects.get()
    assert run.total == 3 and run.province_code == "08"
    assert set(
        VerificationRunArea.objects.filter(run=run).values_list("commune__code", flat=True)
    ) == {people["ok"].commune.code}
    for key in ("province", "police", "office_a", "police_a"):
        assert run.pk in _api_runs(client, users[key]), key
    for key in ("police_b", "hanoi"):
        assert run.pk not in _api_runs(client, users[key]), key
        client.force_login(users[key])
        page = client.get(reverse("verification_runs")).text
        assert run.pk not in _page_rows(page) and "Chưa có đợt xác thực nào." in page
        assert client.get(reverse("verification_run", args=[run.pk])).status_code == 404
        r = client.get(f"/api/v1/verification/runs/{run.pk}/", **api_headers(users[key]))
        assert r.status_code == 404
    assert _api_runs(client, users["province"])[run.pk]["communes"] == [people["ok"].commune.code]


@pytest.mark.django_db
def test_a_national_run_of_one_province_is_not_shown_elsewhere(
    client, register, people, users, capsys
):
    call_command("verify", "--province", "08")
    tq_run = VerificationRun.objects.get()
    call_command("verify", "--province", "01")
    hn_run = VerificationRun.objects.exclude(pk=tq_run.pk).get()
    assert hn_run.total == 0
    assert set(_api_runs(client, users["province"])) == {tq_run.pk}
    assert set(_api_runs(client, users["hanoi"])) == {hn_run.pk}


@pytest.mark.django_db
def test_page_command_and_scheduled_runs_are_all_listed(
    client, register, people, users, django_capture_on_commit_callbacks, capsys
):
    client.force_login(users["province"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("verification_run_start"))
    verification_run_task.call(Job.objects.get(kind="verification_run").pk)
    call_command("verify")
    call_command("verify", "--scheduled", "--changed-since", "2026-01-01")
    runs = {r.origin: r for r in VerificationRun.objects.all()}
    assert set(runs) == {"page", "command", "schedule"}
    assert runs["schedule"].changed_since is not None
    rows = _page_rows(client.get(reverse("verification_runs")).text)
    assert set(rows) == {r.pk for r in runs.values()}
    assert rows[runs["page"].pk]["origin"] == "Trang web"
    assert rows[runs["command"].pk]["origin"] == "Dòng lệnh"
    assert rows[runs["schedule"].pk]["origin"] == "Theo lịch"
    api = _api_runs(client, users["province"])
    assert {api[r.pk]["origin"] for r in runs.values()} == {"page", "command", "schedule"}


@pytest.mark.django_db
def test_a_failed_command_run_is_listed_with_its_message(client, people, users, settings, tmp_path):
    settings.CHITRA_REGISTER_STORE = tmp_path / "missing.duckdb"
    settings.CHITRA_REGISTER_CONNECTOR = "file"
    with pytest.raises(CommandError):
        call_command("verify")
    run = VerificationRun.objects.get()
    assert run.status == "failed"
    client.force_login(users["police_b"])
    row = _page_rows(client.get(reverse("verification_runs")).text)[run.pk]
    assert row["status"] == "Thất bại" and row["total"] == "0"


@pytest.mark.django_db
def test_a_province_user_cannot_start_a_run_of_another_province(register, people, users):
    from chitra.core.errors import ChitraError

    with pytest.raises(ChitraError):
        verification_run(actor=users["province"], province_code="01")
    assert not VerificationRun.objects.exists()


@pytest.mark.django_db
def test_runs_made_before_areas_existed_are_given_theirs(register, people, users, capsys):
    """The migration's backfill: areas and counts from the results, coverage from the
    starter's area."""
    import importlib

    from django.apps import apps

    from chitra.verification.models import VerificationRunArea

    call_command("verify")
    run_sys = VerificationRun.objects.get()
    office_run = verification_run(actor=users["office_a"])
    VerificationRunArea.objects.all().delete()
    VerificationRun.objects.update(province_code="")
    mod = importlib.import_module("chitra.verification.migrations.0003_i12_runs_run_areas")
    mod.backfill(apps, None)
    assert VerificationRunArea.objects.filter(run=run_sys).count() > 3000  # every commune
    assert VerificationRunArea.objects.filter(run=office_run).count() == 1
    office_run.refresh_from_db()
    assert office_run.province_code == "08" and office_run.commune_scoped
    assert _counts(run_sys) == ALL_COUNTS and _counts(office_run) == A_COUNTS


def _counts(run):
    from django.db.models import Sum

    from chitra.verification.models import VerificationRunArea

    agg = VerificationRunArea.objects.filter(run=run).aggregate(**{k: Sum(k) for k in ALL_COUNTS})
    return {k: int(v or 0) for k, v in agg.items()}
