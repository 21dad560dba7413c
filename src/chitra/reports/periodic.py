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
from chitra.reports.models import BenefitGroup, KpiRefresh, ReportKind

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

    raise ChitraError(_("The period %(period)s does not fit a %(kind)s report (weekly: "
                        "2026-W48, monthly: 2026-11, yearly: 2026).") % {
        "period": period, "kind": str(dict(RK.choices).get(kind, kind)).lower()})


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


def collect(actor: User, province: Province, kind: str, period: str) -> dict[str, Any]:
    """Every figure of the report, from the aggregates of its month (refreshed first when that
    month was never computed)."""
    from chitra.reports.kpis import refresh_month

    month = period_month(kind, period)
    if not KpiRefresh.objects.filter(province=province, month=month).exists():
        refresh_month(province, month)
    groups = []
    tstatus = {(t.group, t.area): sel.target_status(actor, t, month)
               for t in sel.targets(actor, province).filter(commune__isnull=True)}
    for g, label in BenefitGroup.choices:
        n, d, v = sel.total(actor, kpi="cashless_share", month=month, group=g,
                            province=province)
        st = tstatus.get((g, "all"))
        groups.append({"group": g, "label": str(label), "cashless": n, "people": d, "share": v,
                       "target": float(st.target.value) if st else None,
                       "status": st.label if st else ""})
    communes = sel.rollup(actor, kpi="cashless_share", month=month,
                          group=BenefitGroup.MONTHLY, by="commune", province=province)
    outcomes = sel.rollup(actor, kpi="verification_outcome", month=month, dim=None,
                          province=province)
    cov = sel.total(actor, kpi="verification_coverage", month=month, province=province)
    first = sel.total(actor, kpi="first_attempt_success", month=month, province=province)
    returns = [r for r in sel.rollup(actor, kpi="returns", month=month, dim=None,
                                     province=province) if str(r["key"]).startswith("r:")]
    outstanding = sel.total(actor, kpi="amount_outstanding", month=month, province=province)
    death = sel.total(actor, kpi="paid_after_death", month=month, province=province)
    complaints = sel.total(actor, kpi="complaint_deadlines_met", month=month,
                           province=province)
    outreach = sel.total(actor, kpi="outreach_contacted", month=month, province=province)
    agreed = sel.total(actor, kpi="outreach_agreed", month=month, province=province)
    return {
        "kind": kind, "period": period, "month": month.isoformat(),
        "province": province.code, "province_name": str(province.name),
        "groups": groups,
        "communes": [{"commune": c["label"], "cashless": c["numerator"],
                      "people": c["denominator"], "share": c["value"]} for c in communes],
        "verification": {"confirmed": cov[0], "active": cov[1], "share": cov[2],
                         "outcomes": {str(o["key"]): o["numerator"] for o in outcomes}},
        "payments": {"first_paid": first[0], "first_with_result": first[1],
                     "first_success": first[2], "outstanding_amount": outstanding[0],
                     "outstanding_lines": outstanding[1],
                     "returns": [{"reason": str(r["key"])[2:], "amount": r["numerator"],
                                  "lines": r["denominator"]} for r in returns]},
        "deaths": {"amount_to_recover": death[0], "people": death[1]},
        "outreach": {"contacted": outreach[0], "assigned": outreach[1],
                     "agreed": agreed[0]},
        "complaints": {"on_time": complaints[0], "due": complaints[1],
                       "share": complaints[2]},
        "generated_at": timezone.now().isoformat(),
    }


def _pct(v: Any) -> Any:
    return v if v is not None else None


