"""Scoped reads of outreach: campaigns, work lists, progress, contacts, death reports and the
police's priority list for ID-card issuance. Every query starts from `scope_queryset`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from chitra.iam.access import Perm, get_in_scope, has_perm, require_in_scope, scope_queryset
from chitra.outreach.models import Assignment, Campaign, Contact, DeathReport, Outcome
from chitra.registry.models import Beneficiary

if TYPE_CHECKING:
    from chitra.iam.models import User


def campaigns(actor: User) -> QuerySet[Campaign]:
    """Campaigns touching the actor's area (a provider: those with work given to its staff)."""
    visible = scope_queryset(actor, Campaign.objects.all(), perm=Perm.OUTREACH_WORK)
    return (
        Campaign.objects.filter(pk__in=visible.values("pk"))
        .select_related("province", "created_by")
        .order_by("-start_date", "-id")
    )


def campaign_get(actor: User, pk: Any) -> Campaign:
    try:
        return campaigns(actor).get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def assignments(
    actor: User,
    *,
    campaign: Campaign | None = None,
    commune_id: int | None = None,
    status: str | None = None,
    outcome: str | None = None,
    officer_id: int | None = None,
    mine: bool = False,
    unassigned: bool = False,
) -> QuerySet[Assignment]:
    qs = scope_queryset(actor, Assignment.objects.all(), perm=Perm.OUTREACH_WORK)
    qs = qs.select_related("beneficiary", "commune", "assigned_to", "campaign")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if commune_id:
        qs = qs.filter(commune_id=commune_id)
    if status:
        qs = qs.filter(status=status)
    if outcome == "none":
        qs = qs.filter(last_outcome="")
    elif outcome:
        qs = qs.filter(last_outcome=outcome)
    if officer_id:
        qs = qs.filter(assigned_to_id=officer_id)
    if mine:
        qs = qs.filter(assigned_to=actor)
    if unassigned:
        qs = qs.filter(assigned_to__isnull=True)
    return qs.order_by("commune__name", "beneficiary__name_folded", "id")


def my_work(
    actor: User, *, campaign_id: int | None = None, area: bool = False
) -> QuerySet[Assignment]:
    """Open assignments given to the actor (or, with `area`, every open one of the area),
    follow-ups due first."""
    qs = assignments(actor, status=Assignment.Status.OPEN, mine=not area)
    if campaign_id:
        qs = qs.filter(campaign_id=campaign_id)
    return qs.order_by("follow_up_date", "commune__name", "beneficiary__name_folded", "id")


def assignment_get(actor: User, pk: Any, *, audit: bool = False) -> Assignment:
    """One assignment of a work list (404 alike for missing and not yours). `audit`: opening
    it to read (its page) is recorded in the audit trail, against the beneficiary."""
    qs = Assignment.objects.select_related(
        "beneficiary__commune", "commune", "campaign", "assigned_to"
    )
    a = get_in_scope(actor, qs, pk, perm=Perm.OUTREACH_WORK)
    if audit:
        from chitra.core.audit import audit_record

        audit_record(actor, "outreach.assignment.view", obj=a.beneficiary)
    return a


def campaign_totals(actor: User, ids: list[int]) -> dict[int, tuple[int, int, int]]:
    """Per campaign of `ids`: the assignments `actor` may see, those contacted, those who
    agreed (one query)."""
    rows = (
        assignments(actor)
        .filter(campaign_id__in=ids)
        .order_by()
        .values("campaign_id")
        .annotate(
            n=Count("id"),
            contacted=Count("id", filter=~Q(last_outcome="")),
            agreed=Count("id", filter=Q(last_outcome=Outcome.AGREED)),
        )
    )
    return {r["campaign_id"]: (r["n"], r["contacted"], r["agreed"]) for r in rows}


def contacts(
    actor: User, *, assignment: Assignment | None = None, campaign: Campaign | None = None
) -> QuerySet[Contact]:
    qs = scope_queryset(actor, Contact.objects.all(), perm=Perm.OUTREACH_WORK)
    if assignment is not None:
        qs = qs.filter(assignment=assignment)
    if campaign is not None:
        qs = qs.filter(assignment__campaign=campaign)
    return qs.select_related(
        "officer", "provider", "change_request", "assignment__beneficiary", "assignment__commune"
    ).order_by("-date", "-id")


