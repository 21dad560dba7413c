"""The audit trail is scoped by province (issue 11 item 3): each event carries the province it
concerns, and a provincial admin reads only its own province's events, the system actor's
included only when they concern that province."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from chitra.core.audit import AuditRow, audit_bulk, audit_record
from chitra.core.models import AuditEvent
from chitra.geo.models import Commune, Province
from chitra.iam.models import OrgKind, Role
from chitra.iam.selectors import audit_search
from tests.factories import BeneficiaryFactory


@pytest.fixture
def other(db) -> Province:
    """A second province (Hà Nội, 01) with its communes."""
    return Province.objects.get(code="01")


@pytest.fixture
def ben_tq(tq):
    return BeneficiaryFactory(
        full_name="Người Tuyên Quang", commune=Commune.objects.filter(province=tq).first()
    )


@pytest.fixture
def ben_hn(other):
    return BeneficiaryFactory(
        full_name="Người Hà Nội", commune=Commune.objects.filter(province=other).first()
    )


def _province(event: AuditEvent) -> str | None:
    event.refresh_from_db()
    return event.province.code if event.province_id else None


# --- which province an event concerns ------------------------------------------------------


@pytest.mark.django_db
def test_an_area_users_event_is_of_its_area_province(make_user, other, ben_tq):
    hn_officer = make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER, province=other)
    assert _province(audit_record(hn_officer, "t.x", object_type="x", object_id=1)) == "01"
    # the actor's area wins even over the object and a named province
    assert _province(audit_record(hn_officer, "t.x", obj=ben_tq, province="08")) == "01"


@pytest.mark.django_db
def test_a_system_event_is_of_its_objects_province(system, tq, other, ben_tq, ben_hn):
    from chitra.iam.services import organisation_upsert

    assert _province(audit_record(system, "t.x", obj=ben_tq)) == "08"
    assert _province(audit_record(system, "t.x", obj=ben_hn)) == "01"
    # a model with a province of its own, and a commune
    org = organisation_upsert(
        actor=system, code="hn-org", kind=OrgKind.BHXH_PROVINCE, name="BHXH Hà Nội", province=other
    )
    assert _province(audit_record(system, "t.x", obj=org)) == "01"
    assert _province(audit_record(system, "t.x", obj=ben_hn.commune)) == "01"
    # named by object type and id only (no object at hand)
    assert (
        _province(
            audit_record(system, "t.x", object_type="registry.beneficiary", object_id=ben_hn.pk)
        )
        == "01"
    )
    # named by the service: a Province, its id or its code
    assert _province(audit_record(system, "t.x", object_type="x", province=other)) == "01"
    assert _province(audit_record(system, "t.x", object_type="x", province=tq.pk)) == "08"
    assert _province(audit_record(system, "t.x", object_type="x", province="01")) == "01"
    # about no province: national only
    assert (
        _province(audit_record(system, "payment.keys.rotate", object_type="payment.keys")) is None
    )


@pytest.mark.django_db
def test_audit_bulk_gives_each_row_its_province(system, make_user, other, ben_tq, ben_hn):
    rows = [
        AuditRow("registry.beneficiary", ben_tq.pk, "a", None, {}),
        AuditRow("registry.beneficiary", ben_hn.pk, "b", None, {}),
        AuditRow("x.none", 1, "c", None, {}),
        AuditRow("x.none", 2, "d", None, {}, province="01"),
    ]
    audit_bulk(system, "t.bulk", rows, batch_size=3)  # a batch boundary in the middle
    got = dict(
        AuditEvent.objects.filter(action="t.bulk").values_list("object_repr", "province__code")
    )
    assert got == {"a": "08", "b": "01", "c": None, "d": "01"}
    # one province for the whole call (a cycle's, an import's)
    audit_bulk(system, "t.call", rows[:3], province="01")
    assert set(
        AuditEvent.objects.filter(action="t.call").values_list("province__code", flat=True)
    ) == {"01"}
    # an area user: its own province, whatever the rows say
    officer = make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER)
    audit_bulk(officer, "t.area", rows)
    assert set(
        AuditEvent.objects.filter(action="t.area").values_list("province__code", flat=True)
    ) == {"08"}


# --- who reads what ------------------------------------------------------------------------


@pytest.fixture
def two_provinces(make_user, system, tq, other, ben_tq, ben_hn):
    """Events of two provinces' staff, of the system actor about each province, and one about
    no province."""
    tq_officer = make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER)
    tq_police = make_user(OrgKind.POLICE_PROVINCE, Role.OFFICER)
    hn_officer = make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER, province=other)
    audit_record(tq_officer, "t.staff", object_type="x", object_id=1, object_repr="tq-staff")
    audit_record(tq_police, "t.staff", object_type="x", object_id=2, object_repr="tq-police")
    audit_record(hn_officer, "t.staff", object_type="x", object_id=3, object_repr="hn-staff")
    audit_record(system, "t.system", obj=ben_tq, object_repr="tq-system")
    audit_record(system, "t.system", obj=ben_hn, object_repr="hn-system")
    audit_record(system, "payment.keys.rotate", object_type="payment.keys", object_repr="national")
    return {"tq_police": tq_police}


def _seen(actor, **filters) -> set[str]:
    return set(
        audit_search(actor, action="t.", **filters).values_list("object_repr", flat=True)
    ) | set(
        audit_search(actor, action="payment.keys", **filters).values_list("object_repr", flat=True)
    )


@pytest.mark.django_db
def test_a_provincial_admin_sees_its_province_only_system_events_included(
    two_provinces, make_user, other
):
    tq_admin = make_user(OrgKind.BHXH_PROVINCE, Role.ADMIN)
    assert _seen(tq_admin) == {"tq-staff", "tq-police", "tq-system"}
    hn_admin = make_user(OrgKind.BHXH_PROVINCE, Role.ADMIN, province=other)
    assert _seen(hn_admin) == {"hn-staff", "hn-system"}


@pytest.mark.django_db
def test_another_agency_sees_its_own_staff_in_its_province(two_provinces, tq):
    from chitra.iam.services import user_upsert

    police = two_provinces["tq_police"]
    police_admin = user_upsert(
        actor=police.__class__.objects.get(username="system"),
        username="police-admin",
        organisation=police.organisation,
        role=Role.ADMIN,
    )
    assert _seen(police_admin) == {"tq-police"}


@pytest.mark.django_db
def test_national_users_see_everything_and_filters_only_narrow(two_provinces, system, make_user):
    assert _seen(system) == {
        "tq-staff",
        "tq-police",
        "tq-system",
        "hn-staff",
        "hn-system",
        "national",
    }
    assert _seen(system, province="01") == {"hn-staff", "hn-system"}
    tq_admin = make_user(OrgKind.BHXH_PROVINCE, Role.ADMIN)
    assert _seen(tq_admin, province="01") == set()  # a filter never widens the scope
    assert _seen(tq_admin, username="system") == {"tq-system"}
    officer = make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER)
    assert _seen(officer) == set()  # no AUDIT_VIEW


# --- the page and its export ---------------------------------------------------------------


@pytest.mark.django_db
def test_audit_page_shows_the_province_and_stays_scoped(client, two_provinces, make_user):
    tq_admin = make_user(OrgKind.BHXH_PROVINCE, Role.ADMIN)
    client.force_login(tq_admin)
    r = client.get(reverse("audit_list"))
    assert r.status_code == 200
    assert "tq-system" in r.text and "Tuyên Quang" in r.text
    assert "hn-system" not in r.text and "hn-staff" not in r.text and "national" not in r.text
    # filtering by another province or by the system actor does not widen it
    r = client.get(reverse("audit_list"), {"province": "01"})
    assert "hn-system" not in r.text and "hn-staff" not in r.text
    r = client.get(reverse("audit_list"), {"username": "system"})
    assert "tq-system" in r.text and "hn-system" not in r.text


@pytest.mark.django_db
def test_audit_export_stays_scoped_and_names_the_province(client, two_provinces, make_user, system):
    tq_admin = make_user(OrgKind.BHXH_PROVINCE, Role.ADMIN)
    client.force_login(tq_admin)
    for params in (
        {"format": "xlsx"},
        {"format": "xlsx", "province": "01"},
        {"format": "xlsx", "username": "system"},
    ):
        r = client.get(reverse("audit_list"), params)
        rows = [
            [c.value for c in row]
            for row in openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows()
        ]
        values = {v for row in rows for v in row}
        assert "hn-system" not in values and "hn-staff" not in values
        assert "national" not in values
        if "province" not in params:
            assert "tq-system" in values
            assert any("tq-system" in row and "Tuyên Quang" in row for row in rows)
    # the export itself is an event of the admin's province
    ev = AuditEvent.objects.filter(action="export.audit", actor=tq_admin).first()
    assert ev is not None and ev.province.code == "08"
    # a national user's export holds both provinces and the national event
    client.force_login(system)
    r = client.get(reverse("audit_list"), {"format": "xlsx"})
    values = {
        c.value
        for row in openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows()
        for c in row
    }
    assert {"tq-system", "hn-system", "national"} <= values


# --- the commands that run as the system actor ---------------------------------------------

#: events that concern no province (a national register load, a run over every province)
NATIONAL_ACTIONS = {"register.load", "verification.run.start", "verification.run.finish"}


@pytest.mark.django_db
def test_the_demo_run_by_the_system_actor_writes_every_event_with_its_province(tmp_path, settings):
    settings.CHITRA_REGISTER_STORE = tmp_path / "register.duckdb"
    settings.CHITRA_PAYMENT_FILES_DIR = tmp_path / "payments"
    settings.CHITRA_REPORTS_DIR = tmp_path / "reports"
    extract = tmp_path / "register.parquet"
    call_command(
        "demo_data",
        "--province",
        "08",
        "--beneficiaries",
        "300",
        "--seed",
        "3",
        "--register-out",
        str(extract),
    )
    call_command("register_load", str(extract))
    call_command("verify", "--province", "08")
    call_command("verify")
    call_command("demo_cycle")
    call_command("demo_reports")
    call_command("kpi_refresh", "--province", "08")
    events = AuditEvent.objects.all()
    assert events.filter(actor_username="system").count() > 100
    missing = set(events.filter(province__isnull=True).values_list("action", flat=True))
    assert missing <= NATIONAL_ACTIONS, missing - NATIONAL_ACTIONS
    # a run limited to the province is the province's
    assert events.filter(action="verification.run.start", province__code="08").exists()
