"""Background work of the shared kernel: sealing the audit trail (ADR 0009)."""

from __future__ import annotations

from django_tasks import task


@task()
def audit_seal_task() -> dict:
    """Seal the events committed since the last run (enqueue it periodically, or run
    `chitra audit_seal` from cron: the runs take turns)."""
    from chitra.core.seal import audit_seal

    result = audit_seal()
    return {"sealed": result.sealed, "head_seq": result.head_seq, "head": result.head_hash}
