"""Background work of the registry (run by `chitra db_worker`)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django_tasks import task

from chitra.core.errors import render_issue
from chitra.core.jobs import Outcome, ProgressFn, run_job
from chitra.core.models import Job


@task()
def beneficiary_import_task(job_id: int) -> dict:
    """The import applies every accepted row in one transaction: a stopped job applied
    nothing (core.jobs fails it; the user runs it again)."""
    from chitra.registry.services import beneficiary_import

    def work(job: Job, progress: ProgressFn) -> Outcome:
        errors_out = Path(settings.CHITRA_UPLOAD_DIR) / f"job-{job.pk}-errors.xlsx"
        summary = beneficiary_import(
            actor=job.created_by, path=job.input_file, sheet=job.params.get("sheet") or None,
            dry_run=bool(job.params.get("dry_run")), errors_out=errors_out,
            progress=progress, source_name=job.input_name,
        )
        result = summary.as_dict()
        result["line"] = summary.line()
        result["problems"] = [render_issue(i) for r in summary.rejected_rows[:200]
                              for i in r.issues]
        result["warnings_text"] = [render_issue(w) for w in summary.warnings[:200]]
        return Outcome(result, output_file=summary.error_file)

    return run_job(job_id, work)
