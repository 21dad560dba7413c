from __future__ import annotations

import logging

from django_tasks import task

from chitra.core.errors import ChitraError
from chitra.core.jobs import JobProgress, job_finish, job_start
from chitra.core.models import Job

log = logging.getLogger(__name__)


@task()
def verification_run_task(job_id: int) -> dict:
    from chitra.verification.services import verification_run
    from chitra.verification.summary import summary_line

    job = Job.objects.select_related("created_by").get(pk=job_id)
    job_start(job)
    try:
        run = verification_run(actor=job.created_by,
                               province_code=job.params.get("province") or None,
                               progress=JobProgress(job.pk), job_id=job.pk)
    except ChitraError as exc:
        job_finish(job, ok=False, message=str(exc))
        return {"ok": False}
    except Exception:
        log.exception("verification job %s failed", job.pk)
        job_finish(job, ok=False, message="Internal error; see the worker log.")
        raise
    result = {"run": run.pk, "line": summary_line(run.counts, run.total), **run.counts}
    job_finish(job, ok=True, result=result)
    return {"ok": True, **result}
