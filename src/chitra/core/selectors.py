"""Scoped reads of the audit trail and of jobs."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from chitra.core.models import AuditEvent, Job
from chitra.iam.access import Perm, has_perm

if TYPE_CHECKING:
    from chitra.iam.models import User


def audit_search(
    actor: User,
    *,
    q: str = "",
    action: str = "",
    username: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    province: str = "",
) -> QuerySet[AuditEvent]:
    """Audit events an administrator may read, by the province each event concerns
    (`AuditEvent.province`, see `core.audit`): national users all; the provincial BHXH (which
    leads the plan) every event of its province, whoever wrote it (its agencies, the system
    actor, national users), and nothing of another province or of none; any other agency the
    events of its own staff in its province. `province` (a code) narrows further; it never
    widens."""
    from chitra.iam.models import OrgKind

    qs = AuditEvent.objects.select_related("province")
    if not has_perm(actor, Perm.AUDIT_VIEW):
        return qs.none()
    if not actor.is_national:
        org = actor.organisation
        if org is None or actor.area_province_id is None:
            return qs.none()
        qs = qs.filter(province_id=actor.area_province_id)
        if org.kind != OrgKind.BHXH_PROVINCE:
            qs = qs.filter(organisation_id=org.pk)
    if province:
        qs = qs.filter(province__code=province)
    if q:
        qs = qs.filter(Q(object_repr__icontains=q) | Q(reason__icontains=q)
                       | Q(object_id=q))
    if action:
        qs = qs.filter(action__startswith=action)
    if username:
        qs = qs.filter(actor_username=username)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs.order_by("-at", "-id")


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
