"""The content of a periodic report: figures from the aggregates (JSON-able, stored with the
issued report) and the document made from them."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core.errors import ChitraError
from chitra.reports import selectors as sel
from chitra.reports.models import BenefitGroup, ReportKind

if TYPE_CHECKING:
    from chitra.geo.models import Province
    from chitra.iam.models import User


def period_month(kind: str, period: str, today: dt.date | None = None) -> dt.date:
    """The month whose figures a report of this period carries."""
    today = today or timezone.localdate()
    try:
        if kind == ReportKind.WEEKLY:
            m = re.fullmatch(r"(\d{4})-W(\d{2})", period)
            if not m:
                raise ValueError
            wednesday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 3)
            return wednesday.replace(day=1)
        if kind == ReportKind.MONTHLY:
            y, mo = period.split("-")
            return dt.date(int(y), int(mo), 1)
        if kind == ReportKind.YEARLY:
            year = int(period)
            last = dt.date(year, 12, 1)
            return min(last, today.replace(day=1))
        if kind == ReportKind.ADHOC:
            return today.replace(day=1)
    except ValueError:
        pass
    from chitra.reports.models import ReportKind as RK

    raise ChitraError(
        _(
            "The period %(period)s does not fit a %(kind)s report (weekly: "
            "2026-W48, monthly: 2026-11, yearly: 2026)."
        )
        % {"period": period, "kind": str(dict(RK.choices).get(kind, kind)).lower()}
    )


def period_label(kind: str, period: str) -> str:
    if kind == ReportKind.WEEKLY:
        y, w = period.split("-W")
        return _("week %(week)s/%(year)s") % {"week": int(w), "year": y}
    if kind == ReportKind.MONTHLY:
        y, m = period.split("-")
        return _("month %(month)s/%(year)s") % {"month": m, "year": y}
    if kind == ReportKind.YEARLY:
        return _("year %(year)s") % {"year": period}
    return period


class StaleIndicators(ChitraError):
    """The month's indicators were never computed, or their inputs changed since."""

    def __init__(self, message: str, *, month: dt.date) -> None:
        super().__init__(message)
        self.month = month


def _when(t: dt.datetime) -> str:
    return timezone.localtime(t).strftime("%H:%M %d/%m/%Y")


def require_fresh(province: Province, month: dt.date) -> Any:
    """The freshness of the month's indicators; refuses (StaleIndicators) when stale."""
    from chitra.reports.kpis import freshness

    f = freshness(province, month)
    label = f"{month:%m/%Y}"
    hint = _(
        "Recompute the indicators of %(month)s first (the Recompute button of "
        "the periodic reports page, or chitra kpi_refresh --month %(period)s), then issue the "
        "report."
    ) % {"month": label, "period": f"{month:%Y-%m}"}
    if f.reason == "never":
        raise StaleIndicators(
            _("The indicators of %(month)s have never been computed.") % {"month": label}
            + " "
            + hint,
            month=month,
        )
    if f.reason == "changed":
        assert f.computed_at is not None and f.changed_at is not None
        raise StaleIndicators(
            _(
                "The indicators of %(month)s were computed at %(computed)s and "
                "the data changed after that (%(action)s at %(changed)s)."
            )
            % {
                "month": label,
                "computed": _when(f.computed_at),
                "action": f.change,
                "changed": _when(f.changed_at),
            }
            + " "
            + hint,
            month=month,
        )
    if f.reason == "day":
        assert f.computed_at is not None
        raise StaleIndicators(
            _(
                "The indicators of %(month)s were computed at %(computed)s, on "
                "an earlier day of the month (complaints fall due day by "
                "day)."
            )
            % {"month": label, "computed": _when(f.computed_at)}
            + " "
            + hint,
            month=month,
        )
    return f


def _paid_with(province: Province, month: dt.date) -> dict[str, str] | None:
    from chitra.disbursement.models import CycleMonth

    covered = (
        CycleMonth.objects.filter(province=province, month=month)
        .exclude(cycle__month=month)
        .select_related("cycle")
        .first()
    )
    if covered is None:
        return None
    return {"months": covered.cycle.months_label, "first": f"{covered.cycle.month:%m/%Y}"}


