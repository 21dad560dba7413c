"""A population-register simulator: a real HTTP server answering the G2P Connect sync search API
(and our ``/registry/changes`` extension) from a register store, with switchable faults.

Endpoints
---------
``POST /registry/sync/search``
    G2P Connect sync search (see :mod:`chitra.register.http_client` for the message shapes).
    Answers ``idtype-value`` queries whose ``query.type`` is ``NID`` or ``personal_id``. Per item:
    ``succ`` with one record, ``succ`` with no record (unknown ID), or ``rjct`` with
    ``rjct.reference_id.invalid`` / ``rjct.reference_id.duplicate`` / ``rjct.timestamp.invalid`` /
    ``rjct.search_criteria.invalid``. Message level (header ``status`` ``rjct``):
    ``rjct.action.invalid``, ``rjct.total_count.invalid``, ``rjct.total_count.limit_exceeded``.
    A body that is not a JSON envelope gets HTTP 400 with ``{"errors": [{"code", "message"}]}``.
``GET /registry/changes?since=<ISO 8601>&limit=<n>&cursor=<opaque>``
    Our extension: ``{"changes": [...], "next_cursor": <string or null>}``.
``GET /health``
    ``{"status": "ok", ...}``; never subject to faults.
``GET /_faults`` / ``POST /_faults``
    Read / change the faults at run time. ``POST`` takes a JSON object of :class:`Faults` fields
    and changes only those (``{"reset": true, ...}`` starts from no faults); it answers the
    faults now in force. ``GET /_stats`` answers request counters.

Faults apply to ``/registry/*`` only, in this order: the deterministic counters
(``fail_next`` requests answer ``status_code``, then ``timeout_next`` requests hang, then
``malformed_next`` requests answer a body that is not JSON), else one draw of a seeded RNG
against ``timeout_rate``, ``error_rate`` and ``malformed_rate``; then ``latency_ms`` is added to
every answer. A *hang* sleeps ``hang_ms`` (make it longer than the client's time-out) and then
answers 504. Error answers carry ``Retry-After`` when ``retry_after`` is set. A malformed answer
is, by ``malformed_kind``: ``not_json`` (an HTML page, HTTP 200), ``wrong_shape`` (JSON without
the protocol's lists) or ``wrong_ids`` (a well-formed answer about IDs that were not asked).

The simulator is a test tool: it binds 127.0.0.1 by default and ``/_faults`` has no
authentication. Servers: stdlib ``wsgiref`` with ``socketserver.ThreadingMixIn`` (one thread per
connection). No Django.
"""

from __future__ import annotations

import json
import random
import socketserver
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from chitra.register.connector import RegisterChange, RegisterPerson
from chitra.register.http_client import (
    CHANGES_PATH,
    HEALTH_PATH,
    ID_TYPES,
    PROTOCOL_VERSION,
    RECORD_TYPE,
    REG_TYPE,
    SEARCH_PATH,
    change_to_json,
    person_to_record,
    utc_now_iso,
)

__all__ = [
    "Faults",
    "RegisterSimulator",
    "RegisterSource",
    "SimulatorServer",
    "make_app",
    "serve",
    "start",
]

StartResponse = Callable[..., Any]
Environ = dict[str, Any]

MAX_BODY = 16 * 1024 * 1024
MALFORMED_KINDS = ("not_json", "wrong_shape", "wrong_ids")
DEFAULT_MAX_BATCH = 1000
MAX_CHANGES_PAGE = 5000


class RegisterSource(Protocol):
    """What the simulator reads: a connector's ``lookup`` and ``changes_since``."""

    def lookup(self, ids: list[str]) -> Mapping[str, RegisterPerson]: ...

    def changes_since(self, since: datetime) -> Iterable[RegisterChange]: ...


