"""Writes of complaints and fraud reports: record a ticket (routed by its category to the
organisation that must answer it, with a deadline), re-route, assign, comment, change the
status, resolve, reopen. Each write checks who may do it, runs in one transaction, records a
`TicketEvent` (the ticket's history) and an `AuditEvent`.

Who may work a ticket (status, resolve, assign): users of the organisation it is routed to,
the provincial BHXH of its province, national users. Re-routing: those, and BHXH offices of the
ticket's area. Comment: anyone who sees the ticket and handles complaints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core.audit import audit_record
from chitra.core.errors import ChitraError
from chitra.core.states import require_transition
from chitra.engine.sheets.values import ValueProblem, parse_phone
from chitra.grievances import selectors
from chitra.grievances.models import (
    FRAUD_CATEGORIES,
    ROUTABLE_KINDS,
    TICKET,
    Category,
    Priority,
    ReceivedVia,
    ResolutionCode,
    Source,
    Status,
    Ticket,
    TicketEvent,
)
from chitra.grievances.policy import (
    can_see_tickets,
    may_comment,
    may_reopen,
    may_route,
    may_work,
)
from chitra.iam.access import Perm, commune_in_scope, require_perm, scope_queryset
from chitra.iam.models import PROVIDER_KINDS, Organisation, OrgKind

if TYPE_CHECKING:
    from chitra.disbursement.models import PayrollLine
    from chitra.geo.models import Commune, Province
    from chitra.iam.models import User
    from chitra.registry.models import Beneficiary

#: Days to answer, per category (calendar days from the day received). Overridden, per
#: category, by settings.CHITRA_GRIEVANCE_SLA_DAYS.
DEFAULT_SLA_DAYS: dict[str, int] = {
    Category.PAYMENT_NOT_RECEIVED: 7,  # about 5 working days
    Category.WRONG_AMOUNT: 10,
    Category.ACCOUNT_PROBLEM: 7,
    Category.SCAM_ATTEMPT: 3,
    Category.SUSPECTED_FRAUD: 10,
    Category.DATA_ERROR: 15,
}

DEFAULT_PRIORITY: dict[str, str] = {
    Category.PAYMENT_NOT_RECEIVED: Priority.HIGH,
    Category.WRONG_AMOUNT: Priority.NORMAL,
    Category.ACCOUNT_PROBLEM: Priority.NORMAL,
    Category.SCAM_ATTEMPT: Priority.URGENT,
    Category.SUSPECTED_FRAUD: Priority.HIGH,
    Category.DATA_ERROR: Priority.NORMAL,
}

_FIELDS = [
    "number",
    "category",
    "source",
    "channel",
    "beneficiary",
    "commune",
    "payroll_line",
    "routed_to",
    "copy_to",
    "assigned_to",
    "status",
    "priority",
    "received_on",
    "due_date",
    "resolution_code",
    "resolved_at",
    "account_involved",
]


def sla_days(category: str) -> int:
    overrides: dict[str, Any] = getattr(settings, "CHITRA_GRIEVANCE_SLA_DAYS", None) or {}
    return int(overrides.get(category, DEFAULT_SLA_DAYS[category]))


def due_date_for(category: str, received_on: dt.date) -> dt.date:
    return received_on + dt.timedelta(days=sla_days(category))


def ticket_number(ticket: Ticket) -> str:
    return f"KN-{ticket.received_on.year}-{ticket.pk:06d}"


# --------------------------------------------------------------------------------------------
# routing
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    organisation: Organisation
    #: an organisation that follows the ticket (the State Bank branch for frauds on accounts)
    copy_to: Organisation | None = None
    #: why the ticket did not go where the rule sends it (kept in the ticket's history)
    note: str = ""


def _orgs(kinds: str | frozenset[str], province: Province) -> QuerySet[Organisation]:
    kinds = frozenset({kinds}) if isinstance(kinds, str) else kinds
    return Organisation.objects.filter(kind__in=kinds, province=province, is_active=True).order_by(
        "id"
    )


def _missing(kind: str, province: Province) -> ChitraError:
    return ChitraError(
        _(
            "Cannot route the complaint: there is no active organisation of kind "
            "'%(kind)s' in %(province)s. Ask the administrator to add it."
        )
        % {"kind": OrgKind(kind).label, "province": province.name}
    )


def bhxh_route(commune: Commune) -> Route | None:
    """The BHXH organisation that answers for a commune, through the offices' service areas
    (geo.OfficeArea: each commune is served by one office):

    - the active BHXH office organisation of the office serving the commune;
    - a commune served by the provincial office itself: the provincial BHXH;
    - a commune served by an office that has no active organisation in chitra: the provincial
      BHXH, with a note naming the office (the history says why);
    - a commune in no service area (a province whose offices are not set up): the office
      organisation whose communes hold it, else the provincial BHXH.
    The organisations' own commune lists (their users' scope) never override a service area.
    None when the province has no BHXH organisation at all."""
    from chitra.geo.models import OfficeArea

    province = commune.province
    provincial = _orgs(OrgKind.BHXH_PROVINCE, province).first()
    area = OfficeArea.objects.filter(commune=commune).select_related("office").first()
    if area is None:
        office_org = _orgs(OrgKind.BHXH_OFFICE, province).filter(communes=commune).first()
        org = office_org or provincial
        return Route(org) if org is not None else None
    office = area.office
    if office.is_provincial:
        org = _orgs(OrgKind.BHXH_PROVINCE, province).filter(office=office).first() or provincial
        return Route(org) if org is not None else None
    office_org = _orgs(OrgKind.BHXH_OFFICE, province).filter(office=office).first()
    if office_org is not None:
        return Route(office_org)
    if provincial is None:
        return None
    return Route(
        provincial,
        note=_(
            "%(commune)s is served by %(office)s, which has no active organisation in chitra: "
            "the complaint goes to %(org)s. Add the office's organisation (with its service "
            "area) so that its complaints reach it."
        )
        % {"commune": commune.name, "office": office.name, "org": provincial.name},
    )


def current_account_provider(beneficiary: Beneficiary) -> str:
    """The provider code of the account the beneficiary is paid to now (or their newest open
    account); "" when paid in cash with no account."""
    from chitra.payment_methods.models import Account, PaymentMethod

    month = timezone.localdate().replace(day=1)
    pm = (
        PaymentMethod.objects.filter(beneficiary=beneficiary, effective_month__lte=month)
        .select_related("account__provider")
        .order_by("-effective_month", "-id")
        .first()
    )
    if pm is not None and pm.account_id is not None:
        return pm.account.provider.code  # type: ignore[union-attr]
    account = (
        Account.objects.filter(beneficiary=beneficiary)
        .exclude(status=Account.Status.CLOSED)
        .select_related("provider")
        .order_by("-created_at", "-id")
        .first()
    )
    return account.provider.code if account is not None else ""


def _account_involved(beneficiary: Beneficiary | None, payroll_line: PayrollLine | None) -> bool:
    from chitra.payment_methods.models import Account

    if payroll_line is not None and payroll_line.account_id is not None:
        return True
    return (
        beneficiary is not None
        and Account.objects.filter(beneficiary=beneficiary)
        .exclude(status=Account.Status.CLOSED)
        .exists()
    )


def default_route(
    category: str,
    commune: Commune,
    payroll_line: PayrollLine | None = None,
    *,
    beneficiary: Beneficiary | None = None,
    account_involved: bool = False,
) -> Route:
    """Where a new ticket goes, by category:

    - scam attempt, suspected fraud: the provincial police (else the provincial BHXH), with a
      copy to the State Bank branch when an account is involved;
    - account problem: the provider of the payment line (or of the beneficiary's account):
      its organisation in the province, else the BHXH office serving the commune;
    - payment not received, wrong amount, data error: the BHXH office serving the commune
      (`bhxh_route`: through the offices' service areas), else the provincial BHXH.

    `commune` is the beneficiary's (the payment line's) when there is one. Raises ChitraError
    naming the organisation missing."""
    if category not in Category.values:
        raise ChitraError(_("Unknown category '%(value)s'.") % {"value": category})
    province = commune.province
    if category in FRAUD_CATEGORIES:
        police = (
            _orgs(OrgKind.POLICE_PROVINCE, province).first()
            or _orgs(OrgKind.BHXH_PROVINCE, province).first()
        )
        if police is None:
            raise _missing(OrgKind.POLICE_PROVINCE, province)
        copy = _orgs(OrgKind.STATE_BANK, province).first() if account_involved else None
        return Route(police, copy)
    if category == Category.ACCOUNT_PROBLEM:
        code = ""
        if payroll_line is not None and payroll_line.provider_id is not None:
            code = payroll_line.provider.code  # type: ignore[union-attr]
        elif beneficiary is not None:
            code = current_account_provider(beneficiary)
        if code:
            provider = _orgs(PROVIDER_KINDS, province).filter(provider_code=code).first()
            if provider is not None:
                return Route(provider)
    bhxh = bhxh_route(commune)
    if bhxh is None:
        raise _missing(OrgKind.BHXH_PROVINCE, province)
    return bhxh


# --------------------------------------------------------------------------------------------
# who may do what on a ticket: grievances.policy
# --------------------------------------------------------------------------------------------


def _denied() -> PermissionDenied:
    return PermissionDenied(
        _("Only the organisation this complaint is routed to, or the provincial BHXH, can do this.")
    )


def _require_complaints(actor: User) -> None:
    """Record or work complaints at all (either capability)."""
    if not can_see_tickets(actor):
        require_perm(actor, Perm.GRIEVANCE_CREATE)


def _for_update(actor: User, ticket: Ticket) -> Ticket:
    """The ticket locked for the write (404 when the actor cannot see it)."""
    if not selectors.is_visible(actor, ticket):
        raise Http404
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("commune__province", "routed_to", "created_by")
        .get(pk=ticket.pk)
    )


def _event(
    ticket: Ticket,
    actor: User,
    kind: str,
    *,
    note: str = "",
    from_org: Organisation | None = None,
    to_org: Organisation | None = None,
    from_status: str = "",
    to_status: str = "",
) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        kind=kind,
        note=note,
        from_org=from_org,
        to_org=to_org,
        from_status=from_status,
        to_status=to_status,
    )


def _text(value: str | None) -> str:
    return (value or "").strip()


# --------------------------------------------------------------------------------------------
# record
# --------------------------------------------------------------------------------------------


def ticket_create(
    *,
    actor: User,
    category: str,
    description: str,
    commune: Commune | None = None,
    beneficiary: Beneficiary | None = None,
    payroll_line: PayrollLine | None = None,
    source: str | None = None,
    channel: str = ReceivedVia.COUNTER,
    reporter_name: str = "",
    reporter_phone: str = "",
    priority: str | None = None,
    account_involved: bool = False,
    received_on: dt.date | None = None,
) -> Ticket:
    """Record a complaint or fraud report and route it (see `default_route`).

    The commune is the beneficiary's when one is linked (or the payment line's beneficiary's);
    a report about no beneficiary (a scam attempt on a neighbour) names the commune. The
    beneficiary and the payment line must be in the actor's scope."""
    require_perm(actor, Perm.GRIEVANCE_CREATE)
    today = timezone.localdate()
    received_on = received_on or today
    description = _text(description)
    reporter_name = " ".join(_text(reporter_name).split())
    source = _default_source(actor) if source is None else source
    priority = _checked_fields(category, source, channel, priority, description, received_on, today)
    phone = _reporter_phone(reporter_phone)
    beneficiary = _linked_beneficiary(actor, beneficiary, payroll_line)
    commune = _ticket_commune(actor, commune, beneficiary, payroll_line)
    account_involved = bool(account_involved or _account_involved(beneficiary, payroll_line))
    route = default_route(
        category, commune, payroll_line, beneficiary=beneficiary, account_involved=account_involved
    )
    with transaction.atomic():
        ticket = Ticket.objects.create(
            category=category,
            source=source,
            channel=channel,
            description=description,
            beneficiary=beneficiary,
            commune=commune,
            payroll_line=payroll_line,
            reporter_name=reporter_name,
            reporter_phone=phone,
            account_involved=account_involved,
            routed_to=route.organisation,
            copy_to=route.copy_to,
            status=Status.OPEN,
            priority=priority,
            received_on=received_on,
            due_date=due_date_for(category, received_on),
            created_by=actor,
        )
        _number_and_record(ticket, actor, route, description)
    return ticket


def _default_source(actor: User) -> str:
    org = actor.organisation
    return Source.PROVIDER if org is not None and org.kind in PROVIDER_KINDS else Source.OFFICER


def _number_and_record(ticket: Ticket, actor: User, route: Route, description: str) -> None:
    """The new ticket's number, its history events (created, routed when the route says
    why) and the audit event."""
    ticket.number = ticket_number(ticket)
    ticket.save(update_fields=["number"])
    _event(
        ticket,
        actor,
        TicketEvent.Kind.CREATED,
        note=description,
        to_org=route.organisation,
        to_status=Status.OPEN,
    )
    if route.note:
        _event(
            ticket,
            actor,
            TicketEvent.Kind.ROUTED,
            note=route.note,
            to_org=route.organisation,
            from_status=Status.OPEN,
            to_status=Status.OPEN,
        )
    audit_record(
        actor,
        "grievances.ticket.create",
        obj=ticket,
        after={**{f: getattr(ticket, f) for f in _FIELDS}, "route_note": route.note},
        reason=description,
    )


def _checked_fields(
    category: str,
    source: str,
    channel: str,
    priority: str | None,
    description: str,
    received_on: dt.date,
    today: dt.date,
) -> str:
    """Refuse an unknown category, source, channel or priority, an empty description or a
    date received in the future; the priority (by default the category's)."""
    if category not in Category.values:
        raise ChitraError(_("Unknown category '%(value)s'.") % {"value": category})
    if source not in Source.values:
        raise ChitraError(_("Unknown source '%(value)s'.") % {"value": source})
    if channel not in ReceivedVia.values:
        raise ChitraError(_("Unknown channel '%(value)s'.") % {"value": channel})
    priority = priority or DEFAULT_PRIORITY[category]
    if priority not in Priority.values:
        raise ChitraError(_("Unknown priority '%(value)s'.") % {"value": priority})
    if not description:
        raise ChitraError(_("Describe the complaint."))
    if received_on > today:
        raise ChitraError(_("The date received cannot be in the future."))
    return priority


def _reporter_phone(raw: str) -> str:
    """The reporter's phone, normalised ("" when none given)."""
    if not _text(raw):
        return ""
    try:
        return parse_phone(_text(raw))
    except ValueProblem:
        raise ChitraError(
            _(
                "The reporter's phone '%(value)s' is not valid: expected a "
                "Vietnamese number such as 0912345678."
            )
            % {"value": raw}
        ) from None


def _linked_beneficiary(
    actor: User, beneficiary: Beneficiary | None, payroll_line: PayrollLine | None
) -> Beneficiary | None:
    """The beneficiary of the ticket (the payment line's when one is linked), both checked
    against the actor's scope."""
    from chitra.registry.models import Beneficiary

    if payroll_line is not None:
        from chitra.disbursement.selectors import lines_anywhere

        if not lines_anywhere(actor).filter(pk=payroll_line.pk).exists():
            raise ChitraError(
                _("Payment %(ref)s is not one of your area or your customers.")
                % {"ref": payroll_line.reference}
            )
        if beneficiary is not None and payroll_line.beneficiary_id != beneficiary.pk:
            raise ChitraError(
                _("Payment %(ref)s is not a payment to this beneficiary.")
                % {"ref": payroll_line.reference}
            )
        return payroll_line.beneficiary
    if (
        beneficiary is not None
        and not scope_queryset(
            actor, Beneficiary.objects.filter(pk=beneficiary.pk), perm=Perm.REGISTRY_VIEW
        ).exists()
    ):
        raise ChitraError(_("This beneficiary is not one of your area or your customers."))
    return beneficiary


def _ticket_commune(
    actor: User,
    commune: Commune | None,
    beneficiary: Beneficiary | None,
    payroll_line: PayrollLine | None,
) -> Commune:
    """The beneficiary's commune, else the one named (or the actor's only one), in scope."""
    if beneficiary is not None:
        commune = beneficiary.commune
    if commune is None:
        commune = _only_commune(actor)
    if commune is None:
        raise ChitraError(_("Choose the commune the complaint comes from (or the beneficiary)."))
    if beneficiary is None and payroll_line is None and not _commune_allowed(actor, commune):
        raise ChitraError(_("%(commune)s is outside your area.") % {"commune": commune.name})
    return commune


def _only_commune(actor: User) -> Commune | None:
    """The commune of a commune body (commune police, commune committee) whose area is one
    commune: where a report they record about nobody in the registry comes from."""
    from chitra.geo.models import Commune
    from chitra.iam.models import COMMUNE_LEVEL_KINDS

    org = actor.organisation
    if actor.is_national or org is None or org.kind not in COMMUNE_LEVEL_KINDS:
        return None
    ids = actor.scope_commune_ids()
    if ids is None or len(ids) != 1:
        return None
    return Commune.objects.select_related("province").get(pk=ids[0])


def _commune_allowed(actor: User, commune: Commune) -> bool:
    """Area agencies record complaints of their communes; providers and oversight bodies, of
    their province."""
    if actor.is_national:
        return True
    org = actor.organisation
    if org is not None and org.kind in PROVIDER_KINDS | {OrgKind.STATE_BANK, OrgKind.LEADERSHIP}:
        return commune.province_id == actor.area_province_id
    return commune_in_scope(actor, commune.pk)


# --------------------------------------------------------------------------------------------
# work
# --------------------------------------------------------------------------------------------


def ticket_route(
    *, actor: User, ticket: Ticket, organisation: Organisation, note: str = ""
) -> Ticket:
    """Send the ticket to another organisation (of the ticket's province, one that handles
    complaints). The assignment is cleared and the ticket is open again for the new holder;
    the due date stays."""
    require_perm(actor, Perm.GRIEVANCE_WORK)
    note = _text(note)
    with transaction.atomic():
        t = _for_update(actor, ticket)
        if not may_route(actor, t):
            raise _denied()
        require_transition(
            TICKET,
            t.status,
            "route",
            lambda: ChitraError(_("This complaint is already answered: reopen it first.")),
        )
        if not organisation.is_active or organisation.kind not in ROUTABLE_KINDS:
            raise ChitraError(_("%(org)s does not handle complaints.") % {"org": organisation})
        if organisation.province_id not in (None, t.commune.province_id):
            raise ChitraError(
                _("%(org)s is not an organisation of %(province)s.")
                % {"org": organisation, "province": t.commune.province.name}
            )
        if organisation.pk == t.routed_to_id:
            raise ChitraError(_("The complaint is already with %(org)s.") % {"org": organisation})
        if not note:
            raise ChitraError(_("Say why the complaint is sent to another organisation."))
        before: dict[str, Any] = {
            "routed_to": t.routed_to_id,
            "status": t.status,
            "assigned_to": t.assigned_to_id,
        }
        from_org, from_status = t.routed_to, t.status
        t.routed_to, t.assigned_to, t.status = organisation, None, Status.OPEN
        t.save(update_fields=["routed_to", "assigned_to", "status", "updated_at"])
        _event(
            t,
            actor,
            TicketEvent.Kind.ROUTED,
            note=note,
            from_org=from_org,
            to_org=organisation,
            from_status=from_status,
            to_status=t.status,
        )
        audit_record(
            actor,
            "grievances.ticket.route",
            obj=t,
            before=before,
            after={"routed_to": organisation.pk, "status": t.status, "assigned_to": None},
            reason=note,
        )
    return t


def ticket_assign(*, actor: User, ticket: Ticket, officer: User | None, note: str = "") -> Ticket:
    """Give the ticket to an officer who may work it (None: nobody)."""
    require_perm(actor, Perm.GRIEVANCE_WORK)
    with transaction.atomic():
        t = _for_update(actor, ticket)
        if not may_work(actor, t):
            raise _denied()
        require_transition(
            TICKET,
            t.status,
            "assign",
            lambda: ChitraError(_("This complaint is already answered: reopen it first.")),
        )
        if officer is not None and not (officer.is_active and may_work(officer, t)):
            raise ChitraError(_("%(name)s cannot work on this complaint.") % {"name": officer})
        if (officer.pk if officer else None) == t.assigned_to_id:
            return t
        before = t.assigned_to_id
        t.assigned_to = officer
        t.save(update_fields=["assigned_to", "updated_at"])
        _event(
            t,
            actor,
            TicketEvent.Kind.ASSIGNED,
            note=_text(note) or (str(officer) if officer else _("nobody")),
        )
        audit_record(
            actor,
            "grievances.ticket.assign",
            obj=t,
            before={"assigned_to": before},
            after={"assigned_to": officer.pk if officer else None},
            reason=_text(note),
        )
    return t


def ticket_comment(*, actor: User, ticket: Ticket, note: str) -> TicketEvent:
    """Add a note to the ticket's history (anyone who sees it and handles complaints)."""
    _require_complaints(actor)
    note = _text(note)
    if not note:
        raise ChitraError(_("Write the comment."))
    with transaction.atomic():
        t = _for_update(actor, ticket)
        if not may_comment(actor, t):
            raise _denied()
        require_transition(
            TICKET,
            t.status,
            "comment",
            lambda: ChitraError(_("This complaint is closed: reopen it first.")),
        )
        event = _event(t, actor, TicketEvent.Kind.COMMENT, note=note)
        Ticket.objects.filter(pk=t.pk).update(updated_at=timezone.now())
        audit_record(
            actor, "grievances.ticket.comment", obj=t, after={"event": event.pk}, reason=note
        )
    return event


def ticket_set_status(*, actor: User, ticket: Ticket, status: str, note: str = "") -> Ticket:
    """Open / in progress / waiting for information while it is worked; closed once answered
    (resolve with `ticket_resolve`, reopen with `ticket_reopen`)."""
    require_perm(actor, Perm.GRIEVANCE_WORK)
    if status in (Status.RESOLVED, Status.REJECTED):
        raise ChitraError(_("Record the resolution to answer the complaint."))
    if status not in TICKET.action_targets("status"):
        raise ChitraError(_("Unknown status '%(value)s'.") % {"value": status})
    note = _text(note)
    with transaction.atomic():
        t = _for_update(actor, ticket)
        if not may_work(actor, t):
            raise _denied()
        require_transition(
            TICKET,
            t.status,
            "status",
            lambda: ChitraError(
                _("A complaint that is '%(from)s' cannot become '%(to)s'.")
                % {"from": Status(t.status).label, "to": Status(status).label}
            ),
            to=status,
        )
        if status == Status.WAITING_INFO and not note:
            raise ChitraError(_("Say which information is awaited, and from whom."))
        before = t.status
        t.status = status
        t.save(update_fields=["status", "updated_at"])
        _event(t, actor, TicketEvent.Kind.STATUS, note=note, from_status=before, to_status=status)
        audit_record(
            actor,
            "grievances.ticket.status",
            obj=t,
            before={"status": before},
            after={"status": status},
            reason=note,
        )
    return t


def ticket_resolve(*, actor: User, ticket: Ticket, resolution_code: str, resolution: str) -> Ticket:
    """Record the answer. "no_fault" marks the complaint as not founded; any other outcome as
    resolved. Only the organisation the ticket is routed to (or the provincial BHXH)."""
    require_perm(actor, Perm.GRIEVANCE_WORK)
    resolution = _text(resolution)
    if resolution_code not in ResolutionCode.values:
        raise ChitraError(_("Choose the outcome of the complaint."))
    if not resolution:
        raise ChitraError(_("Describe what was done (the resolution)."))
    with transaction.atomic():
        t = _for_update(actor, ticket)
        if not may_work(actor, t):
            raise _denied()
        require_transition(
            TICKET,
            t.status,
            "resolve",
            lambda: ChitraError(_("This complaint is already answered.")),
        )
        before = {"status": t.status, "resolution_code": t.resolution_code}
        t.status = (
            Status.REJECTED if resolution_code == ResolutionCode.NO_FAULT else Status.RESOLVED
        )
        t.resolution_code, t.resolution = resolution_code, resolution
        t.resolved_at, t.resolved_by = timezone.now(), actor
        t.save(
            update_fields=[
                "status",
                "resolution_code",
                "resolution",
                "resolved_at",
                "resolved_by",
                "updated_at",
            ]
        )
        _event(
            t,
            actor,
            TicketEvent.Kind.RESOLVED,
            note=resolution,
            from_status=before["status"],
            to_status=t.status,
        )
        audit_record(
            actor,
            "grievances.ticket.resolve",
            obj=t,
            before=before,
            after={
                "status": t.status,
                "resolution_code": resolution_code,
                "resolved_at": t.resolved_at,
                "on_time": timezone.localdate(t.resolved_at) <= t.due_date,
            },
            reason=resolution,
        )
    return t


def ticket_reopen(*, actor: User, ticket: Ticket, note: str) -> Ticket:
    """Open an answered ticket again (the beneficiary still has the problem). The resolution
    goes to the history; the due date stays."""
    _require_complaints(actor)
    note = _text(note)
    if not note:
        raise ChitraError(_("Say why the complaint is reopened."))
    with transaction.atomic():
        t = _for_update(actor, ticket)
        if not may_reopen(actor, t):
            raise _denied()
        require_transition(
            TICKET, t.status, "reopen", lambda: ChitraError(_("This complaint is still open."))
        )
        from_status = t.status
        before = {
            "status": t.status,
            "resolution_code": t.resolution_code,
            "resolution": t.resolution,
            "resolved_at": t.resolved_at,
        }
        t.status, t.resolution_code, t.resolution = Status.OPEN, "", ""
        t.resolved_at, t.resolved_by = None, None
        t.save(
            update_fields=[
                "status",
                "resolution_code",
                "resolution",
                "resolved_at",
                "resolved_by",
                "updated_at",
            ]
        )
        _event(
            t,
            actor,
            TicketEvent.Kind.REOPENED,
            note=note,
            from_status=from_status,
            to_status=Status.OPEN,
        )
        audit_record(
            actor,
            "grievances.ticket.reopen",
            obj=t,
            before=before,
            after={"status": Status.OPEN},
            reason=note,
        )
    return t
