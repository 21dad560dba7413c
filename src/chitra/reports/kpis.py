"""The indicator catalogue and its monthly computation.

Every indicator is computed from the data, never typed in: `refresh_month` runs one grouped
query per indicator for a province and month and stores numerator and denominator per commune
(and benefit group, and dimension) in `KpiValue`. Pages, reports and the API read only those
aggregates, rolled up by commune, BHXH office, urban/rural or province, so a dashboard never
scans the registry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chitra.kernel.months import add_months

if TYPE_CHECKING:
    from chitra.geo.models import Province


@dataclass(frozen=True)
class Kpi:
    key: str
    name: str | Promise
    definition: str | Promise
    numerator: str | Promise
    denominator: str | Promise
    unit: str = "%"  # "%" (numerator / denominator), "count", "VND"
    by_group: bool = False  # computed per benefit group
    dims: Promise | str = ""  # what the dimension holds, if any


CATALOGUE: tuple[Kpi, ...] = (
    Kpi(
        "cashless_share",
        _("Cashless share"),
        _(
            "Share of the people entitled in the month who are paid into a verified account "
            "(bank, mobile money, e-wallet). Monthly benefits: entitlements running in the month; "
            "one-off benefits: entitlements starting from January to the month."
        ),
        _("people whose payment method in force for the month is an account, verified"),
        _("people with a running entitlement of the group (not deceased, not inactive)"),
        by_group=True,
    ),
    Kpi(
        "method_recorded",
        _("Payment method on record"),
        _(
            "Share of the people entitled in the month who have a payment method in force for the "
            "month in the payment-method register (any method, cash included). None at all: "
            "the register had not started, the month has no data on payments without cash."
        ),
        _("people with a payment method in force for the month"),
        _("people with a running entitlement of the group (not deceased, not inactive)"),
        by_group=True,
    ),
    Kpi(
        "payroll_lines",
        _("Payment lines of the month"),
        _(
            "The lines of the month's payment cycle (every attempt): count and amount. None: the "
            "month has no payment cycle."
        ),
        _("amount (VND)"),
        _("lines"),
        unit="VND",
    ),
    Kpi(
        "outreach_contacted",
        _("Outreach: people contacted"),
        _(
            "Share of the people on outreach work lists made by the end of the month who had "
            "been contacted at least once by then."
        ),
        _("assignments with a contact"),
        _("assignments of the campaigns"),
    ),
    Kpi(
        "outreach_agreed",
        _("Outreach: agreed to be paid without cash"),
        _(
            "Share of the people on outreach work lists made by the end of the month whose last "
            "outcome by then is an agreement."
        ),
        _("assignments whose last outcome is 'agreed'"),
        _("assignments of the campaigns"),
    ),
    Kpi(
        "verification_coverage",
        _("Verified against the population register"),
        _(
            "Share of the active beneficiaries confirmed on the national population register: "
            "while the month runs, their current status; for a past month, the latest check of "
            "each person finished by the end of the month."
        ),
        _("active beneficiaries confirmed on the register"),
        _("active beneficiaries"),
    ),
    Kpi(
        "verification_outcome",
        _("Verification outcomes"),
        _(
            "Active beneficiaries by the outcome of their latest check against the register "
            "(for a past month, the latest check finished by the end of the month)."
        ),
        _("beneficiaries with this outcome"),
        _("(none)"),
        unit="count",
        dims=_("verification outcome"),
    ),
    Kpi(
        "accounts_confirmed",
        _("Accounts confirmed"),
        _(
            "Share of the payment accounts open at the end of the month (opened before, not "
            "closed by then) that their provider had confirmed by then."
        ),
        _("verified accounts"),
        _("accounts not closed"),
    ),
    Kpi(
        "first_attempt_success",
        _("First-attempt payment success"),
        _(
            "Share of the month's first-attempt payments with a result that were paid "
            "(all providers, and per provider)."
        ),
        _("first-attempt lines paid"),
        _("first-attempt lines paid or failed"),
        dims=_("provider code (empty: all providers)"),
    ),
    Kpi(
        "returns",
        _("Returned payments"),
        _("Failed payments of the month by return reason and by provider: count and amount."),
        _("amount returned (VND)"),
        _("lines returned"),
        unit="VND",
        dims=_("the return reason code after “r:”, or the provider code after “p:”"),
    ),
    Kpi(
        "amount_outstanding",
        _("Amount without a result"),
        _("Payments of the month sent to providers and still without a result."),
        _("amount (VND)"),
        _("lines"),
        unit="VND",
    ),
    Kpi(
        "paid_after_death",
        _("Paid after death"),
        _("Amounts paid after a death found in the month, to recover (form C75-HD)."),
        _("amount to recover (VND)"),
        _("people"),
        unit="VND",
    ),
    Kpi(
        "recovered",
        _("Recovered"),
        _("Amounts recovered, among the recoveries opened in the month."),
        _("amount recovered (VND)"),
        _("people"),
        unit="VND",
    ),
    Kpi(
        "complaint_deadlines_met",
        _("Complaint deadlines met"),
        _(
            "Share of the complaints due in the month that were answered by their deadline "
            "(complaints still open before their deadline are not counted yet)."
        ),
        _("complaints due in the month answered on time"),
        _("complaints due in the month, answered or overdue"),
    ),
)
BY_KEY = {k.key: k for k in CATALOGUE}

ACCOUNT_METHODS = ("BANK_ACCOUNT", "MOBILE_MONEY", "EWALLET")
_GROUP_CASE = (
    "CASE WHEN e.benefit_type IN ('PENSION', 'MONTHLY_ALLOWANCE') THEN 'monthly' "
    "WHEN e.benefit_type = 'LUMP_SUM' THEN 'lump_sum' "
    "WHEN e.benefit_type = 'UNEMPLOYMENT' THEN 'unemployment' "
    "ELSE 'other_once' END"
)

Row = tuple[int, str, str, str, int, int]  # commune, group, kpi, dim, numerator, denominator


def _t(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _cashless(province: Province, month: dt.date) -> list[Row]:
    from chitra.geo.models import Commune
    from chitra.payment_methods.models import Account, PaymentMethod
    from chitra.registry.models import Beneficiary, Entitlement

    m = connection.ops.adapt_datefield_value(month)
    jan = connection.ops.adapt_datefield_value(month.replace(month=1))
    methods = ", ".join(f"'{x}'" for x in ACCOUNT_METHODS)
    sql = f"""
    SELECT b.commune_id, {_GROUP_CASE} AS grp,
           COUNT(DISTINCT CASE WHEN pm.method IN ({methods}) AND a.status = 'verified'
                               THEN b.id END),
           COUNT(DISTINCT b.id),
           COUNT(DISTINCT CASE WHEN pm.method IS NOT NULL THEN b.id END)
    FROM {_t(Entitlement)} e
    JOIN {_t(Beneficiary)} b ON b.id = e.beneficiary_id
    JOIN {_t(Commune)} c ON c.id = b.commune_id
    LEFT JOIN (SELECT beneficiary_id, method, account_id,
                      ROW_NUMBER() OVER (PARTITION BY beneficiary_id
                                         ORDER BY effective_month DESC) AS rn
               FROM {_t(PaymentMethod)} WHERE effective_month <= %s) pm
           ON pm.beneficiary_id = b.id AND pm.rn = 1
    LEFT JOIN {_t(Account)} a ON a.id = pm.account_id
    WHERE c.province_id = %s AND e.status <> 'stopped'
      AND b.status NOT IN ('inactive', 'deceased')
      AND ((e.benefit_type IN ('PENSION', 'MONTHLY_ALLOWANCE', 'UNEMPLOYMENT')
            AND (e.start_month IS NULL OR e.start_month <= %s)
            AND (e.end_month IS NULL OR e.end_month >= %s))
        OR (e.benefit_type IN ('LUMP_SUM', 'SURVIVOR_ONCE', 'FUNERAL')
            AND e.start_month >= %s AND e.start_month <= %s))
    GROUP BY b.commune_id, grp
    """
    with connection.cursor() as cur:
        cur.execute(sql, [m, province.pk, m, m, jan, m])
        got = cur.fetchall()
    return [(c, g, "cashless_share", "", int(n), int(d)) for c, g, n, d, _r in got] + [
        (c, g, "method_recorded", "", int(r), int(d)) for c, g, _n, d, r in got
    ]


def _by_commune(
    qs: Any,
    commune_path: str,
    kpi: str,
    num: Q | None = None,
    amount: str | None = None,
    dim: str | None = None,
    prefix: str = "",
) -> list[Row]:
    """Group a queryset by commune (and a dimension): numerator = rows matching `num` (or the
    sum of `amount`), denominator = rows."""
    keys = [commune_path] + ([dim] if dim else [])
    ann: dict[str, Any] = {"d": Count("pk")}
    if amount:
        ann["n"] = Sum(amount)
    elif num is not None:
        ann["n"] = Count("pk", filter=num)
    out: list[Row] = []
    for r in qs.values(*keys).annotate(**ann).order_by():
        d = f"{prefix}{r[dim]}" if dim else ""
        out.append((r[commune_path], "", kpi, d[:32], int(r.get("n") or 0), int(r["d"])))
    return out


def compute_month(province: Province, month: dt.date, now: dt.datetime | None = None) -> list[Row]:
    """Every indicator of one province and month (rows are not stored here).

    Figures of a state (verification, accounts, outreach) are those at the end of the month:
    while the month runs, the current state; for a past month, rebuilt from the dated history
    (checks finished, accounts opened, confirmed and closed, contacts made before the first
    day of the next month), so a month refreshed later still tells what was true then."""
    now = now or timezone.now()
    nxt = add_months(month, 1)
    end = _month_start(nxt)
    past = end <= now
    rows = _cashless(province, month)
    rows += _outreach(province, nxt, past)
    rows += _verification(province, month, end, past)
    rows += _accounts(province, end, past)
    rows += _payroll(province, month)
    rows += _recoveries(province, month, nxt)
    rows += _complaints(province, month, nxt)
    return rows


def _accounts(province: Province, end: dt.datetime, past: bool) -> list[Row]:
    from chitra.payment_methods.models import Account

    acc = Account.objects.filter(
        beneficiary__commune__province=province, created_at__lt=end
    ).exclude(Q(status=Account.Status.CLOSED) & (Q(closed_at__isnull=True) | Q(closed_at__lt=end)))
    confirmed = (
        Q(verified_at__lt=end) & ~Q(status=Account.Status.UNVERIFIED)
        if past
        else Q(status=Account.Status.VERIFIED)
    )
    return _by_commune(acc, "beneficiary__commune_id", "accounts_confirmed", num=confirmed)


def _payroll(province: Province, month: dt.date) -> list[Row]:
    from chitra.disbursement.models import LineStatus, PayrollLine

    lines = PayrollLine.objects.filter(cycle__province=province, cycle__month=month)
    rows = _by_commune(lines, "commune_id", "payroll_lines", amount="amount")
    first = lines.filter(attempt=1, status__in=[LineStatus.PAID, LineStatus.FAILED])
    rows += _by_commune(first, "commune_id", "first_attempt_success", num=Q(status=LineStatus.PAID))
    rows += _by_commune(
        first.filter(provider__isnull=False),
        "commune_id",
        "first_attempt_success",
        num=Q(status=LineStatus.PAID),
        dim="provider__code",
    )
    failed = lines.filter(status__in=[LineStatus.FAILED, LineStatus.RETURNED])
    rows += _by_commune(
        failed, "commune_id", "returns", amount="amount", dim="reason_code", prefix="r:"
    )
    rows += _by_commune(
        failed.filter(provider__isnull=False),
        "commune_id",
        "returns",
        amount="amount",
        dim="provider__code",
        prefix="p:",
    )
    rows += _by_commune(
        lines.filter(status=LineStatus.SENT),  # sent, no result yet
        "commune_id",
        "amount_outstanding",
        amount="amount",
    )
    return rows


def _recoveries(province: Province, month: dt.date, nxt: dt.date) -> list[Row]:
    from chitra.verification.models import Recovery

    rec = Recovery.objects.filter(
        beneficiary__commune__province=province,
        created_at__date__gte=month,
        created_at__date__lt=nxt,
    )
    rows = _by_commune(rec, "beneficiary__commune_id", "paid_after_death", amount="amount")
    rows += _by_commune(
        rec.filter(status=Recovery.Status.RECOVERED),
        "beneficiary__commune_id",
        "recovered",
        amount="amount",
    )
    return rows


def _month_start(month: dt.date) -> dt.datetime:
    """The first instant of a month in the project's time zone."""
    return timezone.make_aware(dt.datetime(month.year, month.month, 1))


