from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from chitra.core.models import AuditEvent
from chitra.grievances.models import Status, Ticket
from chitra.grievances.services import ticket_create
from chitra.iam.models import OrgKind, Role
from tests.auth import api_headers

BASE = "/api/v1/grievances/tickets"
pytestmark = [pytest.mark.usefixtures("english")]


def _auth(user) -> dict:
    return api_headers(user)


def _post(client, url, data, user):
    return client.post(url, data, content_type="application/json", **_auth(user))


@pytest.mark.django_db
def test_create_through_the_api(client, world, agri_user, bhxh_user, make_user):
    line = world.lines["agri_a"]
    r = _post(
        client,
        f"{BASE}/",
        {
            "category": "account_problem",
            "description": "Khách hàng báo thẻ bị khóa",
            "payment_reference": line.reference,
        },
        agri_user,
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["routed_to_code"] == world.agribank.code and body["source"] == "api"
    assert body["channel"] == "api" and body["payment_reference"] == line.reference
    pid = world.people["agri_a"].personal_id
    assert body["beneficiary_personal_id"] == "*" * 8 + pid[-4:]
    assert body["number"].startswith("KN-") and body["overdue"] is False
    r = _post(
        client,
        f"{BASE}/",
        {
            "category": "data_error",
            "description": "Sai tên",
            "personal_id": world.people["plain_b"].personal_id,
            "source": "beneficiary",
            "channel": "hotline",
        },
        bhxh_user,
    )
    assert r.status_code == 201 and r.json()["commune_code"] == world.b.code
    r = _post(
        client,
        f"{BASE}/",
        {
            "category": "scam_attempt",
            "description": "Cuộc gọi lạ",
            "commune_code": world.a.code,
            "account_involved": True,
        },
        bhxh_user,
    )
    assert r.status_code == 201
    assert r.json()["routed_to_code"] == "t-ca" and r.json()["copy_to_code"] == "t-nhnn"
    # errors: 400 naming the field; refused capability: 403; anonymous: 401
    r = _post(
        client,
        f"{BASE}/",
        {
            "category": "account_problem",
            "description": "x",
            "payment_reference": world.lines["vcb_b"].reference,
        },
        agri_user,
    )
    assert r.status_code == 400 and "payment_reference" in r.json()
    r = _post(client, f"{BASE}/", {"category": "scam_attempt", "description": "x"}, bhxh_user)
    assert r.status_code == 400 and "xã/phường" in r.json()["detail"]  # in Vietnamese
    r = _post(client, f"{BASE}/", {"category": "nope", "description": "x"}, bhxh_user)
    assert r.status_code == 400 and "category" in r.json()
    viewer = make_user(OrgKind.BHXH_PROVINCE, Role.VIEWER)
    assert (
        _post(
            client,
            f"{BASE}/",
            {"category": "data_error", "description": "x", "commune_code": world.a.code},
            viewer,
        ).status_code
        == 403
    )
    assert client.post(f"{BASE}/", {}, content_type="application/json").status_code == 401
    assert Ticket.objects.count() == 3


@pytest.mark.django_db
def test_list_and_retrieve_are_scoped(client, world, bhxh_user, agri_user, vcb_user, police_b):
    mine = ticket_create(
        actor=bhxh_user,
        category="wrong_amount",
        description="Thiếu tiền",
        payroll_line=world.lines["agri_a"],
    )
    other = ticket_create(
        actor=bhxh_user,
        category="data_error",
        description="Sai ngày sinh",
        beneficiary=world.people["plain_b"],
    )
    r = client.get(f"{BASE}/", **_auth(bhxh_user))
    assert r.status_code == 200
    assert {t["number"] for t in r.json()["results"]} == {mine.number, other.number}
    assert [t["number"] for t in client.get(f"{BASE}/", **_auth(agri_user)).json()["results"]] == [
        mine.number
    ]
    assert client.get(f"{BASE}/", **_auth(vcb_user)).json()["results"] == []
    assert [
        t["number"]
        for t in client.get(f"{BASE}/", {"category": "data_error"}, **_auth(police_b)).json()[
            "results"
        ]
    ] == [other.number]
    assert client.get(f"{BASE}/{mine.pk}/", **_auth(vcb_user)).status_code == 404
    assert client.get(f"{BASE}/{other.pk}/", **_auth(agri_user)).status_code == 404
    r = client.get(f"{BASE}/{mine.pk}/", **_auth(agri_user))
    assert r.status_code == 200 and [e["kind"] for e in r.json()["events"]] == ["created"]
    assert AuditEvent.objects.filter(action="grievances.ticket.view", actor=agri_user).count() == 1


@pytest.mark.django_db
def test_work_a_ticket_through_the_api(client, world, bhxh_user, agri_user, office_user, police_a):
    t = ticket_create(
        actor=bhxh_user,
        category="account_problem",
        description="Thẻ bị khóa",
        payroll_line=world.lines["agri_a"],
    )
    url = f"{BASE}/{t.pk}"
    r = _post(client, f"{url}/comment/", {"note": "Đã mở khóa thẻ"}, agri_user)
    assert r.status_code == 201 and r.json()["kind"] == "comment"
    r = _post(client, f"{url}/resolve/", {"resolution_code": "other", "resolution": "x"}, police_a)
    assert r.status_code == 403
    r = _post(client, f"{url}/status/", {"status": "waiting_info"}, agri_user)
    assert r.status_code == 400 and "detail" in r.json()
    r = _post(client, f"{url}/status/", {"status": "in_progress"}, agri_user)
    assert r.status_code == 200 and r.json()["status"] == "in_progress"
    r = _post(
        client,
        f"{url}/resolve/",
        {"resolution_code": "corrected", "resolution": "Đã mở khóa, khách rút được tiền"},
        agri_user,
    )
    assert r.status_code == 200 and r.json()["status"] == Status.RESOLVED
    assert r.json()["resolved_at"]
    r = _post(client, f"{url}/resolve/", {"resolution_code": "other", "resolution": "y"}, agri_user)
    assert r.status_code == 400
    r = _post(client, f"{url}/reopen/", {"note": "Lại bị khóa"}, agri_user)
    assert r.status_code == 200 and r.json()["status"] == "open"
    r = _post(client, f"{url}/route/", {"organisation_code": "nope", "note": "x"}, agri_user)
    assert r.status_code == 400 and "organisation_code" in r.json()
    r = _post(
        client,
        f"{url}/route/",
        {"organisation_code": world.office.code, "note": "Sai tên trong hồ sơ"},
        agri_user,
    )
    assert r.status_code == 200 and r.json()["routed_to_code"] == world.office.code
    r = _post(client, f"{url}/resolve/", {"resolution_code": "other", "resolution": "x"}, agri_user)
    assert r.status_code == 403  # no longer the holder
    r = client.get(f"{url}/", **_auth(office_user))
    assert [e["kind"] for e in r.json()["events"]] == [
        "created",
        "comment",
        "status",
        "resolved",
        "reopened",
        "routed",
    ]


@pytest.mark.django_db
def test_schema_builds():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    assert "/api/v1/grievances/tickets/{id}/resolve/" in paths
    assert "post" in paths["/api/v1/grievances/tickets/"]
    assert "/api/v1/reports/indicators/" in paths
    assert "/api/v1/payments/batches/{id}/status/" in paths
