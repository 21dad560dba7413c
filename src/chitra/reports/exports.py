"""Exports of the indicators and reports: the cashless-share ranking and the files of an
issued report (both audited)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chitra.core.audit import audit_record
from chitra.core.errors import ChitraError
from chitra.core.exports import StoredFile, Workbook
from chitra.engine.documents.lists import list_workbook
from chitra.reports import selectors as sel
from chitra.reports.models import BenefitGroup

if TYPE_CHECKING:
    from chitra.iam.models import User
    from chitra.reports.models import IssuedReport

BY_LABELS = [
    ("commune", gettext_lazy("Commune")),
    ("office", gettext_lazy("BHXH office")),
    ("urban", gettext_lazy("Urban / rural")),
    ("province", gettext_lazy("Province")),
]


def kpi_ranking_export(
    *, actor: User, filters: Mapping[str, Any], params: Mapping[str, Any] | None = None
) -> Workbook:
    """The cashless share by area (`selectors.rollup` with `filters`: month, group, by, area,
    province); `params` (the page's query) is recorded in the audit trail."""
    month, group, by = filters["month"], filters["group"], filters["by"]
    ranking = sel.rollup(
        actor,
        kpi="cashless_share",
        month=month,
        group=group,
        by=by,
        area=filters["area"],
        province=filters["province"],
    )
    audit_record(
        actor,
        "export.kpi_ranking",
        object_type="reports.kpi",
        object_id="cashless_share",
        after=dict(params or {}),
    )
    data = list_workbook(
        title=_("Cashless share by %(by)s, %(month)s")
        % {"by": str(dict(BY_LABELS).get(by, by)).lower(), "month": f"{month:%m/%Y}"},
        subtitle=str(dict(BenefitGroup.choices).get(group, group)),
        headers=[_("Area"), _("Paid without cash"), _("Recipients"), _("Share (%)")],
        rows=([r["label"], r["numerator"], r["denominator"], r["value"]] for r in ranking),
        money_columns=(1, 2),
    )
    return Workbook(data, f"ty-le-khong-dung-tien-mat-{month:%Y-%m}.xlsx")


def issued_report_export(*, actor: User, report: IssuedReport, fmt: str) -> StoredFile:
    """The xlsx or pdf file of an issued report, checked against the SHA-256 recorded when it
    was issued (ChitraError when it is missing or was altered)."""
    from chitra.kernel.hashing import sha256_file
    from chitra.reports.services import reports_dir

    rel, sha = (
        (report.xlsx_path, report.xlsx_sha256)
        if fmt == "xlsx"
        else (report.pdf_path, report.pdf_sha256)
    )
    path = Path(reports_dir()) / rel
    if not path.is_file() or sha256_file(path) != sha:
        raise ChitraError(
            _("The file of report %(number)s is missing or was altered.")
            % {"number": report.number}
        )
    audit_record(actor, "export.issued_report", obj=report, after={"format": fmt})
    return StoredFile(path, path.name)
