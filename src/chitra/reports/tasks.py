"""The monthly aggregates are computed by the task worker (pages never scan the registry)."""

from __future__ import annotations

import datetime as dt

from chitra.core.jobs import ProgressFn, job_task
from chitra.core.models import Job


@job_task()
def kpi_refresh_task(job: Job, progress: ProgressFn) -> dict:
    """Each month is computed whole in its own transaction: a stopped job is resumable (the
    sweep queues it again and every month is computed again)."""
    from chitra.geo.models import Province
    from chitra.reports.services import kpi_refresh

    months = [dt.date(int(m[:4]), int(m[5:7]), 1) for m in job.params.get("months", [])]
    rows = kpi_refresh(
        actor=job.created_by,
        province=Province.objects.get(code=job.params["province"]),
        months=months or None,
        progress=progress,
    )
    return {"line": f"{rows:,}", "dashboard": True, "rows": rows}