def document(data: dict[str, Any], *, number: str, issuing_body: str, superior_body: str,
             place: str, on: dt.date, signer: str = "") -> Any:
    """The administrative document (engine.report_docs.ReportDoc) of the collected figures."""
    from chitra.engine.report_docs import ReportDoc, Table, vn_date_line

    label = period_label(data["kind"], data["period"])
    g = data["groups"]
    monthly = next((x for x in g if x["group"] == "monthly"), None)
    paragraphs = [
        _("Pursuant to the plan for paying pensions and social insurance benefits without cash "
          "in %(province)s, this report gives the results as of %(month)s, computed from the "
          "data of chitra.") % {"province": data["province_name"],
                                "month": dt.date.fromisoformat(data["month"]).strftime("%m/%Y")},
    ]
    if monthly and monthly["share"] is not None:
        paragraphs.append(_("%(cashless)s of %(people)s people receiving a monthly pension or "
                            "allowance (%(share)s %%) are paid without cash.") % {
            "cashless": f"{monthly['cashless']:,}".replace(",", "."),
            "people": f"{monthly['people']:,}".replace(",", "."),
            "share": str(monthly["share"]).replace(".", ",")})
    t1 = Table(_("1. Recipients paid without cash, by benefit group"),
               (_("Benefit group"), _("Recipients"), _("Paid without cash"), _("Share (%)"),
                _("Target (%)"), _("Status")),
               tuple((x["label"], x["people"], x["cashless"], _pct(x["share"]), x["target"],
                      x["status"]) for x in g),
               kinds=("text", "int", "int", "percent", "percent", "text"))
    t2 = Table(_("2. Monthly pensions and allowances paid without cash, by commune"),
               (_("Commune"), _("Recipients"), _("Paid without cash"), _("Share (%)")),
               tuple((c["commune"], c["people"], c["cashless"], _pct(c["share"]))
                     for c in data["communes"]),
               kinds=("text", "int", "int", "percent"),
               total_row=(_("Total"), sum(c["people"] for c in data["communes"]),
                          sum(c["cashless"] for c in data["communes"]),
                          _pct(monthly["share"]) if monthly else None))
    from chitra.disbursement.models import ReturnReason
    from chitra.verification.models import Outcome

    outcome_labels = dict(Outcome.choices)
    reason_labels = dict(ReturnReason.objects.values_list("code", "label"))
    v = data["verification"]
    t3 = Table(_("3. Verification against the national population register"),
               (_("Outcome"), _("People")),
               tuple((str(outcome_labels.get(k, k)), n)
                     for k, n in sorted(v["outcomes"].items())),
               kinds=("text", "int"),
               note=_("Confirmed on the register: %(n)s of %(d)s active beneficiaries.") % {
                   "n": v["confirmed"], "d": v["active"]})
    p = data["payments"]
    t4 = Table(_("4. Payments of the month returned by the providers"),
               (_("Return reason"), _("Lines"), _("Amount (VND)")),
               tuple((f"{r['reason']} — {reason_labels.get(r['reason'], '')}".rstrip(" —"),
                      r["lines"], r["amount"]) for r in p["returns"]),
               kinds=("text", "int", "money"),
               note=_("First-attempt success: %(share)s %%; still without a result: %(amount)s "
                      "VND.") % {"share": p["first_success"] if p["first_success"] is not None
                                 else "—",
                                 "amount": f"{p['outstanding_amount']:,}".replace(",", ".")})
    c = data["complaints"]
    closing = [
        _("Outreach: %(contacted)s of %(assigned)s people on the work lists contacted, "
          "%(agreed)s agreed to be paid without cash.") % data["outreach"],
        _("Complaints due in the month: %(due)s, resolved on time: %(on_time)s.") % c,
        _("Amounts paid after death to recover (found in the month): %(amount)s VND.") % {
            "amount": f"{data['deaths']['amount_to_recover']:,}".replace(",", ".")},
    ]
    return ReportDoc(
        superior_body=superior_body, issuing_body=issuing_body, number=number,
        place_date=vn_date_line(place, on), doc_type=_("REPORT"),
        title=_("Results of paying pensions and social insurance benefits without cash"),
        subtitle=str(label).capitalize(), paragraphs=tuple(paragraphs),
        tables=(t1, t2, t3, t4), closing=tuple(closing),
        recipients=(_("Vietnam Social Security;"), _("Provincial People's Committee;"),
                    _("Filed.")),
        signer_authority=(_("DIRECTOR"),), signer_name=signer)
