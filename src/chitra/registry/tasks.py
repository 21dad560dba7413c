"""Background work of the registry (run by `chitra db_worker`)."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django_tasks import task

from chitra.core.errors import ChitraError, render_issue
from chitra.core.jobs import JobProgress, job_finish, job_start
from chitra.core.models import Job

log = logging.getLogger(__name__)


@task()
def beneficiary_import_task(job_id: int) -> dict:
    from chitra.registry.services import beneficiary_import

    job = Job.objects.select_related("created_by").get(pk=job_id)
    job_start(job)
    errors_out = Path(settings.CHITRA_UPLOAD_DIR) / f"job-{job.pk}-errors.xlsx"
    try:
        summary = beneficiary_import(
            actor=job.created_by, path=job.input_file, sheet=job.params.get("sheet") or None,
            dry_run=bool(job.params.get("dry_run")), errors_out=errors_out,
            progress=JobProgress(job.pk), source_name=job.input_name,
        )
    except ChitraError as exc:
        job_finish(job, ok=False, message=str(exc))
        return {"ok": False}
    except Exception:
        log.exception("import job %s failed", job.pk)
        job_finish(job, ok=False, message="Internal error; see the worker log.")
        raise
    result = summary.as_dict()
    result["line"] = summary.line()
    result["problems"] = [render_issue(i) for r in summary.rejected_rows[:200] for i in r.issues]
    result["warnings_text"] = [render_issue(w) for w in summary.warnings[:200]]
    job_finish(job, ok=True, result=result, output_file=summary.error_file)
    return {"ok": True, **summary.as_dict()}
