"""Who opens the pages of the payment cycle, the indicators and the complaints: written out
here (not derived from CAPABILITIES) so that a change of rule fails a test."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chitra.iam.models import OrgKind, Role

K = OrgKind
R = Role
OK, NO = 200, 403

# (kind, role) -> (monthly payments, dashboard, complaints)
CASES = [
    (K.BHXH_PROVINCE, R.VIEWER, OK, OK, NO),
    (K.BHXH_PROVINCE, R.OFFICER, OK, OK, OK),
    (K.BHXH_OFFICE, R.OFFICER, OK, OK, OK),
    (K.POLICE_PROVINCE, R.OFFICER, NO, OK, OK),
    (K.POLICE_COMMUNE, R.OFFICER, NO, OK, OK),
    (K.COMMUNE_COMMITTEE, R.OFFICER, NO, OK, OK),
    (K.COMMUNE_COMMITTEE, R.VIEWER, NO, OK, NO),
    (K.BANK, R.OFFICER, OK, NO, OK),
    (K.POST, R.OFFICER, OK, NO, OK),
    (K.MOBILE_MONEY, R.VIEWER, OK, NO, NO),
    (K.STATE_BANK, R.VIEWER, OK, OK, NO),
    (K.STATE_BANK, R.OFFICER, OK, OK, OK),
    (K.LEADERSHIP, R.VIEWER, OK, OK, NO),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "role", "cycles", "dashboard", "complaints"),
    CASES,
    ids=[f"{k}-{r}" for k, r, *_ in CASES],
)
def test_module_pages(client, make_user, tq_communes, kind, role, cycles, dashboard, complaints):
    scoped = kind in (K.POLICE_COMMUNE, K.COMMUNE_COMMITTEE, K.BHXH_OFFICE)
    user = make_user(kind, role, communes=[tq_communes[0]] if scoped else None)
    client.force_login(user)
    assert client.get(reverse("cycle_list")).status_code == cycles
    assert client.get(reverse("report_dashboard")).status_code == dashboard
    assert client.get(reverse("ticket_list")).status_code == complaints


@pytest.mark.django_db
def test_only_bhxh_runs_and_approves_cycles(client, make_user):
    from chitra.iam.access import Perm, has_perm

    assert has_perm(make_user(K.BHXH_PROVINCE, R.OFFICER), Perm.PAYMENT_RUN)
    assert not has_perm(make_user(K.BHXH_OFFICE, R.OFFICER), Perm.PAYMENT_RUN)
    assert not has_perm(make_user(K.BANK, R.ADMIN), Perm.PAYMENT_RUN)
    assert has_perm(make_user(K.BHXH_PROVINCE, R.APPROVER), Perm.PAYMENT_APPROVE)
    assert not has_perm(make_user(K.BHXH_PROVINCE, R.OFFICER), Perm.PAYMENT_APPROVE)
    assert not has_perm(make_user(K.STATE_BANK, R.ADMIN), Perm.PAYMENT_APPROVE)
    assert has_perm(make_user(K.BANK, R.OFFICER), Perm.PAYMENT_RESULTS)
    assert has_perm(make_user(K.BHXH_PROVINCE, R.ADMIN), Perm.TARGET_EDIT)
    assert not has_perm(make_user(K.BHXH_PROVINCE, R.OFFICER), Perm.TARGET_EDIT)
