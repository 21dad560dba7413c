"""Pages of the indicators, targets, periodic reports and the plan tracker (thin views)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chitra.core.errors import ChitraError
from chitra.core.jobs import job_create
from chitra.geo.selectors import commune_named, province_communes
from chitra.iam.access import Perm, has_perm
from chitra.iam.decorators import perm_required, user_of
from chitra.kernel.months import add_months
from chitra.reports import exports, services
from chitra.reports import selectors as sel
from chitra.reports.kpis import CATALOGUE, freshness
from chitra.reports.models import AreaFilter, BenefitGroup, PlanStatus, ReportKind
from chitra.reports.periodic import StaleIndicators, period_month


def _month(value: str | None, default: dt.date) -> dt.date:
    try:
        y, m = (value or "").split("-")
        return dt.date(int(y), int(m), 1)
    except ValueError:
        return default


_BY_LABELS = exports.BY_LABELS
STATUS_COLOURS = {
    "met": "#198754",
    "on_track": "#0d6efd",
    "behind": "#dc3545",
    "no_data": "#6c757d",
}


@perm_required(Perm.REPORTS_VIEW)
def dashboard_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    province = sel.scope_province(user, request.GET.get("province"))
    latest = sel.latest_month(user)
    month = _month(request.GET.get("month"), latest)
    group = request.GET.get("group") or BenefitGroup.MONTHLY
    area = request.GET.get("area") or AreaFilter.ALL
    by = request.GET.get("by") or "commune"
    if by not in sel.BY:
        by = "commune"
    if request.GET.get("format") == "xlsx":
        return exports.kpi_ranking_export(
            actor=user,
            filters={"month": month, "group": group, "by": by, "area": area, "province": province},
            params=dict(request.GET.items()),
        ).response()
    statuses = [sel.target_status(user, t, month) for t in sel.targets(user, province)]
    gauges = [
        {
            "id": f"gauge-{s.target.pk}",
            "value": s.value,
            "label": str(s.target.get_group_display()),
            "colour": STATUS_COLOURS[s.status],
        }
        for s in statuses
    ]
    labels, series = _trend(user, month, province)
    ranking = sel.rollup(
        user, kpi="cashless_share", month=month, group=group, by=by, area=area, province=province
    )
    shown = _shown(ranking)
    summary = _summary(user, month, province)
    groups = _group_shares(user, month, area, province)
    return render(
        request,
        "reports/dashboard.html",
        {
            "month": month,
            "months": [add_months(latest, -i) for i in range(0, 13)],
            "group": group,
            "area": area,
            "by": by,
            "groups": groups,
            "group_choices": BenefitGroup.choices,
            "area_choices": AreaFilter.choices,
            "by_choices": _BY_LABELS,
            "statuses": statuses,
            "gauges": gauges,
            "summary": summary,
            "ranking": ranking,
            "trend_data": {"labels": labels, "series": series},
            "ranking_data": {
                "labels": [str(r["label"]) for r in shown],
                "values": [r["value"] for r in shown],
                "label": str(_("Cashless share (%)")),
            },
            "refresh": sel.latest_month(user),
            "province": province,
            "fresh": freshness(province, month) if province is not None else None,
            "can_refresh": has_perm(user, Perm.REPORT_ISSUE) or has_perm(user, Perm.TARGET_EDIT),
        },
    )


def _trend(user: Any, month: dt.date, province: Any) -> tuple[list[str], list[dict[str, Any]]]:
    """The month labels and, per benefit group, the cashless shares of the trend chart."""
    series = []
    labels: list[str] = []
    for g, label in BenefitGroup.choices:
        points = sel.trend(user, kpi="cashless_share", group=g, last=month, province=province)
        labels = [f"{p['month']:%m/%Y}" for p in points]
        series.append({"label": str(label), "values": [p["value"] for p in points]})
    return labels, series


def _shown(ranking: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The bars of the ranking chart: the best 15, and the worst 10 of a long ranking."""
    ranking_sorted = sorted(
        [r for r in ranking if r["value"] is not None], key=lambda r: -r["value"]
    )
    return ranking_sorted[:15] + (
        [r for r in ranking_sorted[-10:] if r not in ranking_sorted[:15]]
        if len(ranking_sorted) > 25
        else []
    )