def _outreach(province: Province, nxt: dt.date, past: bool) -> list[Row]:
    from chitra.outreach.models import Assignment, Contact

    asg = Assignment.objects.filter(commune__province=province, created_at__lt=_month_start(nxt))
    if not past:
        return _by_commune(
            asg, "commune_id", "outreach_contacted", num=Q(last_contact_date__isnull=False)
        ) + _by_commune(asg, "commune_id", "outreach_agreed", num=Q(last_outcome="agreed"))
    before = Contact.objects.filter(assignment=OuterRef("pk"), date__lt=nxt)
    last = before.order_by("-date", "-created_at", "-pk").values("outcome")[:1]
    asg = asg.annotate(seen=Exists(before), last=Subquery(last))
    return _by_commune(asg, "commune_id", "outreach_contacted", num=Q(seen=True)) + _by_commune(
        asg, "commune_id", "outreach_agreed", num=Q(last="agreed")
    )


def entitled_in(month: dt.date) -> Q:
    """Beneficiaries entitled in `month` (the people of section 1: a monthly benefit in force
    in the month, or a one-off benefit starting in it; never a stopped entitlement)."""
    monthly = (
        Q(entitlements__benefit_type__in=["PENSION", "MONTHLY_ALLOWANCE", "UNEMPLOYMENT"])
        & (Q(entitlements__start_month__isnull=True) | Q(entitlements__start_month__lte=month))
        & (Q(entitlements__end_month__isnull=True) | Q(entitlements__end_month__gte=month))
    )
    once = Q(entitlements__benefit_type__in=["LUMP_SUM", "SURVIVOR_ONCE", "FUNERAL"]) & Q(
        entitlements__start_month=month
    )
    return (monthly | once) & ~Q(entitlements__status="stopped")


