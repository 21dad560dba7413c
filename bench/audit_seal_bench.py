"""Benchmark the audit trail's hash chain (chitra.core.seal, ADR 0009) on PostgreSQL.

Usage:
    .venv/bin/python bench/audit_seal_bench.py [--events 1000000] [--db chitra_audit_bench]
        [--pg postgres://postgres@127.0.0.1:5432] [--drop]

Creates the database `--db` (dropped first), migrates it and writes `--events` audit events with
`core.audit.audit_bulk` (COPY), in transactions of 100,000 events (each its own transaction id,
as many writers would), with before/after JSON of a few keys and Vietnamese text, then VACUUM
ANALYZE. Then it times, in this order:
- baseline 1: a plain SELECT of the same rows and columns through a server-side cursor,
  values as psycopg gives them (no Python conversion);
- baseline 2: the same rows read the way the sealer reads them (the ORM's values_list
  iterator: JSON parsed, times made aware);
- `audit_seal()` of all of them (read, canonical JSON, SHA-256, COPY of the links);
- `audit_verify()` of the whole chain;
- 10,000 new events and `audit_seal()` again: a run reads only what may be new (the horizon).
It prints events/s and the ratios seal / baseline. Standalone script, not a pytest test.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import _pg

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

BATCH = 100_000


def write_events(n: int, start: int = 0) -> float:
    from django.db import transaction

    from chitra.core.audit import AuditRow, audit_bulk
    from chitra.iam.services import system_actor

    actor = system_actor()
    t = time.perf_counter()
    for first in range(start, start + n, BATCH):
        last = min(start + n, first + BATCH)
        with transaction.atomic():
            audit_bulk(
                actor,
                "registry.import.row",
                (
                    AuditRow(
                        "registry.beneficiary",
                        i,
                        f"Nguyễn Văn Thử {i} (0080550{i:05d})",
                        {"status": "active", "phone": None} if i % 3 else None,
                        {
                            "full_name": f"Nguyễn Văn Thử {i}",
                            "commune": "02269",
                            "entitlements": [
                                {
                                    "benefit_type": "PENSION",
                                    "monthly_amount": 5_200_000 + i % 1000,
                                    "paid_through": "2026-11-01",
                                }
                            ],
                            "birth_date": "1955-03-04",
                            "sex": "M",
                        },
                    )
                    for i in range(first, last)
                ),
                reason="danh-sach.xlsx",
                province="08",
            )
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--db", default="chitra_audit_bench")
    ap.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    ap.add_argument("--drop", action="store_true")
    args = ap.parse_args()

    _pg.recreate_db(args.pg, args.db)
    _pg.setup_django(args.pg, args.db, "chitra-audit-bench-")
    from django.core.management import call_command
    from django.db import connection, transaction

    from chitra.core.models import AuditEvent
    from chitra.core.seal import CANONICAL_FIELDS, audit_seal, audit_verify

    call_command("migrate", verbosity=0)
    took = write_events(args.events)
    print(
        f"written: {args.events:,} events in {took:.1f} s "
        f"({args.events / took:,.0f} events/s, audit_bulk COPY)"
    )
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE core_auditevent")
        cur.execute("CHECKPOINT")

    columns = ", ".join(f'"{c}"' for c in CANONICAL_FIELDS)
    with transaction.atomic():
        t = time.perf_counter()
        n_raw = 0
        with connection.connection.cursor(name="bench_plain") as cur:
            cur.itersize = 5000
            cur.execute(f"SELECT {columns} FROM core_auditevent ORDER BY id")
            for _row in cur:
                n_raw += 1
        plain = time.perf_counter() - t
    with transaction.atomic():
        t = time.perf_counter()
        n_orm = sum(
            1
            for _ in AuditEvent.objects.order_by("id")
            .values_list(*CANONICAL_FIELDS)
            .iterator(chunk_size=5000)
        )
        orm = time.perf_counter() - t
    assert n_raw == n_orm == args.events

    t = time.perf_counter()
    result = audit_seal()
    seal = time.perf_counter() - t
    assert result.sealed == args.events

    t = time.perf_counter()
    report = audit_verify()
    verify = time.perf_counter() - t
    assert report.ok and report.checked == args.events, report.findings[:5]

    write_events(10_000, start=args.events)
    t = time.perf_counter()
    again = audit_seal()
    incremental = time.perf_counter() - t
    assert again.sealed == 10_000

    print(
        f"baseline 1, plain SELECT (server-side cursor, no conversion): {plain:.1f} s "
        f"({args.events / plain:,.0f} rows/s)"
    )
    print(
        f"baseline 2, the sealer's read (ORM values_list iterator): {orm:.1f} s "
        f"({args.events / orm:,.0f} rows/s)"
    )
    print(
        f"audit_seal, {args.events:,} events: {seal:.1f} s ({args.events / seal:,.0f} "
        f"events/s); {seal / plain:.2f}x the plain SELECT, {seal / orm:.2f}x the ORM read"
    )
    print(
        f"audit_verify, whole chain: {verify:.1f} s ({args.events / verify:,.0f} events/s); "
        f"{verify / plain:.2f}x the plain SELECT"
    )
    print(f"audit_seal of 10,000 new events after {args.events:,}: {incremental:.2f} s")
    print(f"peak RSS: {_pg.peak_rss_mb():,.0f} MB")
    connection.close()
    if args.drop:
        _pg.drop_db(args.pg, args.db)


if __name__ == "__main__":
    main()
