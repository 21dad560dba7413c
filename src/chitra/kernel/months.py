"""Month arithmetic on dates: a payment month is a `date` on day 1 (pure: no Django)."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta

__all__ = [
    "add_months",
    "month_end",
    "month_start",
    "months_apart",
    "months_between",
    "months_range",
    "previous_month",
    "shift_months",
]


def month_start(day: date) -> date:
    """Day 1 of the month of `day`."""
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    """Day 1 of the month `n` months after the month of `month` (before it when negative)."""
    k = month.year * 12 + month.month - 1 + n
    return date(k // 12, k % 12 + 1, 1)


def previous_month(day: date) -> date:
    """Day 1 of the month before the month of `day`."""
    return add_months(day, -1)


def month_end(day: date) -> date:
    """The last day of the month of `day`."""
    return add_months(day, 1) - timedelta(days=1)


def shift_months(day: date, n: int) -> date:
    """The same day `n` months later (earlier when negative), the last day of the month when
    it has fewer days (29 February + 12 months = 28 February)."""
    first = add_months(day, n)
    last = calendar.monthrange(first.year, first.month)[1]
    return first.replace(day=min(day.day, last))


def months_apart(first: date, last: date) -> int:
    """How many months the month of `last` is after the month of `first` (negative when
    before): 1 from January to February."""
    return (last.year - first.year) * 12 + last.month - first.month


def months_between(first: date, last: date) -> int:
    """Months from the month of `first` to the month of `last`, both counted; 0 when `last`
    is in an earlier month."""
    return max(0, months_apart(first, last) + 1)


def months_range(first: date, last: date) -> Iterator[date]:
    """The months from `first` (day 1) to `last`, in order; nothing when `last` < `first`."""
    m = first
    while m <= last:
        yield m
        m = add_months(m, 1)
