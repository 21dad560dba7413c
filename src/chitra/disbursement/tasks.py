"""Long cycle work run by the task worker, with progress on the job page."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django_tasks import task

from chitra.core.errors import ChitraError, render_issue
from chitra.core.jobs import JobProgress, job_finish, job_start
from chitra.core.models import Job

log = logging.getLogger(__name__)


def _run(job_id: int, work: Any) -> dict:
    job = Job.objects.select_related("created_by").get(pk=job_id)
    job_start(job)
    try:
        result = work(job)
    except ChitraError as exc:
        from chitra.disbursement.results import ResultsRejected

        problems = ([render_issue(i) for i in exc.issues[:200]]
                    if isinstance(exc, ResultsRejected) else [])
        job_finish(job, ok=False, message=str(exc),
                   result={"cycle": job.params.get("cycle"), "problems": problems})
        return {"ok": False}
    except Exception:
        log.exception("cycle job %s failed", job.pk)
        job_finish(job, ok=False, message="Internal error; see the worker log.")
        raise
    job_finish(job, ok=True, result=result)
    return {"ok": True, **result}


@task()
def cycle_compute_task(job_id: int) -> dict:
    from chitra.disbursement.models import Cycle
    from chitra.disbursement.services import cycle_compute

    def work(job: Job) -> dict:
        cycle = cycle_compute(actor=job.created_by,
                              cycle=Cycle.objects.get(pk=job.params["cycle"]),
                              progress=JobProgress(job.pk))
        return {"cycle": cycle.pk, "line": f"{cycle.line_count:,} / {cycle.total_amount:,} VND"}

    return _run(job_id, work)


@task()
def cycle_release_task(job_id: int) -> dict:
    from chitra.disbursement.models import Cycle
    from chitra.disbursement.services import cycle_release

    def work(job: Job) -> dict:
        cycle = cycle_release(actor=job.created_by,
                              cycle=Cycle.objects.get(pk=job.params["cycle"]),
                              progress=JobProgress(job.pk))
        return {"cycle": cycle.pk}

    return _run(job_id, work)


@task()
def cycle_results_task(job_id: int) -> dict:
    from chitra.disbursement.models import Cycle
    from chitra.disbursement.results import results_import

    def work(job: Job) -> dict:
        out = results_import(actor=job.created_by,
                             cycle=Cycle.objects.get(pk=job.params["cycle"]),
                             path=Path(job.input_file), file_name=job.input_name)
        return {"cycle": job.params["cycle"], "already": out.already_applied,
                "paid": out.paid, "failed": out.failed, "unchanged": out.unchanged,
                "pending": out.pending, "reissued_cash": out.reissued_cash,
                "accounts_closed": out.accounts_closed, "suspended": out.suspended}

    return _run(job_id, work)
