"""Benchmark the monthly payment cycle at national scale on PostgreSQL.

Usage:
    .venv/bin/python bench/cycle_bench.py [--rows 3500000] [--db chitra_bench_cycle]
        [--pg postgres://postgres@127.0.0.1:5432] [--cashless 0.6] [--mobile 0.1]
        [--cash-home 0.05] [--month 2026-11] [--seed 2026] [--no-trial] [--profile]
        [--reuse] [--drop]

Targets (the issue): the 3.5 M-line cycle computed and its CSV and XML files written in under
2 minutes; 3.5 M result lines applied in under 1 minute; each against a plain `COPY ... TO` /
`COPY ... FROM` of the same rows in the same run.

Design size: a cycle is per province, so the whole national payroll (`--rows`, default 3.5 M
beneficiaries, one PENSION entitlement each) is loaded into the real communes of ONE province
(08 Tuyên Quang) and paid by ONE cycle: 3.5 M lines in one cycle is the design size (the real
largest provinces are far smaller).

Load (not timed): drops and recreates `--db`, migrates it, generates the people with
chitra.demo.generator (one call, so IDs are unique), and COPYs, with
session_replication_role=replica and the tables' secondary indexes dropped (rebuilt from their
pg_get_indexdef definitions afterwards; orphan checks replace the FK triggers), with explicit
ids: beneficiaries; one active PENSION entitlement each (2-10 M đồng, whole đồng, paid through
the month before the cycle); a PersonStatus seen alive now for everyone; for `--cashless` of them
a verified account (number encrypted with chitra.core.crypto.encrypt and blind-indexed, in a
2-process pool) and a PaymentMethod: mobile money at VIETTELMONEY for `--mobile` of those, else a
bank account at one of five NAPAS banks (Agribank, VietinBank, BIDV, Vietcombank, LPBank,
weighted as chitra.demo.payment_methods); `--cash-home` of everyone get CASH_HOME, the rest have
no method and are paid at the VNPost pay point. Then VACUUM (ANALYZE) and ANALYZE.

Phase A (timed, target < 120 s), through the services, as the officers would run it: cycle_create,
cycle_freeze, cycle_compute, cycle_approve by two BHXH approvers (maker is not checker; the total
is above CHITRA_SECOND_APPROVAL_ABOVE), cycle_release. The runner is system_actor().
cycle_release runs as it is (one transaction: the files, entitlements paid through, the "sent"
ledger rows, the batches released, the audit event) with ONE change: the
cash batches' files (a ReportLab PDF + an xlsx per commune for 1.4 M cash lines) are not written
- they are not part of the target. This is done by wrapping
chitra.disbursement.files.write_batch_files for the run: for a cash batch it writes nothing;
every other batch goes to the real function. Bank batches get pain.001 XML + CSV (the default
for banks); VIETTELMONEY gets CSV (a provider profile set for the run: the target names CSV and
XML files; its default profile's XLSX copy is written and timed apart after the phase). The
steps' inner parts are timed by wrapping module functions the services call (copy_rows,
_plain_lines, _batch_events, _mark_sent, files._account_rows (rows read and
decrypted, timed inside the generator), provider_files.write_csv, write_xlsx_parts,
iso20022.write_pain001; the release reads in one thread while it writes in another, so those
parts overlap); a name the code no longer has is reported and not timed apart. No app code is
changed.
Baseline A, same run, after approval and before release (the same rows in the same state):
per cashless batch, `COPY (SELECT reference, account number ciphertext, payee, amount, 'VND',
MM/YYYY period, benefit type FROM payroll lines JOIN accounts WHERE batch = b ORDER BY
reference) TO STDOUT` into one file. Ratio = (time of the cashless batches' files less the
XLSX writer: rows read + decrypted, pain.001 and CSV written) / (COPY TO time).

Phase B (target < 60 s). Not timed: a results CSV (reference,status,reason_code) for ALL the
lines sent (cashless and cash, so 3.5 M result lines), about 3 % rejected with
chitra.demo.provider_sim.simulated_outcome. Baseline B: `COPY ... FROM STDIN` of that file
into a temporary table. Then:
  * trial (skip with --no-trial): rows parsed by a plain csv.reader into results.ResultRow
    objects (timed), then results_apply on them (timed), inside an outer transaction that is
    ROLLED BACK (so the commit is not counted), followed by an untimed VACUUM (ANALYZE);
  * real: results_import(path) end to end, committed: SHA-256, parse through
    results.read_result_table (tabular.read_grid), temp-table load, checks, counts, apply,
    follow-up (accounts closed, cash re-issues, suspensions), audit.
The parse and apply parts are printed apart; ratios = import, apply and trial apply time / COPY
FROM time.

WAL: a CHECKPOINT (untimed) before each phase; MB of WAL written per step and checkpoints
requested (pg_current_wal_lsn, pg_stat_bgwriter: cluster-wide counters, so anything else running
on the server counts too).

--server-settings applies, for the run, the WAL settings docs/operations.md recommends for the
payment run (max_wal_size 16GB, checkpoint_timeout 30min, wal_compression lz4; ALTER SYSTEM +
reload, restored at the end); without it the server runs as it is.

Last: reconciliation(cycle)["holds"] (declared = paid + failed + outstanding + cancelled), peak
RSS of this process (resource.getrusage), sizes. --profile runs cProfile around compute, release
and the real results import and prints the top functions (timings are then inflated).

--reuse keeps a database loaded with the same parameters (rows, shares, seed, month; recorded in
the table bench_cycle_meta) and resets it instead of reloading: disbursement tables and
suspensions truncated (CASCADE: rows of other apps pointing to them go too), entitlements back
to active and paid through the month before, accounts back to verified, VACUUM ANALYZE. Audit
events stay (append-only). --drop drops the database at the end. Payment files go to a
temporary CHITRA_VAR_DIR, removed at exit. Standalone script, not a pytest test. Server
settings are left as they are (printed).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import _pg

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

PROVINCE = "08"
BANKS = (("970405", 50), ("970415", 15), ("970418", 15), ("970436", 12), ("970449", 8))
MOBILE = "VIETTELMONEY"
TARGET_A = 120.0
TARGET_B = 60.0
SLICE = 500_000
META = "bench_cycle_meta"

#: (table, columns COPYed) in load order
TABLES = {
    "registry_beneficiary": (
        "id",
        "created_at",
        "updated_at",
        "personal_id",
        "old_id",
        "si_number",
        "full_name",
        "name_folded",
        "birth_date",
        "birth_precision",
        "sex",
        "commune_id",
        "address",
        "phone",
        "status",
        "proof_of_life_on",
        "proof_of_life_source",
        "proof_of_life_ref",
    ),
    "registry_entitlement": (
        "id",
        "created_at",
        "updated_at",
        "beneficiary_id",
        "benefit_type",
        "monthly_amount",
        "start_month",
        "end_month",
        "paid_through",
        "status",
        "status_reason",
    ),
    "verification_personstatus": (
        "beneficiary_id",
        "outcome",
        "last_verified_at",
        "confirmed_on_register",
        "alive_seen_at",
    ),
    "payment_methods_account": (
        "id",
        "created_at",
        "updated_at",
        "beneficiary_id",
        "provider_id",
        "method",
        "number_encrypted",
        "number_index",
        "number_last4",
        "holder_name",
        "status",
        "verified_at",
        "shared_flag",
    ),
    # every payment-method version names its change request (NOT NULL): the bench's are
    # "legacy" requests (made by the runner, no consent or approver invented)
    "payment_methods_changerequest": (
        "id",
        "created_at",
        "updated_at",
        "beneficiary_id",
        "status",
        "source",
        "method",
        "provider_id",
        "number_encrypted",
        "number_index",
        "number_last4",
        "holder_name",
        "home_reason",
        "name_check",
        "name_override_reason",
        "rapid_change_flag",
        "shared_account_flag",
        "consent_channel",
        "consent_witness",
        "consent_file",
        "maker_id",
        "decision_note",
        "effective_month",
        "provider_holder_name",
    ),
    "payment_methods_paymentmethod": (
        "id",
        "created_at",
        "updated_at",
        "beneficiary_id",
        "method",
        "effective_month",
        "account_id",
        "home_reason",
        "created_by_id",
        "change_request_id",
    ),
}
#: (child table, column, parent table) checked after the replica-mode load
ORPHAN_CHECKS = (
    ("registry_beneficiary", "commune_id", "geo_commune"),
    ("registry_entitlement", "beneficiary_id", "registry_beneficiary"),
    ("verification_personstatus", "beneficiary_id", "registry_beneficiary"),
    ("payment_methods_account", "beneficiary_id", "registry_beneficiary"),
    ("payment_methods_account", "provider_id", "payment_methods_provider"),
    ("payment_methods_paymentmethod", "beneficiary_id", "registry_beneficiary"),
    ("payment_methods_paymentmethod", "account_id", "payment_methods_account"),
    ("payment_methods_paymentmethod", "created_by_id", "iam_user"),
    ("payment_methods_paymentmethod", "change_request_id", "payment_methods_changerequest"),
    ("payment_methods_changerequest", "beneficiary_id", "registry_beneficiary"),
)
#: truncated by --reuse before a new run
CYCLE_TABLES = (
    "disbursement_lineevent",
    "disbursement_resultimport",
    "disbursement_paymentfile",
    "disbursement_exclusion",
    "disbursement_payrollline",
    "disbursement_batch",
    "disbursement_cycleitem",
    "disbursement_cycle",
    "verification_recovery",
    "verification_suspension",
)


def _rate(n: int, s: float) -> str:
    return f"{n / s:>12,.0f} rows/s" if s > 0 and n else " " * 19


def _db_meta(pg: str, db: str) -> dict[str, Any] | None:
    """The load parameters recorded in `db`, or None (no database, no table)."""
    import psycopg

    if not _pg.database_exists(pg, db):
        return None
    try:
        with psycopg.connect(f"{pg.rstrip('/')}/{db}") as conn:
            row = conn.execute(f"SELECT value FROM {META} WHERE key = 'load'").fetchone()
            return json.loads(row[0]) if row else None
    except psycopg.Error:
        return None


def _raw(dj_cursor):  # type: ignore[no-untyped-def]
    return dj_cursor.cursor  # the psycopg cursor under Django's wrapper


def _server_counters() -> tuple[int, int]:
    """(WAL bytes written so far, checkpoints requested so far): cluster-wide counters."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint, "
            "checkpoints_req FROM pg_stat_bgwriter"
        )
        wal, ckpt = cur.fetchone()
    return int(wal), int(ckpt)


