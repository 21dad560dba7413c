from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chitra.core.errors import ChitraError
from chitra.core.http import int_param as _int
from chitra.core.http import query_without
from chitra.core.pagination import paginate
from chitra.core.redirects import safe_next
from chitra.geo.selectors import communes_in_scope
from chitra.iam.access import Perm, has_perm
from chitra.iam.decorators import access_required, perm_required, user_of
from chitra.iam.models import User
from chitra.iam.selectors import user_named
from chitra.outreach import exports, policy, services
from chitra.outreach import selectors as sel
from chitra.outreach.forms import CampaignForm, ContactForm
from chitra.outreach.models import Assignment, Outcome


def _see_campaigns(request: HttpRequest) -> User:
    user = user_of(request)
    if not policy.can_see_campaigns(user):
        raise PermissionDenied
    return user


# --------------------------------------------------------------------------------------------
# campaigns
# --------------------------------------------------------------------------------------------


@access_required(policy.can_see_campaigns)
def campaign_list_view(request: HttpRequest) -> HttpResponse:
    user = _see_campaigns(request)
    qs = sel.campaigns(user)
    if request.GET.get("format") == "xlsx":
        return exports.campaign_export(actor=user).response()
    page = paginate(qs, request.GET.get("page"), size=25)
    totals = sel.campaign_totals(user, [c.pk for c in page.items])
    items = [(c, *totals.get(c.pk, (0, 0, 0))) for c in page.items]
    return render(
        request,
        "outreach/campaign_list.html",
        {
            "page": page,
            "items": items,
            "params": "",
            "can_manage": policy.may_manage(user),
            "can_id_cards": has_perm(user, Perm.ID_CARD_PRIORITY),
        },
    )


