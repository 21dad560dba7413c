"""The breach register: the 72-hour clock from detection, overdue, late notice needs a reason,
closing, scope by province, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from chitra.core.errors import ChitraError
from chitra.core.models import AuditEvent
from chitra.geo.models import Province
from chitra.iam.models import OrgKind, Role
from chitra.privacy import selectors as sel
from chitra.privacy.services import breach_close, breach_create, breach_notify, breach_update

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)


@pytest.fixture
def admin(make_user):
    return make_user(OrgKind.BHXH_PROVINCE, Role.ADMIN)


def _breach(admin, hours_ago=1.0, **kw):
    args = {
        "reported_by": "Ngân hàng Agribank",
        "description": "Danh sách chi trả gửi nhầm",
        "data_categories": ["identity", "financial"],
        "affected_count": 120,
        **kw,
    }
    return breach_create(actor=admin, detected_at=timezone.now() - hours_ago * H, **args)


def test_the_deadline_is_detection_plus_72_hours(admin):
    b = _breach(admin, hours_ago=10)
    assert b.deadline == b.detected_at + 72 * H
    assert b.status == "open" and not b.overdue and 61 <= b.hours_left <= 62
    assert b.sensitive  # account data
    assert AuditEvent.objects.filter(action="privacy.breach.create", object_id=str(b.pk)).exists()


@override_settings(CHITRA_BREACH_NOTIFY_HOURS=24)
def test_the_clock_comes_from_settings(admin):
    b = _breach(admin, hours_ago=30)
    assert b.overdue


def test_overdue_breaches_stand_out(admin, client):
    late = _breach(admin, hours_ago=80)
    fresh = _breach(admin, hours_ago=1, data_categories=["contact"])
    assert late.overdue and not fresh.overdue and not fresh.sensitive
    client.force_login(admin)
    page = client.get("/privacy/breaches/").content.decode()
    assert page.count('data-overdue="1"') == 1
    assert 'data-testid="overdue"' in client.get(f"/privacy/breaches/{late.pk}/").content.decode()


def test_a_late_notice_needs_the_reason_of_the_delay(admin):
    b = _breach(admin, hours_ago=100)
    with pytest.raises(ChitraError):
        breach_notify(actor=admin, breach=b, notified_at=timezone.now(), reference="")
    with pytest.raises(ChitraError):
        breach_notify(actor=admin, breach=b, notified_at=timezone.now(), reference="CV 12")
    with pytest.raises(ChitraError):  # before the detection
        breach_notify(
            actor=admin, breach=b, notified_at=b.detected_at - H, reference="CV 12", late_reason="x"
        )
    b = breach_notify(
        actor=admin,
        breach=b,
        notified_at=timezone.now(),
        reference="CV 12",
        late_reason="Phát hiện vào dịp nghỉ Tết",
    )
    assert b.status == "notified" and b.notified_late and not b.overdue
    with pytest.raises(ChitraError):  # once
        breach_notify(actor=admin, breach=b, notified_at=timezone.now(), reference="CV 13")


def test_a_notice_in_time_needs_no_reason(admin):
    b = _breach(admin, hours_ago=5)
    b = breach_notify(actor=admin, breach=b, notified_at=timezone.now() - H, reference="A05/1")
    assert not b.notified_late and "A05" in b.authority


def test_update_and_close(admin):
    b = _breach(admin)
    b = breach_update(
        actor=admin, breach=b, measures="Thu hồi tệp, đổi mật khẩu", affected_count=150
    )
    assert b.affected_count == 150
    e = AuditEvent.objects.get(action="privacy.breach.update")
    assert e.before["affected_count"] == "120" and e.after["affected_count"] == "150"
    with pytest.raises(ChitraError):
        breach_close(actor=admin, breach=b, note="")
    b = breach_close(actor=admin, breach=b, note="Không phải vi phạm: tệp chưa mở")
    assert b.status == "closed"
    assert AuditEvent.objects.get(action="privacy.breach.close").after == {"without_notice": True}
    with pytest.raises(ChitraError):
        breach_update(actor=admin, breach=b, measures="x")


def test_detection_in_the_future_is_refused(admin):
    with pytest.raises(ChitraError):
        _breach(admin, hours_ago=-2)
    with pytest.raises(ChitraError):
        _breach(admin, data_categories=[])
    with pytest.raises(ChitraError):
        _breach(admin, data_categories=["gossip"])


def test_each_province_sees_its_own_register(admin, make_user):
    b = _breach(admin)
    hanoi = Province.objects.get(code="01")
    other = make_user(OrgKind.BHXH_PROVINCE, Role.ADMIN, province=hanoi)
    assert list(sel.breaches(other)) == []
    with pytest.raises(Http404):
        sel.breach_get(other, b.pk)
    with pytest.raises(Http404):
        breach_close(actor=other, breach=b, note="x")
    with pytest.raises(PermissionDenied):  # nor record one for another province
        breach_create(
            actor=other,
            detected_at=timezone.now(),
            reported_by="x",
            description="y",
            data_categories=["identity"],
            province=b.province,
        )


def test_pages_record_and_notify(admin, client):
    client.force_login(admin)
    when = timezone.localtime(timezone.now() - 2 * H).strftime("%Y-%m-%dT%H:%M")
    r = client.post(
        "/privacy/breaches/new/",
        {
            "detected_at": when,
            "reported_by": "Cán bộ CNTT",
            "description": "Máy tính bị mất",
            "data_categories": ["identity", "health"],
            "affected_count": "30",
            "measures": "",
        },
    )
    assert r.status_code == 302
    b = sel.breaches(admin).get()
    assert b.data_categories == ["identity", "health"]
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    client.post(
        f"/privacy/breaches/{b.pk}/",
        {"action": "notify", "notified_at": now, "reference": "CV 5/BHXH"},
    )
    b.refresh_from_db()
    assert b.status == "notified" and b.notification_reference == "CV 5/BHXH"
