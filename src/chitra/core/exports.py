"""Exports: a list handed out as a file, audited where it is made.

Every app has an `exports.py` of functions `<entity>_export(*, actor, filters, ...)`: they read
through the app's selectors (scoped to `actor`), record the export in the audit trail and
return a `Workbook` (or a `StoredFile`); the views only turn that into a response. The audit
trail of the whole application (`audit_export`) and a job's error workbook
(`job_errors_export`) are exported from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core.audit import audit_record
from chitra.core.http import xlsx_response

if TYPE_CHECKING:
    from chitra.core.models import Job
    from chitra.iam.models import User


@dataclass(frozen=True)
class Workbook:
    """An xlsx workbook made in memory and the name it is downloaded under."""

    data: bytes
    filename: str

    def response(self) -> HttpResponse:
        return xlsx_response(self.data, self.filename)


@dataclass(frozen=True)
class StoredFile:
    """A file kept on disk (an error workbook, an issued report) and its download name."""

    path: Path
    filename: str

    def response(self) -> FileResponse:
        return FileResponse(self.path.open("rb"), as_attachment=True, filename=self.filename)


def audit_export(*, actor: User, filters: Mapping[str, Any], query: str = "") -> Workbook:
    """The audit events `actor` may read (`audit_search` with `filters`), at most 100,000;
    `query` (the page's query string) is what the audit trail records of the export."""
    from chitra.core.selectors import audit_search
    from chitra.engine.documents.lists import list_workbook

    qs = audit_search(actor, **filters)
    audit_record(actor, "export.audit", object_type="core.auditevent", object_repr=query)
    national = _("Nationwide")
    rows = ([timezone.localtime(e.at).strftime("%d/%m/%Y %H:%M:%S"), e.actor_username,
             e.organisation_name, str(e.province) if e.province_id else national,
             e.action, f"{e.object_type} #{e.object_id}", e.object_repr,
             str(e.before or ""), str(e.after or ""), e.reason]
            for e in qs[:100_000].iterator(chunk_size=5000))
    data = list_workbook(title=_("Audit trail"), headers=[
        _("Time"), _("User"), _("Organisation"), _("Province"), _("Action"), _("Object"),
        "", _("Before"), _("After"), _("Reason")], rows=rows)
    return Workbook(data, "nhat-ky.xlsx")


def job_errors_export(*, actor: User, job: Job) -> StoredFile:
    """The error workbook of an import job `actor` may see (404 when there is none)."""
    if not job.output_file or not Path(job.output_file).exists():
        raise Http404
    audit_record(actor, "export.job_errors", obj=job, reason=job.input_name)
    return StoredFile(Path(job.output_file), f"loi-nhap-{job.pk}.xlsx")
