from __future__ import annotations

from django_tasks import task

from chitra.core.jobs import ProgressFn, job_task
from chitra.core.models import Job


@job_task()
def verification_run_task(job: Job, progress: ProgressFn) -> dict:
    """The outcomes are applied in one transaction: a stopped run applied nothing (its run
    record is marked failed by `verification_run_stopped`)."""
    from chitra.verification.services import verification_run
    from chitra.verification.summary import summary_line

    run = verification_run(
        actor=job.created_by,
        province_code=job.params.get("province") or None,
        progress=progress,
        job_id=job.pk,
    )
    return {"run": run.pk, "line": summary_line(run.counts, run.total), **run.counts}


@task()
def proof_of_life_remind_task() -> dict:
    """Daily: notify the people whose proof of life is due soon or overdue (once per person
    and due date), as the system actor (the whole registry)."""
    from chitra.iam.services import system_actor
    from chitra.verification.proof_of_life import proof_of_life_remind

    return proof_of_life_remind(actor=system_actor())