def _summary(user: Any, month: dt.date, province: Any) -> list[dict[str, Any]]:
    summary = []
    for k in CATALOGUE:
        if k.dims or k.by_group:
            continue
        n, d, v = sel.total(user, kpi=k.key, month=month, province=province)
        summary.append({"kpi": k, "numerator": n, "denominator": d, "value": v})
    return summary


def _group_shares(user: Any, month: dt.date, area: str, province: Any) -> list[dict[str, Any]]:
    groups = []
    for g, label in BenefitGroup.choices:
        n, d, v = sel.total(
            user, kpi="cashless_share", month=month, group=g, area=area, province=province
        )
        groups.append({"group": g, "label": label, "numerator": n, "denominator": d, "value": v})
    return groups


@require_POST
@perm_required(Perm.REPORTS_VIEW)
def refresh_view(request: HttpRequest) -> HttpResponse:
    from chitra.reports.tasks import kpi_refresh_task

    user = user_of(request)
    if not (has_perm(user, Perm.REPORT_ISSUE) or has_perm(user, Perm.TARGET_EDIT)):
        raise PermissionDenied
    province = sel.scope_province(user)
    if province is None:
        raise PermissionDenied
    params: dict[str, Any] = {"province": province.code}
    name = _("Indicator refresh")
    if request.POST.get("month"):
        month = _month(request.POST.get("month"), dt.date.min)
        if month == dt.date.min:
            messages.error(request, _("Give the month as YYYY-MM."))
            return redirect("report_issued")
        params["months"] = [f"{month:%Y-%m}"]
        name = _("Indicator refresh %(month)s") % {"month": f"{month:%m/%Y}"}
    job = job_create(actor=user, kind="kpi_refresh", params=params, input_name=name)
    transaction.on_commit(lambda: kpi_refresh_task.enqueue(job.pk))
    return redirect("job_detail", pk=job.pk)


