"""Exports of the payment cycle: its payroll lines and the entitlements it does not pay
(audited). Payment files are handed out by `disbursement.files.payment_file_download`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from chitra.core.audit import audit_record
from chitra.core.exports import Workbook
from chitra.disbursement import selectors as sel
from chitra.engine.documents.lists import list_workbook
from chitra.registry.models import BenefitType

if TYPE_CHECKING:
    from chitra.disbursement.models import Cycle
    from chitra.iam.models import User


def file_months(cycle: Cycle) -> str:
    """The months of a cycle as they appear in a file name: 2026-12, or 2026-12-01."""
    return (
        f"{cycle.month:%Y-%m}"
        if not cycle.two_months
        else f"{cycle.month:%Y-%m}-{cycle.last_month:%m}"
    )


def payroll_line_export(
    *,
    actor: User,
    cycle: Cycle,
    filters: Mapping[str, Any],
    params: Mapping[str, Any] | None = None,
) -> Workbook:
    """The payroll lines of `cycle` that `actor` may see (`selectors.lines` with `filters`);
    `params` (the page's query) is recorded in the audit trail."""
    qs = sel.lines(actor, cycle, **filters)
    labels = dict(BenefitType.choices)
    rows = (
        [
            ln.reference,
            ln.commune.name,
            ln.beneficiary.full_name,
            ln.payee_name,
            labels.get(ln.benefit_type, ln.benefit_type),
            f"{ln.period_month:%m/%Y}",
            ln.amount,
            ln.get_channel_display(),
            str(ln.provider or ""),
            ln.get_status_display(),
            ln.reason_code,
        ]
        for ln in qs.iterator(2000)
    )
    audit_record(actor, "export.payroll_lines", obj=cycle, after=dict(params or {}))
    data = list_workbook(
        title=_("Payroll lines of %(month)s") % {"month": cycle.months_label},
        subtitle=_("%(province)s — accounts credited on %(account)s, cash paid from %(cash)s")
        % {
            "province": cycle.province,
            "account": f"{cycle.account_credit_date:%d/%m/%Y}",
            "cash": f"{cycle.cash_from_date:%d/%m/%Y}",
        },
        headers=[
            _("Payment reference"),
            _("Commune"),
            _("Full name"),
            _("Payee"),
            _("Benefit"),
            _("For month"),
            _("Amount (VND)"),
            _("Payment channel"),
            _("Provider"),
            _("Status"),
            _("Return reason"),
        ],
        rows=rows,
        money_columns=(6,),
    )
    return Workbook(data, f"bang-chi-{file_months(cycle)}.xlsx")


def exclusion_export(*, actor: User, cycle: Cycle) -> Workbook:
    """The entitlements of `cycle` that `actor` may see and it does not pay, and why."""
    labels = dict(BenefitType.choices)
    rows = (
        [
            x.commune.name,
            x.beneficiary.full_name,
            x.beneficiary.masked_personal_id,
            labels.get(x.entitlement.benefit_type, ""),
            x.get_reason_display(),
            x.months,
            x.amount,
        ]
        for x in sel.exclusions(actor, cycle).iterator(2000)
    )
    audit_record(actor, "export.exclusions", obj=cycle)
    data = list_workbook(
        title=_("Entitlements not paid in %(month)s, and why") % {"month": cycle.months_label},
        subtitle=str(cycle.province),
        headers=[
            _("Commune"),
            _("Full name"),
            _("Personal ID"),
            _("Benefit"),
            _("Reason"),
            _("Months"),
            _("Amount not paid (VND)"),
        ],
        rows=rows,
        money_columns=(6,),
    )
    return Workbook(data, f"khong-chi-{file_months(cycle)}.xlsx")
