"""Issue #12 item 8: a complaint goes to the organisation that must answer it, found through
the beneficiary's commune and the BHXH offices' service areas (geo.OfficeArea: one office per
commune), for every category; the office's users see and work what is routed to them, and the
provincial BHXH still sees it.

Xã Yên Sơn is served by the office "khu vực 6". The office of khu vực 1 still lists Yên Sơn
among its organisation's communes (it served it before the service areas were redrawn): the
service area decides, not that stale list."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from chitra.geo.models import BhxhOffice, Commune
from chitra.geo.services import office_set_area
from chitra.grievances.models import Category, Status, TicketEvent
from chitra.grievances.selectors import tickets, visible_tickets
from chitra.grievances.services import (
    may_work,
    ticket_create,
    ticket_resolve,
    ticket_set_status,
)
from chitra.iam.models import Organisation, OrgKind, Role, User
from chitra.iam.services import organisation_upsert
from chitra.payment_methods.models import Provider
from chitra.registry.models import Beneficiary
from tests.factories import BeneficiaryFactory
from tests.grievances.conftest import _account, _line, member

pytestmark = pytest.mark.usefixtures("english")


@dataclass
class Served:
    yen_son: Commune
    kv6: Organisation
    kv6_user: User
    with_account: Beneficiary  # of Yên Sơn, paid into a Vietcombank account
    cash: Beneficiary  # of Yên Sơn, paid in cash, no account


@pytest.fixture
def served(world, system, tq) -> Served:
    ys = Commune.objects.get(province=tq, name="Xã Yên Sơn")
    kv1_office = BhxhOffice.objects.create(code="T-KV1", name="BHXH cơ sở khu vực 1", province=tq)
    kv6_office = BhxhOffice.objects.create(code="T-KV6", name="BHXH cơ sở khu vực 6", province=tq)
    office_set_area(actor=system, office=kv1_office, communes=[world.a])
    office_set_area(actor=system, office=kv6_office, communes=[ys])
    # khu vực 1 (made first, so its id is lower) still lists Yên Sơn among its communes
    organisation_upsert(
        actor=system,
        code="t-kv1",
        kind=OrgKind.BHXH_OFFICE,
        name="BHXH khu vực 1",
        province=tq,
        communes=[world.a, ys],
        office=kv1_office,
    )
    kv6 = organisation_upsert(
        actor=system,
        code="t-kv6",
        kind=OrgKind.BHXH_OFFICE,
        name="BHXH cơ sở khu vực 6",
        province=tq,
        communes=[ys],
        office=kv6_office,
    )
    with_account = BeneficiaryFactory(full_name="Hà Văn Sơn", commune=ys)
    _account(with_account, Provider.objects.get(code="970436"), system)
    cash = BeneficiaryFactory(full_name="Ma Thị Yên", sex="F", commune=ys)
    return Served(ys, kv6, member(system, kv6), with_account, cash)


def _expected(world, served) -> dict[str, tuple[Organisation, Organisation | None]]:
    """Where each category goes, for the Yên Sơn beneficiary with a Vietcombank account."""
    return {
        Category.PAYMENT_NOT_RECEIVED: (served.kv6, None),
        Category.WRONG_AMOUNT: (served.kv6, None),
        Category.DATA_ERROR: (served.kv6, None),
        Category.ACCOUNT_PROBLEM: (world.vcb, None),
        Category.SCAM_ATTEMPT: (world.police, world.sbv),
        Category.SUSPECTED_FRAUD: (world.police, world.sbv),
    }


def test_every_category_has_a_decided_destination(world, served):
    assert set(_expected(world, served)) == set(Category.values)


@pytest.mark.django_db
@pytest.mark.parametrize("category", Category.values)
def test_each_category_follows_the_beneficiarys_commune(world, served, bhxh_user, category):
    org, copy = _expected(world, served)[category]
    t = ticket_create(
        actor=bhxh_user,
        category=category,
        description="Khiếu nại",
        beneficiary=served.with_account,
        commune=world.a,
    )  # a commune given by mistake: the beneficiary's wins
    assert t.commune == served.yen_son
    assert (t.routed_to, t.copy_to) == (org, copy)
    assert TicketEvent.objects.get(ticket=t, kind="created").to_org == org


@pytest.mark.django_db
@pytest.mark.parametrize("category", Category.values)
def test_each_category_for_a_beneficiary_paid_in_cash(world, served, bhxh_user, category):
    """No account: an account problem goes to the office of the commune; no copy to the State
    Bank for frauds."""
    t = ticket_create(
        actor=bhxh_user, category=category, description="Khiếu nại", beneficiary=served.cash
    )
    org = world.police if category in ("scam_attempt", "suspected_fraud") else served.kv6
    assert (t.routed_to, t.copy_to) == (org, None)


@pytest.mark.django_db
@pytest.mark.parametrize("category", Category.values)
def test_each_category_from_a_payment_line(world, served, bhxh_user, category):
    """A payment made to the Yên Sơn beneficiary through Vietcombank."""
    cycle = world.lines["cash_a"].cycle
    account = served.with_account.accounts.get()
    line = _line(cycle, served.with_account, account.provider, "BANK_ACCOUNT", account)
    org, copy = _expected(world, served)[category]
    t = ticket_create(
        actor=bhxh_user, category=category, description="Khiếu nại", payroll_line=line
    )
    assert t.beneficiary == served.with_account and (t.routed_to, t.copy_to) == (org, copy)


@pytest.mark.django_db
@pytest.mark.parametrize("category", Category.values)
def test_each_category_without_a_beneficiary(world, served, make_user, category):
    """A report about nobody in the registry (a neighbour's scam call, a pay point that did not
    open) goes by the commune it comes from; a commune police officer's own commune is taken
    when none is named."""
    police_ys = make_user(OrgKind.POLICE_COMMUNE, Role.OFFICER, communes=[served.yen_son])
    t = ticket_create(actor=police_ys, category=category, description="Người dân báo")
    assert t.commune == served.yen_son and t.beneficiary is None
    org = world.police if category in ("scam_attempt", "suspected_fraud") else served.kv6
    assert (t.routed_to, t.copy_to) == (org, None)
    t2 = ticket_create(
        actor=served.kv6_user,
        category=category,
        description="Người dân báo",
        commune=served.yen_son,
        account_involved=True,
    )
    copy = world.sbv if category in ("scam_attempt", "suspected_fraud") else None
    assert (t2.routed_to, t2.copy_to) == (org, copy)


@pytest.mark.django_db
def test_an_office_without_an_organisation_falls_back_to_the_province_and_says_so(
    world, served, system, tq, tq_communes, bhxh_user
):
    commune = tq_communes[5]
    kv5 = BhxhOffice.objects.create(code="T-KV5", name="BHXH cơ sở khu vực 5", province=tq)
    office_set_area(actor=system, office=kv5, communes=[commune])
    b = BeneficiaryFactory(full_name="Lò Văn Năm", commune=commune)
    t = ticket_create(
        actor=bhxh_user, category="wrong_amount", description="Sai số tiền", beneficiary=b
    )
    assert t.routed_to == world.bhxh
    note = TicketEvent.objects.get(ticket=t, kind="routed").note
    assert "BHXH cơ sở khu vực 5" in note and commune.name in note


@pytest.mark.django_db
def test_a_commune_served_by_the_provincial_office_goes_to_the_provincial_bhxh(
    world, served, system, tq, tq_communes, bhxh_user
):
    commune = tq_communes[6]
    provincial = BhxhOffice.objects.create(
        code="T-TINH", name="BHXH tỉnh", province=tq, is_provincial=True
    )
    office_set_area(actor=system, office=provincial, communes=[commune])
    b = BeneficiaryFactory(full_name="Triệu Văn Sáu", commune=commune)
    t = ticket_create(
        actor=bhxh_user, category="data_error", description="Sai ngày sinh", beneficiary=b
    )
    assert t.routed_to == world.bhxh
    assert not TicketEvent.objects.filter(ticket=t, kind="routed").exists()


@pytest.mark.django_db
def test_the_office_works_what_is_routed_to_it_and_the_province_still_sees_it(
    client, world, served, bhxh_user, make_user
):
    office_a = make_user(OrgKind.BHXH_OFFICE, Role.OFFICER, communes=[world.a])
    t = ticket_create(
        actor=bhxh_user,
        category="payment_not_received",
        description="Chưa nhận lương hưu",
        beneficiary=served.cash,
    )
    assert t.routed_to == served.kv6
    kv6_user = served.kv6_user
    assert t in tickets(kv6_user, mine=True) and may_work(kv6_user, t)
    assert t in tickets(bhxh_user) and may_work(bhxh_user, t)
    # the office of another area neither sees it nor works it
    assert not visible_tickets(office_a).filter(pk=t.pk).exists()
    client.force_login(kv6_user)
    assert served.cash.full_name in client.get(reverse("ticket_list"), {"mine": "1"}).text
    assert client.get(reverse("ticket_detail", args=[t.pk])).status_code == 200
    r = client.post(
        reverse("ticket_action", args=[t.pk]),
        {"action": "status", "status": "in_progress", "note": "Đang kiểm tra"},
    )
    assert r.status_code == 302
    t.refresh_from_db()
    assert t.status == Status.IN_PROGRESS
    ticket_set_status(actor=kv6_user, ticket=t, status="waiting_info", note="Chờ sao kê")
    client.force_login(bhxh_user)
    assert client.get(reverse("ticket_detail", args=[t.pk])).status_code == 200
    t = ticket_resolve(
        actor=bhxh_user, ticket=t, resolution_code="paid_late", resolution="Đã chi trả bổ sung"
    )
    assert t.status == Status.RESOLVED


@pytest.mark.django_db
def test_the_demo_routes_a_yen_son_complaint_to_the_office_serving_it(system, tq):
    from chitra.demo.iam import ensure_demo_org_users

    ensure_demo_org_users(actor=system, province=tq)
    ys = Commune.objects.get(province=tq, name="Xã Yên Sơn")
    office = ys.office_area.office
    b = BeneficiaryFactory(full_name="Hoàng Văn Yên", commune=ys)
    recorder = User.objects.get(username="bhxh.officer")
    t = ticket_create(
        actor=recorder,
        category="payment_not_received",
        description="Chưa nhận được lương hưu tháng này.",
        beneficiary=b,
    )
    assert t.routed_to.kind == OrgKind.BHXH_OFFICE and t.routed_to.office == office
    officer = User.objects.get(organisation=t.routed_to, role=Role.OFFICER)
    assert ys.pk in (officer.scope_commune_ids() or [])
    assert may_work(officer, t) and t in tickets(officer, mine=True)
    # every office of the demo has its organisation, serving exactly its service area
    for o in BhxhOffice.objects.filter(province=tq, is_provincial=False):
        org = Organisation.objects.get(office=o, kind=OrgKind.BHXH_OFFICE)
        assert set(org.communes.values_list("id", flat=True)) == set(
            o.area.values_list("commune_id", flat=True)
        )