def collect(actor: User, province: Province, kind: str, period: str) -> dict[str, Any]:
    """Every figure of the report, from the same aggregates as the dashboard for its month and
    province; refused while those aggregates are stale (never computed, or the data changed
    after they were computed)."""
    month = period_month(kind, period)
    fresh = require_fresh(province, month)
    groups = _group_figures(actor, province, month)
    communes = sel.rollup(
        actor,
        kpi="cashless_share",
        month=month,
        group=BenefitGroup.MONTHLY,
        by="commune",
        province=province,
    )
    outcomes = sel.rollup(
        actor, kpi="verification_outcome", month=month, dim=None, province=province
    )
    cov = sel.total(actor, kpi="verification_coverage", month=month, province=province)
    accounts = sel.total(actor, kpi="accounts_confirmed", month=month, province=province)
    payments = _payment_figures(actor, province, month)
    death = sel.total(actor, kpi="paid_after_death", month=month, province=province)
    recovered = sel.total(actor, kpi="recovered", month=month, province=province)
    complaints = sel.total(actor, kpi="complaint_deadlines_met", month=month, province=province)
    outreach = sel.total(actor, kpi="outreach_contacted", month=month, province=province)
    agreed = sel.total(actor, kpi="outreach_agreed", month=month, province=province)
    return {
        # a month paid by a cycle that starts earlier (January and February paid together in
        # January): its lines are counted under the cycle's first month, and the report says so
        "paid_with": _paid_with(province, month),
        "kind": kind,
        "period": period,
        "month": month.isoformat(),
        "province": province.code,
        "province_name": str(province.name),
        "computed_at": fresh.computed_at.isoformat(),
        "groups": groups,
        "cashless_data": any(x["recorded"] for x in groups),
        "communes": [
            {
                "commune": c["label"],
                "cashless": c["numerator"],
                "people": c["denominator"],
                "share": c["value"],
            }
            for c in communes
        ],
        "verification": {
            "confirmed": cov[0],
            "active": cov[1],
            "share": cov[2],
            "checked": sum(o["numerator"] for o in outcomes),
            "outcomes": {str(o["key"]): o["numerator"] for o in outcomes},
        },
        "accounts": {"confirmed": accounts[0], "open": accounts[1], "share": accounts[2]},
        "payments": payments,
        "deaths": {"amount_to_recover": death[0], "people": death[1], "recovered": recovered[0]},
        "outreach": {"contacted": outreach[0], "assigned": outreach[1], "agreed": agreed[0]},
        "complaints": {"on_time": complaints[0], "due": complaints[1], "share": complaints[2]},
        "generated_at": timezone.now().isoformat(),
    }


def _group_figures(actor: User, province: Province, month: dt.date) -> list[dict[str, Any]]:
    """Recipients, cashless share, methods on record and target status per benefit group."""
    tstatus = {
        (t.group, t.area): sel.target_status(actor, t, month)
        for t in sel.targets(actor, province).filter(commune__isnull=True)
    }
    groups = []
    for g, label in BenefitGroup.choices:
        n, d, v = sel.total(actor, kpi="cashless_share", month=month, group=g, province=province)
        recorded = sel.total(actor, kpi="method_recorded", month=month, group=g, province=province)[
            0
        ]
        st = tstatus.get((g, "all"))
        groups.append(
            {
                "group": g,
                "label": str(label),
                "cashless": n,
                "people": d,
                "share": v,
                "recorded": recorded,
                "target": float(st.target.value) if st else None,
                "status": st.label if st else "",
            }
        )
    return groups


