import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from chitra.core.audit import audit_record
from chitra.core.models import AuditEvent
from tests.factories import BeneficiaryFactory


@pytest.mark.django_db
def test_audit_event_records_actor_organisation_and_change(bhxh_officer):
    ev = audit_record(
        bhxh_officer,
        "test.change",
        object_type="x.y",
        object_id=7,
        object_repr="thing",
        before={"a": 1},
        after={"a": 2},
        reason="why",
    )
    ev.refresh_from_db()
    assert ev.actor == bhxh_officer
    assert ev.actor_username == bhxh_officer.username
    assert ev.organisation_id == bhxh_officer.organisation_id
    assert ev.organisation_name == bhxh_officer.organisation.name
    assert (ev.before, ev.after, ev.reason, ev.object_id) == ({"a": 1}, {"a": 2}, "why", "7")


@pytest.mark.django_db
def test_audit_trail_refuses_update_and_delete(bhxh_officer):
    ev = audit_record(bhxh_officer, "test.change", object_type="x", object_id=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=ev.pk).update(action="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=ev.pk).delete()
    ev.refresh_from_db()
    assert ev.action == "test.change"


@pytest.mark.django_db
def test_opening_a_record_is_audited_with_ip_and_request_id(client, bhxh_officer):
    b = BeneficiaryFactory()
    client.force_login(bhxh_officer)
    r = client.get(
        reverse("beneficiary_detail", args=[b.pk]),
        REMOTE_ADDR="10.1.2.3",
        HTTP_X_REQUEST_ID="req-123",
    )
    assert r.status_code == 200
    ev = AuditEvent.objects.get(action="registry.beneficiary.view")
    assert ev.object_id == str(b.pk) and ev.actor == bhxh_officer
    assert ev.ip_address == "10.1.2.3" and ev.request_id == "req-123"


@pytest.mark.django_db
def test_audit_page_searches_by_action_and_user(client, bhxh_admin, bhxh_officer):
    audit_record(
        bhxh_officer,
        "registry.something",
        object_type="x",
        object_id=1,
        object_repr="Nguyễn Văn Tìm",
    )
    audit_record(bhxh_officer, "other.thing", object_type="x", object_id=2, object_repr="Khác")
    client.force_login(bhxh_admin)
    r = client.get(reverse("audit_list"), {"action": "registry."})
    assert "Nguyễn Văn Tìm" in r.text and "Khác" not in r.text
    r = client.get(reverse("audit_list"), {"username": "nobody"})
    assert "Nguyễn Văn Tìm" not in r.text


@pytest.mark.django_db
def test_audit_search_downloads_as_xlsx_and_the_export_is_audited(client, bhxh_admin, bhxh_officer):
    import io

    import openpyxl

    audit_record(
        bhxh_officer,
        "registry.something",
        object_type="x",
        object_id=1,
        object_repr="Nguyễn Văn Tìm",
    )
    client.force_login(bhxh_admin)
    r = client.get(reverse("audit_list"), {"action": "registry.", "format": "xlsx"})
    values = [
        c.value
        for row in openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows()
        for c in row
    ]
    assert "Nguyễn Văn Tìm" in values
    assert AuditEvent.objects.filter(action="export.audit", actor=bhxh_admin).exists()
