"""Tests for chitra.demo.generator (pure Python; run with -p no:django)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from chitra.demo.generator import (
    BENEFICIARY_SCHEMA,
    FUNERAL_AMOUNT,
    Commune,
    RegisterResult,
    generate_beneficiaries,
    inject_duplicates,
    write_register_extract,
)
from hypothesis import given, settings
from hypothesis import strategies as st

TODAY = date(2025, 11, 15)
COMMUNES = [
    Commune("02269", "Xã Thượng Lâm", False),
    Commune("02212", "Phường Minh Xuân", True),
    Commune("02215", "Phường Nông Tiến", True),
    Commune("02218", "Phường Hưng Thành", True),
    Commune("02221", "Xã Na Hang", False),
    Commune("02224", "Xã Lâm Bình", False),
    Commune("02227", "Xã Yên Sơn", False),
    Commune("02230", "Xã Sơn Dương", False),
    Commune("00784", "Xã Đồng Văn", False),
    Commune("00787", "Xã Mèo Vạc", False),
    Commune("00790", "Phường Hà Giang 1", True),
    Commune("00793", "Xã Bắc Mê", False),
]
OTHER_COMMUNES = [f"{26000 + i:05d}" for i in range(40)]
N_BEN = 20_000
N_EXTRA = 100_000

REGISTER_FIELDS = [
    ("personal_id", pa.string()),
    ("full_name", pa.string()),
    ("birth_date", pa.string()),
    ("sex", pa.string()),
    ("commune_code", pa.string()),
    ("death_date", pa.string()),
]


@pytest.fixture(scope="module")
def ben() -> pa.Table:
    return generate_beneficiaries(
        province_code="08", communes=COMMUNES, n=N_BEN, seed=7, today=TODAY
    )


@pytest.fixture(scope="module")
def register(ben: pa.Table, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    out = tmp_path_factory.mktemp("register")
    res = write_register_extract(
        ben,
        path=out / "register.parquet",
        ground_truth_path=out / "truth.parquet",
        extra_people=N_EXTRA,
        seed=11,
        communes_other=OTHER_COMMUNES,
        today=TODAY,
        chunk_rows=45_000,
    )
    return {
        "result": res,
        "path": out / "register.parquet",
        "reg": pq.read_table(out / "register.parquet"),
        "truth": pq.read_table(res.ground_truth_path),
    }


def _np(col: pa.ChunkedArray | pa.Array) -> np.ndarray:
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    return arr.to_numpy(zero_copy_only=False)


def _ymd(d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = d.astype("datetime64[D]")
    m = d.astype("datetime64[M]")
    return (
        d.astype("datetime64[Y]").astype(np.int64) + 1970,
        m.astype(np.int64) % 12 + 1,
        (d - m.astype("datetime64[D]")).astype(np.int64) + 1,
    )


def _fold(name: str) -> str:
    """Independent name comparison: accents, case, Đ and spacing do not count."""
    s = unicodedata.normalize("NFD", name)
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn")
    s = s.replace("đ", "d").replace("Đ", "D")
    return " ".join(s.casefold().split())


# ---------------------------------------------------------------------------------------------
# Beneficiaries
# ---------------------------------------------------------------------------------------------


def test_schema_and_size(ben: pa.Table) -> None:
    assert ben.schema.equals(BENEFICIARY_SCHEMA)
    assert ben.num_rows == N_BEN
    assert _np(ben["sequence"]).tolist() == list(range(N_BEN))
    for col in (
        "si_number",
        "full_name",
        "birth_date",
        "birth_precision",
        "sex",
        "commune_code",
        "address",
        "benefit_type",
        "monthly_amount",
        "start_month",
        "sequence",
    ):
        assert ben[col].null_count == 0, col


def test_deterministic_for_a_seed() -> None:
    kw = dict(province_code="08", communes=COMMUNES, n=3_000, today=TODAY)
    a = generate_beneficiaries(seed=5, **kw)  # type: ignore[arg-type]
    b = generate_beneficiaries(seed=5, **kw)  # type: ignore[arg-type]
    c = generate_beneficiaries(seed=6, **kw)  # type: ignore[arg-type]
    assert a.equals(b)
    assert not a.equals(c)
    assert a["full_name"].to_pylist() != c["full_name"].to_pylist()
    assert a["si_number"].to_pylist() != c["si_number"].to_pylist()


def test_personal_id_agrees_with_birth_and_sex(ben: pa.Table) -> None:
    has = _np(pc.is_valid(ben["personal_id"]))
    pid = _np(ben["personal_id"])[has].astype("U12")
    assert np.all(np.char.str_len(pid) == 12)
    assert np.all(np.char.isdigit(pid))
    digits = pid.view(np.uint32).reshape(-1, 12) - ord("0")
    year, _, _ = _ymd(_np(ben["birth_date"])[has])
    female = _np(ben["sex"])[has] == "F"
    g = digits[:, 3].astype(np.int64)
    yy = digits[:, 4] * 10 + digits[:, 5]
    assert np.array_equal(g, (year // 100 - 19) * 2 + female)
    assert np.array_equal(yy, year % 100)
    # Tuyên Quang: 60 % 008, 25 % 002 (Hà Giang), rest other real codes
    ppp = np.char.ljust(pid, 3).astype("U3")  # first three characters
    share = {c: float(np.mean(ppp == c)) for c in ("008", "002")}
    assert 0.57 < share["008"] < 0.63
    assert 0.22 < share["002"] < 0.28
    allowed = {
        "008",
        "002",
        "001",
        "004",
        "006",
        "010",
        "015",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
    }
    assert set(np.unique(ppp).tolist()) <= allowed


def test_other_province_birth_codes() -> None:
    t = generate_beneficiaries(
        province_code="19", communes=COMMUNES[:3], n=5_000, seed=1, today=TODAY
    )
    pid = [p for p in t["personal_id"].to_pylist() if p is not None]
    share = sum(p.startswith("019") for p in pid) / len(pid)
    assert 0.76 < share < 0.84


def test_identifiers_unique_and_well_formed(ben: pa.Table) -> None:
    pid = [p for p in ben["personal_id"].to_pylist() if p is not None]
    assert len(pid) == len(set(pid))
    assert 0.015 < 1 - len(pid) / N_BEN < 0.025  # ~2 % without a personal ID
    si = ben["si_number"].to_pylist()
    assert len(si) == len(set(si))
    assert all(len(s) == 10 and s.isdigit() for s in si)
    old = ben["old_id"].to_pylist()
    old_ids = [o for o in old if o is not None]
    assert len(old_ids) == len(set(old_ids))
    assert all(len(o) == 9 and o.isdigit() for o in old_ids)
    # everyone without a personal ID has an old CMND
    for p, o in zip(ben["personal_id"].to_pylist(), old, strict=True):
        if p is None:
            assert o is not None
    assert 0.22 < len(old_ids) / N_BEN < 0.36


def test_surname_frequencies(ben: pa.Table) -> None:
    surnames = pc.list_element(pc.split_pattern(ben["full_name"], " ", max_splits=1), 0)
    counts = {d["values"]: d["counts"] for d in pc.value_counts(surnames).to_pylist()}
    share = {k: v / N_BEN for k, v in counts.items()}
    assert 0.34 <= share["Nguyễn"] <= 0.42
    assert 0.09 <= share["Trần"] <= 0.13
    assert 0.08 <= share["Lê"] <= 0.11
    minority = sum(share.get(s, 0.0) for s in ("Ma", "Nông", "Lục", "Giàng", "Sùng", "Vàng"))
    assert 0.02 < minority < 0.08


def test_names_are_nfc_and_sexed(ben: pa.Table) -> None:
    names = ben["full_name"].to_pylist()
    sexes = ben["sex"].to_pylist()
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert all(len(n.split()) >= 3 for n in names)
    men = [n for n, s in zip(names, sexes, strict=True) if s == "M"]
    women = [n for n, s in zip(names, sexes, strict=True) if s == "F"]
    assert not any(n.split()[1] == "Thị" for n in men)
    assert sum(n.split()[1] == "Thị" for n in women) / len(women) > 0.5
    assert sum(n.split()[1] == "Văn" for n in men) / len(men) > 0.3
    assert len({n.split()[-1] for n in men}) >= 40
    assert len({n.split()[-1] for n in women}) >= 40


def test_benefit_mix(ben: pa.Table) -> None:
    counts = {
        d["values"]: d["counts"] / N_BEN for d in pc.value_counts(ben["benefit_type"]).to_pylist()
    }
    target = {
        "PENSION": 0.62,
        "MONTHLY_ALLOWANCE": 0.25,
        "UNEMPLOYMENT": 0.06,
        "LUMP_SUM": 0.05,
        "SURVIVOR_ONCE": 0.01,
        "FUNERAL": 0.01,
    }
    assert set(counts) == set(target)
    for k, v in target.items():
        assert abs(counts[k] - v) < max(0.02, v * 0.3), k


def test_amounts(ben: pa.Table) -> None:
    amount = _np(ben["monthly_amount"])
    kind = _np(ben["benefit_type"])
    assert np.all(amount > 0)
    assert np.all(amount % 1000 == 0)
    ranges = {
        "PENSION": (2_300_000, 30_000_000),
        "MONTHLY_ALLOWANCE": (1_500_000, 4_000_000),
        "UNEMPLOYMENT": (3_000_000, 6_000_000),
        "LUMP_SUM": (30_000_000, 300_000_000),
        "SURVIVOR_ONCE": (20_000_000, 80_000_000),
        "FUNERAL": (FUNERAL_AMOUNT, FUNERAL_AMOUNT),
    }
    for k, (lo, hi) in ranges.items():
        a = amount[kind == k]
        assert a.size and a.min() >= lo and a.max() <= hi, k
    assert 5_000_000 <= np.median(amount[kind == "PENSION"]) <= 6_500_000
    assert np.all(amount[kind == "FUNERAL"] == 23_400_000)


def test_ages_relative_to_today(ben: pa.Table) -> None:
    y, m, d = _ymd(_np(ben["birth_date"]))
    age = TODAY.year - y - ((m > TODAY.month) | ((m == TODAY.month) & (d > TODAY.day)))
    kind = _np(ben["benefit_type"])
    ranges = {
        "PENSION": (55, 100),
        "MONTHLY_ALLOWANCE": (30, 90),
        "UNEMPLOYMENT": (22, 55),
        "LUMP_SUM": (25, 55),
    }
    for k, (lo, hi) in ranges.items():
        a = age[kind == k]
        assert a.min() >= lo and a.max() <= hi, (k, a.min(), a.max())
    pens = age[kind == "PENSION"]
    assert np.mean((pens >= 60) & (pens <= 95)) > 0.85


def test_birth_precision(ben: pa.Table) -> None:
    prec = _np(ben["birth_precision"])
    _, m, d = _ymd(_np(ben["birth_date"]))
    assert 0.82 < np.mean(prec == "D") < 0.88
    assert 0.035 < np.mean(prec == "M") < 0.065
    assert 0.08 < np.mean(prec == "Y") < 0.12
    assert np.all(d[prec != "D"] == 1)
    assert np.all(m[prec == "Y"] == 1)


def test_start_months(ben: pa.Table) -> None:
    start = _np(ben["start_month"]).astype("datetime64[D]")
    birth = _np(ben["birth_date"]).astype("datetime64[D]")
    kind = _np(ben["benefit_type"])
    today_m = np.datetime64(TODAY, "M")
    months = start.astype("datetime64[M]")
    assert np.all(months.astype("datetime64[D]") == start)  # day 1
    assert np.all(months <= today_m)  # never in the future
    assert np.all(months >= np.datetime64("1975-01"))
    pens = kind == "PENSION"
    ret_age = (months[pens] - birth[pens].astype("datetime64[M]")).astype(np.int64) / 12
    assert ret_age.min() >= 55 and ret_age.max() <= 63
    unemp = (today_m - months[kind == "UNEMPLOYMENT"]).astype(np.int64)
    assert unemp.min() >= 0 and unemp.max() <= 11
    once = np.isin(kind, ["LUMP_SUM", "SURVIVOR_ONCE", "FUNERAL"])
    assert (today_m - months[once]).astype(np.int64).max() <= 2


def test_phones(ben: pa.Table) -> None:
    phones = ben["phone"].to_pylist()
    assert 0.31 < sum(p is None for p in phones) / len(phones) < 0.39
    present = [p for p in phones if p is not None]
    rx = re.compile(r"^\+84(3[2-9]|5[689]|7[06-9]|8[1-9]|9[0-46-9])\d{7}$")
    assert all(rx.match(p) for p in present)
    phonenumbers = pytest.importorskip("phonenumbers")
    for p in present[:500]:
        num = phonenumbers.parse(p, None)
        assert phonenumbers.is_valid_number(num), p
        assert phonenumbers.number_type(num) == phonenumbers.PhoneNumberType.MOBILE, p


def test_communes_and_addresses(ben: pa.Table) -> None:
    by_code = {c.code: c for c in COMMUNES}
    codes = ben["commune_code"].to_pylist()
    assert set(codes) <= set(by_code)
    for code, addr in zip(codes[:2000], ben["address"].to_pylist()[:2000], strict=True):
        c = by_code[code]
        assert addr.endswith(", " + c.name)
        head = addr.split(",")[0]
        if c.is_urban:
            assert head.startswith(("Tổ ", "Số "))
        else:
            assert head.startswith(("Thôn ", "Bản ", "Xóm "))
    counts = {c: codes.count(c) for c in by_code}
    urban = np.mean([counts[c.code] for c in COMMUNES if c.is_urban])
    rural = np.mean([counts[c.code] for c in COMMUNES if not c.is_urban])
    assert urban > 1.5 * rural


@settings(max_examples=15, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=400),
    seed=st.integers(0, 2**32 - 1),
    province=st.sampled_from(["08", "01", "79", "19"]),
)
def test_invariants_hold_for_any_seed(n: int, seed: int, province: str) -> None:
    t = generate_beneficiaries(
        province_code=province, communes=COMMUNES[:4], n=n, seed=seed, today=TODAY
    )
    assert t.num_rows == n and t.schema.equals(BENEFICIARY_SCHEMA)
    pid = [p for p in t["personal_id"].to_pylist() if p is not None]
    assert len(pid) == len(set(pid))
    for p, b, s in zip(
        t["personal_id"].to_pylist(), t["birth_date"].to_pylist(), t["sex"].to_pylist(), strict=True
    ):
        if p is not None:
            assert int(p[3]) == (b.year // 100 - 19) * 2 + (s == "F")
            assert p[4:6] == f"{b.year % 100:02d}"


# ---------------------------------------------------------------------------------------------
# Register extract and ground truth
# ---------------------------------------------------------------------------------------------


def test_register_schema_and_chunks(register: dict[str, object], ben: pa.Table) -> None:
    reg = register["reg"]
    assert isinstance(reg, pa.Table)
    assert reg.schema.equals(pa.schema(REGISTER_FIELDS))
    res = register["result"]
    assert isinstance(res, RegisterResult)
    assert res.rows == reg.num_rows
    truth = register["truth"]
    assert isinstance(truth, pa.Table)
    in_reg = int(pc.sum(pc.is_valid(truth["true_personal_id"])).as_py())
    assert reg.num_rows == in_reg + N_EXTRA
    meta = pq.ParquetFile(register["path"]).metadata  # type: ignore[arg-type]
    assert meta.num_row_groups == -(-reg.num_rows // 45_000)
    assert truth.schema.names == [
        "sequence",
        "personal_id",
        "true_personal_id",
        "kinds",
        "expected_outcome",
        "expected_mismatched_fields",
    ]
    assert truth.num_rows == ben.num_rows
    assert res.discrepancies == sum(k != "" for k in truth["kinds"].to_pylist())


def test_register_values_well_formed(register: dict[str, object]) -> None:
    reg = register["reg"]
    assert isinstance(reg, pa.Table)
    pid = reg["personal_id"].to_pylist()
    assert len(pid) == len(set(pid))
    assert all(len(p) == 12 and p.isdigit() for p in pid)
    assert set(reg["sex"].to_pylist()) == {"M", "F"}
    rx = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
    births = reg["birth_date"].to_pylist()
    assert all(rx.match(b) for b in births)
    assert {len(b) for b in births} == {4, 7, 10}
    for b in births:  # real dates
        parts = [int(x) for x in b.split("-")]
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    assert all(len(c) == 5 and c.isdigit() for c in reg["commune_code"].to_pylist())
    deaths = [(d, b) for d, b in zip(reg["death_date"].to_pylist(), births, strict=True) if d]
    assert deaths
    for d, b in deaths:
        dd = date.fromisoformat(d)
        assert dd <= TODAY
        assert d[: len(b)] >= b  # died after birth (at the register's precision)
    assert set(reg["commune_code"].to_pylist()) & set(OTHER_COMMUNES)
    assert set(reg["full_name"].to_pylist()) > set()


def test_extras_ids_agree_with_birth_and_sex(register: dict[str, object], ben: pa.Table) -> None:
    reg = register["reg"]
    truth = register["truth"]
    assert isinstance(reg, pa.Table) and isinstance(truth, pa.Table)
    known = set(truth["true_personal_id"].to_pylist())
    for p, b, s in zip(
        reg["personal_id"].to_pylist(),
        reg["birth_date"].to_pylist(),
        reg["sex"].to_pylist(),
        strict=True,
    ):
        if p in known:
            continue
        year = int(b[:4])
        assert int(p[3]) == (year // 100 - 19) * 2 + (s == "F")
        assert p[4:6] == f"{year % 100:02d}"


def test_register_contains_beneficiaries(register: dict[str, object], ben: pa.Table) -> None:
    reg = register["reg"]
    truth = register["truth"]
    assert isinstance(reg, pa.Table) and isinstance(truth, pa.Table)
    reg_ids = set(reg["personal_id"].to_pylist())
    kinds = truth["kinds"].to_pylist()
    n_nir = 0
    for pid, k in zip(ben["personal_id"].to_pylist(), kinds, strict=True):
        if pid is None:
            continue
        if "not_in_register" in k.split(";"):
            n_nir += 1
            assert pid not in reg_ids
        else:
            assert pid in reg_ids
    assert 0.005 < n_nir / N_BEN < 0.015
    # beneficiaries without an ID are in the register under their true ID
    for pid, true_pid in zip(
        truth["personal_id"].to_pylist(), truth["true_personal_id"].to_pylist(), strict=True
    ):
        if pid is None:
            assert true_pid in reg_ids
        elif true_pid is not None:
            assert true_pid == pid


def _precision(s: str) -> int:
    return {10: 0, 7: 1, 4: 2}[len(s)]


def _dob_differs(ben_date: date, ben_prec: str, reg: str) -> bool:
    coarse = max({"D": 0, "M": 1, "Y": 2}[ben_prec], _precision(reg))
    parts = [int(x) for x in reg.split("-")]
    if coarse == 2:
        return ben_date.year != parts[0]
    if coarse == 1:
        return (ben_date.year, ben_date.month) != (parts[0], parts[1])
    return (ben_date.year, ben_date.month, ben_date.day) != tuple(parts)


def test_ground_truth_consistent_with_files(register: dict[str, object], ben: pa.Table) -> None:
    """Re-derive outcome and mismatched fields with a simple independent comparison."""
    reg_t = register["reg"]
    truth = register["truth"]
    assert isinstance(reg_t, pa.Table) and isinstance(truth, pa.Table)
    reg = {r["personal_id"]: r for r in reg_t.to_pylist()}
    outcomes: dict[str, int] = {}
    for b, t in zip(ben.to_pylist(), truth.to_pylist(), strict=True):
        assert b["sequence"] == t["sequence"]
        assert b["personal_id"] == t["personal_id"]
        if b["personal_id"] is None:
            outcome, fields = "no_id", ""
            r = reg[t["true_personal_id"]]
            assert _fold(r["full_name"]) == _fold(b["full_name"])
            assert not _dob_differs(b["birth_date"], b["birth_precision"], r["birth_date"])
            assert r["sex"] == b["sex"]
        elif b["personal_id"] not in reg:
            outcome, fields = "not_found", ""
        else:
            r = reg[b["personal_id"]]
            diffs = []
            if _fold(r["full_name"]) != _fold(b["full_name"]):
                diffs.append("name")
            if _dob_differs(b["birth_date"], b["birth_precision"], r["birth_date"]):
                diffs.append("dob")
            if r["sex"] != b["sex"]:
                diffs.append("sex")
            fields = ";".join(diffs)
            if r["death_date"] is not None:
                outcome = "deceased"
            else:
                outcome = "mismatch" if diffs else "verified"
            kinds = t["kinds"].split(";") if t["kinds"] else []
            if "moved" in kinds:
                assert r["commune_code"] != b["commune_code"]
            else:
                assert r["commune_code"] == b["commune_code"]
            if "name_accents" in kinds and "name_typo" not in kinds:
                assert r["full_name"] != b["full_name"]
        assert t["expected_outcome"] == outcome, (b, t)
        assert t["expected_mismatched_fields"] == fields, (b, t)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    share = {k: v / N_BEN for k, v in outcomes.items()}
    assert 0.90 < share["verified"] < 0.95
    assert 0.010 < share["deceased"] < 0.020
    assert 0.010 < share["mismatch"] < 0.030
    assert 0.005 < share["not_found"] < 0.015
    assert 0.015 < share["no_id"] < 0.025


def test_each_kind_present_and_canonical(register: dict[str, object]) -> None:
    truth = register["truth"]
    assert isinstance(truth, pa.Table)
    order = ["deceased", "name_typo", "name_accents", "dob", "sex", "moved", "not_in_register"]
    seen: set[str] = set()
    for k in truth["kinds"].to_pylist():
        if not k:
            continue
        parts = k.split(";")
        assert parts == sorted(parts, key=order.index)
        seen.update(parts)
    assert seen == set(order)


def test_register_deterministic(ben: pa.Table, tmp_path: Path) -> None:
    small = ben.slice(0, 2_000)

    def run(seed: int, name: str) -> tuple[pa.Table, pa.Table]:
        res = write_register_extract(
            small,
            path=tmp_path / f"{name}.parquet",
            ground_truth_path=tmp_path / f"{name}-gt.parquet",
            extra_people=5_000,
            seed=seed,
            communes_other=OTHER_COMMUNES,
            today=TODAY,
            chunk_rows=3_000,
        )
        return pq.read_table(tmp_path / f"{name}.parquet"), pq.read_table(res.ground_truth_path)

    a, ga = run(3, "a")
    b, gb = run(3, "b")
    c, _ = run(4, "c")
    assert a.equals(b) and ga.equals(gb)
    assert not a.equals(c)


def test_register_rejects_duplicated_input(ben: pa.Table, tmp_path: Path) -> None:
    dup = inject_duplicates(ben.slice(0, 500), rate=0.01, seed=1)
    with pytest.raises(ValueError):
        write_register_extract(
            dup,
            path=tmp_path / "r.parquet",
            ground_truth_path=tmp_path / "g.parquet",
            extra_people=0,
            seed=1,
            communes_other=[],
            today=TODAY,
        )


# ---------------------------------------------------------------------------------------------
# Duplicates
# ---------------------------------------------------------------------------------------------


def test_inject_duplicates(ben: pa.Table) -> None:
    out = inject_duplicates(ben, rate=0.005, seed=9)
    assert out.num_rows == N_BEN + 100
    assert out.column_names == [*ben.column_names, "duplicate_of"]
    assert out.slice(0, N_BEN).drop_columns(["duplicate_of"]).equals(ben)
    assert out["duplicate_of"].null_count == N_BEN
    si = out["si_number"].to_pylist()
    assert len(si) == len(set(si))
    seq = out["sequence"].to_pylist()
    assert len(seq) == len(set(seq))
    rows = ben.to_pylist()
    typos = 0
    for r in out.slice(N_BEN).to_pylist():
        orig = rows[r["duplicate_of"]]
        assert r["personal_id"] == orig["personal_id"]
        assert r["old_id"] == orig["old_id"]
        assert r["birth_date"] == orig["birth_date"]
        assert r["si_number"] != orig["si_number"]
        typos += _fold(r["full_name"]) != _fold(orig["full_name"])
    assert 30 <= typos <= 70
    again = inject_duplicates(ben, rate=0.005, seed=9)
    assert again.equals(out)


def test_empty_inputs(tmp_path: Path) -> None:
    empty = generate_beneficiaries(province_code="08", communes=COMMUNES, n=0, seed=1, today=TODAY)
    assert empty.num_rows == 0
    res = write_register_extract(
        empty,
        path=tmp_path / "r.parquet",
        ground_truth_path=tmp_path / "g.parquet",
        extra_people=50,
        seed=1,
        communes_other=OTHER_COMMUNES,
        today=TODAY,
    )
    assert res.rows == 50 and res.discrepancies == 0
    assert pq.read_table(tmp_path / "g.parquet").num_rows == 0
    assert inject_duplicates(empty, rate=0.1, seed=1).num_rows == 0
