"""HttpRegisterConnector against the simulator on 127.0.0.1 (real sockets), plus a few
malformed answers through an httpx MockTransport."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from chitra.demo.register_simulator import Faults, SimulatorServer, make_app, start
from chitra.engine.register import store as register_store
from chitra.register.connector import (
    FileExtractConnector,
    InMemoryConnector,
    RegisterConnector,
    RegisterProtocolError,
    RegisterRejected,
    RegisterUnavailable,
    lookup_ids,
)
from chitra.register.http_client import (
    SEARCH_PATH,
    CircuitBreaker,
    HttpRegisterConnector,
    TokenBucket,
    person_from_record,
    person_to_record,
)
from tests.register import BETWEEN, FIRST, SECOND, UNKNOWN, build_store

KNOWN = [r[0] for r in SECOND]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("register"))


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[SimulatorServer]:
    srv = start(store)
    yield srv
    srv.stop()


@pytest.fixture
def sim(server: SimulatorServer) -> SimulatorServer:
    server.app.set_faults(Faults())
    server.app.reset_stats()
    return server


class Sleeps:
    """Records the waits and really sleeps them (they are short)."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        time.sleep(seconds)


MakeConn = Callable[..., HttpRegisterConnector]


@pytest.fixture
def make_conn(sim: SimulatorServer) -> Iterator[MakeConn]:
    made: list[HttpRegisterConnector] = []

    def make(**kw: Any) -> HttpRegisterConnector:
        opts: dict[str, Any] = {
            "sender_id": "chitra.test",
            "timeout": 1.0,
            "retries": 2,
            "backoff": 0.01,
            "max_backoff": 0.5,
            "rate_per_second": None,
        }
        opts.update(kw)
        conn = HttpRegisterConnector(sim.url, **opts)
        made.append(conn)
        return conn

    yield make
    for c in made:
        c.close()


def searches(sim: SimulatorServer) -> int:
    return sim.app.stats.get(f"POST {SEARCH_PATH}", 0)


# -- lookups ------------------------------------------------------------------------------------


def test_lookup_in_batches_matches_the_store(
    sim: SimulatorServer, make_conn: MakeConn, store: Path
) -> None:
    conn = make_conn(batch_size=3)
    ids = KNOWN + UNKNOWN  # 11 distinct IDs -> 4 POSTs of at most 3 items
    got = conn.lookup(ids + KNOWN[:2])  # repeated IDs are asked once
    assert searches(sim) == 4
    assert sim.app.stats["search.items"] == len(ids)
    assert got == register_store.lookup(store, ids)  # every field survives the wire
    assert set(got) == set(KNOWN)  # unknown IDs are simply absent
    assert got["008045000003"].birth_precision == "Y"
    assert got["001148000002"].birth_precision == "M"
    assert got["001050000001"].death_date is not None
    assert isinstance(conn, RegisterConnector)


def test_one_connector_serves_many_threads(sim: SimulatorServer, make_conn: MakeConn) -> None:
    conn = make_conn(batch_size=2, rate_per_second=200.0)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda i: conn.lookup(KNOWN[i:] + UNKNOWN), range(4)))
    assert [set(r) for r in results] == [set(KNOWN[i:]) for i in range(4)]
    assert sim.app.stats["search.found"] == sum(len(KNOWN[i:]) for i in range(4))


def test_not_found_is_absent(sim: SimulatorServer, make_conn: MakeConn) -> None:
    conn = make_conn()
    assert conn.lookup(UNKNOWN) == {}
    result = conn.search(UNKNOWN[:1] + KNOWN[:1])
    assert result.not_found == UNKNOWN[:1] and list(result.found) == KNOWN[:1]
    assert conn.lookup([]) == {} and searches(sim) == 2


def test_rejected_items_raise_or_are_reported(make_conn: MakeConn) -> None:
    conn = make_conn()
    with pytest.raises(RegisterRejected) as exc:
        conn.lookup([KNOWN[0], "   "])
    assert [(r.personal_id, r.code) for r in exc.value.rejections] == [
        ("   ", "rjct.search_criteria.invalid")
    ]
    result = conn.search([KNOWN[0], "   "])
    assert list(result.found) == [KNOWN[0]] and list(result.rejected) == ["   "]


