"""Adversarial probes of the bank statement import (camt.053 / camt.054 of the paying account,
which is one account for every province): a statement loaded by another province first must
neither lock this province out of its own reconciliation nor hand it the other's outcome."""

from __future__ import annotations

import pytest

from chitra.disbursement.models import BankStatement, LineStatus, PayrollLine
from chitra.disbursement.services import cycle_create
from chitra.disbursement.statements import statement_import
from chitra.geo.models import Province
from chitra.iam.models import OrgKind, Role
from tests.disbursement.conftest import MONTH
from tests.disbursement.test_release_results import released
from tests.disbursement.test_statements import bank_batch, batch_debit, statement

pytestmark = pytest.mark.django_db


def test_a_statement_another_province_loaded_first_still_reconciles_ours(  # type: ignore[no-untyped-def]
    world, runner, approver, make_user, tmp_path
):
    cycle = released(runner, approver)
    batch = bank_batch(world)
    sent = PayrollLine.objects.filter(batch=batch, status=LineStatus.SENT).count()
    path = statement(tmp_path / "n.xml", [batch_debit(batch)])
    other = Province.objects.exclude(pk=cycle.province_id).order_by("code").first()
    stranger = make_user(OrgKind.BHXH_PROVINCE, Role.APPROVER, province=other)
    theirs = statement_import(actor=stranger, cycle=cycle_create(actor=stranger, month=MONTH),
                              path=path)  # fmt: skip
    assert theirs.confirmed == 0 and theirs.unmatched == sent  # none of their lines
    assert PayrollLine.objects.filter(batch=batch, status=LineStatus.SENT).count() == sent

    ours = statement_import(actor=runner, cycle=cycle, path=path)
    assert not ours.already_applied
    assert ours.statement.province_id == cycle.province_id
    assert ours.confirmed == sent
    assert not PayrollLine.objects.filter(batch=batch, status=LineStatus.SENT).exists()
    # and the same file again in our province is the harmless repeat it always was
    again = statement_import(actor=runner, cycle=cycle, path=path)
    assert again.already_applied and again.statement.pk == ours.statement.pk
    assert BankStatement.objects.count() == 2
