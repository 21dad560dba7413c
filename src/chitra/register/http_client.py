"""Client for a population register that speaks the G2P Connect / DCI registry search API.

Two dialects (``dialect``, setting ``CHITRA_REGISTER_DIALECT``):

* ``g2p-1.0`` (the default): the current draft of ``registry_core_api_v1.0.0`` (vendored in
  ``tests/data/g2p``; ``docs/conformance/g2p-registry.md``): ``query_type`` ``idtype`` with
  ``query.type`` ``UIN`` (``id_type``), sex ``male|female|other|unknown``, ``reg_records``
  one object or a list, the envelope signed (``signer``) and answers' signatures checked
  (``verifier``) when those are given; ``mode="async"`` posts to ``/registry/search``, takes
  the ``ACK`` and asks ``/registry/sync/txn/status`` for the answer until every item is final
  (the registry also calls chitra's ``/on-search``, recorded by the verification app);
* ``legacy``: the older draft described below (``idtype-value``, ``NID``, sex ``"1"/"2"``).

Wire protocol (G2P Connect registry API v1.0.0, ``POST /registry/sync/search``)
-----------------------------------------------------------------------------
Request::

    {"signature": "",
     "header": {"version": "1.0.0", "message_id": <uuid>, "message_ts": <ISO 8601 UTC>,
                "action": "search", "sender_id": <us>, "receiver_id": <register>,
                "total_count": <items>, "is_msg_encrypted": false},
     "message": {"transaction_id": <uuid>,
                 "search_request": [
                     {"reference_id": <unique in the message>, "timestamp": <ISO 8601>,
                      "search_criteria": {"version": "1.0.0",
                                          "reg_type": "ns:org:RegistryType:Civil",
                                          "query_type": "idtype-value",
                                          "query": {"type": "NID", "value": <personal ID>},
                                          "result_record_type": "person"}}, ...]}}

Response (HTTP 200): ``header`` (``action`` "on-search", ``status``, ``status_reason_code``,
``total_count``, ``completed_count``) and ``message.search_response[]``, one item per
``reference_id`` with ``status`` (``succ`` | ``rjct`` | ``rcvd`` | ``pdng``; either case is
accepted), ``status_reason_code`` (``rjct.reference_id.invalid``, ``rjct.reference_id.duplicate``,
``rjct.timestamp.invalid``, ``rjct.search_criteria.invalid``, ...) and ``data.reg_records[]``.

How answers are mapped:

* ``succ`` with one record -> the person; ``succ`` with no record -> *not found* (the ID is
  absent from :meth:`HttpRegisterConnector.lookup`'s result);
* ``rjct`` (per item, or a ``rjct`` message header such as ``rjct.total_count.limit_exceeded``)
  -> reported by :meth:`HttpRegisterConnector.search`, raised as :class:`RegisterRejected` by
  :meth:`~HttpRegisterConnector.lookup`;
* ``rcvd`` / ``pdng`` to a *sync* search, unknown or repeated ``reference_id``, missing items,
  more than one record for an ID, a record for another ID, wrong types, undecodable JSON: a
  *malformed answer*, retried like a time-out (a proxy or a register under strain may answer
  garbage once), then :class:`RegisterProtocolError`;
* HTTP 429 / 5xx, time-outs, connection errors -> retried, then :class:`RegisterUnavailable`;
  other HTTP 4xx -> :class:`RegisterRejected` (code ``http.<status>``), never retried.

Record (``reg_records[]`` item), after the DCI ``Person`` extension::

    {"identifier_type": "NID", "identifier": "001090012345",
     "name": {"sur_name": "Nguyễn", "second_name": "Văn", "given_name": "An",
              "full_name": "Nguyễn Văn An"},
     "sex": "1",                       # ISO/IEC 5218: 1 male, 2 female (chitra: M / F)
     "birthdate": "1950-03-01",        # ISO 8601 at the register's precision: 1950-03, 1950
     "deathdate": "2024-05-02",        # or null
     "address": {"commune_code": "08089"}}

Deviations from the G2P Connect specification (all deliberate, keep them in mind when pointing
this client at a real register):

1. No message signature and no encryption: ``signature`` is sent empty and
   ``is_msg_encrypted`` is false (transport security is left to TLS / the network).
2. ``name.full_name`` and ``address.commune_code`` are extension keys: a Vietnamese name is kept
   exactly as registered (the split into sur/second/given name is informative only, the client
   reads ``full_name`` first) and the commune is a Vietnamese administrative code.
3. The birth-date precision travels in the ISO 8601 reduced form of ``birthdate`` (``YYYY``,
   ``YYYY-MM``, ``YYYY-MM-DD``) rather than in a separate field.
4. ``query.type`` is ``NID`` (``personal_id`` is accepted by the simulator too).
5. ``GET /registry/changes?since=<ISO 8601>&limit=<n>&cursor=<opaque>`` is *our extension* (the
   specification has subscribe/notify for life events, which needs a callback endpoint). It
   answers ``{"changes": [{"personal_id", "kind": "death"|"correction"|"new"|"removed",
   "fields": {...}, "detected_at": <ISO 8601>}], "next_cursor": <string or null>}``; date values
   in ``fields`` travel as ISO strings and come back as :class:`datetime.date` for keys ending
   in ``_date``. ``detected_at`` is naive UTC like ``register_store``'s; ``since`` is sent as
   given (naive = UTC, aware with its offset).
6. Pagination of a search item (``pagination``) is ignored: an ID query has at most one record.

Resilience
----------
* batches: ``batch_size`` search items per POST;
* per-attempt ``timeout`` (connect, read, write and pool) via httpx;
* retries (tenacity): ``retries`` further attempts after the first on connection errors,
  time-outs, HTTP 5xx and 429, waiting ``backoff * 2**n + U(0, backoff)`` capped at
  ``max_backoff``; a ``Retry-After`` header (seconds or HTTP date) replaces that wait, and one
  longer than ``max_backoff`` ends the retries at once;
* a token bucket (``rate_per_second``, burst ``rate_burst``) spaces every HTTP attempt, retries
  included, across all threads using the connector;
* malformed answers (see above) are retried the same way, and count as breaker failures;
* a circuit breaker: ``breaker_failures`` consecutive failed attempts (connection error,
  time-out, 5xx, malformed answer) open it; while open, calls raise :class:`RegisterUnavailable`
  at once without touching the network; after ``breaker_reset`` seconds one trial call is let
  through (half-open): success closes it, failure opens it again. 429 and 4xx answers prove the
  register is up and count as successes.

Libraries: ``httpx`` (timeouts, pooling, an injectable transport for tests) and ``tenacity``
(retry loop, stop and exponential-jitter strategies). The breaker and the token bucket are small
and written here: ``pybreaker`` 1.4.1 holds its lock for the whole guarded call, which would
serialise every concurrent register request through one connector, and it times the open state
with the wall clock; there is no well-kept synchronous token-bucket library worth a dependency.

Create one connector per register and share it (it is thread-safe): the rate limit and the
breaker are per instance.
"""

