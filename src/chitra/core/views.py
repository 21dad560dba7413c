from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chitra.core.audit import audit_record
from chitra.core.errors import ChitraError
from chitra.core.pagination import paginate
from chitra.core.selectors import audit_search, job_get
from chitra.iam.access import Perm, has_perm
from chitra.iam.decorators import perm_required

if TYPE_CHECKING:
    from chitra.iam.models import User


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from chitra.reports.selectors import obligations

    user = request.user
    return render(request, "core/home.html", {
        "obligations": obligations(user),  # type: ignore[arg-type]
        "can_reports": has_perm(user, Perm.REPORTS_VIEW),  # type: ignore[arg-type]
        "can_view_registry": has_perm(user, Perm.REGISTRY_VIEW),  # type: ignore[arg-type]
        "can_import": has_perm(user, Perm.REGISTRY_IMPORT),  # type: ignore[arg-type]
        "can_audit": has_perm(user, Perm.AUDIT_VIEW),  # type: ignore[arg-type]
    })


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from chitra.core.jobs import can_rerun

    job = job_get(request.user, pk)  # type: ignore[arg-type]
    template = "core/_job_progress.html" if request.htmx else "core/job_detail.html"  # type: ignore[attr-defined]
    return render(request, template, {
        "job": job, "can_rerun": can_rerun(request.user, job),  # type: ignore[arg-type]
    })


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
    if not job.output_file or not Path(job.output_file).exists():
        raise Http404
    audit_record(request.user, "export.job_errors", obj=job,  # type: ignore[arg-type]
                 reason=job.input_name)
    return FileResponse(open(job.output_file, "rb"), as_attachment=True,
                        filename=f"loi-nhap-{job.pk}.xlsx")


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@perm_required(Perm.AUDIT_VIEW)
def audit_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    qs = audit_search(
        request.user,  # type: ignore[arg-type]
        q=g.get("q", "").strip(), action=g.get("action", "").strip(),
        username=g.get("username", "").strip(), object_type=g.get("object_type", "").strip(),
        object_id=g.get("object_id", "").strip(), date_from=_date(g.get("from")),
        date_to=_date(g.get("to")), province=g.get("province", "").strip(),
    )
    if g.get("format") == "xlsx":
        from chitra.core.http import xlsx_response
        from chitra.engine.documents.lists import list_workbook

        audit_record(request.user, "export.audit", object_type="core.auditevent",  # type: ignore[arg-type]
                     object_repr=g.urlencode())
        national = _("Nationwide")
        rows = ([timezone.localtime(e.at).strftime("%d/%m/%Y %H:%M:%S"), e.actor_username,
                 e.organisation_name, str(e.province) if e.province_id else national,
                 e.action, e.action_label, f"{e.object_type} #{e.object_id}", e.object_repr,
                 str(e.before or ""), str(e.after or ""), e.reason]
                for e in qs[:100_000].iterator(chunk_size=5000))
        data = list_workbook(title=_("Audit trail"), headers=[
            _("Time"), _("User"), _("Organisation"), _("Province"), _("Action"), _("What"),
            _("Object"), "", _("Before"), _("After"), _("Reason")], rows=rows)
        return xlsx_response(data, "nhat-ky.xlsx")
    page = paginate(qs, g.get("page"), size=50)
    params = g.copy()
    params.pop("page", None)
    from chitra.geo.models import Province

    user: User = request.user  # type: ignore[assignment]
    provinces = (Province.objects.all() if user.is_national
                 else Province.objects.filter(id=user.area_province_id or 0))
    return render(request, "core/audit_list.html", {
        "page": page, "params": params.urlencode(), "title": _("Audit trail"),
        "provinces": provinces,
    })


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: JSON for an address under /api/ (an API client never gets a web page), else the
    page."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return page_not_found(request, exception or Http404())
