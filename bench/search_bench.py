"""Benchmark the registry search (chitra.registry.selectors.beneficiary_list) on PostgreSQL.

Usage:
    .venv/bin/python bench/search_bench.py [--rows 3500000] [--db chitra_bench]
        [--pg postgres://postgres@127.0.0.1:5432] [--reps 20] [--reuse] [--drop]

Creates the database `--db` (dropped first if it exists), migrates it, bulk-loads `--rows`
synthetic beneficiaries (chitra.demo.generator, chunks of 500k, each chunk in the real communes
of one province: 08 Tuyên Quang first, then other provinces, so that province scoping means
something) with COPY, rebuilds the app's indexes and runs VACUUM ANALYZE. Then it times what the
list page does, `list(beneficiary_list(user, q=...)[:51])` (one page + 1), for a BHXH province
officer of province 08 and for a national user: an exact 12-digit ID, a 10-digit social insurance
number, a full name, a partial name ("van duc"), a rare given name, a common surname only
("nguyen"), a name that matches nothing, plus two extras (an ID prefix and a 2-letter fragment).
Each query runs once to warm up and then `--reps` times; median and p95 in ms are printed.

Baseline, same process and same data: the same queries with index scans disabled in the session
(SET enable_bitmapscan/enable_indexscan/enable_indexonlyscan = off), i.e. a (parallel) sequential
scan; the ratio printed is baseline / indexed (the speed-up). Target: < 100 ms per search.
EXPLAIN (ANALYZE, BUFFERS) is printed for the name searches, and for every query that misses the
target.

--reuse skips creating and loading when the database already holds --rows beneficiaries (to
re-run the queries); --drop drops the database at the end. Standalone script, not a pytest test.

The loader is a bench loader, not the import: the data are valid by construction, so it drops the
table's secondary indexes, COPYs with session_replication_role=replica (no FK trigger per row;
an orphan check runs afterwards) and rebuilds the indexes from their original definitions.
Entitlements are not loaded (the search does not touch them).
"""

from __future__ import annotations

import argparse
import io
import math
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import _pg

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

#: 08 first (the officer's province), then other provinces, one 500k chunk each, cycling.
PROVINCES = ("08", "01", "79", "38", "40", "31", "48", "25", "37", "68")
CHUNK = 500_000
TARGET_MS = 100.0
COPY_COLUMNS = (
    "created_at",
    "updated_at",
    "personal_id",
    "old_id",
    "si_number",
    "full_name",
    "name_folded",
    "birth_date",
    "birth_precision",
    "sex",
    "commune_id",
    "address",
    "phone",
    "status",
)


def _db_rows(pg: str, db: str) -> int | None:
    """Beneficiaries in `db`, or None when the database (or table) does not exist."""
    import psycopg

    if not _pg.database_exists(pg, db):
        return None
    try:
        with psycopg.connect(f"{pg.rstrip('/')}/{db}") as conn:
            return conn.execute("SELECT count(*) FROM registry_beneficiary").fetchone()[0]
    except psycopg.Error:
        return None


# --------------------------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------------------------


