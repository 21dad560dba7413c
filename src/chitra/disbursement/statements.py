"""Statements of the paying account (camt.053) and debit/credit notifications (camt.054),
reconciled against the batches and lines: whole or nothing, once.

What a statement says, and what chitra does with it:

* a booked debit of the paying account for a transaction (its ``EndToEndId`` is a line's
  payment reference) confirms the credit: the line becomes paid;
* a booked credit back to the paying account for a transaction, with ``RtrInf/Rsn``, is a
  return after credit: the line becomes returned with that reason, and the reason's action
  follows (the late-return path, also on a closed cycle). A return of a line still waiting for
  its result proves the credit happened first: the line is paid, then returned;
* a booked debit of a whole batch (``NtryDtls/Btch``, or transactions naming the batch's
  ``PmtInfId``/``MsgId``) is compared with the batch's control totals (NbOfTxs, CtrlSum): a
  difference is recorded and shown (``StatementBatch``), it does not stop the statement;
* entries not booked (``PDNG``, ``INFO``) change nothing; entries and transactions that are not
  chitra's (fees, other payments) are counted.

The lines change only through :func:`chitra.disbursement.results.results_apply` (one call per
cycle for the confirmations, one for the returns, all in one transaction): the same checks
(unknown reason, amount that differs, final line changed...) refuse the whole statement."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from chitra.core.audit import audit_record
from chitra.core.errors import ChitraError, ImportFileError, table_error_text
from chitra.core.uploads import read_limits
from chitra.disbursement.models import (
    BankStatement,
    Batch,
    Cycle,
    LineStatus,
    PayrollLine,
    StatementBatch,
)
from chitra.disbursement.results import ResultRow, results_apply
from chitra.engine.iso20022 import camt
from chitra.engine.sheets.limits import check_file_size
from chitra.engine.sheets.reading import TableReadError
from chitra.iam.access import Perm, require_perm
from chitra.iam.models import PROVIDER_KINDS
from chitra.kernel.hashing import sha256_file

if TYPE_CHECKING:
    from chitra.iam.models import User

#: references are looked up in chunks of this size
_CHUNK = 5000
#: how many references that matched nothing are kept to be shown
UNMATCHED_SAMPLE = 50


@dataclass
class StatementOutcome:
    statement: BankStatement
    already_applied: bool = False
    confirmed: int = 0
    returned: int = 0
    failed: int = 0
    unchanged: int = 0
    pending: int = 0
    unmatched: int = 0
    discrepancies: int = 0
    reissued_cash: int = 0
    owed_next: int = 0
    suspended: int = 0
    accounts_closed: int = 0
    cycles: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Tx:
    position: int
    reference: str
    returned: bool  # a credit back with a return reason (else a debit confirming the credit)
    reason: str
    amount: Decimal | None
    currency: str

    def row(self, status: str) -> ResultRow:
        where = _("Transaction #%(n)s (%(ref)s)") % {"n": self.position, "ref": self.reference}
        return ResultRow(
            self.position,
            self.reference,
            status,
            self.reason if status == "rjct" else "",
            _vnd(self.amount, self.currency, where),
        )


@dataclass(slots=True)
class _Entry:
    position: int
    amount: Decimal
    currency: str
    credit_debit: str
    booked: bool
    booking_date: date | None
    batches: tuple[camt.CamtBatch, ...]
    transactions: int
    batch_refs: set[str] = field(default_factory=set)  # PmtInfId / MsgId of its transactions


def _vnd(amount: Decimal | None, currency: str, where: str) -> int | None:
    if amount is None:
        return None
    if currency and currency != "VND":
        raise ImportFileError(
            _("%(where)s: the amount is in %(ccy)s; the paying account is in VND.")
            % {"where": where, "ccy": currency}
        )
    if amount != amount.to_integral_value():
        raise ImportFileError(
            _("%(where)s: the amount %(amount)s is not a whole number of đồng.")
            % {"where": where, "amount": amount}
        )
    return int(amount)


def _read(path: Path) -> tuple[camt.CamtHeader, list[_Entry], list[_Tx], int, int]:
    """The statement's entries and the transactions that name a payment: (header, entries,
    transactions, how many transactions in all, how many of them not booked)."""
    try:
        header = camt.camt_header(path)
        entries: dict[int, _Entry] = {}
        txs: list[_Tx] = []
        refs: dict[int, set[str]] = {}
        total = not_booked = 0
        for item in camt.iter_camt(path):
            if isinstance(item, camt.CamtEntry):
                if item.account != header.account:
                    raise ImportFileError(
                        _(
                            "Entry #%(n)s is of account %(account)s: a statement is loaded for "
                            "one account at a time (%(expected)s)."
                        )
                        % {"n": item.position, "account": item.account, "expected": header.account}
                    )
                entries[item.position] = _Entry(
                    item.position,
                    item.amount,
                    item.currency,
                    item.credit_debit,
                    item.booked,
                    item.booking_date,
                    item.batches,
                    item.transactions,
                    refs.pop(item.position, set()),
                )
                continue
            total += 1
            for ref in (item.payment_info_id, item.message_id):
                if ref:
                    refs.setdefault(item.entry, set()).add(ref)
            if item.status != "BOOK":
                not_booked += 1
                continue
            reference = item.end_to_end_id or item.instruction_id
            if not reference or reference == "NOTPROVIDED":
                continue
            returned = item.credit_debit == "CRDT"
            txs.append(
                _Tx(
                    item.position,
                    reference,
                    returned,
                    item.return_reason if returned else "",
                    item.amount,
                    item.currency,
                )
            )
    except camt.CamtError as e:
        raise ImportFileError(
            _("The file is not a readable camt.053 or camt.054 bank statement: %(detail)s")
            % {"detail": e}
        ) from None
    return header, list(entries.values()), txs, total, not_booked


def _lines_by_reference(references: list[str], province_id: int) -> dict[str, tuple[int, int, str]]:
    """reference -> (line id, cycle id, status) of the province's lines."""
    out: dict[str, tuple[int, int, str]] = {}
    for start in range(0, len(references), _CHUNK):
        part = references[start : start + _CHUNK]
        for ref, pk, cycle_id, status in PayrollLine.objects.filter(
            reference__in=part, cycle__province_id=province_id
        ).values_list("reference", "pk", "cycle_id", "status"):
            out[ref] = (pk, cycle_id, status)
    return out


