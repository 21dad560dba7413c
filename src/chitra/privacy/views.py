"""Pages of the personal-data app: the requests of data subjects (find the person, record the
request, hand out their data as PDF/xlsx, corrections), the breach register and the retention
rules. Thin: every write goes through `privacy.services`, every read through the selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chitra.core.errors import ChitraError
from chitra.core.http import query_without
from chitra.core.pagination import paginate
from chitra.iam.access import Perm, has_perm
from chitra.iam.decorators import access_required, perm_required, user_of
from chitra.privacy import selectors as sel
from chitra.privacy import services
from chitra.privacy.forms import BreachForm, CorrectionForm, FindForm, NotifyForm, RequestForm
from chitra.privacy.models import Breach, CorrectionRequest, DataSubjectRequest, RequestKind
from chitra.privacy.policy import may_privacy, privacy_home_permissions
from chitra.privacy.retention import ACTION_LABELS, RULES

_NO_STORE = "no-store"


def _no_store(resp: HttpResponse) -> HttpResponse:
    """Pages and files with personal data are never kept by browsers or proxies."""
    resp["Cache-Control"] = _NO_STORE
    return resp


@access_required(may_privacy)
def home_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    flags = privacy_home_permissions(user)
    can_requests = flags["can_requests"]
    ctx: dict[str, Any] = {
        **flags,
        "counts": sel.open_counts(user),
        "find": FindForm(),
        "kinds": RequestKind.choices,
        "statuses": DataSubjectRequest.Status.choices,
    }
    if can_requests:
        g = request.GET
        qs = sel.requests(
            user,
            status=g.get("status", "open"),
            kind=g.get("kind", ""),
            overdue=g.get("overdue") == "1",
        )
        ctx.update(page=paginate(qs, g.get("page"), size=50), params=query_without(request, "page"))
    return _no_store(render(request, "privacy/home.html", ctx))


@perm_required(Perm.PRIVACY_REQUESTS)
def find_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = FindForm(request.GET or None)
    if form.is_valid():
        ben = sel.subject_find(user, form.cleaned_data["q"])
        if ben is not None:
            return redirect("privacy_subject", pk=ben.pk)
    messages.error(request, _("No person with this number in your area."))
    return redirect("privacy_home")


def _subject_page(
    request: HttpRequest,
    ben: Any,
    *,
    request_form: RequestForm | None = None,
    correction_form: CorrectionForm | None = None,
) -> HttpResponse:
    from chitra.registry.services import consent_current

    user = user_of(request)
    return _no_store(
        render(
            request,
            "privacy/subject.html",
            {
                "b": ben,
                "consents": consent_current(ben),
                "consent_log": ben.consents.select_related("recorded_by").all()[:50],
                "requests": sel.requests(user, beneficiary=ben).order_by("-received_on", "-id"),
                "corrections": sel.corrections(user, beneficiary=ben),
                "request_form": request_form or RequestForm(),
                "correction_form": correction_form or CorrectionForm(beneficiary=ben),
                "can_decide": has_perm(user, Perm.PRIVACY_DECIDE),
            },
        )
    )


@perm_required(Perm.PRIVACY_REQUESTS)
def subject_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    ben = sel.subject_get(user, pk, audit=request.method == "GET")
    if request.method != "POST":
        return _subject_page(request, ben)
    action = request.POST.get("action")
    if action == "request":
        form = RequestForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                r = services.request_create(
                    actor=user,
                    beneficiary=ben,
                    kind=d["kind"],
                    received_on=d["received_on"],
                    channel=d["channel"],
                    requester_name=d["requester_name"],
                    requester_capacity=d["requester_capacity"],
                    description=d["description"],
                    purpose=d["purpose"],
                )
            except ChitraError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    _("Request recorded: answer by %(date)s.")
                    % {"date": r.due_date.strftime("%d/%m/%Y")},
                )
                return redirect("privacy_request", pk=r.pk)
        return _subject_page(request, ben, request_form=form)
    if action == "correction":
        cform = CorrectionForm(request.POST, beneficiary=ben)
        if cform.is_valid():
            data_request = None
            rid = request.POST.get("request")
            if rid and rid.isdigit():
                data_request = sel.request_get(user, rid)
            try:
                services.correction_create(
                    actor=user,
                    beneficiary=ben,
                    changes=cform.changes(),
                    evidence=cform.cleaned_data["evidence"],
                    request=data_request,
                )
            except ChitraError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Correction recorded; an approver decides it."))
                return redirect("privacy_subject", pk=ben.pk)
        return _subject_page(request, ben, correction_form=cform)
    return redirect("privacy_subject", pk=ben.pk)


@perm_required(Perm.PRIVACY_REQUESTS)
def export_view(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    user = user_of(request)
    ben = sel.subject_get(user, pk, audit=False)
    data_request = None
    rid = request.GET.get("request", "")
    if rid.isdigit():
        data_request = sel.request_get(user, rid)
    try:
        data, name = services.subject_export(
            actor=user, beneficiary=ben, fmt=fmt, request=data_request
        )
    except ChitraError as exc:
        messages.error(request, str(exc))
        return redirect("privacy_subject", pk=ben.pk)
    content_type = (
        "application/pdf"
        if fmt == "pdf"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    resp = HttpResponse(data, content_type=content_type)
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return _no_store(resp)


@perm_required(Perm.PRIVACY_REQUESTS)
def request_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    r = sel.request_get(user, pk)
    if request.method == "POST":
        action, p = request.POST.get("action"), request.POST
        try:
            if action == "acknowledge":
                services.request_acknowledge(actor=user, request=r, note=p.get("note", ""))
            elif action == "extend":
                days = p.get("days", "")
                services.request_extend(
                    actor=user,
                    request=r,
                    days=int(days) if days.isdigit() else 0,
                    reason=p.get("reason", ""),
                )
            elif action == "complete":
                services.request_complete(actor=user, request=r, outcome=p.get("outcome", ""))
            elif action == "refuse":
                services.request_refuse(actor=user, request=r, reason=p.get("reason", ""))
        except ChitraError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Saved."))
        return redirect("privacy_request", pk=r.pk)
    return _no_store(
        render(
            request,
            "privacy/request.html",
            {
                "r": r,
                "corrections": r.corrections.select_related("maker", "checker"),
                "correction_form": CorrectionForm(beneficiary=r.beneficiary),
            },
        )
    )


@perm_required(Perm.PRIVACY_REQUESTS)
def correction_list_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    status = request.GET.get("status", CorrectionRequest.Status.SUBMITTED)
    qs = sel.corrections(user, status=status)
    return _no_store(
        render(
            request,
            "privacy/corrections.html",
            {
                "page": paginate(qs, request.GET.get("page"), size=50),
                "params": query_without(request, "page"),
                "status": status,
                "statuses": CorrectionRequest.Status.choices,
                "can_decide": has_perm(user, Perm.PRIVACY_DECIDE),
            },
        )
    )


@require_POST
@perm_required(Perm.PRIVACY_DECIDE)
def correction_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    c = sel.correction_get(user, pk)
    try:
        if request.POST.get("decision") == "approve":
            services.correction_approve(actor=user, correction=c, note=request.POST.get("note", ""))
            messages.success(request, _("Correction approved and applied to the record."))
        else:
            services.correction_reject(actor=user, correction=c, note=request.POST.get("note", ""))
            messages.success(request, _("Correction rejected."))
    except ChitraError as exc:
        messages.error(request, str(exc))
    return redirect("privacy_corrections")


# --------------------------------------------------------------------------------------------
# breach register
# --------------------------------------------------------------------------------------------


@perm_required(Perm.BREACH_REGISTER)
def breach_list_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    status = request.GET.get("status", "")
    qs = sel.breaches(user, status=status)
    return _no_store(
        render(
            request,
            "privacy/breaches.html",
            {
                "page": paginate(qs, request.GET.get("page"), size=50),
                "params": query_without(request, "page"),
                "status": status,
                "statuses": Breach.Status.choices,
            },
        )
    )


@perm_required(Perm.BREACH_REGISTER)
def breach_new_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            b = services.breach_create(
                actor=user,
                detected_at=d["detected_at"],
                reported_by=d["reported_by"],
                description=d["description"],
                data_categories=d["data_categories"],
                data_description=d["data_description"],
                subjects=d["subjects"],
                affected_count=d["affected_count"],
                measures=d["measures"],
            )
        except ChitraError as exc:
            messages.error(request, str(exc))
        else:
            return redirect("privacy_breach", pk=b.pk)
    return _no_store(render(request, "privacy/breach_new.html", {"form": form}))


@perm_required(Perm.BREACH_REGISTER)
def breach_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    b = sel.breach_get(user, pk)
    notify_form = NotifyForm(
        request.POST if request.POST.get("action") == "notify" else None,
        initial={"authority": b.authority},
    )
    if request.method == "POST":
        action, p = request.POST.get("action"), request.POST
        try:
            if action == "notify":
                if not notify_form.is_valid():
                    raise ChitraError(_("Give the time and the reference of the notice."))
                d = notify_form.cleaned_data
                services.breach_notify(
                    actor=user,
                    breach=b,
                    notified_at=d["notified_at"],
                    reference=d["reference"],
                    authority=d["authority"],
                    late_reason=d["late_reason"],
                )
            elif action == "update":
                count = p.get("affected_count", "")
                services.breach_update(
                    actor=user,
                    breach=b,
                    measures=p.get("measures"),
                    affected_count=int(count) if count.isdigit() else None,
                )
            elif action == "close":
                services.breach_close(actor=user, breach=b, note=p.get("note", ""))
        except ChitraError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("privacy_breach", pk=b.pk)
    return _no_store(render(request, "privacy/breach.html", {"b": b, "notify": notify_form}))


# --------------------------------------------------------------------------------------------
# retention rules
# --------------------------------------------------------------------------------------------


@perm_required(Perm.RETENTION_VIEW)
def retention_view(request: HttpRequest) -> HttpResponse:

    rules = [
        {
            "rule": r,
            "label": r.label,
            "period": r.period(),
            "action": ACTION_LABELS[r.action],
            "installed": r.is_files or r.model(),
        }
        for r in RULES
    ]
    runs = sel.retention_runs(user_of(request))
    return render(
        request,
        "privacy/retention.html",
        {"rules": [x for x in rules if x["installed"]], "runs": runs},
    )
