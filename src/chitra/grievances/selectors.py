"""Scoped reads of complaints and fraud reports.

Who sees which ticket:
- area agencies (BHXH, police, commune committee): the tickets of their communes
  (`scope_queryset`);
- banks and providers: the tickets on their own payment lines (`scope_queryset`, by provider
  code, in their province);
- the State Bank branch (oversight): the scam and fraud reports of its province;
- everyone: the tickets routed to, copied to, or recorded by their own organisation;
- provincial leadership: no individual ticket (only what it recorded itself); the counts are in
  the reports.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from chitra.grievances.models import (
    ACTIVE_STATUSES,
    FRAUD_CATEGORIES,
    ROUTABLE_KINDS,
    Ticket,
    TicketEvent,
)
from chitra.grievances.policy import can_see_tickets
from chitra.iam.access import Perm, require_in_scope, scope_queryset
from chitra.iam.models import Organisation, OrgKind

if TYPE_CHECKING:
    from chitra.disbursement.models import PayrollLine
    from chitra.iam.models import User
    from chitra.registry.models import Beneficiary

_NUMBER = re.compile(r"^KN-?(\d{4})-?(\d+)$", re.IGNORECASE)


def visible_tickets(actor: User | None) -> QuerySet[Ticket]:
    """Every ticket the actor may see (unordered, unfiltered)."""
    base = Ticket.objects.all()
    if actor is None or not can_see_tickets(actor):
        return base.none()
    if actor.is_national:
        return base
    org = actor.organisation
    if org is None:
        return base.none()
    own = base.filter(Q(routed_to=org) | Q(copy_to=org) | Q(created_by__organisation=org))
    if org.kind == OrgKind.LEADERSHIP:
        return own
    if org.kind == OrgKind.STATE_BANK:
        if actor.area_province_id is None:
            return own
        return base.filter(
            Q(category__in=FRAUD_CATEGORIES, commune__province_id=actor.area_province_id)
            | Q(pk__in=own.values("pk"))
        )
    return base.filter(
        Q(pk__in=scope_queryset(actor, base).values("pk")) | Q(pk__in=own.values("pk"))
    )


def is_visible(actor: User, ticket: Ticket) -> bool:
    return visible_tickets(actor).filter(pk=ticket.pk).exists()


def tickets(
    actor: User,
    *,
    status: str | None = None,
    category: str | None = None,
    overdue: bool = False,
    mine: bool = False,
    assigned_to_me: bool = False,
    commune_id: int | None = None,
    q: str | None = None,
) -> QuerySet[Ticket]:
    """The tickets the actor may see, filtered; overdue and most urgent first.

    `status` is a status or "active" (open, in progress, waiting); `mine`: routed to (or copied
    to) the actor's organisation; `q`: a ticket number, a payment reference or a personal ID."""
    qs = visible_tickets(actor).select_related(
        "commune",
        "routed_to",
        "copy_to",
        "beneficiary",
        "payroll_line",
        "assigned_to",
        "created_by",
    )
    if status == "active":
        qs = qs.filter(status__in=ACTIVE_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if overdue:
        qs = qs.filter(status__in=ACTIVE_STATUSES, due_date__lt=timezone.localdate())
    if mine:
        org_id = actor.organisation_id or 0
        qs = qs.filter(Q(routed_to_id=org_id) | Q(copy_to_id=org_id))
    if assigned_to_me:
        qs = qs.filter(assigned_to=actor)
    if commune_id:
        qs = qs.filter(commune_id=commune_id)
    q = (q or "").strip()
    if q:
        compact = re.sub(r"[\s.]", "", q)
        m = _NUMBER.match(compact)
        if m:
            qs = qs.filter(number=f"KN-{m[1]}-{int(m[2]):06d}")
        elif compact.isdigit() and len(compact) == 12:
            qs = qs.filter(beneficiary__personal_id=compact)
        else:
            qs = qs.filter(payroll_line__reference=compact)
    return qs.order_by("due_date", "-id") if overdue else qs.order_by("-id")


def ticket_get(actor: User, pk: Any, *, audit: bool = False) -> Ticket:
    """One ticket, or 404 alike for missing and out of scope. `audit`: opening it to read is
    recorded in the audit trail (its page, the API's retrieve)."""
    qs = visible_tickets(actor).select_related(
        "commune__province",
        "routed_to",
        "copy_to",
        "beneficiary__commune",
        "payroll_line__provider",
        "payroll_line__cycle",
        "assigned_to",
        "resolved_by",
        "created_by__organisation",
    )
    try:
        ticket = qs.get(pk=pk)
    except (Ticket.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if audit:
        from chitra.core.audit import audit_record

        audit_record(actor, "grievances.ticket.view", obj=ticket)
    return ticket


def ticket_events(ticket: Ticket, *, actor: User) -> QuerySet[TicketEvent]:
    """The history of a ticket `actor` may see (404 otherwise)."""
    require_in_scope(actor, ticket, within=visible_tickets(actor))
    return ticket.events.select_related("actor", "from_org", "to_org").order_by("at", "id")


def deadline_stats(
    *, actor: User, start: dt.date, end: dt.date, today: dt.date | None = None
) -> dict[str, int]:
    """Complaint deadlines met for the tickets `actor` sees, due from `start` to `end` (both
    included): `chitra.grievances.stats.deadline_counts` over `visible_tickets(actor)`."""
    from chitra.grievances.stats import deadline_counts

    return deadline_counts(visible_tickets(actor), start=start, end=end, today=today)


# --------------------------------------------------------------------------------------------
# look-ups for recording a ticket and the choices of its action forms
# --------------------------------------------------------------------------------------------


def beneficiary_by_personal_id(
    actor: User, personal_id: str, *, audit: bool = False
) -> Beneficiary | None:
    """The beneficiary with this 12-digit personal ID, if the actor may see them. `audit`: a
    look-up that shows the person (the form of a new ticket) is recorded in the audit trail."""
    from chitra.registry.models import Beneficiary

    pid = re.sub(r"[\s.\-]", "", personal_id or "")
    if not (pid.isdigit() and len(pid) == 12):
        return None
    qs = scope_queryset(actor, Beneficiary.objects.filter(personal_id=pid), perm=Perm.REGISTRY_VIEW)
    found = qs.select_related("commune__province").first()
    if audit and found is not None:
        from chitra.core.audit import audit_record

        audit_record(actor, "grievances.beneficiary.lookup", obj=found)
    return found


def payroll_line_by_reference(actor: User, reference: str) -> PayrollLine | None:
    """The payment with this reference, in the actor's area (or, for a money mover, one of its
    own payments)."""

    ref = re.sub(r"\s", "", reference or "")
    if not ref:
        return None
    from chitra.disbursement.selectors import lines_anywhere

    qs = lines_anywhere(actor).filter(reference=ref)
    return qs.select_related("beneficiary__commune__province", "provider", "commune").first()


def route_choices(ticket: Ticket, *, actor: User) -> QuerySet[Organisation]:
    """Organisations of the ticket's province (or national ones) that handle complaints, for
    a ticket `actor` may see (404 otherwise)."""
    require_in_scope(actor, ticket, within=visible_tickets(actor))
    return (
        Organisation.objects.filter(is_active=True, kind__in=ROUTABLE_KINDS)
        .filter(Q(province_id=ticket.commune.province_id) | Q(province__isnull=True))
        .exclude(pk=ticket.routed_to_id)
        .order_by("kind", "name")
    )


def officer_choices(ticket: Ticket, *, actor: User) -> list[User]:
    """Active users who may work the ticket: of the organisation it is routed to, and of the
    provincial BHXH of its province; for a ticket `actor` may see (404 otherwise)."""
    from chitra.grievances.policy import may_work
    from chitra.iam.models import User

    require_in_scope(actor, ticket, within=visible_tickets(actor))
    qs = (
        User.objects.filter(is_active=True)
        .filter(
            Q(organisation=ticket.routed_to_id)
            | Q(
                organisation__kind=OrgKind.BHXH_PROVINCE,
                area_province_id=ticket.commune.province_id,
            )
        )
        .select_related("organisation")
        .order_by("username")
    )
    return [u for u in qs[:500] if may_work(u, ticket)]


def ticket_after_write(actor: User, ticket: Ticket) -> Ticket:
    """A ticket as it is after `actor` acted on it (the service checked they may): read again
    by id, not through their scope, so that one who routed it away still gets the answer."""
    if not actor.is_authenticated:
        raise Http404
    return Ticket.objects.select_related(
        "commune", "routed_to", "copy_to", "beneficiary", "payroll_line", "assigned_to"
    ).get(pk=ticket.pk)
