from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from chitra.core.errors import ChitraError
from chitra.core.models import AuditEvent
from chitra.iam.models import OrgKind, Role
from chitra.outreach.models import Assignment, Campaign, Contact, DeathReport
from chitra.outreach.services import (
    campaign_assign,
    campaign_create,
    contact_record,
    death_reports_check,
)
from chitra.payment_methods.models import ChangeRequest
from chitra.registry.models import Beneficiary, Entitlement
from tests.outreach.conftest import CASH_KEYS

TODAY = dt.date.today()


def _a(campaign, ben):
    return Assignment.objects.get(campaign=campaign, beneficiary=ben)


@pytest.mark.django_db
def test_work_list_holds_only_beneficiaries_paid_in_cash(campaign, people):
    names = set(campaign.assignments.values_list("beneficiary__full_name", flat=True))
    expected = {people[k].full_name for k in CASH_KEYS} | {people["other"].full_name}
    assert names == expected
    assert all(a.status == "open" and a.assigned_to is None for a in campaign.assignments.all())
    assert _a(campaign, people["other"]).commune_id == people["other"].commune_id
    ev = AuditEvent.objects.get(action="outreach.campaign.create", object_id=str(campaign.pk))
    assert ev.after["assignments"] == len(expected)


@pytest.mark.django_db
def test_campaign_is_limited_to_the_actors_area(
    people, make_user, tq_communes, bank_officer, police_a
):
    office = make_user(OrgKind.BHXH_OFFICE, Role.OFFICER, communes=[tq_communes[0]])
    with pytest.raises(ChitraError):
        campaign_create(
            actor=office, name="X", communes=[tq_communes[1]], start_date=TODAY, end_date=TODAY
        )
    c = campaign_create(
        actor=office, name="X", communes=[tq_communes[0]], start_date=TODAY, end_date=TODAY
    )
    assert c.assignments.filter(beneficiary=people["other"]).count() == 0
    with pytest.raises(ChitraError):
        campaign_create(
            actor=office,
            name="X",
            communes=[tq_communes[0]],
            start_date=TODAY,
            end_date=TODAY - dt.timedelta(days=1),
        )
    for actor in (bank_officer, police_a):
        with pytest.raises(PermissionDenied):
            campaign_create(
                actor=actor, name="X", communes=[tq_communes[0]], start_date=TODAY, end_date=TODAY
            )


@pytest.mark.django_db
def test_assignment_respects_the_officers_area(
    campaign, people, bhxh_officer, police_a, police_b, post_officer, bank_officer
):
    everything = list(campaign.assignments.all())
    assert campaign_assign(actor=bhxh_officer, assignments=everything, officer=police_b) == 1
    assert _a(campaign, people["other"]).assigned_to == police_b
    assert _a(campaign, people["cash"]).assigned_to is None
    n_a = len(CASH_KEYS)
    assert campaign_assign(actor=bhxh_officer, assignments=everything, officer=police_a) == n_a
    with pytest.raises(ChitraError):
        campaign_assign(actor=bhxh_officer, assignments=everything, officer=bank_officer)
    with pytest.raises(PermissionDenied):
        campaign_assign(actor=police_a, assignments=everything, officer=police_a)
    # Vietnam Post works anywhere in its province, on the work handed to it
    assert (
        campaign_assign(
            actor=bhxh_officer, assignments=[_a(campaign, people["home"])], officer=post_officer
        )
        == 1
    )
    assert AuditEvent.objects.filter(action="outreach.assignment.assign").count() == 1 + n_a + 1
    # unassign
    assert campaign_assign(actor=bhxh_officer, assignments=everything, officer=None) == len(
        everything
    )