@dataclass(frozen=True)
class Faults:
    """Faults of the simulated register (see the module docstring for the order they apply in).

    Rates are probabilities in [0, 1]; ``seed`` makes the draws reproducible.
    """

    latency_ms: int = 0
    error_rate: float = 0.0
    timeout_rate: float = 0.0
    malformed_rate: float = 0.0
    status_code: int = 503
    retry_after: float | None = None
    hang_ms: int = 10_000
    fail_next: int = 0
    timeout_next: int = 0
    malformed_next: int = 0
    malformed_kind: str = "not_json"
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.malformed_kind not in MALFORMED_KINDS:
            raise ValueError(f"malformed_kind must be one of {', '.join(MALFORMED_KINDS)}")
        for name in ("error_rate", "timeout_rate", "malformed_rate"):
            v = getattr(self, name)
            if not 0.0 <= v <= 1.0:
                raise ValueError(f"{name} must be within [0, 1]")
        for name in ("latency_ms", "hang_ms", "fail_next", "timeout_next", "malformed_next"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")
        if not 100 <= self.status_code <= 599:
            raise ValueError("status_code must be an HTTP status")
        if self.retry_after is not None and self.retry_after < 0:
            raise ValueError("retry_after must be >= 0")

    @classmethod
    def from_json(cls, obj: Mapping[str, Any], base: Faults | None = None) -> Faults:
        """``base`` with the fields given in ``obj`` changed (``reset`` drops ``base``)."""
        known = {f.name: f for f in fields(cls)}
        unknown = set(obj) - set(known) - {"reset"}
        if unknown:
            raise ValueError(f"unknown fault field(s): {', '.join(sorted(unknown))}")
        start = cls() if base is None or obj.get("reset") else base
        changes: dict[str, Any] = {}
        for name, value in obj.items():
            if name == "reset":
                continue
            if value is None and name in ("retry_after", "seed"):
                changes[name] = None
            elif name == "malformed_kind":
                changes[name] = str(value)
            elif name in ("error_rate", "timeout_rate", "malformed_rate", "retry_after"):
                changes[name] = float(value)
            else:
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise ValueError(f"{name} must be a number")
                changes[name] = int(value)
        return replace(start, **changes)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _json_response(
    start_response: StartResponse,
    status: int,
    body: Any,
    headers: Iterable[tuple[str, str]] = (),
) -> list[bytes]:
    data = json.dumps(body, ensure_ascii=False).encode()
    start_response(
        f"{status} {_REASONS.get(status, 'Status')}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(data))), *headers],
    )
    return [data]


_REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def _http_error(start_response: StartResponse, status: int, code: str, message: str) -> list[bytes]:
    return _json_response(start_response, status, {"errors": [{"code": code, "message": message}]})


class RegisterSimulator:
    """The WSGI application (``make_app`` builds one). Thread-safe."""

    def __init__(
        self,
        source: RegisterSource,
        faults: Faults | None = None,
        *,
        receiver_id: str = "population-register",
        max_batch: int = DEFAULT_MAX_BATCH,
        store_label: str = "",
    ) -> None:
        self.source = source
        self.receiver_id = receiver_id
        self.max_batch = max_batch
        self.store_label = store_label
        self._lock = threading.Lock()
        self._faults = faults or Faults()
        self._rng = random.Random(self._faults.seed)
        self._stats: Counter[str] = Counter()
        self.stopping = threading.Event()

    # -- faults and stats -----------------------------------------------------------------------

    @property
    def faults(self) -> Faults:
        with self._lock:
            return self._faults

    def set_faults(self, faults: Faults) -> None:
        with self._lock:
            if faults.seed is not None and faults.seed != self._faults.seed:
                self._rng = random.Random(faults.seed)
            self._faults = faults

    def update_faults(self, patch: Mapping[str, Any]) -> Faults:
        with self._lock:
            new = Faults.from_json(patch, self._faults)
            if "seed" in patch or patch.get("reset"):
                self._rng = random.Random(new.seed)
            self._faults = new
            return new

    @property
    def stats(self) -> dict[str, int]:
        with self._lock:
            return dict(self._stats)

    def reset_stats(self) -> None:
        with self._lock:
            self._stats.clear()

    def _count(self, *keys: str, n: int = 1) -> None:
        with self._lock:
            for k in keys:
                self._stats[k] += n

    def _draw_fault(self) -> tuple[str | None, Faults]:
        """Decide this request's fault: None, "error", "hang" or "malformed"."""
        with self._lock:
            f = self._faults
            if f.fail_next:
                self._faults = replace(f, fail_next=f.fail_next - 1)
                return "error", f
            if f.timeout_next:
                self._faults = replace(f, timeout_next=f.timeout_next - 1)
                return "hang", f
            if f.malformed_next:
                self._faults = replace(f, malformed_next=f.malformed_next - 1)
                return "malformed", f
            if f.timeout_rate or f.error_rate or f.malformed_rate:
                r = self._rng.random()
                if r < f.timeout_rate:
                    return "hang", f
                if r < f.timeout_rate + f.error_rate:
                    return "error", f
                if r < f.timeout_rate + f.error_rate + f.malformed_rate:
                    return "malformed", f
            return None, f

    # -- WSGI -----------------------------------------------------------------------------------

    def __call__(self, environ: Environ, start_response: StartResponse) -> list[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/")
        self._count("requests", f"{method} {path}")
        if path == HEALTH_PATH:
            return _json_response(
                start_response,
                200,
                {
                    "status": "ok",
                    "store": self.store_label,
                    "faults": self.faults.to_json(),
                },
            )
        if path == "/_faults":
            return self._faults_endpoint(environ, start_response, method)
        if path == "/_stats":
            return _json_response(start_response, 200, self.stats)
        if path == SEARCH_PATH:
            if method != "POST":
                return _http_error(start_response, 405, "method.not_allowed", "use POST")
            return self._with_faults(environ, start_response, self._search)
        if path == CHANGES_PATH:
            if method != "GET":
                return _http_error(start_response, 405, "method.not_allowed", "use GET")
            return self._with_faults(environ, start_response, self._changes)
        return _http_error(start_response, 404, "path.not_found", f"no endpoint {path}")

    def _with_faults(
        self,
        environ: Environ,
        start_response: StartResponse,
        handler: Callable[[Environ, StartResponse], list[bytes]],
    ) -> list[bytes]:
        fault, f = self._draw_fault()
        if f.latency_ms:
            self.stopping.wait(f.latency_ms / 1000)
        retry = [("Retry-After", f"{f.retry_after:g}")] if f.retry_after is not None else []
        if fault == "error":
            self._count("fault.error")
            return _json_response(
                start_response,
                f.status_code,
                {
                    "errors": [
                        {"code": f"simulated.{f.status_code}", "message": "simulated fault"}
                    ],
                },
                retry,
            )
        if fault == "hang":
            self._count("fault.hang")
            self.stopping.wait(f.hang_ms / 1000)
            return _http_error(start_response, 504, "simulated.timeout", "simulated hang")
        if fault == "malformed":
            self._count("fault.malformed")
            return self._malformed(environ, start_response, f.malformed_kind)
        return handler(environ, start_response)

    def _malformed(self, environ: Environ, start_response: StartResponse, kind: str) -> list[bytes]:
        if kind == "not_json":
            data = b"<html>upstream proxy error</html>"
            start_response(
                "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
            )
            return [data]
        if environ.get("PATH_INFO") == CHANGES_PATH:
            return _json_response(start_response, 200, {"changes": "later", "next_cursor": 7})
        if kind == "wrong_shape":
            return _json_response(
                start_response,
                200,
                {"header": {"status": "succ"}, "message": {"search_response": {"n": 1}}},
            )
        try:
            asked = json.loads(_read_body(environ)).get("message", {})
        except (ValueError, AttributeError, _TooLarge):
            asked = {}
        return _json_response(
            start_response,
            200,
            {  # about IDs nobody asked for
                "header": {"action": "on-search", "status": "succ"},
                "message": {
                    "transaction_id": asked.get("transaction_id"),
                    "search_response": [
                        {
                            "reference_id": "not-asked",
                            "status": "succ",
                            "data": {
                                "reg_records": [
                                    {"identifier": "099999999999", "name": {"full_name": "X"}}
                                ]
                            },
                        }
                    ],
                },
            },
        )

    def _faults_endpoint(
        self, environ: Environ, start_response: StartResponse, method: str
    ) -> list[bytes]:
        if method == "GET":
            return _json_response(start_response, 200, self.faults.to_json())
        if method != "POST":
            return _http_error(start_response, 405, "method.not_allowed", "use GET or POST")
        try:
            patch = json.loads(_read_body(environ) or b"{}")
            if not isinstance(patch, dict):
                raise ValueError("a JSON object is expected")
            faults = self.update_faults(patch)
        except (ValueError, TypeError) as e:
            return _http_error(start_response, 400, "faults.invalid", str(e))
        return _json_response(start_response, 200, faults.to_json())

    # -- search ---------------------------------------------------------------------------------

    def _search(self, environ: Environ, start_response: StartResponse) -> list[bytes]:
        try:
            body = json.loads(_read_body(environ))
        except ValueError as e:
            return _http_error(start_response, 400, "rjct.request.invalid", f"not JSON: {e}")
        except _TooLarge:
            return _http_error(start_response, 413, "rjct.request.too_large", "body too large")
        header = body.get("header") if isinstance(body, dict) else None
        message = body.get("message") if isinstance(body, dict) else None
        if not isinstance(header, dict) or not isinstance(message, dict):
            return _http_error(
                start_response,
                400,
                "rjct.request.invalid",
                "a G2P Connect envelope {header, message} is expected",
            )
        items = message.get("search_request")
        sender = str(header.get("sender_id") or "")

        def answer(status: str, code: str | None, msg: str, responses: list[Any]) -> list[bytes]:
            return self._answer(
                start_response, message, items, sender, status, code, msg, responses
            )

        problem = self._batch_problem(header, items)
        if problem is not None:
            return answer("rjct", problem[0], problem[1], [])
        assert isinstance(items, list)  # _batch_problem refuses anything else
        self._count("search.items", n=len(items))
        return answer("succ", None, "", self._responses(items))

    def _answer(
        self,
        start_response: StartResponse,
        message: dict[str, Any],
        items: Any,
        sender: str,
        status: str,
        code: str | None,
        msg: str,
        responses: list[Any],
    ) -> list[bytes]:
        """The on-search envelope of an answer."""
        resp_header: dict[str, Any] = {
            "version": PROTOCOL_VERSION,
            "message_id": str(uuid.uuid4()),
            "message_ts": utc_now_iso(),
            "action": "on-search",
            "status": status,
            "total_count": len(items) if isinstance(items, list) else 0,
            "completed_count": len(responses),
            "sender_id": self.receiver_id,
            "receiver_id": sender,
            "is_msg_encrypted": False,
        }
        if code:
            resp_header["status_reason_code"] = code
            resp_header["status_reason_message"] = msg
        return _json_response(
            start_response,
            200,
            {
                "signature": "",
                "header": resp_header,
                "message": {
                    "transaction_id": message.get("transaction_id"),
                    "correlation_id": str(uuid.uuid4()),
                    "search_response": responses,
                },
            },
        )

    def _batch_problem(self, header: dict[str, Any], items: Any) -> tuple[str, str] | None:
        """(reason code, message) refusing the whole batch, or None."""
        if header.get("action") != "search":
            return ("rjct.action.invalid", "action must be 'search'")
        if not isinstance(items, list):
            return ("rjct.search_criteria.invalid", "message.search_request must be a list")
        if header.get("total_count") not in (None, len(items)):
            return (
                "rjct.total_count.invalid",
                "total_count differs from the number of search_request items",
            )
        if len(items) > self.max_batch:
            return (
                "rjct.total_count.limit_exceeded",
                f"at most {self.max_batch} search_request items per message",
            )
        return None

    def _responses(self, items: list[Any]) -> list[dict[str, Any]]:
        """One search response per item: a rejection, or the record found (or none)."""
        now = utc_now_iso()
        plan: list[tuple[Any, str | None, str | None]] = []  # (reference_id, pid, reject code)
        seen: set[str] = set()
        for item in items:
            ref = item.get("reference_id") if isinstance(item, dict) else None
            code = _item_problem(item, ref, seen)
            if isinstance(ref, str):
                seen.add(ref)
            pid = None if code else item["search_criteria"]["query"]["value"]
            plan.append((ref, pid, code))
        wanted = [pid for _, pid, _ in plan if pid is not None]
        found = self.source.lookup(list(dict.fromkeys(wanted))) if wanted else {}
        responses: list[dict[str, Any]] = []
        for ref, pid, code in plan:
            if code is not None:
                responses.append(
                    {
                        "reference_id": ref,
                        "timestamp": now,
                        "status": "rjct",
                        "status_reason_code": code,
                        "status_reason_message": _REJECT_TEXT[code],
                    }
                )
                continue
            person = found.get(pid) if pid is not None else None
            records = [person_to_record(person)] if person is not None else []
            self._count("search.found" if records else "search.not_found")
            responses.append(
                {
                    "reference_id": ref,
                    "timestamp": now,
                    "status": "succ",
                    "data": {
                        "version": PROTOCOL_VERSION,
                        "reg_type": REG_TYPE,
                        "reg_record_type": RECORD_TYPE,
                        "reg_records": records,
                    },
                    "pagination": {"page_size": 1, "page_number": 1, "total_count": len(records)},
                    "locale": "vi",
                }
            )
        return responses

    # -- changes --------------------------------------------------------------------------------

    def _changes(self, environ: Environ, start_response: StartResponse) -> list[bytes]:
        q = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        raw_since = (q.get("since") or [""])[0]
        try:
            since = datetime.fromisoformat(raw_since)
        except ValueError:
            return _http_error(
                start_response, 400, "rjct.since.invalid", "since must be an ISO 8601 date-time"
            )
        try:
            limit = int((q.get("limit") or ["1000"])[0])
            offset = int((q.get("cursor") or ["0"])[0] or 0)
            if limit < 1 or offset < 0:
                raise ValueError
        except ValueError:
            return _http_error(
                start_response,
                400,
                "rjct.pagination.invalid",
                "limit must be >= 1 and cursor one this server gave",
            )
        limit = min(limit, MAX_CHANGES_PAGE)
        changes = sorted(
            self.source.changes_since(since),
            key=lambda c: (c.detected_at, c.personal_id, c.kind),
        )
        page = changes[offset : offset + limit]
        nxt = offset + len(page)
        self._count("changes.pages")
        return _json_response(
            start_response,
            200,
            {
                "changes": [change_to_json(c) for c in page],
                "next_cursor": str(nxt) if nxt < len(changes) else None,
            },
        )


_REJECT_TEXT = {
    "rjct.reference_id.invalid": "reference_id must be a non-empty string",
    "rjct.reference_id.duplicate": "reference_id repeats in this message",
    "rjct.timestamp.invalid": "timestamp must be an ISO 8601 date-time",
    "rjct.search_criteria.invalid": (
        "search_criteria must be an idtype-value query of type NID with a non-empty value"
    ),
}


def _item_problem(item: object, ref: object, seen: set[str]) -> str | None:
    if not isinstance(item, dict) or not isinstance(ref, str) or not ref:
        return "rjct.reference_id.invalid"
    if ref in seen:
        return "rjct.reference_id.duplicate"
    ts = item.get("timestamp")
    try:
        datetime.fromisoformat(str(ts))
    except ValueError:
        return "rjct.timestamp.invalid"
    crit = item.get("search_criteria")
    query = crit.get("query") if isinstance(crit, dict) else None
    if (
        not isinstance(crit, dict)
        or crit.get("query_type") != "idtype-value"
        or not isinstance(query, dict)
        or query.get("type") not in ID_TYPES
        or not isinstance(query.get("value"), str)
        or not query["value"].strip()
    ):
        return "rjct.search_criteria.invalid"
    return None


class _TooLarge(Exception):
    pass


def _read_body(environ: Environ) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
        raise _TooLarge
    data: bytes = environ["wsgi.input"].read(length) if length > 0 else b""
    return data


# --------------------------------------------------------------------------------------------
# Building and serving


def make_app(
    store_path: str | Path | None,
    faults: Faults | None = None,
    *,
    source: RegisterSource | None = None,
    receiver_id: str = "population-register",
    max_batch: int = DEFAULT_MAX_BATCH,
) -> RegisterSimulator:
    """A WSGI app answering from the register store at ``store_path`` (a
    :class:`~chitra.register.connector.FileExtractConnector`), or from ``source`` when given."""
    if source is None:
        if store_path is None:
            raise ValueError("give store_path or source")
        from chitra.register.connector import FileExtractConnector

        source = FileExtractConnector(store_path)
    label = str(store_path) if store_path is not None else type(source).__name__
    return RegisterSimulator(
        source, faults, receiver_id=receiver_id, max_batch=max_batch, store_label=label
    )


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class SimulatorServer:
    """A running simulator (a thread serving real sockets). Use as a context manager or call
    :meth:`stop`."""

    def __init__(
        self, app: RegisterSimulator, host: str = "127.0.0.1", port: int = 0, *, quiet: bool = True
    ) -> None:
        self.app = app
        self.httpd = make_server(
            host,
            port,
            app,
            server_class=_ThreadingWSGIServer,
            handler_class=_QuietHandler if quiet else WSGIRequestHandler,
        )
        self.host = host
        self.port = int(self.httpd.server_address[1])
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> SimulatorServer:
        self._thread = threading.Thread(
            target=self.httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"register-simulator:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        try:
            self.httpd.serve_forever()
        finally:
            self.app.stopping.set()
            self.httpd.server_close()

    def stop(self) -> None:
        self.app.stopping.set()  # wake sleeping (hanging / slow) requests
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.httpd.server_close()

    def __enter__(self) -> SimulatorServer:
        return self if self._thread else self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start(
    store_path: str | Path | None,
    host: str = "127.0.0.1",
    port: int = 0,
    faults: Faults | None = None,
    *,
    source: RegisterSource | None = None,
    quiet: bool = True,
) -> SimulatorServer:
    """Start a simulator in a background thread (``port=0`` picks a free port)."""
    app = make_app(store_path, faults, source=source)
    return SimulatorServer(app, host, port, quiet=quiet).start()


def serve(
    store_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 8765,
    faults: Faults | None = None,
    *,
    quiet: bool = False,
) -> None:
    """Serve the simulator in the foreground until interrupted."""
    SimulatorServer(make_app(store_path, faults), host, port, quiet=quiet).serve_forever()
