"""Ports: an answer a lower layer needs from a higher app, registered at app ready.

A lower layer never imports a higher one (the contracts in ``.importlinter``). Where it needs
what only a higher app knows (the system actor that iam keeps, the first open payment month
that disbursement decides), it declares a :class:`Port` and the higher app registers the
implementation in its ``AppConfig.ready()``, as each model registers its area with
``chitra.core.scopes.register_scope``. Asking a port that nobody registered is a programming
error (``LookupError``), never a silent default.

The ports core itself asks are here; an app's own ports live in its ``ports.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from chitra.core.perms import Perm

T = TypeVar("T")


class Port(Generic[T]):
    """One named answer (usually a function), given by exactly one higher app."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._impl: T | None = None

    def register(self, impl: T) -> T:
        self._impl = impl
        return impl

    def get(self) -> T:
        if self._impl is None:
            raise LookupError(f"port {self.name!r}: no app registered an answer")
        return self._impl


#: the actor of commands and jobs run without a user (iam.services.system_actor)
system_actor: Port[Callable[[], Any]] = Port("system_actor")
#: the user named on a command line, or the system actor (iam.services.resolve_actor)
resolve_actor: Port[Callable[[str | None], Any]] = Port("resolve_actor")
#: may this actor do this? (iam.access.has_perm)
has_perm: Port[Callable[[Any, Perm], bool]] = Port("has_perm")
#: the same, raising PermissionDenied when not (iam.access.require_perm)
require_perm: Port[Callable[[Any, Perm], None]] = Port("require_perm")
