from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chitra.core.errors import ChitraError
from chitra.core.exports import job_errors_export
from chitra.core.pagination import paginate
from chitra.core.selectors import job_get
from chitra.iam.access import Perm, has_perm
from chitra.iam.decorators import perm_required
from chitra.iam.exports import audit_export
from chitra.iam.selectors import audit_provinces, audit_search

if TYPE_CHECKING:
    pass


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's work today (cards with counts, chitra.home.selectors) and the periodic
    reports their organisation must issue."""
    from chitra.home.policy import may_open
    from chitra.home.selectors import reports_due, work_today

    user = request.user
    return render(
        request,
        "core/home.html",
        {
            "cards": work_today(user),  # type: ignore[arg-type]
            "obligations": reports_due(user),  # type: ignore[arg-type]
            "can_view_registry": may_open(user, "beneficiary_list"),
            "can_import": may_open(user, "beneficiary_import"),
            "can_audit": may_open(user, "audit_list"),
        },
    )


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from chitra.core.policy import can_rerun

    job = job_get(request.user, pk)  # type: ignore[arg-type]
    template = "core/_job_progress.html" if request.htmx else "core/job_detail.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            "job": job,
            "can_rerun": can_rerun(request.user, job),  # type: ignore[arg-type]
        },
    )


@require_POST
@login_required
def job_rerun_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Run a failed job again (the user who started it): a new job, same parameters and file."""
    from chitra.core.jobs import job_rerun

    job = job_get(request.user, pk)  # type: ignore[arg-type]
    try:
        new = job_rerun(actor=request.user, job=job)  # type: ignore[arg-type]
    except ChitraError as exc:
        messages.error(request, str(exc))
        return redirect("job_detail", pk=job.pk)
    return redirect("job_detail", pk=new.pk)


@login_required
def job_errors(request: HttpRequest, pk: int) -> FileResponse:
    job = job_get(request.user, pk)  # type: ignore[arg-type]
    return job_errors_export(actor=request.user, job=job).response()  # type: ignore[arg-type]


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@perm_required(Perm.AUDIT_VIEW)
def audit_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    filters = {
        "q": g.get("q", "").strip(),
        "action": g.get("action", "").strip(),
        "username": g.get("username", "").strip(),
        "object_type": g.get("object_type", "").strip(),
        "object_id": g.get("object_id", "").strip(),
        "date_from": _date(g.get("from")),
        "date_to": _date(g.get("to")),
        "province": g.get("province", "").strip(),
    }
    if g.get("format") == "xlsx":
        return audit_export(
            actor=request.user,  # type: ignore[arg-type]
            filters=filters,  # type: ignore[arg-type]
            query=g.urlencode(),
        ).response()
    qs = audit_search(request.user, **filters)  # type: ignore[arg-type]
    page = paginate(qs, g.get("page"), size=50)
    params = g.copy()
    params.pop("page", None)
    return render(
        request,
        "core/audit_list.html",
        {
            "page": page,
            "params": params.urlencode(),
            "title": _("Audit trail"),
            "provinces": audit_provinces(request.user),  # type: ignore[arg-type]
        },
    )


@perm_required(Perm.REGISTRY_VIEW)
def beneficiary_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One beneficiary with what every app knows of them (suspensions and recoveries, payment
    method and accounts, proof of life, change requests, consents): a cross-app page, so it
    sits here above the apps rather than in registry."""
    from chitra.registry.selectors import beneficiary_get
    from chitra.registry.services import consent_current
    from chitra.verification.selectors import beneficiary_recoveries, beneficiary_suspensions

    ben = beneficiary_get(request.user, pk)  # type: ignore[arg-type]
    suspensions = beneficiary_suspensions(request.user, ben)  # type: ignore[arg-type]
    from django.utils import timezone

    from chitra.payment_methods.selectors import change_requests, method_for_month
    from chitra.payment_methods.services import may_see_full_number
    from chitra.verification.proof_of_life import due_on, proof_of_life_state, stops_from

    month = timezone.localdate().replace(day=1)
    method_now = method_for_month(ben, month, actor=request.user)  # type: ignore[arg-type]
    paid_into_account = method_now is not None and method_now.account_id is not None
    accounts = list(ben.accounts.select_related("provider").order_by("-created_at"))
    for acc in accounts:
        acc.can_reveal = may_see_full_number(request.user, acc)  # type: ignore[attr-defined,arg-type]
    return render(
        request,
        "registry/beneficiary_detail.html",
        {
            "b": ben,
            "suspensions": suspensions,
            "method_now": method_now,
            "accounts": accounts,
            "pol_due": due_on(ben.proof_of_life_on),
            # due soon / overdue / stops matter to people paid into an account only
            "pol_state": proof_of_life_state(ben.proof_of_life_on) if paid_into_account else "",
            "pol_stops": stops_from(ben.proof_of_life_on) if paid_into_account else None,
            "can_record_visit": has_perm(request.user, Perm.CLEANING_WORK),  # type: ignore[arg-type]
            "requests": change_requests(request.user).filter(beneficiary=ben)[:10],  # type: ignore[arg-type]
            "can_check_account": has_perm(request.user, Perm.PAYMENT_APPROVE),  # type: ignore[arg-type]
            "recoveries": beneficiary_recoveries(request.user, ben),  # type: ignore[arg-type]
            "can_reverse": has_perm(request.user, Perm.SUSPENSION_REVERSE),  # type: ignore[arg-type]
            "consents": consent_current(ben),
            "consent_log": ben.consents.all()[:50],
        },
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: JSON for an address under /api/ (an API client never gets a web page), else the
    page."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return page_not_found(request, exception or Http404())
