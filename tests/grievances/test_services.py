from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from chitra.core.models import AuditEvent
from chitra.geo.models import Commune
from chitra.grievances.models import Status, Ticket, TicketEvent
from chitra.grievances.services import (
    DEFAULT_SLA_DAYS,
    default_route,
    ticket_assign,
    ticket_comment,
    ticket_create,
    ticket_reopen,
    ticket_resolve,
    ticket_route,
    ticket_set_status,
)
from chitra.iam.models import OrgKind, Role
from chitra.iam.services import organisation_upsert
from tests.grievances.conftest import member

pytestmark = pytest.mark.usefixtures("english")


def _new(actor, category="payment_not_received", **kw):
    kw.setdefault("description", "Chưa nhận được tiền tháng 6.")
    return ticket_create(actor=actor, category=category, **kw)


# --------------------------------------------------------------------------------------------
# routing
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_payments_and_data_go_to_the_bhxh_office_serving_the_commune(world):
    for category in ("payment_not_received", "wrong_amount", "data_error"):
        assert default_route(category, world.a).organisation == world.office
        assert default_route(category, world.b).organisation == world.bhxh


@pytest.mark.django_db
def test_bhxh_office_is_found_through_its_service_area(world, system, tq):
    from chitra.geo.models import BhxhOffice, OfficeArea

    office = BhxhOffice.objects.create(code="T-KV2", name="KV2", province=tq)
    OfficeArea.objects.create(office=office, commune=world.b)
    org = organisation_upsert(
        actor=system,
        code="t-kv2",
        kind=OrgKind.BHXH_OFFICE,
        name="BHXH KV2",
        province=tq,
        office=office,
    )
    assert default_route("wrong_amount", world.b).organisation == org


@pytest.mark.django_db
def test_account_problems_go_to_the_provider(world):
    lines, people = world.lines, world.people
    route = default_route("account_problem", world.a, lines["agri_a"])
    assert route.organisation == world.agribank and route.copy_to is None
    # no payment line: the provider of the beneficiary's account
    assert (
        default_route("account_problem", world.b, beneficiary=people["vcb_b"]).organisation
        == world.vcb
    )
    # a provider with no organisation in the province, or no account at all: BHXH
    assert default_route("account_problem", world.b, lines["viettel_b"]).organisation == world.bhxh
    assert (
        default_route("account_problem", world.a, beneficiary=people["cash_a"]).organisation
        == world.office
    )


@pytest.mark.django_db
def test_scams_and_frauds_go_to_the_police_with_a_copy_to_the_state_bank(world):
    for category in ("scam_attempt", "suspected_fraud"):
        route = default_route(category, world.a, account_involved=True)
        assert route.organisation == world.police and route.copy_to == world.sbv
        route = default_route(category, world.b)
        assert route.organisation == world.police and route.copy_to is None


@pytest.mark.django_db
def test_missing_organisations_are_named(db, system):
    hanoi = Commune.objects.filter(province__code="01").order_by("code").first()
    with pytest.raises(Exception, match="Provincial social insurance") as exc:
        default_route("payment_not_received", hanoi)
    assert type(exc.value).__name__ == "ChitraError"
    with pytest.raises(Exception, match="Provincial police"):
        default_route("scam_attempt", hanoi)
    bhxh = organisation_upsert(
        actor=system,
        code="hn-bhxh",
        kind=OrgKind.BHXH_PROVINCE,
        name="BHXH Hà Nội",
        province=hanoi.province,
    )
    # no police yet: the provincial BHXH takes the fraud report
    assert default_route("suspected_fraud", hanoi).organisation == bhxh


