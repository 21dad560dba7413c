"""The SQL form of the payroll rule's plain case (PostgreSQL; ADR 0005 decision 4, ADR 0013).

A *plain* snapshot row is the month-after-month case: paid through last month, a monthly
benefit running for every month of the cycle, nobody deceased or suspended, no re-issue or
live line waiting, and routed to a verified account with a recent proof of life or to cash.
For such a row `rule.iter_payroll` gives exactly one line for each month of the cycle (attempt
1, each month's own reference), which the SELECT below reproduces in the database; every
other row - arrears, one-off benefits, a benefit ending or starting within the cycle,
exclusions, holds, re-issues - is read with the complementary condition
(`rest_condition`) and goes through the rule in Python.

The SQL reads the rule's own constants (`rule.ACCOUNT_CHANNELS`, `rule.ONE_OFF`, the statuses)
so that both sides name the same values; tests/engine/test_payroll_sql_pg.py computes
hypothesis-generated snapshots both ways on PostgreSQL and requires the same lines and
exclusions. The text is for a DB-API cursor with the `%s` parameter style (psycopg, Django):
a literal `%` is written `%%`. No Django here: the service (`disbursement.services`) writes
the lines from `plain_lines` with one INSERT ... SELECT."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from chitra.engine.payroll.rule import (
    ACCOUNT_CHANNELS,
    CASH_PAY_POINT,
    DECEASED,
    FALLBACK_CASH,
    ONE_OFF,
    SUSPENDED,
    VERIFIED,
    Params,
    Reissue,
    add_months,
    payment_reference,
)

#: the entitlements the SQL must leave to the rule (a re-issue or a live line waiting)
SLOW_TABLE = "tmp_payroll_slow"
#: a reference holds the entitlement in 10 digits: larger ids go to the rule
MAX_PLAIN_ENTITLEMENT = 10**10
#: the columns of `plain_lines`, in order (a subset of `rule.Line`'s fields)
PLAIN_LINE_FIELDS = (
    "entitlement_id",
    "beneficiary_id",
    "commune_id",
    "benefit_type",
    "period_month",
    "amount",
    "channel",
    "provider_id",
    "account_id",
    "payee_name",
    "reference",
)


class Sql(NamedTuple):
    text: str
    params: tuple[Any, ...]


def _lit(value: str) -> str:
    """A constant of the rule as an SQL literal (they are plain identifiers)."""
    assert value.replace("_", "").isalnum(), value
    return f"'{value}'"


def prepare_slow(cursor: Any, params: Params, reissues: Iterable[Reissue]) -> None:
    """Fill the temporary table of entitlements the rule must compute (on a DB-API cursor of
    the transaction that runs `plain_lines`; emptied at commit)."""
    slow = sorted({e for e, _m in params.already_live} | {r.entitlement_id for r in reissues})
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {SLOW_TABLE} (id bigint PRIMARY KEY) "
        "ON COMMIT DELETE ROWS"
    )
    cursor.execute(f"DELETE FROM {SLOW_TABLE}")
    if slow:
        cursor.execute(f"INSERT INTO {SLOW_TABLE} SELECT unnest(%s::bigint[])", [slow])


def _account_route(params: Params) -> Sql:
    """Paid into the row's own account: a verified account (with a recent proof of life
    when the cycle asks for one)."""
    accounts = sorted(ACCOUNT_CHANNELS)
    verified = (
        f"(i.method = ANY(%s) AND i.account_id IS NOT NULL AND i.account_status = {_lit(VERIFIED)})"
    )
    if params.proof_of_life_cutoff is None:
        return Sql(f"({verified} AND TRUE)", (accounts,))
    alive = "(i.proof_of_life_on IS NOT NULL AND i.proof_of_life_on >= %s)"
    return Sql(f"({verified} AND {alive})", (accounts, params.proof_of_life_cutoff))


def plain_condition(params: Params) -> Sql:
    """The plain rows of the snapshot (alias `i`; `prepare_slow` filled the slow table)."""
    accounts = sorted(ACCOUNT_CHANNELS)
    account = _account_route(params)
    # routed to an account (checked alive), or to cash: no method, a cash method, or (when
    # the cycle's fallback is cash) an account method without a verified account
    verified = (
        f"(i.method = ANY(%s) AND i.account_id IS NOT NULL AND i.account_status = {_lit(VERIFIED)})"
    )
    cash_fallback = params.account_fallback == FALLBACK_CASH
    routed = f"({account.text} OR NOT (i.method = ANY(%s))" + (
        f" OR NOT {verified})" if cash_fallback else ")"
    )
    routed_params = (*account.params, accounts, *((accounts,) if cash_fallback else ()))
    text = (
        f"(i.paid_through IS NOT NULL AND i.paid_through = %s "
        f"AND NOT (i.benefit_type = ANY(%s)) "
        f"AND (i.start_month IS NULL OR i.start_month <= %s) "
        f"AND (i.end_month IS NULL OR i.end_month >= %s) "
        f"AND i.beneficiary_status <> {_lit(DECEASED)} "
        f"AND i.register_outcome <> {_lit(DECEASED)} "
        f"AND i.entitlement_status <> {_lit(SUSPENDED)} "
        f"AND i.beneficiary_status <> {_lit(SUSPENDED)} "
        f"AND i.entitlement_id < {MAX_PLAIN_ENTITLEMENT} "
        f"AND NOT EXISTS (SELECT 1 FROM {SLOW_TABLE} s WHERE s.id = i.entitlement_id) "
        f"AND {routed})"
    )
    return Sql(
        text,
        (
            add_months(params.month, -1),
            sorted(ONE_OFF),
            params.month,
            params.last_month,
            *routed_params,
        ),
    )


def rest_condition(params: Params) -> Sql:
    """The other rows (alias `i`), for the rule in Python."""
    plain = plain_condition(params)
    return Sql(f"({plain.text}) IS NOT TRUE", plain.params)


def plain_lines(params: Params, items_table: str, where: Sql | None = None) -> Sql:
    """SELECT the lines of the plain rows of `items_table` (alias `i`, the columns of
    `rule.Item`; `where` narrows it, e.g. to one cycle), as `PLAIN_LINE_FIELDS`, in no
    order. Routing as `rule.route`; the reference as `rule.payment_reference` (attempt 1)."""
    accounts = sorted(ACCOUNT_CHANNELS)
    account = _account_route(params)
    channel = Sql(
        f"CASE WHEN {account.text} THEN i.method "
        f"WHEN i.method = ANY(%s) OR i.method = '' THEN {_lit(CASH_PAY_POINT)} "
        f"ELSE i.method END",
        (*account.params, accounts),
    )
    plain = plain_condition(params)
    # each month of the cycle with its reference prefix (8 digits) and check-digit constant:
    # the reference is prefix + entitlement (10) + attempt 01, then the ISO 7064 check digits
    # 98 - (body * 100 mod 97): in integers, body * 100 = prefix * 10^14 + entitlement * 10^4
    # + 100, so only the entitlement's part varies (no numeric type)
    periods: list[Any] = []
    for m in params.months:
        prefix = payment_reference(params.province_code, m, 0, 1)[:8]
        periods += [m, prefix, (int(prefix) * 10**14 + 100) % 97]
    values = ", ".join(["(%s::date, %s::text, %s::int)"] * len(params.months))
    reference = (
        "(mo.prefix || lpad(r.entitlement_id::text, 10, '0') || '01' || lpad((98 - "
        f"(mo.k + (r.entitlement_id %% 97) * {10**4 % 97}) %% 97)::text, 2, '0'))"
    )
    narrow = f"{where.text} AND " if where else ""
    text = f"""
    SELECT r.entitlement_id, r.beneficiary_id, r.commune_id, r.benefit_type,
        mo.period AS period_month, r.amount, r.channel, r.provider_id, r.account_id,
        r.payee_name, {reference} AS reference
    FROM (
        SELECT i.entitlement_id, i.beneficiary_id, i.commune_id, i.benefit_type, i.amount,
            i.payee_name, {channel.text} AS channel,
            CASE WHEN {account.text} THEN i.provider_id ELSE %s END AS provider_id,
            CASE WHEN {account.text} THEN i.account_id END AS account_id
        FROM {items_table} i WHERE {narrow}{plain.text}
    ) r
    CROSS JOIN (VALUES {values}) AS mo(period, prefix, k)"""
    return Sql(
        text,
        (
            *channel.params,
            *account.params,
            params.cash_provider_id,
            *account.params,
            *(where.params if where else ()),
            *plain.params,
            *periods,
        ),
    )