def test_message_rejected_by_the_register(store: Path) -> None:
    with (
        SimulatorServer(make_app(store, max_batch=2)) as small,
        HttpRegisterConnector(small.url, sender_id="t", batch_size=3, rate_per_second=None) as conn,
        pytest.raises(RegisterRejected) as exc,
    ):
        conn.lookup(KNOWN[:3])
    assert exc.value.rejections[0].code == "rjct.total_count.limit_exceeded"


# -- retries, time-outs ---------------------------------------------------------------------------


def test_retry_after_503_then_success(sim: SimulatorServer, make_conn: MakeConn) -> None:
    sleeps = Sleeps()
    conn = make_conn(sleep=sleeps)
    sim.app.set_faults(Faults(fail_next=2, status_code=503))
    assert set(conn.lookup(KNOWN[:2])) == set(KNOWN[:2])
    assert searches(sim) == 3
    assert len(sleeps.waits) == 2
    assert 0.01 <= sleeps.waits[0] <= 0.02 and 0.02 <= sleeps.waits[1] <= 0.03  # 2**n + jitter


def test_retry_after_header_is_honoured(sim: SimulatorServer, make_conn: MakeConn) -> None:
    sleeps = Sleeps()
    conn = make_conn(sleep=sleeps)
    sim.app.set_faults(Faults(fail_next=1, status_code=429, retry_after=0.2))
    assert KNOWN[0] in conn.lookup(KNOWN[:1])
    assert sleeps.waits == [0.2] and searches(sim) == 2
    assert conn.breaker_state == "closed"

    sim.app.set_faults(Faults(fail_next=1, status_code=503, retry_after=30))  # > max_backoff
    with pytest.raises(RegisterUnavailable, match=r"asked to retry .* after 30 s"):
        conn.lookup(KNOWN[:1])
    assert searches(sim) == 3  # gave up at once


def test_retries_exhausted(sim: SimulatorServer, make_conn: MakeConn) -> None:
    conn = make_conn(retries=2)
    sim.app.set_faults(Faults(fail_next=10, status_code=502))
    with pytest.raises(RegisterUnavailable, match=r"failed 3 time\(s\); last error: HTTP 502"):
        conn.lookup(KNOWN[:1])
    assert searches(sim) == 3


def test_timeouts_are_retried_then_reported(sim: SimulatorServer, make_conn: MakeConn) -> None:
    conn = make_conn(timeout=0.2, retries=1)
    sim.app.set_faults(Faults(timeout_next=1, hang_ms=1500))
    t0 = time.perf_counter()
    assert KNOWN[0] in conn.lookup(KNOWN[:1])  # first attempt times out, the retry answers
    assert time.perf_counter() - t0 < 1.2

    sim.app.set_faults(Faults(timeout_next=2, hang_ms=1500))
    with pytest.raises(RegisterUnavailable, match=r"failed 2 time\(s\); last error: timed out"):
        conn.lookup(KNOWN[:1])


def test_connection_refused(make_conn: MakeConn) -> None:
    with SimulatorServer(make_app(None, source=InMemoryConnector())) as srv:
        url = srv.url  # a port that was just free; nothing listens after stop()
    conn = HttpRegisterConnector(url, sender_id="t", retries=1, backoff=0.01, rate_per_second=None)
    with pytest.raises(RegisterUnavailable, match="connection error"):
        conn.lookup(KNOWN[:1])
    conn.close()


# -- rate limit -----------------------------------------------------------------------------------


def test_rate_limit_spaces_requests(sim: SimulatorServer, make_conn: MakeConn) -> None:
    conn = make_conn(rate_per_second=40.0, rate_burst=1, batch_size=1)
    t0 = time.perf_counter()
    conn.lookup(KNOWN[:6] + UNKNOWN[:3] + ["008070999994", "008070999995"])  # 11 POSTs
    elapsed = time.perf_counter() - t0
    assert searches(sim) == 11
    assert elapsed >= 10 / 40.0 - 0.01  # the first is free, then one every 25 ms


