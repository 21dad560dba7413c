"""Connectors to the National Population Register (no Django here).

* :mod:`chitra.register.connector` - the :class:`RegisterConnector` protocol, the values, the
  errors, the DuckDB-extract and in-memory connectors;
* :mod:`chitra.register.http_client` - the G2P Connect sync-search HTTP client.

The HTTP register simulator with fault injection that the tests and the demo run is
:mod:`chitra.demo.register_simulator` (the demo layer: production code never imports it).
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