@pytest.mark.django_db
def test_agreed_with_account_opens_a_draft_change_request(campaign, people, police_a, agribank):
    a = _a(campaign, people["cash"])
    c = contact_record(
        actor=police_a,
        assignment=a,
        outcome="agreed",
        channel="visit",
        method="BANK_ACCOUNT",
        provider=agribank,
        number="0123456789012",
        holder_name="NGUYEN VAN TIEN",
    )
    cr = c.change_request
    assert cr is not None and cr.status == ChangeRequest.Status.DRAFT
    assert cr.source == "outreach" and cr.maker == police_a and cr.name_check == "match"
    a.refresh_from_db()
    assert a.status == "done" and a.last_outcome == "agreed" and a.last_contact_date == TODAY
    ev = AuditEvent.objects.get(action="outreach.contact.record", object_id=str(c.pk))
    assert ev.after["change_request"] == cr.pk and ev.actor == police_a
    assert "0123456789012" not in str(ev.after)
    with pytest.raises(ChitraError):  # done
        contact_record(actor=police_a, assignment=a, outcome="unreachable")


@pytest.mark.django_db
def test_agreed_without_account_is_a_referral_and_stays_open(
    campaign, people, committee_a, agribank
):
    a = _a(campaign, people["home"])
    with pytest.raises(ChitraError):  # the commune committee cannot open change requests
        contact_record(
            actor=committee_a,
            assignment=a,
            outcome="agreed",
            method="BANK_ACCOUNT",
            provider=agribank,
            number="0123456789012",
            holder_name="TRAN THI NHA",
        )
    with pytest.raises(ChitraError):  # method and provider are needed
        contact_record(actor=committee_a, assignment=a, outcome="agreed")
    follow = TODAY + dt.timedelta(days=10)
    c = contact_record(
        actor=committee_a,
        assignment=a,
        outcome="agreed",
        channel="phone",
        method="BANK_ACCOUNT",
        provider=agribank,
        follow_up_date=follow,
    )
    assert c.change_request is None and c.provider == agribank
    a.refresh_from_db()
    assert a.status == "open" and a.last_outcome == "agreed" and a.follow_up_date == follow
    assert not ChangeRequest.objects.filter(source="outreach").exists()


@pytest.mark.django_db
def test_each_outcome_and_its_checks(campaign, people, police_a, agribank):
    a = _a(campaign, people["back_to_cash"])
    with pytest.raises(ChitraError):
        contact_record(actor=police_a, assignment=a, outcome="declined")
    with pytest.raises(ChitraError):
        contact_record(actor=police_a, assignment=a, outcome="declined", reason="other")
    with pytest.raises(ChitraError):
        contact_record(actor=police_a, assignment=a, outcome="needs_account", provider=agribank)
    with pytest.raises(ChitraError):
        contact_record(
            actor=police_a, assignment=a, outcome="unreachable", date=TODAY + dt.timedelta(days=1)
        )
    with pytest.raises(ChitraError):
        contact_record(actor=police_a, assignment=a, outcome="nonsense")
    contact_record(actor=police_a, assignment=a, outcome="unreachable", channel="phone")
    contact_record(actor=police_a, assignment=a, outcome="needs_phone")
    contact_record(actor=police_a, assignment=a, outcome="needs_id_card")
    contact_record(
        actor=police_a,
        assignment=a,
        outcome="needs_account",
        provider=agribank,
        follow_up_date=TODAY + dt.timedelta(days=7),
    )
    a.refresh_from_db()
    assert a.status == "open" and a.last_outcome == "needs_account"
    contact_record(actor=police_a, assignment=a, outcome="declined", reason="prefers_cash")
    a.refresh_from_db()
    assert a.status == "done" and a.contacts.count() == 5
    b = _a(campaign, people["future_bank"])
    contact_record(actor=police_a, assignment=b, outcome="moved_away", note="Đi Hà Nội")
    b.refresh_from_db()
    assert b.status == "done"
    assert AuditEvent.objects.filter(action="outreach.contact.record").count() == 6
    assert Contact.objects.filter(outcome="declined").get().reason == "prefers_cash"


