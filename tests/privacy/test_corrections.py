"""Corrections of personal data: maker != checker, evidence noted, applied through the
registry's correction service (audited), rejection with a reason, stale corrections refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from chitra.core.errors import ChitraError
from chitra.core.models import AuditEvent
from chitra.geo.models import Commune
from chitra.iam.models import OrgKind, Role
from chitra.privacy.models import CorrectionRequest
from chitra.privacy.services import (
    correction_approve,
    correction_create,
    correction_reject,
    request_complete,
    request_create,
)
from chitra.registry.models import Beneficiary
from chitra.registry.services import beneficiary_correct

pytestmark = pytest.mark.django_db


def _ask(person, **changes):
    return correction_create(
        actor=person.officer,
        beneficiary=person.ben,
        changes=changes,
        evidence="CCCD 008150000001 cấp 2021",
    )


def test_approval_by_another_person_applies_the_correction(person, tq_communes):
    c = _ask(
        person,
        full_name="Nguyễn Thị  Riêng Hoa",
        phone="0987654321",
        commune=tq_communes[2].code,
        address="Thôn Mới",
    )
    assert c.changes == {
        "full_name": "Nguyễn Thị Riêng Hoa",
        "address": "Thôn Mới",
        "phone": "+84987654321",
        "commune": tq_communes[2].code,
    }
    assert c.before["phone"] == "+84912000777"
    ben = Beneficiary.objects.get(pk=person.ben.pk)
    assert ben.full_name == "Nguyễn Thị Riêng"  # nothing changes before the decision
    correction_approve(actor=person.approver, correction=c, note="Đã đối chiếu CCCD")
    ben.refresh_from_db()
    assert (ben.full_name, ben.phone, ben.commune_id, ben.address) == (
        "Nguyễn Thị Riêng Hoa",
        "+84987654321",
        tq_communes[2].pk,
        "Thôn Mới",
    )
    assert ben.name_folded == "NGUYEN THI RIENG HOA"
    event = AuditEvent.objects.get(action="registry.beneficiary.correct")
    assert event.object_id == str(ben.pk) and event.before["phone"] == "+84912000777"
    assert event.after["source"] == f"privacy.correctionrequest#{c.pk}"
    assert "CCCD 008150000001" in event.reason
    c.refresh_from_db()
    assert c.status == "approved" and c.checker == person.approver


def test_the_maker_never_decides(person):
    c = _ask(person, address="Thôn Khác")
    person.officer.role = Role.APPROVER
    person.officer.save()
    with pytest.raises(ChitraError):
        correction_approve(actor=person.officer, correction=c)
    with pytest.raises(ChitraError):
        correction_reject(actor=person.officer, correction=c, note="không")
    with pytest.raises(IntegrityError), transaction.atomic():  # and the database agrees
        CorrectionRequest.objects.filter(pk=c.pk).update(
            status="approved", checker=person.officer, decided_at=timezone.now()
        )


def test_an_officer_cannot_approve(person, make_user):
    c = _ask(person, address="Thôn Khác")
    other_officer = make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER)
    with pytest.raises(PermissionDenied):
        correction_approve(actor=other_officer, correction=c)


def test_rejection_needs_a_reason_and_changes_nothing(person):
    c = _ask(person, birth_date=dt.date(1950, 7, 16))
    with pytest.raises(ChitraError):
        correction_reject(actor=person.approver, correction=c, note=" ")
    correction_reject(actor=person.approver, correction=c, note="Giấy tờ không khớp")
    c.refresh_from_db()
    assert c.status == "rejected" and c.decision_note == "Giấy tờ không khớp"
    assert Beneficiary.objects.get(pk=person.ben.pk).birth_date == dt.date(1950, 5, 6)


def test_values_are_checked_when_asked(person, tq):
    with pytest.raises(ChitraError):  # evidence is required
        correction_create(
            actor=person.officer, beneficiary=person.ben, changes={"address": "x"}, evidence=""
        )
    with pytest.raises(ChitraError):  # a field that is not personal data to correct here
        _ask(person, status="deceased")
    with pytest.raises(ChitraError):
        _ask(person, phone="12345")
    with pytest.raises(ChitraError):  # the sex digit of the personal ID says female
        _ask(person, sex="M")
    hanoi = Commune.objects.filter(province__code="01").first()
    with pytest.raises(ChitraError):  # another province is a transfer, not a correction
        _ask(person, commune=hanoi.code)
    with pytest.raises(ChitraError):  # nothing differs
        _ask(person, full_name="Nguyễn Thị Riêng")
    _ask(person, address="Thôn A")
    with pytest.raises(ChitraError):  # one waiting correction per person
        _ask(person, address="Thôn B")


def test_a_record_changed_since_the_request_is_not_overwritten(person, bhxh_officer):
    c = _ask(person, address="Thôn Đề Nghị")
    beneficiary_correct(
        actor=bhxh_officer,
        beneficiary=person.ben,
        changes={"address": "Thôn Khác Hẳn"},
        reason="sửa trực tiếp",
    )
    with pytest.raises(ChitraError):
        correction_approve(actor=person.approver, correction=c)
    assert Beneficiary.objects.get(pk=person.ben.pk).address == "Thôn Khác Hẳn"


def test_a_correction_request_closes_once_its_corrections_are_decided(person):
    today = timezone.localdate()
    r = request_create(
        actor=person.officer,
        beneficiary=person.ben,
        kind="correction",
        received_on=today,
        channel="in_person",
    )
    with pytest.raises(ChitraError):
        request_complete(actor=person.officer, request=r, outcome="xong")
    c = correction_create(
        actor=person.officer,
        beneficiary=person.ben,
        changes={"address": "Thôn Đúng"},
        evidence="Sổ hộ khẩu",
        request=r,
    )
    with pytest.raises(ChitraError):
        request_complete(actor=person.officer, request=r, outcome="xong")
    correction_approve(actor=person.approver, correction=c)
    r = request_complete(actor=person.officer, request=r, outcome="Đã sửa địa chỉ")
    assert r.status == "done"


def test_pages_make_and_decide_a_correction(person, client):
    client.force_login(person.officer)
    b = person.ben
    r = client.post(
        f"/privacy/subjects/{b.pk}/",
        {
            "action": "correction",
            "full_name": b.full_name,
            "birth_date": "1950-05-06",
            "birth_precision": "D",
            "sex": "F",
            "commune": b.commune.code,
            "address": "Thôn Trang",
            "phone": b.phone,
            "evidence": "CCCD",
        },
    )
    assert r.status_code == 302
    c = CorrectionRequest.objects.get()
    assert c.changes == {"address": "Thôn Trang"}
    page = client.get("/privacy/corrections/").content.decode()
    assert "Thôn Trang" in page and f"/privacy/corrections/{c.pk}/decide/" not in page
    assert (
        client.post(f"/privacy/corrections/{c.pk}/decide/", {"decision": "approve"}).status_code
        == 403
    )
    client.force_login(person.approver)
    page = client.get("/privacy/corrections/").content.decode()
    assert f"/privacy/corrections/{c.pk}/decide/" in page
    client.post(f"/privacy/corrections/{c.pk}/decide/", {"decision": "approve"})
    assert Beneficiary.objects.get(pk=b.pk).address == "Thôn Trang"
