"""The register connector chosen in settings (CHITRA_REGISTER_CONNECTOR): the local file
extract (DuckDB store) or the HTTP register API. Both verify with the same engine rules."""

from __future__ import annotations

from typing import Any, Protocol

import pyarrow as pa
from django.conf import settings
from django.utils.translation import gettext as _

from chitra.core.errors import ChitraError
from chitra.register.connector import RegisterError, RegisterProtocolError, RegisterRejected


class Connector(Protocol):
    name: str

    def describe(self) -> str: ...

    def verify_batch(self, people: pa.Table) -> pa.Table: ...

    def lookup(self, ids: Any) -> dict[str, Any]: ...


class RegisterFailed(ChitraError):
    """The register could not answer (down, refusing, or answering garbage after the
    client's retries): one sentence for the user, the technical detail in it."""


def register_error_message(exc: RegisterError) -> str:
    detail = " ".join(str(exc).split())[:300]
    if isinstance(exc, RegisterProtocolError):
        return _(
            "The population register answered in a form that cannot be read, even after "
            "retrying (%(detail)s). Nothing was changed; try again later or tell the "
            "register's operator."
        ) % {"detail": detail}
    if isinstance(exc, RegisterRejected):
        return _(
            "The population register refused the request (%(detail)s). Nothing was changed."
        ) % {"detail": detail}
    return _(
        "The population register cannot be reached (%(detail)s). Nothing was changed; "
        "try again later."
    ) % {"detail": detail}


class _Named:
    """Adds the name and description the run records to a register connector, and turns its
    errors into RegisterFailed (a ChitraError: one clear line in commands and on job pages)."""

    def __init__(self, name: str, inner: Any, description: str) -> None:
        self.name, self._inner, self._description = name, inner, description

    def describe(self) -> str:
        return self._description

    def _ask(self, method: str, *args: Any) -> Any:
        try:
            return getattr(self._inner, method)(*args)
        except RegisterError as exc:
            raise RegisterFailed(register_error_message(exc)) from exc

    def verify_batch(self, people: pa.Table) -> pa.Table:
        return self._ask("verify_batch", people)  # type: ignore[no-any-return]

    def lookup(self, ids: Any) -> dict[str, Any]:
        return self._ask("lookup", ids)  # type: ignore[no-any-return]

    def changes_since(self, since: Any) -> list[Any]:
        return self._ask("changes_since", since)  # type: ignore[no-any-return]


def get_connector() -> _Named:
    kind = settings.CHITRA_REGISTER_CONNECTOR
    if kind == "http":
        from chitra.register.http_client import HttpRegisterConnector
        from chitra.verification.g2p_registry import register_verifier, sign

        current = settings.CHITRA_REGISTER_DIALECT == "g2p-1.0"
        # signed when chitra has a G2P key (or in development); a register that checks
        # signatures refuses unsigned messages with ERR err.signature.invalid
        signed = current and bool(
            settings.CHITRA_G2P_SIGNING_KEY or settings.DEBUG or settings.TESTING
        )
        inner: Any = HttpRegisterConnector(
            settings.CHITRA_REGISTER_URL,
            sender_id=settings.CHITRA_REGISTER_SENDER_ID,
            receiver_id=settings.CHITRA_REGISTER_ID,
            timeout=settings.CHITRA_REGISTER_TIMEOUT,
            dialect=settings.CHITRA_REGISTER_DIALECT,
            mode=settings.CHITRA_REGISTER_MODE,
            id_type=settings.CHITRA_REGISTER_ID_TYPE,
            signer=sign if signed else None,
            verifier=register_verifier() if current else None,
            callback_uri=settings.CHITRA_G2P_CALLBACK_URL if current else "",
        )
        return _Named("http", inner, settings.CHITRA_REGISTER_URL)
    from chitra.engine.register.store import store_info
    from chitra.register.connector import FileExtractConnector

    store = settings.CHITRA_REGISTER_STORE
    if not store.exists():
        raise ChitraError(
            f"No register extract is loaded ({store}); run `chitra register_load PATH` first."
        )
    info = store_info(store)
    return _Named("file", FileExtractConnector(store), str(info.get("loaded_at", "")))
