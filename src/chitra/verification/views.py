from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chitra.core.audit import audit_record
from chitra.core.errors import ChitraError
from chitra.core.http import xlsx_response as _xlsx
from chitra.core.jobs import job_create
from chitra.core.pagination import paginate
from chitra.core.redirects import safe_next
from chitra.engine.documents.lists import list_workbook
from chitra.geo.selectors import communes_in_scope
from chitra.iam.access import Perm, has_perm
from chitra.iam.decorators import perm_required, user_of
from chitra.iam.models import User
from chitra.registry.selectors import beneficiary_get
from chitra.verification import selectors as sel
from chitra.verification import services
from chitra.verification.models import CleaningTask, Outcome, Recovery


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None




@login_required
def run_list_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not sel.can_see_runs(user):
        raise PermissionDenied
    page = paginate(sel.run_list(user), request.GET.get("page"), size=25)
    sel.with_counts(user, page.items)
    return render(request, "verification/run_list.html", {
        "page": page, "params": "",
        "can_run": has_perm(user, Perm.VERIFY_RUN),
        "outcomes": Outcome.choices,
    })


@require_POST
@perm_required(Perm.VERIFY_RUN)
def run_start_view(request: HttpRequest) -> HttpResponse:
    from django.db import transaction

    from chitra.verification.tasks import verification_run_task

    user = user_of(request)
    province = user.area_province.code if user.area_province else ""
    job = job_create(actor=user, kind="verification_run",
                     params={"province": province}, input_name=_("Verification run"))
    transaction.on_commit(lambda: verification_run_task.enqueue(job.pk))
    return redirect("job_detail", pk=job.pk)


@login_required
def run_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    run = sel.run_get(user, pk)
    outcome = request.GET.get("outcome") or None
    commune_id = _int(request.GET.get("commune"))
    counts = sel.run_counts_in_scope(user, run)
    results = sel.run_results(user, run, outcome=outcome,
                              commune_id=commune_id)
    page = paginate(results, request.GET.get("page"), size=50)
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "verification/run_detail.html", {
        "run": run, "counts": [(o, label, counts.get(o, 0)) for o, label in Outcome.choices],
        "total": sum(counts.values()), "page": page, "params": params.urlencode(),
        "outcome": outcome, "communes": communes_in_scope(user),
        "commune_id": commune_id,
    })


@perm_required(Perm.CLEANING_WORK)
def queue_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    g = request.GET
    qs = sel.queue(user, commune_id=_int(g.get("commune")),
                   outcome=g.get("outcome") or None,
                   status=g.get("status", CleaningTask.Status.OPEN) or None,
                   mine=g.get("mine") == "1")
    if g.get("format") == "xlsx":
        audit_record(user, "export.cleaning_queue", object_type="verification.queue",
                     object_repr=g.urlencode())
        rows = ([t.commune.name, t.beneficiary.full_name, t.beneficiary.personal_id or "",
                 t.beneficiary.si_number or "", t.get_outcome_display(),
                 t.result.mismatched_fields if t.result else "",
                 t.result.reg_full_name if t.result else "",
                 t.assigned_to.username if t.assigned_to else ""]
                for t in qs.iterator(chunk_size=2000))
        data = list_workbook(
            title=_("Records to clean after verification against the population register"),
            subtitle=timezone.localdate().strftime("%d/%m/%Y"),
            headers=[_("Commune"), _("Full name"), _("Personal ID"), _("Social insurance no."),
                     _("Outcome"), _("Mismatched fields"), _("Name in the register"),
                     _("Assigned to")], rows=rows)
        return _xlsx(data, "ho-so-can-lam-sach.xlsx")
    page = paginate(qs, g.get("page"), size=50)
    params = g.copy()
    params.pop("page", None)
    candidates = User.objects.filter(is_active=True, organisation__isnull=False,
                                     area_province=user.area_province
                                     ).select_related("organisation").order_by("username")
    officers = [o for o in candidates if has_perm(o, Perm.CLEANING_WORK)]
    return render(request, "verification/queue.html", {
        "page": page, "params": params.urlencode(), "outcomes": Outcome.choices,
        "communes": communes_in_scope(user), "officers": officers,
    })


