from __future__ import annotations

import pytest

from chitra.core.models import AuditEvent
from chitra.outreach.models import Assignment, Contact
from tests.auth import api_headers

BASE = "/api/v1/outreach"


def _auth(user) -> dict:
    return api_headers(user)


@pytest.mark.django_db
def test_campaigns_and_assignments_are_scoped(
    client, campaign, people, bhxh_officer, police_a, bank_officer
):
    r = client.get(f"{BASE}/campaigns/", **_auth(bhxh_officer))
    assert r.status_code == 200 and [c["name"] for c in r.json()["results"]] == [campaign.name]
    r = client.get(f"{BASE}/assignments/", {"campaign": campaign.pk}, **_auth(police_a))
    names = {row["full_name"] for row in r.json()["results"]}
    assert people["cash"].full_name in names and people["other"].full_name not in names
    other = Assignment.objects.get(campaign=campaign, beneficiary=people["other"])
    assert client.get(f"{BASE}/assignments/{other.pk}/", **_auth(police_a)).status_code == 404
    bank = _auth(bank_officer)
    assert client.get(f"{BASE}/campaigns/", **bank).status_code == 403
    assert client.get(f"{BASE}/assignments/", **bank).status_code == 403
    assert client.get(f"{BASE}/campaigns/").status_code == 401


@pytest.mark.django_db
def test_record_a_contact_through_the_api(client, campaign, people, police_a, police_b):
    a = Assignment.objects.get(campaign=campaign, beneficiary=people["cash"])
    url = f"{BASE}/assignments/{a.pk}/contact/"
    r = client.post(
        url,
        {
            "outcome": "needs_account",
            "provider_code": "970405",
            "follow_up_date": "2099-01-01",
            "channel": "phone",
        },
        content_type="application/json",
        **_auth(police_a),
    )
    assert r.status_code == 201, r.content
    assert r.json()["provider_code"] == "970405"
    r = client.post(
        url, {"outcome": "declined"}, content_type="application/json", **_auth(police_a)
    )
    assert r.status_code == 400 and "detail" in r.json()
    r = client.post(
        url, {"outcome": "unreachable"}, content_type="application/json", **_auth(police_b)
    )
    assert r.status_code == 404
    assert Contact.objects.count() == 1
    assert AuditEvent.objects.filter(action="outreach.contact.record").count() == 1


@pytest.mark.django_db
def test_schema_still_builds(client, bhxh_officer):
    client.force_login(bhxh_officer)
    r = client.get("/api/schema/")
    assert r.status_code == 200 and b"/api/v1/outreach/assignments/" in r.content
