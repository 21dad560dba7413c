"""Pagination that never counts the whole table: fetch one row more than a page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: list[T]
    number: int
    size: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.size + len(self.items)


def paginate(qs: QuerySet[Any], page: Any, size: int = 50, max_page: int = 10_000) -> Page[Any]:
    try:
        number = max(1, min(int(page), max_page))
    except (TypeError, ValueError):
        number = 1
    offset = (number - 1) * size
    rows = list(qs[offset : offset + size + 1])
    return Page(items=rows[:size], number=number, size=size, has_next=len(rows) > size)
