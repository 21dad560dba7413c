"""Exports of verification: the cleaning queue, the amounts to recover after a death (form
C75-HD) and the proof-of-life lists (all audited)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core.audit import audit_record
from chitra.core.exports import Workbook
from chitra.engine.documents.lists import list_workbook
from chitra.verification import selectors as sel

if TYPE_CHECKING:
    from chitra.iam.models import User


def _d(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _m(month: dt.date | None) -> str:
    return month.strftime("%m/%Y") if month else ""


def cleaning_queue_export(*, actor: User, filters: Mapping[str, Any], query: str = "") -> Workbook:
    """The records to clean that `actor` may see (`selectors.queue` with `filters`); `query`
    (the page's query string) is recorded in the audit trail."""
    qs = sel.queue(actor, **filters)
    audit_record(
        actor, "export.cleaning_queue", object_type="verification.queue", object_repr=query
    )
    rows = (
        [
            t.commune.name,
            t.beneficiary.full_name,
            t.beneficiary.personal_id or "",
            t.beneficiary.si_number or "",
            t.get_outcome_display(),
            t.result.mismatched_labels if t.result else "",
            t.result.reg_full_name if t.result else "",
            t.assigned_to.username if t.assigned_to else "",
        ]
        for t in qs.iterator(chunk_size=2000)
    )
    data = list_workbook(
        title=_("Records to clean after verification against the population register"),
        subtitle=timezone.localdate().strftime("%d/%m/%Y"),
        headers=[
            _("Commune"),
            _("Full name"),
            _("Personal ID"),
            _("Social insurance no."),
            _("Outcome"),
            _("Mismatched fields"),
            _("Name in the register"),
            _("Assigned to"),
        ],
        rows=rows,
    )
    return Workbook(data, "ho-so-can-lam-sach.xlsx")


def recovery_export(*, actor: User, filters: Mapping[str, Any]) -> Workbook:
    """The amounts paid after death to recover (`selectors.recoveries` with `filters`), in
    the layout of form C75-HD."""
    qs = sel.recoveries(actor, **filters)
    audit_record(
        actor, "export.recoveries", object_type="verification.recovery", object_repr="C75-HD"
    )
    rows = (
        [
            r.beneficiary.commune.name,
            r.beneficiary.full_name,
            r.beneficiary.personal_id or "",
            r.beneficiary.si_number or "",
            r.entitlement.get_benefit_type_display(),
            r.death_date.strftime("%d/%m/%Y"),
            r.first_month.strftime("%m/%Y"),
            r.last_month.strftime("%m/%Y"),
            r.months,
            r.entitlement.monthly_amount,
            r.amount,
        ]
        for r in qs.iterator(chunk_size=2000)
    )
    data = list_workbook(
        title=_("List of amounts paid after death to recover (form C75-HD)"),
        subtitle=timezone.localdate().strftime("%d/%m/%Y"),
        headers=[
            _("Commune"),
            _("Full name"),
            _("Personal ID"),
            _("Social insurance no."),
            _("Benefit"),
            _("Date of death"),
            _("From month"),
            _("To month"),
            _("Months"),
            _("Monthly amount (VND)"),
            _("Amount to recover (VND)"),
        ],
        rows=rows,
        money_columns=(9, 10),
    )
    return Workbook(data, "danh-sach-truy-thu-C75-HD.xlsx")


def proof_of_life_export(*, actor: User, filters: Mapping[str, Any], query: str = "") -> Workbook:
    """People paid into an account whose proof of life is overdue or due soon
    (`selectors.proof_of_life_due` with `filters`: commune_id, state)."""
    from chitra.verification.proof_of_life import due_on, stops_from

    qs = sel.proof_of_life_due(actor, **filters)
    audit_record(
        actor, "export.proof_of_life", object_type="verification.proof_of_life", object_repr=query
    )
    rows = (
        [
            b.commune.name,
            b.full_name,
            b.personal_id or "",
            b.si_number or "",
            b.address,
            b.phone,
            _d(b.proof_of_life_on),
            b.get_proof_of_life_source_display() if b.proof_of_life_source else "",
            _d(due_on(b.proof_of_life_on)),
            _m(stops_from(b.proof_of_life_on)),
        ]
        for b in qs.iterator(chunk_size=2000)
    )
    overdue = filters.get("state") == "overdue"
    title = (
        _("Beneficiaries whose proof of life is overdue")
        if overdue
        else _("Beneficiaries whose proof of life is due soon")
    )
    data = list_workbook(
        title=title,
        subtitle=timezone.localdate().strftime("%d/%m/%Y"),
        headers=[
            _("Commune"),
            _("Full name"),
            _("Personal ID"),
            _("Social insurance no."),
            _("Address"),
            _("Phone"),
            _("Last proof of life"),
            _("Source"),
            _("Due on"),
            _("Payments stop from"),
        ],
        rows=rows,
    )
    name = "qua-han-xac-nhan-con-song.xlsx" if overdue else "sap-den-han-xac-nhan-con-song.xlsx"
    return Workbook(data, name)
