"""Rule-by-rule tests for chitra.engine.register.verify against a small in-memory register."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from chitra.engine.register.store import load_extract
from chitra.engine.register.verify import OUTPUT_SCHEMA, summarize, summary_line, verify
from chitra.kernel.names import fold_name

REG_SCHEMA = pa.schema(
    [
        ("personal_id", pa.string()),
        ("full_name", pa.string()),
        ("name_folded", pa.string()),
        ("birth_date", pa.date32()),
        ("birth_precision", pa.string()),
        ("sex", pa.string()),
        ("commune_code", pa.string()),
        ("death_date", pa.date32()),
    ]
)
# personal_id, full_name, birth_date, precision, sex, commune, death_date
REGISTER: list[tuple[Any, ...]] = [
    ("008150000001", "Nguyễn Thị Lan", date(1950, 3, 4), "D", "F", "02269", None),
    ("008045000002", "Trần Văn Đức", date(1945, 1, 1), "Y", "M", "02212", None),
    ("002160000003", "Lê Thị Hoa", date(1960, 7, 1), "M", "F", "00784", None),
    ("008070000004", "Phạm Văn Hùng", date(1970, 1, 31), "D", "M", "02221", date(2025, 3, 1)),
    ("008152000005", "Hoàng Thị Thủy", date(1952, 9, 9), "D", "F", "02224", None),
    ("008048000006", "Giàng A Páo", date(1948, 5, 6), "D", "M", "02227", None),
    ("008155000007", "Đặng Thị Mỹ", date(1955, 2, 2), "D", "F", "02230", None),
]
# a few hundred other people so that blocks and name frequencies are not degenerate
FILLER_GIVEN = ["Lan", "Hương", "Mai", "Hằng", "Nga", "Linh", "Trang", "Hạnh", "Yến", "Dung"]
FILLER_SUR = ["Nguyễn", "Trần", "Lê", "Phạm", "Vũ", "Bùi"]


def _register_rows() -> list[tuple[Any, ...]]:
    rows = list(REGISTER)
    k = 0
    for year in range(1945, 1975):
        for commune in ("02269", "02212", "02224"):
            for sex in ("M", "F"):
                k += 1
                sur = FILLER_SUR[k % len(FILLER_SUR)]
                given = FILLER_GIVEN[(k * 7) % len(FILLER_GIVEN)]
                mid = "Văn" if sex == "M" else "Thị"
                g = 0 if sex == "M" else 1
                pid = f"0{30 + k % 60:02d}{g}{year % 100:02d}{900000 + k:06d}"
                rows.append(
                    (
                        pid,
                        f"{sur} {mid} {given}",
                        date(year, 1 + k % 12, 1 + k % 28),
                        "D",
                        sex,
                        commune,
                        None,
                    )
                )
    return rows


def _register_table(rows: list[tuple[Any, ...]]) -> pa.Table:
    cols = list(zip(*rows, strict=True))
    return pa.table(
        {
            "personal_id": cols[0],
            "full_name": cols[1],
            "name_folded": [fold_name(n) for n in cols[1]],
            "birth_date": cols[2],
            "birth_precision": cols[3],
            "sex": cols[4],
            "commune_code": cols[5],
            "death_date": cols[6],
        },
        schema=REG_SCHEMA,
    )


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    c.register("reg_rows", _register_table(_register_rows()))
    c.execute("CREATE TABLE register AS SELECT * FROM reg_rows")
    return c


def _people(rows: list[dict[str, Any]]) -> pa.Table:
    base = {
        "personal_id": None,
        "full_name": None,
        "birth_date": None,
        "birth_precision": "D",
        "sex": None,
        "commune_code": None,
    }
    full = [{"input_row": i + 1, **base, **r} for i, r in enumerate(rows)]
    return pa.Table.from_pylist(
        full,
        schema=pa.schema(
            [
                ("input_row", pa.int64()),
                ("personal_id", pa.string()),
                ("full_name", pa.string()),
                ("birth_date", pa.date32()),
                ("birth_precision", pa.string()),
                ("sex", pa.string()),
                ("commune_code", pa.string()),
            ]
        ),
    )


LAN = {
    "personal_id": "008150000001",
    "full_name": "Nguyễn Thị Lan",
    "birth_date": date(1950, 3, 4),
    "sex": "F",
    "commune_code": "02269",
}


def _one(con: duckdb.DuckDBPyConnection, **over: Any) -> dict[str, Any]:
    out = verify(con, _people([{**LAN, **over}]))
    assert out.num_rows == 1
    return out.to_pylist()[0]


def test_verified_and_output_schema(con: duckdb.DuckDBPyConnection) -> None:
    out = verify(con, _people([LAN]))
    assert out.schema == OUTPUT_SCHEMA
    row = out.to_pylist()[0]
    assert row["outcome"] == "verified" and row["mismatched_fields"] == ""
    assert not row["name_accents"]
    assert row["reg_full_name"] == "Nguyễn Thị Lan" and row["reg_birth_date"] == "1950-03-04"
    assert (row["reg_sex"], row["reg_commune_code"], row["death_date"]) == ("F", "02269", None)


def test_accents_and_case_only_is_verified_with_flag(con: duckdb.DuckDBPyConnection) -> None:
    for name in ("NGUYEN THI LAN", "Nguyen Thi Lan", "NGUYỄN THỊ LAN", "nguyễn  thị lan"):
        row = _one(con, full_name=name)
        assert (row["outcome"], row["name_accents"]) == ("verified", True), name
    # the same text in another normal form is the same name, not an accent difference
    row = _one(con, full_name=unicodedata.normalize("NFD", "Nguyễn Thị Lan"))
    assert (row["outcome"], row["name_accents"]) == ("verified", False)
    # old-style tone placement: Thuỷ / Thủy
    row = _one(
        con,
        personal_id="008152000005",
        full_name="Hoàng Thị Thuỷ",
        birth_date=date(1952, 9, 9),
        commune_code="02224",
    )
    assert (row["outcome"], row["name_accents"]) == ("verified", True)


def test_name_typo_is_a_mismatch(con: duckdb.DuckDBPyConnection) -> None:
    row = _one(con, full_name="Nguyễn Thị Lam")
    assert (row["outcome"], row["mismatched_fields"], row["name_accents"]) == (
        "mismatch",
        "name",
        False,
    )


def test_dates_compare_at_the_coarser_precision(con: duckdb.DuckDBPyConnection) -> None:
    # list year-only, register full date
    assert _one(con, birth_date=date(1950, 1, 1), birth_precision="Y")["outcome"] == "verified"
    row = _one(con, birth_date=date(1951, 1, 1), birth_precision="Y")
    assert (row["outcome"], row["mismatched_fields"]) == ("mismatch", "dob")
    # list month-only
    assert _one(con, birth_date=date(1950, 3, 1), birth_precision="M")["outcome"] == "verified"
    assert _one(con, birth_date=date(1950, 4, 1), birth_precision="M")["outcome"] == "mismatch"
    # register year-only (1945), list full date
    duc = {
        "personal_id": "008045000002",
        "full_name": "Trần Văn Đức",
        "sex": "M",
        "commune_code": "02212",
    }
    assert _one(con, **duc, birth_date=date(1945, 8, 19))["outcome"] == "verified"
    row = _one(con, **duc, birth_date=date(1946, 8, 19))
    assert row["mismatched_fields"] == "dob" and row["reg_birth_date"] == "1945"
    # register month-only (1960-07), list full date in or out of that month
    hoa = {"personal_id": "002160000003", "full_name": "Lê Thị Hoa", "sex": "F"}
    assert _one(con, **hoa, birth_date=date(1960, 7, 20))["outcome"] == "verified"
    row = _one(con, **hoa, birth_date=date(1960, 8, 20))
    assert (row["outcome"], row["mismatched_fields"]) == ("mismatch", "dob")
    assert row["reg_birth_date"] == "1960-07"


def test_moved_commune_is_not_a_mismatch(con: duckdb.DuckDBPyConnection) -> None:
    assert _one(con, commune_code="08001")["outcome"] == "verified"


def test_sex_is_judged_against_the_register(con: duckdb.DuckDBPyConnection) -> None:
    row = _one(con, sex="M")  # also contradicts the ID's sex digit: still only a mismatch
    assert (row["outcome"], row["mismatched_fields"]) == ("mismatch", "sex")
    row = _one(con, sex="M", full_name="Nguyễn Thị Lam", birth_date=date(1949, 3, 4))
    assert row["mismatched_fields"] == "name;dob;sex"


def test_deceased_takes_precedence_and_keeps_fields(con: duckdb.DuckDBPyConnection) -> None:
    row = _one(
        con,
        personal_id="008070000004",
        full_name="Phạm Văn Hải",
        birth_date=date(1970, 1, 31),
        sex="M",
        commune_code="02221",
    )
    assert (row["outcome"], row["mismatched_fields"]) == ("deceased", "name")
    assert row["death_date"] == date(2025, 3, 1)


def test_not_found_invalid_and_no_id(con: duckdb.DuckDBPyConnection) -> None:
    out = verify(
        con,
        _people(
            [
                {**LAN, "personal_id": "008150999999"},
                {**LAN, "personal_id": "08150000001"},
                {**LAN, "personal_id": "00815000000A"},
                {**LAN, "personal_id": None, "full_name": "Hà Văn Không", "sex": "M"},
                {**LAN, "personal_id": "", "full_name": "Hà Văn Không", "sex": "M"},
            ]
        ),
    ).to_pylist()
    assert [r["outcome"] for r in out] == [
        "not_found",
        "invalid_id",
        "invalid_id",
        "no_id",
        "no_id",
    ]
    assert [r["personal_id"] for r in out[:3]] == ["008150999999", "08150000001", "00815000000A"]
    assert out[3]["candidate_ids"] == ""


def test_no_id_candidates_are_ranked_and_scored(con: duckdb.DuckDBPyConnection) -> None:
    rows = [
        {**LAN, "personal_id": None},  # exact copy: confident
        {**LAN, "personal_id": None, "commune_code": "09999"},  # moved, full date: found
        {**LAN, "personal_id": None, "full_name": "Nguyễn Thị Lân"},  # accents only
        {**LAN, "personal_id": None, "full_name": "Nguyễn Thị Lam"},  # a typo
        {**LAN, "personal_id": None, "birth_date": date(1950, 1, 1), "birth_precision": "Y"},
        {
            **LAN,
            "personal_id": None,
            "full_name": "Bùi Thị Nhung",
            "birth_date": date(1950, 3, 5),
        },  # not in the register
    ]
    # one call per row: together they would be duplicates of each other
    out = [verify(con, _people([r])).to_pylist()[0] for r in rows]
    for r in out[:5]:
        assert r["outcome"] == "no_id"
        assert r["candidate_ids"].split(";")[0] == "008150000001", r
        scores = [float(s) for s in r["candidate_scores"].split(";")]
        assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
        assert len(r["candidate_ids"].split(";")) == len(scores) <= 3
    assert float(out[0]["candidate_scores"].split(";")[0]) >= 0.8
    assert out[0]["reg_full_name"] == "Nguyễn Thị Lan"  # register values of the confident one
    last = out[5]["candidate_scores"]
    assert last == "" or float(last.split(";")[0]) < 0.8


def test_duplicates_by_same_id(con: duckdb.DuckDBPyConnection) -> None:
    out = verify(
        con,
        _people(
            [
                LAN,
                {**LAN, "full_name": "Nguyễn Thị Lam"},
                {
                    "personal_id": "008070000004",
                    "full_name": "Phạm Văn Hùng",
                    "sex": "M",
                    "birth_date": date(1970, 1, 31),
                },
                {
                    "personal_id": "008070000004",
                    "full_name": "Phạm Văn Hùng",
                    "sex": "M",
                    "birth_date": date(1970, 1, 31),
                },
                {**LAN, "personal_id": "008150999999"},
                {**LAN, "personal_id": "008150999999"},
                {
                    **LAN,
                    "personal_id": "008155000007",
                    "full_name": "Đặng Thị Mỹ",
                    "birth_date": date(1955, 2, 2),
                    "commune_code": "02230",
                },
            ]
        ),
    ).to_pylist()
    assert [r["outcome"] for r in out] == [
        "duplicate",
        "duplicate",
        "deceased",
        "deceased",
        "duplicate",
        "duplicate",
        "verified",
    ]
    assert out[1]["mismatched_fields"] == "name"


def test_duplicates_by_confident_candidate(con: duckdb.DuckDBPyConnection) -> None:
    mi = {
        "full_name": "Đặng Thị Mỹ",
        "birth_date": date(1955, 2, 2),
        "sex": "F",
        "commune_code": "02230",
    }
    out = verify(
        con,
        _people(
            [
                {**mi, "personal_id": "008155000007"},
                {**mi, "personal_id": None},  # the same person without her ID
                {**LAN, "personal_id": None},
                {**LAN, "personal_id": None, "full_name": "NGUYEN THI LAN"},  # twice without ID
                {
                    "personal_id": None,
                    "full_name": "Giàng A Páo",
                    "birth_date": date(1948, 5, 6),
                    "sex": "M",
                    "commune_code": "02227",
                },
            ]
        ),
    ).to_pylist()
    assert [r["outcome"] for r in out] == ["duplicate"] * 4 + ["no_id"]
    assert out[1]["candidate_ids"].startswith("008155000007")


def test_unknown_sex_and_date_still_find_candidates(con: duckdb.DuckDBPyConnection) -> None:
    out = verify(
        con,
        _people(
            [
                {**LAN, "personal_id": None, "sex": None},
                {**LAN, "personal_id": None, "birth_date": None},
            ]
        ),
    ).to_pylist()
    for r in out:
        assert r["candidate_ids"].split(";")[0] == "008150000001"


def test_store_path_and_register_table_name(tmp_path: Path) -> None:
    csv = tmp_path / "x.csv"
    lines = ["personal_id,full_name,birth_date,sex,commune_code,death_date"]
    for pid, name, bd, prec, sex, com, dd in REGISTER:
        text = bd.isoformat()[: {"D": 10, "M": 7, "Y": 4}[prec]]
        lines.append(f"{pid},{name},{text},{sex},{com},{dd.isoformat() if dd else ''}")
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    load_extract(csv, tmp_path / "reg.duckdb")
    people = _people([LAN, {**LAN, "personal_id": None}])
    out = verify(tmp_path / "reg.duckdb", people)
    assert out["outcome"].to_pylist() == ["duplicate", "duplicate"]
    c = duckdb.connect()
    c.register("rows", _register_table(REGISTER))
    c.execute("CREATE TABLE reg_small AS SELECT * FROM rows")
    out2 = verify(c, _people([LAN]), register_table="reg_small")
    assert out2["outcome"].to_pylist() == ["verified"]


def test_empty_input_and_summary(con: duckdb.DuckDBPyConnection) -> None:
    assert verify(con, _people([])).num_rows == 0
    out = verify(con, _people([LAN, {**LAN, "personal_id": "1"}, {**LAN, "sex": "M"}]))
    d = summarize(out)
    assert d == {
        "total": 3,
        "verified": 0,
        "mismatch": 0,
        "deceased": 0,
        "not_found": 0,
        "invalid_id": 1,
        "no_id": 0,
        "duplicate": 2,
    }
    assert summarize(["verified", "no_id"]) == summarize(pa.array(["verified", "no_id"]))
    assert summary_line(summarize(["verified"])) == (
        "total=1 verified=1 mismatch=0 deceased=0 not_found=0 invalid_id=0 no_id=0 duplicate=0"
    )


def test_store_without_verify_index_gives_the_same(tmp_path: Path) -> None:
    rows = _register_rows()
    csv = tmp_path / "x.csv"
    lines = ["personal_id,full_name,birth_date,sex,commune_code,death_date"]
    for pid, name, bd, prec, sex, com, dd in rows:
        text = bd.isoformat()[: {"D": 10, "M": 7, "Y": 4}[prec]]
        lines.append(f"{pid},{name},{text},{sex},{com},{dd.isoformat() if dd else ''}")
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = tmp_path / "reg.duckdb"
    load_extract(csv, store)
    people = _people(
        [
            LAN,
            {**LAN, "personal_id": "008150999999"},
            {**LAN, "personal_id": None, "full_name": "Nguyễn Thị Lam"},
            {**LAN, "personal_id": None, "birth_date": date(1950, 1, 1), "birth_precision": "Y"},
            {**LAN, "personal_id": None, "commune_code": "09999", "sex": None},
            {
                "personal_id": None,
                "full_name": "Giàng A Páo",
                "birth_date": date(1948, 5, 6),
                "sex": "M",
                "commune_code": "02227",
            },
        ]
    )
    with_index = verify(store, people)
    c = duckdb.connect(str(store))
    c.execute("DROP TABLE verify_blocks")
    c.close()
    without = verify(store, people)
    assert with_index.equals(without)
    assert with_index["candidate_ids"].to_pylist()[2].startswith("008150000001")
