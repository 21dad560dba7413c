"""The register simulator: a real HTTP server on 127.0.0.1 answering G2P Connect sync search
from a DuckDB register store, with faults switchable at run time."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from chitra.demo.register_simulator import Faults, SimulatorServer, make_app, start
from chitra.engine.register.store import load_extract
from chitra.register.connector import FileExtractConnector
from chitra.register.http_client import SEARCH_PATH, utc_now_iso
from tests.register import BETWEEN, FIRST, SECOND, build_store, write_extract


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("register"))


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[SimulatorServer]:
    srv = start(store)
    yield srv
    srv.stop()


@pytest.fixture
def http(server: SimulatorServer) -> Iterator[httpx.Client]:
    server.app.set_faults(Faults())
    server.app.reset_stats()
    with httpx.Client(base_url=server.url, timeout=5.0) as client:
        yield client


def envelope(
    items: list[dict[str, Any]], *, action: str = "search", total: int | None = None
) -> dict[str, Any]:
    return {
        "signature": "",
        "header": {
            "version": "1.0.0",
            "message_id": str(uuid.uuid4()),
            "message_ts": utc_now_iso(),
            "action": action,
            "sender_id": "chitra.test",
            "receiver_id": "npr",
            "total_count": len(items) if total is None else total,
            "is_msg_encrypted": False,
        },
        "message": {"transaction_id": "txn-1", "search_request": items},
    }


def item(
    ref: str,
    value: Any,
    *,
    id_type: str = "NID",
    query_type: str = "idtype-value",
    timestamp: str | None = None,
) -> dict[str, Any]:
    return {
        "reference_id": ref,
        "timestamp": timestamp or utc_now_iso(),
        "search_criteria": {
            "version": "1.0.0",
            "reg_type": "ns:org:RegistryType:Civil",
            "query_type": query_type,
            "query": {"type": id_type, "value": value},
            "result_record_type": "person",
        },
    }


def test_health_and_unknown_paths(http: httpx.Client) -> None:
    r = http.get("/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"
    assert http.get("/nowhere").status_code == 404
    assert http.get(SEARCH_PATH).status_code == 405


def test_search_answers_found_not_found_and_rejections(http: httpx.Client) -> None:
    items = [
        item("a", "001050000001"),  # found
        item("b", "008070999991"),  # not in the register
        item("c", "008045000003", id_type="personal_id"),  # found, our alias id type
        item("a", "008052000005"),  # duplicate reference_id
        item("", "008052000005"),  # invalid reference_id
        item("d", "008052000005", query_type="expression"),
        item("e", "  "),  # empty value
        item("f", "008052000005", id_type="MOBILE"),
        item("g", "008052000005", timestamp="yesterday"),
    ]
    body = http.post(SEARCH_PATH, json=envelope(items)).json()
    assert body["header"]["action"] == "on-search"
    assert body["header"]["status"] == "succ"
    assert body["header"]["receiver_id"] == "chitra.test"
    assert body["header"]["completed_count"] == len(items)
    assert body["message"]["transaction_id"] == "txn-1"
    got = [
        (r["reference_id"], r["status"], r.get("status_reason_code"))
        for r in body["message"]["search_response"]
    ]
    assert got == [
        ("a", "succ", None),
        ("b", "succ", None),
        ("c", "succ", None),
        ("a", "rjct", "rjct.reference_id.duplicate"),
        ("", "rjct", "rjct.reference_id.invalid"),
        ("d", "rjct", "rjct.search_criteria.invalid"),
        ("e", "rjct", "rjct.search_criteria.invalid"),
        ("f", "rjct", "rjct.search_criteria.invalid"),
        ("g", "rjct", "rjct.timestamp.invalid"),
    ]
    responses = body["message"]["search_response"]
    rec = responses[0]["data"]["reg_records"][0]
    assert rec["identifier_type"] == "NID" and rec["identifier"] == "001050000001"
    assert rec["name"]["full_name"] == "Nguyễn Văn An" and rec["name"]["sur_name"] == "Nguyễn"
    assert rec["sex"] == "1" and rec["birthdate"] == "1950-03-12"
    assert rec["deathdate"] == "2025-01-20" and rec["address"] == {"commune_code": "08089"}
    assert responses[1]["data"]["reg_records"] == []
    year_only = responses[2]["data"]["reg_records"][0]
    assert year_only["birthdate"] == "1945" and year_only["address"]["commune_code"] is None


def test_message_level_rejections(http: httpx.Client, store: Path) -> None:
    body = http.post(SEARCH_PATH, json=envelope([item("1", "x")], action="subscribe")).json()
    assert (body["header"]["status"], body["header"]["status_reason_code"]) == (
        "rjct",
        "rjct.action.invalid",
    )
    body = http.post(SEARCH_PATH, json=envelope([item("1", "x")], total=5)).json()
    assert body["header"]["status_reason_code"] == "rjct.total_count.invalid"
    r = http.post(SEARCH_PATH, content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "rjct.request.invalid"
    assert http.post(SEARCH_PATH, json={"header": {}}).status_code == 400

    with (
        SimulatorServer(make_app(store, max_batch=2)) as small,
        httpx.Client(base_url=small.url) as c,
    ):
        body = c.post(SEARCH_PATH, json=envelope([item(str(i), "x") for i in range(3)])).json()
        assert body["header"]["status_reason_code"] == "rjct.total_count.limit_exceeded"
        assert body["message"]["search_response"] == []


def test_changes_endpoint_pages(http: httpx.Client) -> None:
    r = http.get("/registry/changes", params={"since": BETWEEN.isoformat(), "limit": 2})
    page = r.json()
    assert [c["personal_id"] for c in page["changes"]] == ["001050000001", "001148000002"]
    assert page["changes"][0] == {
        "personal_id": "001050000001",
        "kind": "death",
        "fields": {"death_date": "2025-01-20"},
        "detected_at": "2025-02-01T06:00:00",
    }
    assert page["next_cursor"] == "2"
    last = http.get(
        "/registry/changes", params={"since": BETWEEN.isoformat(), "limit": 2, "cursor": "4"}
    ).json()
    assert len(last["changes"]) == 1 and last["next_cursor"] is None
    assert http.get("/registry/changes", params={"since": "2026-01-01"}).json() == {
        "changes": [],
        "next_cursor": None,
    }
    assert http.get("/registry/changes", params={"since": "soon"}).status_code == 400
    assert (
        http.get(
            "/registry/changes", params={"since": BETWEEN.isoformat(), "cursor": "-1"}
        ).status_code
        == 400
    )


def test_faults_endpoint_patches_and_resets(http: httpx.Client) -> None:
    assert http.get("/_faults").json() == Faults().to_json()
    now = http.post("/_faults", json={"latency_ms": 5, "error_rate": 0.5, "seed": 7}).json()
    assert (now["latency_ms"], now["error_rate"], now["seed"]) == (5, 0.5, 7)
    now = http.post("/_faults", json={"status_code": 502}).json()
    assert (now["latency_ms"], now["status_code"]) == (5, 502)  # a patch keeps the rest
    now = http.post("/_faults", json={"reset": True, "timeout_rate": 0.1}).json()
    assert now == {**Faults().to_json(), "timeout_rate": 0.1}
    bad = http.post("/_faults", json={"error_rate": 2})
    assert bad.status_code == 400 and bad.json()["errors"][0]["code"] == "faults.invalid"
    assert http.post("/_faults", json={"nonsense": 1}).status_code == 400
    # health and the fault switch itself never fail
    http.post("/_faults", json={"reset": True, "error_rate": 1.0})
    assert http.get("/health").status_code == 200
    assert http.post(SEARCH_PATH, json=envelope([])).status_code == 503


def test_deterministic_faults(http: httpx.Client, server: SimulatorServer) -> None:
    def statuses() -> list[int]:
        return [
            http.get("/registry/changes", params={"since": "2030-01-01"}).status_code
            for _ in range(12)
        ]

    http.post("/_faults", json={"error_rate": 0.5, "seed": 42, "status_code": 502})
    first = statuses()
    http.post("/_faults", json={"seed": 42})  # same seed again -> same sequence
    assert statuses() == first
    assert set(first) == {200, 502}

    server.app.reset_stats()
    http.post(
        "/_faults",
        json={
            "reset": True,
            "fail_next": 2,
            "malformed_next": 1,
            "retry_after": 1.5,
            "status_code": 429,
        },
    )
    r1 = http.post(SEARCH_PATH, json=envelope([]))
    assert r1.status_code == 429 and r1.headers["Retry-After"] == "1.5"
    assert http.post(SEARCH_PATH, json=envelope([])).status_code == 429
    malformed = http.post(SEARCH_PATH, json=envelope([]))
    assert malformed.status_code == 200
    with pytest.raises(ValueError):
        malformed.json()
    assert http.post(SEARCH_PATH, json=envelope([])).status_code == 200
    assert server.app.stats["fault.error"] == 2 and server.app.stats["fault.malformed"] == 1


def test_latency_and_hang(http: httpx.Client) -> None:
    http.post("/_faults", json={"latency_ms": 150})
    t0 = time.perf_counter()
    assert http.get("/registry/changes", params={"since": "2030-01-01"}).status_code == 200
    assert time.perf_counter() - t0 >= 0.14
    http.post("/_faults", json={"reset": True, "timeout_next": 1, "hang_ms": 2000})
    with pytest.raises(httpx.ReadTimeout):
        http.get("/registry/changes", params={"since": "2030-01-01"}, timeout=0.2)
    assert http.get("/registry/changes", params={"since": "2030-01-01"}).status_code == 200


def test_faults_set_at_start(store: Path) -> None:
    with (
        start(store, faults=Faults(fail_next=1, status_code=500)) as srv,
        httpx.Client(base_url=srv.url) as c,
    ):
        assert c.post(SEARCH_PATH, json=envelope([])).status_code == 500
        assert c.post(SEARCH_PATH, json=envelope([])).status_code == 200


def test_faults_validate() -> None:
    with pytest.raises(ValueError):
        Faults(error_rate=1.5)
    with pytest.raises(ValueError):
        Faults(status_code=42)
    with pytest.raises(ValueError):
        Faults.from_json({"latency_ms": "slow"})


def test_store_reload_is_seen_without_restart(tmp_path: Path) -> None:
    store = tmp_path / "r.duckdb"
    load_extract(
        write_extract(tmp_path / "a.csv", FIRST),
        store,
        checksum=False,
        memory_limit="256MB",
        threads=1,
    )
    conn = FileExtractConnector(store)
    try:
        assert "008138000008" in conn.lookup(["008138000008"])
        load_extract(
            write_extract(tmp_path / "b.csv", SECOND),
            store,
            checksum=False,
            memory_limit="256MB",
            threads=1,
        )
        assert conn.lookup(["008138000008", "008049000009"]).keys() == {"008049000009"}
        assert conn.info()["rows"] == len(SECOND)
    finally:
        conn.close()


def test_malformed_kinds_are_switchable() -> None:
    assert Faults.from_json({"malformed_kind": "wrong_ids"}).malformed_kind == "wrong_ids"
    with pytest.raises(ValueError, match="malformed_kind must be one of"):
        Faults(malformed_kind="zip")
