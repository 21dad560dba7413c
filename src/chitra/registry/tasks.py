"""Background work of the registry (run by `chitra db_worker`)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from chitra.core.errors import render_issue
from chitra.core.jobs import Outcome, ProgressFn, job_task
from chitra.core.models import Job


@job_task()
def beneficiary_import_task(job: Job, progress: ProgressFn) -> Outcome:
    """The import applies every accepted row in one transaction: a stopped job applied
    nothing (core.jobs fails it; the user runs it again)."""
    from chitra.registry.services import beneficiary_import

    errors_out = Path(settings.CHITRA_UPLOAD_DIR) / f"job-{job.pk}-errors.xlsx"
    summary = beneficiary_import(
        actor=job.created_by,
        path=job.input_file,
        sheet=job.params.get("sheet") or None,
        dry_run=bool(job.params.get("dry_run")),
        errors_out=errors_out,
        progress=progress,
        source_name=job.input_name,
    )
    result = summary.as_dict()
    result["line"] = summary.line()
    result["problems"] = [render_issue(i) for r in summary.rejected_rows[:200] for i in r.issues]
    result["warnings_text"] = [render_issue(w) for w in summary.warnings[:200]]
    return Outcome(result, output_file=summary.error_file)