def _verification(province: Province, month: dt.date, end: dt.datetime, past: bool) -> list[Row]:
    from chitra.registry.models import Beneficiary
    from chitra.verification.models import PersonStatus, VerificationResult, VerificationRun

    active = Beneficiary.objects.filter(
        commune__province=province, status=Beneficiary.Status.ACTIVE, created_at__lt=end
    )
    if past:
        # a past month: the people entitled in that month (as section 1 counts them), even
        # when their record was imported later; checks count only if finished by its end
        entitled = Beneficiary.objects.filter(entitled_in(month)).values("pk")
        active = Beneficiary.objects.filter(
            commune__province=province, status=Beneficiary.Status.ACTIVE, pk__in=entitled
        )
    if not past:
        rows = _by_commune(
            active,
            "commune_id",
            "verification_coverage",
            num=Q(verification__confirmed_on_register=True),
        )
        ps = PersonStatus.objects.filter(beneficiary__in=active)
        return rows + [
            (c, g, k, d, den, 0)
            for c, g, k, d, _n, den in _by_commune(
                ps, "beneficiary__commune_id", "verification_outcome", dim="outcome"
            )
        ]
    latest = (
        VerificationResult.objects.filter(
            beneficiary=OuterRef("pk"),
            run__status=VerificationRun.Status.SUCCEEDED,
            run__finished_at__lt=end,
        )
        .order_by("-run__finished_at", "-run_id")
        .values("outcome")[:1]
    )
    checked = active.annotate(last=Subquery(latest))
    rows = _by_commune(checked, "commune_id", "verification_coverage", num=Q(last="verified"))
    return rows + [
        (c, g, k, d, den, 0)
        for c, g, k, d, _n, den in _by_commune(
            checked.filter(last__isnull=False), "commune_id", "verification_outcome", dim="last"
        )
    ]