def _payment_figures(actor: User, province: Province, month: dt.date) -> dict[str, Any]:
    """Lines, first attempts, returns by reason and amounts still without a result."""
    lines = sel.total(actor, kpi="payroll_lines", month=month, province=province)
    first = sel.total(actor, kpi="first_attempt_success", month=month, province=province)
    returns = [
        r
        for r in sel.rollup(actor, kpi="returns", month=month, dim=None, province=province)
        if str(r["key"]).startswith("r:")
    ]
    outstanding = sel.total(actor, kpi="amount_outstanding", month=month, province=province)
    return {
        "lines": lines[1],
        "amount": lines[0],
        "first_paid": first[0],
        "first_with_result": first[1],
        "first_success": first[2],
        "outstanding_amount": outstanding[0],
        "outstanding_lines": outstanding[1],
        "returns": [
            {"reason": str(r["key"])[2:], "amount": r["numerator"], "lines": r["denominator"]}
            for r in returns
        ],
    }


def _n(v: int) -> str:
    """A whole number the Vietnamese way (1.234.567)."""
    return f"{v:,}".replace(",", ".")


def _p(v: float) -> str:
    return f"{v:.1f}".replace(".", ",")


def document(
    data: dict[str, Any],
    *,
    number: str,
    issuing_body: str,
    superior_body: str,
    place: str,
    on: dt.date,
    signer: str = "",
    replaces: dict[str, str] | None = None,
) -> Any:
    """The administrative document (engine.documents.report.ReportDoc) of the collected figures.

    Every sentence is made from the same figures as the tables; a section without data for
    the month says so in words (no table of zeros, no "0 %" for a month without data).
    `replaces` (number, date, reason) introduces a corrected re-issue."""
    from chitra.engine.documents.report import ReportDoc, vn_date_line

    label = period_label(data["kind"], data["period"])
    month = dt.date.fromisoformat(data["month"]).strftime("%m/%Y")
    paragraphs = []
    if replaces:
        paragraphs.append(
            _(
                "This report replaces report No. %(number)s of %(date)s, which is "
                "superseded. Reason for the correction: %(reason)s"
            )
            % replaces
        )
    paragraphs.append(
        _(
            "Pursuant to the plan for paying pensions and social insurance benefits without cash "
            "in %(province)s, this report gives the results as of %(month)s, computed from the "
            "data of chitra."
        )
        % {"province": data["province_name"], "month": month}
    )
    tables = _cashless_sections(data, month, paragraphs)
    tables += _verification_section(data, month)
    tables += _payments_section(data, month)
    tables += _other_sections(data, month)
    return ReportDoc(
        superior_body=superior_body,
        issuing_body=issuing_body,
        number=number,
        place_date=vn_date_line(place, on),
        doc_type=_("REPORT"),
        title=_("Results of paying pensions and social insurance benefits without cash"),
        subtitle=str(label).capitalize(),
        paragraphs=tuple(paragraphs),
        tables=tuple(tables),
        recipients=(
            _("Vietnam Social Security;"),
            _("Provincial People's Committee;"),
            _("Filed."),
        ),
        signer_authority=(_("DIRECTOR"),),
        signer_name=signer,
    )


def _cashless_sections(data: dict[str, Any], month: str, paragraphs: list[Any]) -> list[Any]:
    """Sections 1 and 2 (a sentence on the monthly share goes to `paragraphs`)."""
    from chitra.engine.documents.report import Text

    tables: list[Any] = []
    g = data["groups"]
    no_data = _("no data")
    monthly = next((x for x in g if x["group"] == "monthly"), None)
    t1 = _("1. Recipients paid without cash, by benefit group")
    t2 = _("2. Monthly pensions and allowances paid without cash, by commune")
    if not data["cashless_data"]:
        none = _(
            "No payment method was on record for month %(month)s (the payment-method "
            "register had not started): there is no data on payments without cash for "
            "this month."
        ) % {"month": month}
        tables += [Text(t1, none), Text(t2, none)]
    else:
        if monthly and monthly["share"] is not None:
            paragraphs.append(
                _(
                    "%(cashless)s of %(people)s people receiving a monthly "
                    "pension or allowance (%(share)s %%) are paid without cash."
                )
                % {
                    "cashless": _n(monthly["cashless"]),
                    "people": _n(monthly["people"]),
                    "share": _p(monthly["share"]),
                }
            )
        tables.append(_groups_table(t1, g, no_data))
        if data["communes"]:
            tables.append(_communes_table(t2, data["communes"], monthly, no_data))
        else:
            tables.append(
                Text(
                    t2,
                    _("No one received a monthly pension or allowance in month %(month)s.")
                    % {"month": month},
                )
            )
    return tables