# --------------------------------------------------------------------------------------------
# recording
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_numbers_routes_dates_and_audits(world, office_user, settings):
    t = _new(
        office_user,
        beneficiary=world.people["cash_a"],
        reporter_phone="0912 345 678",
        channel="phone",
        source="beneficiary",
    )
    today = timezone.localdate()
    assert t.number == f"KN-{today.year}-{t.pk:06d}"
    assert t.commune == world.a and t.routed_to == world.office
    assert t.received_on == today
    assert t.due_date == today + dt.timedelta(days=DEFAULT_SLA_DAYS["payment_not_received"])
    assert t.reporter_phone == "+84912345678" and t.priority == "high"
    assert t.status == Status.OPEN and not t.overdue
    ev = TicketEvent.objects.get(ticket=t)
    assert ev.kind == "created" and ev.to_org == world.office
    assert AuditEvent.objects.filter(
        action="grievances.ticket.create", object_id=str(t.pk)
    ).exists()
    settings.CHITRA_GRIEVANCE_SLA_DAYS = {"data_error": 30}
    t2 = _new(office_user, "data_error", commune=world.a, received_on=today - dt.timedelta(days=3))
    assert t2.due_date == today + dt.timedelta(days=27)


@pytest.mark.django_db
def test_create_from_a_payment_line_takes_its_beneficiary(world, agri_user):
    t = _new(agri_user, "account_problem", payroll_line=world.lines["agri_a"])
    assert t.beneficiary == world.people["agri_a"] and t.commune == world.a
    assert t.routed_to == world.agribank and t.source == "provider"
    assert t.account_involved


@pytest.mark.django_db
def test_create_checks_its_input(world, police_a, bhxh_user, agri_user):
    with pytest.raises(Exception, match="outside your area"):
        _new(police_a, "scam_attempt", commune=world.b)
    with pytest.raises(Exception, match="not one of your area"):
        _new(police_a, beneficiary=world.people["vcb_b"])
    with pytest.raises(Exception, match="not a payment to this beneficiary"):
        _new(bhxh_user, beneficiary=world.people["cash_a"], payroll_line=world.lines["agri_a"])
    with pytest.raises(Exception, match="not one of your area or your customers"):
        _new(agri_user, payroll_line=world.lines["vcb_b"])  # another bank's payment
    with pytest.raises(Exception, match="Choose the commune"):
        _new(bhxh_user, "scam_attempt")
    with pytest.raises(Exception, match="phone"):
        _new(bhxh_user, commune=world.a, reporter_phone="12345")
    with pytest.raises(Exception, match="Describe"):
        _new(bhxh_user, commune=world.a, description="  ")
    with pytest.raises(Exception, match="future"):
        _new(bhxh_user, commune=world.a, received_on=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(Exception, match="Unknown category"):
        _new(bhxh_user, "lost_cat", commune=world.a)
    assert not Ticket.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "role"), [(OrgKind.BHXH_PROVINCE, Role.VIEWER), (OrgKind.LEADERSHIP, Role.VIEWER)]
)
def test_who_cannot_record(world, make_user, kind, role):
    with pytest.raises(PermissionDenied):
        _new(make_user(kind, role), commune=world.a)


# --------------------------------------------------------------------------------------------
# working a ticket
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_the_holder_or_the_provincial_bhxh_resolves(
    world, bhxh_user, police_user, police_a, agri_user, vcb_user
):
    scam = _new(bhxh_user, "scam_attempt", beneficiary=world.people["agri_a"])
    assert scam.routed_to == world.police and scam.copy_to == world.sbv
    with pytest.raises(PermissionDenied):  # sees it (its commune) but does not hold it
        ticket_resolve(actor=police_a, ticket=scam, resolution_code="other", resolution="x")
    with pytest.raises(Http404):  # another bank does not even see it
        ticket_resolve(actor=vcb_user, ticket=scam, resolution_code="other", resolution="x")
    late = _new(bhxh_user, payroll_line=world.lines["agri_a"])
    with pytest.raises(PermissionDenied):  # the bank sees its payment's complaint, BHXH holds it
        ticket_resolve(actor=agri_user, ticket=late, resolution_code="paid_late", resolution="x")
    ticket_comment(actor=agri_user, ticket=late, note="Ngân hàng đã nhận lệnh chi ngày 5/6.")
    t = ticket_resolve(
        actor=police_user,
        ticket=scam,
        resolution_code="referred_to_police",
        resolution="Đã tiếp nhận, điều tra.",
    )
    assert t.status == Status.RESOLVED and t.resolved_by == police_user and t.resolved_at
    late = ticket_resolve(
        actor=bhxh_user, ticket=late, resolution_code="paid_late", resolution="Đã chi bổ sung."
    )
    assert late.status == Status.RESOLVED
    with pytest.raises(Exception, match="already answered"):
        ticket_resolve(actor=bhxh_user, ticket=late, resolution_code="other", resolution="y")
    assert AuditEvent.objects.filter(action="grievances.ticket.resolve").count() == 2


