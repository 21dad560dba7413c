"""The monthly aggregates are computed by the task worker (pages never scan the registry)."""

from __future__ import annotations

import logging

from django_tasks import task

from chitra.core.errors import ChitraError
from chitra.core.jobs import JobProgress, job_finish, job_start
from chitra.core.models import Job

log = logging.getLogger(__name__)


@task()
def kpi_refresh_task(job_id: int) -> dict:
    from chitra.geo.models import Province
    from chitra.reports.services import kpi_refresh

    job = Job.objects.select_related("created_by").get(pk=job_id)
    job_start(job)
    try:
        rows = kpi_refresh(actor=job.created_by,
                           province=Province.objects.get(code=job.params["province"]),
                           progress=JobProgress(job.pk))
    except ChitraError as exc:
        job_finish(job, ok=False, message=str(exc))
        return {"ok": False}
    except Exception:
        log.exception("indicator refresh %s failed", job.pk)
        job_finish(job, ok=False, message="Internal error; see the worker log.")
        raise
    job_finish(job, ok=True, result={"line": f"{rows:,}", "dashboard": True})
    return {"ok": True, "rows": rows}