def _derived_sha(sha: str, part: str, cycle_id: int) -> str:
    """The SHA-256 a part of the statement is recorded under as a results import."""
    return hashlib.sha256(f"{sha}:{part}:{cycle_id}".encode()).hexdigest()


def _require_statement_loader(actor: User, cycle: Cycle) -> None:
    require_perm(actor, Perm.PAYMENT_RESULTS)
    org = actor.organisation if actor.organisation_id else None
    if org is not None and org.kind in PROVIDER_KINDS:
        raise ChitraError(_("Only BHXH loads the statements of its paying account."))
    if not actor.is_national and actor.area_province_id != cycle.province_id:
        raise ChitraError(_("This cycle is not of your province."))


def _require_paying_account(header: camt.CamtHeader) -> None:
    paying = settings.CHITRA_DEBTOR_ACCOUNT
    if header.account != paying:
        raise ImportFileError(
            _(
                "The statement is of account %(account)s, not of the paying account "
                "%(paying)s: nothing was applied."
            )
            % {"account": header.account or "—", "paying": paying}
        )


_PerCycle = dict[int, tuple[list[ResultRow], list[ResultRow]]]


def _rows_per_cycle(txs: list[_Tx], lines: dict[str, tuple[int, int, str]]) -> _PerCycle:
    """cycle id -> (the rows that confirm credits, the rows that return lines)."""
    per_cycle: _PerCycle = {}
    debited = {t.reference for t in txs if not t.returned}
    for t in txs:
        line = lines.get(t.reference)
        if line is None:
            continue
        _pk, cycle_id, status = line
        credits, returns = per_cycle.setdefault(cycle_id, ([], []))
        if t.returned:
            returns.append(t.row("rjct"))
            if status == LineStatus.SENT and t.reference not in debited:
                # the money came back: it was credited first
                credits.append(t.row("succ"))
        elif status != LineStatus.RETURNED:  # a returned line was debited: nothing new
            credits.append(t.row("succ"))
    return per_cycle


