"""Who may do what with the shared objects of `core`: jobs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chitra.core.models import Job
from chitra.core.ports import has_perm

if TYPE_CHECKING:
    from chitra.iam.models import User


def can_rerun(actor: User, job: Job) -> bool:
    """A failed job is run again by the user who started it, while they may still start it."""
    from chitra.core.jobs import KINDS

    kind = KINDS.get(job.kind)
    return (
        job.status == Job.Status.FAILED
        and kind is not None
        and job.created_by_id == actor.pk
        and any(has_perm.get()(actor, p) for p in kind.perms)
    )
