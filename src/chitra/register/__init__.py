"""Connectors to the National Population Register (no Django here).

* :mod:`chitra.register.connector` - the :class:`RegisterConnector` protocol, the values, the
  errors, the DuckDB-extract and in-memory connectors;
* :mod:`chitra.register.http_client` - the G2P Connect sync-search HTTP client;
* :mod:`chitra.demo.register_simulator` - an HTTP register simulator with fault injection.
"""

from __future__ import annotations

from chitra.register.connector import (
    FileExtractConnector,
    InMemoryConnector,
    RegisterChange,
    RegisterConnector,
    RegisterError,
    RegisterPerson,
    RegisterProtocolError,
    RegisterRejected,
    RegisterUnavailable,
    Rejection,
)
from chitra.register.http_client import HttpRegisterConnector, SearchResult

__all__ = [
    "FileExtractConnector",
    "HttpRegisterConnector",
    "InMemoryConnector",
    "RegisterChange",
    "RegisterConnector",
    "RegisterError",
    "RegisterPerson",
    "RegisterProtocolError",
    "RegisterRejected",
    "RegisterUnavailable",
    "Rejection",
    "SearchResult",
]
