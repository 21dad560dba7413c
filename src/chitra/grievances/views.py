"""Pages of complaints and fraud reports: the list (filters, xlsx), recording a ticket, one
ticket with its history and the actions (comment, route, assign, status, resolve, reopen)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chitra.core.errors import ChitraError
from chitra.core.http import dmy as _d
from chitra.core.http import int_param as _int
from chitra.core.http import query_without
from chitra.core.pagination import paginate
from chitra.geo.selectors import communes_in_scope
from chitra.grievances import policy, services
from chitra.grievances import selectors as sel
from chitra.grievances.exports import ticket_export
from chitra.grievances.forms import TicketForm
from chitra.grievances.models import (
    Category,
    ResolutionCode,
    Source,
    Status,
)
from chitra.iam.access import Perm
from chitra.iam.decorators import access_required, perm_required, user_of
from chitra.iam.models import PROVIDER_KINDS, User
from chitra.iam.selectors import organisation_named, user_named


def _see(request: HttpRequest) -> User:
    user = user_of(request)
    if not policy.can_see_tickets(user):
        raise PermissionDenied
    return user


# --------------------------------------------------------------------------------------------
# list
# --------------------------------------------------------------------------------------------


@access_required(policy.can_see_tickets)
def ticket_list_view(request: HttpRequest) -> HttpResponse:
    user = _see(request)
    g = request.GET
    filters: dict[str, Any] = {
        "status": g.get("status") or None,
        "category": g.get("category") or None,
        "overdue": g.get("overdue") == "1",
        "mine": g.get("mine") == "1",
        "assigned_to_me": g.get("assigned") == "1",
        "commune_id": _int(g.get("commune")),
        "q": g.get("q") or None,
    }
    if g.get("format") == "xlsx":
        return ticket_export(actor=user, filters=filters, query=g.urlencode()).response()
    qs = sel.tickets(user, **filters)
    page = paginate(qs, g.get("page"), size=50)
    return render(
        request,
        "grievances/ticket_list.html",
        {
            "page": page,
            "params": query_without(request, "page", "format"),
            "statuses": Status.choices,
            "categories": Category.choices,
            "communes": communes_in_scope(user),
            "can_create": policy.may_create(user),
            "today": timezone.localdate(),
        },
    )


# --------------------------------------------------------------------------------------------
# record
# --------------------------------------------------------------------------------------------


def _creation_communes(user: User) -> Any:
    return communes_in_scope(user)


@perm_required(Perm.GRIEVANCE_CREATE)
def ticket_new_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    org = user.organisation
    initial_source = (
        Source.PROVIDER if org is not None and org.kind in PROVIDER_KINDS else Source.OFFICER
    )
    found = None
    lookup = request.GET.get("personal_id", "").strip()
    if request.method != "POST" and lookup:
        found = sel.beneficiary_by_personal_id(user, lookup, audit=True)
        if found is None:
            messages.warning(
                request, _("No beneficiary of your area has personal ID %(pid)s.") % {"pid": lookup}
            )
    initial = {
        "source": initial_source,
        "personal_id": lookup if found else "",
        "category": request.GET.get("category", ""),
    }
    form = TicketForm(request.POST or None, initial=initial, communes=_creation_communes(user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        beneficiary, payroll_line = _form_links(user, form)
        if not form.errors:
            try:
                ticket = services.ticket_create(
                    actor=user,
                    category=d["category"],
                    description=d["description"],
                    commune=d["commune"],
                    beneficiary=beneficiary,
                    payroll_line=payroll_line,
                    source=d["source"],
                    channel=d["channel"],
                    reporter_name=d["reporter_name"],
                    reporter_phone=d["reporter_phone"],
                    priority=d["priority"] or None,
                    account_involved=d["account_involved"],
                    received_on=d["received_on"],
                )
            except ChitraError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    _("Complaint %(number)s recorded and routed to %(org)s; due on %(due)s.")
                    % {
                        "number": ticket.number,
                        "org": ticket.routed_to,
                        "due": _d(ticket.due_date),
                    },
                )
                return redirect("ticket_detail", pk=ticket.pk)
    return render(request, "grievances/ticket_new.html", {"form": form, "found": found})


def _form_links(user: User, form: Any) -> tuple[Any, Any]:
    """The beneficiary and the payment line the form names (an error on the form for one
    not found in the user's area)."""
    d = form.cleaned_data
    beneficiary = payroll_line = None
    if d["personal_id"]:
        beneficiary = sel.beneficiary_by_personal_id(user, d["personal_id"])
        if beneficiary is None:
            form.add_error("personal_id", _("No beneficiary of your area has this personal ID."))
    if d["payment_reference"]:
        payroll_line = sel.payroll_line_by_reference(user, d["payment_reference"])
        if payroll_line is None:
            form.add_error(
                "payment_reference",
                _("No payment of your area (or of your customers) has this reference."),
            )
    return beneficiary, payroll_line


# --------------------------------------------------------------------------------------------
# one ticket
# --------------------------------------------------------------------------------------------


@login_required
def ticket_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _see(request)
    ticket = sel.ticket_get(user, pk, audit=True)
    perms = policy.ticket_permissions(user, ticket)
    can_work, can_route = perms["can_work"], perms["can_route"]
    return render(
        request,
        "grievances/ticket_detail.html",
        {
            "t": ticket,
            "events": sel.ticket_events(ticket, actor=user),
            **perms,
            "route_choices": sel.route_choices(ticket, actor=user)
            if can_route and ticket.is_active
            else [],
            "officers": sel.officer_choices(ticket, actor=user)
            if can_work and ticket.is_active
            else [],
            "statuses": [
                (v, label)
                for v, label in Status.choices
                if v in (Status.OPEN, Status.IN_PROGRESS, Status.WAITING_INFO)
                and v != ticket.status
            ],
            "resolution_codes": ResolutionCode.choices,
        },
    )


@require_POST
@login_required
def ticket_action_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _see(request)
    ticket = sel.ticket_get(user, pk)
    p = request.POST
    action = p.get("action", "")
    note = p.get("note", "")
    try:
        done = _ticket_action(user, ticket, action, p, note)
    except (ChitraError, PermissionDenied) as exc:
        messages.error(request, str(exc) or _("You do not have permission to do this."))
    else:
        messages.success(request, done)
        if action == "route" and not sel.is_visible(user, ticket):
            return redirect("ticket_list")
    return redirect("ticket_detail", pk=ticket.pk)


def _ticket_action(user: User, ticket: Any, action: str, p: Any, note: str) -> str:
    """Do one action of the ticket page; the message saying it is done."""
    if action == "comment":
        services.ticket_comment(actor=user, ticket=ticket, note=note)
        return _("Comment added.")
    elif action == "route":
        org = organisation_named(user, pk=_int(p.get("organisation")))
        if org is None:
            raise ChitraError(_("Choose the organisation to send the complaint to."))
        services.ticket_route(actor=user, ticket=ticket, organisation=org, note=note)
        return _("Complaint sent to %(org)s.") % {"org": org}
    elif action == "assign":
        officer = None
        if p.get("officer"):
            officer = user_named(user, _int(p.get("officer")) or 0)
            if officer is None:
                raise ChitraError(_("Unknown officer."))
        services.ticket_assign(actor=user, ticket=ticket, officer=officer, note=note)
        return _("Assigned.")
    elif action == "status":
        t = services.ticket_set_status(
            actor=user, ticket=ticket, status=p.get("status", ""), note=note
        )
        return _("Status: %(status)s.") % {"status": t.get_status_display()}
    elif action == "close":
        services.ticket_set_status(actor=user, ticket=ticket, status=Status.CLOSED, note=note)
        return _("Complaint closed.")
    elif action == "resolve":
        t = services.ticket_resolve(
            actor=user,
            ticket=ticket,
            resolution_code=p.get("resolution_code", ""),
            resolution=p.get("resolution", ""),
        )
        return _("Answer recorded: %(status)s.") % {"status": t.get_status_display()}
    elif action == "reopen":
        services.ticket_reopen(actor=user, ticket=ticket, note=note)
        return _("Complaint reopened.")
    else:
        raise ChitraError(_("Unknown action."))
