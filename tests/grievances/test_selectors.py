from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from chitra.geo.models import Commune
from chitra.grievances.models import Ticket
from chitra.grievances.selectors import deadline_stats, ticket_get, tickets
from chitra.grievances.services import ticket_create, ticket_resolve, ticket_route
from chitra.grievances.stats import deadline_counts
from chitra.iam.models import OrgKind, Role
from chitra.iam.services import organisation_upsert
from tests.grievances.conftest import member

pytestmark = pytest.mark.usefixtures("english")


def _new(actor, category, **kw):
    return ticket_create(actor=actor, category=category, description="Nội dung", **kw)


@pytest.fixture
def some(world, bhxh_user):
    """One ticket of each kind of visibility."""
    p, lines = world.people, world.lines
    return {
        "late_a": _new(bhxh_user, "payment_not_received", payroll_line=lines["cash_a"]),
        "agri_line": _new(bhxh_user, "wrong_amount", payroll_line=lines["agri_a"]),
        "agri_routed": _new(bhxh_user, "account_problem", beneficiary=p["agri_a"]),
        "vcb_line": _new(bhxh_user, "account_problem", payroll_line=lines["vcb_b"]),
        "scam_b": _new(bhxh_user, "scam_attempt", commune=world.b),
        "data_b": _new(bhxh_user, "data_error", beneficiary=p["plain_b"]),
    }


def _seen(actor) -> set[str]:
    return set(tickets(actor).values_list("number", flat=True))


def _keys(some, *keys) -> set[str]:
    return {some[k].number for k in keys}


@pytest.mark.django_db
def test_area_agencies_see_their_communes(
    some, bhxh_user, office_user, police_a, police_b, police_user, make_user, world
):
    assert _seen(bhxh_user) == _keys(some, *some)
    assert _seen(police_user) == _keys(some, *some)  # the provincial police: the province
    assert _seen(police_a) == _keys(some, "late_a", "agri_line", "agri_routed")
    assert _seen(police_b) == _keys(some, "vcb_line", "scam_b", "data_b")
    assert _seen(office_user) == _keys(some, "late_a", "agri_line", "agri_routed")
    committee = make_user(OrgKind.COMMUNE_COMMITTEE, Role.OFFICER, communes=[world.b])
    assert _seen(committee) == _keys(some, "vcb_line", "scam_b", "data_b")
    with pytest.raises(Http404):
        ticket_get(police_a, some["scam_b"].pk)
    assert ticket_get(police_b, some["scam_b"].pk) == some["scam_b"]


@pytest.mark.django_db
def test_banks_see_their_own_lines_and_what_is_routed_to_them(some, agri_user, vcb_user, make_user):
    assert _seen(agri_user) == _keys(some, "agri_line", "agri_routed")
    assert _seen(vcb_user) == _keys(some, "vcb_line")
    with pytest.raises(Http404):
        ticket_get(vcb_user, some["agri_line"].pk)
    with pytest.raises(Http404):
        ticket_get(agri_user, some["vcb_line"].pk)
    # a bank of the same code with no organisation routed: only the lines
    other_branch = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405")
    assert _seen(other_branch) == _keys(some, "agri_line")
    wallet = make_user(OrgKind.EWALLET, Role.OFFICER, provider_code="971025")
    assert _seen(wallet) == set()


@pytest.mark.django_db
def test_what_the_routed_organisation_sees_follows_the_ticket(some, world, bhxh_user, vcb_user):
    ticket_route(
        actor=bhxh_user, ticket=some["data_b"], organisation=world.vcb, note="Ngân hàng kiểm tra"
    )
    assert _keys(some, "data_b") <= _seen(vcb_user)


@pytest.mark.django_db
def test_state_bank_sees_scams_and_frauds_leadership_none(
    some, world, sbv_user, make_user, bhxh_user
):
    assert _seen(sbv_user) == _keys(some, "scam_b")
    assert tickets(sbv_user, mine=True).count() == 0
    copied = _new(bhxh_user, "suspected_fraud", beneficiary=world.people["agri_a"])
    assert copied.copy_to == world.sbv
    assert copied.number in set(tickets(sbv_user, mine=True).values_list("number", flat=True))
    leader = make_user(OrgKind.LEADERSHIP, Role.OFFICER)
    assert _seen(leader) == set()
    viewer = make_user(OrgKind.BHXH_PROVINCE, Role.VIEWER)
    assert _seen(viewer) == set()


