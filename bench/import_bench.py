"""Benchmark the beneficiary spreadsheet import (chitra.registry.services.beneficiary_import).

Usage:
    .venv/bin/python bench/import_bench.py [--rows 300000] [--keep DIR] [--seed 2026]

Builds a realistic xlsx beneficiary list for Tuyên Quang (province "08": synthetic people from
chitra.demo.generator in the province's real communes) in the government layout (title lines,
one header row with the officers' Vietnamese labels, a "(1) (2) ..." numbering row, the list, a
"Tổng cộng" row and a signature block), written with xlsxwriter in constant_memory mode. Then, in
a fresh temporary SQLite database, times `beneficiary_import` end to end (read + parse + apply +
audit) and a second import of the same file (re-import: everything unchanged).

Baseline, same process and same file: a plain openpyxl read (read_only=True, values_only,
iterate every row). The ratio printed is import_time / openpyxl_read_time. The target is
< 60 s for the 300k-row import into SQLite.

--keep DIR keeps the xlsx and the SQLite database in DIR (default: a temp dir, removed at exit).
Standalone script, not a pytest test.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

PROVINCE = "08"  # Tuyên Quang
TITLE_LINES = (
    "BẢO HIỂM XÃ HỘI TỈNH TUYÊN QUANG",
    "DANH SÁCH NGƯỜI HƯỞNG LƯƠNG HƯU, TRỢ CẤP BHXH HẰNG THÁNG",
    "Tháng 11 năm 2026",
)
HEADERS = (
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Số CMND",
    "Mã số BHXH",
    "Xã/Phường",
    "Địa chỉ",
    "Số điện thoại",
    "Loại chế độ",
    "Mức hưởng",
    "Tháng bắt đầu hưởng",
)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def _setup_django(workdir: Path) -> None:
    """Fresh SQLite database in `workdir`; env set BEFORE django.setup()."""
    os.environ["CHITRA_VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["CHITRA_DEBUG"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "chitra.settings"
    os.environ.setdefault("CHITRA_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # CHITRA_DEBUG=1 only to start without production secrets: turn DEBUG's per-query logging
    # (connection.queries + SQLite's last_executed_query quoting, ~10% of the write phase) off,
    # as in production where the import runs in the task worker with DEBUG off.
    from django.conf import settings

    settings.DEBUG = False


def _commune_cells(communes: list) -> dict[str, object]:
    """What officers type in the commune column: the name ("Xã Thượng Lâm"), or the code
    where two communes of the province share a name."""
    from chitra.kernel.names import fold_name

    names = Counter(fold_name(c.name) for c in communes)
    return {c.code: (c.name if names[fold_name(c.name)] == 1 else c.code) for c in communes}


def build_sheet(path: Path, n: int, seed: int, communes: list | None = None) -> tuple[int, float]:
    """Write the n-row list; returns (n, seconds to generate + write). `communes`: the
    province's (`demo_gen.Commune`), read from the database when not given."""
    import xlsxwriter

    from chitra.demo import generator as demo_gen
    from chitra.registry.models import BENEFIT_LABELS_VI

    t0 = time.perf_counter()
    if communes is None:
        from chitra.geo.models import Commune

        communes = [
            demo_gen.Commune(code=c.code, name=c.name, is_urban=c.is_urban)
            for c in Commune.objects.filter(province__code=PROVINCE).order_by("code")
        ]
    table = demo_gen.generate_beneficiaries(
        province_code=PROVINCE, communes=communes, n=n, seed=seed, today=date.today()
    )
    cols = {name: table.column(name).to_pylist() for name in table.column_names}
    commune_cell = _commune_cells(communes)
    benefit_label = {str(k): v[0] for k, v in BENEFIT_LABELS_VI.items()}
    sex_label = {"M": "Nam", "F": "Nữ"}

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Danh sách")
    bold = wb.add_format(
        {"bold": True, "text_wrap": True, "align": "center", "valign": "vcenter", "border": 1}
    )
    title = wb.add_format({"bold": True, "align": "center"})
    money = wb.add_format({"num_format": "#,##0"})
    width = len(HEADERS)
    r = 0
    ws.write_string(r, 0, TITLE_LINES[0], title)
    r += 1
    ws.merge_range(r, 0, r, width - 1, TITLE_LINES[1], title)  # one row: fine in constant_memory
    r += 1
    ws.write_string(r, 0, TITLE_LINES[2])
    r += 2  # blank line
    for c, label in enumerate(HEADERS):
        ws.write_string(r, c, label, bold)
    r += 1
    for c in range(width):
        ws.write_string(r, c, f"({c + 1})", bold)
    r += 1

    pid, old, si = cols["personal_id"], cols["old_id"], cols["si_number"]
    names, births, prec = cols["full_name"], cols["birth_date"], cols["birth_precision"]
    sexes, ccode, addr, phone = cols["sex"], cols["commune_code"], cols["address"], cols["phone"]
    benefit, amount, start = cols["benefit_type"], cols["monthly_amount"], cols["start_month"]
    ws_str, ws_num = ws.write_string, ws.write_number
    total = 0
    for k in range(n):
        ws_num(r, 0, k + 1)
        ws_str(r, 1, names[k])
        b, p = births[k], prec[k]
        if p == "D":
            ws_str(r, 2, f"{b.day:02d}/{b.month:02d}/{b.year}")
        elif p == "M":
            ws_str(r, 2, f"{b.month:02d}/{b.year}")
        else:
            ws_str(r, 2, f"{b.year}")
        ws_str(r, 3, sex_label[sexes[k]])
        if pid[k]:
            ws_str(r, 4, pid[k])
        if old[k]:
            ws_str(r, 5, old[k])
        if si[k]:
            ws_str(r, 6, si[k])
        cell = commune_cell[ccode[k]]
        ws_str(r, 7, cell) if isinstance(cell, str) else ws_num(r, 7, cell)
        if addr[k]:
            ws_str(r, 8, addr[k])
        if phone[k]:
            ws_str(r, 9, "0" + phone[k][3:])  # +84912345678 -> 0912345678
        ws_str(r, 10, benefit_label[benefit[k]])
        ws_num(r, 11, amount[k], money)
        total += amount[k]
        s = start[k]
        if s is not None:
            ws_str(r, 12, f"{s.month:02d}/{s.year}")
        r += 1
    ws.write_string(r, 1, "Tổng cộng", bold)
    ws.write_number(r, 11, total, money)
    r += 2
    ws.write_string(r, 8, "Tuyên Quang, ngày 27 tháng 11 năm 2026")
    r += 1
    ws.write_string(r, 1, "NGƯỜI LẬP BIỂU", title)
    ws.write_string(r, 8, "GIÁM ĐỐC", title)
    r += 3
    ws.write_string(r, 1, "Nguyễn Thị Lan")
    ws.write_string(r, 8, "Trần Văn Hùng")
    wb.close()
    return n, time.perf_counter() - t0


