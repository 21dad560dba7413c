"""Reads of the aggregates: roll-ups by commune, office, urban/rural and province; targets with
their status; report obligations. Scoped to the actor's area; never a scan of the registry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chitra.geo.models import Commune, Province
from chitra.iam.access import Perm, has_perm
from chitra.iam.models import COMMUNE_LEVEL_KINDS
from chitra.kernel.months import add_months, months_apart
from chitra.reports.models import (
    AreaFilter,
    IssuedReport,
    KpiRefresh,
    KpiValue,
    PlanTask,
    PlanUpdate,
    ReportKind,
    Target,
)

if TYPE_CHECKING:
    from chitra.iam.models import User

BY = ("province", "office", "commune", "urban")


def scope_province(actor: User, code: str | None = None) -> Province | None:
    """The province the actor reports on (a national user may choose)."""
    from django.conf import settings

    if actor.is_national:
        return Province.objects.filter(code=code or settings.CHITRA_DEFAULT_PROVINCE).first()
    return actor.area_province


def values(
    actor: User,
    *,
    kpi: str,
    month: dt.date | None = None,
    months: tuple[dt.date, dt.date] | None = None,
    group: str = "",
    dim: str | None = "",
    province: Province | None = None,
) -> QuerySet[KpiValue]:
    if not has_perm(actor, Perm.REPORTS_VIEW):
        return KpiValue.objects.none()
    province = province or scope_province(actor)
    if province is None:
        return KpiValue.objects.none()
    qs = KpiValue.objects.filter(kpi=kpi, commune__province=province, group=group)
    if dim is not None:
        qs = qs.filter(dim=dim)
    communes = actor.scope_commune_ids() if not actor.is_national else None
    if communes is not None:
        qs = qs.filter(commune_id__in=communes)
    elif (
        not actor.is_national
        and actor.organisation is not None
        and actor.organisation.kind in COMMUNE_LEVEL_KINDS
    ):
        return KpiValue.objects.none()  # a commune body without its commune sees nothing
    if month is not None:
        qs = qs.filter(month=month)
    if months is not None:
        qs = qs.filter(month__gte=months[0], month__lte=months[1])
    return qs


def _ratio(n: int, d: int) -> float | None:
    return round(100.0 * n / d, 1) if d else None


def rollup(
    actor: User,
    *,
    kpi: str,
    month: dt.date,
    group: str = "",
    by: str = "province",
    dim: str | None = "",
    area: str = AreaFilter.ALL,
    province: Province | None = None,
) -> list[dict[str, Any]]:
    """[{key, label, numerator, denominator, value}] of one indicator and month."""
    qs = _area(values(actor, kpi=kpi, month=month, group=group, dim=dim, province=province), area)
    field = {
        "province": "commune__province__name",
        "office": "commune__office_area__office__name",
        "commune": "commune__name",
        "urban": "commune__is_urban",
    }[by]
    if dim is None:
        field = "dim"
    recorded: dict[Any, int] | None = None
    if kpi == "cashless_share" and dim is not None:
        recorded = _recorded(actor, month, group, province, area, field)
    out = []
    for r in qs.values(field).annotate(n=Sum("numerator"), d=Sum("denominator")).order_by(field):
        label = r[field]
        if by == "urban" and dim is not None:
            label = str(_("Urban")) if label else str(_("Rural"))
        n, d = int(r["n"] or 0), int(r["d"] or 0)
        # no share only when nobody of the whole area had a method on record (the register of
        # methods not started); a commune whose people are all paid in cash by default is 0 %
        value = _ratio(n, d) if recorded is None or any(recorded.values()) else None
        out.append(
            {
                "key": r[field],
                "label": label if label is not None else "—",
                "numerator": n,
                "denominator": d,
                "value": value,
            }
        )
    return out


def _recorded(
    actor: User, month: dt.date, group: str, province: Province | None, area: str, field: str
) -> dict[Any, int]:
    """People with a payment method on record, per row of the roll-up (cashless share)."""
    rq = _area(
        values(actor, kpi="method_recorded", month=month, group=group, province=province), area
    )
    return {
        r[field]: int(r["n"] or 0)
        for r in rq.values(field).annotate(n=Sum("numerator")).order_by(field)
    }


def _area(qs: QuerySet[KpiValue], area: str) -> QuerySet[KpiValue]:
    if area == AreaFilter.URBAN:
        return qs.filter(commune__is_urban=True)
    if area == AreaFilter.RURAL:
        return qs.filter(commune__is_urban=False)
    return qs


def total(
    actor: User,
    *,
    kpi: str,
    month: dt.date,
    group: str = "",
    dim: str = "",
    area: str = AreaFilter.ALL,
    province: Province | None = None,
    commune: Commune | None = None,
) -> tuple[int, int, float | None]:
    qs = values(actor, kpi=kpi, month=month, group=group, dim=dim, province=province)
    if area == AreaFilter.URBAN:
        qs = qs.filter(commune__is_urban=True)
    elif area == AreaFilter.RURAL:
        qs = qs.filter(commune__is_urban=False)
    if commune is not None:
        qs = qs.filter(commune=commune)
    agg = qs.aggregate(n=Sum("numerator"), d=Sum("denominator"))
    n, d = int(agg["n"] or 0), int(agg["d"] or 0)
    if (
        kpi == "cashless_share"
        and d
        and not total(
            actor,
            kpi="method_recorded",
            month=month,
            group=group,
            area=area,
            province=province,
            commune=commune,
        )[0]
    ):
        # nobody had a payment method on record for the month: no data, not 0 %
        return n, d, None
    return n, d, _ratio(n, d)


def month_has(actor: User, *, kpi: str, month: dt.date, province: Province | None = None) -> bool:
    """Whether an indicator has any value for the month (e.g. "payroll_lines": the month has
    a payment cycle with lines)."""
    return values(actor, kpi=kpi, month=month, dim=None, province=province).exists()


def trend(
    actor: User,
    *,
    kpi: str,
    group: str = "",
    last: dt.date,
    months: int = 12,
    province: Province | None = None,
) -> list[dict[str, Any]]:
    first = add_months(last, -(months - 1))
    qs = values(actor, kpi=kpi, months=(first, last), group=group, province=province)
    got = {
        r["month"]: r
        for r in qs.values("month")
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
        .order_by("month")
    }
    recorded = None
    if kpi == "cashless_share":
        recorded = {
            r["month"]: int(r["n"] or 0)
            for r in values(
                actor, kpi="method_recorded", months=(first, last), group=group, province=province
            )
            .values("month")
            .annotate(n=Sum("numerator"))
            .order_by("month")
        }
    out = []
    for i in range(months):
        m = add_months(first, i)
        r = got.get(m)
        n, d = (int(r["n"] or 0), int(r["d"] or 0)) if r else (0, 0)
        value = _ratio(n, d) if recorded is None or recorded.get(m) else None
        out.append({"month": m, "numerator": n, "denominator": d, "value": value})
    return out


def latest_month(actor: User) -> dt.date:
    province = scope_province(actor)
    got = (
        (
            KpiRefresh.objects.filter(province=province)
            .order_by("-month")
            .values_list("month", flat=True)
            .first()
        )
        if province
        else None
    )
    return got or timezone.localdate().replace(day=1)


@dataclass
class TargetStatus:
    target: Target
    value: float | None
    projected: float | None
    status: str  # met / on_track / behind / no_data
    label: str


STATUS_LABELS = {
    "met": _("Met"),
    "on_track": _("On track"),
    "behind": _("Behind"),
    "no_data": _("No data yet"),
}


def targets(actor: User, province: Province | None = None) -> QuerySet[Target]:
    province = province or scope_province(actor)
    if province is None or not has_perm(actor, Perm.REPORTS_VIEW):
        return Target.objects.none()
    return (
        Target.objects.filter(province=province)
        .select_related("commune")
        .order_by("group", "deadline")
    )


def target_status(actor: User, t: Target, month: dt.date) -> TargetStatus:
    """met: reached; on track: the trend since the first month with data reaches the target
    by the deadline ("keep" targets must hold this month); behind otherwise."""
    _n, _d, value = total(
        actor,
        kpi=t.kpi,
        month=month,
        group=t.group,
        area=t.area,
        province=t.province,
        commune=t.commune,
    )
    goal = float(t.value if isinstance(t.value, Decimal) else Decimal(str(t.value)))
    if value is None:
        return TargetStatus(t, None, None, "no_data", str(STATUS_LABELS["no_data"]))
    if value >= goal:
        return TargetStatus(t, value, value, "met", str(STATUS_LABELS["met"]))
    projected = None
    deadline_month = t.deadline.replace(day=1)
    if not t.keep and month < deadline_month:
        series = [
            p
            for p in trend(
                actor, kpi=t.kpi, group=t.group, last=month, months=12, province=t.province
            )
            if p["value"] is not None
        ]
        if len(series) >= 2:
            first, last = series[0], series[-1]
            span = months_apart(first["month"], last["month"])
            rate = (last["value"] - first["value"]) / span if span else 0.0
            projected = round(last["value"] + rate * months_apart(month, deadline_month), 1)
            if projected >= goal:
                return TargetStatus(t, value, projected, "on_track", str(STATUS_LABELS["on_track"]))
    return TargetStatus(t, value, projected, "behind", str(STATUS_LABELS["behind"]))


def issued_reports(actor: User) -> QuerySet[IssuedReport]:
    province = scope_province(actor)
    if province is None or not has_perm(actor, Perm.REPORTS_VIEW):
        return IssuedReport.objects.none()
    return IssuedReport.objects.filter(province=province).select_related(
        "organisation", "issued_by", "supersedes", "superseded_by"
    )


def plan(actor: User) -> list[dict[str, Any]]:
    """The seven tasks with each agency's latest update; overdue when the deadline has passed
    and the task is not done."""
    province = scope_province(actor)
    today = timezone.localdate()
    out = []
    updates = (
        PlanUpdate.objects.filter(province=province).select_related("organisation", "author")
        if province
        else PlanUpdate.objects.none()
    )
    latest: dict[int, dict[int, PlanUpdate]] = {}
    for u in updates.order_by("at", "id"):
        latest.setdefault(u.task_id, {})[u.organisation_id] = u
    for task in PlanTask.objects.all():
        mine = sorted(latest.get(task.pk, {}).values(), key=lambda u: u.organisation.name)
        done = bool(mine) and all(u.status == "done" for u in mine)
        overdue = bool(task.deadline and task.deadline < today and not done and not task.recurring)
        out.append({"task": task, "updates": mine, "done": done, "overdue": overdue})
    return out


@dataclass
class Obligation:
    kind: str
    who: str
    period: str
    due: dt.date
    issued: IssuedReport | None

    @property
    def overdue(self) -> bool:
        return self.issued is None and self.due < timezone.localdate()


def obligations(actor: User, today: dt.date | None = None) -> list[Obligation]:
    """Who must report what, by when (plan IV): the police weekly on Wednesday, BHXH monthly
    before the 15th and yearly before 15 December."""
    today = today or timezone.localdate()
    province = scope_province(actor)
    if province is None or not has_perm(actor, Perm.REPORTS_VIEW):
        return []
    wednesday = today + dt.timedelta(days=(2 - today.weekday()) % 7)
    iso = wednesday.isocalendar()
    prev_month = add_months(today.replace(day=1), -1)
    month_due = (
        today.replace(day=15)
        if today.day <= 15
        else add_months(today.replace(day=1), 1).replace(day=15)
    )
    if today.day > 15:
        prev_month = today.replace(day=1)
    year_due = dt.date(today.year, 12, 15)
    wanted = [
        (ReportKind.WEEKLY, str(_("Provincial police")), f"{iso.year}-W{iso.week:02d}", wednesday),
        (
            ReportKind.MONTHLY,
            str(_("Provincial social insurance")),
            f"{prev_month:%Y-%m}",
            month_due,
        ),
        (ReportKind.YEARLY, str(_("Provincial social insurance")), str(today.year), year_due),
    ]
    out = []
    for kind, who, period, due in wanted:
        issued = IssuedReport.objects.filter(province=province, kind=kind, period=period).first()
        out.append(Obligation(str(kind), who, period, due, issued))
    return out


def plan_tasks(actor: User) -> QuerySet[PlanTask]:
    """The plan's tasks (the same for every province), for who may read the reports."""
    if not has_perm(actor, Perm.REPORTS_VIEW):
        return PlanTask.objects.none()
    return PlanTask.objects.all()


def plan_task_get(actor: User, pk: Any) -> PlanTask:
    """One task of the plan, or 404."""
    from django.http import Http404

    try:
        return plan_tasks(actor).get(pk=pk)
    except (PlanTask.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
