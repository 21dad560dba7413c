"""Pages of the payment cycle: thin views over the services and selectors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chitra.core.errors import ChitraError
from chitra.core.jobs import job_create
from chitra.core.pagination import paginate
from chitra.core.uploads import (
    oversize_message,
    refused_uploads,
    store_upload,
    validate_spreadsheet,
    validate_upload_size,
)
from chitra.disbursement import exports, policy, services
from chitra.disbursement import selectors as sel
from chitra.disbursement.models import (
    CYCLE,
    DEAD_LINE_STATUSES,
    Batch,
    Channel,
    CycleStatus,
    Exclusion,
    LineStatus,
    ReturnReason,
)
from chitra.iam.access import Perm
from chitra.iam.decorators import perm_required, user_of

#: the cycle page's steps: a cycle's life as its table of moves gives it
STEPS = [CycleStatus(s) for s in CYCLE.path(CycleStatus.OPEN)]


def _province_of(user: Any) -> Any:
    from chitra.geo.selectors import home_province

    return home_province(user)


@perm_required(Perm.PAYMENT_VIEW)
def cycle_list_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    page = paginate(sel.cycles(user).order_by("-month"), request.GET.get("page"), size=24)
    today = timezone.localdate()
    province = _province_of(user)
    account_day, cash_day = services.pay_days(province) if province else (None, None)
    return render(
        request,
        "disbursement/cycle_list.html",
        {
            "page": page,
            "params": "",
            "can_run": policy.may_run(user),
            "suggested": f"{today:%Y-%m}",
            "suggest_two": services.suggested_months(today) == 2,
            "province": province,
            "account_day": account_day,
            "cash_day": cash_day,
            "can_edit_schedule": policy.may_edit_pay_schedule(user),
        },
    )


def _parse_date(text: str) -> Any:
    import datetime as dt

    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ChitraError(
            _("Give the date as YYYY-MM-DD, e.g. 2027-01-05 (got %(value)s).") % {"value": text}
        ) from None


@require_POST
@perm_required(Perm.PAYMENT_RUN)
def cycle_create_view(request: HttpRequest) -> HttpResponse:
    from django.core.management.base import CommandError

    from chitra.disbursement.management.commands._base import parse_month

    user = user_of(request)
    p = request.POST
    try:
        month = parse_month(p.get("month", ""))
    except CommandError:
        messages.error(request, _("Give the month as YYYY-MM, e.g. 2026-12."))
        return redirect("cycle_list")
    try:
        cycle = services.cycle_create(
            actor=user,
            month=month,
            months=2 if p.get("two_months") else 1,
            account_credit_date=_parse_date(p.get("account_credit_date", "")),
            cash_from_date=_parse_date(p.get("cash_from_date", "")),
        )
    except ChitraError as e:
        messages.error(request, str(e))
        return redirect("cycle_list")
    messages.success(request, _("Payment cycle %(month)s opened.") % {"month": cycle.months_label})
    return redirect("cycle_detail", pk=cycle.pk)


@require_POST
@perm_required(Perm.PAYMENT_RUN)
def cycle_pay_dates_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    if not policy.may_run(user):
        raise PermissionDenied
    cycle = sel.cycle_get(user, pk)
    p = request.POST
    try:
        account = _parse_date(p.get("account_credit_date", "")) or cycle.account_credit_date
        cash = _parse_date(p.get("cash_from_date", "")) or cycle.cash_from_date
        services.cycle_set_pay_dates(
            actor=user,
            cycle=cycle,
            account_credit_date=account,
            cash_from_date=cash,
            reason=p.get("reason", ""),
        )
    except ChitraError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("Pay dates changed."))
    return redirect("cycle_detail", pk=pk)


@require_POST
@perm_required(Perm.PAY_SCHEDULE_EDIT)
def pay_schedule_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not policy.may_edit_pay_schedule(user):
        raise PermissionDenied
    province = _province_of(user)
    try:
        account_day = int(request.POST.get("account_credit_day", ""))
        cash_day = int(request.POST.get("cash_from_day", ""))
    except ValueError:
        messages.error(request, _("A pay day is a day of the month from 1 to 28."))
        return redirect("cycle_list")
    try:
        services.pay_schedule_set(
            actor=user, province=province, account_credit_day=account_day, cash_from_day=cash_day
        )
    except ChitraError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("Pay days saved: cycles opened from now on take them."))
    return redirect("cycle_list")


@perm_required(Perm.PAYMENT_VIEW)
def cycle_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    cycle = sel.cycle_get(user, pk)
    provider = sel.provider_code_of(user)
    rec = services.reconciliation(cycle)
    if provider is not None:
        mine = set(sel.batches(user, cycle).values_list("pk", flat=True))
        rec["batches"] = [b for b in rec["batches"] if b["batch"].pk in mine]
    step = STEPS.index(CycleStatus(cycle.status))
    exclusions = sel.exclusion_counts(user, cycle) if provider is None else {}
    return render(
        request,
        "disbursement/cycle_detail.html",
        {
            "cycle": cycle,
            "rec": rec,
            "steps": [(s, s.label, i <= step) for i, s in enumerate(STEPS)],
            "states": (
                [
                    (code, LineStatus(code).label, n, amount)
                    for code, (n, amount) in sel.state_totals(cycle, actor=user).items()
                ]
                if provider is None
                else []
            ),
            "exclusions": [
                (label, exclusions.get(code, 0)) for code, label in Exclusion.Reason.choices
            ],
            **_files_section(request, user, cycle),
            **policy.cycle_permissions(user, cycle),
            "second_limit": settings.CHITRA_SECOND_APPROVAL_ABOVE,
            "waiting_batches": cycle.batches.filter(status=Batch.Status.ISSUED).exists(),
            "is_provider": provider is not None,
            "months": sel.month_totals(cycle, actor=user) if provider is None else [],
            "bank": sel.cycle_statements(user, cycle),
            "result_imports": list(sel.cycle_result_imports(user, cycle)[:50]),
            "name_checks": sel.cycle_name_checks(user, cycle),
            "g2p_batches": g2p_batches(cycle) if provider is None else [],
        },
    )


def g2p_batches(cycle: Any) -> list[dict[str, Any]]:
    """The released batches of providers paid by G2P Connect push, with their exchange."""
    from chitra.disbursement.g2p import exchange_status

    qs = cycle.batches.filter(
        status=Batch.Status.RELEASED, provider__profile__exchange="g2p_push"
    ).select_related("provider")
    return [{"batch": b, **exchange_status(b)} for b in qs.order_by("sequence", "reference")]


@require_POST
@perm_required(Perm.PAYMENT_RUN)
def batch_g2p_view(request: HttpRequest, pk: int, batch_pk: int, what: str) -> HttpResponse:
    """Send a released batch by G2P Connect disburse, or ask its status: a job (the provider
    may take up to CHITRA_G2P_TIMEOUT to answer each message), audited by the service."""
    from chitra.disbursement import g2p
    from chitra.disbursement.tasks import batch_g2p_task

    user = user_of(request)
    if not policy.may_run(user):
        raise PermissionDenied
    batch = sel.batch_get(user, batch_pk)
    if batch.cycle_id != pk:
        raise Http404
    try:
        g2p.require_batch(actor=user, batch=batch)  # refused now, not in the job
    except ChitraError as e:
        messages.error(request, str(e))
        return redirect("cycle_detail", pk=pk)
    job = job_create(
        actor=user,
        kind="batch_g2p",
        params={"cycle": pk, "batch": batch.pk, "what": "status" if what == "status" else "send"},
    )
    transaction.on_commit(lambda: batch_g2p_task.enqueue(job.pk))
    return redirect("job_detail", pk=job.pk)


def _transition(request: HttpRequest, pk: int, perm: Perm, action: str) -> HttpResponse:
    user = user_of(request)
    if not policy.may_act(user, perm):
        raise PermissionDenied
    cycle = sel.cycle_get(user, pk)
    try:
        if action == "freeze":
            services.cycle_freeze(actor=user, cycle=cycle)
            messages.success(request, _("Snapshot taken: the cycle is frozen."))
        elif action == "approve":
            cycle = services.cycle_approve(
                actor=user, cycle=cycle, note=request.POST.get("note", "")
            )
            messages.success(
                request,
                _("First approval recorded: a second approver is needed.")
                if cycle.awaiting_second_approval
                else _("Payroll approved."),
            )
        elif action == "reconcile":
            services.cycle_reconcile(actor=user, cycle=cycle)
            messages.success(request, _("Cycle reconciled."))
        elif action == "close":
            services.cycle_close(actor=user, cycle=cycle)
            messages.success(request, _("Cycle closed."))
    except ChitraError as e:
        messages.error(request, str(e))
    return redirect("cycle_detail", pk=pk)


@require_POST
@perm_required(Perm.PAYMENT_RUN)
def cycle_freeze_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, Perm.PAYMENT_RUN, "freeze")


@require_POST
@perm_required(Perm.PAYMENT_APPROVE)
def cycle_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, Perm.PAYMENT_APPROVE, "approve")


@require_POST
@perm_required(Perm.PAYMENT_RUN)
def cycle_reconcile_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, Perm.PAYMENT_RUN, "reconcile")


@require_POST
@perm_required(Perm.PAYMENT_APPROVE)
def cycle_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, Perm.PAYMENT_APPROVE, "close")


def _enqueue(request: HttpRequest, pk: int, kind: str, label: str) -> HttpResponse:
    from chitra.disbursement import tasks

    user = user_of(request)
    if not policy.may_run(user):
        raise PermissionDenied
    cycle = sel.cycle_get(user, pk)
    job = job_create(
        actor=user,
        kind=kind,
        params={"cycle": cycle.pk},
        input_name=f"{label} {cycle.months_label}",
    )
    fn = {"cycle_compute": tasks.cycle_compute_task, "cycle_release": tasks.cycle_release_task}[
        kind
    ]
    transaction.on_commit(lambda: fn.enqueue(job.pk))
    return redirect("job_detail", pk=job.pk)


@require_POST
@perm_required(Perm.PAYMENT_RUN)
def cycle_compute_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _enqueue(request, pk, "cycle_compute", _("Payroll computation"))


@require_POST
@perm_required(Perm.PAYMENT_RUN)
def cycle_release_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _enqueue(request, pk, "cycle_release", _("Release of payment files"))


@require_POST
@perm_required(Perm.PAYMENT_RESULTS)
def cycle_results_view(request: HttpRequest, pk: int) -> HttpResponse:
    from chitra.disbursement.tasks import cycle_results_task

    user = user_of(request)
    cycle = sel.cycle_get(user, pk)
    refused = refused_uploads(request).get("file")
    if refused is not None:
        messages.error(request, oversize_message(refused))
        return redirect("cycle_detail", pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a results file."))
        return redirect("cycle_detail", pk=pk)
    try:
        validate_spreadsheet(upload)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cycle_detail", pk=pk)
    name = Path(upload.name or "results").name
    folder = Path(settings.CHITRA_UPLOAD_DIR) / "results"
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{timezone.now():%Y%m%d%H%M%S%f}-{name}"
    try:
        store_upload(stored, upload.chunks(), name=name)
    except ChitraError as exc:
        messages.error(request, str(exc))
        return redirect("cycle_detail", pk=pk)
    job = job_create(
        actor=user,
        kind="cycle_results",
        params={"cycle": cycle.pk},
        input_file=str(stored),
        input_name=name,
    )
    transaction.on_commit(lambda: cycle_results_task.enqueue(job.pk))
    return redirect("job_detail", pk=job.pk)


@require_POST
@perm_required(Perm.PAYMENT_RESULTS)
def cycle_statement_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A bank statement of the paying account (camt.053 / camt.054), reconciled by a job."""
    from chitra.disbursement.tasks import cycle_statement_task

    user = user_of(request)
    if sel.provider_code_of(user) is not None:
        raise PermissionDenied  # the paying account is BHXH's
    cycle = sel.cycle_get(user, pk)
    refused = refused_uploads(request).get("file")
    if refused is not None:
        messages.error(request, oversize_message(refused))
        return redirect("cycle_detail", pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a bank statement file (camt.053 or camt.054 XML)."))
        return redirect("cycle_detail", pk=pk)
    name = Path(upload.name or "statement.xml").name
    folder = Path(settings.CHITRA_UPLOAD_DIR) / "statements"
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{timezone.now():%Y%m%d%H%M%S%f}-{name}"
    try:
        validate_upload_size(upload)
        store_upload(stored, upload.chunks(), name=name)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cycle_detail", pk=pk)
    except ChitraError as exc:
        messages.error(request, str(exc))
        return redirect("cycle_detail", pk=pk)
    job = job_create(
        actor=user,
        kind="cycle_statement",
        params={"cycle": cycle.pk},
        input_file=str(stored),
        input_name=name,
    )
    transaction.on_commit(lambda: cycle_statement_task.enqueue(job.pk))
    return redirect("job_detail", pk=job.pk)


FILE_FILTERS = ("provider", "commune", "kind", "office")


def _file_filters(request: HttpRequest) -> dict[str, str | None]:
    return {key: request.GET.get(key) or None for key in FILE_FILTERS}


def _files_section(request: HttpRequest, user: Any, cycle: Any) -> dict[str, Any]:
    """The payment files of the cycle page: filtered (provider, commune, kind, office), a page
    of them grouped by provider, each marked `masked` when the user gets a copy with the
    account numbers masked, labelled by its commune."""
    from itertools import groupby

    from chitra.disbursement.files import ACCOUNT_KINDS, download_name, file_label
    from chitra.disbursement.policy import full_numbers_allowed

    filters = _file_filters(request)
    page = paginate(sel.files_filtered(user, cycle, **filters), request.GET.get("page"), size=60)
    for f in page.items:
        f.masked = f.kind in ACCOUNT_KINDS and not full_numbers_allowed(user, f)  # type: ignore[attr-defined]
        f.label = file_label(f)  # type: ignore[attr-defined]
        f.download_name = download_name(f, masked=f.masked)  # type: ignore[attr-defined]
    groups = [
        {"provider": provider, "code": provider.code if provider else "NA", "files": list(fs)}
        for provider, fs in groupby(page.items, key=lambda f: f.batch.provider)
    ]
    params = request.GET.copy()
    params.pop("page", None)
    return {
        "files_page": page,
        "file_groups": groups,
        "file_filters": filters,
        "file_params": params.urlencode(),
        "file_choices": sel.file_filter_choices(user, cycle),
        "file_offices": sel.file_offices(user, cycle),
        "files_filtered": any(filters.values()),
    }


@perm_required(Perm.PAYMENT_VIEW)
def cycle_files_zip_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A zip of the files of one provider or one office (the page's other filters apply),
    streamed; each file checked and audited as a download."""
    from django.http import StreamingHttpResponse

    from chitra.disbursement import zips

    user = user_of(request)
    cycle = sel.cycle_get(user, pk)
    filters = _file_filters(request)
    if not (filters["provider"] or filters["office"]):
        raise Http404
    what = filters["provider"] or next(
        (o.code for o in sel.file_offices(user, cycle) if str(o.pk) == filters["office"]), ""
    )
    name = zips.zip_name(cycle, what)
    try:
        entries, work = zips.zip_prepare(
            actor=user, cycle=cycle, files=sel.files_filtered(user, cycle, **filters), name=name
        )
    except ChitraError as e:
        messages.error(request, str(e))
        return redirect("cycle_detail", pk=pk)
    response = StreamingHttpResponse(zips.zip_stream(entries, work), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response  # type: ignore[return-value]


@perm_required(Perm.PAYMENT_VIEW)
def file_download_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A released file: the file itself to its provider and to the BHXH role that sends it,
    a masked copy of an account file to anyone else who may see it (audited either way)."""
    import shutil

    from chitra.disbursement.files import payment_file_download

    user = user_of(request)
    pf = sel.file_get(user, pk)
    try:
        got = payment_file_download(actor=user, payment_file=pf)
    except ChitraError as e:
        messages.error(request, str(e))
        return redirect("cycle_detail", pk=pf.batch.cycle_id)
    handle = got.path.open("rb")
    if got.temporary:  # the open handle keeps the copy readable; nothing stays on disk
        shutil.rmtree(got.path.parent, ignore_errors=True)
    return FileResponse(
        handle,
        as_attachment=True,  # type: ignore[return-value]
        filename=got.name,
    )


@perm_required(Perm.PAYMENT_VIEW)
def line_list_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    cycle = sel.cycle_get(user, pk)
    g = request.GET
    period = None
    if g.get("period"):
        from django.core.management.base import CommandError

        from chitra.disbursement.management.commands._base import parse_month

        try:
            period = parse_month(g["period"])
        except CommandError:
            period = None
    filters: dict[str, Any] = {
        "status": g.get("status") or None,
        "channel": g.get("channel") or None,
        "batch_id": g.get("batch") or None,
        "q": g.get("q") or None,
        "period": period,
    }
    if g.get("format") == "xlsx":
        return exports.payroll_line_export(
            actor=user, cycle=cycle, filters=filters, params=dict(g.items())
        ).response()
    page = paginate(sel.lines(user, cycle, **filters), g.get("page"), size=50)
    params = g.copy()
    params.pop("page", None)
    return render(
        request,
        "disbursement/lines.html",
        {
            "cycle": cycle,
            "page": page,
            "params": params.urlencode(),
            "statuses": LineStatus.choices,
            "channels": Channel.choices,
            "batches": sel.batches(user, cycle),
            "f": g,
            "periods": [
                (f"{m:%Y-%m}", f"{m:%m/%Y}")
                for m in sel.lines(user, cycle)
                .order_by("period_month")
                .values_list("period_month", flat=True)
                .distinct()
            ],
        },
    )


@perm_required(Perm.PAYMENT_VIEW)
def line_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One line: its state, its ledger (shared movements included) and, for an approver
    while it is not sent, the cancellation form."""
    user = user_of(request)
    ln = sel.line_get(user, pk)
    return render(
        request,
        "disbursement/line_detail.html",
        {
            "ln": ln,
            "cycle": ln.cycle,
            "history": sel.line_history(ln, actor=user),
            "can_cancel": policy.may_cancel_line(user, ln),
            "reissue": (reissue := ln.reissue.first() if ln.status in DEAD_LINE_STATUSES else None),
            "can_pay_again": policy.may_pay_line_again(user, ln, reissue),
            "action_label": dict(ReturnReason.Action.choices).get(ln.action, ln.action),
            "name_checks": list(
                ln.name_checks.select_related("result_import").order_by("-result_import_id")
            ),
        },
    )


@require_POST
@perm_required(Perm.PAYMENT_APPROVE)
def line_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    if not policy.may_approve(user):
        raise PermissionDenied
    ln = sel.line_get(user, pk)
    try:
        services.line_cancel(
            actor=user,
            line=ln,
            reason=request.POST.get("reason", ""),
            pay_again=request.POST.get("pay_again") == "1",
        )
        messages.success(request, _("Payment %(ref)s cancelled.") % {"ref": ln.reference})
    except ChitraError as e:
        messages.error(request, str(e))
    return redirect("payroll_line", pk=ln.pk)


@require_POST
@perm_required(Perm.PAYMENT_APPROVE)
def line_pay_again_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    if not policy.may_approve(user):
        raise PermissionDenied
    ln = sel.line_get(user, pk)
    try:
        services.line_pay_again(actor=user, line=ln, reason=request.POST.get("reason", ""))
        messages.success(
            request,
            _("Payment %(ref)s will be paid again in the next cycle.") % {"ref": ln.reference},
        )
    except ChitraError as e:
        messages.error(request, str(e))
    return redirect("payroll_line", pk=ln.pk)


@perm_required(Perm.PAYMENT_VIEW)
def exclusions_xlsx_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    cycle = sel.cycle_get(user, pk)
    return exports.exclusion_export(actor=user, cycle=cycle).response()


@perm_required(Perm.PAYMENT_VIEW)
def return_reasons_view(request: HttpRequest) -> HttpResponse:
    reasons = sel.return_reasons(user_of(request))
    return render(request, "disbursement/return_reasons.html", {"reasons": reasons})