# --------------------------------------------------------------------------------------------
# timing helpers: wrap module functions the services call (behaviour unchanged)
# --------------------------------------------------------------------------------------------


class Clock:
    """Cumulative seconds and calls per label."""

    def __init__(self) -> None:
        self.s: dict[str, float] = {}
        self.n: dict[str, int] = {}

    def add(self, label: str, dt: float) -> None:
        self.s[label] = self.s.get(label, 0.0) + dt
        self.n[label] = self.n.get(label, 0) + 1

    def get(self, label: str) -> float:
        return self.s.get(label, 0.0)

    def reset(self) -> None:
        self.s.clear()
        self.n.clear()

    def wrap(self, fn: Callable[..., Any], label: str | Callable[..., str]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                name = label(*args, **kwargs) if callable(label) else label
                self.add(name, time.perf_counter() - t0)

        return timed

    def wrap_gen(self, fn: Callable[..., Any], label: str) -> Callable[..., Any]:
        """Time spent inside a generator's next() (however and whenever it is consumed)."""

        def timed(*args: Any, **kwargs: Any) -> Iterator[Any]:
            it = iter(fn(*args, **kwargs))
            spent = 0.0
            try:
                while True:
                    t0 = time.perf_counter()
                    try:
                        item = next(it)
                    except StopIteration:
                        spent += time.perf_counter() - t0
                        return
                    spent += time.perf_counter() - t0
                    yield item
            finally:
                self.add(label, spent)

        return timed


def existing(pairs: list[tuple[Any, str, Callable[[Any], Any]]]) -> list[tuple[Any, str, Any]]:
    """(module, name, make_wrapper) -> (module, name, wrapper) for the names that exist (the
    code under test may have moved on); the missing ones are printed."""
    out = []
    for obj, name, make in pairs:
        if hasattr(obj, name):
            out.append((obj, name, make(getattr(obj, name))))
        else:
            print(f"  (not timed apart: {obj.__name__}.{name} does not exist)")
    return out


@contextlib.contextmanager
def patched(pairs: list[tuple[Any, str, Any]]) -> Iterator[None]:
    saved = [(obj, name, getattr(obj, name)) for obj, name, _new in pairs]
    try:
        for obj, name, new in pairs:
            setattr(obj, name, new)
        yield
    finally:
        for obj, name, old in reversed(saved):
            setattr(obj, name, old)


@contextlib.contextmanager
def profiled(enabled: bool, title: str) -> Iterator[None]:
    if not enabled:
        yield
        return
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    try:
        yield
    finally:
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(30)
        print(f"\n-- cProfile: {title} (top 30 by cumulative time) --")
        print("\n".join(out.getvalue().splitlines()[:70]))


# --------------------------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------------------------


def _check_columns(cur) -> None:  # type: ignore[no-untyped-def]
    for table, cols in TABLES.items():
        _pg.check_columns(cur, table, cols, "TABLES in bench/cycle_bench.py")


def _copy_arrow(cur, table: str, data) -> float:  # type: ignore[no-untyped-def]
    """COPY an Arrow table (columns named as the table's) in slices; returns seconds."""
    import pyarrow.csv as pcsv

    t0 = time.perf_counter()
    cols = ", ".join(data.column_names)
    for off in range(0, data.num_rows, SLICE):
        buf = io.BytesIO()
        pcsv.write_csv(
            data.slice(off, SLICE), buf, write_options=pcsv.WriteOptions(include_header=False)
        )
        raw = buf.getbuffer()
        with cur.copy(f"COPY {table} ({cols}) FROM STDIN (FORMAT csv)") as cp:
            for o in range(0, len(raw), 1 << 23):
                cp.write(raw[o : o + (1 << 23)])
        del raw
        buf.close()
    return time.perf_counter() - t0


def _encrypt_chunk(items: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """(kind, number) pairs -> (ciphertexts, blind indexes); runs in a forked worker."""
    from chitra.core import crypto

    return ([crypto.encrypt(n) for _k, n in items], [crypto.blind_index(k, n) for k, n in items])


def _encrypt_all(items: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    chunks = [items[i : i + 50_000] for i in range(0, len(items), 50_000)]
    enc: list[str] = []
    idx: list[str] = []
    if not chunks:
        return enc, idx
    # fork: the workers inherit the configured settings (keys); they never touch the database
    with multiprocessing.get_context("fork").Pool(max(1, min(2, os.cpu_count() or 1))) as pool:
        for e, i in pool.imap(_encrypt_chunk, chunks):
            enc += e
            idx += i
    return enc, idx


def month_shift(month: date, n: int) -> date:
    k = month.year * 12 + month.month - 1 + n
    return date(k // 12, k % 12 + 1, 1)


def load(args: argparse.Namespace, month: date, runner_id: int) -> dict[str, float]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    from django.db import connection
    from django.utils import timezone

    from chitra.demo import generator as demo_gen
    from chitra.geo.models import Commune
    from chitra.payment_methods.models import Provider

    n = args.rows
    times: dict[str, float] = {}
    now = timezone.now().isoformat()
    rng = np.random.default_rng(args.seed)

    # people ---------------------------------------------------------------------------------
    t0 = time.perf_counter()
    communes = list(Commune.objects.filter(province__code=PROVINCE).order_by("code"))
    gen = demo_gen.generate_beneficiaries(
        province_code=PROVINCE,
        n=n,
        seed=args.seed,
        today=date.today(),
        communes=[
            demo_gen.Commune(code=c.code, name=c.name, is_urban=c.is_urban) for c in communes
        ],
    )
    commune_id = {c.code: c.pk for c in communes}
    ids = pa.array(np.arange(1, n + 1, dtype=np.int64))
    const = pa.array([now] * n, pa.string())
    full_name = gen.column("full_name")
    bens = pa.table(
        {
            "id": ids,
            "created_at": const,
            "updated_at": const,
            "personal_id": gen.column("personal_id"),
            "old_id": gen.column("old_id"),
            "si_number": gen.column("si_number"),
            "full_name": full_name,
            "name_folded": _pg.fold_column(full_name),
            "birth_date": gen.column("birth_date"),
            "birth_precision": gen.column("birth_precision"),
            "sex": gen.column("sex"),
            "commune_id": pa.array(
                [commune_id[c] for c in gen.column("commune_code").to_pylist()], pa.int64()
            ),
            "address": pc.fill_null(gen.column("address"), ""),
            "phone": pc.fill_null(gen.column("phone"), ""),
            "status": pa.array(["active"] * n, pa.string()),
            # seen alive by the register today (ADR 0011: the one date the payroll judges)
            "proof_of_life_on": pa.array(np.full(n, np.datetime64(date.today(), "D")), pa.date32()),
            "proof_of_life_source": pa.array(["register"] * n, pa.string()),
            "proof_of_life_ref": pa.array(["bench"] * n, pa.string()),
        }
    )
    # one PENSION each, 2-10 M đồng (whole đồng), paid through the month before the cycle
    amount = np.rint(np.clip(rng.lognormal(np.log(5.6e6), 0.38, n), 2e6, 10e6)).astype(np.int64)
    cyc = np.datetime64(month, "M")
    start = (cyc - rng.integers(12, 300, n)).astype("datetime64[D]")
    paid = np.datetime64(month_shift(month, -1), "D")
    ents = pa.table(
        {
            "id": ids,
            "created_at": const,
            "updated_at": const,
            "beneficiary_id": ids,
            "benefit_type": pa.array(["PENSION"] * n, pa.string()),
            "monthly_amount": pa.array(amount),
            "start_month": pa.array(start, pa.date32()),
            "end_month": pa.nulls(n, pa.date32()),
            "paid_through": pa.array(np.full(n, paid), pa.date32()),
            "status": pa.array(["active"] * n, pa.string()),
            "status_reason": pa.array([""] * n, pa.string()),
        }
    )
    statuses = pa.table(
        {
            "beneficiary_id": ids,
            "outcome": pa.array(["verified"] * n, pa.string()),
            "last_verified_at": const,
            "confirmed_on_register": pa.array(np.ones(n, dtype=bool)),
            "alive_seen_at": const,
        }
    )
    # payment methods ------------------------------------------------------------------------
    providers = {
        p.code: p.pk for p in Provider.objects.filter(code__in=[c for c, _w in BANKS] + [MOBILE])
    }
    banks = [(c, w) for c, w in BANKS if c in providers]
    if not banks or MOBILE not in providers:
        raise SystemExit(
            f"providers missing from payment_methods_provider: "
            f"{sorted({c for c, _w in BANKS} | {MOBILE} - set(providers))}"
        )
    u = rng.random(n)
    cashless = np.flatnonzero(u < args.cashless)
    home = np.flatnonzero((u >= args.cashless) & (u < args.cashless + args.cash_home))
    k = len(cashless)
    mobile = rng.random(k) < args.mobile
    weights = np.array([w for _c, w in banks], dtype=float)
    bank_pick = rng.choice(len(banks), size=k, p=weights / weights.sum())
    bank_no = rng.integers(10**11, 10**12, k)
    phone_no = rng.integers(10**7, 10**8, k)
    items: list[tuple[str, str]] = []
    prov_ids = np.empty(k, dtype=np.int64)
    methods: list[str] = []
    for j in range(k):
        if mobile[j]:
            code, method, number = MOBILE, "MOBILE_MONEY", f"09{phone_no[j]:08d}"
        else:
            code, method = banks[bank_pick[j]][0], "BANK_ACCOUNT"
            number = f"{bank_no[j]:012d}"
        prov_ids[j] = providers[code]
        methods.append(method)
        items.append((f"{method}:{code}", number))
    times["generate"] = time.perf_counter() - t0
    print(
        f"  generated {n:,} people, {k:,} accounts ({int(mobile.sum()):,} mobile money), "
        f"{len(home):,} cash at home: {times['generate']:.1f} s",
        flush=True,
    )
    t0 = time.perf_counter()
    encrypted, index = _encrypt_all(items)
    times["encrypt"] = time.perf_counter() - t0
    print(f"  encrypted + blind-indexed {k:,} numbers: {times['encrypt']:.1f} s", flush=True)
    acc_ids = pa.array(np.arange(1, k + 1, dtype=np.int64))
    kconst = pa.array([now] * k, pa.string())
    accounts = pa.table(
        {
            "id": acc_ids,
            "created_at": kconst,
            "updated_at": kconst,
            "beneficiary_id": pa.array(cashless + 1),
            "provider_id": pa.array(prov_ids),
            "method": pa.array(methods, pa.string()),
            "number_encrypted": pa.array(encrypted, pa.string()),
            "number_index": pa.array(index, pa.string()),
            "number_last4": pa.array([num[-4:] for _k, num in items], pa.string()),
            "holder_name": full_name.take(pa.array(cashless)),
            "status": pa.array(["verified"] * k, pa.string()),
            "verified_at": kconst,
            "shared_flag": pa.array(np.zeros(k, dtype=bool)),
        }
    )
    del items, encrypted, index
    h = len(home)
    m = k + h
    effective = np.datetime64(month_shift(month, -10), "D")
    pms = pa.table(
        {
            "id": pa.array(np.arange(1, m + 1, dtype=np.int64)),
            "created_at": pa.array([now] * m, pa.string()),
            "updated_at": pa.array([now] * m, pa.string()),
            "beneficiary_id": pa.array(np.concatenate([cashless, home]) + 1),
            "method": pa.array(methods + ["CASH_HOME"] * h, pa.string()),
            "effective_month": pa.array(np.full(m, effective), pa.date32()),
            "account_id": pa.concat_arrays([acc_ids, pa.nulls(h, pa.int64())]),
            "home_reason": pa.array([""] * k + ["aged_80"] * h, pa.string()),
            "created_by_id": pa.array(np.full(m, runner_id, dtype=np.int64)),
            "change_request_id": pa.array(np.arange(1, m + 1, dtype=np.int64)),
        }
    )
    empty = pa.array([""] * m, pa.string())
    crs = pa.table(
        {
            "id": pms.column("id"),
            "created_at": pms.column("created_at"),
            "updated_at": pms.column("updated_at"),
            "beneficiary_id": pms.column("beneficiary_id"),
            "status": pa.array(["approved"] * m, pa.string()),
            "source": pa.array(["legacy"] * m, pa.string()),
            "method": pms.column("method"),
            "provider_id": pa.concat_arrays(
                [accounts.column("provider_id").combine_chunks(), pa.nulls(h, pa.int64())]
            ),
            "number_encrypted": pa.concat_arrays(
                [accounts.column("number_encrypted").combine_chunks(), pa.array([""] * h)]
            ),
            "number_index": pa.concat_arrays(
                [accounts.column("number_index").combine_chunks(), pa.array([""] * h)]
            ),
            "number_last4": pa.concat_arrays(
                [accounts.column("number_last4").combine_chunks(), pa.array([""] * h)]
            ),
            "holder_name": pa.concat_arrays(
                [accounts.column("holder_name").combine_chunks(), pa.array([""] * h)]
            ),
            "home_reason": pms.column("home_reason"),
            "name_check": empty,
            "name_override_reason": empty,
            "rapid_change_flag": pa.array(np.zeros(m, dtype=bool)),
            "shared_account_flag": pa.array(np.zeros(m, dtype=bool)),
            "consent_channel": empty,
            "consent_witness": empty,
            "consent_file": empty,
            "maker_id": pms.column("created_by_id"),
            "decision_note": pa.array(["bench data"] * m, pa.string()),
            "effective_month": pms.column("effective_month"),
            "provider_holder_name": empty,
        }
    )
    data = {
        "registry_beneficiary": bens,
        "registry_entitlement": ents,
        "verification_personstatus": statuses,
        "payment_methods_account": accounts,
        "payment_methods_changerequest": crs,
        "payment_methods_paymentmethod": pms,
    }

    # COPY -----------------------------------------------------------------------------------
    with connection.cursor() as dj_cur:
        cur = _raw(dj_cur)
        _check_columns(cur)
        indexes: list[tuple[str, str]] = []
        for table in TABLES:
            found = _pg.secondary_indexes(cur, table)
            for name, _ddl in found:
                cur.execute(f'DROP INDEX "{name}"')
            indexes += found
        cur.execute("SET session_replication_role = replica")
        t_copy = 0.0
        for table, cols in TABLES.items():
            s = _copy_arrow(cur, table, data[table].select(list(cols)))
            t_copy += s
            print(f"  COPY {table}: {data[table].num_rows:,} rows, {s:.1f} s", flush=True)
        cur.execute("SET session_replication_role = origin")
        times["COPY"] = t_copy
        del data, bens, ents, statuses, accounts, pms, gen
        for table in TABLES:
            if "id" in TABLES[table]:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute("SET max_parallel_maintenance_workers = 2")
        t0 = time.perf_counter()
        for name, ddl in indexes:
            t1 = time.perf_counter()
            cur.execute(ddl)
            print(f"  index {name}: {time.perf_counter() - t1:.1f} s", flush=True)
        times["indexes"] = time.perf_counter() - t0
        for child, col, parent in ORPHAN_CHECKS:
            cur.execute(
                f"SELECT count(*) FROM {child} c LEFT JOIN {parent} p ON p.id = c.{col} "
                f"WHERE c.{col} IS NOT NULL AND p.id IS NULL"
            )
            orphans = cur.fetchone()[0]
            if orphans:
                raise SystemExit(f"{orphans} rows of {child}.{col} point to no {parent}")
        t0 = time.perf_counter()
        for table in TABLES:
            cur.execute(f"VACUUM (ANALYZE) {table}")
        cur.execute("ANALYZE")
        times["vacuum analyze"] = time.perf_counter() - t0
    return times


def record_meta(params: dict[str, Any]) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE IF NOT EXISTS {META} (key text PRIMARY KEY, value text)")
        cur.execute(
            f"INSERT INTO {META} VALUES ('load', %s) ON CONFLICT (key) DO UPDATE "
            f"SET value = EXCLUDED.value",
            [json.dumps(params)],
        )


def reset_cycles(month: date) -> float:
    """Undo what an earlier run did (for --reuse)."""
    from django.db import connection

    t0 = time.perf_counter()
    with connection.cursor() as cur:
        # CASCADE: tables of other apps that point to lines (grievance tickets...) go too
        cur.execute(f"TRUNCATE {', '.join(CYCLE_TABLES)} CASCADE")
        cur.execute(
            "UPDATE registry_entitlement SET paid_through = %s, status = 'active', "
            "status_reason = '' WHERE paid_through IS DISTINCT FROM %s "
            "OR status <> 'active'",
            [month_shift(month, -1)] * 2,
        )
        cur.execute(
            "UPDATE payment_methods_account SET status = 'verified', closed_at = NULL "
            "WHERE status <> 'verified' OR closed_at IS NOT NULL"
        )
        for table in ("registry_entitlement", "payment_methods_account"):
            cur.execute(f"VACUUM (ANALYZE) {table}")
    return time.perf_counter() - t0


# --------------------------------------------------------------------------------------------
# users
# --------------------------------------------------------------------------------------------


def bench_users():  # type: ignore[no-untyped-def]
    from chitra.geo.models import Province
    from chitra.iam.models import OrgKind, Role, User
    from chitra.iam.services import organisation_upsert, system_actor, user_upsert

    runner = system_actor()
    province = Province.objects.get(code=PROVINCE)
    org = organisation_upsert(
        actor=runner,
        code="bench-bhxh-08-cycle",
        kind=OrgKind.BHXH_PROVINCE,
        name="BHXH tỉnh Tuyên Quang (cycle bench)",
        province=province,
    )
    approvers = [
        user_upsert(
            actor=runner,
            username=f"bench_cycle_approver_{i}",
            organisation=org,
            role=Role.APPROVER,
            full_name=f"Bench approver {i}",
        )
        for i in (1, 2)
    ]
    approvers = [User.objects.select_related("organisation").get(pk=u.pk) for u in approvers]
    return runner, approvers, province


# --------------------------------------------------------------------------------------------
# phase A: compute, approve, release (files)
# --------------------------------------------------------------------------------------------


def _baseline_copy_to(cycle, out: Path) -> tuple[float, int, int]:  # type: ignore[no-untyped-def]
    """COPY the cashless lines' rows (batch by batch, ordered by reference) to one file."""
    from django.db import connection

    from chitra.disbursement.models import CASH_CHANNELS

    batches = list(
        cycle.batches.exclude(channel__in=sorted(CASH_CHANNELS))
        .order_by("sequence", "reference")
        .values_list("pk", flat=True)
    )
    t0 = time.perf_counter()
    size = 0
    with connection.cursor() as dj_cur, out.open("wb") as fh:
        cur = _raw(dj_cur)
        for bid in batches:
            sql = (
                "COPY (SELECT l.reference, a.number_encrypted, l.payee_name, l.amount, 'VND', "
                "to_char(l.period_month, 'MM/YYYY'), l.benefit_type "
                "FROM disbursement_payrollline l "
                "JOIN payment_methods_account a ON a.id = l.account_id "
                f"WHERE l.batch_id = {int(bid)} ORDER BY l.reference) "
                "TO STDOUT (FORMAT csv)"
            )
            with cur.copy(sql) as cp:
                for data in cp:
                    fh.write(data)
                    size += len(data)
    secs = time.perf_counter() - t0
    with out.open("rb") as fh:
        rows = sum(1 for _ in fh)
    return secs, rows, size


def phase_a(
    args: argparse.Namespace,
    runner,
    approvers,
    province,
    month: date,  # type: ignore[no-untyped-def]
    var_dir: Path,
) -> tuple[Any, dict[str, Any]]:
    from django.conf import settings

    from chitra.disbursement import files as files_mod
    from chitra.disbursement import services
    from chitra.disbursement.models import (
        CASH_CHANNELS,
        Batch,
        CycleStatus,
        PaymentFile,
        ProviderProfile,
    )
    from chitra.engine import iso20022
    from chitra.engine.documents import provider_files
    from chitra.payment_methods.models import Provider

    # the target names CSV and XML files: the mobile-money operator gets CSV (its default
    # profile adds an XLSX copy for people; written and timed apart after the phase)
    mobile = Provider.objects.get(code="VIETTELMONEY")
    ProviderProfile.objects.update_or_create(provider=mobile, defaults={"formats": "csv"})
    clock = Clock()
    skipped: list[Batch] = []
    per_batch: list[tuple[str, int, float]] = []
    real_write = files_mod.write_batch_files

    def write_batch_files(batch, *, actor, staging, progress=None):  # type: ignore[no-untyped-def]
        if batch.channel in CASH_CHANNELS:
            skipped.append(batch)  # cash lists (PDF + xlsx per commune): not part of the target
            return []
        t0 = time.perf_counter()
        out = real_write(batch, actor=actor, staging=staging, progress=progress)
        per_batch.append((batch.reference, batch.declared_count, time.perf_counter() - t0))
        return out

    real_write_prepared = files_mod.write_prepared

    def write_prepared(prep, progress=None):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        out = real_write_prepared(prep, progress)
        per_batch.append(
            (prep.batch.reference, prep.batch.declared_count, time.perf_counter() - t0)
        )
        return out

    def events_label(cycle, kind, at, batch_ids):  # type: ignore[no-untyped-def]
        return f"events {kind}"

    pairs = existing(
        [
            (services, "copy_rows", lambda f: clock.wrap(f, "copy_rows")),
            (services, "_plain_lines", lambda f: clock.wrap(f, "plain lines")),
            (services, "_batch_events", lambda f: clock.wrap(f, events_label)),
            (services, "_write_files_and_advance", lambda f: clock.wrap(f, "files and advance")),
            (services, "_mark_sent", lambda f: clock.wrap(f, "mark sent")),
            (services, "_already_live", lambda f: clock.wrap(f, "already_live")),
            (services, "_batch_keys", lambda f: clock.wrap(f, "batch keys")),
            (files_mod, "write_batch_files", lambda f: write_batch_files),
            (files_mod, "write_prepared", lambda f: write_prepared),
            (
                getattr(files_mod, "Staging", files_mod),
                "publish",
                lambda f: clock.wrap(f, "publish files (fsync + rename)"),
            ),
            (files_mod, "_account_rows_of", lambda f: clock.wrap_gen(f, "rows")),
            (provider_files, "write_csv", lambda f: clock.wrap(f, "csv")),
            (provider_files, "write_xlsx_parts", lambda f: clock.wrap(f, "xlsx")),
            (iso20022, "write_pain001", lambda f: clock.wrap(f, "pain001")),
        ]
    )
    steps: dict[str, float] = {}
    wal: dict[str, float] = {}  # MB of WAL per step (cluster-wide counter)
    fig: dict[str, Any] = {"steps": steps, "clock": clock, "wal": wal}
    marks: dict[str, float] = {}

    def progress(phase: str, done: int, total: int) -> None:
        marks.setdefault(phase, time.perf_counter())
        if phase == "compute" and done % 500_000 == 0:
            print(f"    compute: {done:,}/{total:,} lines", flush=True)

    print(
        f"\n== phase A: cycle {month:%m/%Y} of province {PROVINCE}: create, freeze, compute, "
        f"approve, release (target < {TARGET_A:.0f} s) ==",
        flush=True,
    )
    with patched(pairs):
        w0, c0 = _server_counters()
        c_start = c0
        t0 = time.perf_counter()
        cycle = services.cycle_create(actor=runner, month=month, province=province)
        steps["create"] = time.perf_counter() - t0
        wal["create"] = (_server_counters()[0] - w0) / 1e6

        w0, c0 = _server_counters()
        t0 = time.perf_counter()
        cycle = services.cycle_freeze(actor=runner, cycle=cycle)
        steps["freeze"] = time.perf_counter() - t0
        wal["freeze"] = (_server_counters()[0] - w0) / 1e6
        print(
            f"  freeze: {steps['freeze']:.1f} s ({cycle.snapshot_count:,} snapshot rows)",
            flush=True,
        )

        w0, c0 = _server_counters()
        t0 = time.perf_counter()
        with profiled(args.profile, "cycle_compute"):
            cycle = services.cycle_compute(actor=runner, cycle=cycle, progress=progress)
        t_end = time.perf_counter()
        steps["compute"] = t_end - t0
        wal["compute"] = (_server_counters()[0] - w0) / 1e6
        fig["compute lines"] = marks.get("exclusions", t_end) - t0
        print(
            f"  compute: {steps['compute']:.1f} s ({cycle.line_count:,} lines, "
            f"{cycle.exclusion_count:,} exclusions)",
            flush=True,
        )

        w0, c0 = _server_counters()
        t0 = time.perf_counter()
        for who in approvers:
            cycle = services.cycle_approve(actor=who, cycle=cycle, note="bench")
            if cycle.status == CycleStatus.APPROVED:
                break
        steps["approve"] = time.perf_counter() - t0
        wal["approve"] = (_server_counters()[0] - w0) / 1e6
        if cycle.status != CycleStatus.APPROVED:
            raise SystemExit(f"cycle not approved: {cycle.status}")

        # baseline (not part of the phase): same rows, same state, before the release
        fig["baseline"] = _baseline_copy_to(cycle, var_dir / "baseline_copy_to.csv")
        print(
            f"  baseline COPY TO: {fig['baseline'][0]:.1f} s ({fig['baseline'][1]:,} rows)",
            flush=True,
        )

        w0, c0 = _server_counters()
        t0 = time.perf_counter()
        with profiled(args.profile, "cycle_release (cash files skipped)"):
            cycle = services.cycle_release(actor=runner, cycle=cycle)
        steps["release"] = time.perf_counter() - t0
        wal["release"] = (_server_counters()[0] - w0) / 1e6
    fig["checkpoints"] = _server_counters()[1] - c_start
    fig["skipped"] = [(b.reference, b.declared_count) for b in skipped]
    fig["per_batch"] = per_batch
    pf = PaymentFile.objects.filter(batch__cycle=cycle)
    # apart (not in the phase): the XLSX copy of the mobile-money batch, as its default
    # profile would add it
    mm = Batch.objects.get(cycle=cycle, provider=mobile, sequence=0)
    t0 = time.perf_counter()
    rows = list(files_mod._account_rows(mm))
    t1 = time.perf_counter()
    parts = list(
        provider_files.write_xlsx_parts(
            var_dir, "xlsx-apart", files_mod.DEFAULT_TABLE_PROFILE, rows
        )
    )
    fig["xlsx apart"] = (len(rows), t1 - t0, time.perf_counter() - t1, len(parts))
    ProviderProfile.objects.filter(provider=mobile).delete()
    fig["files"] = [
        (f.name, f.kind, f.rows, (Path(settings.CHITRA_PAYMENT_FILES_DIR) / f.path).stat().st_size)
        for f in pf.order_by("name")
    ]
    return cycle, fig


def report_a(cycle, fig: dict[str, Any]) -> dict[str, float]:  # type: ignore[no-untyped-def]
    steps, clock = fig["steps"], fig["clock"]
    lines = cycle.line_count
    snap = cycle.snapshot_count
    cashless = sum(n for _r, n, _s in fig["per_batch"])
    print(f"\n  {'step':44} {'seconds':>8} {'rate':>19}")

    wal = fig["wal"]

    def row(label: str, secs: float, n: int = 0, mb: float | None = None) -> None:
        print(
            f"  {label:44} {secs:>8.1f} {_rate(n, secs)}"
            + (f" {mb:>9,.0f} MB WAL" if mb is not None else "")
        )

    row("cycle_create", steps["create"])
    row("cycle_freeze (snapshot INSERT ... SELECT)", steps["freeze"], snap, wal["freeze"])
    row("cycle_compute", steps["compute"], lines, wal["compute"])
    rest = fig["compute lines"] - clock.get("copy_rows") - clock.get("plain lines")
    row("  · plain rows: INSERT ... SELECT (_plain_lines)", clock.get("plain lines"), lines)
    row(
        "  · other rows: read + engine + batches",
        rest - clock.get("already_live") - clock.get("batch keys"),
    )
    row("  · COPY of the engine's lines (copy_rows)", clock.get("copy_rows"))
    row("  · live lines elsewhere, batch keys", clock.get("already_live") + clock.get("batch keys"))
    row("  · ledger 'issued' (one row per batch)", clock.get("events issued"))
    row(
        "  · other (totals, audit, commit)",
        steps["compute"] - fig["compute lines"] - clock.get("events issued"),
    )
    row("cycle_approve (x2)", steps["approve"])
    row("cycle_release (cash files skipped)", steps["release"], lines, wal["release"])
    row("  · files + lines sent (two threads, wall)", clock.get("files and advance"), cashless)
    row("    · thread 2: rows read + decrypted", clock.get("rows"))
    row("    · thread 2: then lines marked sent (UPDATE)", clock.get("mark sent"), lines)
    row("    · thread 1: pain.001 XML writer (banks)", clock.get("pain001"))
    row("    · thread 1: CSV writer (all cashless)", clock.get("csv"))
    row("    · thread 1: XLSX writer (mobile money)", clock.get("xlsx"))
    row("  · ledger 'sent' (one row per batch)", clock.get("events sent"))
    bookkeeping = steps["release"] - clock.get("files and advance") - clock.get("events sent")
    row("  · files moved into place (fsync + rename)", clock.get("publish files (fsync + rename)"))
    row(
        "  · rest: lines/batches state, audit, commit",
        bookkeeping - clock.get("publish files (fsync + rename)"),
        lines,
    )
    total = sum(steps.values())
    print(
        f"  {'PHASE A TOTAL':44} {total:>8.1f}   target < {TARGET_A:.0f} s: "
        f"{'OK' if total < TARGET_A else 'MISSED'}  ({sum(wal.values()):,.0f} MB WAL, "
        f"{fig['checkpoints']} checkpoints requested by WAL volume)"
    )
    n_x, read_x, write_x, parts_x = fig["xlsx apart"]
    print(
        f"  apart, not in the phase: the mobile-money batch as XLSX ({n_x:,} rows, "
        f"{parts_x} file): rows read + decrypted {read_x:.1f} s, XLSX written {write_x:.1f} s"
    )
    b_secs, b_rows, b_size = fig["baseline"]
    csv_xml = clock.get("rows") + clock.get("pain001") + clock.get("csv")  # work, not wall
    print(
        f"\n  baseline: COPY (SELECT same rows, same order) TO STDOUT: {b_secs:.1f} s, "
        f"{b_rows:,} rows, {b_size / 1e6:,.0f} MB ({_rate(b_rows, b_secs).strip()})"
    )
    print(
        f"  ratio (rows read + decrypted, pain.001 and CSV written: work) / COPY TO: "
        f"{csv_xml:.1f} / {b_secs:.1f} = {csv_xml / b_secs:.1f}x;  files + lines sent "
        f"(wall) / COPY TO: {clock.get('files and advance') / b_secs:.1f}x"
    )
    print(
        "  cash batches not written (PDF + xlsx per commune, not in the target): "
        + ", ".join(f"{r} ({n:,} lines)" for r, n in fig["skipped"])
    )
    print("  files written:")
    for name, kind, rows, size in fig["files"]:
        print(f"    {name:48} {kind:8} {rows:>10,} rows {size / 1e6:>8.1f} MB")
    return {"total": total, "csv_xml": csv_xml, "baseline": b_secs}


# --------------------------------------------------------------------------------------------
# phase B: results
# --------------------------------------------------------------------------------------------


def write_results_file(cycle, path: Path) -> tuple[int, int, float]:  # type: ignore[no-untyped-def]
    """Every line of a released batch without a result yet ('sent', or 'issued' when the
    release does not rewrite the lines), with a simulated outcome (untimed)."""
    from django.db import connection

    from chitra.demo.provider_sim import simulated_outcome

    t0 = time.perf_counter()
    n = rejected = 0
    with connection.cursor() as cur, path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["reference", "status", "reason_code"])
        cur.execute(
            "SELECT l.reference, l.channel FROM disbursement_payrollline l "
            "JOIN disbursement_batch b ON b.id = l.batch_id "
            "WHERE l.cycle_id = %s AND b.status = 'released' "
            "AND l.status IN ('issued', 'sent') ORDER BY l.reference",
            [cycle.pk],
        )
        while chunk := cur.fetchmany(100_000):
            out = []
            for ref, channel in chunk:
                status, code = simulated_outcome(ref, channel)
                out.append((ref, status, code))
                rejected += status == "rjct"
            w.writerows(out)
            n += len(chunk)
    return n, rejected, time.perf_counter() - t0


def _baseline_copy_from(path: Path) -> float:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as dj_cur:
        cur = _raw(dj_cur)
        cur.execute(
            "CREATE TEMP TABLE bench_results_copy (ref varchar(64), status varchar(8), "
            "reason varchar(16)) ON COMMIT DROP"
        )
        t0 = time.perf_counter()
        with (
            cur.copy(
                "COPY bench_results_copy (ref, status, reason) FROM STDIN (FORMAT csv, HEADER true)"
            ) as cp,
            path.open("rb") as fh,
        ):
            while data := fh.read(1 << 23):
                cp.write(data)
        return time.perf_counter() - t0


def fast_rows(path: Path) -> list[Any]:
    """ResultRow objects from a plain csv.reader (statuses as written: succ/rjct)."""
    from chitra.disbursement.results import ResultRow

    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        return [
            ResultRow(i, ref, status, reason, None)
            for i, (ref, status, reason) in enumerate(reader, start=2)
        ]


class _Rollback(Exception):
    pass


def phase_b(args: argparse.Namespace, runner, cycle, var_dir: Path) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    from django.db import connection, transaction

    from chitra.disbursement import results

    print(f"\n== phase B: results of every line sent (target < {TARGET_B:.0f} s) ==", flush=True)
    path = var_dir / "results_all.csv"
    n, rejected, secs = write_results_file(cycle, path)
    print(
        f"  results file (untimed): {n:,} lines, {rejected:,} rjct "
        f"({100 * rejected / max(n, 1):.1f} %), {path.stat().st_size / 1e6:,.0f} MB, "
        f"{secs:.1f} s",
        flush=True,
    )
    fig: dict[str, Any] = {"n": n, "rejected": rejected}
    fig["baseline"] = _baseline_copy_from(path)
    print(f"  baseline COPY FROM: {fig['baseline']:.1f} s", flush=True)

    clock = Clock()
    sha = results.sha256_file(path)

    def listed(*a: Any, **k: Any) -> Iterator[Any]:
        t0 = time.perf_counter()
        rows = list(real_parse(*a, **k))
        clock.add("parse", time.perf_counter() - t0)
        return iter(rows)

    real_parse = results.parse_results_file
    pairs = existing(
        [
            (results, name, lambda f, name=name: clock.wrap(f, name))
            for name in (
                "sha256_file",
                "_load_temp",
                "_check",
                "_apply",
                "_follow_up",
                "_reissue_cash",
                "_suspend",
                "audit_bulk",
            )
        ]
    )
    pairs += existing([(results, "parse_results_file", lambda f: listed)])
    with patched(pairs):
        if not args.no_trial:
            t0 = time.perf_counter()
            rows = fast_rows(path)
            fig["fast parse"] = time.perf_counter() - t0
            clock.reset()
            try:
                with transaction.atomic():
                    w0 = _server_counters()[0]
                    t0 = time.perf_counter()
                    out = results.results_apply(
                        actor=runner,
                        cycle=cycle,
                        rows=rows,
                        sha256=sha,
                        source="table",
                        file_name=path.name,
                    )
                    fig["trial apply"] = time.perf_counter() - t0
                    fig["trial wal"] = (_server_counters()[0] - w0) / 1e6
                    fig["trial clock"] = dict(clock.s)
                    fig["trial outcome"] = out
                    raise _Rollback
            except _Rollback:
                pass
            del rows
            print(
                f"  trial (csv.reader + results_apply, rolled back): parse "
                f"{fig['fast parse']:.1f} s + apply {fig['trial apply']:.1f} s",
                flush=True,
            )
            t0 = time.perf_counter()
            with connection.cursor() as cur:
                for table in (
                    "disbursement_payrollline",
                    "disbursement_lineevent",
                    "disbursement_batch",
                    "payment_methods_account",
                    "registry_entitlement",
                ):
                    cur.execute(f"VACUUM (ANALYZE) {table}")
            print(
                f"  VACUUM (ANALYZE) after the rollback (untimed): "
                f"{time.perf_counter() - t0:.1f} s",
                flush=True,
            )
        clock.reset()
        w0, c0 = _server_counters()
        t0 = time.perf_counter()
        with profiled(args.profile, "results_import"):
            out = results.results_import(actor=runner, cycle=cycle, path=path)
        fig["import"] = time.perf_counter() - t0
        fig["import wal"] = (_server_counters()[0] - w0) / 1e6
        fig["import checkpoints"] = _server_counters()[1] - c0
        fig["import clock"] = dict(clock.s)
        fig["outcome"] = out
    print(f"  results_import: {fig['import']:.1f} s", flush=True)
    return fig


def report_b(fig: dict[str, Any]) -> None:
    n = fig["n"]
    print(f"\n  {'step':44} {'seconds':>8} {'rate':>19}")

    def row(label: str, secs: float, k: int = 0) -> None:
        print(f"  {label:44} {secs:>8.1f} {_rate(k, secs)}")

    def parts(c: dict[str, float], total: float) -> float:
        for key, label in (
            ("_load_temp", "temp table COPY + ANALYZE"),
            ("_check", "checks (3 queries)"),
            ("_apply", "lines UPDATE -> ledger INSERT"),
            ("_follow_up", "follow-up (close, cash re-issue, suspend)"),
        ):
            row(f"    · {label}", c.get(key, 0.0), n)
        for key, label in (
            ("_reissue_cash", "cash re-issues"),
            ("_suspend", "suspensions"),
            ("audit_bulk", "audit of closed accounts and suspensions"),
        ):
            row(f"      · {label}", c.get(key, 0.0))
        other = total - sum(c.get(k, 0.0) for k in ("_load_temp", "_check", "_apply", "_follow_up"))
        row("    · other (lock, audit, commit)", other)
        return other

    c = fig["import clock"]
    total = fig["import"]
    apply = total - c.get("parse", 0.0) - c.get("sha256_file", 0.0)
    row("results_import (CSV, committed)", total, n)
    row("  · SHA-256 of the file", c.get("sha256_file", 0.0), n)
    row("  · parse (results.read_result_table)", c.get("parse", 0.0), n)
    row("  · results_apply", apply, n)
    parts(c, apply)
    print(
        f"  {'RESULTS_IMPORT TOTAL':44} {total:>8.1f}   target < {TARGET_B:.0f} s: "
        f"{'OK' if total < TARGET_B else 'MISSED'}  ({fig['import wal']:,.0f} MB WAL, "
        f"{fig['import checkpoints']} checkpoints requested)"
    )
    if "trial apply" in fig:
        t = fig["trial apply"] + fig["fast parse"]
        row("trial: csv.reader -> ResultRow", fig["fast parse"], n)
        row("trial: results_apply (rolled back, no commit)", fig["trial apply"], n)
        print(f"    ({fig['trial wal']:,.0f} MB WAL)")
        parts(fig["trial clock"], fig["trial apply"])
        print(
            f"  {'TRIAL TOTAL (fast parse + apply)':44} {t:>8.1f}   target < {TARGET_B:.0f} s: "
            f"{'OK' if t < TARGET_B else 'MISSED'}"
        )
    b = fig["baseline"]
    print(
        f"\n  baseline: COPY FROM STDIN of the same {n:,} rows into a temp table: {b:.1f} s "
        f"({_rate(n, b).strip()})"
    )
    print(
        f"  ratio results_import / COPY FROM: {total / b:.1f}x;  results_apply / COPY FROM: "
        f"{apply / b:.1f}x"
        + (
            f";  trial apply / COPY FROM: {fig['trial apply'] / b:.1f}x"
            if "trial apply" in fig
            else ""
        )
    )
    o = fig["outcome"]
    print(
        f"  outcome: paid {o.paid:,}, failed {o.failed:,}, unchanged {o.unchanged:,}, "
        f"cash re-issues {o.reissued_cash:,}, suspended {o.suspended:,}, accounts closed "
        f"{o.accounts_closed:,}; actions {o.actions}"
    )


# --------------------------------------------------------------------------------------------


#: docs/operations.md, "Server settings for the monthly payment run"
SERVER_SETTINGS = {"max_wal_size": "16GB", "checkpoint_timeout": "30min", "wal_compression": "lz4"}


def _checkpoint() -> None:
    """Untimed, before each phase: start from a checkpoint, as a monthly run hours after the
    last one does (else WAL left by the load or an earlier run can force one mid-phase)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("CHECKPOINT")


def _server_settings(pg: str, values: dict[str, str] | None = None) -> dict[str, str]:
    """ALTER SYSTEM `values` (default: SERVER_SETTINGS) and reload; returns what was there
    before, to restore it."""
    values = values or SERVER_SETTINGS
    before = {}
    with _pg.admin_conn(pg) as conn:
        for knob, value in values.items():
            before[knob] = conn.execute(f"SHOW {knob}").fetchone()[0]
            conn.execute(f"ALTER SYSTEM SET {knob} = '{value}'")
        conn.execute("SELECT pg_reload_conf()")
    time.sleep(0.5)
    return before


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=3_500_000, help="beneficiaries = entitlements")
    ap.add_argument("--db", default="chitra_bench_cycle")
    ap.add_argument(
        "--pg",
        default="postgres://postgres@127.0.0.1:5432",
        help="server URL without the database name",
    )
    ap.add_argument(
        "--cashless", type=float, default=0.6, help="share of people paid into a verified account"
    )
    ap.add_argument(
        "--mobile",
        type=float,
        default=0.1,
        help="share of those accounts that are mobile money (VIETTELMONEY)",
    )
    ap.add_argument(
        "--cash-home",
        type=float,
        default=0.05,
        help="share of people paid cash at home (the rest: at the pay point)",
    )
    ap.add_argument(
        "--month", default=None, help="cycle month YYYY-MM (default: the current month)"
    )
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument(
        "--no-trial",
        action="store_true",
        help="skip the rolled-back results_apply fed by a plain csv.reader",
    )
    ap.add_argument(
        "--profile",
        action="store_true",
        help="cProfile compute, release and the results import (slower)",
    )
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="keep a database loaded with the same parameters (reset its cycle)",
    )
    ap.add_argument("--drop", action="store_true", help="drop the database at the end")
    ap.add_argument(
        "--server-settings",
        action="store_true",
        help="for this run, ALTER SYSTEM the WAL settings docs/operations.md "
        "recommends for the payment run (restored at the end)",
    )
    args = ap.parse_args()
    if not 0 <= args.cashless + args.cash_home <= 1:
        ap.error("--cashless + --cash-home must be between 0 and 1")
    month = date.fromisoformat(args.month + "-01") if args.month else date.today().replace(day=1)
    params = {
        "rows": args.rows,
        "cashless": args.cashless,
        "mobile": args.mobile,
        "cash_home": args.cash_home,
        "seed": args.seed,
        "month": month.isoformat(),
    }

    t_all = time.perf_counter()
    reuse = args.reuse and _db_meta(args.pg, args.db) == params
    if not reuse:
        _pg.recreate_db(args.pg, args.db)
    var_dir = _pg.setup_django(args.pg, args.db, "chitra-cycle-bench-")
    from django.core.management import call_command
    from django.db import connection

    from chitra.disbursement.services import reconciliation

    t0 = time.perf_counter()
    if reuse:  # an earlier cycle's rows go before the schema changes that new code may bring
        with connection.cursor() as cur:
            cur.execute(f"TRUNCATE {', '.join(CYCLE_TABLES)} CASCADE")
    call_command("migrate", verbosity=0)
    print(
        f"database {args.db}: {'reused' if reuse else 'created'} and migrated in "
        f"{time.perf_counter() - t0:.1f} s"
    )
    runner, approvers, province = bench_users()
    if not reuse:
        t0 = time.perf_counter()
        phases = load(args, month, runner.pk)
        record_meta(params)
        t_load = time.perf_counter() - t0
        print(
            f"load {args.rows:,} people: {t_load:.1f} s — "
            + ", ".join(f"{k} {v:.1f} s" for k, v in phases.items())
        )
    else:
        print(
            f"database {args.db}: reused ({args.rows:,} people); reset of the earlier cycle "
            f"{reset_cycles(month):.1f} s"
        )
    restore: dict[str, str] = {}
    if args.server_settings:
        restore = _server_settings(args.pg)
    with connection.cursor() as cur:
        settings_shown = []
        for knob in (
            "shared_buffers",
            "work_mem",
            "max_wal_size",
            "checkpoint_timeout",
            "wal_compression",
            "synchronous_commit",
        ):
            cur.execute(f"SHOW {knob}")
            settings_shown.append(f"{knob}={cur.fetchone()[0]}")
    print("server: " + ", ".join(settings_shown) + f"; cores {os.cpu_count()}")

    try:
        _checkpoint()
        cycle, fig_a = phase_a(args, runner, approvers, province, month, var_dir)
        res_a = report_a(cycle, fig_a)
        _checkpoint()
        fig_b = phase_b(args, runner, cycle, var_dir)
        report_b(fig_b)
        rec = reconciliation(cycle)
        t = rec["total"]
        print(
            f"\ninvariant declared = paid + failed + returned + outstanding: "
            f"holds={rec['holds']} (declared {t['declared'][0]:,} lines / "
            f"{t['declared'][1]:,} đ; paid {t['paid'][0]:,}; failed {t['failed'][0]:,}; "
            f"returned {t.get('returned', [0])[0]:,}; outstanding {t['outstanding'][0]:,}; "
            f"batches {len(rec['batches'])})"
        )
        with connection.cursor() as cur:
            cur.execute(
                "SELECT pg_size_pretty(pg_total_relation_size('disbursement_payrollline')),"
                " pg_size_pretty(pg_total_relation_size('disbursement_lineevent')), "
                "pg_size_pretty(pg_database_size(current_database()))"
            )
            pl, le, dbs = cur.fetchone()
        print(f"sizes: payroll lines {pl}, ledger {le}, database {dbs}")
        tb = fig_b["import"]
        print(
            f"\nsummary: phase A {res_a['total']:.1f} s (target {TARGET_A:.0f}; "
            f"(XML+CSV)/COPY TO {res_a['csv_xml'] / res_a['baseline']:.1f}x), "
            f"results_import {tb:.1f} s (target {TARGET_B:.0f}; /COPY FROM "
            f"{tb / fig_b['baseline']:.1f}x)"
            + (
                f", fast parse + apply {fig_b['fast parse'] + fig_b['trial apply']:.1f} s"
                if "trial apply" in fig_b
                else ""
            )
        )
    finally:
        connection.close()
        if restore:
            _server_settings(args.pg, restore)
        if args.drop:
            _pg.drop_db(args.pg, args.db)
            print(f"database {args.db} dropped")
    print(
        f"peak RSS {_pg.peak_rss_mb():,.0f} MB; total wall time {time.perf_counter() - t_all:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
