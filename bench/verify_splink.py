"""Compare the ``no_id`` step of chitra.engine.register.verify with a Splink 5 (DuckDB) linkage.

Usage:
    .venv/bin/python bench/verify_splink.py --beneficiaries 200000 --register 2000000

Needs ``pip install splink`` (written against splink 5.0.0). Builds the data the way
``bench/verify.py`` does (chitra.demo.generator, same helper), then, like
``tests/engine/test_verify_quality.py``, removes 2,000 beneficiaries from the register extract
and loads the rest with ``load_extract``. The no-ID people are

* present: the generator's natural no-ID rows plus a quarter of the ID-bearing rows with the ID
  removed (every injected discrepancy kept), whose true record is in the register;
* absent: the generator's ``not_in_register`` people plus the 2,000 removed ones, without ID.

Both methods see exactly these rows and the same register, in the same process:

(a) ``verify`` on the store (its own blocking A/B/D and calibrated per-row posteriors);
(b) a Splink ``link_only`` linker between the people and the register (folded names, dates,
    sex, commune): blocking on birth date + sex + commune and birth year + sex + commune,
    u by random sampling, the prior from a deterministic rule, m by EM (name and sex on
    birth date + commune blocks, date and sex on name + commune blocks; commune m fixed at
    0.9); ``predict`` with a threshold of 0.01 (verify's smallest kept candidate score).

For each: wall time, true person ranked first, wrong person ranked first (present people), and
the share of absent people with a candidate scored >= 0.8. Splink's ``match_probability`` is a
per-pair probability, not normalised over a row's candidates as verify's score is.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

_BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(_BENCH.parent / "src"))
_spec = importlib.util.spec_from_file_location("bench_verify", _BENCH / "verify.py")
assert _spec is not None and _spec.loader is not None
bench_verify = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_verify)

from chitra.engine.register.store import load_extract, name_columns  # noqa: E402
from chitra.engine.register.verify import _agree_sql, verify  # noqa: E402

CONFIDENT = 0.8
N_GONE = 2000
PEOPLE_COLUMNS = [
    "personal_id",
    "full_name",
    "birth_date",
    "birth_precision",
    "sex",
    "commune_code",
]


def _prepare(work: Path, n_ben: int, n_reg: int, seed: int) -> tuple[pa.Table, pa.Table]:
    """The no-ID people (``personal_id`` null) and their truth ``(input_row, true_id, absent)``."""
    bench_verify._generate(work, n_ben, n_reg, seed)
    ben = pq.read_table(work / "beneficiaries.parquet")
    truth = pq.read_table(
        work / "truth.parquet",
        columns=["sequence", "true_personal_id", "expected_outcome", "kinds"],
    )
    c = duckdb.connect()
    c.register("t", truth)
    c.execute(
        """CREATE TABLE gone AS SELECT sequence, true_personal_id FROM t
        WHERE true_personal_id IS NOT NULL ORDER BY hash(sequence) LIMIT ?""",
        [N_GONE],
    )
    store = work / "store_minus.duckdb"
    if not store.exists():
        t0 = time.perf_counter()
        c.execute(f"""COPY (SELECT * FROM '{work / "register.parquet"}' WHERE personal_id NOT IN
            (SELECT true_personal_id FROM gone)) TO '{work / "register_minus.parquet"}'""")
        res = load_extract(
            work / "register_minus.parquet", store, memory_limit="2GB", checksum=False
        )
        print(
            f"store (register minus {N_GONE:,} people) loaded: {res.rows:,} rows in "
            f"{time.perf_counter() - t0:,.0f} s"
        )
    drop = np.random.default_rng(3).random(ben.num_rows) < 0.25
    c.register("dropped", pa.table({"sequence": ben["sequence"], "dropped": drop}))
    sel = c.sql("""
        SELECT t.sequence AS input_row,
          CASE WHEN g.sequence IS NULL THEN t.true_personal_id END AS true_id,
          g.sequence IS NOT NULL OR t.true_personal_id IS NULL AS absent
        FROM t JOIN dropped d USING (sequence) LEFT JOIN gone g USING (sequence)
        WHERE d.dropped OR t.expected_outcome = 'no_id' OR g.sequence IS NOT NULL
          OR t.kinds LIKE '%not_in_register%'
        ORDER BY 1""").to_arrow_table()
    people = ben.filter(pc.is_in(ben["sequence"], sel["input_row"]))
    people = pa.table(
        {"input_row": people["sequence"], **{col: people[col] for col in PEOPLE_COLUMNS}}
    )
    people = people.set_column(1, "personal_id", pa.nulls(people.num_rows, pa.string()))
    return people, sel


def _figures(top: pa.Table, truth: pa.Table) -> dict[str, float]:
    """``top(input_row, top_id, top_score)``: each row's best candidate (rows without any may be
    missing)."""
    c = duckdb.connect()
    c.register("top", top)
    c.register("truth", truth)
    n, ok, wrong = c.execute("""SELECT count(*), count(*) FILTER (WHERE top_id = true_id),
        count(*) FILTER (WHERE top_id IS NOT NULL AND top_id <> true_id)
        FROM truth LEFT JOIN top USING (input_row) WHERE NOT absent""").fetchall()[0]
    na, conf = c.execute(
        """SELECT count(*), count(*) FILTER (WHERE top_score >= ?)
        FROM truth LEFT JOIN top USING (input_row) WHERE absent""",
        [CONFIDENT],
    ).fetchall()[0]
    return {
        "present": n,
        "true_first": ok / max(n, 1),
        "wrong_first": wrong / max(n, 1),
        "absent": na,
        "absent_confident": conf / max(na, 1),
    }


def _run_verify(work: Path, people: pa.Table) -> tuple[float, pa.Table]:
    t0 = time.perf_counter()
    out = verify(work / "store_minus.duckdb", people)
    elapsed = time.perf_counter() - t0
    top = pa.table(
        {
            "input_row": out["input_row"],
            "top_id": pc.list_element(pc.split_pattern(out["candidate_ids"], ";"), 0),
            "top_score": pc.cast(
                pc.list_element(
                    pc.split_pattern(
                        pc.if_else(
                            pc.equal(out["candidate_scores"], ""), "0", out["candidate_scores"]
                        ),
                        ";",
                    ),
                    0,
                ),
                pa.float64(),
            ),
        }
    )
    top = top.filter(pc.not_equal(top["top_id"], ""))
    return elapsed, top


def _splink_settings(n_register: int) -> object:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    agree = _agree_sql("birth_date_l", "birth_precision_l", "birth_date_r", "birth_precision_r")
    dob = cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            cll.NullLevel("birth_date"),
            cll.CustomLevel(agree, "agree at the coarser precision"),
            cll.CustomLevel("birth_year_l = birth_year_r", "same year"),
            cll.CustomLevel("abs(birth_year_l - birth_year_r) = 1", "year off by one"),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=[
            block_on("birth_date", "sex", "commune_code"),
            block_on("birth_year", "sex", "commune_code"),
        ],
        comparisons=[
            cl.JaroWinklerAtThresholds("name_folded", [0.95, 0.88, 0.7]).configure(
                term_frequency_adjustments=True
            ),
            dob,
            cl.ExactMatch("sex"),
            # always equal under the prediction blocking rules, so EM cannot see it: verify's m
            cl.ExactMatch("commune_code").configure(m_probabilities=[0.9, 0.1]),
        ],
        # ~ every present person has one true record among the register's rows
        probability_two_random_records_match=1.0 / n_register,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def _run_splink(work: Path, people: pa.Table, threads: int) -> tuple[float, float, pa.Table]:
    from splink import DuckDBAPI, Linker, block_on

    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    t0 = time.perf_counter()
    con.execute(f"ATTACH '{work / 'store_minus.duckdb'}' AS s (READ_ONLY)")
    con.execute("""CREATE TABLE reg AS SELECT personal_id AS unique_id, name_folded, birth_date,
        birth_precision, year(birth_date) AS birth_year, sex, commune_code FROM s.register""")
    con.execute("DETACH s")
    _, folded = name_columns(people["full_name"])
    con.register("people_arrow", people.append_column("name_folded", folded))
    con.execute("""CREATE TABLE ppl AS SELECT CAST(input_row AS VARCHAR) AS unique_id,
        name_folded, birth_date, birth_precision, year(birth_date) AS birth_year, sex,
        commune_code FROM people_arrow""")
    t_load = time.perf_counter() - t0

    t0 = time.perf_counter()
    db_api = DuckDBAPI(connection=con)
    df_people = db_api.register("ppl", dataset_display_name="people")
    df_reg = db_api.register("reg", dataset_display_name="register")
    n_reg = con.execute("SELECT count(*) FROM reg").fetchall()[0][0]
    linker = Linker([df_people, df_reg], _splink_settings(n_reg), log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("name_folded", "birth_date", "sex", "commune_code")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e7, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("birth_date", "commune_code"), record_sample_proportion=1.0
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("name_folded", "commune_code"), record_sample_proportion=1.0
    )
    t_train = time.perf_counter() - t0
    t0 = time.perf_counter()
    pred = linker.inference.predict(threshold_match_probability=0.01, warning_mode="never")
    rel = pred.as_duckdbpyrelation()
    con.register("pred_rel", rel)
    top = con.sql("""
        WITH p AS (SELECT
            CASE WHEN source_dataset_l = 'people' THEN unique_id_l ELSE unique_id_r END AS pid,
            CASE WHEN source_dataset_l = 'people' THEN unique_id_r ELSE unique_id_l END AS rid,
            match_probability FROM pred_rel)
        SELECT CAST(pid AS BIGINT) AS input_row, arg_max(rid, match_probability) AS top_id,
          max(match_probability) AS top_score FROM p GROUP BY pid""").to_arrow_table()
    t_predict = time.perf_counter() - t0
    n_pairs = con.execute("SELECT count(*) FROM pred_rel").fetchall()[0][0]
    print(
        f"splink: data into DuckDB {t_load:.1f} s (not counted), training {t_train:.1f} s, "
        f"predict + top candidate {t_predict:.1f} s ({n_pairs:,} pairs >= 0.01)"
    )
    return t_train + t_predict, t_predict, top


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--beneficiaries", type=int, default=200_000)
    ap.add_argument("--register", type=int, default=2_000_000)
    ap.add_argument("--work", type=Path, default=None, help="data dir (default: a temp dir)")
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    import splink

    print(f"splink {splink.__version__}, duckdb {duckdb.__version__}")
    with tempfile.TemporaryDirectory(prefix="vsplink") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        people, truth = _prepare(work, args.beneficiaries, args.register, args.seed)
        n_absent = int(pc.sum(truth["absent"]).as_py())
        print(
            f"no-ID people: {people.num_rows:,} ({people.num_rows - n_absent:,} in the "
            f"register, {n_absent:,} absent)"
        )

        t_v, top_v = _run_verify(work, people)
        t_s, t_sp, top_s = _run_splink(work, people, args.threads)
        for label, t, top in (("chitra verify", t_v, top_v), ("splink 5", t_s, top_s)):
            q = _figures(top, truth)
            print(
                f"{label:14s} {t:7.1f} s | true person first {q['true_first']:.2%}, wrong "
                f"person first {q['wrong_first']:.2%} (of {q['present']:,}) | absent with a "
                f"candidate >= {CONFIDENT}: {q['absent_confident']:.2%} (of {q['absent']:,})"
            )
        print(
            f"time splink / verify = {t_s / t_v:.1f}x (training + predict); "
            f"predict alone / verify = {t_sp / t_v:.1f}x"
        )


if __name__ == "__main__":
    main()
