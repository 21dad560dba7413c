"""Exports: a list handed out as a file, audited where it is made.

Every app has an `exports.py` of functions `<entity>_export(*, actor, filters, ...)`: they read
through the app's selectors (scoped to `actor`), record the export in the audit trail and
return a `Workbook` (or a `StoredFile`); the views only turn that into a response. A job's error
workbook (`job_errors_export`) is exported from here; the audit trail from `chitra.iam.exports`
(its reads are scoped by iam).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.http import FileResponse, Http404, HttpResponse

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


def job_errors_export(*, actor: User, job: Job) -> StoredFile:
    """The error workbook of an import job `actor` may see (404 when there is none)."""
    if not job.output_file or not Path(job.output_file).exists():
        raise Http404
    audit_record(actor, "export.job_errors", obj=job, reason=job.input_name)
    return StoredFile(Path(job.output_file), f"loi-nhap-{job.pk}.xlsx")
