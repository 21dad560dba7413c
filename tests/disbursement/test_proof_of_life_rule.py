"""The payroll judges one date (ADR 0011): a person paid into an account is excluded only
when their proof of life was due before the cycle's month began; people paid in cash are never
judged; a cash payment collected in person is itself a proof of life."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from chitra.disbursement.models import Exclusion, PayrollLine
from chitra.disbursement.results import results_import
from chitra.registry.models import Beneficiary
from tests.disbursement.conftest import MONTH
from tests.disbursement.test_release_results import line_of, released, results_csv

pytestmark = pytest.mark.django_db


def _proof(world, key, day):
    Beneficiary.objects.filter(pk=world.people[key].pk).update(
        proof_of_life_on=day,
        proof_of_life_source="register" if day else "",
        proof_of_life_ref="t" if day else "",
    )


@pytest.mark.parametrize(
    ("proof", "paid"),
    [
        (dt.date(2025, 12, 1), True),  # due 1/12/2026: this month, still paid
        (dt.date(2025, 11, 30), False),  # due 30/11/2026: before the month began, excluded
        (None, False),  # no proof at all
        (dt.date(2026, 12, 1), True),  # the clock started at the switch this month
    ],
)
def test_excluded_only_when_overdue_on_the_cycle_s_month(world, runner, proof, paid):
    from chitra.disbursement.services import cycle_compute, cycle_create

    _proof(world, "pol", proof)
    cycle = cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    lines = PayrollLine.objects.filter(cycle=cycle, entitlement=world.entitlements["pol"])
    excluded = Exclusion.objects.filter(cycle=cycle, entitlement=world.entitlements["pol"])
    assert lines.exists() == paid
    assert (list(excluded.values_list("reason", flat=True)) == ["proof_of_life"]) != paid
    if paid:
        assert lines.get().channel == "BANK_ACCOUNT"
    # cash is never judged: "cash" has no proof at all and is paid
    assert PayrollLine.objects.filter(
        cycle=cycle, entitlement=world.entitlements["cash"], channel="CASH_PAY_POINT"
    ).exists()


def test_a_cash_payment_collected_is_a_proof_of_life(world, runner, approver, tmp_path):
    cycle = released(runner, approver)
    _proof(world, "bank", dt.date(2026, 1, 5))
    rows = [(line_of(world, k).reference, "succ", "") for k in ("cash", "home", "bank")]
    rows.append((line_of(world, "new").reference, "rjct", "NCOL"))  # not collected
    results_import(actor=runner, cycle=cycle, path=results_csv(tmp_path / "r.csv", rows))
    today = timezone.localdate()
    got = {
        k: Beneficiary.objects.get(pk=world.people[k].pk) for k in ("cash", "home", "bank", "new")
    }
    assert (got["cash"].proof_of_life_on, got["cash"].proof_of_life_source) == (today, "cash")
    assert got["home"].proof_of_life_source == "cash"
    assert got["cash"].proof_of_life_ref.startswith("results ")
    assert got["bank"].proof_of_life_on == dt.date(2026, 1, 5)  # a transfer proves nothing
    assert got["new"].proof_of_life_on is None
