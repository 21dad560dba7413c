"""Benchmark the synthetic data generator (chitra.demo.generator).

Usage:
    .venv/bin/python bench/demo_gen.py --beneficiaries 3500000 --register 100000000 --out /tmp/x

Prints rows/s for the beneficiaries and the register extract, peak RSS, and, as a same-process
baseline, a naive pure-Python per-row generator timed on 100,000 rows and extrapolated to the
requested sizes.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import pyarrow.parquet as pq
from chitra.demo.generator import (
    BENEFIT_MIX,
    SURNAMES_KINH,
    Commune,
    generate_beneficiaries,
    write_register_extract,
)

TODAY = date(2025, 11, 15)


def _communes(n: int = 124, urban: int = 7) -> list[Commune]:
    """124 units like Tuyên Quang (117 xã, 7 phường); names are synthetic."""
    out = []
    for i in range(n):
        is_urban = i < urban
        kind = "Phường" if is_urban else "Xã"
        out.append(
            Commune(code=f"{2200 + i * 3:05d}", name=f"{kind} Đơn Vị {i + 1}", is_urban=is_urban)
        )
    return out


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def _naive(n: int, seed: int) -> float:
    """Naive per-row pure-Python generation of beneficiary-like dicts; returns seconds."""
    rnd = random.Random(seed)
    surnames = [s for s, _ in SURNAMES_KINH]
    weights = [w for _, w in SURNAMES_KINH]
    benefits = [b for b, _ in BENEFIT_MIX]
    bweights = [w for _, w in BENEFIT_MIX]
    seen: set[str] = set()
    rows = []
    t0 = time.perf_counter()
    for i in range(n):
        female = rnd.random() < 0.52
        year = rnd.randint(1930, 2000)
        while True:
            pid = f"008{(year // 100 - 19) * 2 + female}{year % 100:02d}{rnd.randrange(10**6):06d}"
            if pid not in seen:
                seen.add(pid)
                break
        rows.append(
            {
                "personal_id": pid,
                "full_name": " ".join(
                    (rnd.choices(surnames, weights)[0], "Thị" if female else "Văn", "Lan")
                ),
                "birth_date": date(year, rnd.randint(1, 12), rnd.randint(1, 28)),
                "sex": "F" if female else "M",
                "phone": f"+849{rnd.randrange(10**8):08d}",
                "benefit_type": rnd.choices(benefits, bweights)[0],
                "monthly_amount": round(rnd.lognormvariate(15.5, 0.4), -3),
                "sequence": i,
            }
        )
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--beneficiaries", type=int, default=200_000)
    ap.add_argument("--register", type=int, default=1_000_000, help="total register rows")
    ap.add_argument("--out", type=Path, default=Path("/tmp/chitra-demo-gen"))
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--chunk-rows", type=int, default=5_000_000)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    naive_n = 100_000
    naive_s = _naive(naive_n, args.seed)
    naive_rate = naive_n / naive_s

    t0 = time.perf_counter()
    ben = generate_beneficiaries(
        province_code="08", communes=_communes(), n=args.beneficiaries, seed=args.seed, today=TODAY
    )
    t_ben = time.perf_counter() - t0
    pq.write_table(ben, args.out / "beneficiaries.parquet", compression="zstd")
    print(
        f"beneficiaries: {ben.num_rows:,} rows in {t_ben:.1f} s "
        f"= {ben.num_rows / t_ben:,.0f} rows/s (peak RSS so far {_peak_rss_mb():,.0f} MB)"
    )

    in_register = int(ben.num_rows * 0.99)  # ~1 % not_in_register
    extra = max(0, args.register - in_register)
    t0 = time.perf_counter()
    res = write_register_extract(
        ben,
        path=args.out / "register.parquet",
        ground_truth_path=args.out / "ground_truth.parquet",
        extra_people=extra,
        seed=args.seed + 1,
        communes_other=[f"{30000 + i:05d}" for i in range(3_197)],
        today=TODAY,
        chunk_rows=args.chunk_rows,
    )
    t_reg = time.perf_counter() - t0
    print(
        f"register:      {res.rows:,} rows in {t_reg:.1f} s = {res.rows / t_reg:,.0f} rows/s "
        f"({res.discrepancies:,} beneficiaries with injected discrepancies)"
    )
    size_mb = (args.out / "register.parquet").stat().st_size / 2**20
    print(f"register file: {size_mb:,.0f} MiB")
    print(f"peak RSS:      {_peak_rss_mb():,.0f} MB")

    total_rows = ben.num_rows + res.rows
    vec_s = t_ben + t_reg
    naive_total = total_rows / naive_rate
    print(
        f"naive loop:    {naive_n:,} rows in {naive_s:.2f} s = {naive_rate:,.0f} rows/s "
        f"-> {total_rows:,} rows extrapolated {naive_total:,.0f} s (generation only, no I/O, "
        "and the 100 M-entry ID set would not fit in this box's memory)"
    )
    print(
        f"vectorised:    {total_rows:,} rows in {vec_s:,.1f} s "
        f"= {total_rows / vec_s:,.0f} rows/s; ratio naive/vectorised = {naive_total / vec_s:.1f}x"
    )


if __name__ == "__main__":
    main()
