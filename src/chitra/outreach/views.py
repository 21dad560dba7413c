from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chitra.core.audit import audit_record
from chitra.core.errors import ChitraError
from chitra.core.http import xlsx_response as _xlsx
from chitra.core.pagination import paginate
from chitra.core.redirects import safe_next
from chitra.engine.documents.lists import list_workbook
from chitra.geo.selectors import communes_in_scope
from chitra.iam.access import Perm, has_perm
from chitra.iam.decorators import perm_required, user_of
from chitra.iam.models import User
from chitra.outreach import selectors as sel
from chitra.outreach import services
from chitra.outreach.forms import CampaignForm, ContactForm
from chitra.outreach.models import Assignment, Outcome


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


def _d(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _params(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return params.urlencode()


def _see_campaigns(request: HttpRequest) -> User:
    user = user_of(request)
    if not sel.can_see_campaigns(user):
        raise PermissionDenied
    return user


# --------------------------------------------------------------------------------------------
# campaigns
# --------------------------------------------------------------------------------------------


@login_required
def campaign_list_view(request: HttpRequest) -> HttpResponse:
    user = _see_campaigns(request)
    qs = sel.campaigns(user)
    if request.GET.get("format") == "xlsx":
        audit_record(user, "export.outreach_campaigns", object_type="outreach.campaign",
                     object_repr="campaigns")
        camps = list(qs)
        totals = _campaign_totals(user, [c.pk for c in camps])
        rows = ([c.name, c.province.name, _d(c.start_date), _d(c.end_date),
                 *totals.get(c.pk, (0, 0, 0))] for c in camps)
        data = list_workbook(
            title=_("Outreach campaigns"), subtitle=_today(),
            headers=[_("Campaign"), _("Province"), _("Start date"), _("End date"),
                     _("Beneficiaries"), _("Contacted"), _("Agreed")], rows=rows)
        return _xlsx(data, "chien-dich-van-dong.xlsx")
    page = paginate(qs, request.GET.get("page"), size=25)
    totals = _campaign_totals(user, [c.pk for c in page.items])
    items = [(c, *totals.get(c.pk, (0, 0, 0))) for c in page.items]
    return render(request, "outreach/campaign_list.html", {
        "page": page, "items": items, "params": "",
        "can_manage": has_perm(user, Perm.OUTREACH_MANAGE),
        "can_id_cards": has_perm(user, Perm.ID_CARD_PRIORITY),
    })


def _campaign_totals(user: User, ids: list[int]) -> dict[int, tuple[int, int, int]]:
    rows = (sel.assignments(user).filter(campaign_id__in=ids).order_by().values("campaign_id")
            .annotate(n=Count("id"), contacted=Count("id", filter=~Q(last_outcome="")),
                      agreed=Count("id", filter=Q(last_outcome=Outcome.AGREED))))
    return {r["campaign_id"]: (r["n"], r["contacted"], r["agreed"]) for r in rows}


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
                actor=user, name=d["name"], communes=list(d["communes"]),
                start_date=d["start_date"], end_date=d["end_date"])
        except ChitraError as exc:
            messages.error(request, str(exc))
        else:
            n = campaign.assignments.count()
            messages.success(request, _("Campaign created: %(n)s beneficiaries paid in cash on "
                                        "the work list.") % {"n": n})
            return redirect("outreach_campaign", pk=campaign.pk)
    return render(request, "outreach/campaign_new.html", {"form": form})


@login_required
def campaign_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _see_campaigns(request)
    campaign = sel.campaign_get(user, pk)
    by = request.GET.get("by", "commune")
    communes = sel.progress_by_commune(user, campaign)
    officers = sel.progress_by_officer(user, campaign)
    if request.GET.get("format") == "xlsx":
        audit_record(user, "export.outreach_progress", obj=campaign, object_repr=campaign.name)
        table = officers if by == "officer" else communes
        first = _("Officer") if by == "officer" else _("Commune")
        rows = ([r.label or _("Not assigned"), r.total, r.contacted,
                 round(100 * r.share_contacted, 1), r.agreed, round(100 * r.share_agreed, 1),
                 r.done, *r.outcome_counts()] for r in table)
        data = list_workbook(
            title=_("Outreach progress: %(name)s") % {"name": campaign.name}, subtitle=_today(),
            headers=[first, _("Beneficiaries"), _("Contacted"), _("Contacted share"),
                     _("Agreed"), _("Agreed share"), _("Done"),
                     *[str(label) for _v, label in Outcome.choices]],
            rows=rows)
        return _xlsx(data, f"tien-do-van-dong-{campaign.pk}.xlsx")
    return render(request, "outreach/campaign_detail.html", {
        "campaign": campaign, "communes": communes, "officers": officers,
        "total": sel.progress_total(communes), "outcomes": Outcome.choices,
        "campaign_communes": campaign.communes.order_by("name"),
        "can_manage": has_perm(user, Perm.OUTREACH_MANAGE),
    })


@login_required
def campaign_assignments_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _see_campaigns(request)
    campaign = sel.campaign_get(user, pk)
    g = request.GET
    qs = sel.assignments(user, campaign=campaign, commune_id=_int(g.get("commune")),
                         status=g.get("status") or None, outcome=g.get("outcome") or None,
                         officer_id=_int(g.get("officer")), mine=g.get("mine") == "1",
                         unassigned=g.get("unassigned") == "1")
    if g.get("format") == "xlsx":
        audit_record(user, "export.outreach_work_list", obj=campaign,
                     object_repr=g.urlencode()[:255] or campaign.name)
        data = list_workbook(
            title=_("Outreach work list: %(name)s") % {"name": campaign.name},
            subtitle=_today(), headers=_assignment_headers(), rows=_assignment_rows(qs))
        return _xlsx(data, f"danh-sach-van-dong-{campaign.pk}.xlsx")
    page = paginate(qs, g.get("page"), size=50)
    can_manage = has_perm(user, Perm.OUTREACH_MANAGE)
    return render(request, "outreach/assignments.html", {
        "campaign": campaign, "page": page, "params": _params(request),
        "outcomes": Outcome.choices, "statuses": Assignment.Status.choices,
        "communes": campaign.communes.order_by("name"), "can_manage": can_manage,
        "officers": sel.officers_for(user) if can_manage else [],
    })


def _assignment_headers() -> list[str]:
    return [_("Commune"), _("Full name"), _("Personal ID"), _("Social insurance no."),
            _("Date of birth"), _("Address"), _("Phone"), _("Assigned to"), _("Status"),
            _("Last outcome"), _("Last contact"), _("Follow up on")]


def _assignment_rows(qs: Any) -> Iterable[list[Any]]:
    for a in qs.iterator(chunk_size=2000):
        b = a.beneficiary
        yield [a.commune.name, b.full_name, b.personal_id or "", b.si_number or "",
               _d(b.birth_date), b.address, b.phone,
               a.assigned_to.username if a.assigned_to else "", a.get_status_display(),
               a.get_last_outcome_display() if a.last_outcome else "",
               _d(a.last_contact_date), _d(a.follow_up_date)]


@require_POST
@perm_required(Perm.OUTREACH_MANAGE)
def assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    campaign = sel.campaign_get(user, pk)
    ids = [int(i) for i in request.POST.getlist("assignment") if i.isdigit()]
    officer = None
    if request.POST.get("officer"):
        officer = User.objects.filter(pk=_int(request.POST.get("officer")) or 0).first()
    try:
        n = services.campaign_assign(
            actor=user, assignments=Assignment.objects.filter(pk__in=ids, campaign=campaign),
            officer=officer)
    except ChitraError as exc:
        messages.error(request, str(exc))
    else:
        skipped = len(ids) - n
        messages.success(request, _("%(n)s assignments given.") % {"n": n})
        if skipped:
            messages.warning(request, _("%(n)s were not given: done already, or outside the "
                                        "officer's area.") % {"n": skipped})
    return redirect(safe_next(request, reverse("outreach_assignments", args=[campaign.pk])))


# --------------------------------------------------------------------------------------------
# the officer's work list (phone-friendly) and the contact form
# --------------------------------------------------------------------------------------------


@perm_required(Perm.OUTREACH_WORK)
def my_work_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    area = request.GET.get("area") == "1"
    qs = sel.my_work(user, campaign_id=_int(request.GET.get("campaign")), area=area)
    if request.GET.get("format") == "xlsx":
        audit_record(user, "export.outreach_my_work", object_type="outreach.assignment",
                     object_repr=request.GET.urlencode()[:255] or "mine")
        data = list_workbook(title=_("My outreach work list"), subtitle=_today(),
                             headers=_assignment_headers(), rows=_assignment_rows(qs))
        return _xlsx(data, "danh-sach-cua-toi.xlsx")
    page = paginate(qs, request.GET.get("page"), size=20)
    return render(request, "outreach/my_work.html", {
        "page": page, "params": _params(request), "area": area,
        "cards": [_card(user, a) for a in page.items],
    })


def _card(user: User, a: Assignment, form: ContactForm | None = None) -> dict[str, Any]:
    return {"a": a, "form": form or ContactForm(prefix=f"a{a.pk}"),
            "can_open_cr": services.may_open_change_request(user)}


@perm_required(Perm.OUTREACH_WORK)
def assignment_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One beneficiary of a work list: the contact history and the form (htmx: the card)."""
    user = user_of(request)
    a = sel.assignment_get(user, pk)
    form = ContactForm(request.POST or None, prefix=f"a{a.pk}")
    ok = False
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                contact = services.contact_record(
                    actor=user, assignment=a, outcome=d["outcome"], channel=d["channel"],
                    date=d["date"], reason=d["reason"], note=d["note"], provider=d["provider"],
                    method=d["method"], number=d["number"], holder_name=d["holder_name"],
                    follow_up_date=d["follow_up_date"])
            except ChitraError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Recorded: %(outcome)s.")
                                 % {"outcome": contact.get_outcome_display()})
                if contact.change_request_id:
                    messages.info(request, _("Draft payment change request #%(n)s opened: "
                                             "record the consent to submit it.")
                                  % {"n": contact.change_request_id})
                ok = True
                form = ContactForm(prefix=f"a{a.pk}")
                a = sel.assignment_get(user, pk)
        if request.htmx:  # type: ignore[attr-defined]
            return render(request, "outreach/_card.html", {
                "card": _card(user, a, form), "messages_inline": True})
        if ok:
            return redirect(safe_next(request, reverse("outreach_assignment", args=[a.pk])))
    else:
        audit_record(user, "outreach.assignment.view", obj=a.beneficiary)
    return render(request, "outreach/assignment.html", {
        "card": _card(user, a, form), "contacts": sel.contacts(user, assignment=a)})


# --------------------------------------------------------------------------------------------
# the police's priority list for ID cards, reported deaths
# --------------------------------------------------------------------------------------------


@perm_required(Perm.ID_CARD_PRIORITY)
def id_cards_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    qs = sel.id_card_priority(user, commune_id=_int(request.GET.get("commune")))
    if request.GET.get("format") == "xlsx":
        audit_record(user, "export.id_card_priority", object_type="outreach.id_cards",
                     object_repr=request.GET.urlencode()[:255] or "id_cards")
        rows = ([b.commune.name, b.full_name, b.personal_id or "", b.old_id or "",
                 b.si_number or "", _d(b.birth_date), b.get_sex_display(), b.address, b.phone,
                 _("Found by outreach") if getattr(b, "flagged", False) else _("No personal ID")]
                for b in qs.iterator(chunk_size=2000))
        data = list_workbook(
            title=_("Beneficiaries to issue an ID card first"), subtitle=_today(),
            headers=[_("Commune"), _("Full name"), _("Personal ID"), _("Old ID card (CMND)"),
                     _("Social insurance no."), _("Date of birth"), _("Sex"), _("Address"),
                     _("Phone"), _("Why")], rows=rows)
        return _xlsx(data, "uu-tien-cap-can-cuoc.xlsx")
    page = paginate(qs, request.GET.get("page"), size=50)
    return render(request, "outreach/id_cards.html", {
        "page": page, "params": _params(request), "communes": communes_in_scope(user)})


@perm_required(Perm.REGISTRY_VIEW)
def death_reports_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not (sel.can_see_campaigns(user) or has_perm(user, Perm.VERIFY_RUN)):
        raise PermissionDenied
    open_only = request.GET.get("all") != "1"
    qs = sel.death_reports(user, open_only=open_only)
    if request.GET.get("format") == "xlsx":
        audit_record(user, "export.death_reports", object_type="outreach.deathreport",
                     object_repr="death_reports")
        rows = ([r.beneficiary.commune.name, r.beneficiary.full_name,
                 r.beneficiary.personal_id or "", _d(timezone.localtime(r.reported_at)),
                 str(r.reported_by), r.note,
                 _d(timezone.localtime(r.checked_at)) if r.checked_at else "",
                 r.check_outcome] for r in qs.iterator(chunk_size=2000))
        data = list_workbook(
            title=_("Deaths reported during outreach"), subtitle=_today(),
            headers=[_("Commune"), _("Full name"), _("Personal ID"), _("Reported on"),
                     _("Reported by"), _("Note"), _("Checked on"), _("Register outcome")],
            rows=rows)
        return _xlsx(data, "bao-tu-vong.xlsx")
    page = paginate(qs, request.GET.get("page"), size=50)
    return render(request, "outreach/death_reports.html", {
        "page": page, "params": _params(request), "open_only": open_only,
        "can_check": has_perm(user, Perm.VERIFY_RUN)})


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
            messages.success(request, _("Checked against the population register: "
                                        "%(deceased)s confirmed deceased of %(total)s.")
                             % {"deceased": run.counts.get("deceased", 0), "total": run.total})
    return redirect("outreach_death_reports")