from __future__ import annotations

import email.utils
import json
import math
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal

import httpx
import pyarrow as pa
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)
from tenacity.stop import stop_base

from chitra.engine.g2p import registry as g2p_registry
from chitra.engine.g2p.envelope import EnvelopeError, parse_ack
from chitra.register.connector import (
    CHANGE_KINDS,
    RegisterChange,
    RegisterPerson,
    RegisterProtocolError,
    RegisterRejected,
    RegisterUnavailable,
    Rejection,
    lookup_ids,
    verify_with_register_rows,
)

__all__ = [
    "CHANGES_PATH",
    "DIALECTS",
    "HEALTH_PATH",
    "PROTOCOL_VERSION",
    "SEARCH_PATH",
    "CircuitBreaker",
    "HttpRegisterConnector",
    "SearchResult",
    "TokenBucket",
    "change_from_json",
    "change_to_json",
    "person_from_record",
    "person_to_record",
]

PROTOCOL_VERSION = "1.0.0"
SEARCH_PATH = "/registry/sync/search"
ASYNC_SEARCH_PATH = "/registry/search"
SYNC_TXN_STATUS_PATH = "/registry/sync/txn/status"
DIALECTS = ("g2p-1.0", "legacy")
MODES = ("sync", "async")
CHANGES_PATH = "/registry/changes"
HEALTH_PATH = "/health"
REG_TYPE = "ns:org:RegistryType:Civil"
RECORD_TYPE = "person"
ID_TYPE = "NID"
ID_TYPES = frozenset({"NID", "personal_id"})

_SEX_TO_ISO = {"M": "1", "F": "2"}
_ISO_TO_SEX = {v: k for k, v in _SEX_TO_ISO.items()}
_KNOWN_STATUS = frozenset({"succ", "rjct", "rcvd", "pdng"})


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --------------------------------------------------------------------------------------------
# Records <-> people


def _date_at_precision(d: date | None, precision: str) -> str | None:
    if d is None:
        return None
    if precision == "Y":
        return f"{d.year:04d}"
    if precision == "M":
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def _parse_reduced_date(text: object, what: str) -> tuple[date | None, str]:
    """``YYYY`` / ``YYYY-MM`` / ``YYYY-MM-DD`` (or a full date-time) -> (date, D|M|Y)."""
    if text is None or text == "":
        return None, "D"
    if not isinstance(text, str):
        raise RegisterProtocolError(f"{what} is not a string: {text!r}")
    try:
        if len(text) == 4 and text.isdigit():
            return date(int(text), 1, 1), "Y"
        if len(text) == 7 and text[4] == "-":
            return date(int(text[:4]), int(text[5:]), 1), "M"
        return date.fromisoformat(text[:10]), "D"
    except ValueError as e:
        raise RegisterProtocolError(f"{what} is not an ISO 8601 date: {text!r}") from e


