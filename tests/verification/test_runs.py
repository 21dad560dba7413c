from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from chitra.core.errors import ChitraError
from chitra.core.models import AuditEvent
from chitra.iam.models import OrgKind, Role
from chitra.registry.models import Beneficiary, Entitlement
from chitra.verification.models import (
    CleaningTask,
    PersonStatus,
    Recovery,
    Suspension,
    VerificationResult,
)
from chitra.verification.services import suspension_reverse, verification_run


def outcome_of(run, b):
    return VerificationResult.objects.get(run=run, beneficiary=b)


@pytest.mark.django_db
def test_run_classifies_and_updates_statuses_queues_and_deaths(register, people, bhxh_officer):
    run = verification_run(actor=bhxh_officer)
    p = people
    assert outcome_of(run, p["ok"]).outcome == "verified"
    r = outcome_of(run, p["name"])
    assert (r.outcome, r.mismatched_fields, r.reg_full_name) == ("mismatch", "name", "Trần Văn Bảo")
    assert outcome_of(run, p["dead"]).outcome == "deceased"
    assert outcome_of(run, p["absent"]).outcome == "not_found"
    acc = outcome_of(run, p["accents"])
    assert acc.outcome == "verified" and acc.name_accents
    noid = outcome_of(run, p["noid"])
    assert noid.outcome == "no_id"
    assert noid.candidate_ids.split(";")[0] == register["noid_true"]
    assert run.total == 6 and run.counts["verified"] == 2

    st = PersonStatus.objects.get(beneficiary=p["ok"])
    assert st.confirmed_on_register and st.alive_seen_at is not None
    assert not PersonStatus.objects.get(beneficiary=p["name"]).confirmed_on_register
    assert PersonStatus.objects.get(beneficiary=p["absent"]).alive_seen_at is None

    open_tasks = set(
        CleaningTask.objects.filter(status="open").values_list("beneficiary_id", flat=True)
    )
    assert open_tasks == {p[k].pk for k in ("name", "dead", "absent", "noid")}

    # death on 10/03/2026: suspended from 04/2026, paid through 10/2026 -> 7 months to recover
    ent = Entitlement.objects.get(beneficiary=p["dead"])
    assert ent.status == "suspended" and "10/03/2026" in ent.status_reason
    sus = Suspension.objects.get(entitlement=ent)
    assert sus.from_month == dt.date(2026, 4, 1)
    rec = Recovery.objects.get(beneficiary=p["dead"])
    assert (rec.months, rec.amount) == (7, 35_000_000)
    assert Beneficiary.objects.get(pk=p["dead"].pk).status == "deceased"
    assert AuditEvent.objects.filter(action="verification.deceased.suspend").count() == 2


@pytest.mark.django_db
def test_a_second_run_changes_nothing_twice(register, people, bhxh_officer):
    verification_run(actor=bhxh_officer)
    verification_run(actor=bhxh_officer)
    assert Suspension.objects.count() == 1 and Recovery.objects.count() == 1
    assert CleaningTask.objects.filter(status="open").count() == 4
    assert CleaningTask.objects.count() == 4


@pytest.mark.django_db
def test_an_approver_reverses_a_death_suspension_and_it_stays_reversed(
    register, people, bhxh_officer, make_user
):
    verification_run(actor=bhxh_officer)
    sus = Suspension.objects.get()
    with pytest.raises(PermissionDenied):
        suspension_reverse(actor=bhxh_officer, suspension=sus, reason="x")
    approver = make_user(OrgKind.BHXH_PROVINCE, Role.APPROVER)
    with pytest.raises(ChitraError):
        suspension_reverse(actor=approver, suspension=sus, reason="  ")
    suspension_reverse(actor=approver, suspension=sus, reason="Bà Cúc còn sống, đã gặp")
    ent = Entitlement.objects.get(pk=sus.entitlement_id)
    assert ent.status == "active"
    assert Recovery.objects.get().status == "cancelled"
    assert Beneficiary.objects.get(pk=people["dead"].pk).status == "active"
    verification_run(actor=bhxh_officer)  # the register still says dead on the same date
    assert Entitlement.objects.get(pk=ent.pk).status == "active"
    assert Suspension.objects.filter(reversed_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_commune_scoped_run_only_touches_its_area(register, people, make_user, tq_communes):
    officer = make_user(OrgKind.BHXH_OFFICE, Role.OFFICER, communes=[tq_communes[1]])
    run = verification_run(actor=officer)
    assert run.total == 3
    assert set(VerificationResult.objects.values_list("beneficiary_id", flat=True)) == {
        people[k].pk for k in ("absent", "accents", "noid")
    }


@pytest.mark.django_db
def test_viewers_and_banks_cannot_run(register, make_user):
    for user in (
        make_user(OrgKind.BHXH_PROVINCE, Role.VIEWER),
        make_user(OrgKind.BANK, Role.ADMIN),
        make_user(OrgKind.COMMUNE_COMMITTEE, Role.ADMIN),
    ):
        with pytest.raises(PermissionDenied):
            verification_run(actor=user)


@pytest.mark.django_db
def test_no_store_is_a_clear_error(settings, bhxh_officer, tmp_path, people):
    settings.CHITRA_REGISTER_STORE = tmp_path / "missing.duckdb"
    with pytest.raises(ChitraError) as exc:
        verification_run(actor=bhxh_officer)
    assert "register_load" in str(exc.value)