@pytest.mark.django_db
def test_other_provinces_stay_apart(some, system):
    hanoi = Commune.objects.filter(province__code="01").order_by("code").first()
    org = organisation_upsert(
        actor=system,
        code="hn-bhxh",
        kind=OrgKind.BHXH_PROVINCE,
        name="BHXH Hà Nội",
        province=hanoi.province,
    )
    assert _seen(member(system, org)) == set()


@pytest.mark.django_db
def test_filters(some, world, bhxh_user, agri_user):
    assert {t.category for t in tickets(bhxh_user, category="account_problem")} == {
        "account_problem"
    }
    assert tickets(bhxh_user, mine=True).get() == some["data_b"]  # routed to the province
    assert tickets(agri_user, mine=True).get() == some["agri_routed"]
    n = some["late_a"].number
    assert tickets(bhxh_user, q=n.lower().replace("-", "")).get() == some["late_a"]
    assert tickets(bhxh_user, q=world.lines["vcb_b"].reference).get() == some["vcb_line"]
    assert tickets(bhxh_user, q=world.people["plain_b"].personal_id).get() == some["data_b"]
    Ticket.objects.filter(pk=some["scam_b"].pk).update(
        received_on=dt.date(2026, 1, 1), due_date=dt.date(2026, 1, 4)
    )
    assert tickets(bhxh_user, overdue=True).get() == some["scam_b"]
    assert Ticket.objects.get(pk=some["scam_b"].pk).overdue
    ticket_resolve(
        actor=bhxh_user, ticket=some["scam_b"], resolution_code="other", resolution="Đã xử lý"
    )
    assert not tickets(bhxh_user, overdue=True).exists()
    assert tickets(bhxh_user, status="active").count() == 5
    assert tickets(bhxh_user, status="resolved").get() == some["scam_b"]


@pytest.mark.django_db
def test_deadline_stats(world, bhxh_user, police_b, agri_user):
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=30), today + dt.timedelta(days=30)

    def make(category, due_days, resolved_days=None, commune=None):
        t = _new(bhxh_user, category, commune=commune or world.b)
        due = today + dt.timedelta(days=due_days)
        Ticket.objects.filter(pk=t.pk).update(received_on=due - dt.timedelta(days=3), due_date=due)
        if resolved_days is not None:
            t.refresh_from_db()
            ticket_resolve(actor=bhxh_user, ticket=t, resolution_code="other", resolution="x")
            when = timezone.now() + dt.timedelta(days=resolved_days)
            Ticket.objects.filter(pk=t.pk).update(resolved_at=when)
        return t

    make("data_error", -10, resolved_days=-12)  # answered 2 days early: met
    make("data_error", -10, resolved_days=-10)  # answered on the day: met
    make("data_error", -10, resolved_days=-5)  # answered 5 days late
    make("scam_attempt", -2)  # open, overdue
    make("scam_attempt", 5)  # open, not due yet: not counted
    make("data_error", 5, resolved_days=0)  # answered early, due later: met
    make("data_error", -60, resolved_days=-70)  # due before the period
    make("data_error", -3, commune=world.a)  # commune A, overdue
    stats = deadline_stats(actor=bhxh_user, start=start, end=end)
    assert stats == {"due": 6, "met": 3, "open_overdue": 2}
    assert deadline_counts(Ticket.objects.all(), start=start, end=end) == stats
    # scoped: the police of commune B see 5 of them
    assert deadline_stats(actor=police_b, start=start, end=end) == {
        "due": 5,
        "met": 3,
        "open_overdue": 1,
    }
    assert deadline_stats(actor=agri_user, start=start, end=end) == {
        "due": 0,
        "met": 0,
        "open_overdue": 0,
    }
    assert deadline_counts(
        Ticket.objects.filter(category="scam_attempt"), start=start, end=end
    ) == {
        "due": 1,
        "met": 0,
        "open_overdue": 1,
    }
