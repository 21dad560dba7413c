"""Results from providers (pain.002 XML, CSV/XLSX, or the API): checked whole, then applied
whole, in one transaction. The file's rows go to a temporary table and are joined with the
payroll lines by the database, so a 3.5-million-line file needs no per-line query.

Refused (nothing written) when any row has an unknown reference, a duplicate reference, a
reason code outside the catalogue, an amount that differs, or would change a line that is
already final. Applying the same file again changes nothing.

A sent line becomes paid (`succ`) or failed (`rjct`); a paid line reported `rjct` later (a
return in a bank statement, a later status report: account closed after credit, wrong
holder) becomes returned. The entitlement is paid through a month only when that month's
line is paid (cash collected included); a failed or returned month is owed again (the
reason's action: retry next cycle, cash this month) or held, and never counts as paid."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core.audit import AuditRow, audit_bulk, audit_record
from chitra.core.bulk import bulk_session, copy_rows
from chitra.core.errors import ChitraError, ImportFileError, table_error_text
from chitra.core.states import require_transition
from chitra.core.uploads import read_limits
from chitra.disbursement.models import (
    CYCLE,
    Batch,
    Channel,
    Cycle,
    CycleStatus,
    LineEvent,
    LineStatus,
    PayrollLine,
    ResultImport,
    ReturnReason,
)
from chitra.engine import iso20022
from chitra.engine import payroll as engine
from chitra.engine.documents import results as result_files
from chitra.engine.sheets.limits import check_file_size
from chitra.engine.sheets.reading import TableReadError
from chitra.iam.access import Perm, require_perm
from chitra.kernel.hashing import sha256_file
from chitra.kernel.issues import Issue, issue
from chitra.payment_methods.models import Account
from chitra.registry.models import Entitlement
from chitra.verification.models import Suspension
from chitra.verification.proof_of_life import proof_of_life_cash_collected
from chitra.verification.services import recoveries_refresh

if TYPE_CHECKING:
    from chitra.disbursement.services import _Batcher
    from chitra.iam.models import User

MAX_ISSUES = 1000


@dataclass(frozen=True, slots=True)
class ResultRow:
    row: int  # spreadsheet row, or the n-th transaction of an XML file
    reference: str
    status: str  # succ | rjct
    reason_code: str
    amount: int | None


class ResultLike(Protocol):
    """A result row: ours, or the table reader's (`result_files.ResultRow`), used as it is."""

    @property
    def row(self) -> int: ...
    @property
    def reference(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def reason_code(self) -> str: ...
    @property
    def amount(self) -> int | None: ...


@dataclass
class ResultsOutcome:
    result_import: ResultImport
    already_applied: bool = False
    paid: int = 0
    failed: int = 0
    unchanged: int = 0
    pending: int = 0
    returned: int = 0
    reissued_cash: int = 0
    owed_next: int = 0  # returns on a closed cycle whose cash re-issue waits for the next cycle
    suspended: int = 0
    accounts_closed: int = 0
    actions: dict[str, int] = field(default_factory=dict)


class ResultsRejected(ImportFileError):
    """The file was refused as a whole; `issues` name the rows."""

    def __init__(self, message: str, issues: list[Issue], total: int) -> None:
        super().__init__(message)
        self.issues = issues
        self.total = total


def _is_xml(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(512).lstrip(b"\xef\xbb\xbf \r\n\t")
    return head.startswith(b"<")


def parse_results_file(path: Path, pending: list[int], issues: list[Issue]) -> Iterator[ResultLike]:
    """Rows of a pain.002 or CSV/XLSX results file; parse problems go to `issues`, pain.002
    lines still pending at the provider are counted in `pending[0]`. Without knowing which
    message the report answers, a pain.002 group or block status that lists no payment cannot
    be applied and is refused; :func:`results_import` sends XML to
    :mod:`chitra.disbursement.status_reports`, which checks the message and applies it."""
    if _is_xml(path):
        yield from _pain002_rows(path, pending, issues)
        return
    try:
        rows, problems = result_files.read_result_table(path, limits=read_limits())
    except result_files.ResultFileError as e:
        raise ImportFileError(table_error_text(e)) from None
    for p in problems:
        issues.append(issue(p.row, p.column, p.value, p.code, p.expected))
    yield from rows


def _pain002_rows(path: Path, pending: list[int], issues: list[Issue]) -> Iterator[ResultLike]:
    """The transaction rows of a pain.002 read without the message it answers."""
    try:
        whole, listed = [], 0
        for s in iso20022.iter_pain002(path):
            if s.scope != "transaction":
                # a status of the whole message or of one block: it says what happened to
                # the lines the report does not list; those stay as they are (sent, waiting
                # for their answer) unless the report lists no line at all
                if s.status in ("rjct", "succ"):
                    whole.append(s)
                continue
            listed += 1
            if s.status == "pending":
                pending[0] += 1
                continue
            if s.status not in ("succ", "rjct"):
                # a code the reader does not know: never guessed as a failure, the file
                # is refused with the element and the value
                issues.append(
                    issue(
                        s.position,
                        s.path or "TxSts",
                        s.iso_status,
                        "result_status_invalid",
                        "an ISO 20022 transaction status (ACSC, ACCC, RJCT, or a pending one)",
                    )
                )
                continue
            yield ResultRow(s.position, s.reference, s.status, s.reason_code, s.amount)
        if whole and not listed:
            raise ImportFileError(
                _(
                    "The status report answers for a whole message or block (%(level)s "
                    "%(status)s %(reason)s) without listing its payments; ask the bank for "
                    "the status of each payment (TxInfAndSts)."
                )
                % {
                    "level": whole[0].scope,
                    "status": whole[0].iso_status,
                    "reason": whole[0].reason_code,
                }
            )
    except iso20022.Pain002Error as e:
        raise ImportFileError(
            _("The XML file is not a readable pain.002.001.10 status report: %(detail)s")
            % {"detail": e}
        ) from None


def _temp_table() -> str:
    return "tmp_results_" + uuid.uuid4().hex[:12]


def _load_temp(name: str, rows: Iterable[ResultLike], issues: list[Issue]) -> int:
    """The rows into a temporary table (binary COPY on PostgreSQL)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                f"CREATE TEMP TABLE {name} (pos bigint, ref varchar(64), status "
                f"varchar(8), reason varchar(16), amount bigint) ON COMMIT DROP"
            )
        else:
            cur.execute(
                f"CREATE TEMP TABLE {name} (pos integer, ref varchar(64), status "
                f"varchar(8), reason varchar(16), amount integer)"
            )
    n = 0

    def checked() -> Iterator[tuple[Any, ...]]:
        # (a reference whose check digits are wrong matches no line: `_check` tells it apart
        # among the unknown ones, so the 3.5 M good ones are not checked here)
        nonlocal n
        for r in rows:
            n += 1
            yield (r.row, r.reference[:64], r.status, (r.reason_code or "")[:16], r.amount)

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(
                f"COPY {name} (pos, ref, status, reason, amount) FROM STDIN (FORMAT BINARY)"
            ) as copy:
                copy.set_types(["int8", "varchar", "varchar", "varchar", "int8"])
                for row in checked():
                    copy.write_row(row)
        else:
            batch: list[tuple[Any, ...]] = []
            sql = f"INSERT INTO {name} (pos, ref, status, reason, amount) VALUES (%s,%s,%s,%s,%s)"
            for row in checked():
                batch.append(row)
                if len(batch) >= 20_000:
                    cur.executemany(sql, batch)
                    batch = []
            if batch:
                cur.executemany(sql, batch)
        if connection.vendor == "postgresql":
            cur.execute(f"ANALYZE {name}")  # hash joins with the lines: no index needed
        else:
            cur.execute(f"CREATE INDEX {name}_ref ON {name} (ref)")
    return n


def _q(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


#: the batches a results source may touch: one, several (the batches of one status report's
#: original message), or any of the cycle (None)
BatchScope = int | Sequence[int] | None


class Cover(NamedTuple):
    """A status for every still-open (sent) line of one batch that the file does not list: a
    status report's group or block status (RJCT, ACSC, ACCC) with no transaction of its own.
    ``position`` is where the status stands in the file (issues name it)."""

    batch_id: int
    status: str  # succ | rjct
    reason_code: str
    position: int
    #: the benefits of the lines covered (a pain.001 block of one category purpose); () = all
    benefit_types: tuple[str, ...] = ()


def _restriction(provider_code: str | None, batch_id: BatchScope) -> tuple[str, list[Any]]:
    """The lines a results source may touch: a provider's own, one batch's (or a few)."""
    restrict, params = "", list[Any]()
    if provider_code:
        restrict = " AND l.provider_id IN (SELECT id FROM payment_methods_provider WHERE code = %s)"
        params.append(provider_code)
    if isinstance(batch_id, int):
        restrict += " AND l.batch_id = %s"
        params.append(batch_id)
    elif batch_id is not None:
        ids = [int(b) for b in batch_id] or [0]
        restrict += " AND l.batch_id IN (" + ", ".join(["%s"] * len(ids)) + ")"
        params.extend(ids)
    return restrict, params


def _cover(name: str, cycle: Cycle, covers: Sequence[Cover], provider_code: str | None) -> int:
    """Rows into the temporary table for the lines a group or block status covers: every sent
    line of the batch whose reference the file does not list (a line listed, final or pending,
    wins over its group), one INSERT ... SELECT per cover. Returns how many rows it added."""
    lines = _q(PayrollLine)
    added = 0
    with connection.cursor() as cur:
        for c in covers:
            restrict, extra = _restriction(provider_code, c.batch_id)
            if c.benefit_types:
                restrict += " AND l.benefit_type IN (" + ", ".join(["%s"] * len(c.benefit_types))
                restrict += ")"
                extra.extend(c.benefit_types)
            cur.execute(
                f"INSERT INTO {name} (pos, ref, status, reason, amount) "
                f"SELECT %s, l.reference, %s, %s, NULL FROM {lines} l "
                f"WHERE l.cycle_id = %s AND l.status = 'sent'{restrict} "
                f"AND NOT EXISTS (SELECT 1 FROM {name} t WHERE t.ref = l.reference)",
                [c.position, c.status, c.reason_code[:16], cycle.pk, *extra],
            )
            added += max(cur.rowcount, 0)
        if added and connection.vendor == "postgresql":
            cur.execute(f"ANALYZE {name}")
    return added


def _pending_rows(name: str) -> int:
    with connection.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM {name} WHERE status = 'pending'")
        return int(cur.fetchone()[0])


def _check_sql(
    name: str, provider_code: str | None, batch_id: BatchScope, limit: int
) -> tuple[str, list[Any], str, str]:
    """The three queries of `_check` over the temporary table `name` (its cycle's id is the
    first parameter of the first): the rows against the lines, duplicate references, unknown
    reason codes."""
    lines, reasons = _q(PayrollLine), _q(ReturnReason)
    restrict, extra = _restriction(provider_code, batch_id)
    not_sent = "(l.status = 'issued')"
    # a paid line reported rjct is a return (applied); any other change of a final line is not
    # (a line a status report says is pending changes nothing, whatever its state)
    changed = (
        "(t.status <> 'pending' AND ((l.status IN ('failed', 'returned') AND "
        "(t.status <> 'rjct' OR t.reason <> l.reason_code)) OR l.status = 'cancelled' "
        "OR (l.status = 'returned' AND t.status = 'succ')))"
    )
    differs = "(t.amount IS NOT NULL AND t.amount <> l.amount)"
    joined = (
        f"SELECT t.pos, t.ref, t.status, t.amount, l.id, l.status, l.amount, "
        f"CASE WHEN {not_sent} THEN 1 ELSE 0 END, CASE WHEN {changed} THEN 1 ELSE 0 END, "
        f"CASE WHEN {differs} THEN 1 ELSE 0 END "
        f"FROM {name} t LEFT JOIN {lines} l ON l.reference = t.ref AND l.cycle_id = %s"
        f"{restrict} "
        f"WHERE l.id IS NULL OR {not_sent} OR {changed} OR {differs} "
        f"ORDER BY t.pos LIMIT {limit}"
    )
    dup = (
        f"SELECT t.pos, t.ref, d.first FROM {name} t JOIN (SELECT ref, MIN(pos) AS first "
        f"FROM {name} GROUP BY ref HAVING COUNT(*) > 1) d ON d.ref = t.ref "
        f"WHERE t.pos > d.first ORDER BY 1 LIMIT {limit}"
    )
    reason = (
        f"SELECT t.pos, t.reason FROM {name} t WHERE t.status = 'rjct' AND "
        f"(t.reason = '' OR t.reason NOT IN (SELECT code FROM {reasons})) "
        f"ORDER BY 1 LIMIT {limit}"
    )
    return joined, extra, dup, reason


def _line_issues(rows: list[Any], found: dict[str, list[Issue]]) -> None:
    """The issues of the rows the query against the lines returned (at most MAX_ISSUES)."""
    for pos, ref, status, amount, lid, lstatus, lamount, unsent, final, diff in rows:
        if lid is None:
            if not engine.reference_is_valid(str(ref)):
                found["reference_invalid"].append(
                    issue(
                        int(pos),
                        "reference",
                        ref,
                        "reference_invalid",
                        "a payment reference of 22 digits",
                    )
                )
            found["reference_unknown"].append(
                issue(
                    int(pos),
                    "reference",
                    ref,
                    "reference_unknown",
                    "a payment reference of this cycle",
                )
            )
            continue
        if unsent:
            found["line_not_sent"].append(
                issue(int(pos), "reference", ref, "line_not_sent", "a line of a released batch")
            )
        if final:
            found["line_final_changed"].append(
                issue(
                    int(pos),
                    "status",
                    str(status),
                    "line_final_changed",
                    str(lstatus),
                    status=str(lstatus),
                )
            )
        if diff:
            found["amount_differs"].append(
                issue(
                    int(pos),
                    "amount",
                    str(amount),
                    "amount_differs",
                    str(lamount),
                    amount=str(lamount),
                )
            )


def _file_issues(cur: Any, dup: str, reason: str, found: dict[str, list[Issue]]) -> None:
    """The issues of the file alone: duplicate references, then unknown reason codes."""
    cur.execute(dup)
    found["reference_duplicate"] = [
        issue(
            int(pos),
            "reference",
            str(ref),
            "reference_duplicate",
            str(first),
            row=str(first),
        )
        for pos, ref, first in cur.fetchall()
    ]
    cur.execute(reason)
    found["reason_unknown"] = [
        issue(
            int(pos),
            "reason",
            str(code or ""),
            "reason_unknown",
            "a reason code of the return-reason catalogue",
        )
        for pos, code in cur.fetchall()
    ]


def _check(
    name: str,
    cycle: Cycle,
    provider_code: str | None,
    issues: list[Issue],
    batch_id: BatchScope = None,
    *,
    part: str = "all",
) -> None:
    """Problems of the file, by row: of the file alone (`part` "file": duplicates, reason
    codes) and against the lines ("lines": unknown reference, line not sent, final line
    changed, amount differs); "all" for both. Issues are added in that order of kinds."""
    limit = MAX_ISSUES
    joined, extra, dup, reason = _check_sql(name, provider_code, batch_id, limit)
    params: list[Any] = [cycle.pk, *extra]
    found: dict[str, list[Issue]] = {
        c: []
        for c in (
            "reference_invalid",
            "reference_unknown",
            "reference_duplicate",
            "line_not_sent",
            "line_final_changed",
            "reason_unknown",
            "amount_differs",
        )
    }
    with connection.cursor() as cur:
        lines_too, file_too = part in ("all", "lines"), part in ("all", "file")
        if lines_too:
            cur.execute(joined, params)
            _line_issues(cur.fetchall(), found)
        if file_too:
            _file_issues(cur, dup, reason, found)
    for group in found.values():  # reported in this order, each row's problems together
        issues.extend(group[: max(0, limit - len(issues))])


def _apply(
    name: str,
    cycle: Cycle,
    imp: ResultImport,
    now: dt.datetime,
    failed_ids: list[int],
    provider_code: str | None = None,
    batch_id: BatchScope = None,
) -> dict[str, int]:
    """Record the result of each row that is clean and waiting: its line of this cycle is
    sent and has no result yet (succ -> paid, rjct -> failed), or is paid and the row says
    rjct (-> returned); the row's amount, if given, is the line's. Returns how many were
    paid, failed and returned, and puts the failed and returned lines' ids in `failed_ids`
    (the return reason's action follows for both). A failed or returned line stops being
    live: its month is free for a re-issue. A paid line keeps the import that paid it (a
    returned one too: its 'paid' ledger row is that import's); the ledger gets one row per
    failed or returned line and one 'paid' row for the import's paid lines (ADR 0005). The
    entitlements of the lines paid are paid through their month (`_paid_through_sql`)."""
    lines, events = _q(PayrollLine), _q(LineEvent)
    at = connection.ops.adapt_datetimefield_value(now)
    restrict, extra = _restriction(provider_code, batch_id)
    waiting, setting = _apply_sql(name, restrict)
    where_params = [cycle.pk, *extra]
    params = [imp.pk, at, *where_params]
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            update = f"UPDATE {lines} l SET {setting} WHERE {waiting}"
            counts = _update_lines_pg(cur, update, params, at, imp, failed_ids)
        else:
            update = f"UPDATE {lines} AS l SET {setting} WHERE {waiting}"
            counts = _update_lines_other(cur, update, params, at, imp, failed_ids)
        if counts.get("paid"):
            # a statement of its own: as a third CTE over the UPDATE's rows it took 3 times
            # as long on PostgreSQL (bench/cycle_bench.py, 300,000 lines)
            cur.execute(
                _paid_through_sql(
                    f"(SELECT entitlement_id, period_month, status FROM {lines} "
                    f"WHERE cycle_id = %s AND result_import_id = %s AND status = 'paid')"
                ),
                [at, cycle.pk, imp.pk],
            )
            cur.execute(
                f"INSERT INTO {events} (cycle_id, kind, at, reason_code, "
                f"result_import_id, note) VALUES (%s, 'paid', %s, '', %s, '')",
                [cycle.pk, at, imp.pk],
            )
    return {
        "paid": counts.get("paid", 0),
        "failed": counts.get("failed", 0),
        "returned": counts.get("returned", 0),
    }


def _apply_sql(name: str, restrict: str) -> tuple[str, str]:
    """The WHERE (the rows clean and waiting; the cycle's id its first parameter) and the SET
    (the import's id and the time its parameters) of `_apply`'s UPDATE."""
    reasons = _q(ReturnReason)
    waiting = (
        f"l.reference = t.ref AND l.cycle_id = %s{restrict} AND "
        f"t.status IN ('succ', 'rjct') AND "
        f"(l.status = 'sent' OR (l.status = 'paid' AND t.status = 'rjct')) AND "
        f"(t.amount IS NULL OR t.amount = l.amount)"
    )
    setting = (
        f"status = CASE WHEN t.status = 'succ' THEN 'paid' WHEN l.status = 'paid' "
        f"THEN 'returned' ELSE 'failed' END, "
        f"live = (t.status = 'succ'), reason_code = CASE WHEN t.status = 'succ' THEN '' "
        f"ELSE t.reason END, action = COALESCE(r.action, ''), "
        f"result_import_id = CASE WHEN l.status = 'paid' THEN l.result_import_id "
        f"ELSE %s END, "
        f"updated_at = %s FROM {name} t LEFT JOIN {reasons} r ON r.code = t.reason AND "
        f"t.status = 'rjct'"
    )
    return waiting, setting


def _update_lines_pg(
    cur: Any,
    update: str,
    params: list[Any],
    at: Any,
    imp: ResultImport,
    failed_ids: list[int],
) -> dict[str, int]:
    """PostgreSQL: one join, the UPDATE (in place, no index touched: ADR 0005) hands the failed
    and returned lines to the ledger INSERT; the lines updated by status, and the ids of the
    failed and returned ones in `failed_ids`."""
    events = _q(LineEvent)
    cur.execute(
        f"WITH u AS ({update} "
        f"RETURNING l.id, l.cycle_id, l.status, l.reason_code), "
        f"e AS (INSERT INTO {events} (line_id, cycle_id, kind, at, reason_code, "
        f"result_import_id, note) SELECT id, cycle_id, status, %s, reason_code, %s, '' "
        f"FROM u WHERE status IN ('failed', 'returned')) "
        f"SELECT status, COUNT(*), CASE WHEN status <> 'paid' THEN array_agg(id) END "
        f"FROM u GROUP BY status",
        [*params, at, imp.pk],
    )
    rows = cur.fetchall()
    failed_ids[:] = sorted(int(i) for _s, _n, ids in rows for i in (ids or ()))
    return {status: int(n) for status, n, _ids in rows}


def _update_lines_other(
    cur: Any,
    update: str,
    params: list[Any],
    at: Any,
    imp: ResultImport,
    failed_ids: list[int],
) -> dict[str, int]:
    """Other databases: the UPDATE returns the lines, the ledger rows of the failed and returned
    ones are inserted by slices of ids; the lines updated by status."""
    lines, events = _q(PayrollLine), _q(LineEvent)
    cur.execute(f"{update} RETURNING id, status", params)
    counts: dict[str, int] = {}
    for pk, status in cur.fetchall():
        counts[status] = counts.get(status, 0) + 1
        if status != "paid":
            failed_ids.append(int(pk))
    failed_ids.sort()
    for start in range(0, len(failed_ids), 20_000):
        part = failed_ids[start : start + 20_000]
        marks = ", ".join(["%s"] * len(part))
        cur.execute(
            f"INSERT INTO {events} (line_id, cycle_id, kind, at, reason_code, "
            f"result_import_id, note) SELECT id, cycle_id, status, %s, "
            f"reason_code, %s, '' FROM {lines} WHERE id IN ({marks})",
            [at, imp.pk, *part],
        )
    return counts


def _paid_through_sql(source: str) -> str:
    """An UPDATE moving each entitlement of the paid lines in `source` (a table or subquery
    with entitlement_id, period_month, status) on to the latest month paid; never back. Its
    first parameter is the time of the update, then those of `source`."""
    ent = _q(Entitlement)
    return (
        f"UPDATE {ent} SET paid_through = m.last, updated_at = %s FROM ("
        f"SELECT entitlement_id, MAX(period_month) AS last FROM {source} AS s "
        f"WHERE status = 'paid' GROUP BY entitlement_id) AS m "
        f"WHERE {ent}.id = m.entitlement_id AND ({ent}.paid_through IS NULL "
        f"OR {ent}.paid_through < m.last)"
    )


def _paid_through_after_returns(returned: list[_Failed], now: dt.datetime) -> None:
    """A returned month is not paid: an entitlement paid through it (and no later month)
    goes back to the latest month a line still pays, else to the month before its first
    line here (what it was paid through before chitra; none for a one-off benefit)."""
    by_ent: dict[int, dt.date] = {}
    for ln in returned:
        by_ent[ln.entitlement_id] = max(
            ln.period_month, by_ent.get(ln.entitlement_id, ln.period_month)
        )
    for ent in Entitlement.objects.select_for_update().filter(pk__in=list(by_ent)):
        month = by_ent[ent.pk]
        if ent.paid_through is None or ent.paid_through > month:
            continue
        mine = PayrollLine.objects.filter(entitlement_id=ent.pk)
        still = (
            mine.filter(status=LineStatus.PAID)
            .order_by("-period_month")
            .values_list("period_month", flat=True)
            .first()
        )
        if still is not None:
            ent.paid_through = still
        elif ent.benefit_type in engine.ONE_OFF:
            ent.paid_through = None
        else:
            first = mine.order_by("period_month").values_list("period_month", flat=True).first()
            ent.paid_through = engine.add_months(first or month, -1)
        Entitlement.objects.filter(pk=ent.pk).update(paid_through=ent.paid_through, updated_at=now)


class _Failed(NamedTuple):
    pk: int
    entitlement_id: int
    beneficiary_id: int
    commune_id: int
    benefit_type: str
    period_month: dt.date
    amount: int
    payee_name: str
    attempt: int
    account_id: int | None
    reason_code: str
    action: str
    reference: str
    status: str


def _follow_up(
    actor: User,
    cycle: Cycle,
    imp: ResultImport,
    now: dt.datetime,
    outcome: ResultsOutcome,
    failed_ids: list[int],
) -> None:
    """What each return reason asks for, for failed and returned lines alike: close the
    account, pay cash this month (a supplementary cash batch), suspend the entitlement;
    retry waits for the next cycle; hold and investigate keep the month held. A returned
    month stops counting as paid."""
    failed = _failed_lines(failed_ids)
    if not failed:
        return
    returned = [ln for ln in failed if ln.status == LineStatus.RETURNED]
    if returned:
        _paid_through_after_returns(returned, now)
    catalogue = {r.code: r for r in ReturnReason.objects.all()}
    for ln in failed:
        outcome.actions[ln.action] = outcome.actions.get(ln.action, 0) + 1
    closing = _accounts_to_close(failed, catalogue)
    if closing:
        outcome.accounts_closed = _close_accounts(actor, cycle, imp, now, closing)
    cash = [ln for ln in failed if ln.action == ReturnReason.Action.CASH]
    if cash:
        _pay_in_cash(cycle, cash, now, outcome)
    suspend = [ln for ln in failed if ln.action == ReturnReason.Action.SUSPEND]
    if suspend:
        outcome.suspended = _suspend(actor, cycle, suspend)


def _accounts_to_close(failed: list[_Failed], catalogue: dict[str, ReturnReason]) -> list[int]:
    return sorted(
        {
            ln.account_id
            for ln in failed
            if ln.account_id and catalogue[ln.reason_code].closes_account
        }
    )


def _pay_in_cash(
    cycle: Cycle, cash: list[_Failed], now: dt.datetime, outcome: ResultsOutcome
) -> None:
    """The lines whose reason asks for cash: re-issued in a supplementary cash batch, or, when
    the cycle is closed (it takes no new batch), owed again: the next cycle re-issues the
    month by the method of that month (the account closed: cash)."""
    if cycle.status == CycleStatus.CLOSED:
        outcome.owed_next = PayrollLine.objects.filter(pk__in=[ln.pk for ln in cash]).update(
            action="retry", updated_at=now
        )
    else:
        outcome.reissued_cash = _reissue_cash(cycle, cash, now)


def _failed_lines(failed_ids: list[int]) -> list[_Failed]:
    """The failed and returned lines, read by slices of ids, in id order."""
    failed = []
    for start in range(0, len(failed_ids), 20_000):
        failed += [
            _Failed(*row)
            for row in PayrollLine.objects.filter(pk__in=failed_ids[start : start + 20_000])
            .order_by("pk")
            .values_list(*_Failed._fields)
        ]
    return failed


def _close_accounts(
    actor: User, cycle: Cycle, imp: ResultImport, now: dt.datetime, closing: list[int]
) -> int:
    """Close the accounts a return reason closes (those still open), audited; how many."""
    open_accounts = Account.objects.filter(pk__in=closing).exclude(status=Account.Status.CLOSED)
    rows = [
        AuditRow(
            "payment_methods.account",
            pk,
            "",
            {"status": status},
            {"status": "closed", "by_result": imp.pk},
        )
        for pk, status in open_accounts.values_list("pk", "status")
    ]
    closed = open_accounts.update(status=Account.Status.CLOSED, closed_at=now, updated_at=now)
    audit_bulk(actor, "account.close_by_result", rows, province=cycle.province_id)
    return closed


def _reissue_cash(cycle: Cycle, failed: list[_Failed], now: dt.datetime) -> int:
    from chitra.disbursement.services import _FK_LINE, LINE_COLUMNS, cash_provider

    provider = cash_provider()
    provider_id = provider.pk if provider else None
    batcher = _cash_batcher(cycle)
    bid = batcher.batch_id(provider_id, Channel.CASH_PAY_POINT)
    province = cycle.province.code
    rows = []
    for ln in failed:
        rows.append(
            (
                cycle.pk,
                bid,
                ln.entitlement_id,
                ln.beneficiary_id,
                ln.commune_id,
                ln.benefit_type,
                ln.period_month,
                ln.amount,
                Channel.CASH_PAY_POINT.value,
                provider_id,
                None,
                ln.payee_name,
                engine.payment_reference(
                    province, ln.period_month, ln.entitlement_id, ln.attempt + 1
                ),
                ln.attempt + 1,
                ln.pk,
                LineStatus.ISSUED.value,
                True,
                "",
                "",
                now,
            )
        )
    copy_rows(PayrollLine, [f"{c}_id" if c in _FK_LINE else c for c in LINE_COLUMNS], rows)
    batcher.save()
    _reissue_events([ln.pk for ln in failed], now)
    return len(rows)


def _cash_batcher(cycle: Cycle) -> _Batcher:
    """The batcher of the re-issues in cash: one supplementary cash batch gathers them until it
    is released (the one waiting, else a new one after the cycle's last)."""
    from chitra.disbursement.services import _Batcher

    waiting = (
        Batch.objects.filter(
            cycle=cycle, status=Batch.Status.ISSUED, sequence__gt=0, channel=Channel.CASH_PAY_POINT
        )
        .order_by("-sequence")
        .first()
    )
    if waiting is not None:
        batcher = _Batcher(cycle, sequence=waiting.sequence)
        batcher.ids[(waiting.provider_id, Channel.CASH_PAY_POINT)] = waiting.pk
        batcher.totals[waiting.pk] = [0, 0]  # counted again from its lines by save()
        return batcher
    seq = (
        Batch.objects.filter(cycle=cycle)
        .order_by("-sequence")
        .values_list("sequence", flat=True)
        .first()
        or 0
    ) + 1
    return _Batcher(cycle, sequence=seq)


def _reissue_events(ids: list[int], now: dt.datetime) -> None:
    """The ledger: the new line issued, the failed one re-issued (set-based: 1 row each)."""
    at = connection.ops.adapt_datetimefield_value(now)
    lines, events = _q(PayrollLine), _q(LineEvent)
    with connection.cursor() as cur:
        for start in range(0, len(ids), 20_000):
            part = ids[start : start + 20_000]
            marks = ", ".join(["%s"] * len(part))
            cur.execute(
                f"INSERT INTO {events} (line_id, cycle_id, kind, at, reason_code) "
                f"SELECT id, cycle_id, 'issued', %s, '' FROM {lines} "
                f"WHERE reissue_of_id IN ({marks})",
                [at, *part],
            )
            cur.execute(
                f"INSERT INTO {events} (line_id, cycle_id, kind, at, reason_code) "
                f"SELECT id, cycle_id, 'reissued', %s, '' FROM {lines} "
                f"WHERE id IN ({marks})",
                [at, *part],
            )


def _suspend(actor: User, cycle: Cycle, failed: list[_Failed]) -> int:
    """Suspend the active entitlements whose payment came back with a holder-deceased reason
    (a few queries for any number of lines)."""
    by_ent = {ln.entitlement_id: ln for ln in failed}
    ents = list(
        Entitlement.objects.select_for_update().filter(
            pk__in=list(by_ent), status=Entitlement.Status.ACTIVE
        )
    )
    if not ents:
        return 0
    rows, sus = [], []
    now = timezone.now()
    for ent in ents:
        ln = by_ent[ent.pk]
        before = {"status": ent.status, "status_reason": ent.status_reason}
        sus.append(
            Suspension(
                entitlement=ent,
                reason=Suspension.Reason.PROVIDER_REPORT,
                from_month=cycle.month,
                detail=_("Provider returned payment %(ref)s: %(code)s")
                % {"ref": ln.reference, "code": ln.reason_code},
                previous_status=ent.status,
                previous_reason=ent.status_reason,
                created_by=actor,
            )
        )
        ent.status = Entitlement.Status.SUSPENDED
        ent.status_reason = _("Provider reported the holder deceased (%(code)s)") % {
            "code": ln.reason_code
        }
        ent.updated_at = now
        rows.append(
            AuditRow(
                "registry.entitlement",
                ent.pk,
                str(ent),
                before,
                {"status": ent.status, "status_reason": ent.status_reason},
            )
        )
    Suspension.objects.bulk_create(sus, batch_size=2000)
    by_reason: dict[str, list[int]] = {}
    for ent in ents:
        by_reason.setdefault(ent.status_reason, []).append(ent.pk)
    for status_reason, pks in by_reason.items():  # one UPDATE per reason code
        for start in range(0, len(pks), 20_000):
            Entitlement.objects.filter(pk__in=pks[start : start + 20_000]).update(
                status=Entitlement.Status.SUSPENDED, status_reason=status_reason, updated_at=now
            )
    audit_bulk(actor, "entitlement.suspend_by_result", rows, province=cycle.province_id)
    return len(ents)


def already_applied(done: ResultImport) -> ResultsOutcome:
    """The outcome of a file applied before (same hash, same cycle): nothing changes."""
    return ResultsOutcome(
        done,
        already_applied=True,
        paid=done.paid,
        failed=done.failed,
        returned=done.returned,
        unchanged=done.unchanged,
        pending=done.pending,
    )


def _refuse_if(issues: list[Issue], total: int) -> None:
    if issues:
        issues.sort(key=lambda i: i.sheet_row)
        raise ResultsRejected(
            _("The results file was refused: %(n)s problems (nothing was applied).")
            % {"n": len(issues)},
            issues,
            total,
        )


def _reporting_provider(actor: User, provider_code: str | None) -> str | None:
    """The provider whose lines a file may answer: the one given, else the actor's own (a
    provider only ever reports on its own lines)."""
    org = actor.organisation if actor.organisation_id else None
    if provider_code is None and org is not None and org.provider_code:
        return str(org.provider_code)
    return provider_code


def _check_file_first(
    name: str,
    cycle: Cycle,
    provider_code: str | None,
    issues: list[Issue],
    batch_id: BatchScope,
    total: int,
) -> None:
    """Refuse the file on what it shows alone (duplicates, reason codes) or on problems met
    while it was read, reporting the problems against the lines too."""
    # the file against the cycle's lines: hash joins, one pass each (the planner
    # guesses nested loops when the lines' statistics lag behind)
    _nestloop("off")
    _check(name, cycle, provider_code, issues, batch_id, part="file")
    if issues:
        _check(name, cycle, provider_code, issues, batch_id, part="lines")
        _refuse_if(issues, total)


def _check_not_applied(
    name: str,
    cycle: Cycle,
    provider_code: str | None,
    issues: list[Issue],
    batch_id: BatchScope,
    total: int,
) -> None:
    """Some rows were not applied: each must repeat a result already recorded, else the file is
    refused and the transaction, the update with it, undone."""
    _check(name, cycle, provider_code, issues, batch_id, part="lines")
    _refuse_if(issues, total)


def _cycle_for_results(actor: User, cycle: Cycle) -> Cycle:
    """The cycle locked, of the actor's province, and released. A reconciled or closed cycle
    has no line waiting: only a return after payment (a bank statement weeks later) can
    change it."""
    cycle = Cycle.objects.select_for_update(of=("self",)).get(pk=cycle.pk)
    if not actor.is_national and actor.area_province_id != cycle.province_id:
        raise ChitraError(_("This cycle is not of your province."))
    require_transition(
        CYCLE,
        cycle.status,
        "results",
        lambda: ChitraError(
            _("Results can only be applied to a released cycle; cycle %(month)s is %(state)s.")
            % {"month": f"{cycle.month:%m/%Y}", "state": cycle.get_status_display()}
        ),
    )
    return cycle


def _nestloop(value: str) -> None:
    """On PostgreSQL, allow ("on") or forbid ("off") nested loops until the transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"SELECT set_config('enable_nestloop', '{value}', true)")


def _recorded_outcome(imp: ResultImport, counts: dict[str, int]) -> ResultsOutcome:
    """Record the import's counts and return its outcome (follow-ups still to come)."""
    ResultImport.objects.filter(pk=imp.pk).update(**counts)
    imp.pending = counts["pending"]
    imp.paid, imp.failed, imp.returned, imp.unchanged = (
        counts["paid"],
        counts["failed"],
        counts["returned"],
        counts["unchanged"],
    )
    return ResultsOutcome(
        imp,
        paid=counts["paid"],
        failed=counts["failed"],
        returned=counts["returned"],
        unchanged=counts["unchanged"],
        pending=counts["pending"],
    )


def _reopen(
    actor: User, cycle: Cycle, imp: ResultImport, outcome: ResultsOutcome, now: dt.datetime
) -> None:
    """A return paid in cash this month: a batch waits again, so the reconciled cycle does too."""
    Cycle.objects.filter(pk=cycle.pk).update(
        status=CycleStatus.RELEASED, reconciled_at=None, updated_at=now
    )
    audit_record(
        actor,
        "cycle.reopen",
        obj=cycle,
        before={"status": CycleStatus.RECONCILED.value},
        after={
            "status": CycleStatus.RELEASED.value,
            "import": imp.pk,
            "returned": outcome.returned,
            "reissued_cash": outcome.reissued_cash,
        },
    )
    cycle.status = CycleStatus.RELEASED


def _figures(outcome: ResultsOutcome) -> dict[str, int]:
    return {
        "paid": outcome.paid,
        "failed": outcome.failed,
        "returned": outcome.returned,
        "unchanged": outcome.unchanged,
        "pending": outcome.pending,
        "reissued_cash": outcome.reissued_cash,
        "owed_next": outcome.owed_next,
        "suspended": outcome.suspended,
        "accounts_closed": outcome.accounts_closed,
    }


# over the limits: one whole-or-nothing transaction over a temporary table, step after step
# (load, check, apply, check again, follow-up, audit; each a call) inside the try/finally that
# drops the table; its 14 keyword parameters and their docstring are a third of its lines.
def results_apply(
    *,
    actor: User,
    cycle: Cycle,
    rows: Iterable[ResultLike],
    sha256: str,
    source: str,
    file_name: str = "",
    provider_code: str | None = None,
    parse_issues: list[Issue] | None = None,
    pending: list[int] | None = None,
    batch_id: BatchScope = None,
    progress: Callable[[str, int, int], None] | None = None,
    covers: Sequence[Cover] = (),
    allow_empty: bool = False,
    report: dict[str, str] | None = None,
) -> ResultsOutcome:
    """Apply a results file's rows whole (one transaction) or refuse it whole. `progress`
    is called between the steps, inside the transaction (an error it raises undoes all).

    A status report (:mod:`chitra.disbursement.status_reports`) also passes rows of status
    ``pending`` (checked against the lines, never applied), `covers` (group or block statuses
    for the lines it does not list), `allow_empty` (a report that only confirms receipt) and
    `report` (MsgId, OrgnlMsgId, GrpSts recorded on the import)."""
    require_perm(actor, Perm.PAYMENT_RESULTS)
    progress = progress or (lambda phase, done, total: None)
    provider_code = _reporting_provider(actor, provider_code)
    with transaction.atomic():
        cycle = _cycle_for_results(actor, cycle)
        done = ResultImport.objects.filter(cycle=cycle, sha256=sha256).first()
        if done is not None:
            return already_applied(done)
        # the caller's list itself: a streamed XML file adds its problems while it is read
        issues: list[Issue] = parse_issues if parse_issues is not None else []
        bulk_session()
        name = _temp_table()
        try:
            total = _load_temp(name, rows, issues)
            total += _cover(name, cycle, covers, provider_code)
            waiting = _pending_rows(name) if report is not None else 0
            progress("check", 0, total)
            if total == 0 and not issues and not allow_empty:
                raise ImportFileError(_("The file has no result lines."))
            _check_file_first(name, cycle, provider_code, issues, batch_id, total)
            now = timezone.now()
            imp = ResultImport.objects.create(
                cycle=cycle,
                source=source,
                file_name=file_name[:255],
                sha256=sha256,
                created_by=actor,
                **(report or {}),
            )
            failed_ids: list[int] = []
            counts = _apply(name, cycle, imp, now, failed_ids, provider_code, batch_id)
            proof_of_life_cash_collected(actor=actor, result_import=imp, on=now)  # ADR 0011
            recoveries_refresh(actor=actor, result_import=imp)  # the money that really left
            applied = counts["paid"] + counts["failed"] + counts["returned"]
            progress("apply", applied, total)
            if applied < total:  # each row not applied must repeat a result recorded
                _check_not_applied(name, cycle, provider_code, issues, batch_id, total)
            _nestloop("on")
            counts["unchanged"] = total - applied - waiting
            counts["pending"] = waiting + (pending[0] if pending else 0)
            outcome = _recorded_outcome(imp, counts)
            _follow_up(actor, cycle, imp, now, outcome, failed_ids)
            if cycle.status == CycleStatus.RECONCILED and outcome.reissued_cash:
                _reopen(actor, cycle, imp, outcome, now)
            progress("follow-up", total, total)
            file = {"import": imp.pk, "file": file_name, "sha256": sha256, "source": source}
            audit_record(actor, "cycle.results", obj=cycle, after={**file, **_figures(outcome)})
        finally:
            if connection.vendor != "postgresql" or not connection.in_atomic_block:
                with connection.cursor() as cur:
                    cur.execute(f"DROP TABLE IF EXISTS {name}")
    return outcome


def results_import(
    *,
    actor: User,
    cycle: Cycle,
    path: Path,
    file_name: str = "",
    progress: Callable[[str, int, int], None] | None = None,
) -> ResultsOutcome:
    """Apply a results file: a pain.002 status report (.001.03/.10/.11, see
    :mod:`chitra.disbursement.status_reports`), or CSV/XLSX with reference, status and reason
    columns."""
    require_perm(actor, Perm.PAYMENT_RESULTS)
    try:  # XML or table: no larger than any file chitra reads
        check_file_size(path, read_limits())
    except TableReadError as e:
        raise ImportFileError(table_error_text(e)) from None
    sha = sha256_file(path)
    issues: list[Issue] = []
    pending = [0]
    done = ResultImport.objects.filter(cycle=cycle, sha256=sha).first()
    if done is not None:
        return already_applied(done)
    source = "pain002" if _is_xml(path) else "table"
    if source == "pain002":
        # a bank's status report: checked against the message chitra sent, its group and
        # block statuses applied to the lines it does not list (status_reports)
        from chitra.disbursement.status_reports import status_report_import

        return status_report_import(
            actor=actor,
            cycle=cycle,
            path=path,
            sha256=sha,
            file_name=file_name or path.name,
            progress=progress,
        )
    # rows stream straight into the temporary table; table parse problems are known up front,
    # XML ones stop the file; pending pain.002 lines are counted on the way
    rows: Iterable[ResultLike] = parse_results_file(path, pending, issues)
    if source == "table":
        rows = list(rows)
    return results_apply(
        actor=actor,
        cycle=cycle,
        rows=rows,
        sha256=sha,
        source=source,
        file_name=file_name or path.name,
        parse_issues=issues,
        pending=pending,
        progress=progress,
    )


def latest_released(province_id: int | None) -> Cycle | None:
    qs = Cycle.objects.filter(status=CycleStatus.RELEASED)
    if province_id is not None:
        qs = qs.filter(province_id=province_id)
    return qs.order_by("-month").first()
