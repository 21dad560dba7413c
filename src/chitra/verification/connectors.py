"""The register connector chosen in settings (CHITRA_REGISTER_CONNECTOR): the local file
extract (DuckDB store) or the HTTP register API. Both verify with the same engine rules."""

from __future__ import annotations

from typing import Any, Protocol

import pyarrow as pa
from django.conf import settings


class Connector(Protocol):
    name: str

    def describe(self) -> str: ...

    def verify_batch(self, people: pa.Table) -> pa.Table: ...

    def lookup(self, ids: Any) -> dict[str, Any]: ...


class _Named:
    """Adds the name and description the run records to a register connector."""

    def __init__(self, name: str, inner: Any, description: str) -> None:
        self.name, self._inner, self._description = name, inner, description

    def describe(self) -> str:
        return self._description

    def verify_batch(self, people: pa.Table) -> pa.Table:
        return self._inner.verify_batch(people)  # type: ignore[no-any-return]

    def lookup(self, ids: Any) -> dict[str, Any]:
        return self._inner.lookup(ids)  # type: ignore[no-any-return]

    def changes_since(self, since: Any) -> list[Any]:
        return self._inner.changes_since(since)  # type: ignore[no-any-return]


def get_connector() -> _Named:
    kind = settings.CHITRA_REGISTER_CONNECTOR
    if kind == "http":
        from chitra.register.http_client import HttpRegisterConnector

        inner: Any = HttpRegisterConnector(
            settings.CHITRA_REGISTER_URL, sender_id=settings.CHITRA_REGISTER_SENDER_ID,
            timeout=settings.CHITRA_REGISTER_TIMEOUT)
        return _Named("http", inner, settings.CHITRA_REGISTER_URL)
    from chitra.core.errors import ChitraError
    from chitra.engine.register_store import store_info
    from chitra.register.connector import FileExtractConnector

    store = settings.CHITRA_REGISTER_STORE
    if not store.exists():
        raise ChitraError(
            f"No register extract is loaded ({store}); run `chitra register_load PATH` first.")
    info = store_info(store)
    return _Named("file", FileExtractConnector(store), str(info.get("loaded_at", "")))
