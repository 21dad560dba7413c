"""Issue #12 item 4: a recovery after death claims only money that really left - months a
payroll line paid, and months paid before chitra (up to the imported paid-through month) -
never a failed, returned, cancelled or unanswered payment."""

from __future__ import annotations

import datetime as dt

import pytest

from chitra.registry.models import Entitlement
from chitra.verification.models import Recovery
from chitra.verification.services import verification_run
from tests.verification.conftest import payroll_line


@pytest.mark.django_db
def test_recovery_claims_paid_months_only(register, people, bhxh_officer, released_batch):
    """Died 10/03/2026, suspended from 04/2026, paid through 10/2026. April-June were paid
    before chitra; July was paid by a line (4.8 M that month); August failed, September came
    back (returned), October is sent without an answer: 4 months, 19.8 M to recover (the
    paid-through month alone claimed 7 months, 35 M)."""
    ent = Entitlement.objects.get(beneficiary=people["dead"])
    assert ent.paid_through == dt.date(2026, 10, 1)
    cycle, batch = released_batch(dt.date(2026, 7, 1))
    payroll_line(cycle, batch, ent, dt.date(2026, 7, 1), "paid", amount=4_800_000)
    payroll_line(cycle, batch, ent, dt.date(2026, 8, 1), "failed")
    payroll_line(cycle, batch, ent, dt.date(2026, 9, 1), "returned")
    payroll_line(cycle, batch, ent, dt.date(2026, 10, 1), "sent")
    verification_run(actor=bhxh_officer)
    rec = Recovery.objects.get(beneficiary=people["dead"])
    assert (rec.first_month, rec.last_month) == (dt.date(2026, 4, 1), dt.date(2026, 7, 1))
    assert (rec.months, rec.amount) == (4, 3 * 5_000_000 + 4_800_000)


@pytest.mark.django_db
def test_no_recovery_when_nothing_left_after_death(register, people, bhxh_officer, released_batch):
    """Paid through April as a release used to leave it, but April's payment failed: nothing
    to recover (it claimed April)."""
    ent = Entitlement.objects.get(beneficiary=people["dead"])
    Entitlement.objects.filter(pk=ent.pk).update(paid_through=dt.date(2026, 4, 1))
    ent.refresh_from_db()
    cycle, batch = released_batch(dt.date(2026, 4, 1))
    payroll_line(cycle, batch, ent, dt.date(2026, 4, 1), "failed")
    verification_run(actor=bhxh_officer)
    assert not Recovery.objects.filter(beneficiary=people["dead"]).exists()
    assert Entitlement.objects.get(pk=ent.pk).status == "suspended"