@perm_required(Perm.OUTREACH_MANAGE)
def campaign_new_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    communes = communes_in_scope(user)
    if user.area_province_id is not None:
        communes = communes.filter(province_id=user.area_province_id)
    form = CampaignForm(request.POST or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            campaign = services.campaign_create(
                actor=user,
                name=d["name"],
                communes=list(d["communes"]),
                start_date=d["start_date"],
                end_date=d["end_date"],
            )
        except ChitraError as exc:
            messages.error(request, str(exc))
        else:
            n = campaign.assignments.count()
            messages.success(
                request,
                _("Campaign created: %(n)s beneficiaries paid in cash on the work list.")
                % {"n": n},
            )
            return redirect("outreach_campaign", pk=campaign.pk)
    return render(request, "outreach/campaign_new.html", {"form": form})


@login_required
def campaign_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _see_campaigns(request)
    campaign = sel.campaign_get(user, pk)
    if request.GET.get("format") == "xlsx":
        return exports.campaign_progress_export(
            actor=user, campaign=campaign, filters={"by": request.GET.get("by", "commune")}
        ).response()
    communes = sel.progress_by_commune(user, campaign)
    officers = sel.progress_by_officer(user, campaign)
    return render(
        request,
        "outreach/campaign_detail.html",
        {
            "campaign": campaign,
            "communes": communes,
            "officers": officers,
            "total": sel.ProgressRow.total_of(communes),
            "outcomes": Outcome.choices,
            "campaign_communes": campaign.communes.order_by("name"),
            "can_manage": policy.may_manage(user),
        },
    )


@login_required
def campaign_assignments_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _see_campaigns(request)
    campaign = sel.campaign_get(user, pk)
    g = request.GET
    filters: dict[str, Any] = {
        "commune_id": _int(g.get("commune")),
        "status": g.get("status") or None,
        "outcome": g.get("outcome") or None,
        "officer_id": _int(g.get("officer")),
        "mine": g.get("mine") == "1",
        "unassigned": g.get("unassigned") == "1",
    }
    if g.get("format") == "xlsx":
        return exports.assignment_export(
            actor=user, campaign=campaign, filters=filters, query=g.urlencode()
        ).response()
    qs = sel.assignments(user, campaign=campaign, **filters)
    page = paginate(qs, g.get("page"), size=50)
    can_manage = policy.may_manage(user)
    return render(
        request,
        "outreach/assignments.html",
        {
            "campaign": campaign,
            "page": page,
            "params": query_without(request, "page", "format"),
            "outcomes": Outcome.choices,
            "statuses": Assignment.Status.choices,
            "communes": campaign.communes.order_by("name"),
            "can_manage": can_manage,
            "officers": sel.officers_for(user) if can_manage else [],
        },
    )


@require_POST
@perm_required(Perm.OUTREACH_MANAGE)
def assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    campaign = sel.campaign_get(user, pk)
    ids = [int(i) for i in request.POST.getlist("assignment") if i.isdigit()]
    officer = None
    if request.POST.get("officer"):
        officer = user_named(user, _int(request.POST.get("officer")) or 0)
    try:
        n = services.campaign_assign(
            actor=user,
            assignments=sel.assignments_named(user, campaign, ids),
            officer=officer,
        )
    except ChitraError as exc:
        messages.error(request, str(exc))
    else:
        skipped = len(ids) - n
        messages.success(request, _("%(n)s assignments given.") % {"n": n})
        if skipped:
            messages.warning(
                request,
                _("%(n)s were not given: done already, or outside the officer's area.")
                % {"n": skipped},
            )
    return redirect(safe_next(request, reverse("outreach_assignments", args=[campaign.pk])))


# --------------------------------------------------------------------------------------------
# the officer's work list (phone-friendly) and the contact form
# --------------------------------------------------------------------------------------------


@perm_required(Perm.OUTREACH_WORK)
def my_work_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    area = request.GET.get("area") == "1"
    filters: dict[str, Any] = {"campaign_id": _int(request.GET.get("campaign")), "area": area}
    if request.GET.get("format") == "xlsx":
        return exports.my_work_export(
            actor=user, filters=filters, query=request.GET.urlencode()
        ).response()
    qs = sel.my_work(user, **filters)
    page = paginate(qs, request.GET.get("page"), size=20)
    return render(
        request,
        "outreach/my_work.html",
        {
            "page": page,
            "params": query_without(request, "page", "format"),
            "area": area,
            "cards": [_card(user, a) for a in page.items],
        },
    )


def _card(user: User, a: Assignment, form: ContactForm | None = None) -> dict[str, Any]:
    return {
        "a": a,
        "form": form or ContactForm(prefix=f"a{a.pk}"),
        "can_open_cr": policy.may_open_change_request(user),
    }


@perm_required(Perm.OUTREACH_WORK)
def assignment_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One beneficiary of a work list: the contact history and the form (htmx: the card)."""
    user = user_of(request)
    a = sel.assignment_get(user, pk, audit=request.method != "POST")
    form = ContactForm(request.POST or None, prefix=f"a{a.pk}")
    ok = False
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                contact = services.contact_record(
                    actor=user,
                    assignment=a,
                    outcome=d["outcome"],
                    channel=d["channel"],
                    date=d["date"],
                    reason=d["reason"],
                    note=d["note"],
                    provider=d["provider"],
                    method=d["method"],
                    number=d["number"],
                    holder_name=d["holder_name"],
                    follow_up_date=d["follow_up_date"],
                )
            except ChitraError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    _("Recorded: %(outcome)s.") % {"outcome": contact.get_outcome_display()},
                )
                if contact.change_request_id:
                    messages.info(
                        request,
                        _(
                            "Draft payment change request #%(n)s opened: "
                            "record the consent to submit it."
                        )
                        % {"n": contact.change_request_id},
                    )
                ok = True
                form = ContactForm(prefix=f"a{a.pk}")
                a = sel.assignment_get(user, pk)
        if request.htmx:  # type: ignore[attr-defined]
            return render(
                request,
                "outreach/_card.html",
                {"card": _card(user, a, form), "messages_inline": True},
            )
        if ok:
            return redirect(safe_next(request, reverse("outreach_assignment", args=[a.pk])))
    return render(
        request,
        "outreach/assignment.html",
        {"card": _card(user, a, form), "contacts": sel.contacts(user, assignment=a)},
    )


# --------------------------------------------------------------------------------------------
# the police's priority list for ID cards, reported deaths
# --------------------------------------------------------------------------------------------


@perm_required(Perm.ID_CARD_PRIORITY)
def id_cards_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    filters = {"commune_id": _int(request.GET.get("commune"))}
    if request.GET.get("format") == "xlsx":
        return exports.id_card_priority_export(
            actor=user, filters=filters, query=request.GET.urlencode()
        ).response()
    qs = sel.id_card_priority(user, **filters)
    page = paginate(qs, request.GET.get("page"), size=50)
    return render(
        request,
        "outreach/id_cards.html",
        {
            "page": page,
            "params": query_without(request, "page", "format"),
            "communes": communes_in_scope(user),
        },
    )


@perm_required(Perm.REGISTRY_VIEW)
def death_reports_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not policy.may_see_death_reports(user):
        raise PermissionDenied
    open_only = request.GET.get("all") != "1"
    if request.GET.get("format") == "xlsx":
        return exports.death_report_export(actor=user, filters={"open_only": open_only}).response()
    qs = sel.death_reports(user, open_only=open_only)
    page = paginate(qs, request.GET.get("page"), size=50)
    return render(
        request,
        "outreach/death_reports.html",
        {
            "page": page,
            "params": query_without(request, "page", "format"),
            "open_only": open_only,
            "can_check": has_perm(user, Perm.VERIFY_RUN),
        },
    )


@require_POST
@perm_required(Perm.VERIFY_RUN)
def death_reports_check_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    try:
        run = services.death_reports_check(actor=user)
    except ChitraError as exc:
        messages.error(request, str(exc))
    else:
        if run is None:
            messages.info(request, _("No open death report to check."))
        else:
            messages.success(
                request,
                _(
                    "Checked against the population register: "
                    "%(deceased)s confirmed deceased of %(total)s."
                )
                % {"deceased": run.counts.get("deceased", 0), "total": run.total},
            )
    return redirect("outreach_death_reports")