@pytest.mark.django_db
def test_contacts_are_scoped(campaign, people, police_b, post_officer, bhxh_officer, bank_officer):
    a = _a(campaign, people["cash"])
    with pytest.raises(Http404):
        contact_record(actor=police_b, assignment=a, outcome="unreachable")
    with pytest.raises(Http404):  # not handed to Vietnam Post
        contact_record(actor=post_officer, assignment=a, outcome="unreachable")
    with pytest.raises(PermissionDenied):
        contact_record(actor=bank_officer, assignment=a, outcome="unreachable")
    campaign_assign(actor=bhxh_officer, assignments=[a], officer=post_officer)
    contact_record(actor=post_officer, assignment=a, outcome="unreachable")


@pytest.mark.django_db
def test_reported_dead_opens_a_report_checked_against_the_register(
    campaign, people, police_a, bhxh_officer, register
):
    dead, alive = _a(campaign, people["cash"]), _a(campaign, people["home"])
    noid = _a(campaign, people["noid"])
    for a in (dead, alive, noid):
        contact_record(actor=police_a, assignment=a, outcome="reported_dead", note="Hàng xóm báo")
    assert DeathReport.objects.filter(checked_at__isnull=True).count() == 3
    dead.refresh_from_db()
    assert dead.status == "done"
    assert AuditEvent.objects.filter(action="outreach.death_report.create").count() == 3
    with pytest.raises(PermissionDenied):  # commune police do not run register checks
        death_reports_check(actor=police_a)
    run = death_reports_check(actor=bhxh_officer)
    assert run is not None and run.total == 2 and run.counts["deceased"] == 1
    reports = {r.beneficiary_id: r for r in DeathReport.objects.all()}
    assert reports[people["cash"].pk].check_outcome == "deceased"
    assert reports[people["home"].pk].check_outcome == "verified"
    assert reports[people["noid"].pk].check_outcome == "no_id"
    assert all(r.checked_at and r.checked_at <= timezone.now() for r in reports.values())
    assert Beneficiary.objects.get(pk=people["cash"].pk).status == "deceased"
    assert Entitlement.objects.get(beneficiary=people["cash"]).status == "suspended"
    assert Beneficiary.objects.get(pk=people["home"].pk).status == "active"
    assert AuditEvent.objects.filter(action="outreach.death_report.check").count() == 3
    assert death_reports_check(actor=bhxh_officer) is None  # nothing open any more


@pytest.mark.django_db
def test_campaign_create_is_one_query_per_batch_not_per_person(
    people, bhxh_officer, tq_communes, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        campaign_create(
            actor=bhxh_officer, name="Q", communes=tq_communes[:2], start_date=TODAY, end_date=TODAY
        )
    assert Campaign.objects.count() == 1


@pytest.mark.django_db
def test_a_visit_that_meets_the_person_is_a_proof_of_life_a_call_is_not(campaign, people, police_a):
    from chitra.registry.models import Beneficiary

    a = _a(campaign, people["cash"])
    contact_record(actor=police_a, assignment=a, outcome="needs_phone", channel="phone")
    assert Beneficiary.objects.get(pk=people["cash"].pk).proof_of_life_on is None
    contact_record(actor=police_a, assignment=a, outcome="unreachable", channel="visit")
    assert Beneficiary.objects.get(pk=people["cash"].pk).proof_of_life_on is None
    c = contact_record(
        actor=police_a,
        assignment=a,
        outcome="needs_id_card",
        channel="visit",
        date=TODAY - dt.timedelta(days=3),
    )
    b = Beneficiary.objects.get(pk=people["cash"].pk)
    assert (b.proof_of_life_on, b.proof_of_life_source, b.proof_of_life_ref) == (
        TODAY - dt.timedelta(days=3),
        "outreach",
        f"contact {c.pk}",
    )
    assert (
        AuditEvent.objects.filter(action="proof_of_life.record", object_id=str(b.pk)).count() == 1
    )