@require_POST
@perm_required(Perm.CLEANING_WORK)
def queue_assign_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    ids = [int(i) for i in request.POST.getlist("task") if i.isdigit()]
    officer = None
    if request.POST.get("officer"):
        officer = User.objects.filter(pk=_int(request.POST.get("officer")) or 0).first()
    try:
        n = services.cleaning_assign(actor=user, tasks=CleaningTask.objects.filter(pk__in=ids),
                                     officer=officer)
    except ChitraError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(n)s tasks assigned.") % {"n": n})
    return redirect(safe_next(request, "verification_queue"))


@perm_required(Perm.CLEANING_WORK)
def task_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    task = sel.task_get(user, pk)
    ben = beneficiary_get(user, task.beneficiary_id)
    if request.method == "POST":
        action = request.POST.get("action")
        note = request.POST.get("note", "").strip()
        try:
            if action == "take":
                fields = request.POST.getlist("field") or list(services.REGISTER_FIELDS)
                services.cleaning_take_register_values(actor=user, task=task, fields=fields,
                                                       note=note)
            elif action == "flag":
                services.cleaning_flag_register(actor=user, task=task, note=note)
            elif action == "confirm":
                services.cleaning_confirm_identity(actor=user, task=task, note=note)
            elif action == "link":
                services.cleaning_link_candidate(actor=user, task=task,
                                                 personal_id=request.POST.get("candidate", ""),
                                                 note=note)
            elif action == "merge":
                other = beneficiary_get(user, _int(request.POST.get("other")) or 0,
                                        audit=False)
                services.cleaning_merge(actor=user, keep=other, remove=ben, note=note)
            else:
                raise ChitraError(_("Unknown action."))
        except ChitraError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Done."))
            return redirect("verification_queue")
    result = task.result
    duplicates = []
    if task.outcome == Outcome.DUPLICATE and ben.personal_id:
        from chitra.registry.models import Beneficiary

        duplicates = list(Beneficiary.objects.filter(personal_id=ben.personal_id)
                          .exclude(pk=ben.pk))
    return render(request, "verification/task.html", {
        "task": task, "b": ben, "r": result,
        "candidates": result.candidates() if result else [], "duplicates": duplicates,
    })


@login_required
def recovery_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not has_perm(user, Perm.REGISTRY_VIEW):
        raise PermissionDenied
    qs = sel.recoveries(user, status=request.GET.get("status", Recovery.Status.OPEN) or None)
    if request.GET.get("format") == "xlsx":
        audit_record(user, "export.recoveries", object_type="verification.recovery",
                     object_repr="C75-HD")
        rows = ([r.beneficiary.commune.name, r.beneficiary.full_name,
                 r.beneficiary.personal_id or "", r.beneficiary.si_number or "",
                 r.entitlement.get_benefit_type_display(), r.death_date.strftime("%d/%m/%Y"),
                 r.first_month.strftime("%m/%Y"), r.last_month.strftime("%m/%Y"), r.months,
                 r.entitlement.monthly_amount, r.amount] for r in qs.iterator(chunk_size=2000))
        data = list_workbook(
            title=_("List of amounts paid after death to recover (form C75-HD)"),
            subtitle=timezone.localdate().strftime("%d/%m/%Y"),
            headers=[_("Commune"), _("Full name"), _("Personal ID"), _("Social insurance no."),
                     _("Benefit"), _("Date of death"), _("From month"), _("To month"),
                     _("Months"), _("Monthly amount (VND)"), _("Amount to recover (VND)")],
            rows=rows, money_columns=(9, 10))
        return _xlsx(data, "danh-sach-truy-thu-C75-HD.xlsx")
    page = paginate(qs, request.GET.get("page"), size=50)
    return render(request, "verification/recoveries.html", {"page": page, "params": ""})


