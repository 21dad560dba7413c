"""Month arithmetic of the kernel against plain day-by-day reckoning."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chitra.kernel import months as m

days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))
shifts = st.integers(min_value=-600, max_value=600)


def _walk(first: dt.date, n: int) -> dt.date:
    """Day 1 of the month n months away, one month at a time through day arithmetic."""
    day = first.replace(day=1)
    for _ in range(abs(n)):
        day = (day + dt.timedelta(days=32)) if n > 0 else (day - dt.timedelta(days=1))
        day = day.replace(day=1)
    return day


@given(days, st.integers(min_value=-30, max_value=30))
def test_add_months_walks_month_by_month(day, n):
    assert m.add_months(day, n) == _walk(day, n)
    assert m.months_apart(day, m.add_months(day, n)) == n


@given(days, shifts)
def test_shift_months_keeps_the_day_or_the_month_end(day, n):
    got = m.shift_months(day, n)
    assert got.replace(day=1) == m.add_months(day, n)
    assert got.day == min(day.day, m.month_end(got).day)


@given(days, days)
def test_months_between_and_range(a, b):
    first = m.month_start(a)
    assert m.months_between(a, b) == len(list(m.months_range(first, b)))
    assert m.months_between(a, b) == max(0, m.months_apart(a, b) + 1)


@pytest.mark.parametrize(
    ("day", "n", "want"),
    [
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2024, 3, 31), -1, dt.date(2024, 2, 29)),
        (dt.date(2024, 12, 15), 1, dt.date(2025, 1, 15)),
    ],
)
def test_shift_months_examples(day, n, want):
    assert m.shift_months(day, n) == want


def test_examples():
    assert m.add_months(dt.date(2024, 12, 1), 1) == dt.date(2025, 1, 1)
    assert m.add_months(dt.date(2025, 1, 20), -1) == dt.date(2024, 12, 1)
    assert m.previous_month(dt.date(2025, 3, 9)) == dt.date(2025, 2, 1)
    assert m.month_end(dt.date(2024, 2, 3)) == dt.date(2024, 2, 29)
    assert m.months_between(dt.date(2025, 1, 1), dt.date(2025, 3, 1)) == 3
    assert m.months_between(dt.date(2025, 3, 1), dt.date(2025, 1, 1)) == 0
    assert m.months_apart(dt.date(2025, 3, 1), dt.date(2025, 1, 31)) == -2
    assert list(m.months_range(dt.date(2025, 11, 1), dt.date(2026, 1, 1))) == [
        dt.date(2025, 11, 1),
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
    ]