def _complaints(province: Province, month: dt.date, nxt: dt.date) -> list[Row]:
    """Complaints due in the month that are answered, or still open past their due date (a
    complaint still open before its due date can yet be answered in time); met: answered by
    the due date."""
    from chitra.grievances.models import ACTIVE_STATUSES, Ticket

    today = timezone.localdate()
    active = sorted(str(s) for s in ACTIVE_STATUSES)
    due = Ticket.objects.filter(
        commune__province=province, due_date__gte=month, due_date__lt=nxt
    ).exclude(Q(status__in=active) & Q(due_date__gte=today))
    out: list[Row] = []
    for r in (
        due.values("commune_id")
        .annotate(
            d=Count("pk"),
            n=Count("pk", filter=~Q(status__in=active) & Q(resolved_at__date__lte=F("due_date"))),
        )
        .order_by()
    ):
        out.append((r["commune_id"], "", "complaint_deadlines_met", "", int(r["n"]), int(r["d"])))
    return out


def refresh_month(province: Province, month: dt.date) -> int:
    """Recompute and store the indicators of a province and month (whole or not at all)."""
    from chitra.reports.models import KpiRefresh, KpiValue

    month = month.replace(day=1)
    # the time the inputs were read: a change made while computing makes the month stale
    started = timezone.now()
    rows = compute_month(province, month, now=started)
    with transaction.atomic():
        KpiValue.objects.filter(month=month, commune__province=province).delete()
        KpiValue.objects.bulk_create(
            [
                KpiValue(
                    month=month, commune_id=c, group=g, kpi=k, dim=d, numerator=n, denominator=den
                )
                for c, g, k, d, n, den in _merge(rows)
            ],
            batch_size=5000,
        )
        KpiRefresh.objects.update_or_create(
            province=province, month=month, defaults={"computed_at": started, "rows": len(rows)}
        )
    return len(rows)


