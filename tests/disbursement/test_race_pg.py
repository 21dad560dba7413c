"""Two workers racing on PostgreSQL: the database, not Python, keeps one live line per
entitlement and month."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from chitra.disbursement.models import Batch, Cycle, PayrollLine
from chitra.disbursement.services import cycle_compute, cycle_create, cycle_freeze
from tests.disbursement.conftest import MONTH

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the race needs two real connections (PostgreSQL)"
    ),
]


def _race(*workers):
    barrier = threading.Barrier(len(workers))
    results: list[object] = [None] * len(workers)

    def run(i, fn):
        try:
            barrier.wait(timeout=10)
            results[i] = fn()
        except Exception as e:
            results[i] = e
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_workers_inserting_the_same_month(world, runner):
    cycle = cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    line = PayrollLine.objects.filter(cycle=cycle, channel="BANK_ACCOUNT").first()
    # another cycle (another province's batch would do) tries to pay the same month
    other = Cycle.objects.create(
        province=cycle.province,
        month=MONTH.replace(year=2025),
        last_month=MONTH.replace(year=2025),
        account_credit_date=MONTH.replace(year=2025, day=5),
        cash_from_date=MONTH.replace(year=2025, day=2),
        created_by=runner,
    )
    batch = Batch.objects.create(cycle=other, channel="BANK_ACCOUNT", reference="RACE-0")
    # the month is free again
    PayrollLine.objects.filter(pk=line.pk).update(status="sent")
    PayrollLine.objects.filter(pk=line.pk).update(status="failed", live=False)

    def insert(tag):
        def fn():
            with transaction.atomic():
                copy = PayrollLine.objects.get(pk=line.pk)
                copy.pk, copy.cycle, copy.batch = None, other, batch
                copy.status, copy.live, copy.reference = "issued", True, tag * 22
                copy.reissue_of = None
                copy.save()
                return "ok"

        return fn

    results = _race(insert("a"), insert("b"))
    assert sorted(type(r).__name__ for r in results) == ["IntegrityError", "str"], results
    assert isinstance(next(r for r in results if not isinstance(r, str)), IntegrityError)
    live = PayrollLine.objects.filter(
        entitlement_id=line.entitlement_id, period_month=line.period_month
    ).exclude(status="failed")
    assert live.count() == 1


def test_two_workers_computing_the_same_cycle(world, runner):
    cycle = cycle_freeze(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    results = _race(
        lambda: cycle_compute(actor=runner, cycle=cycle),
        lambda: cycle_compute(actor=runner, cycle=cycle),
    )
    assert all(isinstance(r, Cycle) for r in results), results
    lines = PayrollLine.objects.filter(cycle=cycle)
    assert lines.count() == 11
    assert lines.values("entitlement_id", "period_month").distinct().count() == 11