def _split_name(full_name: str) -> dict[str, str]:
    parts = full_name.split()
    if not parts:
        return {"full_name": full_name}
    out = {"sur_name": parts[0], "given_name": parts[-1] if len(parts) > 1 else ""}
    if len(parts) > 2:
        out["second_name"] = " ".join(parts[1:-1])
    out["full_name"] = full_name
    return out


def person_to_record(
    p: RegisterPerson, dialect: str = "g2p-1.0", id_type: str = "UIN"
) -> dict[str, Any]:
    """A register person as a G2P Connect ``reg_records`` item (``dci_PersonRecord`` in the
    current draft; see the module docstring for the legacy one)."""
    current = dialect == "g2p-1.0"
    return {
        "identifier_type": id_type if current else ID_TYPE,
        "identifier": p.personal_id,
        "name": _split_name(p.full_name),
        "sex": g2p_registry.sex_from_chitra(p.sex) if current else _SEX_TO_ISO.get(p.sex, p.sex),
        "birthdate": _date_at_precision(p.birth_date, p.birth_precision),
        "deathdate": p.death_date.isoformat() if p.death_date else None,
        "address": {"commune_code": p.commune_code},
    }


def person_from_record(rec: object) -> RegisterPerson:
    """Inverse of :func:`person_to_record`; :class:`RegisterProtocolError` when malformed."""
    if not isinstance(rec, Mapping):
        raise RegisterProtocolError(f"a reg_record is not an object: {rec!r:.200}")
    pid = rec.get("identifier")
    if not isinstance(pid, str) or not pid:
        raise RegisterProtocolError(f"a reg_record has no identifier: {rec!r:.200}")
    name = rec.get("name")
    if isinstance(name, Mapping):
        full = name.get("full_name")
        if not isinstance(full, str):
            full = " ".join(
                str(name[k]) for k in ("sur_name", "second_name", "given_name") if name.get(k)
            )
    elif isinstance(name, str):
        full = name
    else:
        raise RegisterProtocolError(f"reg_record {pid} has no name")
    sex = rec.get("sex")
    sex_s = "" if sex is None else str(sex)
    if sex_s in g2p_registry.SEX_TO_CHITRA:  # the current draft; "1"/"2" the older one
        sex_s = g2p_registry.SEX_TO_CHITRA[sex_s]
    birth, precision = _parse_reduced_date(rec.get("birthdate"), f"birthdate of {pid}")
    death, _ = _parse_reduced_date(rec.get("deathdate"), f"deathdate of {pid}")
    address = rec.get("address")
    commune = address.get("commune_code") if isinstance(address, Mapping) else None
    return RegisterPerson(
        personal_id=pid,
        full_name=full,
        birth_date=birth,
        birth_precision=precision,
        sex=_ISO_TO_SEX.get(sex_s, sex_s),  # an unknown code stays as sent (never matches)
        commune_code=str(commune) if commune is not None else None,
        death_date=death,
    )


