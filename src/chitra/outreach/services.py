"""Writes of the outreach campaign (plan task 1): campaigns and their work lists, assignment
to officers, the contact log with its effects (change requests, referrals, death reports) and
the check of reported deaths against the population register. Every write is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core.audit import AuditRow, audit_bulk, audit_record
from chitra.core.errors import ChitraError
from chitra.geo.models import Commune, Province
from chitra.iam.access import Perm, commune_in_scope, has_perm, require_perm, scope_queryset
from chitra.iam.models import COMMUNE_LEVEL_KINDS
from chitra.outreach.models import (
    TERMINAL_OUTCOMES,
    Assignment,
    Campaign,
    Contact,
    DeathReport,
    Outcome,
)
from chitra.payment_methods.models import (
    ACCOUNT_METHODS,
    ChangeRequest,
    Method,
    PaymentMethod,
    Provider,
)
from chitra.payment_methods.policy import may_open_change_request
from chitra.payment_methods.services import change_request_create, first_open_payment_month
from chitra.registry.models import (
    MONTHLY_BENEFITS,
    Beneficiary,
    Entitlement,
    ProofOfLifeSource,
)
from chitra.verification.proof_of_life import proof_of_life_record

if TYPE_CHECKING:
    from chitra.iam.models import User
    from chitra.verification.models import VerificationRun

BATCH = 5000
CASH_METHODS = (Method.CASH_PAY_POINT, Method.CASH_HOME)
#: outcomes of a visit that met the person (a proof of life, ADR 0011)
MET_IN_PERSON = frozenset(
    {
        Outcome.AGREED,
        Outcome.DECLINED,
        Outcome.NEEDS_ID_CARD,
        Outcome.NEEDS_PHONE,
        Outcome.NEEDS_ACCOUNT,
    }
)


# --------------------------------------------------------------------------------------------
# work lists
# --------------------------------------------------------------------------------------------


def paid_in_cash(qs: QuerySet[Beneficiary], month: dt.date | None = None) -> QuerySet[Beneficiary]:
    """The active beneficiaries of `qs` with an active monthly benefit whose payment method in
    force for `month` is cash: no version yet (cash at a pay point, the default) or a latest
    version paid in cash. One query with sub-selects, never a loop over people."""
    month = month or first_open_payment_month()
    latest = (
        PaymentMethod.objects.filter(beneficiary=OuterRef("pk"), effective_month__lte=month)
        .order_by("-effective_month")
        .values("method")[:1]
    )
    monthly = Entitlement.objects.filter(
        beneficiary=OuterRef("pk"),
        status=Entitlement.Status.ACTIVE,
        benefit_type__in=MONTHLY_BENEFITS,
    )
    return (
        qs.filter(status=Beneficiary.Status.ACTIVE)
        .filter(Exists(monthly))
        .annotate(current_method=Subquery(latest))
        .filter(Q(current_method__isnull=True) | Q(current_method__in=CASH_METHODS))
    )


def _campaign_province(actor: User, province: Province | None) -> Province:
    if province is None:
        if actor.area_province is None:
            raise ChitraError(_("Choose the province of the campaign."))
        return actor.area_province
    if not actor.is_national and province.pk != actor.area_province_id:
        raise ChitraError(_("A campaign can only cover your own province."))
    return province


def campaign_create(
    *,
    actor: User,
    name: str,
    communes: Sequence[Commune],
    start_date: dt.date,
    end_date: dt.date,
    province: Province | None = None,
) -> Campaign:
    """Create a campaign and its work list: one assignment per beneficiary of the communes who
    is still paid in cash (bulk inserted)."""
    require_perm(actor, Perm.OUTREACH_MANAGE)
    name = " ".join((name or "").split())
    if not name:
        raise ChitraError(_("Give the campaign a name."))
    if end_date < start_date:
        raise ChitraError(_("The end date cannot be before the start date."))
    province = _campaign_province(actor, province)
    communes = list({c.pk: c for c in communes}.values())
    if not communes:
        raise ChitraError(_("Choose at least one commune."))
    for c in communes:
        if c.province_id != province.pk or not commune_in_scope(actor, c.pk):
            raise ChitraError(_("%(commune)s is outside your area.") % {"commune": c.name})
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=name, province=province, start_date=start_date, end_date=end_date, created_by=actor
        )
        campaign.communes.set(communes)
        n = _work_list(actor, campaign, communes)
        audit_record(
            actor,
            "outreach.campaign.create",
            obj=campaign,
            after={
                "name": name,
                "province": province.code,
                "communes": sorted(c.code for c in communes),
                "start_date": start_date,
                "end_date": end_date,
                "assignments": n,
            },
        )
    return campaign


def _work_list(actor: User, campaign: Campaign, communes: list[Commune]) -> int:
    """Bulk insert one assignment per beneficiary of the communes still paid in cash."""
    people = scope_queryset(
        actor, Beneficiary.objects.filter(commune__in=communes), perm=Perm.REGISTRY_VIEW
    )
    rows = (
        paid_in_cash(people)
        .order_by("commune_id", "name_folded", "id")
        .values_list("id", "commune_id")
    )
    batch: list[Assignment] = []
    n = 0
    for ben_id, commune_id in rows.iterator(chunk_size=BATCH):
        batch.append(Assignment(campaign=campaign, beneficiary_id=ben_id, commune_id=commune_id))
        if len(batch) >= BATCH:
            Assignment.objects.bulk_create(batch)
            n += len(batch)
            batch = []
    Assignment.objects.bulk_create(batch)
    n += len(batch)
    return n


# --------------------------------------------------------------------------------------------
# assignment
# --------------------------------------------------------------------------------------------


def officer_communes(officer: User) -> QuerySet[Commune] | None:
    """The communes an officer may work in (None: everywhere, a national user)."""
    if officer.is_national:
        return None
    ids = officer.scope_commune_ids()
    if ids is not None:
        return Commune.objects.filter(id__in=ids)
    org = officer.organisation
    if officer.area_province_id is None or org is None or org.kind in COMMUNE_LEVEL_KINDS:
        return Commune.objects.none()
    return Commune.objects.filter(province_id=officer.area_province_id)


def campaign_assign(*, actor: User, assignments: Iterable[Assignment], officer: User | None) -> int:
    """Give open assignments to an officer who may work in their communes (or unassign).
    Assignments outside the actor's area or the officer's are left as they are."""
    require_perm(actor, Perm.OUTREACH_MANAGE)
    if officer is not None and not (officer.is_active and has_perm(officer, Perm.OUTREACH_WORK)):
        raise ChitraError(_("%(name)s cannot work on outreach.") % {"name": officer})
    with transaction.atomic():
        ids = [a.pk for a in assignments]
        qs = scope_queryset(
            actor,
            Assignment.objects.filter(pk__in=ids, status=Assignment.Status.OPEN),
            perm=Perm.OUTREACH_MANAGE,
        )
        if officer is not None:
            communes = officer_communes(officer)
            if communes is not None:
                qs = qs.filter(commune__in=communes.values("id"))
        changed = list(qs.values_list("pk", flat=True))
        Assignment.objects.filter(pk__in=changed).update(
            assigned_to=officer, updated_at=timezone.now()
        )
        audit_bulk(
            actor,
            "outreach.assignment.assign",
            [
                AuditRow(
                    "outreach.assignment",
                    pk,
                    f"#{pk}",
                    None,
                    {"assigned_to": officer.username if officer else None},
                )
                for pk in changed
            ],
        )
    return len(changed)


# --------------------------------------------------------------------------------------------
# contacts
# --------------------------------------------------------------------------------------------


def _assignment_for_update(actor: User, assignment: Assignment) -> Assignment:
    require_perm(actor, Perm.OUTREACH_WORK)
    mine = scope_queryset(
        actor, Assignment.objects.filter(pk=assignment.pk), perm=Perm.OUTREACH_WORK
    )
    if not mine.exists():
        raise Http404
    a = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("beneficiary", "campaign")
        .get(pk=assignment.pk)
    )
    if a.status != Assignment.Status.OPEN:
        raise ChitraError(_("This assignment is already done."))
    return a


def contact_record(
    *,
    actor: User,
    assignment: Assignment,
    outcome: str,
    channel: str = Contact.Channel.VISIT,
    date: dt.date | None = None,
    reason: str = "",
    note: str = "",
    provider: Provider | None = None,
    method: str = "",
    number: str = "",
    holder_name: str = "",
    follow_up_date: dt.date | None = None,
) -> Contact:
    """Record a visit or a call and apply its outcome:

    - `agreed` with the account details opens a DRAFT change request (source "outreach"; the
      consent is recorded when it is submitted) and closes the assignment; without them (the
      account is not open yet) it is recorded as a referral to the chosen provider and the
      assignment stays open for the follow-up;
    - `declined` needs a reason; `needs_account` a provider and a follow-up date;
    - `reported_dead` opens a death report, checked later against the register;
    - agreed, declined, moved away and reported dead close the assignment."""
    today = timezone.localdate()
    date = date or today
    note = (note or "").strip()
    reason = _checked_contact(outcome, channel, date, today, follow_up_date, reason, note)
    provider, method, has_account = _payment_choice(
        actor, outcome, provider, method, number, follow_up_date
    )
    with transaction.atomic():
        a = _assignment_for_update(actor, assignment)
        cr = _change_request(actor, a, outcome, has_account, method, provider, number, holder_name)
        contact = Contact.objects.create(
            assignment=a,
            officer=actor,
            date=date,
            channel=channel,
            outcome=outcome,
            reason=reason,
            note=note,
            provider=provider,
            method=method,
            follow_up_date=follow_up_date,
            change_request=cr,
        )
        report = _death_or_proof_of_life(actor, a, contact)
        audit_record(
            actor,
            "outreach.contact.record",
            obj=contact,
            before=_apply_outcome(a, contact),
            after=_contact_after(a, contact, report),
            reason=note,
        )
    return contact


def _change_request(
    actor: User,
    a: Assignment,
    outcome: str,
    has_account: bool,
    method: str,
    provider: Provider | None,
    number: str,
    holder_name: str,
) -> ChangeRequest | None:
    """The DRAFT change request of an agreement with the account details (source outreach)."""
    if outcome != Outcome.AGREED or not has_account:
        return None
    return change_request_create(
        actor=actor,
        beneficiary=a.beneficiary,
        method=method,
        source="outreach",
        provider=provider,
        number=number,
        holder_name=holder_name,
    )


def _death_or_proof_of_life(actor: User, a: Assignment, contact: Contact) -> Any:
    """A death report for a reported death; a proof of life for a person met at home."""
    report = None
    if contact.outcome == Outcome.REPORTED_DEAD:
        report = _death_report(actor, a.beneficiary, contact, contact.note)
    if contact.channel == Contact.Channel.VISIT and contact.outcome in MET_IN_PERSON:
        proof_of_life_record(
            actor=actor,
            on=contact.date,
            source=ProofOfLifeSource.OUTREACH,
            reference=f"contact {contact.pk}",
            beneficiaries=a.beneficiary,
        )
    return report


def _contact_after(a: Assignment, contact: Contact, report: Any) -> dict[str, Any]:
    cr, provider = contact.change_request, contact.provider
    return {
        "assignment": a.pk,
        "beneficiary": a.beneficiary_id,
        "date": contact.date,
        "channel": contact.channel,
        "outcome": contact.outcome,
        "reason": contact.reason,
        "provider": provider.code if provider else None,
        "method": contact.method,
        "follow_up_date": contact.follow_up_date,
        "change_request": cr.pk if cr else None,
        "death_report": report.pk if report else None,
        "status": a.status,
    }


def _checked_contact(
    outcome: str,
    channel: str,
    date: dt.date,
    today: dt.date,
    follow_up_date: dt.date | None,
    reason: str,
    note: str,
) -> str:
    """Refuse an unknown outcome, channel or reason, or dates out of order; the reason kept
    (a declined contact's only)."""
    if outcome not in Outcome.values:
        raise ChitraError(_("Unknown outcome."))
    if channel not in Contact.Channel.values:
        raise ChitraError(_("Say whether it was a visit or a call."))
    if date > today:
        raise ChitraError(_("The date of the contact cannot be in the future."))
    if follow_up_date is not None and follow_up_date < date:
        raise ChitraError(_("The follow-up date cannot be before the contact."))
    if reason and reason not in Contact.Reason.values:
        raise ChitraError(_("Unknown reason."))
    if outcome != Outcome.DECLINED:
        return ""
    if not reason:
        raise ChitraError(_("Say why the beneficiary declined."))
    if reason == Contact.Reason.OTHER and not note:
        raise ChitraError(_("Describe the reason in the note."))
    return reason


def _payment_choice(
    actor: User,
    outcome: str,
    provider: Provider | None,
    method: str,
    number: str,
    follow_up_date: dt.date | None,
) -> tuple[Provider | None, str, bool]:
    """(provider, method, account details given) kept for the outcome, once checked."""
    if outcome == Outcome.NEEDS_ACCOUNT and (provider is None or follow_up_date is None):
        raise ChitraError(
            _("Choose the provider the beneficiary is referred to and the date to follow up.")
        )
    has_account = bool((number or "").strip())
    if outcome == Outcome.AGREED:
        if method not in ACCOUNT_METHODS:
            raise ChitraError(
                _(
                    "Choose how the beneficiary wants to be paid (bank account, "
                    "mobile money or e-wallet)."
                )
            )
        if provider is None:
            raise ChitraError(_("Choose the bank or provider."))
        if has_account and not may_open_change_request(actor):
            raise ChitraError(
                _(
                    "Your organisation cannot open payment change requests: record "
                    "the agreement with the provider only; BHXH opens the request."
                )
            )
    elif outcome != Outcome.NEEDS_ACCOUNT:
        provider = None
    if outcome != Outcome.AGREED:
        method, has_account = "", False
    return provider, method, has_account


def _apply_outcome(a: Assignment, contact: Contact) -> dict[str, Any]:
    """Close the assignment or keep it open after a contact; what it was before."""
    outcome, cr = contact.outcome, contact.change_request
    date, follow_up_date = contact.date, contact.follow_up_date
    before = {"status": a.status, "last_outcome": a.last_outcome}
    done = outcome in TERMINAL_OUTCOMES and not (outcome == Outcome.AGREED and cr is None)
    a.status = Assignment.Status.DONE if done else Assignment.Status.OPEN
    a.last_outcome, a.last_contact_date, a.follow_up_date = outcome, date, follow_up_date
    a.save(
        update_fields=[
            "status",
            "last_outcome",
            "last_contact_date",
            "follow_up_date",
            "updated_at",
        ]
    )
    return before


def _death_report(
    actor: User, beneficiary: Beneficiary, contact: Contact, note: str
) -> DeathReport:
    report = DeathReport.objects.filter(beneficiary=beneficiary, checked_at__isnull=True).first()
    if report is not None:  # already waiting for the check
        return report
    report = DeathReport.objects.create(
        beneficiary=beneficiary,
        contact=contact,
        reported_by=actor,
        reported_at=timezone.now(),
        note=note,
    )
    audit_record(
        actor,
        "outreach.death_report.create",
        obj=report,
        after={"beneficiary": beneficiary.pk, "contact": contact.pk},
        reason=note,
    )
    return report


# --------------------------------------------------------------------------------------------
# reported deaths: checked against the population register
# --------------------------------------------------------------------------------------------


def _register_check(
    actor: User, ids: list[str], n_reports: int
) -> tuple[VerificationRun, dict[int, str]]:
    """A verification run of these personal IDs; its outcome per beneficiary."""
    from chitra.verification.connectors import get_connector
    from chitra.verification.models import VerificationResult, VerificationRun
    from chitra.verification.services import apply_outcomes, registry_people, run_open

    connector = get_connector()
    # listed on the verification page for the actor's area, like every run
    run = run_open(
        actor=actor,
        origin=VerificationRun.Origin.PAGE,
        connector_name=connector.name,
        register_loaded_at=connector.describe(),
        audit_after={"death_reports": n_reports},
    )
    try:
        people = registry_people(actor, personal_ids=ids)
        apply_outcomes(actor=actor, run=run, outcomes=connector.verify_batch(people))
    except Exception as exc:
        VerificationRun.objects.filter(pk=run.pk).update(
            status=VerificationRun.Status.FAILED,
            message=str(exc)[:2000],
            finished_at=timezone.now(),
        )
        raise
    outcomes = dict(
        VerificationResult.objects.filter(run=run).values_list("beneficiary_id", "outcome")
    )
    run.refresh_from_db()
    return run, outcomes


def death_reports_check(*, actor: User) -> VerificationRun | None:
    """Verify the beneficiaries of the open death reports of the actor's area against the
    register, in a verification run of their own (built from verification's public functions,
    as `verification_run` builds one): a register death suspends the entitlements and lists
    the money to recover there. Reports of people without a personal ID cannot be checked by
    ID: they are closed with the outcome "no_id" (the commune confirms them in person)."""
    require_perm(actor, Perm.VERIFY_RUN)
    reports = list(
        scope_queryset(
            actor, DeathReport.objects.filter(checked_at__isnull=True), perm=Perm.REGISTRY_VIEW
        ).select_related("beneficiary")
    )
    if not reports:
        return None
    ids = sorted({r.beneficiary.personal_id for r in reports if r.beneficiary.personal_id})
    run, outcomes = _register_check(actor, ids, len(reports)) if ids else (None, {})
    now = timezone.now()
    rows: list[AuditRow] = []
    with transaction.atomic():
        for r in reports:
            r.checked_at, r.check_run = now, run
            r.check_outcome = outcomes.get(
                r.beneficiary_id, "no_id" if not r.beneficiary.personal_id else "not_found"
            )
            rows.append(
                AuditRow(
                    "outreach.deathreport",
                    r.pk,
                    str(r),
                    None,
                    {"outcome": r.check_outcome, "run": run.pk if run else None},
                )
            )
        DeathReport.objects.bulk_update(reports, ["checked_at", "check_run", "check_outcome"])
        audit_bulk(actor, "outreach.death_report.check", rows)
    return run
