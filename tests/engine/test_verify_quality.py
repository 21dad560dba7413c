"""End-to-end quality of chitra.engine.register.verify on synthetic data with a ground truth.

20,000 beneficiaries and a register extract with 200,000 extra people (demo_gen, fixed seed),
loaded with ``load_extract``; the outcomes are compared with the generator's ground truth.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from chitra.demo.generator import (
    Commune,
    generate_beneficiaries,
    inject_duplicates,
    write_register_extract,
)
from chitra.engine.register.store import load_extract
from chitra.engine.register.verify import summarize, summary_line, verify

TODAY = date(2025, 11, 15)
COMMUNES = [
    Commune(f"{2200 + 3 * i:05d}", f"{'Phường' if i < 3 else 'Xã'} {i + 1}", i < 3)
    for i in range(12)
]
OTHER_COMMUNES = [f"{26000 + i:05d}" for i in range(40)]
N_BEN, N_EXTRA, SEED = 20_000, 200_000, 7
PEOPLE_COLUMNS = [
    "personal_id",
    "full_name",
    "birth_date",
    "birth_precision",
    "sex",
    "commune_code",
]


def _people(ben: pa.Table, *, null_ids: np.ndarray | None = None) -> pa.Table:
    pid = ben["personal_id"]
    if null_ids is not None:
        pid = pc.if_else(pa.array(null_ids), pa.scalar(None, pa.string()), pid)
    cols = {"input_row": ben["sequence"], **{c: ben[c] for c in PEOPLE_COLUMNS}}
    cols["personal_id"] = pid
    return pa.table(cols)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    out = tmp_path_factory.mktemp("vq")
    ben = generate_beneficiaries(
        province_code="08", communes=COMMUNES, n=N_BEN, seed=SEED, today=TODAY
    )
    write_register_extract(
        ben,
        path=out / "register.parquet",
        ground_truth_path=out / "truth.parquet",
        extra_people=N_EXTRA,
        seed=SEED + 1,
        communes_other=OTHER_COMMUNES,
        today=TODAY,
    )
    load_extract(out / "register.parquet", out / "store.duckdb", checksum=False)
    return {"dir": out, "ben": ben, "truth": pq.read_table(out / "truth.parquet")}


def _joined(out: pa.Table, truth: pa.Table) -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    c.register("o", out)
    c.register("t", truth)
    c.execute("""CREATE TABLE r AS SELECT t.*, o.outcome, o.mismatched_fields, o.name_accents,
        o.candidate_ids, split_part(o.candidate_ids, ';', 1) AS top,
        coalesce(try_cast(split_part(o.candidate_scores, ';', 1) AS DOUBLE), 0) AS s1
        FROM o JOIN t ON o.input_row = t.sequence""")
    return c


def test_id_based_outcomes_are_exact(data: dict[str, object]) -> None:
    ben, truth = data["ben"], data["truth"]
    assert isinstance(ben, pa.Table) and isinstance(truth, pa.Table)
    out = verify(Path(str(data["dir"])) / "store.duckdb", _people(ben))
    print("\n" + summary_line(summarize(out)))
    c = _joined(out, truth)
    wrong = c.execute("""SELECT sequence, expected_outcome, outcome, expected_mismatched_fields,
        mismatched_fields FROM r WHERE expected_outcome <> 'no_id' AND (outcome <>
        expected_outcome OR mismatched_fields <> expected_mismatched_fields)""").fetchall()
    n = c.execute("SELECT count(*) FROM r WHERE expected_outcome <> 'no_id'").fetchall()[0][0]
    print(f"ID-based rows: {n:,}, wrong: {len(wrong)}")
    assert wrong == []
    # name_accents is set exactly where an accent variant was injected and the text differs
    # (an NFD copy of the same text is the same name)
    bad = c.execute("""SELECT count(*) FROM r WHERE name_accents
        AND kinds NOT LIKE '%name_accents%'""").fetchall()[0][0]
    flagged = c.execute("""SELECT avg(name_accents::INT) FROM r WHERE kinds LIKE '%name_accents%'
        AND kinds NOT LIKE '%name_typo%' AND expected_outcome <> 'not_found'""").fetchall()[0][0]
    print(f"name_accents flagged on {flagged:.1%} of accent variants (the rest are NFD copies)")
    assert bad == 0 and flagged > 0.8
    no_id = c.execute("""SELECT count(*), avg((top = true_personal_id)::INT),
        avg((top <> '' AND top <> true_personal_id)::INT) FROM r
        WHERE expected_outcome = 'no_id'""").fetchall()[0]
    print(f"natural no-ID rows {no_id[0]}: true first {no_id[1]:.2%}, wrong first {no_id[2]:.2%}")
    assert no_id[1] >= 0.90 and no_id[2] <= 0.05


def test_no_id_candidates_rank_the_true_person_first(data: dict[str, object]) -> None:
    """A quarter of the ID-bearing rows lose their ID (with every injected discrepancy)."""
    ben, truth = data["ben"], data["truth"]
    assert isinstance(ben, pa.Table) and isinstance(truth, pa.Table)
    drop = np.random.default_rng(3).random(ben.num_rows) < 0.25
    out = verify(Path(str(data["dir"])) / "store.duckdb", _people(ben, null_ids=drop))
    c = _joined(out, truth)
    c.register("dropped", pa.table({"sequence": ben["sequence"], "dropped": drop}))
    n, first_ok, first_wrong, confident, conf_wrong = c.execute("""
        SELECT count(*), avg((top = true_personal_id)::INT),
          avg((top <> '' AND top <> true_personal_id)::INT), avg((s1 >= 0.8)::INT),
          avg((s1 >= 0.8 AND top <> true_personal_id)::INT)
        FROM r JOIN dropped USING (sequence)
        WHERE (dropped OR expected_outcome = 'no_id') AND true_personal_id IS NOT NULL
        """).fetchall()[0]
    print(
        f"\nno-ID rows in the register: {n:,}; true person first {first_ok:.2%}, wrong person "
        f"first {first_wrong:.2%}, confident {confident:.2%}, confident and wrong "
        f"{conf_wrong:.2%}"
    )
    assert first_ok >= 0.90 and first_wrong <= 0.05 and conf_wrong <= 0.005


def test_absent_people_get_no_confident_candidate(data: dict[str, object]) -> None:
    """People missing from the register: the generator's not_in_register people plus 2,000
    beneficiaries whose register row is deleted, all without ID."""
    d = Path(str(data["dir"]))
    ben, truth = data["ben"], data["truth"]
    assert isinstance(ben, pa.Table) and isinstance(truth, pa.Table)
    c = duckdb.connect()
    c.register("t", truth)
    c.execute("""CREATE TABLE gone AS SELECT sequence, true_personal_id FROM t
        WHERE true_personal_id IS NOT NULL ORDER BY hash(sequence) LIMIT 2000""")
    c.execute(f"""COPY (SELECT * FROM '{d / "register.parquet"}' WHERE personal_id NOT IN
        (SELECT true_personal_id FROM gone)) TO '{d / "register_minus.parquet"}'""")
    load_extract(d / "register_minus.parquet", d / "store_minus.duckdb", checksum=False)
    absent = c.execute("""SELECT sequence FROM gone UNION ALL
        SELECT sequence FROM t WHERE kinds LIKE '%not_in_register%'""").fetchall()
    seqs = pa.array([s for (s,) in absent], pa.int64())
    people = _people(ben.filter(pc.is_in(ben["sequence"], seqs)))
    people = people.set_column(1, "personal_id", pa.nulls(people.num_rows, pa.string()))
    out = verify(d / "store_minus.duckdb", people)
    first = pc.list_element(pc.split_pattern(out["candidate_scores"], ";"), 0).to_pylist()
    scores = np.array([float(x) if x else 0.0 for x in first])
    with_cand = float(np.mean(scores > 0))
    confident = float(np.mean(scores >= 0.8))
    print(
        f"\nabsent people {people.num_rows:,}: some candidate {with_cand:.1%}, "
        f"candidate >= 0.8 {confident:.2%}"
    )
    assert people.num_rows > 2000
    assert confident <= 0.02


def test_duplicates_are_marked(data: dict[str, object]) -> None:
    ben, truth = data["ben"], data["truth"]
    assert isinstance(ben, pa.Table) and isinstance(truth, pa.Table)
    dup = inject_duplicates(ben, rate=0.02, seed=5)
    out = verify(Path(str(data["dir"])) / "store.duckdb", _people(dup))
    c = duckdb.connect()
    c.register("o", out)
    c.register("t", truth)
    c.register("d", dup.select(["sequence", "duplicate_of", "personal_id"]))
    c.execute("""CREATE TABLE g AS SELECT d.sequence, coalesce(d.duplicate_of, d.sequence) AS grp,
        d.personal_id, o.outcome FROM d JOIN o ON o.input_row = d.sequence""")
    c.execute("""CREATE TABLE gs AS SELECT grp, count(*) AS n FROM g GROUP BY grp""")
    c.execute("""CREATE TABLE x AS SELECT g.*, gs.n > 1 AS in_group, t.expected_outcome
        FROM g JOIN gs USING (grp) JOIN t ON t.sequence = g.grp""")
    # with an ID: every row of a group is duplicate, unless deceased (which comes first)
    wrong = c.execute("""SELECT count(*) FROM x WHERE in_group AND personal_id IS NOT NULL AND
        outcome <> CASE WHEN expected_outcome = 'deceased' THEN 'deceased'
        ELSE 'duplicate' END""").fetchall()[0][0]
    groups_no_id, found = c.execute("""SELECT count(DISTINCT grp),
        count(DISTINCT grp) FILTER (WHERE outcome = 'duplicate')
        FROM x WHERE in_group AND personal_id IS NULL""").fetchall()[0]
    false_dup = c.execute("""SELECT count(*) FROM x WHERE NOT in_group
        AND outcome = 'duplicate'""").fetchall()[0][0]
    print(
        f"\nduplicate groups without ID: {groups_no_id}, found {found}; "
        f"false duplicates {false_dup}; wrong ID-based {wrong}"
    )
    assert wrong == 0
    assert found >= 0.8 * groups_no_id
    assert false_dup <= 0.001 * out.num_rows


def test_store_index_and_plain_register_table_agree(data: dict[str, object]) -> None:
    """The store's narrow verification index gives exactly what the plain register table gives
    (the path of an in-memory register, e.g. the HTTP connector's)."""
    d = Path(str(data["dir"]))
    ben = data["ben"]
    assert isinstance(ben, pa.Table)
    drop = np.random.default_rng(11).random(ben.num_rows) < 0.25
    people = _people(ben, null_ids=drop)
    via_index = verify(d / "store.duckdb", people)
    c = duckdb.connect()
    c.execute(f"ATTACH '{d / 'store.duckdb'}' AS s (READ_ONLY)")
    c.execute("CREATE TABLE register AS SELECT * FROM s.register")
    c.execute("DETACH s")
    plain = verify(c, people)
    assert plain.schema == via_index.schema
    assert plain.equals(via_index)
    assert int(pc.sum(pc.not_equal(via_index["candidate_ids"], "")).as_py()) > 1000