@pytest.mark.django_db
def test_no_fault_means_not_founded_and_status_rules(world, office_user):
    t = _new(office_user, "wrong_amount", beneficiary=world.people["cash_a"])
    with pytest.raises(Exception, match="Record the resolution"):
        ticket_set_status(actor=office_user, ticket=t, status="resolved")
    with pytest.raises(Exception, match="which information"):
        ticket_set_status(actor=office_user, ticket=t, status="waiting_info")
    with pytest.raises(Exception, match="cannot become"):
        ticket_set_status(actor=office_user, ticket=t, status="closed")
    t = ticket_set_status(actor=office_user, ticket=t, status="in_progress")
    t = ticket_set_status(
        actor=office_user, ticket=t, status="waiting_info", note="Chờ sao kê tài khoản."
    )
    with pytest.raises(Exception, match="Describe what was done"):
        ticket_resolve(actor=office_user, ticket=t, resolution_code="no_fault", resolution="")
    t = ticket_resolve(
        actor=office_user,
        ticket=t,
        resolution_code="no_fault",
        resolution="Số tiền đúng theo quyết định.",
    )
    assert t.status == Status.REJECTED
    t = ticket_set_status(actor=office_user, ticket=t, status="closed")
    assert t.status == Status.CLOSED
    with pytest.raises(Exception, match="closed"):
        ticket_comment(actor=office_user, ticket=t, note="thêm")
    with pytest.raises(Exception, match="why"):
        ticket_reopen(actor=office_user, ticket=t, note="")
    t = ticket_reopen(actor=office_user, ticket=t, note="Người hưởng khiếu nại lại.")
    assert t.status == Status.OPEN and t.resolved_at is None and t.resolution == ""
    kinds = list(TicketEvent.objects.filter(ticket=t).values_list("kind", flat=True))
    assert kinds == ["created", "status", "status", "resolved", "status", "reopened"]


@pytest.mark.django_db
def test_the_recording_organisation_may_reopen(world, police_a, police_user):
    t = _new(police_a, "scam_attempt", commune=world.a)
    t = ticket_resolve(
        actor=police_user, ticket=t, resolution_code="referred_to_police", resolution="Đã xử lý."
    )
    with pytest.raises(PermissionDenied):
        ticket_set_status(actor=police_a, ticket=t, status="closed")
    t = ticket_reopen(actor=police_a, ticket=t, note="Lại bị gọi điện lừa đảo.")
    assert t.status == Status.OPEN


