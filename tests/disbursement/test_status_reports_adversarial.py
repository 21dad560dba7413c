"""Adversarial probes of the pain.002 status-report import (money: a group RJCT fails every
open line of the message): a report answering another province's message, and a provider
answering another provider's message."""

from __future__ import annotations

import pytest

from chitra.core.errors import ChitraError, ImportFileError
from chitra.disbursement.models import PayrollLine, ResultImport
from chitra.disbursement.results import ResultsRejected, results_import
from chitra.disbursement.services import cycle_create
from chitra.geo.models import Province
from chitra.iam.models import OrgKind, Role
from tests.disbursement.conftest import MONTH
from tests.disbursement.test_status_reports import bank_batch, released, report, statuses

pytestmark = pytest.mark.django_db


def test_another_provinces_officer_cannot_fail_our_batch(  # type: ignore[no-untyped-def]
    world, runner, approver, make_user, tmp_path
):
    cycle = released(runner, approver)
    batch = bank_batch(world)
    before = statuses(batch)
    path = report(tmp_path / "r.xml", batch.reference, group="RJCT", group_reason="AM04")
    other = Province.objects.exclude(pk=cycle.province_id).order_by("code").first()
    stranger = make_user(OrgKind.BHXH_PROVINCE, Role.APPROVER, province=other)
    theirs = cycle_create(actor=stranger, month=MONTH)
    with pytest.raises(ImportFileError, match=batch.reference):  # not a message of their cycle
        results_import(actor=stranger, cycle=theirs, path=path)
    with pytest.raises(ChitraError):  # our cycle, named directly
        results_import(actor=stranger, cycle=cycle, path=path)
    assert statuses(batch) == before and not ResultImport.objects.exists()


def test_a_provider_cannot_answer_another_providers_message(  # type: ignore[no-untyped-def]
    world, runner, approver, make_user, tmp_path
):
    """Viettel Money's user uploads a group RJCT naming Agribank's pain.001 MsgId."""
    cycle = released(runner, approver)
    batch = bank_batch(world)
    before = statuses(batch)
    path = report(tmp_path / "v.xml", batch.reference, group="RJCT", group_reason="AM04")
    viettel = make_user(OrgKind.MOBILE_MONEY, Role.OFFICER, provider_code="VIETTELMONEY")
    try:  # refused outright, or taken as a report that covers none of Viettel's lines
        out = results_import(actor=viettel, cycle=cycle, path=path)
        assert (out.paid, out.failed, out.returned) == (0, 0, 0)
    except (ChitraError, ResultsRejected):
        pass
    assert statuses(batch) == before
    assert set(PayrollLine.objects.filter(batch=batch).values_list("status", flat=True)) == {"sent"}
