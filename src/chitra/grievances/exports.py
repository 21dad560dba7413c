"""Exports of complaints and fraud reports: the ticket list (audited)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core.audit import audit_record
from chitra.core.exports import Workbook
from chitra.engine.documents.lists import list_workbook
from chitra.grievances import selectors as sel

if TYPE_CHECKING:
    from chitra.iam.models import User


def _d(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def ticket_export(*, actor: User, filters: Mapping[str, Any], query: str = "") -> Workbook:
    """The tickets `actor` may see (`selectors.tickets` with `filters`); `query` (the page's
    query string) is recorded in the audit trail."""
    qs = sel.tickets(actor, **filters)
    audit_record(
        actor,
        "export.grievance_tickets",
        object_type="grievances.ticket",
        object_repr=query[:255] or "tickets",
    )
    data = list_workbook(
        title=_("Complaints and fraud reports"),
        subtitle=timezone.localdate().strftime("%d/%m/%Y"),
        headers=[
            _("Number"),
            _("Received on"),
            _("Category"),
            _("Priority"),
            _("Commune"),
            _("Beneficiary"),
            _("Personal ID"),
            _("Payment reference"),
            _("Routed to"),
            _("Status"),
            _("Due date"),
            _("Overdue"),
            _("Resolved on"),
            _("Outcome"),
            _("Description"),
        ],
        rows=_rows(qs),
    )
    return Workbook(data, "khieu-nai.xlsx")


def _rows(qs: Any) -> Iterable[list[Any]]:
    for t in qs.iterator(chunk_size=2000):
        b = t.beneficiary
        yield [
            t.number,
            _d(t.received_on),
            t.get_category_display(),
            t.get_priority_display(),
            t.commune.name,
            b.full_name if b else "",
            b.masked_personal_id if b else "",
            t.payroll_line.reference if t.payroll_line_id else "",
            t.routed_to.name,
            t.get_status_display(),
            _d(t.due_date),
            _("Yes") if t.overdue else "",
            _d(timezone.localtime(t.resolved_at)) if t.resolved_at else "",
            t.get_resolution_code_display() if t.resolution_code else "",
            t.description,
        ]
