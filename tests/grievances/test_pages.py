from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from chitra.core.models import AuditEvent
from chitra.grievances.models import Status, Ticket, TicketEvent
from chitra.grievances.services import ticket_create, ticket_resolve
from chitra.iam.models import OrgKind, Role

K, R = OrgKind, Role
LIST, NEW = reverse("ticket_list"), reverse("ticket_new")


def _detail(t) -> str:
    return reverse("ticket_detail", args=[t.pk])


def _action(t) -> str:
    return reverse("ticket_action", args=[t.pk])


def _cells(resp) -> list:
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    return [c.value for row in ws.iter_rows() for c in row]


@pytest.fixture
def late(world, bhxh_user):
    return ticket_create(
        actor=bhxh_user,
        category="payment_not_received",
        description="Chưa nhận tiền tháng 6",
        payroll_line=world.lines["cash_a"],
    )


@pytest.fixture
def scam(world, bhxh_user):
    return ticket_create(
        actor=bhxh_user,
        category="scam_attempt",
        commune=world.b,
        description="Cuộc gọi giả danh BHXH đòi mã OTP",
        reporter_name="Bà Hà",
        reporter_phone="0912345678",
    )


# kind, role, list, new
CASES = [
    (K.BHXH_PROVINCE, R.OFFICER, 200, 200),
    (K.BHXH_PROVINCE, R.VIEWER, 403, 403),
    (K.BHXH_OFFICE, R.OFFICER, 200, 200),
    (K.POLICE_PROVINCE, R.OFFICER, 200, 200),
    (K.POLICE_COMMUNE, R.OFFICER, 200, 200),
    (K.COMMUNE_COMMITTEE, R.OFFICER, 200, 200),
    (K.BANK, R.OFFICER, 200, 200),
    (K.POST, R.OFFICER, 200, 200),
    (K.STATE_BANK, R.OFFICER, 200, 200),
    (K.STATE_BANK, R.VIEWER, 403, 403),
    (K.LEADERSHIP, R.VIEWER, 403, 403),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "role", "see", "new"), CASES, ids=[f"{k}-{r}" for k, r, *_ in CASES]
)
def test_pages_per_role(client, make_user, world, late, scam, kind, role, see, new):
    commune_scoped = kind in (K.BHXH_OFFICE, K.POLICE_COMMUNE, K.COMMUNE_COMMITTEE)
    user = make_user(kind, role, communes=[world.a] if commune_scoped else None)
    client.force_login(user)
    assert client.get(LIST).status_code == see
    assert client.get(NEW).status_code == new
    # commune A's complaint: the area agencies of A and the province see it
    detail = client.get(_detail(late)).status_code
    sees_a = (
        kind
        in (
            K.BHXH_PROVINCE,
            K.BHXH_OFFICE,
            K.POLICE_PROVINCE,
            K.POLICE_COMMUNE,
            K.COMMUNE_COMMITTEE,
        )
        and see == 200
    )
    assert detail == (200 if sees_a else 403 if see == 403 else 404)
    # the scam report of commune B: the province's agencies and the State Bank branch
    sees_b = kind in (K.BHXH_PROVINCE, K.POLICE_PROVINCE, K.STATE_BANK) and see == 200
    assert client.get(_detail(scam)).status_code == (200 if sees_b else 403 if see == 403 else 404)


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(client, late):
    for url in (LIST, NEW, _detail(late)):
        assert client.get(url).status_code == 302
    assert client.post(_action(late), {"action": "comment", "note": "x"}).status_code == 302