@pytest.mark.django_db
def test_route_by_bhxh_or_the_holder_only(
    world, system, tq, office_user, police_a, agri_user, bhxh_user
):
    t = _new(office_user, "account_problem", payroll_line=world.lines["agri_a"])
    assert t.routed_to == world.agribank
    with pytest.raises(PermissionDenied):  # police of the commune: sees it, cannot route
        ticket_route(actor=police_a, ticket=t, organisation=world.police, note="x")
    with pytest.raises(Exception, match="Say why"):
        ticket_route(actor=agri_user, ticket=t, organisation=world.office, note="")
    with pytest.raises(Exception, match="already with"):
        ticket_route(actor=agri_user, ticket=t, organisation=world.agribank, note="x")
    other = organisation_upsert(
        actor=system,
        code="hn-bhxh",
        kind=OrgKind.BHXH_PROVINCE,
        name="BHXH Hà Nội",
        province=Commune.objects.filter(province__code="01").first().province,
    )
    with pytest.raises(Exception, match="not an organisation of"):
        ticket_route(actor=agri_user, ticket=t, organisation=other, note="x")
    committee = organisation_upsert(
        actor=system,
        code="t-ubnd",
        kind=OrgKind.COMMUNE_COMMITTEE,
        name="UBND xã",
        province=tq,
        communes=[world.a],
    )
    with pytest.raises(Exception, match="does not handle complaints"):
        ticket_route(actor=agri_user, ticket=t, organisation=committee, note="x")
    ticket_set_status(actor=agri_user, ticket=t, status="in_progress")
    t = ticket_route(
        actor=agri_user,
        ticket=t,
        organisation=world.office,
        note="Sai tên chủ tài khoản trong hồ sơ BHXH.",
    )
    assert t.routed_to == world.office and t.status == Status.OPEN
    with pytest.raises(PermissionDenied):  # no longer the holder
        ticket_resolve(actor=agri_user, ticket=t, resolution_code="other", resolution="x")
    ev = TicketEvent.objects.filter(ticket=t, kind="routed").get()
    assert ev.from_org == world.agribank and ev.to_org == world.office
    # a BHXH office may route what is in its area even when it does not hold it
    t = ticket_route(actor=office_user, ticket=t, organisation=world.police, note="Nghi gian lận")
    assert t.routed_to == world.police
    assert AuditEvent.objects.filter(action="grievances.ticket.route").count() == 2


@pytest.mark.django_db
def test_assign_to_someone_who_may_work_it(world, system, bhxh_user, police_user, police_a):
    t = _new(bhxh_user, "scam_attempt", commune=world.b)
    colleague = member(system, world.police)
    t = ticket_assign(actor=police_user, ticket=t, officer=colleague)
    assert t.assigned_to == colleague
    with pytest.raises(Exception, match="cannot work"):
        ticket_assign(actor=police_user, ticket=t, officer=police_a)
    t = ticket_assign(actor=bhxh_user, ticket=t, officer=None)
    assert t.assigned_to is None
    assert TicketEvent.objects.filter(ticket=t, kind="assigned").count() == 2


# --------------------------------------------------------------------------------------------
# the database refuses what must never be
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_constraints(world, bhxh_user):
    t = _new(bhxh_user, commune=world.b)
    cases = [
        {"status": "resolved"},  # no resolution
        {"status": "closed", "resolution": "x", "resolution_code": "other"},  # no resolved_at
        {"resolved_at": timezone.now()},  # open yet resolved
        {"due_date": t.received_on - dt.timedelta(days=1)},
        {"status": "lost"},
    ]
    for values in cases:
        with pytest.raises(IntegrityError), transaction.atomic():
            Ticket.objects.filter(pk=t.pk).update(**values)
    Ticket.objects.filter(pk=t.pk).update(
        status="resolved", resolution="x", resolution_code="other", resolved_at=timezone.now()
    )
    with pytest.raises(IntegrityError), transaction.atomic():  # numbers are unique
        Ticket.objects.create(
            number=t.number,
            category="data_error",
            source="officer",
            channel="counter",
            description="x",
            commune=world.a,
            routed_to=world.bhxh,
            received_on=t.received_on,
            due_date=t.due_date,
            created_by=bhxh_user,
        )


@pytest.mark.django_db
def test_a_beneficiary_elsewhere_in_the_registry_is_not_needed(world, bhxh_user):
    """A scam attempt on a neighbour: no beneficiary, the commune named."""
    t = _new(
        bhxh_user, "scam_attempt", commune=world.b, reporter_name="Hàng xóm", account_involved=True
    )
    assert t.beneficiary is None and t.copy_to == world.sbv