@perm_required(Perm.REPORTS_VIEW)
def catalogue_view(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/catalogue.html", {"catalogue": CATALOGUE})


@perm_required(Perm.REPORTS_VIEW)
def targets_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    province = sel.scope_province(user)
    can_edit = has_perm(user, Perm.TARGET_EDIT)
    if request.method == "POST":
        if not can_edit or province is None:
            raise PermissionDenied
        p = request.POST
        commune = None
        if p.get("commune"):
            commune = commune_named(user, pk=p["commune"], province=province)
        try:
            deadline = dt.date.fromisoformat(p.get("deadline", ""))
            services.target_set(
                actor=user,
                province=province,
                group=p.get("group", ""),
                value=p.get("value", ""),
                deadline=deadline,
                area=p.get("area", AreaFilter.ALL),
                commune=commune,
                keep=bool(p.get("keep")),
                note=p.get("note", ""),
            )
            messages.success(request, _("Target saved."))
        except ValueError:
            messages.error(request, _("Give the deadline as a date."))
        except ChitraError as e:
            messages.error(request, str(e))
        return redirect("report_targets")
    month = sel.latest_month(user)
    return render(
        request,
        "reports/targets.html",
        {
            "statuses": [sel.target_status(user, t, month) for t in sel.targets(user, province)],
            "month": month,
            "can_edit": can_edit,
            "group_choices": BenefitGroup.choices,
            "area_choices": AreaFilter.choices,
            "communes": province_communes(user, province),
        },
    )


@perm_required(Perm.REPORTS_VIEW)
def issued_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    can_issue = has_perm(user, Perm.REPORT_ISSUE)
    if request.method == "POST":
        if not can_issue:
            raise PermissionDenied
        try:
            rep = services.report_issue(
                actor=user,
                kind=request.POST.get("kind", ""),
                period=request.POST.get("period", "").strip(),
                signer=request.POST.get("signer", "").strip(),
            )
            messages.success(request, _("Report %(number)s issued.") % {"number": rep.number})
        except StaleIndicators as e:
            messages.error(request, str(e))
            return redirect(f"{reverse('report_issued')}?recompute={e.month:%Y-%m}")
        except ChitraError as e:
            messages.error(request, str(e))
        return redirect("report_issued")
    today = timezone.localdate()
    iso = today.isocalendar()
    recompute = _month(request.GET.get("recompute"), dt.date.min)
    province = sel.scope_province(user)
    obligations = []
    for o in sel.obligations(user):
        month = period_month(o.kind, o.period)
        obligations.append(
            {
                "o": o,
                "month": month,
                "fresh": freshness(province, month)
                if province is not None and o.issued is None
                else None,
            }
        )
    return render(
        request,
        "reports/issued.html",
        {
            "reports": sel.issued_reports(user)[:200],
            "can_issue": can_issue,
            "kinds": ReportKind.choices,
            "obligations": obligations,
            "examples": {
                "weekly": f"{iso.year}-W{iso.week:02d}",
                "monthly": f"{today:%Y-%m}",
                "yearly": str(today.year),
            },
            "recompute": recompute if recompute != dt.date.min and can_issue else None,
        },
    )


@require_POST
@perm_required(Perm.REPORT_ISSUE)
def reissue_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an issued report: a new version replaces it (the old one stays)."""
    user = user_of(request)
    rep = sel.issued_reports(user).filter(pk=pk).first()
    if rep is None:
        raise Http404
    try:
        new = services.report_reissue(
            actor=user,
            report=rep,
            reason=request.POST.get("reason", ""),
            signer=request.POST.get("signer", "").strip(),
        )
        messages.success(
            request,
            _("Report %(number)s issued; it replaces report %(old)s.")
            % {"number": new.number, "old": rep.number},
        )
    except StaleIndicators as e:
        messages.error(request, str(e))
        return redirect(f"{reverse('report_issued')}?recompute={e.month:%Y-%m}")
    except ChitraError as e:
        messages.error(request, str(e))
    return redirect("report_issued")


@perm_required(Perm.REPORTS_VIEW)
def issued_file_view(request: HttpRequest, pk: int, fmt: str) -> Any:

    user = user_of(request)
    rep = sel.issued_reports(user).filter(pk=pk).first()
    if rep is None or fmt not in ("xlsx", "pdf"):
        raise Http404
    try:
        got = exports.issued_report_export(actor=user, report=rep, fmt=fmt)
    except ChitraError as e:
        messages.error(request, str(e))
        return redirect("report_issued")
    return got.response()


@perm_required(Perm.REPORTS_VIEW)
def plan_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    can_update = has_perm(user, Perm.PLAN_UPDATE)
    if request.method == "POST":
        if not can_update:
            raise PermissionDenied
        task = sel.plan_task_get(user, request.POST.get("task"))
        try:
            percent = int(request.POST.get("percent") or 0)
            services.plan_update(
                actor=user,
                task=task,
                status=request.POST.get("status", ""),
                note=request.POST.get("note", ""),
                percent=percent,
            )
            messages.success(request, _("Progress recorded."))
        except ValueError:
            messages.error(request, _("The share done must be between 0 and 100."))
        except ChitraError as e:
            messages.error(request, str(e))
        return redirect("report_plan")
    return render(
        request,
        "reports/plan.html",
        {
            "rows": sel.plan(user),
            "can_update": can_update,
            "statuses": PlanStatus.choices,
            "today": timezone.localdate(),
        },
    )
