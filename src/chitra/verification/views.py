from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chitra.core.errors import ChitraError
from chitra.core.http import int_param as _int
from chitra.core.jobs import job_create
from chitra.core.pagination import paginate
from chitra.core.redirects import safe_next
from chitra.geo.selectors import communes_in_scope
from chitra.iam.access import Perm, has_perm
from chitra.iam.decorators import access_required, perm_required, user_of
from chitra.iam.selectors import user_named
from chitra.registry.selectors import beneficiary_get
from chitra.verification import exports, policy, services
from chitra.verification import selectors as sel
from chitra.verification.models import CleaningTask, Outcome, Recovery


@access_required(policy.can_see_runs)
def run_list_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    page = paginate(sel.run_list(user), request.GET.get("page"), size=25)
    sel.with_counts(user, page.items)
    return render(
        request,
        "verification/run_list.html",
        {
            "page": page,
            "params": "",
            "can_run": has_perm(user, Perm.VERIFY_RUN),
            "outcomes": Outcome.choices,
        },
    )


@require_POST
@perm_required(Perm.VERIFY_RUN)
def run_start_view(request: HttpRequest) -> HttpResponse:
    from django.db import transaction

    from chitra.verification.tasks import verification_run_task

    user = user_of(request)
    province = user.area_province.code if user.area_province else ""
    job = job_create(
        actor=user,
        kind="verification_run",
        params={"province": province},
        input_name=_("Verification run"),
    )
    transaction.on_commit(lambda: verification_run_task.enqueue(job.pk))
    return redirect("job_detail", pk=job.pk)


@login_required
def run_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    run = sel.run_get(user, pk)
    outcome = request.GET.get("outcome") or None
    commune_id = _int(request.GET.get("commune"))
    counts = sel.run_counts_in_scope(user, run)
    results = sel.run_results(user, run, outcome=outcome, commune_id=commune_id)
    page = paginate(results, request.GET.get("page"), size=50)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "verification/run_detail.html",
        {
            "run": run,
            "counts": [(o, label, counts.get(o, 0)) for o, label in Outcome.choices],
            "total": sum(counts.values()),
            "page": page,
            "params": params.urlencode(),
            "outcome": outcome,
            "communes": communes_in_scope(user),
            "commune_id": commune_id,
        },
    )


@perm_required(Perm.CLEANING_WORK)
def queue_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    g = request.GET
    filters: dict[str, Any] = {
        "commune_id": _int(g.get("commune")),
        "outcome": g.get("outcome") or None,
        "status": g.get("status", CleaningTask.Status.OPEN) or None,
        "mine": g.get("mine") == "1",
    }
    if g.get("format") == "xlsx":
        return exports.cleaning_queue_export(
            actor=user, filters=filters, query=g.urlencode()
        ).response()
    qs = sel.queue(user, **filters)
    page = paginate(qs, g.get("page"), size=50)
    params = g.copy()
    params.pop("page", None)
    officers = sel.cleaning_officers(user)
    return render(
        request,
        "verification/queue.html",
        {
            "page": page,
            "params": params.urlencode(),
            "outcomes": Outcome.choices,
            "communes": communes_in_scope(user),
            "officers": officers,
        },
    )


@require_POST
@perm_required(Perm.CLEANING_WORK)
def queue_assign_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    ids = [int(i) for i in request.POST.getlist("task") if i.isdigit()]
    officer = None
    if request.POST.get("officer"):
        officer = user_named(user, _int(request.POST.get("officer")) or 0)
    try:
        n = services.cleaning_assign(actor=user, tasks=sel.tasks_named(user, ids), officer=officer)
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
                services.cleaning_take_register_values(
                    actor=user, task=task, fields=fields, note=note
                )
            elif action == "flag":
                services.cleaning_flag_register(actor=user, task=task, note=note)
            elif action == "confirm":
                services.cleaning_confirm_identity(actor=user, task=task, note=note)
            elif action == "link":
                services.cleaning_link_candidate(
                    actor=user, task=task, personal_id=request.POST.get("candidate", ""), note=note
                )
            elif action == "merge":
                other = beneficiary_get(user, _int(request.POST.get("other")) or 0, audit=False)
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
        duplicates = list(sel.task_duplicates(user, task))
    return render(
        request,
        "verification/task.html",
        {
            "task": task,
            "b": ben,
            "r": result,
            "candidates": result.candidates() if result else [],
            "duplicates": duplicates,
        },
    )


@login_required
def recovery_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not has_perm(user, Perm.REGISTRY_VIEW):
        raise PermissionDenied
    filters = {"status": request.GET.get("status", Recovery.Status.OPEN) or None}
    if request.GET.get("format") == "xlsx":
        return exports.recovery_export(actor=user, filters=filters).response()
    qs = sel.recoveries(user, **filters)
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
    filters: dict[str, Any] = {"commune_id": commune_id, "state": state}
    if request.GET.get("format") == "xlsx":
        return exports.proof_of_life_export(
            actor=user, filters=filters, query=request.GET.urlencode()
        ).response()
    qs = sel.proof_of_life_due(user, **filters)
    page = paginate(qs, request.GET.get("page"), size=50)
    for b in page.items:
        b.due_on = due_on(b.proof_of_life_on)  # type: ignore[attr-defined]
        b.stops_from = stops_from(b.proof_of_life_on)  # type: ignore[attr-defined]
    params = request.GET.copy()
    params.pop("page", None)
    counts = {
        s: sel.proof_of_life_due(user, commune_id=commune_id, state=s).count()
        for s in ("overdue", "due_soon")
    }
    return render(
        request,
        "verification/proof_of_life.html",
        {
            "page": page,
            "params": params.urlencode(),
            "state": state,
            "counts": counts,
            "commune_param": f"&commune={commune_id}" if commune_id else "",
            "months": settings.CHITRA_PROOF_OF_LIFE_MONTHS,
            "warn_days": settings.CHITRA_PROOF_OF_LIFE_WARN_DAYS,
            "communes": communes_in_scope(user),
        },
    )


@require_POST
@perm_required(Perm.SUSPENSION_REVERSE)
def suspension_reverse_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    sus = sel.suspension_get(user, pk)
    try:
        services.suspension_reverse(
            actor=user, suspension=sus, reason=request.POST.get("reason", "")
        )
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
        ben = proof_of_life_counter_visit(
            actor=user,
            beneficiary=ben,
            place=request.POST.get("place", ""),
            on=on,
            note=request.POST.get("note", ""),
        )
    except ChitraError as exc:
        messages.error(request, str(exc))
    else:
        due = due_on(ben.proof_of_life_on)
        messages.success(
            request,
            _("The visit was recorded; the next proof of life is due on %(date)s.")
            % {"date": due.strftime("%d/%m/%Y") if due else "—"},
        )
    return redirect("beneficiary_detail", pk=ben.pk)
