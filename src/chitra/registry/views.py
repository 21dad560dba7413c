from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from chitra.core.errors import ChitraError
from chitra.core.pagination import paginate
from chitra.geo.selectors import communes_in_scope
from chitra.iam.access import Perm
from chitra.iam.decorators import perm_required
from chitra.registry.exports import beneficiary_export
from chitra.registry.forms import BeneficiarySearchForm, ImportForm
from chitra.registry.selectors import beneficiary_list
from chitra.registry.services import beneficiary_import_start


@perm_required(Perm.REGISTRY_VIEW)
def beneficiary_list_view(request: HttpRequest) -> HttpResponse:
    communes = communes_in_scope(request.user)  # type: ignore[arg-type]
    form = BeneficiarySearchForm(request.GET or None, communes=communes)
    filters: dict = {}
    if form.is_valid():
        d = form.cleaned_data
        filters = {
            "q": d["q"],
            "commune_id": d["commune"],
            "benefit_type": d["benefit"],
            "status": d["status"],
        }
    if request.GET.get("format") == "xlsx":
        return beneficiary_export(
            actor=request.user,  # type: ignore[arg-type]
            filters=filters,  # type: ignore[arg-type]
            query=request.GET.urlencode(),
        ).response()
    qs = beneficiary_list(request.user, **filters)  # type: ignore[arg-type]
    page = paginate(qs, request.GET.get("page"), size=50)
    params = request.GET.copy()
    params.pop("page", None)
    template = (
        "registry/_beneficiary_table.html"
        if request.htmx  # type: ignore[attr-defined]
        else "registry/beneficiary_list.html"
    )
    return render(request, template, {"form": form, "page": page, "params": params.urlencode()})


@perm_required(Perm.REGISTRY_IMPORT)
def import_view(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"  # bound even when the handler dropped the only field
    form = ImportForm(
        request.POST if posted else None, request.FILES if posted else None, request=request
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = beneficiary_import_start(
                actor=request.user,  # type: ignore[arg-type]
                upload_name=upload.name,
                chunks=upload.chunks(),
                sheet=form.cleaned_data["sheet"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except ChitraError as exc:
            messages.error(request, str(exc))
        else:
            return redirect("job_detail", pk=job.pk)
    return render(request, "registry/import.html", {"form": form})
