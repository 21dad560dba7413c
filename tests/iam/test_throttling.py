"""API throttling: per user, per token, and a stricter rate on every lookup of a person by ID.
The suite runs with very high rates (CHITRA_TESTING); these tests set low ones."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from chitra.iam.models import OrgKind, Role
from tests.auth import api_headers
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db
HIGH = "100000/minute"


@pytest.fixture
def rates(settings):
    cache.clear()

    def set_rates(user=HIGH, token=HIGH, person_lookup=HIGH):
        settings.CHITRA_THROTTLE_RATES = {
            "user": user,
            "token": token,
            "person_lookup": person_lookup,
        }

    yield set_rates
    cache.clear()


def test_rates_of_the_suite_are_high():
    """(production defaults: tests/core/test_web_security.py, in a production process)"""
    from django.conf import settings

    assert set(settings.CHITRA_THROTTLE_RATES.values()) == {HIGH}


def test_per_user_whatever_the_way_in(rates, make_user, client):
    rates(user="4/minute")
    user = make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER)
    client.force_login(user)
    for _i in range(2):
        assert client.get("/api/v1/reports/targets/").status_code == 200
    token = Client()
    for _i in range(2):
        assert token.get("/api/v1/reports/targets/", **api_headers(user)).status_code == 200
    r = token.get("/api/v1/reports/targets/", **api_headers(user))
    assert r.status_code == 429 and "Retry-After" in r
    assert client.get("/api/v1/reports/targets/").status_code == 429
    # another user is not held
    other = make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER)
    assert Client().get("/api/v1/reports/targets/", **api_headers(other)).status_code == 200


def test_per_token(rates, make_user):
    rates(token="2/minute")
    user = make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER)
    first, second = api_headers(user, ["reports"]), api_headers(user, ["reports"])
    c = Client()
    assert [c.get("/api/v1/reports/targets/", **first).status_code for _i in range(3)] == [
        200,
        200,
        429,
    ]
    assert c.get("/api/v1/reports/targets/", **second).status_code == 200


def test_stricter_rate_on_person_lookups(rates, make_user, tq_communes):
    rates(person_lookup="3/minute")
    user = make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER)
    b = BeneficiaryFactory(commune=tq_communes[0])
    h = api_headers(user)
    c = Client()
    # lookups by ID (or by name): list with q, one record, a change request
    assert c.get(f"/api/v1/beneficiaries/?q={b.personal_id}", **h).status_code == 200
    assert c.get(f"/api/v1/beneficiaries/{b.pk}/", **h).status_code == 200
    assert (
        c.post(
            "/api/v1/payments/change-requests/",
            {"personal_id": "1"},
            content_type="application/json",
            **h,
        ).status_code
        != 429
    )
    # the fourth lookup, whichever endpoint, is refused
    assert (
        c.post(
            "/api/v1/payments/account-confirmations/",
            {"rows": []},
            content_type="application/json",
            **h,
        ).status_code
        == 429
    )
    assert (
        c.post(
            "/api/v1/grievances/tickets/",
            {"category": "payment_missing", "description": "x", "personal_id": b.personal_id},
            content_type="application/json",
            **h,
        ).status_code
        == 429
    )
    assert c.get(f"/api/v1/beneficiaries/?q={b.personal_id}", **h).status_code == 429
    # what looks nobody up answers as usual
    assert c.get("/api/v1/beneficiaries/", **h).status_code == 200
    assert c.get("/api/v1/reports/targets/", **h).status_code == 200
    assert (
        c.post(
            "/api/v1/grievances/tickets/",
            {"category": "payment_missing", "description": "x"},
            content_type="application/json",
            **h,
        ).status_code
        != 429
    )