@pytest.mark.django_db
def test_record_a_complaint_from_the_page(client, world, office_user):
    client.force_login(office_user)
    b = world.people["agri_a"]
    page = client.get(NEW, {"personal_id": b.personal_id})
    assert page.status_code == 200 and b.full_name in page.text
    assert AuditEvent.objects.filter(action="grievances.beneficiary.lookup").exists()
    missing = client.get(NEW, {"personal_id": world.people["plain_b"].personal_id})
    assert [m.level_tag for m in missing.context["messages"]] == ["warning"]
    r = client.post(
        NEW,
        {
            "category": "account_problem",
            "description": "Thẻ ATM bị nuốt",
            "personal_id": b.personal_id,
            "payment_reference": world.lines["agri_a"].reference,
            "source": "beneficiary",
            "channel": "counter",
            "reporter_name": "Con trai",
            "reporter_phone": "0987654321",
        },
    )
    t = Ticket.objects.get()
    assert r.status_code == 302 and r["Location"] == _detail(t)
    assert t.routed_to == world.agribank and t.payroll_line == world.lines["agri_a"]
    assert t.reporter_phone == "+84987654321" and t.source == "beneficiary"
    detail = client.get(r["Location"])
    assert t.number in detail.text and "Thẻ ATM bị nuốt" in detail.text
    assert b.personal_id not in detail.text  # masked
    assert AuditEvent.objects.filter(action="grievances.ticket.view").exists()
    # no beneficiary: the commune is picked
    r = client.post(
        NEW,
        {
            "category": "scam_attempt",
            "description": "Tin nhắn lừa đảo",
            "commune": world.a.pk,
            "source": "officer",
            "channel": "phone",
            "account_involved": "on",
        },
    )
    assert r.status_code == 302
    t2 = Ticket.objects.exclude(pk=t.pk).get()
    assert t2.routed_to == world.police and t2.copy_to == world.sbv


@pytest.mark.django_db
def test_the_form_reports_what_is_wrong(client, world, office_user):
    client.force_login(office_user)
    base = {
        "category": "data_error",
        "description": "Sai ngày sinh",
        "source": "officer",
        "channel": "counter",
    }
    r = client.post(NEW, {**base, "personal_id": world.people["plain_b"].personal_id})
    assert r.status_code == 200 and "personal_id" in r.context["form"].errors  # commune B
    r = client.post(
        NEW, {**base, "commune": world.a.pk, "payment_reference": world.lines["vcb_b"].reference}
    )
    assert r.status_code == 200 and "payment_reference" in r.context["form"].errors
    r = client.post(NEW, {**base, "personal_id": "123"})
    assert "personal_id" in r.context["form"].errors
    r = client.post(NEW, base)  # neither beneficiary nor commune: the service says so
    assert r.status_code == 200 and not Ticket.objects.exists()
    assert [m.level_tag for m in r.context["messages"]] == ["error"]


@pytest.mark.django_db
def test_list_filters_badge_and_export(client, world, bhxh_user, late, scam):
    Ticket.objects.filter(pk=scam.pk).update(
        received_on=dt.date(2026, 1, 1), due_date=dt.date(2026, 1, 4)
    )
    client.force_login(bhxh_user)
    r = client.get(LIST)
    assert late.number in r.text and scam.number in r.text
    assert r.text.count('data-testid="overdue"') == 1
    r = client.get(LIST, {"overdue": "1"})
    assert scam.number in r.text and late.number not in r.text
    r = client.get(LIST, {"category": "payment_not_received"})
    assert late.number in r.text and scam.number not in r.text
    r = client.get(LIST, {"status": "resolved"})
    assert late.number not in r.text and scam.number not in r.text
    r = client.get(LIST, {"mine": "1"})  # routed to the provincial BHXH: neither
    assert late.number not in r.text and scam.number not in r.text
    r = client.get(LIST, {"q": late.number})
    assert late.number in r.text and scam.number not in r.text
    r = client.get(LIST, {"commune": world.b.pk})
    assert scam.number in r.text and late.number not in r.text
    cells = _cells(client.get(LIST, {"category": "scam_attempt", "format": "xlsx"}))
    assert scam.number in cells and late.number not in cells
    assert AuditEvent.objects.filter(action="export.grievance_tickets").count() == 1


