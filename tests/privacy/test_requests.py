"""Data-subject requests: deadlines per kind, statuses, overdue, the export of everything held
on the person (masked account numbers), withdrawal of consent through the consent log."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from chitra.core.errors import ChitraError
from chitra.core.models import AuditEvent
from chitra.iam.models import OrgKind, Role
from chitra.privacy import selectors as sel
from chitra.privacy.dossier import dossier
from chitra.privacy.models import DataSubjectRequest
from chitra.privacy.services import (
    add_working_days,
    request_acknowledge,
    request_complete,
    request_create,
    request_extend,
    request_refuse,
    subject_export,
)
from chitra.registry.models import Consent
from chitra.registry.services import consent_current, consent_record
from tests.privacy.conftest import FULL_NUMBER

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_working_days_skip_the_weekend():
    friday = dt.date(2026, 1, 2)
    assert friday.weekday() == 4
    assert add_working_days(friday, 2) == dt.date(2026, 1, 6)  # Monday, Tuesday
    assert add_working_days(dt.date(2026, 1, 5), 2) == dt.date(2026, 1, 7)


@pytest.mark.parametrize(
    ("kind", "days"),
    [("access", 10), ("correction", 10), ("objection", 15), ("withdrawal", 15), ("deletion", 20)],
)
def test_each_kind_has_its_legal_deadline(person, kind, days):
    received = dt.date(2026, 1, 2)  # a Friday
    r = request_create(
        actor=person.officer,
        beneficiary=person.ben,
        kind=kind,
        received_on=received,
        channel="in_person",
        purpose="notifications" if kind == "withdrawal" else "",
    )
    assert r.due_date == received + dt.timedelta(days=days)
    assert r.acknowledge_by == dt.date(2026, 1, 6)
    assert AuditEvent.objects.filter(action="privacy.request.create", object_id=str(r.pk)).exists()


@override_settings(
    CHITRA_PRIVACY_REQUEST_DAYS={
        "access": 3,
        "correction": 10,
        "objection": 15,
        "withdrawal": 15,
        "deletion": 20,
    }
)
def test_the_deadline_comes_from_settings(person):
    r = request_create(
        actor=person.officer,
        beneficiary=person.ben,
        kind="access",
        received_on=dt.date(2026, 1, 5),
        channel="letter",
    )
    assert r.due_date == dt.date(2026, 1, 8)


def test_request_needs_valid_values(person):
    with pytest.raises(ChitraError):  # received in the future
        request_create(
            actor=person.officer,
            beneficiary=person.ben,
            kind="access",
            received_on=TODAY + dt.timedelta(days=1),
            channel="phone",
        )
    with pytest.raises(ChitraError):  # withdrawal without the purpose
        request_create(
            actor=person.officer,
            beneficiary=person.ben,
            kind="withdrawal",
            received_on=TODAY,
            channel="phone",
        )
    with pytest.raises(ChitraError):  # a representative without their capacity
        request_create(
            actor=person.officer,
            beneficiary=person.ben,
            kind="access",
            received_on=TODAY,
            channel="phone",
            requester_name="Lê Văn Giám",
        )


def test_overdue_requests_stand_out(person, client):
    old = request_create(
        actor=person.officer,
        beneficiary=person.ben,
        kind="access",
        received_on=TODAY - dt.timedelta(days=30),
        channel="letter",
    )
    fresh = request_create(
        actor=person.officer,
        beneficiary=person.ben,
        kind="deletion",
        received_on=TODAY,
        channel="letter",
    )
    assert old.overdue and old.acknowledgement_overdue and not fresh.overdue
    assert list(sel.requests(person.officer, overdue=True)) == [old]
    client.force_login(person.officer)
    page = client.get("/privacy/").content.decode()
    assert page.count('data-overdue="1"') == 1
    assert f'href="/privacy/requests/{old.pk}/"' in page
    assert 'data-testid="overdue"' in client.get(f"/privacy/requests/{old.pk}/").content.decode()
    assert (
        'data-testid="overdue"' not in client.get(f"/privacy/requests/{fresh.pk}/").content.decode()
    )
    request_refuse(actor=person.officer, request=old, reason="Đã trả lời trực tiếp")
    old.refresh_from_db()
    assert not old.overdue


def test_extension_once_and_limited(person):
    r = request_create(
        actor=person.officer,
        beneficiary=person.ben,
        kind="objection",
        received_on=TODAY,
        channel="phone",
    )
    due = r.due_date
    with pytest.raises(ChitraError):
        request_extend(actor=person.officer, request=r, days=16, reason="phức tạp")
    with pytest.raises(ChitraError):
        request_extend(actor=person.officer, request=r, days=5, reason="")
    r = request_extend(actor=person.officer, request=r, days=15, reason="Cần hỏi ngân hàng")
    assert r.due_date == due + dt.timedelta(days=15)
    with pytest.raises(ChitraError):
        request_extend(actor=person.officer, request=r, days=1, reason="lần nữa")


def test_access_request_is_answered_with_the_export(person):
    r = request_create(
        actor=person.officer,
        beneficiary=person.ben,
        kind="access",
        received_on=TODAY,
        channel="in_person",
    )
    r = request_acknowledge(actor=person.officer, request=r)
    assert r.status == "acknowledged"
    with pytest.raises(ChitraError):  # nothing handed out yet
        request_complete(actor=person.officer, request=r, outcome="Đã giao")
    data, name = subject_export(actor=person.officer, beneficiary=person.ben, fmt="pdf", request=r)
    assert data.startswith(b"%PDF") and name.endswith(".pdf")
    r.refresh_from_db()
    assert r.exported_at is not None
    r = request_complete(actor=person.officer, request=r, outcome="Đã giao bản PDF")
    assert r.status == "done" and r.closed_by == person.officer
    with pytest.raises(ChitraError):
        request_refuse(actor=person.officer, request=r, reason="x")


def test_withdrawal_of_consent_is_a_new_row_of_the_consent_log(person):
    consent_record(
        actor=person.officer,
        beneficiary=person.ben,
        purpose="notifications",
        given=True,
        channel="paper_form",
        date=TODAY - dt.timedelta(days=40),
    )
    r = request_create(
        actor=person.officer,
        beneficiary=person.ben,
        kind="withdrawal",
        received_on=TODAY,
        channel="letter",
        purpose="notifications",
    )
    request_complete(actor=person.officer, request=r, outcome="Đã ngừng gửi tin nhắn")
    rows = list(
        Consent.objects.filter(beneficiary=person.ben, purpose="notifications").order_by("id")
    )
    assert [c.given for c in rows] == [True, False]
    assert rows[1].channel == "paper_form" and rows[1].source_id == str(r.pk)
    assert consent_current(person.ben)["notifications"].given is False


def test_the_dossier_holds_every_section_with_account_numbers_masked(person):
    consent_record(
        actor=person.officer,
        beneficiary=person.ben,
        purpose="payment_method_change",
        given=True,
        channel="in_person",
        date=TODAY,
    )
    sel.subject_get(person.officer, person.ben.pk)  # an access to show in the audit section
    sections = {s.title.split(". ", 1)[0]: s for s in dossier(person.ben)}
    assert len(sections) == 15
    flat = repr([s.rows for s in sections.values()])
    assert FULL_NUMBER not in flat and "*" * 6 + "9012" in flat
    assert "Nguyễn Thị Riêng" in flat and person.ben.personal_id in flat
    for n in ("3", "4", "5", "6", "7", "9", "10", "11", "12", "13", "15"):
        assert sections[n].rows, n
    assert "PP202610REF1" in repr(sections["11"].rows)
    assert "Lê Văn Giám" in repr(sections["4"].rows)
    assert "Bà muốn nhận tiền mặt" in repr(sections["10"].rows)
    assert "KN-2026-PRIV01" in repr(sections["13"].rows)
    assert any(person.officer.username in row for row in sections["15"].rows)
    assert "Trần Văn Khác" not in flat  # nobody else's data


def test_xlsx_export_is_audited_and_masks_accounts(person):
    data, _name = subject_export(actor=person.officer, beneficiary=person.ben, fmt="xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    text = " ".join(
        str(c) for row in wb.active.iter_rows(values_only=True) for c in row if c is not None
    )
    assert "Nguyễn Thị Riêng" in text and "PP202610REF1" in text
    assert FULL_NUMBER not in text and "9012" in text
    event = AuditEvent.objects.get(action="privacy.subject.export")
    assert event.object_id == str(person.ben.pk) and event.after["format"] == "xlsx"
    assert sum(event.after["sections"].values()) > 10


def test_an_officer_of_another_area_cannot_reach_the_person(person, make_user, tq_communes):
    office = make_user(OrgKind.BHXH_OFFICE, Role.OFFICER, communes=[tq_communes[1]])
    assert sel.subject_find(office, person.ben.personal_id) is None
    assert sel.subject_find(office, person.other.personal_id) == person.other
    with pytest.raises(Http404):
        sel.subject_get(office, person.ben.pk)
    with pytest.raises(Http404):
        subject_export(actor=office, beneficiary=person.ben, fmt="pdf")
    r = request_create(
        actor=person.officer,
        beneficiary=person.ben,
        kind="access",
        received_on=TODAY,
        channel="phone",
    )
    with pytest.raises(Http404):
        request_acknowledge(actor=office, request=r)
    assert list(sel.requests(office)) == []


def test_lookup_is_audited_masked(person):
    sel.subject_find(person.officer, person.ben.personal_id)
    e = AuditEvent.objects.get(action="privacy.subject.lookup")
    assert person.ben.personal_id not in e.object_repr and e.object_repr.endswith(
        person.ben.personal_id[-4:]
    )


def test_a_closed_request_cannot_change(person):
    r = request_create(
        actor=person.officer,
        beneficiary=person.ben,
        kind="deletion",
        received_on=TODAY,
        channel="letter",
    )
    request_refuse(
        actor=person.officer, request=r, reason="Hồ sơ BHXH được lưu theo Luật BHXH 41/2024/QH15"
    )
    for fn in (
        lambda: request_acknowledge(actor=person.officer, request=r),
        lambda: request_complete(actor=person.officer, request=r, outcome="x"),
        lambda: request_extend(actor=person.officer, request=r, days=3, reason="y"),
    ):
        with pytest.raises(ChitraError):
            fn()
    assert DataSubjectRequest.objects.get(pk=r.pk).status == "refused"
