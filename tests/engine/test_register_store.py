"""Tests for chitra.engine.register.store (pure Python + DuckDB; no database needed)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chitra.engine.register.store import (
    RegisterLoadError,
    RegisterPerson,
    changes_since,
    fold_sql,
    load_extract,
    lookup,
    open_store,
    store_info,
)
from chitra.kernel.names import fold_name

HEADER = "personal_id,full_name,birth_date,sex,commune_code,death_date\n"
ROWS = [
    "008150000001,Nguyễn Thị Lan,1950-03-04,F,2269,",
    "008045000002,Trần Văn Đức,1945,M,02212,",
    "002160000003,Lê Thị Hoa,1960-07,F,784,2024-05-01",
    "008070000004,Phạm  Văn   Hùng,1970-01-31,M,02221,",
]


def _csv(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_load_csv_pads_commune_codes_and_parses_precisions(tmp_path: Path) -> None:
    res = load_extract(_csv(tmp_path / "x.csv", ROWS), tmp_path / "reg.duckdb")
    assert (res.rows, res.deaths, res.changes) == (4, 1, 0)
    assert res.sha256 is not None and len(res.sha256) == 64
    con = open_store(tmp_path / "reg.duckdb")
    try:
        rows = con.execute(
            "SELECT personal_id, full_name, name_folded, birth_date, birth_precision, sex, "
            "commune_code, death_date FROM register"
        ).fetchall()
        assert [r[0] for r in rows] == sorted(r[0] for r in rows)
        by_id = {r[0]: r for r in rows}
        assert by_id["008150000001"][6] == "02269"
        assert by_id["002160000003"][6] == "00784"
        assert by_id["008045000002"][3:5] == (date(1945, 1, 1), "Y")
        assert by_id["002160000003"][3:5] == (date(1960, 7, 1), "M")
        assert by_id["002160000003"][7] == date(2024, 5, 1)
        assert by_id["008045000002"][2] == "TRAN VAN DUC"
        assert by_id["008070000004"][1:3] == ("Phạm Văn Hùng", "PHAM VAN HUNG")
        assert con.execute("SELECT sum(n) FROM name_stats").fetchone() == (4,)
        assert con.execute("SELECT sum(n) FROM block_stats").fetchone() == (4,)
    finally:
        con.close()
    info = store_info(tmp_path / "reg.duckdb")
    assert info["rows"] == 4 and info["deaths"] == 1 and info["source"] == "x.csv"


def test_load_parquet_and_ids_that_lost_their_zeros(tmp_path: Path) -> None:
    table = pa.table(
        {
            "personal_id": pa.array([8150000001, 79160000009], pa.int64()),
            "full_name": ["Nguyễn Thị Lan", "Võ Thị Mai"],
            "birth_date": ["1950-03-04", "1960"],
            "sex": ["F", "F"],
            "commune_code": pa.array([2269, 26734], pa.int64()),
            "death_date": pa.nulls(2, pa.string()),
        }
    )
    pq.write_table(table, tmp_path / "x.parquet")
    load_extract(tmp_path / "x.parquet", tmp_path / "reg.duckdb")
    got = lookup(tmp_path / "reg.duckdb", ["008150000001", "079160000009", "001000000000"])
    assert set(got) == {"008150000001", "079160000009"}
    assert got["008150000001"] == RegisterPerson(
        "008150000001", "Nguyễn Thị Lan", date(1950, 3, 4), "D", "F", "02269", None
    )


def test_bad_rows_name_row_column_value_and_expectation(tmp_path: Path) -> None:
    rows = [
        *ROWS,
        "12345,Lê Văn A,1950-01-01,M,02269,",
        "008150000009,Lê Thị B,1950-13-01,X,02269,",
    ]
    with pytest.raises(RegisterLoadError) as err:
        load_extract(_csv(tmp_path / "x.csv", rows), tmp_path / "reg.duckdb")
    issues = {(i.row, i.column, i.value) for i in err.value.issues}
    assert (5, "personal_id", "12345") in issues
    assert (6, "birth_date", "1950-13-01") in issues
    assert (6, "sex", "X") in issues
    assert "Row 5, column 'personal_id'" in str(err.value)
    assert "12-digit" in str(err.value)
    assert not (tmp_path / "reg.duckdb").exists()
    assert not (tmp_path / "reg.tmp").exists()


def test_missing_columns_and_duplicates(tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text("personal_id,full_name\n008150000001,A\n", encoding="utf-8")
    with pytest.raises(RegisterLoadError, match="birth_date"):
        load_extract(tmp_path / "m.csv", tmp_path / "reg.duckdb")
    dup = [*ROWS, "008150000001,Nguyễn Thị Lan,1950-03-04,F,02269,"]
    with pytest.raises(RegisterLoadError, match="008150000001"):
        load_extract(_csv(tmp_path / "d.csv", dup), tmp_path / "reg.duckdb")


def test_failed_reload_keeps_the_old_store(tmp_path: Path) -> None:
    store = tmp_path / "reg.duckdb"
    load_extract(_csv(tmp_path / "a.csv", ROWS), store)
    reader = open_store(store)  # a reader holding the old store open
    with pytest.raises(RegisterLoadError):
        load_extract(_csv(tmp_path / "b.csv", [*ROWS, "bad,x,1950,M,1,"]), store)
    assert store_info(store)["rows"] == 4
    assert not store.with_suffix(".tmp").exists()
    assert reader.execute("SELECT count(*) FROM register").fetchone() == (4,)
    reader.close()


def test_reload_records_changes(tmp_path: Path) -> None:
    store = tmp_path / "reg.duckdb"
    t1 = datetime(2025, 1, 1, 12)
    load_extract(_csv(tmp_path / "a.csv", ROWS), store, loaded_at=t1)
    reader = open_store(store)
    new_rows = [
        "008150000001,Nguyễn Thị Lan,1950-03-04,F,2269,2025-02-03",  # died
        "008045000002,Trần Văn Đức,1945-06-07,M,02212,",  # date corrected
        "002160000003,Lê Thị Hoa,1960-07,F,784,2024-05-01",  # unchanged
        "008090000005,Hà Văn Sơn,1990-01-01,M,02224,",  # new; 008070000004 removed
    ]
    t2 = t1 + timedelta(days=30)
    res = load_extract(_csv(tmp_path / "b.csv", new_rows), store, loaded_at=t2)
    assert res.changes == 4
    # the open reader still sees the old, complete store
    assert reader.execute("SELECT count(*) FROM register").fetchone() == (4,)
    reader.close()
    got = {c.personal_id: c for c in changes_since(store, t1)}
    assert got["008150000001"].kind == "death"
    assert got["008150000001"].fields == {"death_date": date(2025, 2, 3)}
    assert got["008045000002"].kind == "correction"
    assert got["008045000002"].fields == {"birth_date": date(1945, 6, 7), "birth_precision": "D"}
    assert got["008090000005"].kind == "new"
    assert got["008070000004"].kind == "removed"
    assert all(c.detected_at == t2 for c in got.values())
    assert changes_since(store, t2) == []
    # the history survives a further reload
    load_extract(_csv(tmp_path / "c.csv", new_rows), store, loaded_at=t2 + timedelta(days=1))
    assert len(changes_since(store, t1)) == 4


# --------------------------------------------------------------------------------------------
# fold_sql == fold_name
# --------------------------------------------------------------------------------------------

_VI_LOWER = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)
_LETTERS = _VI_LOWER + _VI_LOWER.upper() + "Ðð"
_SPACES = " \t\u00a0\u3000\u2009\u200b\ufeff\u00ad"
_word = st.text(alphabet=_LETTERS, min_size=1, max_size=8)
_name = st.builds(
    lambda words, seps, lead, trail, form: unicodedata.normalize(
        form, lead + "".join(w + s for w, s in zip(words, seps, strict=False)) + trail
    ),
    st.lists(_word, min_size=1, max_size=5),
    st.lists(st.text(alphabet=_SPACES, min_size=1, max_size=3), min_size=5, max_size=5),
    st.text(alphabet=_SPACES, max_size=2),
    st.text(alphabet=_SPACES, max_size=2),
    st.sampled_from(["NFC", "NFD"]),
)


@pytest.fixture(scope="module")
def duck() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


@settings(max_examples=150, deadline=None)
@given(names=st.lists(_name, min_size=1, max_size=20))
def test_fold_sql_equals_fold_name(duck: duckdb.DuckDBPyConnection, names: list[str]) -> None:
    got = duck.execute(
        f"SELECT {fold_sql('n')} FROM (SELECT unnest(?::VARCHAR[]) AS n, "
        "generate_subscripts(?::VARCHAR[], 1) AS i) ORDER BY i",
        [names, names],
    ).fetchall()
    assert [g[0] for g in got] == [fold_name(n) for n in names]


def test_fold_sql_examples(duck: duckdb.DuckDBPyConnection) -> None:
    nfd = unicodedata.normalize("NFD", "Thủy Hoà")
    for s in ["Nguyễn Văn Đức", nfd, " đỗ  thị\u00a0ÁNH ", None]:
        assert duck.execute(f"SELECT {fold_sql('?')}", [s]).fetchone() == (fold_name(s),)


def test_verify_index_is_built_and_can_be_added_to_an_old_store(tmp_path: Path) -> None:
    from chitra.engine.register.store import ensure_verify_index, has_verify_index

    store = tmp_path / "reg.duckdb"
    load_extract(_csv(tmp_path / "x.csv", ROWS), store)
    con = open_store(store)
    try:
        assert has_verify_index(con)
        rows = con.execute(
            "SELECT lpad(CAST(b.pid AS VARCHAR), 12, '0'), n.name_folded, f.full_name, b.sex, "
            "b.commune_code, b.birth_date, b.birth_precision, b.birth_year, b.death_date "
            "FROM verify_blocks b JOIN verify_names n USING (name_id) "
            "JOIN verify_full_names f USING (full_name_id) ORDER BY b.commune_code"
        ).fetchall()
        reg = con.execute(
            "SELECT personal_id, name_folded, full_name, sex, commune_code, birth_date, "
            "birth_precision, year(birth_date), death_date FROM register ORDER BY commune_code"
        ).fetchall()
    finally:
        con.close()
    assert rows == reg
    # a store written before the index existed: verify still works, and the index can be added
    con = duckdb.connect(str(store))
    con.execute("DROP TABLE verify_blocks")
    con.close()
    con = open_store(store)
    try:
        assert not has_verify_index(con)
    finally:
        con.close()
    assert ensure_verify_index(store) is True
    assert ensure_verify_index(store) is False
    con = open_store(store)
    try:
        assert has_verify_index(con)
        assert con.execute("SELECT count(*) FROM verify_blocks").fetchall()[0][0] == len(ROWS)
    finally:
        con.close()