@login_required
def proof_of_life_view(request: HttpRequest) -> HttpResponse:
    """People paid into an account whose proof of life is overdue, or due within
    CHITRA_PROOF_OF_LIFE_WARN_DAYS days: two lists (tabs), each with its xlsx."""
    from chitra.verification.proof_of_life import due_on, stops_from

    user = user_of(request)
    if not has_perm(user, Perm.REGISTRY_VIEW):
        raise PermissionDenied
    state = request.GET.get("state") or "overdue"
    if state not in ("overdue", "due_soon"):
        state = "overdue"
    commune_id = _int(request.GET.get("commune"))
    qs = sel.proof_of_life_due(user, commune_id=commune_id, state=state)
    if request.GET.get("format") == "xlsx":
        audit_record(user, "export.proof_of_life", object_type="verification.proof_of_life",
                     object_repr=request.GET.urlencode())
        rows = ([b.commune.name, b.full_name, b.personal_id or "", b.si_number or "",
                 b.address, b.phone, _d(b.proof_of_life_on),
                 b.get_proof_of_life_source_display() if b.proof_of_life_source else "",
                 _d(due_on(b.proof_of_life_on)), _m(stops_from(b.proof_of_life_on))]
                for b in qs.iterator(chunk_size=2000))
        title = (_("Beneficiaries whose proof of life is overdue") if state == "overdue"
                 else _("Beneficiaries whose proof of life is due soon"))
        data = list_workbook(
            title=title, subtitle=timezone.localdate().strftime("%d/%m/%Y"),
            headers=[_("Commune"), _("Full name"), _("Personal ID"), _("Social insurance no."),
                     _("Address"), _("Phone"), _("Last proof of life"), _("Source"),
                     _("Due on"), _("Payments stop from")], rows=rows)
        name = ("qua-han-xac-nhan-con-song.xlsx" if state == "overdue"
                else "sap-den-han-xac-nhan-con-song.xlsx")
        return _xlsx(data, name)
    page = paginate(qs, request.GET.get("page"), size=50)
    for b in page.items:
        b.due_on = due_on(b.proof_of_life_on)  # type: ignore[attr-defined]
        b.stops_from = stops_from(b.proof_of_life_on)  # type: ignore[attr-defined]
    params = request.GET.copy()
    params.pop("page", None)
    counts = {s: sel.proof_of_life_due(user, commune_id=commune_id, state=s).count()
              for s in ("overdue", "due_soon")}
    return render(request, "verification/proof_of_life.html", {
        "page": page, "params": params.urlencode(), "state": state, "counts": counts,
        "commune_param": f"&commune={commune_id}" if commune_id else "",
        "months": settings.CHITRA_PROOF_OF_LIFE_MONTHS,
        "warn_days": settings.CHITRA_PROOF_OF_LIFE_WARN_DAYS,
        "communes": communes_in_scope(user)})


def _d(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _m(month: dt.date | None) -> str:
    return month.strftime("%m/%Y") if month else ""


@require_POST
@perm_required(Perm.SUSPENSION_REVERSE)
def suspension_reverse_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    sus = sel.suspension_get(user, pk)
    try:
        services.suspension_reverse(actor=user, suspension=sus,
                                    reason=request.POST.get("reason", ""))
    except ChitraError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The suspension was reversed."))
    return redirect("beneficiary_detail", pk=sus.entitlement.beneficiary_id)


@require_POST
@perm_required(Perm.CLEANING_WORK)
def counter_visit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the person came to a counter in person (proof of life)."""
    from chitra.verification.proof_of_life import due_on, proof_of_life_counter_visit

    user = user_of(request)
    ben = beneficiary_get(user, pk, audit=False)
    try:
        raw = request.POST.get("date", "").strip()
        on = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        messages.error(request, _("Date '%(value)s': expected YYYY-MM-DD.") % {"value": raw})
        return redirect("beneficiary_detail", pk=ben.pk)
    try:
        ben = proof_of_life_counter_visit(actor=user, beneficiary=ben,
                                          place=request.POST.get("place", ""), on=on,
                                          note=request.POST.get("note", ""))
    except ChitraError as exc:
        messages.error(request, str(exc))
    else:
        due = due_on(ben.proof_of_life_on)
        messages.success(request, _("The visit was recorded; the next proof of life is due on "
                                    "%(date)s.") % {"date": due.strftime("%d/%m/%Y")
                                                    if due else "—"})
    return redirect("beneficiary_detail", pk=ben.pk)
