"""Benchmark the beneficiary-list row parser against the code before the layout redesign.

Usage:
    .venv/bin/python bench/parse_bench.py [--rows 50000] [--repeat 5] [--seed 2026]
        [--old-rev 953e922]

Builds the government-style list of `bench/import_bench.py` (Tuyên Quang, province "08", the
province's real communes from the `vietnam-provinces` package, no database), writes it as xlsx
and reads it once with today's `read_grid`. The same rows are then parsed, alternately, by:

- today's `chitra.engine.rows.beneficiary.parse_beneficiary_grid` (the column spec on
  `chitra.engine.sheets.spec.validate`);
- the parser of `--old-rev` (default 953e922, the last commit before the redesign):
  `engine/beneficiary_rows.py` and the modules it imports, taken from git with `git show` into a
  temporary package `chitra_old` at run time (its `chitra.` imports renamed), never copied
  into `src`.

Both run in this process, on the same grid, with a fresh parse context each time (the
parsers' caches start empty). It prints the best and the median of `--repeat` runs of each
(CPU time of this process, as the machine is shared), the ratio new / old, and checks that
both give the same records and the same issue codes.
Standalone script, not a pytest test; run it from a git checkout.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

OLD_ENTRY = "chitra.engine.beneficiary_rows"
_IMPORT = re.compile(r"^\s*(?:from|import)\s+(chitra(?:\.\w+)+)", re.MULTILINE)


def _git_show(rev: str, path: str) -> str | None:
    out = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:{path}"], capture_output=True, text=True
    )
    return out.stdout if out.returncode == 0 else None


def extract_old(rev: str, dest: Path) -> ModuleType:
    """`OLD_ENTRY` of `rev` and every chitra module it imports (transitively), written under
    `dest/chitra_old/` with their imports renamed; returns the imported entry module."""
    todo, done = [OLD_ENTRY], set()
    while todo:
        mod = todo.pop()
        if mod in done:
            continue
        done.add(mod)
        rel = mod.replace(".", "/")
        text = _git_show(rev, f"src/{rel}.py")
        if text is None:  # a package: its __init__
            text = _git_show(rev, f"src/{rel}/__init__.py")
            rel = f"{rel}/__init__"
        if text is None:
            raise SystemExit(f"{mod} is not in {rev}")
        todo += _IMPORT.findall(text)
        target = dest / f"chitra_old{rel[len('chitra') :]}.py"
        target.parent.mkdir(parents=True, exist_ok=True)
        renamed = re.sub(r"\b(from|import)(\s+)chitra\b", r"\1\2chitra_old", text)
        target.write_text(renamed, encoding="utf-8")
    for d in (dest / "chitra_old").rglob("*"):
        if d.is_dir() and not (d / "__init__.py").exists():
            (d / "__init__.py").write_text("", encoding="utf-8")
    (dest / "chitra_old" / "__init__.py").touch()
    sys.path.insert(0, str(dest))
    return importlib.import_module(OLD_ENTRY.replace("chitra", "chitra_old", 1))


def _communes() -> list:
    from vietnam_provinces import VietNamDivisionType, Ward

    from chitra.demo import generator as demo_gen

    out = []
    for w in Ward.iter_all():
        if int(w.province_code) == 8:
            out.append(
                demo_gen.Commune(
                    code=f"{int(w.code):05d}",
                    name=w.name,
                    is_urban=w.division_type == VietNamDivisionType.PHUONG,
                )
            )
    return sorted(out, key=lambda c: c.code)


def _setup_django() -> None:
    """Settings only (the benefit labels live in registry.models); no database is opened."""
    os.environ["CHITRA_DEBUG"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "chitra.settings"
    os.environ.setdefault("CHITRA_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _summary(result) -> tuple:  # type: ignore[no-untyped-def]
    records = [
        (r.sheet_row, r.personal_id, r.si_number, r.full_name, r.birth_date, r.commune_code,
         r.benefit_type, r.monthly_amount, r.start_month, len(r.warnings))
        for r in result.records
    ]  # fmt: skip
    issues = sorted((i.sheet_row, i.code) for r in result.rejected for i in r.issues)
    return len(result.records), len(result.rejected), hash(tuple(records)), hash(tuple(issues))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--old-rev", default="953e922")
    args = ap.parse_args()

    _setup_django()
    import import_bench

    from chitra.engine.rows import beneficiary as new
    from chitra.engine.sheets.reading import read_grid
    from chitra.registry.models import BENEFIT_LABELS_VI

    with tempfile.TemporaryDirectory(prefix="parse-bench-") as tmp:
        work = Path(tmp)
        old = extract_old(args.old_rev, work)
        old_grid_cls = importlib.import_module("chitra_old.engine.tabular").Grid
        communes = _communes()
        path = work / "list.xlsx"
        import_bench.build_sheet(path, args.rows, args.seed, communes=communes)
        grid = read_grid(path)
        old_grid = old_grid_cls(
            rows=grid.rows, sheet_name=grid.sheet_name, longest_text=grid.longest_text
        )
        labels = {str(k): v for k, v in BENEFIT_LABELS_VI.items()}
        names = {c.code: c.name for c in communes}
        today = date.today()

        def run_new():  # type: ignore[no-untyped-def]
            ctx = new.ParseContext("08", names, labels, today)
            return new.parse_beneficiary_grid(grid, ctx)

        def run_old():  # type: ignore[no-untyped-def]
            ctx = old.ParseContext("08", names, labels, today)
            return old.parse_beneficiary_grid(old_grid, ctx)

        times: dict[str, list[float]] = {"new": [], "old": []}
        results = {}
        for _ in range(args.repeat):
            for name, fn in (("old", run_old), ("new", run_new)):
                gc.collect()
                t0 = time.process_time()  # CPU time: the 2-core machine is shared
                got = fn()
                times[name].append(time.process_time() - t0)
                results[name] = _summary(got)
                del got

    rows = len(grid.rows)
    print(f"beneficiary list: {args.rows:,} people, {rows:,} sheet rows, {args.repeat} runs each")
    for name, label in (("old", f"before the redesign ({args.old_rev})"), ("new", "now")):
        t = times[name]
        print(
            f"  {label}: best {min(t):.3f} s, median {statistics.median(t):.3f} s "
            f"({args.rows / min(t):,.0f} rows/s)"
        )
    print(
        f"  ratio now / before: best {min(times['new']) / min(times['old']):.3f}, "
        f"median {statistics.median(times['new']) / statistics.median(times['old']):.3f}"
    )
    same = results["new"] == results["old"]
    print(
        f"  records {results['new'][0]:,} and rejected rows {results['new'][1]:,}; same records "
        f"and issue codes as before: {'yes' if same else 'NO'}"
    )
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