def _refuse_same_message(header: camt.CamtHeader, kind: str, province_id: int) -> None:
    same = BankStatement.objects.filter(
        province_id=province_id, account=header.account, kind=kind, message_id=header.message_id
    ).first()
    if same is not None:
        raise ImportFileError(
            _(
                "A different file with the same message id %(msg)s of this account was "
                "loaded on %(when)s (%(file)s): nothing was applied."
            )
            % {
                "msg": header.message_id,
                "when": f"{same.created_at:%d/%m/%Y %H:%M}",
                "file": same.file_name,
            }
        )


_COUNTS = ("confirmed", "returned", "failed", "unchanged", "discrepancies")


def _apply_cycles(
    actor: User,
    stmt: BankStatement,
    per_cycle: _PerCycle,
    out: StatementOutcome,
    progress: Callable[[str, int, int], None],
) -> None:
    """One `results_apply` per cycle for the confirmations and one for the returns."""
    for cycle_id in sorted(per_cycle):
        target = Cycle.objects.get(pk=cycle_id)
        for part, rows in zip(("credits", "returns"), per_cycle[cycle_id], strict=True):
            if not rows:
                continue
            res = results_apply(
                actor=actor,
                cycle=target,
                rows=rows,
                sha256=_derived_sha(stmt.sha256, part, cycle_id),
                source=stmt.kind,
                file_name=stmt.file_name,
            )
            stmt.result_imports.add(res.result_import)
            out.confirmed += res.paid
            for name in (
                "returned",
                "failed",
                "unchanged",
                "reissued_cash",
                "owed_next",
                "suspended",
                "accounts_closed",
            ):
                setattr(out, name, getattr(out, name) + getattr(res, name))
        out.cycles.append(cycle_id)
        progress("apply", len(out.cycles), len(per_cycle))


def statement_import(
    *,
    actor: User,
    cycle: Cycle,
    path: Path,
    file_name: str = "",
    progress: Callable[[str, int, int], None] | None = None,
) -> StatementOutcome:
    """Reconcile a camt.053 / camt.054 file of the paying account, loaded from `cycle`'s page,
    against the batches and lines of the cycle's province (a statement may confirm or return
    lines of earlier cycles too). Whole or nothing; loading the same file again changes
    nothing, and another file with the same message id of the same account is refused."""
    _require_statement_loader(actor, cycle)
    progress = progress or (lambda phase, done, total: None)
    try:
        check_file_size(path, read_limits())
    except TableReadError as e:
        raise ImportFileError(table_error_text(e)) from None
    sha = sha256_file(path)
    # once per province: the paying account is every province's, each loads it for its lines
    done = BankStatement.objects.filter(sha256=sha, province_id=cycle.province_id).first()
    if done is not None:
        return _outcome(done, already=True)
    header, entries, txs, total, not_booked = _read(path)
    _require_paying_account(header)
    kind = (
        BankStatement.Kind.CAMT053 if header.message == "camt.053" else BankStatement.Kind.CAMT054
    )
    progress("read", total, total)
    province_id = cycle.province_id
    lines = _lines_by_reference(sorted({t.reference for t in txs}), province_id)
    unmatched = [t.reference for t in txs if t.reference not in lines]
    per_cycle = _rows_per_cycle(txs, lines)
    with transaction.atomic():
        _refuse_same_message(header, kind, province_id)
        stmt = BankStatement.objects.create(
            province_id=province_id,
            cycle=cycle,
            kind=kind,
            version=header.version[:16],
            message_id=header.message_id,
            report_id=header.report_id,
            account=header.account,
            file_name=(file_name or path.name)[:255],
            sha256=sha,
            entries=len(entries),
            pending=sum(1 for e in entries if not e.booked),
            transactions=total,
            unmatched=len(unmatched),
            unmatched_sample=unmatched[:UNMATCHED_SAMPLE],
            created_by=actor,
        )
        out = StatementOutcome(stmt, pending=not_booked, unmatched=len(unmatched))
        _apply_cycles(actor, stmt, per_cycle, out, progress)
        out.discrepancies = _check_batches(stmt, entries, province_id)
        BankStatement.objects.filter(pk=stmt.pk).update(**{n: getattr(out, n) for n in _COUNTS})
        for name in _COUNTS:
            setattr(stmt, name, getattr(out, name))
        _audit(actor, cycle, stmt, out)
    return out


