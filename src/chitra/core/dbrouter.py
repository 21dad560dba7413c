"""While `chitra migrate` runs as the owner (database alias "owner"), every ORM read and write
goes to that connection, also in data migrations written for the default one
(`Model.objects...` without `.using()`, ours and third parties'): a second connection would
not see the migration's uncommitted tables (PostgreSQL) or would wait for its lock (SQLite).
Otherwise it routes nothing (Django's default: the "default" alias)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

_alias: str | None = None


@contextlib.contextmanager
def all_queries_to(alias: str) -> Iterator[None]:
    global _alias
    previous, _alias = _alias, alias
    try:
        yield
    finally:
        _alias = previous


class MigrationRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return _alias

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return _alias
