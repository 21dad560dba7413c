from __future__ import annotations

import pytest

from chitra.core.errors import ChitraError
from chitra.core.models import AuditEvent
from chitra.iam.models import OrgKind, Role
from chitra.registry.models import Beneficiary, Entitlement
from chitra.verification.models import CleaningTask, PersonStatus
from chitra.verification.services import (
    cleaning_assign,
    cleaning_confirm_identity,
    cleaning_flag_register,
    cleaning_link_candidate,
    cleaning_merge,
    cleaning_take_register_values,
    verification_run,
)
from tests.factories import BeneficiaryFactory, EntitlementFactory


def task(b):
    return CleaningTask.objects.get(beneficiary=b, status="open")


@pytest.fixture
def ran(register, people, bhxh_officer):
    return verification_run(actor=bhxh_officer)


@pytest.mark.django_db
def test_take_register_values_keeps_before_and_after(ran, people, bhxh_officer):
    b = cleaning_take_register_values(
        actor=bhxh_officer, task=task(people["name"]), note="khớp CCCD"
    )
    assert b.full_name == "Trần Văn Bảo" and b.name_folded == "TRAN VAN BAO"
    ev = AuditEvent.objects.get(action="verification.take_register_values")
    assert ev.before == {"full_name": "Trần Văn Bình"} and ev.after == {"full_name": "Trần Văn Bảo"}
    assert PersonStatus.objects.get(beneficiary=b).confirmed_on_register
    assert CleaningTask.objects.get(beneficiary=b).resolution == "took_register_values"
    with pytest.raises(ChitraError):  # already resolved
        cleaning_take_register_values(
            actor=bhxh_officer, task=CleaningTask.objects.get(beneficiary=b)
        )


@pytest.mark.django_db
def test_flag_and_confirm_need_a_note(ran, people, bhxh_officer):
    with pytest.raises(ChitraError):
        cleaning_flag_register(actor=bhxh_officer, task=task(people["name"]), note="")
    cleaning_flag_register(
        actor=bhxh_officer, task=task(people["name"]), note="Sổ hộ khẩu ghi Bình"
    )
    cleaning_confirm_identity(
        actor=bhxh_officer, task=task(people["absent"]), note="CCCD gốc, UBND xã, 20/11/2026"
    )
    st = PersonStatus.objects.get(beneficiary=people["absent"])
    assert st.identity_confirmed_by == bhxh_officer
    assert AuditEvent.objects.filter(action="verification.flag_register").exists()


@pytest.mark.django_db
def test_link_a_no_id_record_to_its_candidate(ran, people, register, bhxh_officer):
    t = task(people["noid"])
    with pytest.raises(ChitraError):
        cleaning_link_candidate(actor=bhxh_officer, task=t, personal_id="008048999999")
    b = cleaning_link_candidate(actor=bhxh_officer, task=t, personal_id=register["noid_true"])
    assert b.personal_id == register["noid_true"]
    ev = AuditEvent.objects.get(action="verification.link_candidate")
    assert ev.before == {"personal_id": None}


@pytest.mark.django_db
def test_merge_moves_entitlements_and_refuses_clashes(db, bhxh_officer):
    keep = BeneficiaryFactory()
    dup = BeneficiaryFactory(personal_id=None)
    EntitlementFactory(beneficiary=keep, benefit_type="PENSION")
    e2 = EntitlementFactory(beneficiary=dup, benefit_type="MONTHLY_ALLOWANCE")
    cleaning_merge(actor=bhxh_officer, keep=keep, remove=dup, note="cùng một người")
    assert Entitlement.objects.get(pk=e2.pk).beneficiary_id == keep.pk
    assert Beneficiary.objects.get(pk=dup.pk).status == "inactive"
    other = BeneficiaryFactory(personal_id=None)
    EntitlementFactory(beneficiary=other, benefit_type="PENSION")
    with pytest.raises(ChitraError):
        cleaning_merge(actor=bhxh_officer, keep=keep, remove=other)


@pytest.mark.django_db
def test_assignment_respects_both_areas(ran, people, make_user, tq_communes, bhxh_officer):
    police_a = make_user(OrgKind.POLICE_COMMUNE, Role.OFFICER, communes=[tq_communes[0]])
    tasks = list(CleaningTask.objects.filter(status="open"))
    n = cleaning_assign(actor=bhxh_officer, tasks=tasks, officer=police_a)
    # only the tasks of commune A go to the commune-A police officer
    assert n == 2
    assert set(
        CleaningTask.objects.filter(assigned_to=police_a).values_list("commune_id", flat=True)
    ) == {tq_communes[0].pk}
    viewer = make_user(OrgKind.BHXH_PROVINCE, Role.VIEWER)
    with pytest.raises(ChitraError):
        cleaning_assign(actor=bhxh_officer, tasks=tasks, officer=viewer)
