"""The cycle's states, its payroll arithmetic on a small province, and the guarantees the
database gives (one live line per entitlement and month)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from chitra.core.errors import ChitraError
from chitra.core.models import AuditEvent
from chitra.disbursement.ledger import line_events
from chitra.disbursement.models import (
    Batch,
    CycleStatus,
    Exclusion,
    LineEvent,
    LineStatus,
    PayrollLine,
)
from chitra.disbursement.services import (
    cycle_approve,
    cycle_compute,
    cycle_create,
    cycle_freeze,
    reconciliation,
)
from chitra.payment_methods.services import first_open_payment_month
from tests.disbursement.conftest import MONTH, NOV, OCT, add_method


def lines_of(world, key):
    return list(
        PayrollLine.objects.filter(entitlement=world.entitlements[key]).order_by("period_month")
    )


def test_compute_pays_each_entitlement_its_months(world, runner):
    cycle = cycle_create(actor=runner, month=MONTH)
    cycle = cycle_compute(actor=runner, cycle=cycle)
    assert cycle.status == CycleStatus.COMPUTED
    channel = {
        k: [(ln.channel, ln.period_month) for ln in lines_of(world, k)] for k in world.entitlements
    }
    assert channel["cash"] == [("CASH_PAY_POINT", MONTH)]
    assert channel["home"] == [("CASH_HOME", MONTH)]
    assert channel["bank"] == [("BANK_ACCOUNT", MONTH)]
    assert channel["mobile"] == [("MOBILE_MONEY", MONTH)]
    # an unverified account is paid in cash this month (the default fallback)
    assert channel["unverified"] == [("CASH_PAY_POINT", MONTH)]
    # arrears: paid through September, so October, November and December
    assert [p for _c, p in channel["arrears"]] == [OCT, NOV, MONTH]
    assert [p for _c, p in channel["lump"]] == [MONTH]
    assert channel["new"] == [("CASH_PAY_POINT", MONTH)]
    for key in ("suspended", "dead", "pol", "lump_paid", "ended"):
        assert channel[key] == [], key
    reasons = dict(
        Exclusion.objects.filter(cycle=cycle).values_list(
            "entitlement__beneficiary__full_name", "reason"
        )
    )
    assert reasons == {
        "Bùi Văn Tạm": "suspended",
        "Đỗ Thị Mất": "deceased",
        "Ma Văn Sống": "proof_of_life",
    }
    lines = PayrollLine.objects.filter(cycle=cycle)
    assert cycle.line_count == lines.count() == 11
    assert cycle.total_amount == sum(ln.amount for ln in lines)
    assert all(ln.status == LineStatus.ISSUED for ln in lines)
    # batches per provider and channel, control totals add up
    for b in Batch.objects.filter(cycle=cycle):
        mine = lines.filter(batch=b)
        assert b.declared_count == mine.count()
        assert b.declared_amount == sum(x.amount for x in mine)
        assert {x.channel for x in mine} == {b.channel}
    assert set(Batch.objects.filter(cycle=cycle).values_list("channel", "provider__code")) == {
        ("CASH_PAY_POINT", "VNPOST"),
        ("CASH_HOME", "VNPOST"),
        ("BANK_ACCOUNT", "970405"),
        ("BANK_ACCOUNT", "970436"),
        ("MOBILE_MONEY", "VIETTELMONEY"),
    }
    # the ledger: one "issued" movement per batch, not one per line (ADR 0005)
    batches = Batch.objects.filter(cycle=cycle)
    assert set(LineEvent.objects.filter(kind="issued").values_list("batch_id", "line_id")) == {
        (b.pk, None) for b in batches
    }
    assert [e.kind for e in line_events(lines.first())] == ["issued"]
    assert reconciliation(cycle)["holds"]
    assert (
        AuditEvent.objects.filter(
            action__in=["cycle.create", "cycle.freeze", "cycle.compute"]
        ).count()
        == 3
    )


def test_recompute_gives_the_same_references(world, runner):
    cycle = cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    before = sorted(PayrollLine.objects.values_list("entitlement_id", "period_month", "reference"))
    cycle = cycle_compute(actor=runner, cycle=cycle)
    after = sorted(PayrollLine.objects.values_list("entitlement_id", "period_month", "reference"))
    assert before == after and len(after) == 11
    assert Batch.objects.filter(cycle=cycle).count() == 5


def test_snapshot_is_not_changed_by_later_registry_changes(world, runner, system):
    cycle = cycle_freeze(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    ent = world.entitlements["cash"]
    ent.monthly_amount = 9_999_000
    ent.save()
    add_method(world.people["cash"], "BANK_ACCOUNT", system, world.vcb, month=MONTH)
    cycle_compute(actor=runner, cycle=cycle)
    (line,) = lines_of(world, "cash")
    assert line.amount == 5_200_000 and line.channel == "CASH_PAY_POINT"


def test_first_open_payment_month_skips_frozen_cycles(world, runner, tq):
    today = dt.date(2026, 12, 5)
    assert first_open_payment_month(today, tq.pk) == MONTH
    cycle = cycle_create(actor=runner, month=MONTH)
    assert first_open_payment_month(today, tq.pk) == MONTH  # open: changes still count
    cycle_freeze(actor=runner, cycle=cycle)
    assert first_open_payment_month(today, tq.pk) == dt.date(2027, 1, 1)


def test_illegal_transitions_are_refused(world, runner, approver):
    cycle = cycle_create(actor=runner, month=MONTH)
    with pytest.raises(ChitraError, match="computed"):
        cycle_approve(actor=approver, cycle=cycle)
    with pytest.raises(ChitraError, match="already exists"):
        cycle_create(actor=runner, month=MONTH)
    cycle = cycle_compute(actor=runner, cycle=cycle)
    with pytest.raises(ChitraError, match="open"):
        cycle_freeze(actor=runner, cycle=cycle)
    cycle = cycle_approve(actor=approver, cycle=cycle)
    assert cycle.status == CycleStatus.APPROVED
    with pytest.raises(ChitraError, match="frozen"):
        cycle_compute(actor=runner, cycle=cycle)


def test_a_later_cycle_waits_for_the_earlier_release(world, runner):
    cycle_create(actor=runner, month=MONTH)
    later = cycle_create(actor=runner, month=dt.date(2027, 1, 1))
    with pytest.raises(ChitraError, match="12/2026"):
        cycle_freeze(actor=runner, cycle=later)


def test_maker_is_not_checker(world, runner, approver):
    cycle = cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    with pytest.raises(ChitraError, match="another approver"):
        cycle_approve(actor=runner, cycle=cycle)
    cycle.refresh_from_db()
    cycle.approved_by = runner
    with pytest.raises(IntegrityError), transaction.atomic():
        cycle.save()


def test_second_approver_above_the_limit(world, runner, approver, approver2, settings):
    settings.CHITRA_SECOND_APPROVAL_ABOVE = 1_000_000
    cycle = cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    cycle = cycle_approve(actor=approver, cycle=cycle)
    assert cycle.status == CycleStatus.COMPUTED and cycle.awaiting_second_approval
    with pytest.raises(ChitraError, match="second"):
        cycle_approve(actor=approver, cycle=cycle)
    cycle = cycle_approve(actor=approver2, cycle=cycle)
    assert cycle.status == CycleStatus.APPROVED
    assert {cycle.approved_by, cycle.second_approved_by} == {approver, approver2}


def test_hold_instead_of_cash_by_setting(world, runner, settings):
    settings.CHITRA_ACCOUNT_FALLBACK = "hold"
    cycle = cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    assert lines_of(world, "unverified") == []
    assert (
        Exclusion.objects.get(cycle=cycle, entitlement=world.entitlements["unverified"]).reason
        == "account_hold"
    )


def test_officers_without_the_right_cannot_run_cycles(world, make_user):
    from django.core.exceptions import PermissionDenied

    from chitra.iam.models import OrgKind, Role

    for kind, role in (
        (OrgKind.BHXH_PROVINCE, Role.VIEWER),
        (OrgKind.BANK, Role.ADMIN),
        (OrgKind.POLICE_COMMUNE, Role.ADMIN),
    ):
        with pytest.raises(PermissionDenied):
            cycle_create(actor=make_user(kind, role), month=MONTH)


def test_database_refuses_a_second_live_line(world, runner):
    cycle = cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    line = PayrollLine.objects.filter(cycle=cycle, channel="BANK_ACCOUNT").first()
    copy = PayrollLine.objects.get(pk=line.pk)
    copy.pk = None
    copy.reference = "x" + line.reference[1:]
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
    # a failed line frees the month for its re-issue
    PayrollLine.objects.filter(pk=line.pk).update(status="sent")
    PayrollLine.objects.filter(pk=line.pk).update(status="failed", live=False)
    copy.save()
    # the live flag the unique indexes test cannot disagree with the status
    with pytest.raises(IntegrityError), transaction.atomic():
        PayrollLine.objects.filter(pk=line.pk).update(live=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        PayrollLine.objects.filter(pk=copy.pk).update(status="cancelled")
    lump = lines_of(world, "lump")[0]
    again = PayrollLine.objects.get(pk=lump.pk)
    again.pk, again.period_month, again.reference = None, dt.date(2027, 1, 1), "y" * 22
    with pytest.raises(IntegrityError), transaction.atomic():
        again.save()  # a one-off benefit is paid once, whatever the month