def test_token_bucket_with_a_fake_clock() -> None:
    now = [0.0]
    waits: list[float] = []

    def sleep(s: float) -> None:
        waits.append(s)
        now[0] += s

    bucket = TokenBucket(10.0, burst=3, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        bucket.acquire()
    assert waits == pytest.approx([0.1, 0.1])  # three from the burst, then 10 a second
    now[0] += 1.0  # idle: the bucket refills up to the burst only
    for _ in range(4):
        bucket.acquire()
    assert waits == pytest.approx([0.1, 0.1, 0.1])


# -- circuit breaker ------------------------------------------------------------------------------


def test_circuit_breaker_opens_half_opens_and_closes(
    sim: SimulatorServer, make_conn: MakeConn
) -> None:
    conn = make_conn(retries=0, breaker_failures=3, breaker_reset=0.3)
    sim.app.set_faults(Faults(error_rate=1.0, status_code=500))
    for _ in range(3):
        with pytest.raises(RegisterUnavailable, match="HTTP 500"):
            conn.lookup(KNOWN[:1])
    assert conn.breaker_state == "open" and searches(sim) == 3

    t0 = time.perf_counter()
    with pytest.raises(RegisterUnavailable, match="circuit breaker open after 3 consecutive"):
        conn.lookup(KNOWN[:1])
    assert time.perf_counter() - t0 < 0.1 and searches(sim) == 3  # failed fast, no request

    time.sleep(0.32)
    assert conn.breaker_state == "half-open"
    with pytest.raises(RegisterUnavailable, match="HTTP 500"):  # the trial call fails...
        conn.lookup(KNOWN[:1])
    assert conn.breaker_state == "open" and searches(sim) == 4  # ...and opens it again

    time.sleep(0.32)
    sim.app.set_faults(Faults())
    assert conn.breaker_state == "half-open"
    assert KNOWN[0] in conn.lookup(KNOWN[:1])  # a successful trial closes it
    assert conn.breaker_state == "closed" and conn.breaker.consecutive_failures == 0


def test_breaker_counts_consecutive_attempts_and_lets_one_trial_through() -> None:
    now = [0.0]
    b = CircuitBreaker(2, 10.0, clock=lambda: now[0])
    b.failure()
    b.success()
    b.failure()
    assert b.state == "closed"  # not consecutive
    b.failure()
    assert b.state == "open"
    now[0] = 10.0
    b.before_call()  # the trial
    with pytest.raises(Exception, match=r"0\.0"):
        b.before_call()  # a second caller while the trial runs
    b.success()
    assert b.state == "closed"


# -- changes --------------------------------------------------------------------------------------


def test_changes_are_paged(sim: SimulatorServer, make_conn: MakeConn, store: Path) -> None:
    conn = make_conn(changes_page_size=2)
    changes = conn.changes_since(BETWEEN)
    assert changes == register_store.changes_since(store, BETWEEN)
    assert len(changes) == 5 and sim.app.stats["GET /registry/changes"] == 3
    assert {c.kind for c in changes} == {"death", "correction", "new", "removed"}
    assert conn.changes_since(register_store.changes_since(store, BETWEEN)[-1].detected_at) == []


# -- malformed answers ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["not_json", "wrong_shape", "wrong_ids"])
def test_a_malformed_answer_is_retried_like_a_timeout(
    sim: SimulatorServer, make_conn: MakeConn, kind: str
) -> None:
    sleeps = Sleeps()
    conn = make_conn(sleep=sleeps, retries=2)
    sim.app.set_faults(Faults(malformed_next=1, malformed_kind=kind))
    assert set(conn.lookup(KNOWN[:2])) == set(KNOWN[:2])  # the retry got a good answer
    assert searches(sim) == 2 and len(sleeps.waits) == 1 and 0.01 <= sleeps.waits[0] <= 0.02
    assert conn.breaker_state == "closed"


@pytest.mark.parametrize(
    ("kind", "match"),
    [
        ("not_json", "not JSON"),
        ("wrong_shape", "search_response' list"),
        ("wrong_ids", "unknown reference_id 'not-asked'"),
    ],
)
def test_malformed_answers_after_the_retries_are_a_protocol_error(
    sim: SimulatorServer, make_conn: MakeConn, kind: str, match: str
) -> None:
    sleeps = Sleeps()
    conn = make_conn(sleep=sleeps, retries=2, breaker_failures=10)
    sim.app.set_faults(Faults(malformed_next=5, malformed_kind=kind))
    with pytest.raises(
        RegisterProtocolError, match=rf"malformed answer 3 time\(s\); last: .*{match}"
    ):
        conn.lookup(KNOWN[:1])
    assert searches(sim) == 3 and len(sleeps.waits) == 2  # with its back-off
    assert conn.breaker.consecutive_failures == 3  # each one a breaker failure


def test_malformed_answers_open_the_circuit_breaker(
    sim: SimulatorServer, make_conn: MakeConn
) -> None:
    conn = make_conn(retries=1, breaker_failures=3, breaker_reset=60)
    sim.app.set_faults(Faults(malformed_next=10, malformed_kind="wrong_shape"))
    with pytest.raises(RegisterProtocolError):
        conn.lookup(KNOWN[:1])
    with pytest.raises(RegisterUnavailable, match="circuit breaker open"):
        conn.lookup(KNOWN[:1])  # the third failure opened it; the next call is refused
    assert searches(sim) == 3 and conn.breaker_state == "open"


def test_a_malformed_changes_page_is_retried(sim: SimulatorServer, make_conn: MakeConn) -> None:
    conn = make_conn()
    sim.app.set_faults(Faults(malformed_next=1, malformed_kind="wrong_shape"))
    assert len(conn.changes_since(BETWEEN)) == 5
    assert sim.app.stats["GET /registry/changes"] == 2


class Garbage:
    """A tiny HTTP server answering each request with the next of its bodies (then the last)."""

    def __init__(self, *bodies: bytes, status: int = 200) -> None:
        import http.server
        import threading

        self.bodies, self.status, self.hits = list(bodies), status, 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = outer.bodies[min(outer.hits, len(outer.bodies) - 1)]
                outer.hits += 1
                self.send_response(outer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Garbage:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


GOOD = json.dumps(
    {
        "message": {
            "search_response": [
                {"reference_id": "1", "status": "succ", "data": {"reg_records": []}}
            ]
        }
    }
).encode()


@pytest.mark.parametrize(
    "garbage",
    [
        b'{"message": {"search_response": [',  # cut off
        b"\xff\xfe\x00garbage",  # not text
        b"[]",  # not an object
        b'{"message": {"search_response": [{"reference_id": 1}]}}',  # wrong type
        b'{"message": {"search_response": [{"reference_id": "1", "status": "succ", '
        b'"data": {"reg_records": [{"identifier": 5}]}}]}}',  # a record without an ID
        b'{"message": {"search_response": [{"reference_id": "1", "status": "succ", '
        b'"data": {"reg_records": {"x": 1}}}]}}',  # records not a list
        b'{"message": {"search_response": [{"reference_id": "1", "status": "succ", '
        b'"data": {"reg_records": [{"identifier": "099999999999", "name": "X"}]}}]}}',  # not asked
        b"[" * 100_000 + b"]" * 100_000,  # nested beyond reason
    ],
)
def test_garbage_from_a_real_socket_is_retried_then_refused(garbage: bytes) -> None:
    with (
        Garbage(garbage, GOOD) as srv,
        HttpRegisterConnector(
            srv.url, sender_id="t", retries=2, backoff=0.01, rate_per_second=None
        ) as conn,
    ):
        # the transaction id of the good answer is absent: accepted (optional in replies)
        assert conn.search(["001050000001"]).not_found == ["001050000001"]
        assert srv.hits == 2
    with (
        Garbage(garbage) as srv,
        HttpRegisterConnector(
            srv.url, sender_id="t", retries=2, backoff=0.01, rate_per_second=None
        ) as conn,
        pytest.raises(RegisterProtocolError, match=r"malformed answer 3 time\(s\)"),
    ):
        conn.lookup(["001050000001"])
    assert srv.hits == 3


def _mock(answer: Callable[[dict[str, Any]], Any], status: int = 200) -> HttpRegisterConnector:
    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else {}
        return httpx.Response(status, json=answer(body))

    return HttpRegisterConnector(
        "http://register.invalid",
        sender_id="t",
        retries=0,
        rate_per_second=None,
        transport=httpx.MockTransport(handler),
    )


def _ok(body: dict[str, Any], **item: Any) -> dict[str, Any]:
    refs = [i["reference_id"] for i in body["message"]["search_request"]]
    return {
        "header": {"status": "succ"},
        "message": {
            "transaction_id": body["message"]["transaction_id"],
            "search_response": [
                {"reference_id": r, "status": "SUCC", "data": {"reg_records": []}, **item}
                for r in refs
            ],
        },
    }


PERSON = register_store.RegisterPerson("001050000001", "Nguyễn Văn An", None, "D", "M", None, None)


@pytest.mark.parametrize(
    ("answer", "match"),
    [
        (lambda b: {"header": {}}, "no 'message' object"),
        (lambda b: {"message": {"search_response": {}}}, "search_response' list"),
        (lambda b: {"message": {"search_response": []}}, "lacks 1 of 1"),
        (lambda b: _ok(b, reference_id="zzz"), "unknown reference_id"),
        (lambda b: _ok(b, status="pdng"), "sync search answered 'pdng'"),
        (lambda b: _ok(b, status="weird"), "has status 'weird'"),
        (lambda b: _ok(b, data={"reg_records": [person_to_record(PERSON)] * 2}), "2 records"),
        (
            lambda b: _ok(b, data={"reg_records": [{"identifier": "001050000001", "name": 3}]}),
            "no name",
        ),
        (
            lambda b: _ok(
                b, data={"reg_records": [{**person_to_record(PERSON), "birthdate": "12/03/1950"}]}
            ),
            "not an ISO",
        ),
        (
            lambda b: {**_ok(b), "message": {**_ok(b)["message"], "transaction_id": "other"}},
            "another transaction",
        ),
        (lambda b: [1, 2], "not an object"),
    ],
)
def test_malformed_search_answers(answer: Callable[[dict[str, Any]], Any], match: str) -> None:
    with _mock(answer) as conn, pytest.raises(RegisterProtocolError, match=match):
        conn.lookup(["001050000001"])


def test_record_for_another_id_is_a_protocol_error() -> None:
    other = register_store.RegisterPerson("008045000003", "X", None, "D", "M", None, None)
    with (
        _mock(lambda b: _ok(b, data={"reg_records": [person_to_record(other)]})) as conn,
        pytest.raises(RegisterProtocolError, match="got a record for 008045000003"),
    ):
        conn.lookup(["001050000001"])


def test_http_4xx_is_a_rejection_not_retried() -> None:
    calls = []

    def answer(body: dict[str, Any]) -> Any:
        calls.append(body)
        return {"errors": [{"code": "auth.invalid", "message": "bad token"}]}

    with _mock(answer, status=401) as conn, pytest.raises(RegisterRejected, match=r"http\.401"):
        conn.lookup(["001050000001"])
    assert len(calls) == 1 and conn.breaker_state == "closed"


def test_malformed_changes_answers() -> None:
    with (
        _mock(lambda b: {"changes": {}}) as conn,
        pytest.raises(RegisterProtocolError, match="no 'changes' list"),
    ):
        conn.changes_since(BETWEEN)
    with (
        _mock(lambda b: {"changes": [{"personal_id": "1", "kind": "x"}]}) as conn,
        pytest.raises(RegisterProtocolError, match="malformed change"),
    ):
        conn.changes_since(BETWEEN)
    with (
        _mock(lambda b: {"changes": [], "next_cursor": "same"}) as conn,
        pytest.raises(RegisterProtocolError, match="repeats"),
    ):
        conn.changes_since(BETWEEN)


def test_records_round_trip() -> None:
    assert person_from_record(person_to_record(PERSON)) == PERSON
    full = person_from_record(
        {
            "identifier": "1",
            "name": {"sur_name": "Lê", "given_name": "B"},
            "sex": "2",
            "birthdate": "1950-03",
            "deathdate": None,
        }
    )
    assert (full.full_name, full.sex, full.birth_precision) == ("Lê B", "F", "M")


def test_health(sim: SimulatorServer, make_conn: MakeConn) -> None:
    assert make_conn().health()["status"] == "ok"


# -- verification ---------------------------------------------------------------------------------


def test_lookup_ids_keeps_valid_distinct_ids() -> None:
    people = pa.table({"personal_id": [KNOWN[0], None, "", "12ab", f" {KNOWN[0]} ", KNOWN[1]]})
    assert lookup_ids(people) == KNOWN[:2]


def test_verify_batch_over_http_equals_the_extract(
    sim: SimulatorServer, make_conn: MakeConn, store: Path
) -> None:
    pytest.importorskip("chitra.engine.register.verify")
    d = date.fromisoformat
    people = pa.table(
        {
            "input_row": pa.array([1, 2, 3, 4, 5, 6, 7], pa.int64()),
            "personal_id": pa.array(
                [FIRST[0][0], FIRST[1][0], UNKNOWN[0], "0080", FIRST[4][0], FIRST[4][0], None]
            ),
            "full_name": [
                "Nguyen Van An",
                "Trần Thị Bình",
                "Ai Đó",
                "Người Khác",
                "Hoàng Văn Em",
                "Hoàng Văn Em",
                "Đỗ Thị Phương",
            ],
            "birth_date": pa.array(
                [
                    d("1950-03-12"),
                    d("1948-05-01"),
                    None,
                    None,
                    d("1952-07-30"),
                    d("1952-07-30"),
                    d("1955-11-02"),
                ],
                pa.date32(),
            ),
            "birth_precision": pa.array(["D", "M", None, None, "D", "D", "D"], pa.string()),
            "sex": ["M", "M", "M", "F", "M", "M", "F"],
            "commune_code": ["08089", "08089", None, None, "08092", "08092", "08095"],
        }
    )
    with FileExtractConnector(store) as local:
        expected = local.verify_batch(people)
    got = make_conn().verify_batch(people)
    assert got.schema == expected.schema
    assert got.slice(0, 6).equals(expected.slice(0, 6))  # every row with an ID: same verdict
    assert set(expected.column("outcome").to_pylist()[:6]) >= {
        "deceased",
        "mismatch",
        "not_found",
        "invalid_id",
        "duplicate",
    }
    # without an ID the extract proposes candidates; over HTTP there is no candidate search
    assert expected.column("candidate_ids")[6].as_py() == FIRST[5][0]
    assert got.column("outcome")[6].as_py() == "no_id"
    assert got.column("candidate_ids")[6].as_py() == ""


def _fake_verify(con: Any, people: pa.Table, *, register_table: str = "register") -> pa.Table:
    """Stands in for chitra.engine.register.verify.verify: one row per person, in input order."""
    con.register("_people", people)
    return con.sql(
        f"""SELECT p.input_row,
                   CASE WHEN nullif(trim(p.personal_id), '') IS NULL THEN 'no_id'
                        WHEN r.personal_id IS NULL THEN 'not_in_register' ELSE 'match' END
                       AS outcome,
                   (SELECT count(*) FROM {register_table}) AS candidates
            FROM _people p LEFT JOIN {register_table} r USING (personal_id)
            ORDER BY p.input_row"""
    ).to_arrow_table()


def test_verify_with_register_rows_hides_the_partial_register_from_no_id_rows(
    sim: SimulatorServer, make_conn: MakeConn, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chitra.register import connector

    monkeypatch.setattr(connector, "_verify", lambda: _fake_verify)
    people = pa.table(
        {
            "input_row": pa.array([1, 2, 3, 4, 5], pa.int64()),
            "personal_id": pa.array([None, KNOWN[0], "  ", UNKNOWN[0], KNOWN[1]], pa.string()),
        }
    )
    out = make_conn().verify_batch(people)
    assert out.column("input_row").to_pylist() == [1, 2, 3, 4, 5]
    assert out.column("outcome").to_pylist() == [
        "no_id",
        "match",
        "no_id",
        "not_in_register",
        "match",
    ]
    # rows with an ID saw the two fetched register rows, rows without one saw none
    assert out.column("candidates").to_pylist() == [0, 2, 0, 2, 2]
    everyone_without = people.filter(pc.is_null(people["personal_id"]))
    assert InMemoryConnector().verify_batch(everyone_without).column("outcome").to_pylist() == [
        "no_id"
    ]


def test_http_register_rows_equal_the_store_rows(make_conn: MakeConn, store: Path) -> None:
    from chitra.register.connector import REGISTER_TABLE_SCHEMA, register_table

    built = register_table(make_conn().lookup(KNOWN).values()).sort_by("personal_id")
    with register_store.open_store(store) as con:
        cols = ", ".join(REGISTER_TABLE_SCHEMA.names)
        stored = con.sql(f"SELECT {cols} FROM register ORDER BY personal_id").to_arrow_table()
    assert built.equals(stored.cast(REGISTER_TABLE_SCHEMA))  # name_folded included
