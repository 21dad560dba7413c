"""On PostgreSQL the plain rows of a snapshot become lines by one INSERT ... SELECT
(services._plain_lines); the engine computes the rest. Both ways must give the same payroll:
the same lines (routing, amounts, references), exclusions and batch totals, for a varied
snapshot and both account fallbacks."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection
from django.utils import timezone

from chitra.disbursement import services
from chitra.disbursement.models import Batch, Exclusion, PayrollLine
from chitra.disbursement.services import cycle_compute, cycle_create
from chitra.payment_methods.models import Provider
from chitra.registry.models import Beneficiary
from chitra.verification.models import PersonStatus
from tests.disbursement.conftest import MONTH, NOV, OCT, SEP, add_method
from tests.factories import BeneficiaryFactory, EntitlementFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the SQL fast path is PostgreSQL's"
    ),
]


def _varied(tq_communes, system, n: int = 160) -> None:
    rnd = random.Random(5)
    banks = list(Provider.objects.filter(code__in=["970405", "970436"]))
    viettel = Provider.objects.get(code="VIETTELMONEY")
    old = timezone.now() - dt.timedelta(days=800)
    for i in range(n):
        ben = BeneficiaryFactory(
            commune=tq_communes[i % 2],
            status=rnd.choice(["active"] * 8 + ["deceased", "suspended"]),
        )
        kw: dict = {
            "paid_through": rnd.choice([NOV, NOV, NOV, OCT, SEP, None]),
            "monthly_amount": rnd.randrange(1_000_000, 9_000_000),
        }
        kind = rnd.random()
        if kind < 0.08:
            kw.update(
                benefit_type="LUMP_SUM",
                start_month=rnd.choice([MONTH, OCT]),
                paid_through=rnd.choice([None, None, OCT]),
            )
        elif kind < 0.14:
            kw.update(start_month=rnd.choice([MONTH, dt.date(2027, 1, 1)]), paid_through=None)
        elif kind < 0.2:
            kw.update(end_month=rnd.choice([OCT, NOV, MONTH]))
        if rnd.random() < 0.08:
            kw.update(status="suspended", status_reason="Tạm dừng")
        EntitlementFactory(beneficiary=ben, **kw)
        method = rnd.choice(
            ["", "", "CASH_HOME", "CASH_PAY_POINT", "BANK_ACCOUNT", "BANK_ACCOUNT", "MOBILE_MONEY"]
        )
        if method:
            provider = (
                viettel
                if method == "MOBILE_MONEY"
                else rnd.choice(banks)
                if method == "BANK_ACCOUNT"
                else None
            )
            add_method(
                ben,
                method,
                system,
                provider,
                status=rnd.choice(["verified"] * 4 + ["unverified", "closed"]),
            )
        seen = rnd.choice([timezone.now(), timezone.now(), old, None])
        if seen is not None:
            Beneficiary.objects.filter(pk=ben.pk).update(
                proof_of_life_on=timezone.localtime(seen).date(), proof_of_life_source="register"
            )
        outcome = rnd.choice(["verified"] * 9 + ["deceased"])
        if seen is not None or outcome == "deceased":
            PersonStatus.objects.create(
                beneficiary=ben,
                outcome=outcome,
                last_verified_at=timezone.now(),
                confirmed_on_register=True,
                alive_seen_at=seen,
            )


def _payroll(cycle):
    lines = sorted(
        PayrollLine.objects.filter(cycle=cycle).values_list(
            "entitlement_id",
            "period_month",
            "amount",
            "channel",
            "provider_id",
            "account_id",
            "payee_name",
            "reference",
            "attempt",
            "reissue_of_id",
            "status",
            "live",
            "batch__channel",
            "batch__provider_id",
            "benefit_type",
            "beneficiary_id",
            "commune_id",
        )
    )
    excl = sorted(
        Exclusion.objects.filter(cycle=cycle).values_list(
            "entitlement_id", "reason", "months", "amount"
        )
    )
    batches = sorted(
        Batch.objects.filter(cycle=cycle).values_list(
            "channel", "provider_id", "declared_count", "declared_amount"
        ),
        key=lambda b: (b[0], b[1] or 0),
    )
    return lines, excl, batches


@pytest.mark.parametrize("fallback", ["cash", "hold"])
def test_sql_and_engine_give_the_same_payroll(
    world, tq_communes, system, runner, settings, monkeypatch, fallback
):
    settings.CHITRA_ACCOUNT_FALLBACK = fallback
    _varied(tq_communes, system)
    cycle = cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    fast = _payroll(cycle)
    with connection.cursor() as cur:  # the fast path did the bulk of the work
        cur.execute("SELECT COUNT(*) FROM disbursement_payrollline WHERE cycle_id = %s", [cycle.pk])
        assert cur.fetchone()[0] > 60
    monkeypatch.setattr(services, "SQL_PLAIN_LINES", False)
    cycle = cycle_compute(actor=runner, cycle=cycle)  # recompute, by the engine alone
    slow = _payroll(cycle)
    assert fast[0] == slow[0]
    assert fast[1] == slow[1]
    assert fast[2] == slow[2]
    reasons = {e[1] for e in slow[1]}
    assert {"deceased", "suspended", "proof_of_life"} <= reasons
    assert ("account_hold" in reasons) == (fallback == "hold")


def test_plain_rows_leave_the_others_to_the_engine(world, runner, monkeypatch):
    """Arrears, one-off benefits and exclusions never go through the SQL path."""
    seen: list[int] = []
    real = services._plain_lines

    def spy(cycle, params, reissues):
        n, where, where_params = real(cycle, params, reissues)
        seen.append(n)
        return n, where, where_params

    monkeypatch.setattr(services, "_plain_lines", spy)
    cycle = cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    by_ent = {
        e: list(
            PayrollLine.objects.filter(cycle=cycle, entitlement=e).values_list(
                "period_month", flat=True
            )
        )
        for e in (world.entitlements["arrears"], world.entitlements["lump"])
    }
    assert sorted(by_ent[world.entitlements["arrears"]]) == [OCT, NOV, MONTH]
    assert by_ent[world.entitlements["lump"]] == [MONTH]
    # plain: cash, home, bank, bank2, mobile, unverified (cash fallback); not arrears, lump,
    # new (no paid-through), suspended, dead, pol, ended, lump_paid
    assert seen == [6]
