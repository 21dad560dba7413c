"""A national ID-to-account mapper simulator: a real HTTP server answering G2P Connect
``/mapper/sync/resolve`` from a table of personal ID -> financial address, signing its answers.
Faults: ``unsigned`` (answers without a signature), ``fail`` (HTTP 503). No Django."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from chitra.engine.g2p import jws
from chitra.engine.g2p import mapper as m
from chitra.engine.g2p.envelope import EnvelopeError, Header, ack, parse_envelope


@dataclass
class MapperSimulator:
    #: personal ID -> (financial address, provider code, provider name)
    addresses: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    sender_id: str = "national-mapper"
    key: Any = field(default_factory=jws.generate_key)
    unsigned: bool = False
    fail: bool = False
    received: list[dict[str, Any]] = field(default_factory=list)

    def answer(self, body: Any) -> tuple[int, dict[str, Any]]:
        if self.fail:
            return 503, {"errors": [{"code": "unavailable", "message": "switched off"}]}
        now = dt.datetime.now(dt.UTC)
        try:
            header, message, _sig = parse_envelope(body, callback=False, actions={"resolve"})
            txn, items = m.parse_request("resolve", message)
        except EnvelopeError as e:
            return 200, ack(
                "ERR", correlation_id="-", at=now, error_code=e.code, error_message=str(e)
            )
        self.received.append(body)
        answers = [self._one(it) for it in items]
        out = m.build_response("resolve", txn, uuid.uuid4().hex, answers, at=now)
        h = Header(
            uuid.uuid4().hex,
            now,
            "on-resolve",
            self.sender_id,
            header.sender_id,
            len(items),
            status="succ",
            completed_count=len(items),
        ).to_json()
        sig = (
            ""
            if self.unsigned
            else jws.sign_envelope(
                h, out, self.key, kid=jws.key_id(self.sender_id, "1"), created=int(time.time())
            )
        )
        return 200, {"signature": sig, "header": h, "message": out}

    def _one(self, item: m.MapperItem) -> m.MapperAnswer:
        pid = item.id.id if item.id is not None else ""
        found = self.addresses.get(pid)
        if found is None:
            return m.MapperAnswer(item.reference_id, "succ", "succ.id.not_found")
        fa, code, name = found
        return m.MapperAnswer(
            item.reference_id,
            "succ",
            "succ.fa.active",
            fa=fa,
            id=str(item.id),
            provider_code=code,
            provider_name=name,
        )

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> tuple[ThreadingHTTPServer, str]:
        sim = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path != "/mapper/sync/resolve":
                    status, body = (
                        404,
                        {"errors": [{"code": "path.not_found", "message": self.path}]},
                    )
                else:
                    try:
                        status, body = sim.answer(json.loads(raw))
                    except ValueError:
                        status, body = 400, {"errors": [{"code": "bad", "message": "not JSON"}]}
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer((host, port), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server, f"http://{host}:{server.server_address[1]}"