def openpyxl_read(path: Path) -> tuple[int, float]:
    import openpyxl

    t0 = time.perf_counter()
    wb = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    ws = wb.worksheets[0]
    rows = 0
    cells = 0
    for row in ws.iter_rows(values_only=True):
        rows += 1
        cells += sum(1 for v in row if v is not None)
    wb.close()
    return rows, time.perf_counter() - t0


def fastexcel_read(path: Path) -> tuple[int, float]:
    from chitra.engine.sheets.reading import read_grid

    t0 = time.perf_counter()
    grid = read_grid(path)
    return len(grid.rows), time.perf_counter() - t0


_SPENT: dict[str, float] = {}


def _instrument() -> None:
    """Wrap a few functions that services.py calls by module-level name, to split the time
    (read / parse / audit) without touching the app code."""
    import functools

    from chitra.registry import services

    for name in ("read_grid", "parse_beneficiary_grid", "audit_bulk"):
        fn = getattr(services, name)
        if getattr(fn, "_bench_wrapped", False):
            continue

        @functools.wraps(fn)
        def wrapper(*a, _fn=fn, _name=name, **kw):  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            try:
                return _fn(*a, **kw)
            finally:
                _SPENT[_name] = _SPENT.get(_name, 0.0) + time.perf_counter() - t

        wrapper._bench_wrapped = True  # type: ignore[attr-defined]
        setattr(services, name, wrapper)