def load(rows: int, seed: int) -> dict[str, float]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv
    from django.db import connection
    from django.utils import timezone

    from chitra.demo import generator as demo_gen
    from chitra.geo.models import Commune

    times: dict[str, float] = {}
    commune_id = dict(Commune.objects.values_list("code", "id"))
    today = date.today()
    now = timezone.now().isoformat()
    seen_pid: set[str] = set()
    seen_si: set[str] = set()
    loaded = 0
    dropped = 0
    t_gen = t_prep = t_copy = 0.0
    with connection.cursor() as dj_cur:
        cur = dj_cur.cursor  # the psycopg cursor under Django's wrapper
        _pg.check_columns(
            cur, "registry_beneficiary", COPY_COLUMNS, "COPY_COLUMNS in bench/search_bench.py"
        )
        indexes = _pg.secondary_indexes(cur, "registry_beneficiary")
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        cur.execute("SET session_replication_role = replica")
        chunk_no = 0
        while loaded < rows:
            n = min(CHUNK, rows - loaded)
            province = PROVINCES[chunk_no % len(PROVINCES)]
            communes = [
                demo_gen.Commune(code=c.code, name=c.name, is_urban=c.is_urban)
                for c in Commune.objects.filter(province__code=province).order_by("code")
            ]
            t0 = time.perf_counter()
            t = demo_gen.generate_beneficiaries(
                province_code=province,
                communes=communes,
                n=n + n // 50,
                seed=seed + chunk_no,
                today=today,
            )
            t1 = time.perf_counter()
            # IDs must stay unique across chunks (each chunk is generated independently).
            pids = t.column("personal_id").to_pylist()
            sis = t.column("si_number").to_pylist()
            keep = np.zeros(t.num_rows, dtype=bool)
            kept = 0
            for i in range(t.num_rows):
                if kept == n:
                    break
                p, s = pids[i], sis[i]
                if (p is not None and p in seen_pid) or (s is not None and s in seen_si):
                    dropped += 1
                    continue
                if p is not None:
                    seen_pid.add(p)
                if s is not None:
                    seen_si.add(s)
                keep[i] = True
                kept += 1
            t = t.filter(pa.array(keep))
            codes = t.column("commune_code").to_pylist()
            ids = pa.array([commune_id[c] for c in codes], pa.int64())
            k = t.num_rows
            const = pa.array([now] * k, pa.string()) if k else pa.array([], pa.string())
            out = pa.table(
                {
                    "created_at": const,
                    "updated_at": const,
                    "personal_id": t.column("personal_id"),
                    "old_id": t.column("old_id"),
                    "si_number": t.column("si_number"),
                    "full_name": t.column("full_name"),
                    "name_folded": _pg.fold_column(t.column("full_name")),
                    "birth_date": t.column("birth_date"),
                    "birth_precision": t.column("birth_precision"),
                    "sex": t.column("sex"),
                    "commune_id": ids,
                    "address": pc.fill_null(t.column("address"), ""),
                    "phone": pc.fill_null(t.column("phone"), ""),
                    "status": pa.array(["active"] * k, pa.string()),
                }
            )
            buf = io.BytesIO()
            pcsv.write_csv(out, buf, write_options=pcsv.WriteOptions(include_header=False))
            t2 = time.perf_counter()
            cols = ", ".join(COPY_COLUMNS)
            data = buf.getbuffer()
            with cur.copy(f"COPY registry_beneficiary ({cols}) FROM STDIN (FORMAT csv)") as cp:
                for off in range(0, len(data), 1 << 23):
                    cp.write(data[off : off + (1 << 23)])
            del data
            buf.close()
            t3 = time.perf_counter()
            t_gen += t1 - t0
            t_prep += t2 - t1
            t_copy += t3 - t2
            loaded += k
            chunk_no += 1
            print(
                f"  chunk {chunk_no}: province {province} rows={k} "
                f"(generate {t1 - t0:.1f} s, fold+csv {t2 - t1:.1f} s, COPY {t3 - t2:.1f} s)",
                flush=True,
            )
        cur.execute("SET session_replication_role = origin")
        times["generate"] = t_gen
        times["fold+csv"] = t_prep
        times["COPY"] = t_copy
        print(f"  rows skipped as cross-chunk ID duplicates: {dropped}")
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute("SET max_parallel_maintenance_workers = 2")
        t_idx = time.perf_counter()
        for name, ddl in indexes:
            t0 = time.perf_counter()
            cur.execute(ddl)
            print(f"  index {name}: {time.perf_counter() - t0:.1f} s", flush=True)
        times["indexes"] = time.perf_counter() - t_idx
        cur.execute("""SELECT count(*) FROM registry_beneficiary b
                       LEFT JOIN geo_commune c ON c.id = b.commune_id WHERE c.id IS NULL""")
        orphans = cur.fetchone()[0]
        if orphans:
            raise SystemExit(f"{orphans} beneficiaries point to no commune")
        t0 = time.perf_counter()
        cur.execute("VACUUM (ANALYZE) registry_beneficiary")
        cur.execute("ANALYZE")  # every table (geo_commune too), as autovacuum would have
        times["vacuum analyze"] = time.perf_counter() - t0
    return times


# --------------------------------------------------------------------------------------------
# users and queries
# --------------------------------------------------------------------------------------------


