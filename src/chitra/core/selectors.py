"""Scoped reads of jobs (the audit trail's reads are iam's: `chitra.iam.selectors`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from chitra.core.models import Job

if TYPE_CHECKING:
    from chitra.iam.models import User


def job_list(actor: User) -> QuerySet[Job]:
    """The jobs a user may see: those they started (national users: all)."""
    qs = Job.objects.all()
    if not actor.is_national:
        qs = qs.filter(created_by=actor)
    return qs


def job_get(actor: User, pk: int | str) -> Job:
    """A job is visible to the user who started it (and national users)."""
    qs = job_list(actor)
    try:
        return qs.get(pk=pk)
    except (Job.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