def _json_value(v: Any) -> Any:
    if isinstance(v, datetime | date):
        return v.isoformat()
    if isinstance(v, Mapping):
        return {str(k): _json_value(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_json_value(x) for x in v]
    return v


def change_to_json(c: RegisterChange) -> dict[str, Any]:
    return {
        "personal_id": c.personal_id,
        "kind": c.kind,
        "fields": _json_value(c.fields),
        "detected_at": c.detected_at.isoformat(),
    }


def _field_from_json(key: str, v: Any) -> Any:
    if key.endswith("_date") and isinstance(v, str):
        try:
            return date.fromisoformat(v)
        except ValueError:
            return v
    return v


def change_from_json(obj: object) -> RegisterChange:
    if not isinstance(obj, Mapping):
        raise RegisterProtocolError(f"a change is not an object: {obj!r:.200}")
    pid, kind, fields, at = (
        obj.get("personal_id"),
        obj.get("kind"),
        obj.get("fields"),
        obj.get("detected_at"),
    )
    if not isinstance(pid, str) or not isinstance(kind, str) or kind not in CHANGE_KINDS:
        raise RegisterProtocolError(f"malformed change: {obj!r:.200}")
    if fields is None:
        fields = {}
    if not isinstance(fields, Mapping):
        raise RegisterProtocolError(f"change fields are not an object: {obj!r:.200}")
    try:
        detected = datetime.fromisoformat(str(at))
    except ValueError as e:
        raise RegisterProtocolError(f"change detected_at is not ISO 8601: {at!r}") from e
    return RegisterChange(
        personal_id=pid,
        kind=kind,
        fields={str(k): _field_from_json(str(k), v) for k, v in fields.items()},
        detected_at=detected,
    )


# --------------------------------------------------------------------------------------------
# Rate limit and circuit breaker


class TokenBucket:
    """Thread-safe token bucket: ``rate`` tokens a second, at most ``burst`` saved up.

    :meth:`acquire` reserves a token and sleeps until it is due (outside the lock).
    """

    def __init__(
        self,
        rate: float,
        burst: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate, self.burst = float(rate), float(burst)
        self._clock, self._sleep = clock, sleep
        self._tokens = self.burst
        self._at = clock()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Take one token, waiting if needed; return the seconds waited."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate)
            self._at = now
            self._tokens -= 1.0
            wait = -self._tokens / self.rate if self._tokens < 0 else 0.0
        if wait > 0:
            self._sleep(wait)
        return wait


BreakerState = Literal["closed", "open", "half-open"]


class _BreakerOpen(Exception):
    def __init__(self, remaining: float) -> None:
        self.remaining = remaining
        super().__init__(remaining)


class CircuitBreaker:
    """Closed -> open after ``failures`` consecutive failures -> half-open after ``reset``
    seconds (one trial call at a time) -> closed on a success, open again on a failure.

    The lock is held only while the state changes, never during the guarded call.
    """

    def __init__(
        self, failures: int, reset: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if failures < 1 or reset < 0:
            raise ValueError("failures must be >= 1 and reset >= 0")
        self.failures, self.reset = failures, reset
        self._clock = clock
        self._lock = threading.Lock()
        self._state: BreakerState = "closed"
        self._consecutive = 0
        self._opened_at = 0.0
        self._trial_running = False

    @property
    def state(self) -> BreakerState:
        with self._lock:
            if self._state == "open" and self._clock() - self._opened_at >= self.reset:
                return "half-open"
            return self._state

    @property
    def consecutive_failures(self) -> int:
        return self._consecutive

    def before_call(self) -> None:
        """Raise :class:`_BreakerOpen` when the call must not go out."""
        with self._lock:
            if self._state == "closed":
                return
            now = self._clock()
            if self._state == "open":
                remaining = self._opened_at + self.reset - now
                if remaining > 0:
                    raise _BreakerOpen(remaining)
                self._state = "half-open"
            if self._trial_running:
                raise _BreakerOpen(0.0)
            self._trial_running = True

    def success(self) -> None:
        with self._lock:
            self._state = "closed"
            self._consecutive = 0
            self._trial_running = False

    def failure(self) -> None:
        with self._lock:
            self._consecutive += 1
            if self._state == "half-open" or self._consecutive >= self.failures:
                self._state = "open"
                self._opened_at = self._clock()
            self._trial_running = False

    def release(self) -> None:
        """End a call that says nothing about the register's health (frees a trial slot)."""
        with self._lock:
            self._trial_running = False

    def reset_now(self) -> None:
        """Close the breaker by hand (operators, tests)."""
        self.success()


# --------------------------------------------------------------------------------------------
# The connector


class _Transient(Exception):
    """A failure worth retrying (the breaker was already told)."""

    def __init__(self, what: str, *, retry_after: float | None = None) -> None:
        self.what, self.retry_after = what, retry_after
        super().__init__(what)


class _Malformed(_Transient):
    """An answer that does not follow the protocol: retried, then RegisterProtocolError."""


def _retry_after_seconds(value: str | None, now: Callable[[], datetime]) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        secs = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        secs = (when - now()).total_seconds()
    if math.isnan(secs) or math.isinf(secs):
        return None
    return max(0.0, secs)


@dataclass
class SearchResult:
    """Outcome of :meth:`HttpRegisterConnector.search`: found people, refused IDs, and IDs the
    register answered ``succ`` without a record (not found)."""

    found: dict[str, RegisterPerson] = field(default_factory=dict)
    rejected: dict[str, Rejection] = field(default_factory=dict)
    not_found: list[str] = field(default_factory=list)


class _StopOnLongRetryAfter(stop_base):
    def __init__(self, limit: float) -> None:
        self.limit = limit

    def __call__(self, retry_state: RetryCallState) -> bool:
        outcome = retry_state.outcome
        exc = outcome.exception() if outcome is not None else None
        return (
            isinstance(exc, _Transient)
            and exc.retry_after is not None
            and exc.retry_after > self.limit
        )


class HttpRegisterConnector:
    """:class:`~chitra.register.connector.RegisterConnector` over the G2P Connect sync search
    API (see the module docstring for the protocol, the deviations and the resilience rules)."""

    # over the limits: one keyword per setting of the connector, each checked and stored
    def __init__(
        self,
        base_url: str,
        *,
        sender_id: str,
        receiver_id: str = "population-register",
        timeout: float = 5.0,
        retries: int = 3,
        backoff: float = 0.2,
        max_backoff: float = 5.0,
        rate_per_second: float | None = 20.0,
        rate_burst: float = 1.0,
        batch_size: int = 100,
        breaker_failures: int = 5,
        breaker_reset: float = 30.0,
        changes_page_size: int = 1000,
        dialect: str = "g2p-1.0",
        id_type: str = "UIN",
        mode: str = "sync",
        reg_type: str = "ns:vn:RegistryType:Population",
        signer: Callable[[dict[str, Any], dict[str, Any]], str] | None = None,
        verifier: Callable[[str, dict[str, Any], dict[str, Any]], None] | None = None,
        poll_interval: float = 0.5,
        poll_attempts: int = 20,
        callback_uri: str = "",
        headers: Mapping[str, str] | None = None,
        client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if batch_size < 1 or retries < 0 or timeout <= 0 or changes_page_size < 1:
            raise ValueError("batch_size >= 1, retries >= 0, timeout > 0, changes_page_size >= 1")
        if backoff < 0 or max_backoff < 0:
            raise ValueError("backoff and max_backoff must be >= 0")
        if dialect not in DIALECTS or mode not in MODES:
            raise ValueError(f"dialect one of {DIALECTS}, mode one of {MODES}")
        if mode == "async" and dialect != "g2p-1.0":
            raise ValueError("the async search is the current draft's (dialect g2p-1.0)")
        self.dialect, self.id_type, self.mode, self.reg_type = dialect, id_type, mode, reg_type
        self._signer, self._verifier = signer, verifier
        self.poll_interval, self.poll_attempts = poll_interval, poll_attempts
        self.callback_uri = callback_uri
        self.base_url = base_url.rstrip("/")
        self.sender_id, self.receiver_id = sender_id, receiver_id
        self.timeout, self.retries = timeout, retries
        self.backoff, self.max_backoff = backoff, max_backoff
        self.batch_size, self.changes_page_size = batch_size, changes_page_size
        self._sleep = sleep
        self._bucket = (
            TokenBucket(rate_per_second, rate_burst, clock=clock, sleep=sleep)
            if rate_per_second
            else None
        )
        self.breaker = CircuitBreaker(breaker_failures, breaker_reset, clock=clock)
        self._owns_client = client is None
        self._client = client or httpx.Client(  # an injected client keeps its own settings
            timeout=httpx.Timeout(timeout),
            transport=transport,
            headers={"Accept": "application/json", **(headers or {})},
        )
        self._expo = wait_exponential_jitter(
            multiplier=backoff or 1e-9, max=max_backoff, jitter=backoff
        )

    # -- lifecycle ----------------------------------------------------------------------------

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> HttpRegisterConnector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def breaker_state(self) -> BreakerState:
        return self.breaker.state

    # -- RegisterConnector ----------------------------------------------------------------------

    def lookup(self, ids: Sequence[str]) -> dict[str, RegisterPerson]:
        """People by ID, ``batch_size`` IDs per POST. Unknown IDs are absent; any refused item
        raises :class:`RegisterRejected` (after every batch was asked)."""
        result = self.search(ids)
        if result.rejected:
            raise RegisterRejected(list(result.rejected.values()))
        return result.found

    def search(self, ids: Sequence[str]) -> SearchResult:
        """Like :meth:`lookup` but reports refused IDs instead of raising."""
        unique = list(dict.fromkeys(ids))
        result = SearchResult()
        for start in range(0, len(unique), self.batch_size):
            self._search_batch(unique[start : start + self.batch_size], result)
        return result

    def verify_batch(self, people: pa.Table) -> pa.Table:
        """``chitra.engine.register.verify.verify`` against the register rows of the IDs in
        ``people``.

        No candidate search for people without an ID over HTTP: they come out ``no_id`` with no
        candidates."""
        persons = self.lookup(lookup_ids(people))
        return verify_with_register_rows(people, persons.values())

    def changes_since(self, since: datetime) -> list[RegisterChange]:
        """All changes after ``since`` (``GET /registry/changes``, our extension), every page."""
        out: list[RegisterChange] = []
        cursor: str | None = None
        seen: set[str] = set()
        while True:
            params: dict[str, str | int] = {
                "since": since.isoformat(),
                "limit": self.changes_page_size,
            }
            if cursor is not None:
                params["cursor"] = cursor
            page, nxt = self._call("GET", CHANGES_PATH, params=params, parse=_read_changes)
            out.extend(page)
            if nxt is None or nxt == "":
                return out
            if not isinstance(nxt, str) or nxt in seen:
                raise RegisterProtocolError(f"changes paging repeats or is malformed: {nxt!r}")
            seen.add(nxt)
            cursor = nxt

    def health(self) -> dict[str, Any]:
        """``GET /health`` (one attempt, no retries, breaker and rate limit bypassed)."""
        try:
            resp = self._client.get(self.base_url + HEALTH_PATH)
        except httpx.HTTPError as e:
            raise RegisterUnavailable(f"register health check failed: {e!r}") from e
        if resp.status_code != 200:
            raise RegisterUnavailable(f"register health check answered HTTP {resp.status_code}")
        try:
            body = resp.json()
        except ValueError as e:
            raise RegisterProtocolError("register health answer is not JSON") from e
        return body if isinstance(body, dict) else {"status": body}

    # -- search ---------------------------------------------------------------------------------

    def _header(self, action: str, count: int, now: str) -> dict[str, Any]:
        return {
            "version": PROTOCOL_VERSION,
            "message_id": str(uuid.uuid4()),
            "message_ts": now,
            "action": action,
            "sender_id": self.sender_id,
            "receiver_id": self.receiver_id,
            "total_count": count,
            "is_msg_encrypted": False,
            **({"sender_uri": self.callback_uri} if self.callback_uri else {}),
        }

    def _criteria(self, pid: str) -> dict[str, Any]:
        if self.dialect == "legacy":
            return {
                "version": PROTOCOL_VERSION,
                "reg_type": REG_TYPE,
                "query_type": "idtype-value",
                "query": {"type": ID_TYPE, "value": pid},
                "result_record_type": RECORD_TYPE,
            }
        return {
            "version": PROTOCOL_VERSION,
            "reg_type": self.reg_type,
            "query_type": "idtype",
            "query": g2p_registry.idtype_query(self.id_type, pid),
        }

    def _envelope(self, header: dict[str, Any], message: dict[str, Any]) -> dict[str, Any]:
        signature = self._signer(header, message) if self._signer else ""
        return {"signature": signature, "header": header, "message": message}

    def _search_request(self, ids: Sequence[str]) -> tuple[dict[str, Any], dict[str, str]]:
        now = utc_now_iso()
        refs = {f"{i + 1}": pid for i, pid in enumerate(ids)}
        message = {
            "transaction_id": str(uuid.uuid4()),
            "search_request": [
                {"reference_id": ref, "timestamp": now, "search_criteria": self._criteria(pid)}
                for ref, pid in refs.items()
            ],
        }
        return self._envelope(self._header("search", len(ids), now), message), refs

    def _check_signature(self, body: Mapping[str, Any]) -> None:
        if self._verifier is None:
            return
        signature = body.get("signature")
        if not isinstance(signature, str) or not signature:
            raise RegisterProtocolError("the answer is not signed (signature is required)")
        try:
            self._verifier(signature, body.get("header") or {}, body.get("message") or {})
        except ValueError as e:
            raise RegisterProtocolError(f"the answer's signature is not valid: {e}") from e

    def _search_batch(self, ids: Sequence[str], result: SearchResult) -> None:
        payload, refs = self._search_request(ids)
        if self.mode == "async":
            part = self._search_async(payload, refs)
        else:
            part = self._call(
                "POST",
                SEARCH_PATH,
                json_body=payload,
                parse=lambda body: self._read_search(body, payload, refs),
            )
        result.found.update(part.found)
        result.rejected.update(part.rejected)
        result.not_found.extend(part.not_found)

    def _search_async(self, payload: dict[str, Any], refs: Mapping[str, str]) -> SearchResult:
        """``/registry/search`` (ACK), then ``/registry/sync/txn/status`` until every item of
        the transaction is final; a NACK or ERR is a refusal."""
        self._call("POST", ASYNC_SEARCH_PATH, json_body=payload, parse=_read_ack)
        txn = payload["message"]["transaction_id"]
        for _attempt in range(self.poll_attempts):
            now = utc_now_iso()
            message = g2p_registry.build_txn_status_request(
                str(uuid.uuid4()), str(uuid.uuid4()), "search", "transaction_id", txn
            )
            request = self._envelope(self._header("txn-status", 1, now), message)
            answer = self._call(
                "POST",
                SYNC_TXN_STATUS_PATH,
                json_body=request,
                parse=lambda body: self._read_status(body, payload, refs),
            )
            if answer is not None:
                return answer  # type: ignore[no-any-return]
            self._sleep(self.poll_interval)
        raise RegisterUnavailable(
            f"register at {self.base_url} had not answered search {txn} after "
            f"{self.poll_attempts} status checks"
        )

    def _read_status(
        self, body: Any, payload: Mapping[str, Any], refs: Mapping[str, str]
    ) -> SearchResult | None:
        """A txn status answer: the search result once final, None while pending."""
        if not isinstance(body, Mapping):
            raise RegisterProtocolError(f"txn status answer is not an object: {body!r:.200}")
        self._check_signature(body)
        try:
            _kind, status = g2p_registry.parse_txn_status_response(body.get("message"))
        except EnvelopeError as e:
            raise RegisterProtocolError(str(e)) from e
        items = status.get("search_response")
        if not isinstance(items, list) or len(items) < len(refs):
            return None
        if any(
            str(i.get("status", "")).lower() in ("rcvd", "pdng")
            for i in items
            if isinstance(i, Mapping)
        ):
            return None
        return self._read_search({"message": status}, payload, refs, signed=False)

    def _read_search(
        self,
        body: Any,
        payload: Mapping[str, Any],
        refs: Mapping[str, str],
        *,
        signed: bool = True,
    ) -> SearchResult:
        """One search answer, checked whole (RegisterProtocolError when malformed)."""
        result = SearchResult()
        if not isinstance(body, Mapping):
            raise RegisterProtocolError(f"search answer is not an object: {body!r:.200}")
        if signed:
            self._check_signature(body)
        header = body.get("header")
        if isinstance(header, Mapping) and str(header.get("status", "")).lower() == "rjct":
            code = str(header.get("status_reason_code") or "rjct")
            msg = str(header.get("status_reason_message") or "")
            raise RegisterRejected([Rejection(None, code, msg)])
        message = body.get("message")
        if not isinstance(message, Mapping):
            raise RegisterProtocolError("search answer has no 'message' object")
        txn = message.get("transaction_id")
        if txn is not None and txn != payload["message"]["transaction_id"]:
            raise RegisterProtocolError(f"search answer is for another transaction: {txn!r}")
        items = message.get("search_response")
        if not isinstance(items, list):
            raise RegisterProtocolError("search answer has no 'message.search_response' list")
        answered: set[str] = set()
        for item in items:
            self._read_item(item, refs, answered, result)
        missing = set(refs) - answered
        if missing:
            raise RegisterProtocolError(
                f"search answer lacks {len(missing)} of {len(refs)} reference_id(s)"
            )
        return result

    @staticmethod
    def _read_item(
        item: object, refs: Mapping[str, str], answered: set[str], result: SearchResult
    ) -> None:
        if not isinstance(item, Mapping):
            raise RegisterProtocolError(f"a search_response item is not an object: {item!r:.200}")
        ref = item.get("reference_id")
        if not isinstance(ref, str) or ref not in refs:
            raise RegisterProtocolError(f"search_response has an unknown reference_id {ref!r}")
        if ref in answered:
            raise RegisterProtocolError(f"search_response repeats reference_id {ref!r}")
        answered.add(ref)
        pid = refs[ref]
        status = str(item.get("status", "")).lower()
        if status not in _KNOWN_STATUS:
            raise RegisterProtocolError(f"search_response {ref!r} has status {status!r}")
        if status == "rjct":
            result.rejected[pid] = Rejection(
                pid,
                str(item.get("status_reason_code") or "rjct"),
                str(item.get("status_reason_message") or ""),
            )
            return
        if status != "succ":
            raise RegisterProtocolError(f"sync search answered {status!r} for {ref!r}")
        records = _records_of(item, ref)
        if not records:
            result.not_found.append(pid)
            return
        if len(records) > 1:
            raise RegisterProtocolError(f"{len(records)} records for one ID ({ref!r})")
        person = person_from_record(records[0])
        if person.personal_id != pid:
            raise RegisterProtocolError(f"asked for {pid}, got a record for {person.personal_id}")
        result.found[pid] = person

    # -- transport ------------------------------------------------------------------------------

    def _wait(self, retry_state: RetryCallState) -> float:
        outcome = retry_state.outcome
        exc = outcome.exception() if outcome is not None else None
        if isinstance(exc, _Transient) and exc.retry_after is not None:
            return exc.retry_after
        return float(self._expo(retry_state))

    def _call(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: Mapping[str, str | int] | None = None,
        parse: Callable[[Any], Any] | None = None,
    ) -> Any:
        """One logical call: retries, breaker, rate limit; returns the decoded JSON body, or
        what ``parse(body)`` makes of it. A body that is not JSON, or that ``parse`` refuses
        (:class:`RegisterProtocolError`), is retried like a time-out."""
        retrying = Retrying(
            stop=stop_after_attempt(self.retries + 1) | _StopOnLongRetryAfter(self.max_backoff),
            wait=self._wait,
            retry=retry_if_exception_type(_Transient),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            return retrying(self._attempt, method, path, json_body, params, parse)
        except _Malformed as e:
            attempts = retrying.statistics.get("attempt_number", 1)
            raise RegisterProtocolError(
                f"register at {self.base_url} answered {method} {path} with a malformed answer "
                f"{attempts} time(s); last: {e.what}"
            ) from e
        except _Transient as e:
            attempts = retrying.statistics.get("attempt_number", 1)
            if e.retry_after is not None and e.retry_after > self.max_backoff:
                raise RegisterUnavailable(
                    f"register at {self.base_url} asked to retry {method} {path} after "
                    f"{e.retry_after:.0f} s (more than max_backoff={self.max_backoff:g} s): "
                    f"{e.what}"
                ) from e
            raise RegisterUnavailable(
                f"register at {self.base_url} unavailable: {method} {path} failed "
                f"{attempts} time(s); last error: {e.what}"
            ) from e

    def _attempt(
        self,
        method: str,
        path: str,
        json_body: Any,
        params: Mapping[str, str | int] | None,
        parse: Callable[[Any], Any] | None = None,
    ) -> Any:
        self._enter_breaker()
        resp = self._send(method, path, json_body, params)
        self._check_status(resp)
        body = self._json_of(resp, method, path)
        if parse is not None:
            body = self._parsed(body, parse, method, path)
        self.breaker.success()
        return body

    def _enter_breaker(self) -> None:
        """Raise RegisterUnavailable when the circuit breaker is open."""
        try:
            self.breaker.before_call()
        except _BreakerOpen as e:
            when = f"retry in {e.remaining:.1f} s" if e.remaining > 0 else "a trial call is running"
            raise RegisterUnavailable(
                f"register at {self.base_url} unavailable: circuit breaker open after "
                f"{self.breaker.failures} consecutive failures ({when})"
            ) from None

    def _send(
        self,
        method: str,
        path: str,
        json_body: Any,
        params: Mapping[str, str | int] | None,
    ) -> httpx.Response:
        """One HTTP request (after the rate limit); a timeout or a connection error is a
        transient failure of the breaker."""
        try:
            if self._bucket is not None:
                self._bucket.acquire()
            return self._client.request(method, self.base_url + path, json=json_body, params=params)
        except httpx.TimeoutException as e:
            self.breaker.failure()
            raise _Transient(f"timed out after {self.timeout:g} s ({type(e).__name__})") from e
        except httpx.TransportError as e:
            self.breaker.failure()
            raise _Transient(f"connection error: {type(e).__name__}: {e}") from e
        except BaseException:
            self.breaker.release()
            raise

    def _check_status(self, resp: httpx.Response) -> None:
        """A 5xx is a transient breaker failure, a 429 transient without one, another 4xx a
        rejection."""
        status = resp.status_code
        if status >= 500:
            self.breaker.failure()
            raise _Transient(
                f"HTTP {status}",
                retry_after=_retry_after_seconds(resp.headers.get("Retry-After"), _utc_now),
            )
        if status == 429:  # the register is up, only busy: not a breaker failure
            self.breaker.success()
            raise _Transient(
                "HTTP 429 Too Many Requests",
                retry_after=_retry_after_seconds(resp.headers.get("Retry-After"), _utc_now),
            )
        if status >= 400:
            self.breaker.success()
            raise RegisterRejected([Rejection(None, f"http.{status}", _error_text(resp))])

    def _json_of(self, resp: httpx.Response, method: str, path: str) -> Any:
        try:
            return resp.json()
        except (ValueError, UnicodeDecodeError, RecursionError) as e:
            self.breaker.failure()
            raise _Malformed(
                f"{method} {path} answered HTTP {resp.status_code} with a body that is not "
                f"JSON: {resp.text[:120]!r}"
            ) from e

    def _parsed(self, body: Any, parse: Callable[[Any], Any], method: str, path: str) -> Any:
        """The body read by `parse`: a protocol error or an unforeseen shape is malformed (a
        breaker failure), a refusal means the register is up."""
        try:
            return parse(body)
        except RegisterProtocolError as e:
            self.breaker.failure()
            raise _Malformed(str(e)) from e
        except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as e:
            self.breaker.failure()  # a shape the checks did not foresee
            raise _Malformed(f"{method} {path}: unexpected answer ({type(e).__name__}: {e})") from e
        except RegisterRejected:
            self.breaker.success()  # a refusal: the register is up
            raise
        except BaseException:
            self.breaker.release()
            raise


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _records_of(item: Mapping[str, Any], ref: str) -> list[Any]:
    data = item.get("data")
    records = data.get("reg_records", []) if isinstance(data, Mapping) else []
    if isinstance(records, Mapping):  # the current draft's RegistryRecord is one object
        records = [records]
    if not isinstance(records, list):
        raise RegisterProtocolError(f"reg_records of {ref!r} is not a list")
    return records


def _read_ack(body: Any) -> None:
    try:
        ack = parse_ack(body)
    except EnvelopeError as e:
        raise RegisterProtocolError(f"the search acknowledgement is malformed: {e}") from e
    if ack.status != "ACK":
        raise RegisterRejected([Rejection(None, ack.error_code or ack.status, ack.error_message)])


def _read_changes(body: Any) -> tuple[list[RegisterChange], Any]:
    """One page of ``/registry/changes``: (changes, next cursor), or RegisterProtocolError."""
    if not isinstance(body, Mapping) or not isinstance(body.get("changes"), list):
        raise RegisterProtocolError(f"changes answer has no 'changes' list: {body!r:.200}")
    return [change_from_json(c) for c in body["changes"]], body.get("next_cursor")


def _error_text(resp: httpx.Response) -> str:
    try:
        body = resp.json()
    except ValueError:
        return resp.text[:200]
    if isinstance(body, Mapping) and isinstance(body.get("errors"), list):
        return "; ".join(
            f"{e.get('code', '')}: {e.get('message', '')}"
            for e in body["errors"]
            if isinstance(e, Mapping)
        )[:500]
    return json.dumps(body)[:200]