def _audit(actor: User, cycle: Cycle, stmt: BankStatement, out: StatementOutcome) -> None:
    audit_record(
        actor,
        "cycle.statement",
        obj=cycle,
        after={
            "statement": stmt.pk,
            "kind": stmt.kind,
            "message_id": stmt.message_id,
            "file": stmt.file_name,
            "sha256": stmt.sha256,
            "entries": stmt.entries,
            "transactions": stmt.transactions,
            "confirmed": out.confirmed,
            "returned": out.returned,
            "failed": out.failed,
            "unchanged": out.unchanged,
            "pending": out.pending,
            "unmatched": out.unmatched,
            "discrepancies": out.discrepancies,
            "cycles": out.cycles,
        },
    )


def _outcome(stmt: BankStatement, *, already: bool) -> StatementOutcome:
    return StatementOutcome(
        stmt,
        already_applied=already,
        confirmed=stmt.confirmed,
        returned=stmt.returned,
        failed=stmt.failed,
        unchanged=stmt.unchanged,
        unmatched=stmt.unmatched,
        discrepancies=stmt.discrepancies,
    )


def _batches_named(entries: list[_Entry]) -> dict[int, list[str]]:
    """entry position -> the batch references (PmtInfId / MsgId) its debit names."""
    wanted: dict[int, list[str]] = {}
    for e in entries:
        if e.credit_debit != "DBIT":
            continue
        refs = [r for b in e.batches for r in (b.payment_info_id, b.message_id) if r]
        if not refs and len(e.batch_refs) == 1 and e.transactions > 0:
            refs = sorted(e.batch_refs)  # every transaction of the entry names one batch
        if refs:
            wanted[e.position] = refs
    return wanted


def _check_batches(stmt: BankStatement, entries: list[_Entry], province_id: int) -> int:
    """A `StatementBatch` per debit entry that names one of the province's batches (by a
    pain.001's MsgId, one of its PmtInfIds, or the batch reference); returns how many show
    a discrepancy. A debit naming a PmtInfId is checked against that block's totals."""
    from chitra.disbursement.sent import sent_references

    wanted = _batches_named(entries)
    if not wanted:
        return 0
    named = sent_references(
        sorted({r for refs in wanted.values() for r in refs}), province_id=province_id
    )
    failed = _failed_by_category([b for b, _block in named.values()])
    by_position = {e.position: e for e in entries}
    checks: list[StatementBatch] = []
    for position, refs in wanted.items():
        hit = next((named[r] for r in refs if r in named), None)
        if hit is not None:
            batch, block = hit
            checks.append(_batch_check(stmt, batch, by_position[position], block, failed))
    StatementBatch.objects.bulk_create(checks)
    return sum(1 for c in checks if c.state == StatementBatch.State.DISCREPANCY)


