"""Exports of the registry: the beneficiary list (audited)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core.audit import audit_record
from chitra.core.exports import Workbook
from chitra.engine.documents.lists import list_workbook
from chitra.registry.selectors import beneficiary_list

if TYPE_CHECKING:
    from chitra.iam.models import User

#: one export is capped; narrower filters give the rest (a province list is still one file)
EXPORT_LIMIT = 200_000


def beneficiary_export(*, actor: User, filters: Mapping[str, Any], query: str = "") -> Workbook:
    """The beneficiaries `actor` may see (`beneficiary_list` with `filters`), at most
    EXPORT_LIMIT; `query` (the page's query string) is recorded in the audit trail."""
    qs = beneficiary_list(actor, **filters)
    audit_record(
        actor, "export.beneficiaries", object_type="registry.beneficiary", object_repr=query
    )
    rows = (
        [
            b.full_name,
            b.personal_id or "",
            b.si_number or "",
            b.old_id or "",
            b.birth_date.strftime(
                "%Y"
                if b.birth_precision == "Y"
                else "%m/%Y"
                if b.birth_precision == "M"
                else "%d/%m/%Y"
            ),
            b.get_sex_display(),
            b.commune.name,
            b.address,
            b.phone,
            b.get_status_display(),
        ]
        for b in qs[:EXPORT_LIMIT].iterator(chunk_size=5000)
    )
    data = list_workbook(
        title=_("Beneficiaries"),
        subtitle=timezone.localdate().strftime("%d/%m/%Y"),
        headers=[
            _("Full name"),
            _("Personal ID"),
            _("Social insurance no."),
            _("Old ID card (CMND)"),
            _("Date of birth"),
            _("Sex"),
            _("Commune"),
            _("Address"),
            _("Phone"),
            _("Status"),
        ],
        rows=rows,
    )
    return Workbook(data, "danh-sach-nguoi-huong.xlsx")
