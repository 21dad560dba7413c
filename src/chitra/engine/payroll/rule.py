"""The payroll rule: from the frozen snapshot of a cycle to payroll lines and exclusions.

Pure Python (no Django): the service reads the snapshot rows, calls `iter_payroll`, and
writes what comes back in bulk. Amounts are whole đồng; months are `date`s on day 1. The SQL
form of the rule's plain case sits beside it (`sql.py`, ADR 0005) and reads the constants
below; any change here must change it too (tests/engine/test_payroll_sql_pg.py compares the
two on generated snapshots)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from chitra.kernel.months import add_months, months_range

CASH_PAY_POINT = "CASH_PAY_POINT"
CASH_HOME = "CASH_HOME"
ACCOUNT_CHANNELS = frozenset({"BANK_ACCOUNT", "MOBILE_MONEY", "EWALLET"})
ONE_OFF = frozenset({"LUMP_SUM", "SURVIVOR_ONCE", "FUNERAL"})
#: the snapshot's values the rule tests (statuses of the entitlement, the person, the
#: register's outcome and the account)
DECEASED = "deceased"
SUSPENDED = "suspended"
VERIFIED = "verified"
#: what an unverified or closed account does (`Params.account_fallback`)
FALLBACK_CASH = "cash"
FALLBACK_HOLD = "hold"


class Item(NamedTuple):
    """One snapshot row (field order = the service's SELECT). A named tuple: 3.5 M of them are
    built from database rows per cycle, and `Item._make(row)` costs a tuple."""

    entitlement_id: int
    beneficiary_id: int
    commune_id: int
    benefit_type: str
    amount: int
    start_month: date | None
    end_month: date | None
    paid_through: date | None
    entitlement_status: str
    beneficiary_status: str
    register_outcome: str
    #: the latest proof of life (registry; ADR 0011)
    proof_of_life_on: date | None
    method: str
    account_id: int | None
    account_status: str
    provider_id: int | None
    payee_name: str


@dataclass(frozen=True, slots=True)
class Reissue:
    """A failed line to pay again (same month, same amount, next attempt)."""

    line_id: int
    entitlement_id: int
    period_month: date
    amount: int
    attempt: int


class Line(NamedTuple):
    entitlement_id: int
    beneficiary_id: int
    commune_id: int
    benefit_type: str
    period_month: date
    amount: int
    channel: str
    provider_id: int | None
    account_id: int | None
    payee_name: str
    reference: str
    attempt: int
    reissue_of: int | None


@dataclass(frozen=True, slots=True)
class Excluded:
    entitlement_id: int
    beneficiary_id: int
    commune_id: int
    reason: str
    months: int
    amount: int


@dataclass(frozen=True)
class Params:
    #: the cycle's first month; `through` its last (a cycle covers one or two consecutive
    #: months, e.g. January and February paid together before Tết)
    month: date
    province_code: str
    cash_provider_id: int | None
    #: people paid into an account with a proof of life older than this date (due before the
    #: month began) or none are excluded (ADR 0011)
    proof_of_life_cutoff: date | None
    #: "cash" or "hold": what an unverified or closed account does this month
    account_fallback: str = "cash"
    #: (entitlement, month) pairs that already have a live line: never paid again
    already_live: frozenset[tuple[int, date]] = field(default_factory=frozenset)
    #: the last month the cycle pays (None: the cycle covers `month` only)
    through: date | None = None

    @property
    def last_month(self) -> date:
        return self.through or self.month

    @property
    def months(self) -> list[date]:
        """The months the cycle covers, in order."""
        return list(months_range(self.month, self.last_month))


def check_digits(body: str) -> str:
    """ISO 7064 MOD 97-10 check digits over the digits of `body` (as for IBANs)."""
    return f"{98 - (int(body) * 100) % 97:02d}"


@lru_cache(maxsize=256)
def _reference_prefix(province_code: str, period: date) -> str:
    return f"{int(province_code):02d}{period.year:04d}{period.month:02d}"


def payment_reference(province_code: str, period: date, entitlement_id: int, attempt: int) -> str:
    """The same line (province, month, entitlement, attempt) always gets the same reference;
    two check digits catch a mistyped reference in a results file."""
    body = f"{_reference_prefix(province_code, period)}{entitlement_id:010d}{attempt:02d}"
    return f"{body}{98 - (int(body) * 100) % 97:02d}"


def reference_is_valid(reference: str) -> bool:
    if len(reference) != 22 or not reference.isdigit():
        return False
    return check_digits(reference[:-2]) == reference[-2:]


def months_due(item: Item, month: date, through: date | None = None) -> list[date]:
    """The months of an entitlement payable in the cycle of `month` (to `through`, its last
    month, when it covers two), arrears included. Eligibility is judged per month: a benefit
    ending in the first month gets only that month, one starting in the second only the
    second."""
    through = through or month
    if item.benefit_type in ONE_OFF:
        if item.paid_through is not None:
            return []  # a one-off benefit is paid once
        period = item.start_month or month
        return [period] if period <= through else []
    first = item.start_month or month
    if item.paid_through is not None:
        first = max(first, add_months(item.paid_through, 1))
    last = through if item.end_month is None else min(through, item.end_month)
    return list(months_range(first, last)) if first <= last else []


def _exclusion(item: Item, params: Params, channel: str) -> str:
    if item.beneficiary_status == DECEASED or item.register_outcome == DECEASED:
        return "deceased"
    if item.entitlement_status == SUSPENDED or item.beneficiary_status == SUSPENDED:
        return "suspended"
    if (
        channel in ACCOUNT_CHANNELS
        and params.proof_of_life_cutoff is not None
        and (item.proof_of_life_on is None or item.proof_of_life_on < params.proof_of_life_cutoff)
    ):
        return "proof_of_life"
    return ""


def route(item: Item, params: Params) -> tuple[str, int | None, int | None]:
    """(channel, provider, account) for this month, or ("", None, None) to hold."""
    method = item.method or CASH_PAY_POINT
    if method in ACCOUNT_CHANNELS:
        if item.account_id is not None and item.account_status == VERIFIED:
            return method, item.provider_id, item.account_id
        if params.account_fallback == FALLBACK_HOLD:
            return "", None, None
        return CASH_PAY_POINT, params.cash_provider_id, None
    return method, params.cash_provider_id, None


def compute_payroll(
    items: Iterable[Item], params: Params, reissues: Iterable[Reissue] = ()
) -> tuple[list[Line], list[Excluded]]:
    """Lines and exclusions of one cycle (small cycles and tests; see `iter_payroll`)."""
    excluded: list[Excluded] = []
    lines = list(iter_payroll(items, params, reissues, excluded))
    return lines, excluded


# over the limits: the per-entitlement loop of a cycle of millions of lines; the common case
# (paid through last month, running all the cycle) is tested inline and the locals hoisted,
# because a function call per entitlement costs measurable time (bench/cycle_bench.py)
def iter_payroll(
    items: Iterable[Item], params: Params, reissues: Iterable[Reissue], excluded: list[Excluded]
) -> Iterator[Line]:
    """Stream the lines of one cycle; exclusions are appended to `excluded`. Re-issues follow
    today's routing of their entitlement (a closed account now goes to cash) and are dropped
    when the person is now excluded."""
    by_entitlement: dict[int, list[Reissue]] = {}
    for r in reissues:
        by_entitlement.setdefault(r.entitlement_id, []).append(r)
    live = params.already_live
    province = params.province_code
    month, through = params.month, params.last_month
    covered = params.months
    previous = add_months(month, -1)
    reference = payment_reference
    for item in items:
        ent = item.entitlement_id
        # the common case without building a range: paid through last month, running for
        # every month of the cycle (one line per month, each with its own reference)
        if (
            item.paid_through == previous
            and item.benefit_type not in ONE_OFF
            and (item.start_month is None or item.start_month <= month)
            and (item.end_month is None or item.end_month >= through)
        ):
            due = [m for m in covered if (ent, m) not in live] if live else covered
        else:
            due = [m for m in months_due(item, month, through) if (ent, m) not in live]
        again = by_entitlement.pop(ent, None) if by_entitlement else None
        if not due and not again:
            continue
        channel, provider, account = route(item, params)
        reason = _exclusion(item, params, channel or item.method)
        if not reason and not channel:
            reason = "account_hold"
        if reason:
            excluded.append(_excluded(item, reason, due, again))
            continue
        for m in due:
            yield Line(
                ent,
                item.beneficiary_id,
                item.commune_id,
                item.benefit_type,
                m,
                item.amount,
                channel,
                provider,
                account,
                item.payee_name,
                reference(province, m, ent, 1),
                1,
                None,
            )
        if again:
            yield from _reissued(item, again, channel, provider, account, province)


def _excluded(item: Item, reason: str, due: list[date], again: list[Reissue] | None) -> Excluded:
    """The exclusion of an entitlement: its months due and its re-issues, with their total."""
    total = item.amount * len(due) + sum(r.amount for r in again or ())
    return Excluded(
        item.entitlement_id,
        item.beneficiary_id,
        item.commune_id,
        reason,
        len(due) + len(again or ()),
        total,
    )


def _reissued(
    item: Item,
    again: list[Reissue],
    channel: str,
    provider: int | None,
    account: int | None,
    province: str,
) -> Iterator[Line]:
    """The lines re-issuing failed payments of an entitlement, on today's route."""
    ent = item.entitlement_id
    for r in again:
        yield Line(
            ent,
            item.beneficiary_id,
            item.commune_id,
            item.benefit_type,
            r.period_month,
            r.amount,
            channel,
            provider,
            account,
            item.payee_name,
            payment_reference(province, r.period_month, ent, r.attempt),
            r.attempt,
            r.line_id,
        )