def timed_import(path: Path) -> tuple[object, float, dict[str, float]]:
    from chitra.iam.services import system_actor
    from chitra.registry.services import beneficiary_import

    _instrument()
    _SPENT.clear()
    actor = system_actor()
    marks: dict[str, float] = {}

    def progress(phase: str, done: int, total: int) -> None:
        marks.setdefault(phase, time.perf_counter())

    t0 = time.perf_counter()
    summary = beneficiary_import(actor=actor, path=path, province_code=PROVINCE, progress=progress)
    t1 = time.perf_counter()
    phases: dict[str, float] = {}
    # read -> (first "apply" tick: file read + parsed + existing rows looked up) -> "write"
    # (apply loop done) -> end (bulk inserts + audit events + commit)
    points = [
        ("read+parse+lookup", marks.get("read", t0), marks.get("apply")),
        ("apply loop", marks.get("apply"), marks.get("write")),
        ("write+audit+commit", marks.get("write"), t1),
    ]
    for label, a, b in points:
        if a is not None and b is not None:
            phases[label] = b - a
    for name, label in (
        ("read_grid", "of which read_grid"),
        ("parse_beneficiary_grid", "of which parse"),
        ("audit_bulk", "of which audit_bulk"),
    ):
        if name in _SPENT:
            phases[label] = _SPENT[name]
    return summary, t1 - t0, phases


def _report_import(
    label: str, summary, seconds: float, phases: dict[str, float], base: float
) -> None:
    rows = summary.rows
    print(f"{label}: rows={rows} seconds={seconds:.1f} rows/s={rows / seconds:,.0f}")
    print(f"  summary: {summary.line()}  warnings={len(summary.warnings)}")
    if phases:
        print("  phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in phases.items()))
    print(f"  ratio {label} / openpyxl read = {seconds / base:.2f}")
    if summary.rejected_rows:
        codes = Counter(i.code for r in summary.rejected_rows for i in r.issues)
        print(f"  rejected issue codes: {dict(codes.most_common(8))}")
    if summary.warnings:
        codes = Counter(w.code for w in summary.warnings)
        print(f"  warning codes: {dict(codes.most_common(8))}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=300_000)
    ap.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="keep the xlsx and the SQLite database in this directory",
    )
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()

    if args.keep is not None:
        workdir = args.keep.resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        for stale in workdir.glob("bench.sqlite3*"):
            stale.unlink()
    else:
        workdir = Path(tempfile.mkdtemp(prefix="chitra-import-bench-"))
    try:
        t_all = time.perf_counter()
        _setup_django(workdir)
        xlsx = workdir / f"tuyen_quang_{args.rows}.xlsx"
        n, t_build = build_sheet(xlsx, args.rows, args.seed)
        size_mb = xlsx.stat().st_size / 1e6
        print(
            f"sheet: {xlsx.name} rows={n} size={size_mb:.1f} MB "
            f"(generate + write {t_build:.1f} s, xlsxwriter constant_memory)"
        )

        rows, t_base = openpyxl_read(xlsx)
        print(
            f"baseline openpyxl read_only values_only: sheet rows={rows} "
            f"seconds={t_base:.1f} rows/s={rows / t_base:,.0f}"
        )
        grid_rows, t_grid = fastexcel_read(xlsx)
        print(
            f"info: read_grid (fastexcel) alone: sheet rows={grid_rows} seconds={t_grid:.1f} "
            f"(ratio to openpyxl {t_grid / t_base:.2f})"
        )

        summary, t_imp, phases = timed_import(xlsx)
        _report_import("import", summary, t_imp, phases, t_base)
        verdict = "OK" if t_imp < 60 else "MISSED"
        print(f"  target < 60 s: {verdict}")

        summary2, t_re, phases2 = timed_import(xlsx)
        _report_import("re-import (unchanged)", summary2, t_re, phases2, t_base)

        from chitra.core.models import AuditEvent
        from chitra.registry.models import Beneficiary, Entitlement

        db_mb = (workdir / "bench.sqlite3").stat().st_size / 1e6
        print(
            f"database: beneficiaries={Beneficiary.objects.count()} "
            f"entitlements={Entitlement.objects.count()} "
            f"audit events={AuditEvent.objects.count()} sqlite file={db_mb:.0f} MB"
        )
        print(
            f"peak RSS {_peak_rss_mb():,.0f} MB; total wall time "
            f"{time.perf_counter() - t_all:.1f} s"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"kept: {workdir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
