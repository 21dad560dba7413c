"""Who may use the personal-data pages, for every organisation kind and role. Written out
here, not derived from CAPABILITIES, so that a change of rule fails a test."""

from __future__ import annotations

import pytest
from django.utils import timezone

from chitra.iam.models import OrgKind, Role
from chitra.privacy.services import breach_create, correction_create, request_create

K, R = OrgKind, Role
pytestmark = pytest.mark.django_db

# kind, role, requests (find, subject, export, request), decide corrections, breaches+retention
CASES = [
    (K.BHXH_PROVINCE, R.VIEWER, False, False, False),
    (K.BHXH_PROVINCE, R.OFFICER, True, False, False),
    (K.BHXH_PROVINCE, R.APPROVER, True, True, False),
    (K.BHXH_PROVINCE, R.ADMIN, True, True, True),
    (K.BHXH_OFFICE, R.OFFICER, True, False, False),
    (K.BHXH_OFFICE, R.APPROVER, True, True, False),
    (K.BHXH_OFFICE, R.ADMIN, True, True, False),
    (K.POLICE_PROVINCE, R.ADMIN, False, False, False),
    (K.POLICE_COMMUNE, R.OFFICER, False, False, False),
    (K.COMMUNE_COMMITTEE, R.ADMIN, False, False, False),
    (K.BANK, R.ADMIN, False, False, False),
    (K.POST, R.OFFICER, False, False, False),
    (K.MOBILE_MONEY, R.ADMIN, False, False, False),
    (K.EWALLET, R.ADMIN, False, False, False),
    (K.STATE_BANK, R.ADMIN, False, False, False),
    (K.LEADERSHIP, R.ADMIN, False, False, False),
]


@pytest.fixture
def objects(person, make_user):
    admin = make_user(K.BHXH_PROVINCE, R.ADMIN)
    today = timezone.localdate()
    req = request_create(
        actor=person.officer,
        beneficiary=person.ben,
        kind="access",
        received_on=today,
        channel="phone",
    )
    corr = correction_create(
        actor=person.officer,
        beneficiary=person.ben,
        changes={"address": "Thôn Mới"},
        evidence="CCCD",
    )
    breach = breach_create(
        actor=admin,
        detected_at=timezone.now(),
        reported_by="x",
        description="Thư điện tử gửi nhầm địa chỉ",
        data_categories=["identity"],
    )
    return {"ben": person.ben, "req": req, "corr": corr, "breach": breach}


@pytest.mark.parametrize(
    ("kind", "role", "requests", "decide", "admin"), CASES, ids=[f"{k}-{r}" for k, r, *_ in CASES]
)
def test_pages(client, make_user, objects, tq_communes, kind, role, requests, decide, admin):
    # commune-level bodies and offices get the person's commune: area alone never opens a page
    user = make_user(
        kind,
        role,
        communes=[tq_communes[0]]
        if kind in (K.BHXH_OFFICE, K.POLICE_COMMUNE, K.COMMUNE_COMMITTEE)
        else None,
    )
    client.force_login(user)
    b, req, corr, breach = objects["ben"], objects["req"], objects["corr"], objects["breach"]

    def code(url: str, method: str = "get", **data) -> int:
        return getattr(client, method)(url, data).status_code

    menu = 'data-testid="menu-privacy"' in client.get("/").content.decode()
    assert menu == (requests or admin)
    assert code("/privacy/") == (200 if requests or admin else 403)
    ok = 200 if requests else 403
    assert code(f"/privacy/subjects/{b.pk}/") == ok
    assert code(f"/privacy/subjects/{b.pk}/export.pdf") == ok
    assert code(f"/privacy/requests/{req.pk}/") == ok
    assert code("/privacy/corrections/") == ok
    assert code("/privacy/find/", q=b.personal_id) == (302 if requests else 403)
    r = client.post(
        f"/privacy/corrections/{corr.pk}/decide/", {"decision": "reject", "note": "không"}
    )
    assert r.status_code == (302 if decide else 403)
    corr.refresh_from_db()
    assert corr.status == ("rejected" if decide else "submitted")
    ok = 200 if admin else 403
    assert code("/privacy/breaches/") == ok
    assert code("/privacy/breaches/new/") == ok
    assert code(f"/privacy/breaches/{breach.pk}/") == ok
    assert code("/privacy/retention/") == ok
    if requests:  # personal-data pages are never cached
        assert "no-store" in client.get(f"/privacy/subjects/{b.pk}/")["Cache-Control"]


def test_anonymous_is_sent_to_login(client, objects):
    for url in (
        "/privacy/",
        f"/privacy/subjects/{objects['ben'].pk}/",
        "/privacy/breaches/",
        "/privacy/retention/",
        f"/privacy/subjects/{objects['ben'].pk}/export.xlsx",
    ):
        r = client.get(url)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"], url


def test_an_office_outside_the_person_area_gets_404(client, make_user, objects, tq_communes):
    user = make_user(K.BHXH_OFFICE, R.APPROVER, communes=[tq_communes[1]])
    client.force_login(user)
    b = objects["ben"]
    assert client.get(f"/privacy/subjects/{b.pk}/").status_code == 404
    assert client.get(f"/privacy/subjects/{b.pk}/export.pdf").status_code == 404
    assert client.get(f"/privacy/requests/{objects['req'].pk}/").status_code == 404
    r = client.get("/privacy/find/", {"q": b.personal_id})
    assert r.status_code == 302 and r["Location"] == "/privacy/"
    assert (
        client.post(
            f"/privacy/corrections/{objects['corr'].pk}/decide/", {"decision": "approve"}
        ).status_code
        == 404
    )


def test_a_breach_of_another_province_is_404(client, make_user, objects):
    from chitra.geo.models import Province

    user = make_user(K.BHXH_PROVINCE, R.ADMIN, province=Province.objects.get(code="01"))
    client.force_login(user)
    assert client.get(f"/privacy/breaches/{objects['breach'].pk}/").status_code == 404
    assert objects["breach"].description not in client.get("/privacy/breaches/").content.decode()