def _failed_by_category(batches: list[Batch]) -> dict[tuple[int, str], tuple[int, int]]:
    """(batch id, category purpose) -> (failed lines, amount); "" for the whole batch."""
    from chitra.disbursement.files import category_of

    out: dict[tuple[int, str], tuple[int, int]] = {}
    rows = (
        PayrollLine.objects.filter(batch__in=batches, status=LineStatus.FAILED)
        .values_list("batch_id", "benefit_type")
        .annotate(n=Count("id"), s=Sum("amount"))
    )
    for batch_id, benefit, n, amount in rows:
        for key in ((batch_id, ""), (batch_id, category_of(benefit))):
            before = out.get(key, (0, 0))
            out[key] = (before[0] + n, before[1] + (amount or 0))
    return out


def _reported(e: _Entry, notes: list[str]) -> tuple[int | None, int | None, int]:
    """(NbOfTxs, TtlAmt in whole VND, amount debited) of a batch booking; notes what is not VND."""
    reported_count = next((b.count for b in e.batches if b.count is not None), None)
    total_ccy = next((b.currency for b in e.batches if b.total is not None), "")
    total = next((b.total for b in e.batches if b.total is not None), None)
    if e.currency and e.currency != "VND":
        notes.append(_("debited in %(ccy)s, not VND") % {"ccy": e.currency})
    reported_total: int | None = None
    if total is not None and total_ccy in ("", "VND") and total == total.to_integral_value():
        reported_total = int(total)
    debited = int(e.amount)
    if e.amount != debited:
        notes.append(
            _("the amount %(amount)s is not a whole number of đồng") % {"amount": e.amount}
        )
    return reported_count, reported_total, debited


def _batch_check(
    stmt: BankStatement,
    batch: Batch,
    e: _Entry,
    block: dict[str, Any] | None,
    failed: dict[tuple[int, str], tuple[int, int]],
) -> StatementBatch:
    notes: list[str] = []
    reported_count, reported_total, debited = _reported(e, notes)
    if block is None:
        declared_n, declared_s = batch.declared_count, batch.declared_amount
        failed_n, failed_s = failed.get((batch.pk, ""), (0, 0))
    else:  # a PmtInf block of the batch's pain.001
        declared_n, declared_s = block["count"], block["total"]
        failed_n, failed_s = failed.get((batch.pk, block.get("category_purpose") or ""), (0, 0))
    explained = failed_n > 0 and debited == declared_s - failed_s
    if debited != declared_s and not explained:
        notes.append(
            _("debited %(debited)s đ, the control sum is %(declared)s đ (difference %(diff)s đ)")
            % {
                "debited": f"{debited:,}",
                "declared": f"{declared_s:,}",
                "diff": f"{debited - declared_s:+,}",
            }
        )
    counts_ok = (declared_n, declared_n - failed_n) if explained else (declared_n,)
    if reported_count is not None and reported_count not in counts_ok:
        notes.append(
            _("NbOfTxs %(reported)s, the control count is %(declared)s")
            % {"reported": reported_count, "declared": declared_n}
        )
    if reported_total is not None and reported_total != debited:
        notes.append(
            _("TtlAmt %(total)s đ differs from the amount debited")
            % {"total": f"{reported_total:,}"}
        )
    return StatementBatch(
        statement=stmt,
        batch=batch,
        entry=e.position,
        booking_date=e.booking_date,
        debited=debited,
        declared_count=declared_n,
        declared_amount=declared_s,
        reported_count=reported_count,
        reported_total=reported_total,
        failed_count=failed_n,
        failed_amount=failed_s,
        state=_batch_state(e, notes, explained),
        note="; ".join(notes)[:500],
    )


def _batch_state(e: _Entry, notes: list[str], explained: bool) -> str:
    if not e.booked:
        return StatementBatch.State.PENDING
    if notes:
        return StatementBatch.State.DISCREPANCY
    if explained:
        return StatementBatch.State.EXPLAINED
    return StatementBatch.State.MATCHES
