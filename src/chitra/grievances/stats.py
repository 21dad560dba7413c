"""Counts over a ticket queryset the caller has already scoped (not reads for a user: the
selector `deadline_stats` gives those of the tickets a user sees)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from chitra.grievances.models import ACTIVE_STATUSES, DONE_STATUSES, Ticket


def deadline_counts(
    qs: QuerySet[Ticket],
    *,
    start: dt.date,
    end: dt.date,
    today: dt.date | None = None,
) -> dict[str, int]:
    """Complaint deadlines met, for the tickets due from `start` to `end` (both included).

    - `due`: tickets due in the period whose outcome is known: answered (resolved, not founded
      or closed), or still open after their due date. A ticket still open before its due date
      is not counted yet (it may still be answered in time);
    - `met`: of those, answered on or before the due date (local date);
    - `open_overdue`: of those, still open after the due date.

    The KPI "complaint deadlines met" is met / due. Computed in the database (one query).
    `qs`: tickets the caller already scoped (`selectors.deadline_stats` gives a user's)."""
    today = today or timezone.localdate()
    done = Q(status__in=DONE_STATUSES)
    late_open = Q(status__in=ACTIVE_STATUSES, due_date__lt=today)
    agg = qs.filter(due_date__gte=start, due_date__lte=end).aggregate(
        due=Count("id", filter=done | late_open),
        met=Count("id", filter=done & Q(resolved_at__date__lte=F("due_date"))),
        open_overdue=Count("id", filter=late_open),
    )
    return {k: int(agg[k] or 0) for k in ("due", "met", "open_overdue")}
