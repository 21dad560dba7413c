"""Bulk verification of a beneficiary list against the National Population Register.

Pure Python + DuckDB + pyarrow, no Django. :func:`verify` classifies every input row as
``verified``, ``mismatch``, ``deceased``, ``not_found``, ``invalid_id``, ``no_id`` or
``duplicate``; all the work is DuckDB SQL over Arrow, so 3.3 M rows against a 100 M-row store
(:mod:`chitra.engine.register.store`) take seconds, and the very same function verifies a few
rows against a small in-memory register table (``register_table=``).

ID-bearing rows
---------------
A well-formed ID (12 digits) is looked up; name, date of birth and sex are compared:

* names on the folded key (:func:`chitra.kernel.names.fold_name`, applied once per distinct name
  of the list, and stored as ``name_folded`` in the register): a name that differs only in
  accents, case or Unicode form agrees, and sets ``name_accents`` when the cleaned NFC texts
  (:func:`chitra.kernel.names.clean_text`) differ;
* dates at the *coarser* precision of the two sides (a year-only date agrees with any date of
  that year, a month-only date with any day of that month);
* sex as given. The commune is not compared (people move).

Precedence: ``deceased`` > ``duplicate`` > ``not_found`` > ``mismatch`` > ``verified``;
``mismatched_fields`` (``name;dob;sex``) is filled whatever wins.

Rows without an ID: calibrated candidates
------------------------------------------
Blocking (never on a surname alone) proposes register records that share with the row

* A: commune, sex and a birth date agreeing at the coarser precision (a full date is expanded to
  itself and the first of its month and year, which is how coarser register dates are stored, a
  month-only date to the days of its month and the first of its year, then equi-joined on
  ``(commune, sex, birth_date)``; a year-only date is joined on ``(commune, sex, birth year)``).
  Unless the two full dates are equal, the names must also be similar (Jaro-Winkler >= 0.85): a
  year-only date in a pensioners' commune block would otherwise pair with ~500 people;
* B: folded full name, sex and an agreeing birth date in *another* commune (people who moved);
  unless the two full dates are equal, only when the name is rare enough that fewer than
  ``B_CAP_LOOKALIKES`` same-name people of that year are expected nation-wide (otherwise no
  candidate from there could be confident anyway, and the join would explode);
* D: commune and folded full name, birth year within 2 years, either sex (a wrong day, month,
  year or sex).

Pairs whose names are completely different and whose dates disagree are never formed; their
share of the posterior mass is covered by ``p_out`` below.

The search runs on the store's verification index (``verify_blocks``, see
:mod:`chitra.engine.register.store`): a narrow copy of the register ordered by commune, with
integer name codes and IDs, so that blocks A and D read only the row groups of the list's
communes and block B scans integers, never the register's wide string columns. The ID lookup
joins the same copy on the integer ID and decodes names only for the matched rows. A register
table without that index (a small in-memory one) gets the same relations as temporary tables.

Each pair gets a Fellegi-Sunter likelihood ratio from independent comparison levels,
``LR = m(γ) / u(γ)`` where ``m`` is the probability of the agreement pattern for the true
record and ``u`` for a random register record:

============  ==========================================  =====  =============================
field         level                                        m      u
============  ==========================================  =====  =============================
name          folded names equal                           0.95   f(name | sex) (name_stats)
              one edit (Levenshtein 1 or a transposition)  0.03   f(cand) + f(list) + 0.002 (*)
              two edits                                    0.01   0.01
              otherwise                                    0.01   1
birth date    agree at the coarser precision P             0.96   g(P): 1/365.25, 1/12, 1 (D/M/Y)
              same year, differs at P                      0.02   1
              year off by one                              0.01   (2 x year share, see below)
              otherwise                                    0.01   1
commune       equal / different                            0.9/0.1  (see below)
sex           equal / different                            0.99/0.01  (see below)
============  ==========================================  =====  =============================

(*) the mass of names one edit away from the list's name is approximated by the frequencies of
the two names involved plus a floor; 0.002 and 0.01 are the shares of same-block, different-person
pairs at one and two edits measured on the synthetic register. Edit levels are only computed for
pairs with Jaro-Winkler >= 0.85 (a cheap prefilter; below it the names are "different").
``f(name | sex)`` counts come from ``name_stats`` (the whole register), so a rare name is strong
evidence and "Nguyễn Văn Hùng" is weak.

The commune/sex/year part of ``u`` is not a product of global shares (the local age pyramid of
a pension list is nothing like the nation's): ``N * u`` is read directly as the number of
register records that agree with the candidate on the same fields, from ``block_stats``
(commune x sex x birth year counts): ``n(commune, sex, year)`` when both agree, ``n(sex, year)``
when the commune differs, ``n(commune, sex)`` when the year differs (x 2 for off-by-one). So

    E(pair) = n(agreeing block) * u_name * g        (expected chance look-alikes)
    w(pair) = M(pair) / E(pair)

and, with a prior ``π`` that the person is in the register at all and ``p_out`` (0.02)
the probability that the true record falls outside every block, the posterior that candidate
``r`` *is* the person, given all candidates ``k`` of the row, is

    score(r) = π w(r) / ((1 - π) + π p_out + π Σ_k w(k)).

This is the exact Bayesian posterior under the model "the true record is one of the N register
records (uniform prior) or absent; agreement patterns are independent given match status".
It is calibrated in the sense that matters here: a candidate scores >= 0.8 only when the
evidence beats both the other candidates *and* the chance that the person is simply not in the
register while a look-alike is (a common name with a year-only birth date in a big commune block
stays well below 0.8 even when it is the only look-alike; the same name with the full date of
birth scores ~1). Scores of one row sum to at most 1, so at most one candidate can be confident.
``π`` is deliberately conservative (0.5, not the ~0.99 a national register would suggest): the
people without an ID on a pension list are exactly where ghosts hide, and with π = 0.5 fewer than
1 % of people absent from the register get a candidate >= 0.8 while ~98 % of those present do.
Quality on the synthetic data: see ``tests/engine/test_verify_quality.py`` and ``bench/verify.py``.

Duplicates: the same well-formed ID twice; a confident (>= 0.8) candidate of a no-ID row whose ID
is also in the input; or two no-ID rows with the same confident candidate. Every row of such a
group is ``duplicate`` (ID-bearing rows keep ``deceased`` first).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chitra.engine.register.store import has_verify_index, open_store
from chitra.kernel.names import clean_text, fold_name

__all__ = [
    "OUTCOMES",
    "OUTPUT_SCHEMA",
    "VerifyOptions",
    "summarize",
    "summary_line",
    "verify",
]

OUTCOMES = ("verified", "mismatch", "deceased", "not_found", "invalid_id", "no_id", "duplicate")

OUTPUT_SCHEMA = pa.schema(
    [
        ("input_row", pa.int64()),
        ("personal_id", pa.string()),
        ("outcome", pa.string()),
        ("mismatched_fields", pa.string()),
        ("candidate_ids", pa.string()),
        ("candidate_scores", pa.string()),
        ("reg_full_name", pa.string()),
        ("reg_birth_date", pa.string()),
        ("reg_sex", pa.string()),
        ("reg_commune_code", pa.string()),
        ("death_date", pa.date32()),
        ("name_accents", pa.bool_()),
    ]
)

_INPUT_TYPES: dict[str, pa.DataType] = {
    "input_row": pa.int64(),
    "personal_id": pa.string(),
    "full_name": pa.string(),
    "birth_date": pa.date32(),
    "birth_precision": pa.string(),
    "sex": pa.string(),
    "commune_code": pa.string(),
}

# Fellegi-Sunter parameters (see the module docstring).
M_NAME = (0.95, 0.03, 0.01, 0.01)
U_NAME_EDIT1_FLOOR = 0.002
U_NAME_EDIT2 = 0.01
M_DATE = {"E": 0.96, "Y": 0.02, "N": 0.01, "F": 0.01}
M_COMMUNE = (0.9, 0.1)
M_SEX = 0.99
JW_PREFILTER = 0.85  # names below this Jaro-Winkler similarity are "different" (level 3)
B_CAP_LOOKALIKES = 5.0  # block B for imprecise dates: at most this many expected look-alikes


@dataclass(frozen=True)
class VerifyOptions:
    register_table: str = "register"
    prior_in_register: float = 0.5  # π: a no-ID list person is in the register at all
    p_outside_blocks: float = 0.02  # chance the true record is in no block
    confident: float = 0.8  # candidate score that counts as "very probably the person"
    max_candidates: int = 3
    min_candidate_score: float = 0.01


def _prec_rank(col: str) -> str:
    return f"(CASE {col} WHEN 'Y' THEN 2 WHEN 'M' THEN 1 ELSE 0 END)"


def _agree_sql(a: str, pa_: str, b: str, pb: str) -> str:
    """Dates ``a`` (precision ``pa_``) and ``b`` (``pb``) agree at the coarser precision."""
    cp = f"greatest({_prec_rank(pa_)}, {_prec_rank(pb)})"
    return (
        f"(CASE {cp} WHEN 2 THEN year({a}) = year({b}) "
        f"WHEN 1 THEN date_trunc('month', {a}) = date_trunc('month', {b}) "
        f"ELSE {a} = {b} END)"
    )


def _nfc_text(expr: str) -> str:
    ws = r"[\t\n\x{0b}\f\r \x{1c}-\x{1f}\x{85}\x{a0}\x{2000}-\x{200a}\x{202f}\x{3000}]+"
    return f"trim(regexp_replace(nfc_normalize(coalesce({expr}, '')), '{ws}', ' ', 'g'), ' ')"


def _reg_date_text(d: str, p: str) -> str:
    return f"left(CAST({d} AS VARCHAR), CASE {p} WHEN 'Y' THEN 4 WHEN 'M' THEN 7 ELSE 10 END)"


def _normalise_input(people: pa.Table) -> pa.Table:
    if "input_row" not in people.column_names:
        raise ValueError("people must have an input_row column")
    n = people.num_rows
    cols: dict[str, pa.Array | pa.ChunkedArray] = {"_ord": pa.array(np.arange(n, dtype=np.int64))}
    for name, typ in _INPUT_TYPES.items():
        if name in people.column_names:
            col = people[name]
            if col.type != typ:
                col = pc.cast(col, typ)
            cols[name] = col
        else:
            cols[name] = pa.nulls(n, typ)
    # names: cleaned text and folded key, computed once per distinct name (as
    # :func:`chitra.engine.register.store.name_columns` does) and kept dictionary-encoded
    names = cols["full_name"]
    arr = names.combine_chunks() if isinstance(names, pa.ChunkedArray) else names
    enc = pc.dictionary_encode(arr)
    uniques = enc.dictionary.to_pylist()
    clean = pa.array([clean_text(u) for u in uniques] + [""], pa.string())
    folded = pa.array([fold_name(u) for u in uniques], pa.string())
    del uniques
    # a missing name: cleaned text '' (index len(uniques)), folded key NULL
    cols["nn"] = pa.DictionaryArray.from_arrays(pc.fill_null(enc.indices, len(clean) - 1), clean)
    cols["nf"] = pa.DictionaryArray.from_arrays(enc.indices, folded)
    return pa.table(cols)


def _has_stats(con: duckdb.DuckDBPyConnection, reg: str) -> bool:
    if reg != "register":
        return False
    row = con.execute(
        "SELECT count(DISTINCT table_name) FROM duckdb_tables() "
        "WHERE table_name IN ('name_stats', 'block_stats') AND NOT temporary"
    ).fetchall()[0]
    return bool(row and row[0] == 2)


def verify(
    con_or_store: duckdb.DuckDBPyConnection | Path | str,
    people: pa.Table,
    *,
    options: VerifyOptions | None = None,
    register_table: str | None = None,
) -> pa.Table:
    """Classify every row of ``people`` against the register; one output row per input row.

    ``con_or_store`` is a store path (opened read-only) or a DuckDB connection in which
    ``register_table`` (default ``register``) has the store's register columns. Output columns:
    :data:`OUTPUT_SCHEMA`, in input order.
    """
    opts = options or VerifyOptions()
    if register_table is not None:
        opts = VerifyOptions(**{**opts.__dict__, "register_table": register_table})
    if isinstance(con_or_store, duckdb.DuckDBPyConnection):
        return _verify(con_or_store, people, opts)
    con = open_store(con_or_store)
    try:
        return _verify(con, people, opts)
    finally:
        con.close()


# over the limits: the numbered steps of one verification sharing the temp names and the
# try/finally that drops them; the length is the SQL of step 1 (complexity 6)
def _verify(con: duckdb.DuckDBPyConnection, people: pa.Table, o: VerifyOptions) -> pa.Table:
    sfx = uuid.uuid4().hex[:10]
    t = {
        k: f"_v{k}_{sfx}"
        for k in ("in", "p", "dk", "q", "qk", "pairs", "cand", "stats", "ns", "blk", "nm", "fn")
    }
    reg = o.register_table
    inp = _normalise_input(people)
    pa.default_memory_pool().release_unused()  # the allocator keeps freed pages otherwise
    # the input columns copied to the output as they are (already in input order)
    passthrough = {"input_row": inp["input_row"], "personal_id": inp["personal_id"]}
    con.execute("SET enable_progress_bar = false")
    con.register(t["in"], inp)
    temps: list[str] = []
    try:
        # 1. the list, normalised: a view over the Arrow table (not copied into DuckDB) ---------
        con.execute(
            f"""CREATE TEMP VIEW {t["p"]} AS
            SELECT _ord,
              nullif(trim(personal_id), '') AS pid,
              coalesce(regexp_full_match(trim(personal_id), '[0-9]{{12}}'), false) AS pid_ok,
              nf, nn,
              CASE WHEN birth_date IS NULL THEN NULL
                   WHEN birth_precision = 'Y' THEN date_trunc('year', birth_date)::DATE
                   WHEN birth_precision = 'M' THEN date_trunc('month', birth_date)::DATE
                   ELSE birth_date END AS bd,
              CASE WHEN birth_date IS NULL THEN NULL
                   WHEN birth_precision IN ('Y', 'M') THEN birth_precision ELSE 'D' END AS prec,
              year(birth_date) AS by,
              CASE upper(trim(sex)) WHEN 'M' THEN 'M' WHEN 'F' THEN 'F' END AS sex,
              nullif(trim(commune_code), '') AS commune
            FROM {t["in"]}"""
        )
        # 2. rows without an ID: candidates -------------------------------------------------------
        n_no_id = con.execute(f"SELECT count(*) FROM {t['p']} WHERE pid IS NULL").fetchall()[0]
        have_cand = bool(n_no_id and n_no_id[0])
        ix, more = _index_tables(con, t, reg)
        temps += more
        if have_cand:
            temps += [t["q"], t["qk"], t["pairs"], t["cand"]]
            temps += _candidates(con, t, reg, ix, o)
        # 3. keys used more than once: well-formed IDs of the list and the confident candidates
        #    of rows without one (a candidate always is a register record) --------------------
        temps.append(t["dk"])
        conf = (
            (f"UNION ALL SELECT pid FROM {t['cand']} WHERE rk = 1 AND score >= {o.confident}")
            if have_cand
            else ""
        )
        con.execute(
            f"""CREATE TEMP TABLE {t["dk"]} AS
            SELECT key AS dkey
            FROM (SELECT {ix.pid_key.format("pid")} AS key FROM {t["p"]} WHERE pid_ok {conf})
            GROUP BY key HAVING count(*) > 1"""
        )
        # 4. one pass over the register copy (rows with a well-formed ID, and the confident
        #    candidate of rows without one, for the register values shown to the user) and
        #    assembly --------------------------------------------------------------------------
        return _assemble(con, t, ix, o, have_cand, passthrough)
    finally:
        for name in temps:
            con.execute(f"DROP TABLE IF EXISTS {name}")
        con.execute(f"DROP VIEW IF EXISTS {t['p']}")
        con.unregister(t["in"])


@dataclass(frozen=True)
class _Index:
    """The narrow register copy ``verify`` works on (see ``_index_tables``)."""

    blocks: str
    names: str
    full_names: str
    pid_text: str  # SQL format: the ``pid`` column of ``blocks`` as personal ID text
    pid_key: str  # SQL format: a well-formed (12-digit) personal ID text as a ``pid`` value


def _index_tables(
    con: duckdb.DuckDBPyConnection, t: Mapping[str, str], reg: str
) -> tuple[_Index, list[str]]:
    """The narrow register copy, and the temporary tables made for it.

    A store has ``verify_blocks``, ``verify_names`` and ``verify_full_names``
    (:func:`chitra.engine.register.store.ensure_verify_index`): ordered by commune so that a
    commune-blocked search reads only the list's communes, with integer IDs and name codes so
    that the ID lookup decodes no string column. Any other register table (a small in-memory
    one) gets the same three relations as temporary tables, keeping the personal ID as text.
    """
    if reg == "register" and has_verify_index(con):
        return _Index(
            "verify_blocks",
            "verify_names",
            "verify_full_names",
            "lpad(CAST({} AS VARCHAR), 12, '0')",
            "CAST({} AS BIGINT)",
        ), []
    blk, nm, fn = t["blk"], t["nm"], t["fn"]
    for table, col, code in ((nm, "name_folded", "name_id"), (fn, "full_name", "full_name_id")):
        con.execute(
            f"CREATE TEMP TABLE {table} AS SELECT CAST(row_number() OVER (ORDER BY {col}) "
            f"AS INTEGER) AS {code}, {col} FROM "
            f"(SELECT DISTINCT {col} FROM {reg} WHERE {col} IS NOT NULL)"
        )
    con.execute(
        f"""CREATE TEMP TABLE {blk} AS
        SELECT r.commune_code, r.sex, year(r.birth_date) AS birth_year, r.birth_date,
          r.birth_precision, n.name_id, f.full_name_id, r.death_date, r.personal_id AS pid
        FROM {reg} r LEFT JOIN {nm} n ON n.name_folded = r.name_folded
        LEFT JOIN {fn} f ON f.full_name = r.full_name"""
    )
    return _Index(blk, nm, fn, "{}", "{}"), [nm, fn, blk]


# over the limits: a straight sequence of DuckDB statements (complexity 3), each building
# the temp table the next one reads; the length is the SQL text of the scoring
def _candidates(
    con: duckdb.DuckDBPyConnection,
    t: Mapping[str, str],
    reg: str,
    ix: _Index,
    o: VerifyOptions,
) -> list[str]:
    """Build ``t['cand']``: scored candidates (top ``max_candidates``) of the no-ID rows."""
    extra: list[str] = []
    if _has_stats(con, reg):
        bs, ns = "block_stats", "name_stats"
    else:
        bs, ns = t["stats"], t["ns"]
        extra += [bs, ns]
        con.execute(
            f"CREATE TEMP TABLE {bs} AS SELECT commune_code, sex, year(birth_date) AS birth_year, "
            f"count(*) AS n FROM {reg} GROUP BY ALL"
        )
        con.execute(
            f"CREATE TEMP TABLE {ns} AS SELECT name_folded, sex, count(*) AS n FROM {reg} "
            "GROUP BY ALL"
        )
    blk, nm, pid_fmt = ix.blocks, ix.names, ix.pid_text
    # The no-ID rows, one per sex they may have, with their folded name's code (NULL when no
    # register record bears that name) and whether block B may look at other communes: always
    # for the exact full date, for coarser date keys only when the name is rare enough that the
    # nation-wide look-alikes of that year stay few (a common name cannot be identified so).
    con.execute(
        f"""CREATE TEMP TABLE {t["q"]} AS
        SELECT p._ord, p.nf, nm.name_id AS nid, p.bd, p.prec, p.by, p.commune, p.sex AS sex_in,
          s.sex_key,
          (p.nf <> '' AND nm.name_id IS NOT NULL AND coalesce(ns.n, 0) * coalesce(y.n, 0)
             / greatest(coalesce(ss.n, 1), 1) <= {B_CAP_LOOKALIKES}) AS b_any
        FROM {t["p"]} p CROSS JOIN (VALUES ('M'), ('F')) s(sex_key)
        LEFT JOIN {nm} nm ON nm.name_folded = p.nf
        LEFT JOIN {ns} ns ON ns.name_folded = p.nf AND ns.sex = s.sex_key
        LEFT JOIN (SELECT sex, birth_year, sum(n) AS n FROM {bs} GROUP BY ALL) y
          ON y.sex = s.sex_key AND y.birth_year = p.by
        LEFT JOIN (SELECT sex, sum(n) AS n FROM {bs} GROUP BY ALL) ss ON ss.sex = s.sex_key
        WHERE p.pid IS NULL AND (p.sex IS NULL OR p.sex = s.sex_key)"""
    )
    # Date keys: every register date that agrees with the row at the coarser precision (a full
    # date, the first of its month and of its year, which is how coarser register dates are
    # stored; a month-only date: the days of its month and the first of its year). Year-only
    # rows are joined on the birth year for block A; for block B (only for rare names, see
    # ``b_any``) they are expanded to the days of their year.
    con.execute(
        f"""CREATE TEMP TABLE {t["qk"]} AS
        SELECT q.*, unnest(list_distinct(CASE q.prec
            WHEN 'D' THEN [q.bd, date_trunc('month', q.bd)::DATE, date_trunc('year', q.bd)::DATE]
            WHEN 'M' THEN list_concat(
              generate_series(q.bd, last_day(q.bd), INTERVAL 1 DAY)::DATE[],
              [date_trunc('year', q.bd)::DATE])
            ELSE generate_series(q.bd, (q.bd + INTERVAL 1 YEAR - INTERVAL 1 DAY)::DATE,
                                 INTERVAL 1 DAY)::DATE[] END)) AS kd
        FROM {t["q"]} q WHERE q.bd IS NOT NULL AND (q.prec IN ('D', 'M') OR q.b_any)"""
    )
    cols = (
        "q._ord, q.nf, q.bd, q.prec, q.commune, q.sex_in, r.pid, r.name_id AS rnid, "
        "r.birth_date AS rbd, r.birth_precision AS rprec, r.sex AS rsex, "
        "r.commune_code AS rcom, r.birth_year AS ry"
    )
    agree = _agree_sql("q.bd", "q.prec", "r.birth_date", "r.birth_precision")
    exact = "(q.prec = 'D' AND r.birth_date = q.bd)"
    # Blocks A (same commune, sex and agreeing date; unless the two full dates are equal, the
    # names must be similar), B (same folded name, sex and agreeing date in another commune) and
    # D (same commune and name, year within 2), in one streaming pass (nothing but the final
    # pairs is materialised).
    con.execute(
        f"""CREATE TEMP TABLE {t["pairs"]} AS
        WITH pr AS (
        SELECT {cols}, {exact} AS exact, true AS need_jw FROM {t["qk"]} q JOIN {blk} r
          ON r.commune_code = q.commune AND r.sex = q.sex_key AND r.birth_date = q.kd
        WHERE q.prec IN ('D', 'M') AND {agree}
        UNION ALL
        SELECT {cols}, false, true FROM {t["q"]} q JOIN {blk} r
          ON r.commune_code = q.commune AND r.sex = q.sex_key AND r.birth_year = q.by
        WHERE q.prec = 'Y'
        UNION ALL
        SELECT {cols}, {exact}, false FROM {t["qk"]} q JOIN {blk} r
          ON r.name_id = q.nid AND r.sex = q.sex_key AND r.birth_date = q.kd
        WHERE q.nf <> '' AND (q.b_any OR (q.prec = 'D' AND q.kd = q.bd))
          AND r.commune_code IS DISTINCT FROM q.commune AND {agree}
        UNION ALL
        SELECT {cols}, false, false FROM {t["q"]} q JOIN {blk} r
          ON r.commune_code = q.commune AND r.name_id = q.nid
        WHERE (q.sex_in IS NOT NULL OR r.sex = q.sex_key)
          AND (q.by IS NULL OR r.birth_year BETWEEN q.by - 2 AND q.by + 2)
          AND NOT (r.sex = q.sex_key AND coalesce({agree}, false)))
        SELECT x._ord, x.nf, x.bd, x.prec, x.commune, x.sex_in, x.pid,
          {pid_fmt.format("x.pid")} AS personal_id, n.name_folded AS rnf, x.rbd, x.rprec,
          x.rsex, x.rcom, x.ry
        FROM pr x LEFT JOIN {nm} n ON n.name_id = x.rnid
        WHERE NOT x.need_jw OR x.exact
          OR jaro_winkler_similarity(x.nf, n.name_folded) >= {JW_PREFILTER}"""
    )
    pi, pout = o.prior_in_register, o.p_outside_blocks
    pair_agree = _agree_sql("x.bd", "x.prec", "x.rbd", "x.rprec")
    cp = f"greatest({_prec_rank('x.prec')}, {_prec_rank('x.rprec')})"
    m0, m1, m2, m3 = M_NAME
    jw = f"jaro_winkler_similarity(x.nf, x.rnf) < {JW_PREFILTER}"
    con.execute(
        f"""CREATE TEMP TABLE {t["cand"]} AS
        WITH lv AS (
          SELECT x.*,
            CASE WHEN x.nf = '' THEN -1 WHEN x.nf = x.rnf THEN 0
                 WHEN {jw} THEN 3
                 ELSE (CASE levenshtein(x.nf, x.rnf) WHEN 1 THEN 1
                       WHEN 2 THEN (CASE WHEN damerau_levenshtein(x.nf, x.rnf) = 1 THEN 1
                                    ELSE 2 END)
                       ELSE 3 END) END AS nlev,
            CASE WHEN x.bd IS NULL OR x.rbd IS NULL THEN 'U'
                 WHEN {pair_agree} THEN 'E'
                 WHEN year(x.bd) = x.ry THEN 'Y'
                 WHEN abs(year(x.bd) - x.ry) = 1 THEN 'N' ELSE 'F' END AS dlev,
            CASE WHEN x.commune IS NULL OR x.rcom IS NULL THEN 'U'
                 WHEN x.commune = x.rcom THEN 'A' ELSE 'D' END AS clev,
            {cp} AS cp
          FROM {t["pairs"]} x
        ),
        sx AS (SELECT sex, sum(n) AS n FROM {ns} GROUP BY sex),
        bsy AS (SELECT sex, birth_year, sum(n) AS n FROM {bs} GROUP BY ALL),
        bcs AS (SELECT commune_code, sex, sum(n) AS n FROM {bs} GROUP BY ALL),
        bss AS (SELECT sex, sum(n) AS n FROM {bs} GROUP BY ALL),
        w AS (
          SELECT lv._ord, lv.pid, lv.personal_id,
            (CASE lv.nlev WHEN -1 THEN 1 WHEN 0 THEN {m0} WHEN 1 THEN {m1} WHEN 2 THEN {m2}
                  ELSE {m3} END)
            * (CASE lv.dlev WHEN 'U' THEN 1 WHEN 'E' THEN {M_DATE["E"]} WHEN 'Y' THEN {M_DATE["Y"]}
                  WHEN 'N' THEN {M_DATE["N"]} ELSE {M_DATE["F"]} END)
            * (CASE lv.clev WHEN 'U' THEN 1 WHEN 'A' THEN {M_COMMUNE[0]} ELSE {M_COMMUNE[1]} END)
            * (CASE WHEN lv.sex_in IS NULL THEN 1 WHEN lv.sex_in = lv.rsex THEN {M_SEX}
                    ELSE {1 - M_SEX} END) AS m,
            (CASE WHEN lv.sex_in IS NULL THEN 2 ELSE 1 END)
            * greatest(1, CASE
                WHEN lv.clev = 'A' AND lv.dlev IN ('E', 'Y') THEN coalesce(b1.n, 1)
                WHEN lv.clev = 'A' AND lv.dlev = 'N' THEN 2 * coalesce(b1.n, 1)
                WHEN lv.clev = 'A' THEN coalesce(b3.n, 1)
                WHEN lv.dlev IN ('E', 'Y') THEN coalesce(b2.n, 1)
                WHEN lv.dlev = 'N' THEN 2 * coalesce(b2.n, 1)
                ELSE coalesce(b4.n, 1) END)
            * (CASE lv.nlev WHEN -1 THEN 1
                 WHEN 0 THEN coalesce(n1.n, 1) / sx.n
                 WHEN 1 THEN least(1, (coalesce(n1.n, 1) + coalesce(n2.n, 0)) / sx.n
                                      + {U_NAME_EDIT1_FLOOR})
                 WHEN 2 THEN {U_NAME_EDIT2} ELSE 1 END)
            * (CASE WHEN lv.dlev = 'E' AND lv.cp = 0 THEN 1 / 365.25
                    WHEN lv.dlev = 'E' AND lv.cp = 1 THEN 1 / 12.0 ELSE 1 END) AS e
          FROM lv
          JOIN sx ON sx.sex = lv.rsex
          LEFT JOIN {bs} b1 ON b1.commune_code = lv.rcom AND b1.sex = lv.rsex
                         AND b1.birth_year = lv.ry
          LEFT JOIN bsy b2 ON b2.sex = lv.rsex AND b2.birth_year = lv.ry
          LEFT JOIN bcs b3 ON b3.commune_code = lv.rcom AND b3.sex = lv.rsex
          LEFT JOIN bss b4 ON b4.sex = lv.rsex
          LEFT JOIN {ns} n1 ON n1.name_folded = lv.rnf AND n1.sex = lv.rsex
          LEFT JOIN {ns} n2 ON n2.name_folded = lv.nf AND n2.sex = lv.rsex
        ),
        s AS (
          SELECT _ord, pid, personal_id, m / e AS w, sum(m / e) OVER (PARTITION BY _ord) AS sw
          FROM w
        ),
        sc AS (
          SELECT _ord, pid, personal_id,
            {pi} * w / ((1 - {pi}) + {pi} * {pout} + {pi} * sw) AS score
          FROM s
        )
        SELECT _ord, pid, personal_id, score,
          row_number() OVER (PARTITION BY _ord ORDER BY score DESC, personal_id) AS rk
        FROM sc
        WHERE score >= {o.min_candidate_score}
        QUALIFY rk <= {int(o.max_candidates)}"""
    )
    for name in (t["pairs"], t["qk"], t["q"]):  # free their memory before the ID lookup
        con.execute(f"DROP TABLE {name}")
    return extra


# over the limits: one SELECT assembled from optional CTEs (candidates or not); the length
# is the SQL text, the branches only choose its parts
def _assemble(
    con: duckdb.DuckDBPyConnection,
    t: Mapping[str, str],
    ix: _Index,
    o: VerifyOptions,
    have_cand: bool,
    passthrough: Mapping[str, pa.Array | pa.ChunkedArray],
) -> pa.Table:
    dob_agree = _agree_sql("p.bd", "p.prec", "i.birth_date", "i.birth_precision")
    if have_cand:
        keys = (
            f"UNION ALL SELECT _ord, pid, true FROM {t['cand']} "
            f"WHERE rk = 1 AND score >= {o.confident}"
        )
        cand_cte = f"""
        cl AS (
          SELECT _ord,
            string_agg(personal_id, ';' ORDER BY rk) AS ids,
            string_agg(printf('%.3f', score), ';' ORDER BY rk) AS scores
          FROM {t["cand"]} GROUP BY _ord
        ),"""
        cand_join = "LEFT JOIN cl ON cl._ord = p._ord"
    else:
        keys = cand_cte = cand_join = ""
    cand_ids = "cl.ids" if have_cand else "NULL::VARCHAR"
    cand_scores = "cl.scores" if have_cand else "NULL::VARCHAR"
    found = "(i._ord IS NOT NULL AND NOT i.via_cand)"

    sql = f"""
    WITH {cand_cte}
    k AS (
      SELECT _ord, {ix.pid_key.format("pid")} AS key, false AS via_cand FROM {t["p"]}
      WHERE pid_ok {keys}
    ),
    i AS (
      SELECT k._ord, k.via_cand, r.pid, fn.full_name, nm.name_folded, r.birth_date,
        r.birth_precision, r.sex, r.commune_code, r.death_date
      FROM k JOIN {ix.blocks} r ON r.pid = k.key
      LEFT JOIN {ix.names} nm ON nm.name_id = r.name_id
      LEFT JOIN {ix.full_names} fn ON fn.full_name_id = r.full_name_id
    ),
    b AS (
      SELECT p._ord, p.pid, p.pid_ok, {found} AS found,
        CASE WHEN p.pid_ok THEN {ix.pid_key.format("p.pid")}
             WHEN p.pid IS NULL AND i.via_cand THEN i.pid END AS dkey,
        {cand_ids} AS cand_ids, {cand_scores} AS cand_scores,
        ({found} AND p.nf <> '' AND p.nf IS DISTINCT FROM i.name_folded) AS name_mis,
        ({found} AND p.bd IS NOT NULL AND i.birth_date IS NOT NULL AND NOT {dob_agree}) AS dob_mis,
        ({found} AND p.sex IS NOT NULL AND i.sex IS NOT NULL AND p.sex <> i.sex) AS sex_mis,
        CASE WHEN NOT {found} OR p.nf = '' OR p.nf <> i.name_folded OR p.nn = i.full_name
             THEN false ELSE p.nn <> {_nfc_text("i.full_name")} END AS name_accents,
        i.full_name AS reg_full_name,
        {_reg_date_text("i.birth_date", "i.birth_precision")} AS reg_birth_date,
        i.sex AS reg_sex, i.commune_code AS reg_commune_code, i.death_date
      FROM {t["p"]} p LEFT JOIN i ON i._ord = p._ord {cand_join}
    )
    SELECT
      CASE
        WHEN b.pid IS NULL THEN (CASE WHEN dk.dkey IS NOT NULL THEN 'duplicate' ELSE 'no_id' END)
        WHEN NOT b.pid_ok THEN 'invalid_id'
        WHEN b.found AND b.death_date IS NOT NULL THEN 'deceased'
        WHEN dk.dkey IS NOT NULL THEN 'duplicate'
        WHEN NOT b.found THEN 'not_found'
        WHEN b.name_mis OR b.dob_mis OR b.sex_mis THEN 'mismatch'
        ELSE 'verified' END AS outcome,
      concat_ws(';', CASE WHEN b.name_mis THEN 'name' END, CASE WHEN b.dob_mis THEN 'dob' END,
                CASE WHEN b.sex_mis THEN 'sex' END) AS mismatched_fields,
      coalesce(b.cand_ids, '') AS candidate_ids, coalesce(b.cand_scores, '') AS candidate_scores,
      b.reg_full_name, b.reg_birth_date, b.reg_sex, b.reg_commune_code, b.death_date,
      coalesce(b.name_accents, false) AS name_accents
    FROM b LEFT JOIN {t["dk"]} dk ON dk.dkey = b.dkey
    """
    # in input order (DuckDB's sort stays within its memory limit; no copy on the Python side)
    reader = con.sql(sql + " ORDER BY b._ord").to_arrow_reader(batch_size=1 << 17)
    out = pa.Table.from_batches(list(reader), schema=reader.schema)
    del reader
    cols: dict[str, pa.Array | pa.ChunkedArray] = {
        f.name: out[f.name] for f in OUTPUT_SCHEMA if f.name not in passthrough
    }
    del out
    cols.update(passthrough)
    return pa.table(
        [cols[f.name] for f in OUTPUT_SCHEMA], names=[f.name for f in OUTPUT_SCHEMA]
    ).cast(OUTPUT_SCHEMA)


# --------------------------------------------------------------------------------------------
# Summaries
# --------------------------------------------------------------------------------------------

_SUMMARY_KEYS = (
    "total",
    "verified",
    "mismatch",
    "deceased",
    "not_found",
    "invalid_id",
    "no_id",
    "duplicate",
)


def summarize(outcomes: pa.Table | pa.Array | pa.ChunkedArray | Iterable[str]) -> dict[str, int]:
    """Counts per outcome plus ``total`` (accepts the verify output or its outcome column)."""
    if isinstance(outcomes, pa.Table):
        outcomes = outcomes["outcome"]
    counts = dict.fromkeys(_SUMMARY_KEYS, 0)
    if isinstance(outcomes, pa.Array | pa.ChunkedArray):
        vc = pc.value_counts(outcomes)
        for item in vc.to_pylist():
            if item["values"] in counts:
                counts[item["values"]] += int(item["counts"])
            counts["total"] += int(item["counts"])
        return counts
    for value in outcomes:
        if value in counts:
            counts[value] += 1
        counts["total"] += 1
    return counts


def summary_line(d: Mapping[str, int]) -> str:
    """``total=N verified=N mismatch=N deceased=N not_found=N invalid_id=N no_id=N duplicate=N``."""
    return " ".join(f"{k}={int(d.get(k, 0))}" for k in _SUMMARY_KEYS)