@pytest.mark.django_db
def test_actions_from_the_page(client, world, office_user, police_user, late):
    client.force_login(office_user)
    url = _action(late)
    assert client.post(url, {"action": "comment", "note": "Đã gọi người hưởng"}).status_code == 302
    client.post(url, {"action": "status", "status": "in_progress"})
    late.refresh_from_db()
    assert late.status == Status.IN_PROGRESS
    client.post(url, {"action": "assign", "officer": office_user.pk})
    late.refresh_from_db()
    assert late.assigned_to == office_user
    page = client.get(_detail(late))
    for form in ("comment", "resolve", "status", "assign", "route"):
        assert f'data-testid="{form}"' in page.text
    client.post(
        url,
        {
            "action": "resolve",
            "resolution_code": "paid_late",
            "resolution": "Đã chi trả bổ sung ngày 10/6",
        },
    )
    late.refresh_from_db()
    assert late.status == Status.RESOLVED and late.resolved_by == office_user
    assert 'data-testid="resolution"' in client.get(_detail(late)).text
    client.post(url, {"action": "close"})
    late.refresh_from_db()
    assert late.status == Status.CLOSED
    client.post(url, {"action": "reopen", "note": "Vẫn chưa nhận đủ"})
    late.refresh_from_db()
    assert late.status == Status.OPEN
    r = client.post(
        url, {"action": "route", "organisation": world.police.pk, "note": "Nghi có người nhận thay"}
    )
    late.refresh_from_db()
    assert late.routed_to == world.police
    assert r.status_code == 302 and r["Location"] == _detail(late)  # still in its area
    kinds = list(TicketEvent.objects.filter(ticket=late).values_list("kind", flat=True))
    assert kinds == [
        "created",
        "comment",
        "status",
        "assigned",
        "resolved",
        "status",
        "reopened",
        "routed",
    ]
    history = client.get(_detail(late)).text
    assert "Nghi có người nhận thay" in history and "Đã gọi người hưởng" in history


@pytest.mark.django_db
def test_actions_refused_leave_the_ticket_as_it_is(
    client, world, police_a, agri_user, vcb_user, late, scam
):
    client.force_login(police_a)  # sees commune A's complaint, does not hold it
    page = client.get(_detail(late))
    assert 'data-testid="resolve"' not in page.text and 'data-testid="comment"' in page.text
    r = client.post(
        _action(late),
        {"action": "resolve", "resolution_code": "other", "resolution": "x"},
        follow=True,
    )
    assert r.status_code == 200 and [m.level_tag for m in r.context["messages"]] == ["error"]
    late.refresh_from_db()
    assert late.status == Status.OPEN
    assert client.post(_action(scam), {"action": "comment", "note": "x"}).status_code == 404
    client.force_login(vcb_user)
    assert client.get(_detail(late)).status_code == 404
    client.force_login(agri_user)  # the payment is not Agribank's (cash)
    assert client.get(_detail(late)).status_code == 404
    r = client.post(_action(late), {"action": "nonsense"})
    assert r.status_code == 404
    assert not TicketEvent.objects.filter(kind__in=["resolved", "comment"]).exists()


@pytest.mark.django_db
def test_resolved_ticket_shows_reopen_to_the_recorder(client, world, police_a, police_user):
    t = ticket_create(
        actor=police_a, category="scam_attempt", commune=world.a, description="Giả danh công an"
    )
    ticket_resolve(
        actor=police_user, ticket=t, resolution_code="referred_to_police", resolution="Đã xác minh"
    )
    client.force_login(police_a)
    page = client.get(_detail(t))
    assert 'data-testid="reopen"' in page.text and 'data-testid="close"' not in page.text
    client.post(_action(t), {"action": "reopen", "note": "Lại bị gọi"})
    t.refresh_from_db()
    assert t.status == Status.OPEN