def bench_users():  # type: ignore[no-untyped-def]
    from chitra.geo.models import Province
    from chitra.iam.models import OrgKind, Role, User
    from chitra.iam.services import organisation_upsert, system_actor, user_upsert

    sysu = system_actor()
    province = Province.objects.get(code=PROVINCES[0])
    org = organisation_upsert(
        actor=sysu,
        code="bench-bhxh-08",
        kind=OrgKind.BHXH_PROVINCE,
        name="BHXH tỉnh Tuyên Quang (bench)",
        province=province,
    )
    officer = user_upsert(
        actor=sysu,
        username="bench_officer_08",
        organisation=org,
        role=Role.OFFICER,
        full_name="Bench officer 08",
    )
    national = User.objects.filter(username="bench_national").first()
    if national is None:
        national = User.objects.create_superuser(username="bench_national", email="", password=None)
    # as the auth middleware would load them
    officer = User.objects.select_related("organisation").get(pk=officer.pk)
    national = User.objects.select_related("organisation").get(pk=national.pk)
    return officer, national


def pick_queries() -> list[tuple[str, str]]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT array_agg(c.id) FROM geo_commune c JOIN geo_province p "
            "ON p.id = c.province_id WHERE p.code = %s",
            [PROVINCES[0]],
        )
        ids = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM registry_beneficiary WHERE commune_id = ANY(%s)", [ids])
        offset = min(54321, cur.fetchone()[0] // 2)
        cur.execute(
            """SELECT personal_id, si_number, full_name FROM registry_beneficiary
                       WHERE commune_id = ANY(%s) AND personal_id IS NOT NULL
                       ORDER BY id LIMIT 1 OFFSET %s""",
            [ids, offset],
        )
        pid, si, full_name = cur.fetchone()
        # rarest given name (last word; >= 4 letters, as shorter ones are substrings of many
        # names) present in 08
        cur.execute(
            """SELECT w, total, here FROM (
                         SELECT split_part(name_folded, ' ', -1) AS w, count(*) AS total,
                                count(*) FILTER (WHERE commune_id = ANY(%s)) AS here
                         FROM registry_beneficiary GROUP BY 1) s
                       WHERE here > 0 AND length(w) >= 4 ORDER BY total, w LIMIT 1""",
            [ids],
        )
        rare, rare_total, rare_here = cur.fetchone()
    print(f"  rare given name: {rare} ({rare_total} nationally, {rare_here} in province 08)")
    return [
        ("exact 12-digit ID", pid),
        ("10-digit SI number", si),
        ("full name", full_name),
        ("partial name 'van duc'", "van duc"),
        ("rare given name", rare.title()),
        ("surname only 'nguyen'", "nguyen"),
        ("no match", "Zzyzx Qwerty"),
        ("extra: ID prefix (8 digits)", pid[:8]),
        ("extra: 2-letter no match 'qx'", "qx"),
    ]


def count_matches(user, q: str) -> int:  # type: ignore[no-untyped-def]
    from chitra.registry.selectors import beneficiary_list

    return beneficiary_list(user, q=q).count()


def run_query(user, q: str) -> int:  # type: ignore[no-untyped-def]
    from chitra.registry.selectors import beneficiary_list

    return len(list(beneficiary_list(user, q=q)[:51]))


def timed(user, q: str, reps: int) -> tuple[list[float], int]:  # type: ignore[no-untyped-def]
    n = run_query(user, q)  # warm-up
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        run_query(user, q)
        out.append((time.perf_counter() - t0) * 1000)
    return out, n


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile (the 19th of 20 values)."""
    s = sorted(values)
    return s[max(0, math.ceil(0.95 * len(s)) - 1)]


def explain(user, q: str) -> str:  # type: ignore[no-untyped-def]
    from django.db import connection

    from chitra.registry.selectors import beneficiary_list

    sql, params = beneficiary_list(user, q=q)[:51].query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join("      " + r[0] for r in cur.fetchall())


def set_seqscan(on: bool) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        for knob in ("enable_bitmapscan", "enable_indexscan", "enable_indexonlyscan"):
            cur.execute(f"SET {knob} = {'off' if on else 'on'}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=3_500_000)
    ap.add_argument("--db", default="chitra_bench")
    ap.add_argument(
        "--pg",
        default="postgres://postgres@127.0.0.1:5432",
        help="server URL without the database name",
    )
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--base-reps", type=int, default=3, help="runs of each baseline query")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="keep an existing database that already has --rows beneficiaries",
    )
    ap.add_argument("--drop", action="store_true", help="drop the database at the end")
    args = ap.parse_args()

    t_all = time.perf_counter()
    reuse = args.reuse and _db_rows(args.pg, args.db) == args.rows
    if not reuse:
        _pg.recreate_db(args.pg, args.db)
    _pg.setup_django(args.pg, args.db, "chitra-search-bench-")
    from django.core.management import call_command
    from django.db import connection

    if not reuse:
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"database {args.db}: created and migrated in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        phases = load(args.rows, args.seed)
        t_load = time.perf_counter() - t0
        print(
            f"load {args.rows:,} rows: {t_load:.1f} s ({args.rows / t_load:,.0f} rows/s) — "
            + ", ".join(f"{k} {v:.1f} s" for k, v in phases.items())
        )
    else:
        print(f"database {args.db}: reused ({args.rows:,} beneficiaries)")
    with connection.cursor() as cur:
        cur.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('registry_beneficiary')), "
            "pg_size_pretty(pg_relation_size('benef_name_trgm_idx'))"
        )
        total, trgm = cur.fetchone()
        cur.execute("SHOW shared_buffers")
        sb = cur.fetchone()[0]
    print(f"registry_beneficiary with indexes: {total} (trigram index {trgm}); shared_buffers={sb}")

    try:
        run_all(args)
    finally:
        connection.close()
        if args.drop:
            _pg.drop_db(args.pg, args.db)
            print(f"database {args.db} dropped")
    print(
        f"peak RSS {_pg.peak_rss_mb():,.0f} MB; total wall time {time.perf_counter() - t_all:.1f} s"
    )
    return 0


def run_all(args: argparse.Namespace) -> None:
    officer, national = bench_users()
    queries = pick_queries()
    results = []
    for label_u, user in (("province 08 officer", officer), ("national", national)):
        print(f"\n== {label_u}: list(beneficiary_list(user, q)[:51]), {args.reps} runs ==")
        print(
            f"  {'query':32} {'matches':>8} {'median ms':>10} {'p95 ms':>8} "
            f"{'seqscan ms':>11} {'speed-up':>9}  target"
        )
        for label_q, q in queries:
            times, n = timed(user, q, args.reps)
            n = count_matches(user, q)  # all matches (the page shows 50), not timed
            med, hi = statistics.median(times), p95(times)
            set_seqscan(True)
            try:
                base, _ = timed(user, q, args.base_reps)
            finally:
                set_seqscan(False)
            bmed = statistics.median(base)
            ok = "OK" if hi < TARGET_MS else "MISSED"
            print(
                f"  {label_q:32} {n:>8} {med:>10.1f} {hi:>8.1f} {bmed:>11.0f} "
                f"{bmed / med:>8.1f}x  {ok}",
                flush=True,
            )
            results.append((label_u, label_q, q, user, med, hi, ok))

    print("\n== EXPLAIN (ANALYZE, BUFFERS) ==")
    shown = set()
    for label_u, label_q, q, user, med, hi, ok in results:
        if label_q in ("full name", "partial name 'van duc'") or ok != "OK":
            key = (label_u, label_q)
            if key in shown:
                continue
            shown.add(key)
            print(f"-- {label_u} / {label_q} (q={q!r}; median {med:.1f} ms, p95 {hi:.1f} ms)")
            print(explain(user, q))
    missed = [r for r in results if r[6] != "OK"]
    print(
        f"\nsummary: {len(results) - len(missed)}/{len(results)} searches under "
        f"{TARGET_MS:.0f} ms (p95)"
        + (
            ": missed " + "; ".join(f"{r[0]} / {r[1]} p95 {r[5]:.0f} ms" for r in missed)
            if missed
            else ""
        )
    )


if __name__ == "__main__":
    raise SystemExit(main())
