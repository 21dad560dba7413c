"""Long cycle work run by the task worker, with progress on the job page.

Each step is one transaction (compute, release, results): a stopped job applied nothing and is
failed, never resumed unattended (core.jobs.KINDS); the user runs it again from the job page.
"""

from __future__ import annotations

from pathlib import Path

from chitra.core.errors import ChitraError, render_issue
from chitra.core.jobs import ProgressFn, job_task
from chitra.core.models import Job


def _on_error(job: Job, exc: ChitraError) -> dict:
    from chitra.disbursement.results import ResultsRejected

    problems = (
        [render_issue(i) for i in exc.issues[:200]] if isinstance(exc, ResultsRejected) else []
    )
    return {"cycle": job.params.get("cycle"), "problems": problems}


@job_task(on_error=_on_error)
def cycle_compute_task(job: Job, progress: ProgressFn) -> dict:
    from chitra.disbursement.models import Cycle
    from chitra.disbursement.services import cycle_compute

    cycle = cycle_compute(
        actor=job.created_by, cycle=Cycle.objects.get(pk=job.params["cycle"]), progress=progress
    )
    return {"cycle": cycle.pk, "line": f"{cycle.line_count:,} / {cycle.total_amount:,} VND"}


@job_task(on_error=_on_error)
def cycle_release_task(job: Job, progress: ProgressFn) -> dict:
    from chitra.disbursement.models import Cycle
    from chitra.disbursement.services import cycle_release

    cycle = cycle_release(
        actor=job.created_by, cycle=Cycle.objects.get(pk=job.params["cycle"]), progress=progress
    )
    return {"cycle": cycle.pk}


@job_task(on_error=_on_error)
def cycle_results_task(job: Job, progress: ProgressFn) -> dict:
    from chitra.disbursement.models import Cycle
    from chitra.disbursement.results import results_import

    out = results_import(
        actor=job.created_by,
        cycle=Cycle.objects.get(pk=job.params["cycle"]),
        path=Path(job.input_file),
        file_name=job.input_name,
        progress=progress,
    )
    return {
        "cycle": job.params["cycle"],
        "already": out.already_applied,
        "paid": out.paid,
        "failed": out.failed,
        "unchanged": out.unchanged,
        "pending": out.pending,
        "reissued_cash": out.reissued_cash,
        "accounts_closed": out.accounts_closed,
        "suspended": out.suspended,
    }


@job_task(on_error=_on_error)
def cycle_statement_task(job: Job, progress: ProgressFn) -> dict:
    from chitra.disbursement.models import Cycle
    from chitra.disbursement.statements import statement_import

    out = statement_import(
        actor=job.created_by,
        cycle=Cycle.objects.get(pk=job.params["cycle"]),
        path=Path(job.input_file),
        file_name=job.input_name,
        progress=progress,
    )
    return {
        "cycle": job.params["cycle"],
        "statement": out.statement.pk,
        "already": out.already_applied,
        "confirmed": out.confirmed,
        "returned": out.returned,
        "failed": out.failed,
        "unchanged": out.unchanged,
        "pending": out.pending,
        "unmatched": out.unmatched,
        "discrepancies": out.discrepancies,
        "reissued_cash": out.reissued_cash,
        "accounts_closed": out.accounts_closed,
        "suspended": out.suspended,
    }


@job_task(on_error=_on_error)
def batch_g2p_task(job: Job, progress: ProgressFn) -> dict:
    """Push a released batch to its provider by G2P Connect disburse, or ask its status. Not
    resumed after a stop: the provider tells a repeat by its reference_ids, and the user
    pushes again from the cycle page."""
    from chitra.disbursement import g2p
    from chitra.disbursement.models import Batch

    batch = Batch.objects.get(pk=job.params["batch"])
    progress("exchange", 0, 1)
    if job.params.get("what") == "status":
        sent = [g2p.status_poll(actor=job.created_by, batch=batch)]
    else:
        sent = g2p.batch_push(actor=job.created_by, batch=batch)
    progress("exchange", 1, 1)
    last = sent[-1]  # the last: ACK unless one was not taken
    return {
        "cycle": batch.cycle_id,
        "batch": batch.reference,
        "messages": len(sent),
        "accepted": sum(1 for m in sent if m.ack_status in ("ACK", "NACK")),
        "ack": last.ack_status,
        "error": last.error,
    }
