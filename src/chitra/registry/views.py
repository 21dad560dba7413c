from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from chitra.core.errors import ChitraError
from chitra.core.pagination import paginate
from chitra.geo.selectors import communes_in_scope
from chitra.iam.access import Perm
from chitra.iam.decorators import perm_required
from chitra.registry.forms import BeneficiarySearchForm, ImportForm
from chitra.registry.selectors import beneficiary_get, beneficiary_list
from chitra.registry.services import beneficiary_import_start, consent_current


@perm_required(Perm.REGISTRY_VIEW)
def beneficiary_list_view(request: HttpRequest) -> HttpResponse:
    communes = communes_in_scope(request.user)  # type: ignore[arg-type]
    form = BeneficiarySearchForm(request.GET or None, communes=communes)
    filters: dict = {}
    if form.is_valid():
        d = form.cleaned_data
        filters = {"q": d["q"], "commune_id": d["commune"], "benefit_type": d["benefit"],
                   "status": d["status"]}
    qs = beneficiary_list(request.user, **filters)  # type: ignore[arg-type]
    if request.GET.get("format") == "xlsx":
        return _beneficiary_xlsx(request, qs)
    page = paginate(qs, request.GET.get("page"), size=50)
    params = request.GET.copy()
    params.pop("page", None)
    template = ("registry/_beneficiary_table.html" if request.htmx  # type: ignore[attr-defined]
                else "registry/beneficiary_list.html")
    return render(request, template, {"form": form, "page": page, "params": params.urlencode()})


@perm_required(Perm.REGISTRY_VIEW)
def beneficiary_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    from chitra.iam.access import has_perm
    from chitra.verification.models import Recovery, Suspension

    ben = beneficiary_get(request.user, pk)  # type: ignore[arg-type]
    suspensions = Suspension.objects.filter(entitlement__beneficiary=ben).select_related(
        "entitlement")
    from django.utils import timezone

    from chitra.payment_methods.selectors import change_requests, method_for_month
    from chitra.payment_methods.services import may_see_full_number
    from chitra.verification.proof_of_life import due_on, proof_of_life_state, stops_from

    month = timezone.localdate().replace(day=1)
    method_now = method_for_month(ben, month)
    paid_into_account = method_now is not None and method_now.account_id is not None
    accounts = list(ben.accounts.select_related("provider").order_by("-created_at"))
    for acc in accounts:
        acc.can_reveal = may_see_full_number(request.user, acc)  # type: ignore[attr-defined,arg-type]
    return render(request, "registry/beneficiary_detail.html", {
        "b": ben, "suspensions": suspensions,
        "method_now": method_now, "accounts": accounts,
        "pol_due": due_on(ben.proof_of_life_on),
        # due soon / overdue / stops matter to people paid into an account only
        "pol_state": proof_of_life_state(ben.proof_of_life_on) if paid_into_account else "",
        "pol_stops": stops_from(ben.proof_of_life_on) if paid_into_account else None,
        "can_record_visit": has_perm(request.user, Perm.CLEANING_WORK),  # type: ignore[arg-type]
        "requests": change_requests(request.user).filter(beneficiary=ben)[:10],  # type: ignore[arg-type]
        "can_check_account": has_perm(request.user, Perm.PAYMENT_APPROVE),  # type: ignore[arg-type]
        "recoveries": Recovery.objects.filter(beneficiary=ben),
        "can_reverse": has_perm(request.user, Perm.SUSPENSION_REVERSE),  # type: ignore[arg-type]
        "consents": consent_current(ben), "consent_log": ben.consents.all()[:50],
    })


@perm_required(Perm.REGISTRY_IMPORT)
def import_view(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"  # bound even when the handler dropped the only field
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None,
                      request=request)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = beneficiary_import_start(
                actor=request.user,  # type: ignore[arg-type]
                upload_name=upload.name, chunks=upload.chunks(),
                sheet=form.cleaned_data["sheet"], dry_run=form.cleaned_data["dry_run"],
            )
        except ChitraError as exc:
            messages.error(request, str(exc))
        else:
            return redirect("job_detail", pk=job.pk)
    return render(request, "registry/import.html", {"form": form})


#: one export is capped; narrower filters give the rest (a province list is still one file)
EXPORT_LIMIT = 200_000


def _beneficiary_xlsx(request: HttpRequest, qs: Any) -> HttpResponse:
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from chitra.core.audit import audit_record
    from chitra.engine.documents.lists import list_workbook

    audit_record(request.user, "export.beneficiaries",  # type: ignore[arg-type]
                 object_type="registry.beneficiary", object_repr=request.GET.urlencode())
    rows = ([b.full_name, b.personal_id or "", b.si_number or "", b.old_id or "",
             b.birth_date.strftime("%Y" if b.birth_precision == "Y" else
                                   "%m/%Y" if b.birth_precision == "M" else "%d/%m/%Y"),
             b.get_sex_display(), b.commune.name, b.address, b.phone, b.get_status_display()]
            for b in qs[:EXPORT_LIMIT].iterator(chunk_size=5000))
    data = list_workbook(
        title=_("Beneficiaries"), subtitle=timezone.localdate().strftime("%d/%m/%Y"),
        headers=[_("Full name"), _("Personal ID"), _("Social insurance no."),
                 _("Old ID card (CMND)"), _("Date of birth"), _("Sex"), _("Commune"),
                 _("Address"), _("Phone"), _("Status")], rows=rows)
    from chitra.core.http import xlsx_response

    return xlsx_response(data, "danh-sach-nguoi-huong.xlsx")