def _verification_section(data: dict[str, Any], month: str) -> list[Any]:
    """Section 3: the outcomes of the register checks."""
    from chitra.engine.documents.report import Table, Text
    from chitra.verification.models import Outcome

    tables: list[Any] = []
    v = data["verification"]
    t3 = _("3. Verification against the national population register")
    if not v["active"]:
        tables.append(
            Text(
                t3,
                _("No active beneficiary was on the registry by the end of month %(month)s.")
                % {"month": month},
            )
        )
    elif not v["checked"]:
        tables.append(
            Text(
                t3,
                _(
                    "No check against the national population register had "
                    "been made by the end of month %(month)s (%(active)s active "
                    "beneficiaries)."
                )
                % {"month": month, "active": _n(v["active"])},
            )
        )
    else:
        outcome_labels = dict(Outcome.choices)
        tables.append(
            Table(
                t3,
                (_("Outcome"), _("People")),
                tuple(
                    (str(outcome_labels.get(k, k)), n)
                    for k, n in sorted(v["outcomes"].items())
                    if n
                ),
                kinds=("text", "int"),
                total_row=(_("Checked"), v["checked"]),
                note=_(
                    "Confirmed on the register: %(n)s of %(d)s active beneficiaries "
                    "(%(share)s %%); not checked yet: %(unchecked)s."
                )
                % {
                    "n": _n(v["confirmed"]),
                    "d": _n(v["active"]),
                    "share": _p(v["share"]) if v["share"] is not None else "—",
                    "unchecked": _n(v["active"] - v["checked"]),
                },
            )
        )
    return tables


def _payments_section(data: dict[str, Any], month: str) -> list[Any]:
    """Section 4: lines, results and returns of the month's cycle."""
    from chitra.engine.documents.report import Text

    tables: list[Any] = []
    p = data["payments"]
    t4 = _("4. Payments of the month")
    if not p["lines"] and data.get("paid_with"):
        tables.append(
            Text(
                t4,
                _(
                    "Month %(month)s was paid with the payment cycle of months "
                    "%(cycle)s: its lines, results and returns are in the report "
                    "of month %(first)s."
                )
                % {
                    "month": month,
                    "cycle": data["paid_with"]["months"],
                    "first": data["paid_with"]["first"],
                },
            )
        )
    elif not p["lines"]:
        tables.append(
            Text(
                t4,
                _(
                    "Month %(month)s has no payment cycle: there is no data on "
                    "payments, results and returns for this month."
                )
                % {"month": month},
            )
        )
    elif not p["first_with_result"] and not p["returns"]:
        tables.append(
            Text(
                t4,
                _(
                    "The payment cycle of month %(month)s has %(lines)s lines "
                    "(%(amount)s VND); no payment result has been received yet."
                )
                % {"month": month, "lines": _n(p["lines"]), "amount": _n(p["amount"])},
            )
        )
    else:
        told = _payments_told(p, month)
        if p["returns"]:
            tables.append(_returns_table(p["returns"], told))
        else:
            tables.append(Text(t4, told + " " + _("No payment was returned by the providers.")))
    return tables


def _other_sections(data: dict[str, Any], month: str) -> list[Any]:
    """Sections 5 to 7: outreach, complaints, payments after a death."""
    from chitra.engine.documents.report import Text

    tables: list[Any] = []
    o, c, d = data["outreach"], data["complaints"], data["deaths"]
    t5, t6, t7 = _("5. Outreach"), _("6. Complaints"), _("7. Paid after death")
    if o["assigned"]:
        tables.append(
            Text(
                t5,
                _(
                    "%(contacted)s of %(assigned)s people on the work lists "
                    "contacted, %(agreed)s agreed to be paid without cash."
                )
                % {
                    "contacted": _n(o["contacted"]),
                    "assigned": _n(o["assigned"]),
                    "agreed": _n(o["agreed"]),
                },
            )
        )
    else:
        tables.append(
            Text(
                t5,
                _("No outreach work list had been made by the end of month %(month)s.")
                % {"month": month},
            )
        )
    if c["due"]:
        tables.append(
            Text(
                t6,
                _("Complaints due in the month: %(due)s, resolved on time: %(on_time)s.")
                % {"due": _n(c["due"]), "on_time": _n(c["on_time"])},
            )
        )
    else:
        tables.append(Text(t6, _("No complaint was due in month %(month)s.") % {"month": month}))
    tables.append(_deaths_text(t7, d, month))
    return tables


