from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from chitra.core.access import Perm, has_perm
from chitra.core.audit import audit_record
from chitra.core.decorators import perm_required
from chitra.core.pagination import paginate
from chitra.core.selectors import audit_search, job_get


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
    job = job_get(request.user, pk)  # type: ignore[arg-type]
    template = "core/_job_progress.html" if request.htmx else "core/job_detail.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job})


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
        date_to=_date(g.get("to")),
    )
    if g.get("format") == "xlsx":
        from chitra.core.http import xlsx_response
        from chitra.engine.xlsx_lists import list_workbook

        audit_record(request.user, "export.audit", object_type="core.auditevent",  # type: ignore[arg-type]
                     object_repr=g.urlencode())
        rows = ([e.at.strftime("%d/%m/%Y %H:%M:%S"), e.actor_username, e.organisation_name,
                 e.action, f"{e.object_type} #{e.object_id}", e.object_repr,
                 str(e.before or ""), str(e.after or ""), e.reason]
                for e in qs[:100_000].iterator(chunk_size=5000))
        data = list_workbook(title=_("Audit trail"), headers=[
            _("Time"), _("User"), _("Organisation"), _("Action"), _("Object"), "",
            _("Before"), _("After"), _("Reason")], rows=rows)
        return xlsx_response(data, "nhat-ky.xlsx")
    page = paginate(qs, g.get("page"), size=50)
    params = g.copy()
    params.pop("page", None)
    return render(request, "core/audit_list.html", {
        "page": page, "params": params.urlencode(), "title": _("Audit trail"),
    })


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: JSON for an address under /api/ (an API client never gets a web page), else the
    page."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return page_not_found(request, exception or Http404())
