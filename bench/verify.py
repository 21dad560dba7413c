"""Benchmark chitra.engine.register.verify: a beneficiary list against a register store.

Usage:
    .venv/bin/python bench/verify.py --beneficiaries 3300000 --register 100000000 --work /tmp/vbench

Generates the synthetic data with chitra.demo.generator when the files are missing, loads the
register store once (timed separately; a store loaded before the verification index existed gets
it added with ``ensure_verify_index``), then, in a fresh subprocess (so that peak RSS is the
verification's own), times ``verify`` and, as a baseline in the same process, the plain join
``SELECT count(*) FROM people JOIN register USING (personal_id)``. Prints the quality figures
against the generator's ground truth:

* ID-based outcomes and mismatched fields: share exactly right;
* no-ID rows: true person ranked first / a wrong person ranked first;
* people absent from the register (the generator's ``not_in_register`` people, added a second
  time with their ID removed): share that got a candidate scored >= 0.8.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from chitra.demo.generator import Commune, generate_beneficiaries, write_register_extract
from chitra.engine.register.store import (
    ensure_verify_index,
    load_extract,
    open_store,
    store_info,
)
from chitra.engine.register.verify import summarize, summary_line, verify

TODAY = date(2025, 11, 15)
ABSENT_ROW_OFFSET = 10**12


def _communes(n: int = 124, urban: int = 7) -> list[Commune]:
    return [
        Commune(
            f"{2200 + i * 3:05d}", f"{'Phường' if i < urban else 'Xã'} Đơn Vị {i + 1}", i < urban
        )
        for i in range(n)
    ]


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _generate(work: Path, n_ben: int, n_reg: int, seed: int) -> None:
    spec = work / "spec.json"
    want = {"beneficiaries": n_ben, "register": n_reg, "seed": seed}
    if spec.exists() and json.loads(spec.read_text()) == want and (work / "truth.parquet").exists():
        return
    t0 = time.perf_counter()
    ben = generate_beneficiaries(
        province_code="08", communes=_communes(), n=n_ben, seed=seed, today=TODAY
    )
    pq.write_table(ben, work / "beneficiaries.parquet", compression="zstd")
    res = write_register_extract(
        ben,
        path=work / "register.parquet",
        ground_truth_path=work / "truth.parquet",
        extra_people=max(0, n_reg - int(n_ben * 0.99)),
        seed=seed + 1,
        communes_other=[f"{30000 + i:05d}" for i in range(3_197)],
        today=TODAY,
    )
    print(
        f"generated {n_ben:,} beneficiaries + {res.rows:,} register rows "
        f"in {time.perf_counter() - t0:,.0f} s"
    )
    (work / "store.duckdb").unlink(missing_ok=True)
    spec.write_text(json.dumps(want))


def _people(work: Path) -> pa.Table:
    ben = pq.read_table(
        work / "beneficiaries.parquet",
        columns=[
            "sequence",
            "personal_id",
            "full_name",
            "birth_date",
            "birth_precision",
            "sex",
            "commune_code",
        ],
    )
    truth = pq.read_table(work / "truth.parquet", columns=["sequence", "kinds"])
    people = ben.rename_columns(["input_row", *ben.column_names[1:]])
    absent_mask = pc.match_substring(truth["kinds"], "not_in_register")
    absent = people.filter(absent_mask)
    absent = absent.set_column(0, "input_row", pc.add(absent["input_row"], ABSENT_ROW_OFFSET))
    absent = absent.set_column(1, "personal_id", pa.nulls(absent.num_rows, pa.string()))
    return pa.concat_tables([people, absent])


def _child(args: argparse.Namespace) -> None:
    """Verification in a fresh process: prints one JSON line."""
    people = _people(args.work)
    con = open_store(
        args.work / "store.duckdb", memory_limit=args.memory_limit, threads=args.threads
    )
    con.execute(f"SET temp_directory = '{args.work / 'spill'}'")
    t0 = time.perf_counter()
    out = verify(con, people)
    t_verify = time.perf_counter() - t0
    rss_verify = _peak_rss_mb()
    con.register("people", people)
    t0 = time.perf_counter()
    n_join = con.execute(
        "SELECT count(*) FROM people JOIN register USING (personal_id)"
    ).fetchall()[0]
    t_join = time.perf_counter() - t0
    pq.write_table(out, args.work / "outcomes.parquet")
    print(
        json.dumps(
            {
                "rows": people.num_rows,
                "verify_s": t_verify,
                "join_s": t_join,
                "join_rows": n_join[0] if n_join else 0,
                "peak_rss_mb": rss_verify,
                "summary": summary_line(summarize(out)),
            }
        )
    )


def _quality(work: Path) -> dict[str, float]:
    c = duckdb.connect()
    c.execute(f"CREATE VIEW o AS SELECT * FROM '{work / 'outcomes.parquet'}'")
    c.execute(f"CREATE VIEW t AS SELECT * FROM '{work / 'truth.parquet'}'")
    top = "split_part(o.candidate_ids, ';', 1)"
    s1 = "coalesce(try_cast(split_part(o.candidate_scores, ';', 1) AS DOUBLE), 0)"
    row = c.execute(f"""
      SELECT
        count(*) FILTER (WHERE t.expected_outcome <> 'no_id'),
        count(*) FILTER (WHERE t.expected_outcome <> 'no_id' AND o.outcome = t.expected_outcome
          AND (t.expected_outcome IN ('not_found')
               OR o.mismatched_fields = t.expected_mismatched_fields)),
        count(*) FILTER (WHERE t.expected_outcome = 'no_id'),
        count(*) FILTER (WHERE t.expected_outcome = 'no_id' AND {top} = t.true_personal_id),
        count(*) FILTER (WHERE t.expected_outcome = 'no_id' AND {top} <> ''
          AND {top} <> t.true_personal_id),
        count(*) FILTER (WHERE t.expected_outcome = 'no_id' AND {s1} >= 0.8)
      FROM o JOIN t ON o.input_row = t.sequence""").fetchall()[0]
    via_absent = c.execute(f"""
      SELECT count(*) FROM o JOIN t ON o.input_row = t.sequence
      WHERE t.expected_outcome NOT IN ('no_id', 'deceased') AND o.outcome = 'duplicate'
        AND o.personal_id IN (SELECT {top} FROM o WHERE o.input_row >= {ABSENT_ROW_OFFSET}
                              AND {s1} >= 0.8)""").fetchall()[0][0]
    absent = c.execute(f"""
      SELECT count(*), count(*) FILTER (WHERE {s1} >= 0.8)
      FROM o WHERE o.input_row >= {ABSENT_ROW_OFFSET}""").fetchall()[0]
    assert row is not None and absent is not None
    n_id, ok_id, n_no, first_ok, first_wrong, conf = row
    return {
        "id_rows": n_id,
        "id_exact": ok_id / max(n_id, 1),
        "id_dup_via_absent": via_absent,
        "no_id_rows": n_no,
        "true_first": first_ok / max(n_no, 1),
        "wrong_first": first_wrong / max(n_no, 1),
        "no_id_confident": conf / max(n_no, 1),
        "absent_rows": absent[0],
        "absent_confident": absent[1] / max(absent[0], 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--beneficiaries", type=int, default=330_000)
    ap.add_argument("--register", type=int, default=10_000_000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/vbench"))
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--memory-limit", default="1200MB")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if args.child:
        _child(args)
        return

    _generate(args.work, args.beneficiaries, args.register, args.seed)
    store = args.work / "store.duckdb"
    if not store.exists():
        t0 = time.perf_counter()
        res = load_extract(
            args.work / "register.parquet",
            store,
            memory_limit="2GB",
            checksum=False,
            progress=lambda m: print(f"  load: {m}", flush=True),
        )
        print(
            f"store loaded: {res.rows:,} rows in {time.perf_counter() - t0:,.0f} s "
            f"({store.stat().st_size / 2**30:.2f} GiB)"
        )
    else:
        print(f"store: {store_info(store)['rows']:,} rows (already loaded)")
        t0 = time.perf_counter()
        if ensure_verify_index(store):  # a store loaded before the index existed
            print(f"verification index added in {time.perf_counter() - t0:,.0f} s")

    cmd = [
        sys.executable,
        __file__,
        "--child",
        "--work",
        str(args.work),
        "--threads",
        str(args.threads),
        "--memory-limit",
        args.memory_limit,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    q = _quality(args.work)
    print(
        f"verify:     {res['rows']:,} rows in {res['verify_s']:.1f} s "
        f"({res['rows'] / res['verify_s']:,.0f} rows/s), peak RSS {res['peak_rss_mb']:,.0f} MB "
        f"(threads={args.threads}, memory_limit={args.memory_limit})"
    )
    print(
        f"plain join: {res['join_rows']:,} matches in {res['join_s']:.1f} s; "
        f"verify / join = {res['verify_s'] / max(res['join_s'], 1e-9):.1f}x"
    )
    print(f"outcomes:   {res['summary']}")
    print(
        f"quality:    ID-based rows exactly right {q['id_exact']:.4%} of {q['id_rows']:,} "
        f"(of the others, {q['id_dup_via_absent']:,} are 'duplicate' because an absent "
        "person's no-ID copy got their ID as a confident candidate); "
        f"no-ID rows {q['no_id_rows']:,}: true person first {q['true_first']:.2%}, "
        f"wrong person first {q['wrong_first']:.2%}, confident {q['no_id_confident']:.2%}; "
        f"absent people {q['absent_rows']:,}: candidate >= 0.8 for "
        f"{q['absent_confident']:.2%}"
    )


if __name__ == "__main__":
    main()
