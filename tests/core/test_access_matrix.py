"""Role x area x page/endpoint: who sees what. The expectations are written out here, not
derived from the code's own table, so that a change of rule fails a test."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chitra.geo.models import Commune
from chitra.iam.models import OrgKind, Role
from tests.auth import api_headers
from tests.factories import BeneficiaryFactory

K = OrgKind
R = Role


@pytest.fixture
def world(db, tq_communes):
    a, b = tq_communes[0], tq_communes[1]
    hanoi = Commune.objects.filter(province__code="01").order_by("code").first()
    return {
        "A": BeneficiaryFactory(commune=a, full_name="Nguyễn Văn Á"),
        "B": BeneficiaryFactory(commune=b, full_name="Trần Thị Bê"),
        "HN": BeneficiaryFactory(commune=hanoi, full_name="Lê Văn Hà"),
        "commune_a": a,
    }


# (kind, role, commune-scoped) -> which beneficiaries are visible; can import; can audit
CASES = [
    (K.BHXH_PROVINCE, R.VIEWER, False, {"A", "B"}, False, False),
    (K.BHXH_PROVINCE, R.OFFICER, False, {"A", "B"}, True, False),
    (K.BHXH_PROVINCE, R.APPROVER, False, {"A", "B"}, True, False),
    (K.BHXH_PROVINCE, R.ADMIN, False, {"A", "B"}, True, True),
    (K.BHXH_OFFICE, R.OFFICER, True, {"A"}, True, False),
    (K.BHXH_OFFICE, R.VIEWER, True, {"A"}, False, False),
    (K.POLICE_PROVINCE, R.OFFICER, False, {"A", "B"}, False, False),
    (K.POLICE_PROVINCE, R.ADMIN, False, {"A", "B"}, False, True),
    (K.POLICE_COMMUNE, R.OFFICER, True, {"A"}, False, False),
    (K.COMMUNE_COMMITTEE, R.OFFICER, True, {"A"}, False, False),
    (K.COMMUNE_COMMITTEE, R.ADMIN, True, {"A"}, False, False),
    (K.BANK, R.OFFICER, False, set(), False, False),
    (K.POST, R.OFFICER, False, set(), False, False),
    (K.MOBILE_MONEY, R.ADMIN, False, set(), False, False),
    (K.EWALLET, R.OFFICER, False, set(), False, False),
    (K.STATE_BANK, R.VIEWER, False, set(), False, False),
    (K.STATE_BANK, R.ADMIN, False, set(), False, True),
    (K.LEADERSHIP, R.VIEWER, False, set(), False, False),
]
IDS = [f"{k}-{r}" for k, r, *_ in CASES]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "role", "commune_scoped", "visible", "can_import", "can_audit"), CASES, ids=IDS
)
def test_pages(
    client, make_user, world, kind, role, commune_scoped, visible, can_import, can_audit
):
    user = make_user(kind, role, communes=[world["commune_a"]] if commune_scoped else None)
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200

    r = client.get(reverse("beneficiary_list"))
    if visible or kind in (K.BANK, K.POST, K.MOBILE_MONEY, K.EWALLET):
        assert r.status_code == 200
        shown = {key for key in ("A", "B", "HN") if world[key].full_name in r.text}
        assert shown == visible
    else:
        assert r.status_code == 403
    for key in ("A", "B", "HN"):
        r = client.get(reverse("beneficiary_detail", args=[world[key].pk]))
        if key in visible:
            assert r.status_code == 200
        else:
            assert r.status_code in (403, 404), key
            assert world[key].full_name not in r.text

    assert client.get(reverse("beneficiary_import")).status_code == (200 if can_import else 403)
    assert client.get(reverse("audit_list")).status_code == (200 if can_audit else 403)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "role", "commune_scoped", "visible", "can_import", "can_audit"), CASES, ids=IDS
)
def test_api(client, make_user, world, kind, role, commune_scoped, visible, can_import, can_audit):
    user = make_user(kind, role, communes=[world["commune_a"]] if commune_scoped else None)
    auth = api_headers(user)
    r = client.get("/api/v1/beneficiaries/", **auth)
    can_view = bool(visible) or kind in (K.BANK, K.POST, K.MOBILE_MONEY, K.EWALLET)
    assert r.status_code == (200 if can_view else 403)
    if can_view:
        names = {row["full_name"] for row in r.json()["results"]}
        assert names == {world[k].full_name for k in visible}
    for key in ("A", "B", "HN"):
        r = client.get(f"/api/v1/beneficiaries/{world[key].pk}/", **auth)
        assert r.status_code == (200 if key in visible else (404 if can_view else 403))


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_and_api_refuses(client, world):
    for name in ("home", "beneficiary_list", "beneficiary_import", "audit_list"):
        r = client.get(reverse(name))
        assert r.status_code == 302 and reverse("login") in r["Location"]
    assert client.get("/api/v1/beneficiaries/").status_code == 401
    assert client.get(f"/api/v1/beneficiaries/{world['A'].pk}/").status_code == 401


@pytest.mark.django_db
def test_inactive_organisation_loses_access(client, make_user, world):
    user = make_user(K.BHXH_PROVINCE, R.ADMIN)
    user.organisation.is_active = False
    user.organisation.save()
    client.force_login(user)
    assert client.get(reverse("beneficiary_list")).status_code == 403
