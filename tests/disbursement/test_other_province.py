"""Nobody of another province reaches a province's payment cycle: its files (full account
numbers or masked copies, cash lists), its batches and their results, its steps. (Found by a
review: the files and the provider API were reached by the provider code or the role alone.)"""

from __future__ import annotations

import pytest
from django.urls import reverse

from chitra.core.errors import ChitraError
from chitra.disbursement.models import PaymentFile, PayrollLine
from chitra.disbursement.services import (
    cycle_approve,
    cycle_compute,
    cycle_create,
    cycle_release,
)
from chitra.geo.models import Province
from chitra.iam.models import OrgKind, Role
from chitra.payment_methods.models import Account
from tests.auth import VerifiedClient, api_headers
from tests.disbursement.conftest import MONTH


def client_for(user) -> VerifiedClient:
    c = VerifiedClient()
    c.force_login(user)
    return c


@pytest.fixture
def released(world, runner, approver):
    cycle = cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    return cycle_release(actor=runner, cycle=cycle_approve(actor=approver, cycle=cycle))


@pytest.fixture
def hanoi():
    return Province.objects.get(code="01")


@pytest.mark.parametrize(
    ("kind", "role", "code"),
    [
        (OrgKind.BHXH_PROVINCE, Role.OFFICER, ""),  # sends files, but in Hà Nội
        (OrgKind.BANK, Role.OFFICER, "970405"),  # the same bank's Hà Nội branch
        (OrgKind.BHXH_PROVINCE, Role.VIEWER, ""),  # would get a masked copy at home
    ],
)
def test_no_file_of_another_province(released, make_user, hanoi, kind, role, code):
    outsider = make_user(kind, role, province=hanoi, provider_code=code)
    c = client_for(outsider)
    for pf in PaymentFile.objects.filter(batch__cycle=released):
        assert c.get(reverse("payment_file", args=[pf.pk])).status_code == 404, pf.name
    assert c.get(reverse("cycle_detail", args=[released.pk])).status_code == 404


def test_a_branch_of_another_province_neither_lists_nor_answers_the_batches(
    client, released, make_user, hanoi, world
):
    branch = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405", province=hanoi)
    auth = api_headers(branch)
    assert client.get("/api/v1/payments/batches/", **auth).json()["results"] == []
    line = PayrollLine.objects.get(entitlement=world.entitlements["bank"])
    before = line.status
    r = client.post(
        f"/api/v1/payments/batches/{line.batch_id}/status/",
        {
            "transaction_id": "X-1",
            "disbursements": [
                {"reference_id": line.reference, "status": "rjct", "status_reason_code": "AC04"}
            ],
        },
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 404
    line.refresh_from_db()
    assert line.status == before and Account.objects.get(pk=line.account_id).status != "closed"


def test_no_step_of_another_provinces_cycle(world, runner, approver, make_user, hanoi, tmp_path):
    from django.core.management import CommandError, call_command

    cycle = cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    cycle = cycle_approve(actor=approver, cycle=cycle)
    officer = make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER, province=hanoi)
    with pytest.raises(ChitraError):
        cycle_release(actor=officer, cycle=cycle)
    with pytest.raises(CommandError):
        call_command(
            "cycle_release",
            "--out",
            str(tmp_path / "x"),
            "--cycle",
            str(cycle.pk),
            "--user",
            officer.username,
        )
    cycle.refresh_from_db()
    assert cycle.status == "approved" and not (tmp_path / "x").exists()
