"""Found by review of issue #12: a recovery after death follows the results that arrive after
the death was found (a sent line answered succ is claimed, a paid line returned is not)."""

from __future__ import annotations

import datetime as dt

import pytest

from chitra.disbursement.models import PayrollLine
from chitra.disbursement.results import results_import
from chitra.registry.models import Entitlement
from chitra.verification.models import Recovery
from chitra.verification.services import verification_run
from tests.verification.conftest import payroll_line


def _csv(path, rows):
    path.write_text(
        "reference,status,reason_code\n" + "".join(f"{r},{s},{c}\n" for r, s, c in rows)
    )
    return path


@pytest.fixture
def setup(register, people, bhxh_officer, released_batch):
    ent = Entitlement.objects.get(beneficiary=people["dead"])
    cycle, batch = released_batch(dt.date(2026, 10, 1))
    sent = payroll_line(cycle, batch, ent, dt.date(2026, 10, 1), "sent")
    verification_run(actor=bhxh_officer)
    rec = Recovery.objects.get(beneficiary=people["dead"])
    # April..September paid before chitra: 6 months; October unanswered: not claimed
    assert (rec.months, rec.amount) == (6, 30_000_000)
    return cycle, sent, rec


@pytest.mark.django_db
def test_sent_line_paid_after_death_is_added_to_the_recovery(setup, bhxh_officer, tmp_path):
    cycle, sent, rec = setup
    results_import(
        actor=bhxh_officer,
        cycle=cycle,
        path=_csv(tmp_path / "r.csv", [(sent.reference, "succ", "")]),
    )
    assert PayrollLine.objects.get(pk=sent.pk).status == "paid"
    rec.refresh_from_db()
    # the money of October left after death: it must be claimed
    assert (rec.months, rec.amount) == (7, 35_000_000)


@pytest.mark.django_db
def test_paid_line_returned_after_the_recovery_is_taken_off_it(
    register, people, bhxh_officer, released_batch, tmp_path
):
    ent = Entitlement.objects.get(beneficiary=people["dead"])
    cycle, batch = released_batch(dt.date(2026, 10, 1), channel="BANK_ACCOUNT", reference="T-1")
    paid = payroll_line(cycle, batch, ent, dt.date(2026, 10, 1), "paid")
    verification_run(actor=bhxh_officer)
    rec = Recovery.objects.get(beneficiary=people["dead"])
    assert (rec.months, rec.amount) == (7, 35_000_000)
    # the bank returns October: holder deceased
    results_import(
        actor=bhxh_officer,
        cycle=cycle,
        path=_csv(tmp_path / "r.csv", [(paid.reference, "rjct", "MD07")]),
    )
    assert PayrollLine.objects.get(pk=paid.pk).status == "returned"
    rec.refresh_from_db()
    assert (rec.months, rec.amount) == (6, 30_000_000)  # October's money came back
