"""Exports of iam: the audit trail, read through `chitra.iam.selectors.audit_search`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core.audit import audit_record
from chitra.core.exports import Workbook
from chitra.iam.selectors import audit_search

if TYPE_CHECKING:
    from chitra.iam.models import User


def audit_export(*, actor: User, filters: Mapping[str, Any], query: str = "") -> Workbook:
    """The audit events `actor` may read (`audit_search` with `filters`), at most 100,000;
    `query` (the page's query string) is what the audit trail records of the export."""
    from chitra.engine.documents.lists import list_workbook

    qs = audit_search(actor, **filters)
    audit_record(actor, "export.audit", object_type="core.auditevent", object_repr=query)
    national = _("Nationwide")
    rows = (
        [
            timezone.localtime(e.at).strftime("%d/%m/%Y %H:%M:%S"),
            e.actor_username,
            e.organisation_name,
            str(e.province) if e.province_id else national,
            e.action,
            e.action_label,
            f"{e.object_type} #{e.object_id}",
            e.object_repr,
            str(e.before or ""),
            str(e.after or ""),
            e.reason,
        ]
        for e in qs[:100_000].iterator(chunk_size=5000)
    )
    data = list_workbook(
        title=_("Audit trail"),
        headers=[
            _("Time"),
            _("User"),
            _("Organisation"),
            _("Province"),
            _("Action"),
            _("What"),
            _("Object"),
            "",
            _("Before"),
            _("After"),
            _("Reason"),
        ],
        rows=rows,
    )
    return Workbook(data, "nhat-ky.xlsx")
