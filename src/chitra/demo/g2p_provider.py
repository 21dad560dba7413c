"""A simulated payment provider speaking G2P Connect disburse, for demos and tests.

A real HTTP server (stdlib ``http.server``, in a thread) answering ``POST /disburse``,
``/disburse/sync/disburse``, ``/disburse/txn/status`` and ``/disburse/sync/txn/status`` the
way the spec says: it checks chitra's bearer JWT and the detached JWS of the envelope with
chitra's public key, answers ``ACK`` (or ``ERR`` with the spec's code), and queues its
callbacks (``/on-disburse``, ``/disburse/txn/on-status``), signed with its own Ed25519 key,
for :meth:`G2PProviderSimulator.deliver` to send: asynchronously, after the answer, through
chitra's token endpoint (OAuth2 client credentials) and the callback URL.

Faults are switchable (:class:`Faults`): a slow answer (the caller times out), every callback
sent twice, callbacks signed with a wrong key, a rate of rejections with a spec reason code,
a ``pdng`` callback before the final one. Outcomes are deterministic from the reference.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from chitra.engine import g2p
from chitra.engine.g2p import jws

#: post(url, json=..., data=..., headers=...) -> (HTTP status, JSON body)
Post = Callable[..., tuple[int, Any]]


@dataclass
class Faults:
    delay: float = 0.0  # seconds before answering a request (past the caller's timeout)
    duplicate_callbacks: bool = False
    bad_signature: bool = False
    reject_rate: float = 0.0
    reject_code: str = "rjct.payee_fa.invalid"
    pending_first: bool = True


def _httpx_post(url: str, **kw: Any) -> tuple[int, Any]:
    r = httpx.post(url, timeout=30, **kw)
    try:
        return r.status_code, r.json()
    except ValueError:
        return r.status_code, None


def _unit(reference: str, seed: str) -> float:
    digest = hashlib.sha256(f"{seed}:{reference}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass
class G2PProviderSimulator:
    sender_id: str  # the provider's id (chitra's g2p_receiver_id for it)
    chitra_id: str  # chitra's sender id
    chitra_public_pem: str
    callback_url: str  # chitra's /api/g2p
    client_id: str = ""
    client_secret: str = ""
    post: Post = _httpx_post
    faults: Faults = field(default_factory=Faults)
    seed: str = "g2p"
    key: Any = field(default_factory=jws.generate_key)
    outbox: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    transactions: dict[str, list[g2p.DisbursementStatus]] = field(default_factory=dict)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _token: str = ""

    @property
    def public_pem(self) -> str:
        return jws.public_pem(self.key)

    # -- server --------------------------------------------------------------------------------

    def start(self) -> str:
        sim = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(min(length, 10_000_000))
                status, body = sim.handle(self.path, self.headers.get("Authorization", ""), raw)
                data = json.dumps(body).encode()
                if sim.faults.delay:
                    time.sleep(sim.faults.delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the caller gave up (timeout)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # -- requests ------------------------------------------------------------------------------

    def _ack(self, status: str = "ACK", code: str = "", text: str = "") -> dict[str, Any]:
        return g2p.ack(
            status,
            correlation_id=uuid.uuid4().hex,
            at=_now(),
            error_code=code,
            error_message=text,
        )

    def _check(self, auth: str, raw: bytes, actions: set[str]) -> tuple[dict[str, Any], Any]:
        if not auth.startswith("Bearer "):
            raise g2p.EnvelopeError(
                "Authorization", "", "a bearer token", "err.request.unauthorized"
            )
        pub = jws.load_public(self.chitra_public_pem)
        try:
            jws.jwt_decode(
                auth[7:], pub, issuer=self.chitra_id, audience=self.sender_id, now=int(time.time())
            )
        except jws.SignatureError as e:
            raise g2p.EnvelopeError(
                "Authorization", "…", f"valid ({e})", "err.request.unauthorized"
            ) from None
        try:
            doc = json.loads(raw)
        except ValueError:
            raise g2p.EnvelopeError("(body)", raw[:40], "JSON") from None
        header, message, signature = g2p.parse_envelope(doc, callback=False, actions=actions)
        if header.receiver_id and header.receiver_id != self.sender_id:
            raise g2p.EnvelopeError(
                "header.receiver_id", header.receiver_id, self.sender_id, "err.receiver_id.invalid"
            )
        try:
            jws.verify_envelope(signature, doc["header"], message, pub)
        except jws.SignatureError as e:
            raise g2p.EnvelopeError(
                "signature", "…", f"valid ({e})", "err.signature.invalid"
            ) from None
        self.received.append(doc)
        return doc, message

    def handle(self, path: str, auth: str, raw: bytes) -> tuple[int, dict[str, Any]]:
        try:
            if path in ("/disburse", "/disburse/sync/disburse"):
                _doc, message = self._check(auth, raw, {"disburse", "search"})
                return 200, self._disburse(message, sync=path != "/disburse")
            if path in ("/disburse/txn/status", "/disburse/sync/txn/status"):
                _doc, message = self._check(auth, raw, {"on-disburse", "on-search"})
                return 200, self._txn_status(message, sync=path != "/disburse/txn/status")
        except g2p.EnvelopeError as e:
            code = 401 if e.code == "err.request.unauthorized" else 200
            return code, self._ack("ERR", e.code, str(e))
        return 404, {"detail": "not found"}

    def _outcome(self, d: g2p.Disbursement) -> g2p.DisbursementStatus:
        if _unit(d.reference_id, self.seed) < self.faults.reject_rate:
            return g2p.DisbursementStatus(
                d.reference_id, "rjct", _now(), self.faults.reject_code, "rejected by the simulator"
            )
        return g2p.DisbursementStatus(d.reference_id, "succ", _now(), amount=d.amount)

    def _disburse(self, message: Any, *, sync: bool) -> dict[str, Any]:
        tx, items = g2p.parse_disburse_request(message)
        final = [self._outcome(d) for d in items]
        with self._lock:  # a transaction may come in several messages
            known = {s.reference_id: s for s in self.transactions.get(tx, [])}
            known.update({s.reference_id: s for s in final})
            self.transactions[tx] = list(known.values())
        response = g2p.build_disburse_response(tx, final)
        if sync:
            return self._envelope("on-disburse", response, len(final))
        if self.faults.pending_first:
            pending = [g2p.DisbursementStatus(s.reference_id, "pdng", _now()) for s in final]
            self._queue("/on-disburse", "on-disburse", g2p.build_disburse_response(tx, pending), 0)
        self._queue("/on-disburse", "on-disburse", response, len(final))
        return self._ack()

    def _txn_status(self, message: Any, *, sync: bool) -> dict[str, Any]:
        tx, _ref, _kind, _value = g2p.parse_txn_status_request(message)
        with self._lock:
            statuses = list(self.transactions.get(tx, []))
        if not statuses:
            return self._ack("ERR", "err.request.not_found", f"transaction {tx!r} unknown")
        inner = g2p.build_disburse_response(tx, statuses)
        response = g2p.build_txn_status_response(tx, uuid.uuid4().hex, inner)
        if sync:
            return self._envelope("on-disburse", response, len(statuses))
        self._queue("/disburse/txn/on-status", "on-disburse", response, len(statuses))
        return self._ack()

    # -- callbacks -----------------------------------------------------------------------------

    def _envelope(self, action: str, message: dict[str, Any], done: int) -> dict[str, Any]:
        total = len(message.get("disbursements_status") or [1])
        header = g2p.Header(
            message_id=uuid.uuid4().hex,
            message_ts=_now(),
            action=action,
            sender_id=self.sender_id,
            receiver_id=self.chitra_id,
            total_count=total,
            status="succ" if done else "pdng",
            completed_count=done,
        )
        key = jws.generate_key() if self.faults.bad_signature else self.key
        h = header.to_json()
        sig = jws.sign_envelope(
            h, message, key, kid=jws.key_id(self.sender_id, "1"), created=int(time.time())
        )
        return g2p.build_envelope(header, message, sig)

    def _queue(self, path: str, action: str, message: dict[str, Any], done: int) -> None:
        envelope = self._envelope(action, message, done)
        with self._lock:
            self.outbox.append((path, envelope))
            if self.faults.duplicate_callbacks:
                self.outbox.append((path, envelope))

    def token(self) -> str:
        if not self._token:
            status, body = self.post(
                f"{self.callback_url}/oauth2/client/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                },
            )
            if status != 200:
                raise RuntimeError(f"chitra refused the client credentials: {status} {body}")
            self._token = body["access_token"]
        return self._token

    def deliver(self) -> list[tuple[int, Any]]:
        """Send the queued callbacks, in order; the answers chitra gave."""
        with self._lock:
            queued, self.outbox = self.outbox, []
        answers = []
        for path, envelope in queued:
            answer = self._send(path, envelope)
            if answer[0] == 401:  # the bearer token expired: a new one, once
                self._token = ""
                answer = self._send(path, envelope)
            answers.append(answer)
        return answers

    def _send(self, path: str, envelope: dict[str, Any]) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.token()}"}
        return self.post(f"{self.callback_url}{path}", json=envelope, headers=headers)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