def _merge(rows: Iterable[Row]) -> list[Row]:
    acc: dict[tuple[int, str, str, str], list[int]] = {}
    for c, g, k, d, n, den in rows:
        v = acc.setdefault((c, g, k, d), [0, 0])
        v[0] += n
        v[1] += den
    return [(c, g, k, d, n, den) for (c, g, k, d), (n, den) in acc.items()]


def months_to_refresh(
    province: Province, today: dt.date | None = None, back: int = 12
) -> list[dt.date]:
    """The current month and the `back` previous ones (the dashboard's trend)."""
    month = (today or timezone.localdate()).replace(day=1)
    return [add_months(month, -i) for i in range(back, -1, -1)]


#: audited actions that read, export or report: not a change of the indicators' inputs
#: (a register extract loaded changes nothing until a verification run applies it)
NOT_INPUT_PREFIXES = (
    "reports.",
    "export.",
    "job.",
    "iam.",
    "privacy.subject.",
    "privacy.request.",
    "privacy.breach.",
    "payment.keys.",
    "register.load",
    "api.",
)
NOT_INPUT_SUFFIXES = (".view", ".list", ".lookup", ".reveal", ".name_inquiry")


@dataclass(frozen=True)
class Freshness:
    """Whether the stored indicators of a province and month still tell the data.

    `reason`: "" (fresh), "never" (never computed), "changed" (an input changed after the
    computation: `change` is the audited action, `changed_at` its time) or "day" (the month
    runs and was computed on an earlier day: complaints fall due day by day)."""

    month: dt.date
    computed_at: dt.datetime | None
    reason: str = ""
    change: str = ""
    changed_at: dt.datetime | None = None

    @property
    def stale(self) -> bool:
        return bool(self.reason)


def input_changes(province: Province, since: dt.datetime) -> Any:
    """Audited changes after `since` that may change an indicator of the province: its own,
    and national ones (a verification run over every province). Every change is audited in
    its own transaction, so the trail tells when the data changed."""
    from chitra.core.models import AuditEvent

    reads = Q()
    for p in NOT_INPUT_PREFIXES:
        reads |= Q(action__startswith=p)
    for suffix in NOT_INPUT_SUFFIXES:
        reads |= Q(action__endswith=suffix)
    return AuditEvent.objects.filter(
        Q(province=province) | Q(province__isnull=True), at__gt=since
    ).exclude(reads)


def freshness(province: Province, month: dt.date, now: dt.datetime | None = None) -> Freshness:
    from chitra.reports.models import KpiRefresh

    month = month.replace(day=1)
    now = now or timezone.now()
    ref = KpiRefresh.objects.filter(province=province, month=month).first()
    if ref is None:
        return Freshness(month, None, "never")
    change = (
        input_changes(province, ref.computed_at).order_by("-at").values_list("action", "at").first()
    )
    if change is not None:
        return Freshness(month, ref.computed_at, "changed", change[0], change[1])
    running = now < _month_start(add_months(month, 1))
    if running and timezone.localdate(ref.computed_at) < timezone.localdate(now):
        return Freshness(month, ref.computed_at, "day")
    return Freshness(month, ref.computed_at)
