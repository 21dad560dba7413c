from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chitra.core.errors import ChitraError
from chitra.core.pagination import paginate
from chitra.iam.access import Perm, get_in_scope, has_perm
from chitra.iam.decorators import perm_required, user_of
from chitra.payment_methods import exports, policy, services
from chitra.payment_methods import selectors as sel
from chitra.payment_methods.forms import ChangeRequestForm, DecisionForm
from chitra.payment_methods.models import ChangeRequest
from chitra.registry.selectors import beneficiary_get


@perm_required(Perm.REGISTRY_VIEW)
def change_request_new_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    ben = beneficiary_get(user, pk, audit=False)
    posted = request.method == "POST"
    form = ChangeRequestForm(
        request.POST if posted else None, request.FILES if posted else None, request=request
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            cr = services.change_request_create(
                actor=user,
                beneficiary=ben,
                method=d["method"],
                source="officer",
                provider=d["provider"],
                number=d["number"],
                holder_name=d["holder_name"],
                home_reason=d["home_reason"],
                consent_date=d["consent_date"],
                consent_channel=d["consent_channel"],
                consent_witness=d["consent_witness"],
                consent_file=d["consent_file"],
            )
        except ChitraError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Request #%(n)s recorded (%(status)s).")
                % {"n": cr.pk, "status": cr.get_status_display()},
            )
            return redirect("beneficiary_detail", pk=ben.pk)
    return render(request, "payment_methods/change_request_new.html", {"b": ben, "form": form})


@perm_required(Perm.REGISTRY_VIEW)
def change_request_list_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    status = request.GET.get("status", ChangeRequest.Status.SUBMITTED)
    if request.GET.get("format") == "xlsx":
        return exports.change_request_export(
            actor=user, filters={"status": status or None}
        ).response()
    qs = sel.change_requests(user, status=status or None)
    page = paginate(qs, request.GET.get("page"))
    from chitra.payment_methods.forms import SubmitForm

    return render(
        request,
        "payment_methods/change_requests.html",
        {
            "page": page,
            "params": f"status={status}",
            "status": status,
            "statuses": ChangeRequest.Status.choices,
            **policy.change_request_list_permissions(user),
            "submit_form": SubmitForm(),
        },
    )


@require_POST
@perm_required(Perm.REGISTRY_VIEW)
def change_request_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Complete a draft (opened by a provider or an outreach visit) with the person's consent
    and send it for approval."""
    from django.core.exceptions import PermissionDenied

    from chitra.payment_methods.forms import SubmitForm

    user = user_of(request)
    cr = get_in_scope(user, sel.change_requests(user), pk)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date (not in the future) and the way of consent."))
    else:
        d = form.cleaned_data
        try:
            services.change_request_submit(
                actor=user,
                change_request=cr,
                consent_date=d["consent_date"],
                consent_channel=d["consent_channel"],
                consent_witness=d["consent_witness"],
            )
        except (ChitraError, PermissionDenied) as exc:
            messages.error(request, str(exc) or _("You do not have permission to do this."))
        else:
            messages.success(request, _("Request #%(n)s sent for approval.") % {"n": cr.pk})
    return redirect(f"{reverse('change_requests')}?status=draft")


@perm_required(Perm.REGISTRY_IMPORT)
def account_notice_list_view(request: HttpRequest) -> HttpResponse:
    """What providers sent about accounts (files, API), and what became of each row."""
    from chitra.payment_methods.models import AccountNotice

    user = user_of(request)
    outcome = request.GET.get("outcome", "")
    filters = {"outcome": outcome or None, "provider": request.GET.get("provider") or None}
    if request.GET.get("format") == "xlsx":
        return exports.account_notice_export(actor=user, filters=filters).response()
    qs = sel.account_notices(user, **filters)
    page = paginate(qs, request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "payment_methods/account_notices.html",
        {
            "page": page,
            "params": params.urlencode(),
            "outcome": outcome,
            "outcomes": AccountNotice.Outcome.choices,
        },
    )


@require_POST
@perm_required(Perm.PAYMENT_APPROVE)
def change_request_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    cr = get_in_scope(user, sel.change_requests(user), pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            if d["decision"] == "approve":
                services.change_request_approve(
                    actor=user,
                    change_request=cr,
                    override_reason=d["override_reason"],
                    note=d["note"],
                )
                messages.success(request, _("Approved."))
            else:
                services.change_request_reject(actor=user, change_request=cr, note=d["note"])
                messages.success(request, _("Rejected."))
        except ChitraError as exc:
            messages.error(request, str(exc))
    return redirect("change_requests")


@require_POST
@perm_required(Perm.REGISTRY_VIEW)
def account_reveal_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    account = sel.account_get(user, pk)
    number = services.account_reveal(actor=user, account=account)
    return HttpResponse(f'<span class="mono" data-testid="full-number">{number}</span>')


@require_POST
@perm_required(Perm.PAYMENT_APPROVE)
def account_check_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    account = sel.account_get(user, pk)
    try:
        acc = services.account_check_name(actor=user, account=account)
    except ChitraError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Account status: %(s)s") % {"s": acc.get_status_display()})
    return redirect("beneficiary_detail", pk=account.beneficiary_id)


@perm_required(Perm.REGISTRY_VIEW)
def provider_list_view(request: HttpRequest) -> HttpResponse:
    """The provider catalogue with where each serves people in the user's area."""
    user = user_of(request)
    kind = request.GET.get("kind") or ""
    if request.GET.get("format") == "xlsx":
        return exports.provider_export(actor=user, filters={"kind": kind}).response()
    providers = sel.providers(user, kind=kind)
    from chitra.payment_methods.models import ProviderKind

    return render(
        request,
        "payment_methods/providers.html",
        {"providers": providers, "kind": kind, "kinds": ProviderKind.choices},
    )


@perm_required(Perm.REGISTRY_VIEW)
def provider_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    from django.http import Http404

    from chitra.geo.selectors import commune_named, communes_in_scope
    from chitra.payment_methods.models import Coverage

    user = user_of(request)
    provider = sel.provider_get(user, pk)
    can_edit = has_perm(user, Perm.PROVIDER_EDIT)
    if request.method == "POST":
        if not can_edit:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        try:
            if request.POST.get("action") == "info":
                services.provider_update(
                    actor=user,
                    provider=provider,
                    contacts=request.POST.get("contacts", ""),
                    fee_notes=request.POST.get("fee_notes", ""),
                )
            else:
                commune = commune_named(user, pk=request.POST.get("commune") or 0)
                if commune is None:
                    raise Http404
                services.coverage_set(
                    actor=user,
                    provider=provider,
                    commune=commune,
                    kind=request.POST.get("kind", ""),
                    present=request.POST.get("action") == "add",
                    address=request.POST.get("address", ""),
                )
        except ChitraError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Saved."))
        return redirect("provider_detail", pk=provider.pk)
    coverage = sel.provider_coverage(user, provider)
    return render(
        request,
        "payment_methods/provider_detail.html",
        {
            "p": provider,
            "coverage": coverage,
            "can_edit": can_edit,
            "communes": communes_in_scope(user),
            "kinds": Coverage.Kind.choices,
        },
    )