@dataclass
class ProgressRow:
    key: Any
    label: str
    total: int = 0
    contacted: int = 0
    done: int = 0
    by_outcome: dict[str, int] = field(default_factory=dict)

    @classmethod
    def total_of(cls, rows: list[ProgressRow]) -> ProgressRow:
        """The sum of `rows` (the table's last row: a computation, not a read)."""
        total = cls(key=None, label="")
        for r in rows:
            total.total += r.total
            total.contacted += r.contacted
            total.done += r.done
            for o, n in r.by_outcome.items():
                total.by_outcome[o] = total.by_outcome.get(o, 0) + n
        return total

    @property
    def agreed(self) -> int:
        return self.by_outcome.get(Outcome.AGREED, 0)

    @property
    def share_contacted(self) -> float:
        return self.contacted / self.total if self.total else 0.0

    @property
    def share_agreed(self) -> float:
        return self.agreed / self.total if self.total else 0.0

    def outcome_counts(self) -> list[int]:
        return [self.by_outcome.get(o, 0) for o in Outcome.values]


def _progress(qs: QuerySet[Assignment], key: str, label: str) -> list[ProgressRow]:
    aggregates: dict[str, Any] = {
        "total": Count("id"),
        "contacted": Count("id", filter=~Q(last_outcome="")),
        "done": Count("id", filter=Q(status=Assignment.Status.DONE)),
    }
    for o in Outcome.values:
        aggregates[f"o_{o}"] = Count("id", filter=Q(last_outcome=o))
    rows = qs.order_by().values(key, label).annotate(**aggregates).order_by(label)
    out = []
    for r in rows:
        out.append(
            ProgressRow(
                key=r[key],
                label=r[label] or "",
                total=r["total"],
                contacted=r["contacted"],
                done=r["done"],
                by_outcome={o: r[f"o_{o}"] for o in Outcome.values},
            )
        )
    return out


def progress_by_commune(actor: User, campaign: Campaign) -> list[ProgressRow]:
    return _progress(assignments(actor, campaign=campaign), "commune_id", "commune__name")


def progress_by_officer(actor: User, campaign: Campaign) -> list[ProgressRow]:
    """Per assigned officer (the row with no officer: work not handed out yet)."""
    return _progress(
        assignments(actor, campaign=campaign), "assigned_to_id", "assigned_to__username"
    )


def officers_for(actor: User) -> list[User]:
    """Who the actor may hand outreach work to: active users of the province who do outreach."""
    from chitra.iam.models import User

    qs = User.objects.filter(is_active=True, organisation__isnull=False)
    if not actor.is_national:
        qs = qs.filter(area_province_id=actor.area_province_id)
    qs = qs.select_related("organisation").order_by("username")
    return [u for u in qs if has_perm(u, Perm.OUTREACH_WORK)]


def id_card_priority(actor: User, *, commune_id: int | None = None) -> QuerySet[Beneficiary]:
    """Beneficiaries of the area to give an ID card first: no 12-digit personal ID in the
    registry, or found by outreach to need a card. Those flagged by outreach come first."""
    flagged = Assignment.objects.filter(
        beneficiary=OuterRef("pk"), last_outcome=Outcome.NEEDS_ID_CARD
    )
    qs = scope_queryset(actor, Beneficiary.objects.all(), perm=Perm.ID_CARD_PRIORITY)
    qs = qs.filter(status__in=[Beneficiary.Status.ACTIVE, Beneficiary.Status.SUSPENDED])
    qs = qs.annotate(flagged=Exists(flagged)).filter(Q(personal_id__isnull=True) | Q(flagged=True))
    if commune_id:
        qs = qs.filter(commune_id=commune_id)
    return qs.select_related("commune").order_by(
        "-flagged", "commune__name", "birth_date", "name_folded", "id"
    )


def death_reports(actor: User, *, open_only: bool = True) -> QuerySet[DeathReport]:
    qs = scope_queryset(actor, DeathReport.objects.all(), perm=Perm.REGISTRY_VIEW)
    if open_only:
        qs = qs.filter(checked_at__isnull=True)
    return qs.select_related("beneficiary__commune", "reported_by").order_by("-reported_at", "-id")


def assignments_named(actor: User, campaign: Campaign, ids: list[int]) -> QuerySet[Assignment]:
    """The assignments of `campaign` (one `actor` may see, 404 otherwise) a form names by id."""
    require_in_scope(actor, campaign, within=campaigns(actor))
    return Assignment.objects.filter(pk__in=ids, campaign=campaign)