def _payments_told(p: dict[str, Any], month: str) -> str:
    return _(
        "The payment cycle of month %(month)s has %(lines)s lines (%(amount)s VND). "
        "First attempts paid: %(paid)s of %(results)s with a result (%(share)s %%); "
        "still without a result: %(outstanding)s VND."
    ) % {
        "month": month,
        "lines": _n(p["lines"]),
        "amount": _n(p["amount"]),
        "paid": _n(p["first_paid"]),
        "results": _n(p["first_with_result"]),
        "share": _p(p["first_success"]) if p["first_success"] is not None else "—",
        "outstanding": _n(p["outstanding_amount"]),
    }


def _groups_table(title: str, groups: list[dict[str, Any]], no_data: str) -> Any:
    from chitra.engine.documents.report import Table

    return Table(
        title,
        (
            _("Benefit group"),
            _("Recipients"),
            _("Paid without cash"),
            _("Share (%)"),
            _("Target (%)"),
            _("Status"),
        ),
        tuple(
            (
                x["label"],
                x["people"],
                x["cashless"],
                x["share"] if x["share"] is not None else no_data,
                x["target"],
                x["status"],
            )
            for x in groups
        ),
        kinds=("text", "int", "int", "percent", "percent", "text"),
    )


def _communes_table(
    title: str, communes: list[dict[str, Any]], monthly: dict[str, Any] | None, no_data: str
) -> Any:
    from chitra.engine.documents.report import Table

    return Table(
        title,
        (_("Commune"), _("Recipients"), _("Paid without cash"), _("Share (%)")),
        tuple(
            (
                c["commune"],
                c["people"],
                c["cashless"],
                c["share"] if c["share"] is not None else no_data,
            )
            for c in communes
        ),
        kinds=("text", "int", "int", "percent"),
        total_row=(
            _("Total"),
            sum(c["people"] for c in communes),
            sum(c["cashless"] for c in communes),
            monthly["share"] if monthly and monthly["share"] is not None else no_data,
        ),
    )


def _returns_table(returns: list[dict[str, Any]], told: str) -> Any:
    from chitra.disbursement.models import ReturnReason
    from chitra.engine.documents.report import Table

    reason_labels = dict(ReturnReason.objects.values_list("code", "label"))
    return Table(
        _("4. Payments of the month returned by the providers"),
        (_("Return reason"), _("Lines"), _("Amount (VND)")),
        tuple(
            (
                f"{r['reason']} — {reason_labels.get(r['reason'], '')}".rstrip(" —"),
                r["lines"],
                r["amount"],
            )
            for r in returns
        ),
        kinds=("text", "int", "money"),
        total_row=(
            _("Total"),
            sum(r["lines"] for r in returns),
            sum(r["amount"] for r in returns),
        ),
        note=told,
    )


def _deaths_text(title: str, d: dict[str, Any], month: str) -> Any:
    from chitra.engine.documents.report import Text

    if not d["people"]:
        return Text(
            title, _("No payment after a death was found in month %(month)s.") % {"month": month}
        )
    return Text(
        title,
        _(
            "Found in the month: %(people)s people paid after their "
            "death, %(amount)s VND to recover; recovered so far: "
            "%(recovered)s VND."
        )
        % {
            "people": _n(d["people"]),
            "amount": _n(d["amount_to_recover"]),
            "recovered": _n(d["recovered"]),
        },
    )
