"""Writes of the payment cycle. Every transition is one audited service in one transaction;
an illegal transition is refused with a message naming the state and what is needed."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core.audit import audit_record
from chitra.core.bulk import analyze, bulk_session, copy_rows
from chitra.core.errors import ChitraError
from chitra.core.states import require_transition
from chitra.disbursement.models import (
    BATCH,
    CASH_CHANNELS,
    CYCLE,
    DEAD_LINE_STATUSES,
    LINE,
    Batch,
    Channel,
    Cycle,
    CycleItem,
    CycleMonth,
    CycleStatus,
    Exclusion,
    LineEvent,
    LineStatus,
    PayrollLine,
    PaySchedule,
    months_label,
)
from chitra.engine import payroll as engine
from chitra.engine.payroll import sql as payroll_sql
from chitra.geo.models import Province
from chitra.iam.access import Perm, require_perm
from chitra.kernel.months import month_start
from chitra.payment_methods.models import Account, PaymentMethod, Provider
from chitra.registry.models import Beneficiary, Entitlement, Representative
from chitra.verification.models import PersonStatus

if TYPE_CHECKING:
    from chitra.iam.models import User

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]


def _noop(phase: str, done: int, total: int) -> None:
    pass


def _refuse(cycle: Cycle, action: str, needed: str) -> ChitraError:
    return ChitraError(
        _("Cycle %(month)s is %(state)s: it cannot be %(action)s (it must be %(needed)s).")
        % {
            "month": cycle.months_label,
            "state": cycle.get_status_display(),
            "action": action,
            "needed": needed,
        }
    )


def _lock(cycle: Cycle, actor: User) -> Cycle:
    """The cycle, locked for its step; only the actor's own province's (national users any)."""
    locked = Cycle.objects.select_for_update(of=("self",)).get(pk=cycle.pk)
    if not actor.is_national and actor.area_province_id != locked.province_id:
        raise ChitraError(_("This cycle is not of your province."))
    return locked


def _snapshot(cycle: Cycle) -> dict[str, Any]:
    return {"status": cycle.status, "lines": cycle.line_count, "total": cycle.total_amount}


# --- open -------------------------------------------------------------------------------------


def pay_days(province: Province) -> tuple[int, int]:
    """(day accounts are credited, day cash is paid from) of a province: its pay schedule,
    or the settings' defaults (the 5th and the 2nd)."""
    schedule = PaySchedule.objects.filter(province=province).first()
    if schedule is not None:
        return schedule.account_credit_day, schedule.cash_from_day
    return settings.CHITRA_ACCOUNT_CREDIT_DAY, settings.CHITRA_CASH_FROM_DAY


def scheduled_pay_dates(province: Province, month: dt.date) -> tuple[dt.date, dt.date]:
    """The pay dates of a cycle of `month` by the province's schedule: (accounts credited,
    cash from). A two-month cycle pays both months on its first month's dates."""
    account_day, cash_day = pay_days(province)
    return month.replace(day=account_day), month.replace(day=cash_day)


def suggested_months(month: dt.date) -> int:
    """2 when the cycle of `month` is usually paid together with the next month (January,
    before Tết: CHITRA_TWO_MONTH_CYCLES), else 1."""
    return 2 if month.month in settings.CHITRA_TWO_MONTH_CYCLES else 1


def _check_pay_dates(month: dt.date, account_credit_date: dt.date, cash_from_date: dt.date) -> None:
    """Pay dates fall in the cycle's first month or the month before it (paying early, e.g.
    before Tết)."""
    first = engine.add_months(month, -1)
    last = engine.add_months(month, 1) - dt.timedelta(days=1)
    for label, value in (
        (_("The date accounts are credited"), account_credit_date),
        (_("The date cash is paid from"), cash_from_date),
    ):
        if not first <= value <= last:
            raise ChitraError(
                _(
                    "%(what)s (%(value)s) must fall between %(first)s and "
                    "%(last)s for the cycle of %(month)s."
                )
                % {
                    "what": label,
                    "value": f"{value:%d/%m/%Y}",
                    "first": f"{first:%d/%m/%Y}",
                    "last": f"{last:%d/%m/%Y}",
                    "month": f"{month:%m/%Y}",
                }
            )


def cycle_create(
    *,
    actor: User,
    month: dt.date,
    province: Province | None = None,
    months: int = 1,
    account_credit_date: dt.date | None = None,
    cash_from_date: dt.date | None = None,
) -> Cycle:
    """Open the cycle of `month`, paying `months` (1 or 2) consecutive months: before Tết
    January and February are paid together in January, one line per entitlement and month.
    The pay dates are the province's schedule unless given. No month is paid by two cycles
    of a province (the database refuses it: `CycleMonth`)."""
    require_perm(actor, Perm.PAYMENT_RUN)
    province = _cycle_province(actor, province)
    if months not in (1, 2):
        raise ChitraError(
            _("A payment cycle pays one month or two consecutive months, not %(n)s.")
            % {"n": months}
        )
    month = month_start(month)
    last = engine.add_months(month, months - 1)
    account_default, cash_default = scheduled_pay_dates(province, month)
    account_credit_date = account_credit_date or account_default
    cash_from_date = cash_from_date or cash_default
    _check_pay_dates(month, account_credit_date, cash_from_date)
    covered = list(engine.months_range(month, last))
    try:
        with transaction.atomic():
            cycle = Cycle.objects.create(
                province=province,
                month=month,
                last_month=last,
                account_credit_date=account_credit_date,
                cash_from_date=cash_from_date,
                created_by=actor,
                account_fallback=settings.CHITRA_ACCOUNT_FALLBACK,
            )
            CycleMonth.objects.bulk_create(
                [CycleMonth(cycle=cycle, province=province, month=m) for m in covered]
            )
            audit_record(
                actor,
                "cycle.create",
                obj=cycle,
                after={
                    "province": province.code,
                    "month": month.isoformat(),
                    "last_month": last.isoformat(),
                    "account_credit_date": account_credit_date.isoformat(),
                    "cash_from_date": cash_from_date.isoformat(),
                },
            )
    except IntegrityError:
        raise _month_taken(province, covered, month, last) from None
    return cycle


def _cycle_province(actor: User, province: Province | None) -> Province:
    """The province of a new cycle: the one given (the actor's own unless national), else the
    actor's, else the default province."""
    if province is None:
        if actor.area_province_id is not None:
            province = actor.area_province
        else:
            province = Province.objects.get(code=settings.CHITRA_DEFAULT_PROVINCE)
    elif not actor.is_national and province.pk != actor.area_province_id:
        raise ChitraError(_("You can only create cycles of your own province."))
    assert province is not None
    return province


def _month_taken(
    province: Province, covered: list[dt.date], month: dt.date, last: dt.date
) -> ChitraError:
    """The error of a cycle refused by the database: a month it covers is another cycle's (or
    is being created by a concurrent one)."""
    taken = (
        CycleMonth.objects.filter(province=province, month__in=covered)
        .select_related("cycle")
        .order_by("month")
        .first()
    )
    if taken is None:  # a concurrent creation that has not committed yet
        return ChitraError(
            _("A payment cycle for %(month)s is being created in %(province)s.")
            % {"month": months_label(month, last), "province": province}
        )
    return ChitraError(
        _(
            "A payment cycle paying %(month)s already exists in %(province)s "
            "(the cycle of %(cycle)s): a month is paid by one cycle only."
        )
        % {
            "month": f"{taken.month:%m/%Y}",
            "cycle": taken.cycle.months_label,
            "province": province,
        }
    )


def cycle_set_pay_dates(
    *,
    actor: User,
    cycle: Cycle,
    account_credit_date: dt.date,
    cash_from_date: dt.date,
    reason: str = "",
) -> Cycle:
    """Change a cycle's scheduled pay dates (an officer, until the files are released: they
    carry the account credit date as the requested execution date). Audited with the
    dates before and after."""
    require_perm(actor, Perm.PAYMENT_RUN)
    with transaction.atomic():
        cycle = _lock(cycle, actor)
        require_transition(
            CYCLE,
            cycle.status,
            "set_pay_dates",
            lambda: _refuse(cycle, _("given other pay dates"), _("not yet released")),
        )
        _check_pay_dates(cycle.month, account_credit_date, cash_from_date)
        before = {
            "account_credit_date": cycle.account_credit_date.isoformat(),
            "cash_from_date": cycle.cash_from_date.isoformat(),
        }
        cycle.account_credit_date = account_credit_date
        cycle.cash_from_date = cash_from_date
        cycle.save(update_fields=["account_credit_date", "cash_from_date", "updated_at"])
        audit_record(
            actor,
            "cycle.pay_dates",
            obj=cycle,
            before=before,
            reason=reason,
            after={
                "account_credit_date": account_credit_date.isoformat(),
                "cash_from_date": cash_from_date.isoformat(),
            },
        )
    return cycle


def pay_schedule_set(
    *, actor: User, province: Province, account_credit_day: int, cash_from_day: int
) -> PaySchedule:
    """The province's pay days (its BHXH admin): cycles opened afterwards take them."""
    require_perm(actor, Perm.PAY_SCHEDULE_EDIT)
    if not actor.is_national and province.pk != actor.area_province_id:
        raise ChitraError(_("You can only set the pay days of your own province."))
    for value in (account_credit_day, cash_from_day):
        if not 1 <= value <= 28:
            raise ChitraError(
                _(
                    "A pay day is a day of the month from 1 to 28 (every month "
                    "has it), not %(value)s."
                )
                % {"value": value}
            )
    with transaction.atomic():
        schedule = PaySchedule.objects.select_for_update().filter(province=province).first()
        before = None
        if schedule is None:
            schedule = PaySchedule(province=province)
        else:
            before = {
                "account_credit_day": schedule.account_credit_day,
                "cash_from_day": schedule.cash_from_day,
            }
        schedule.account_credit_day = account_credit_day
        schedule.cash_from_day = cash_from_day
        schedule.updated_by = actor
        schedule.save()
        audit_record(
            actor,
            "payment.pay_schedule",
            obj=schedule,
            before=before,
            after={
                "province": province.code,
                "account_credit_day": account_credit_day,
                "cash_from_day": cash_from_day,
            },
        )
    return schedule


# --- open -> frozen ---------------------------------------------------------------------------


def _q(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def cycle_freeze(*, actor: User, cycle: Cycle) -> Cycle:
    """Take the snapshot: every entitlement of the province with its method, account and payee
    as they stand now. Refused while an earlier cycle of the province is not released."""
    require_perm(actor, Perm.PAYMENT_RUN)
    with transaction.atomic():
        cycle = _lock(cycle, actor)
        require_transition(
            CYCLE, cycle.status, "freeze", lambda: _refuse(cycle, _("frozen"), _("open"))
        )
        _refuse_if_earlier_unreleased(cycle)
        bulk_session()
        count = _insert_snapshot(cycle)
        before = _snapshot(cycle)
        cycle.status = CycleStatus.FROZEN
        cycle.frozen_at = timezone.now()
        cycle.frozen_by = actor
        cycle.snapshot_count = count
        cycle.save()
        audit_record(
            actor,
            "cycle.freeze",
            obj=cycle,
            before=before,
            after={"status": cycle.status, "snapshot": count},
        )
    return cycle


def _refuse_if_earlier_unreleased(cycle: Cycle) -> None:
    earlier = Cycle.objects.filter(
        province=cycle.province,
        month__lt=cycle.month,
        status__in=[
            CycleStatus.OPEN,
            CycleStatus.FROZEN,
            CycleStatus.COMPUTED,
            CycleStatus.APPROVED,
        ],
    )
    if earlier.exists():
        first = earlier.order_by("month").first()
        assert first is not None
        raise ChitraError(
            _("The cycle of %(month)s must be released first.") % {"month": first.months_label}
        )


def _insert_snapshot(cycle: Cycle) -> int:
    """Insert the cycle's items (one SQL statement over the province's entitlements, with the
    method, account and payee in force); the number of items."""
    if connection.vendor == "postgresql":
        # one province of a national registry: the planner's row estimates are far too low
        # and it picks nested loops; hash joins over the province's rows are what fits
        with connection.cursor() as cur:
            cur.execute("SELECT set_config('enable_nestloop', 'off', true)")
    month = connection.ops.adapt_datefield_value(cycle.month)
    sql = f"""
    INSERT INTO {_q(CycleItem)} (cycle_id, entitlement_id, beneficiary_id, commune_id,
        benefit_type, amount, start_month, end_month, paid_through, entitlement_status,
        beneficiary_status, register_outcome, proof_of_life_on, method, account_id,
        account_status, provider_id, payee_name)
    SELECT %s, e.id, b.id, b.commune_id, e.benefit_type, e.monthly_amount, e.start_month,
        e.end_month, e.paid_through, e.status, b.status, COALESCE(ps.outcome, ''),
        b.proof_of_life_on,
        COALESCE(pm.method, ''), pm.account_id, COALESCE(a.status, ''), a.provider_id,
        COALESCE(r.full_name, b.full_name)
    FROM {_q(Entitlement)} e
    JOIN {_q(Beneficiary)} b ON b.id = e.beneficiary_id
    JOIN geo_commune c ON c.id = b.commune_id
    LEFT JOIN {_q(PersonStatus)} ps ON ps.beneficiary_id = b.id
    LEFT JOIN (
        SELECT beneficiary_id, method, account_id, payee_representative_id,
               ROW_NUMBER() OVER (PARTITION BY beneficiary_id
                                  ORDER BY effective_month DESC) AS rn
        FROM {_q(PaymentMethod)} WHERE effective_month <= %s
    ) pm ON pm.beneficiary_id = b.id AND pm.rn = 1
    LEFT JOIN {_q(Account)} a ON a.id = pm.account_id
    LEFT JOIN {_q(Representative)} r ON r.id = pm.payee_representative_id
    WHERE c.province_id = %s AND e.status <> 'stopped' AND b.status <> 'inactive'
    ORDER BY e.id
    """  # in entitlement order: the unique index and later reads go page after page
    with connection.cursor() as cur:
        cur.execute(sql, [cycle.pk, month, cycle.province_id])
        count = cur.rowcount
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT set_config('enable_nestloop', 'on', true)")
        analyze(CycleItem)  # as the owner: the application's role owns no table
    return int(count)


# --- frozen -> computed -----------------------------------------------------------------------

ITEM_FIELDS = (
    "entitlement_id",
    "beneficiary_id",
    "commune_id",
    "benefit_type",
    "amount",
    "start_month",
    "end_month",
    "paid_through",
    "entitlement_status",
    "beneficiary_status",
    "register_outcome",
    "proof_of_life_on",
    "method",
    "account_id",
    "account_status",
    "provider_id",
    "payee_name",
)
LINE_COLUMNS = (
    "cycle",
    "batch",
    "entitlement",
    "beneficiary",
    "commune",
    "benefit_type",
    "period_month",
    "amount",
    "channel",
    "provider",
    "account",
    "payee_name",
    "reference",
    "attempt",
    "reissue_of",
    "status",
    "live",
    "reason_code",
    "action",
    "updated_at",
)


def cash_provider() -> Provider | None:
    return Provider.objects.filter(code=settings.CHITRA_CASH_PROVIDER).first()


def _proof_of_life_cutoff(month: dt.date) -> dt.date:
    from chitra.verification.services import proof_of_life_cutoff

    return proof_of_life_cutoff(month)


def batch_reference(cycle: Cycle, provider: Provider | None, channel: str, sequence: int) -> str:
    short = {
        "BANK_ACCOUNT": "CK",
        "MOBILE_MONEY": "MM",
        "EWALLET": "VD",
        "CASH_PAY_POINT": "TM",
        "CASH_HOME": "TN",
    }[channel]
    code = provider.code if provider else "NA"
    return f"{cycle.province.code}{cycle.month:%Y%m}-{code}-{short}-{sequence}"[:35]


class _Batcher:
    """The batches of a cycle, created before the lines are written (a COPY in progress allows
    no other statement on its connection); their control totals are counted from the lines
    at the end (`save`)."""

    def __init__(self, cycle: Cycle, sequence: int = 0) -> None:
        self.cycle = cycle
        self.sequence = sequence
        self.ids: dict[tuple[int | None, str], int] = {}
        self.totals: dict[int, list[int]] = {}
        self.providers = {p.pk: p for p in Provider.objects.all()}

    def prepare(self, keys: set[tuple[int | None, str]]) -> None:
        for provider_id, channel in sorted(keys, key=lambda k: (k[1], k[0] or 0)):
            self.batch_id(provider_id, channel)

    def batch_id(self, provider_id: int | None, channel: str) -> int:
        key = (provider_id, channel)
        bid = self.ids.get(key)
        if bid is None:
            provider = self.providers.get(provider_id) if provider_id else None
            batch = Batch.objects.create(
                cycle=self.cycle,
                provider=provider,
                channel=channel,
                sequence=self.sequence,
                reference=batch_reference(self.cycle, provider, channel, self.sequence),
            )
            bid = self.ids[key] = batch.pk
            self.totals[bid] = [0, 0]
        return bid

    def known(self, provider_id: int | None, channel: str) -> int:
        try:
            return self.ids[(provider_id, channel)]
        except KeyError:
            raise RuntimeError(f"no batch prepared for {provider_id} {channel}") from None

    def save(self) -> None:
        """Store the control totals, counted from the lines themselves; drop the batches that
        got no line."""
        ids = sorted(self.totals)
        if not ids:
            return
        counted = {
            bid: [n, s]
            for bid, n, s in PayrollLine.objects.filter(batch_id__in=ids)
            .exclude(status=LineStatus.CANCELLED)
            .order_by()
            .values_list("batch_id")
            .annotate(n=Count("id"), s=Sum("amount"))
            .values_list("batch_id", "n", "s")
        }
        for bid in ids:
            n, amount = counted.get(bid, [0, 0])
            self.totals[bid] = [n, amount or 0]
            if n:
                Batch.objects.filter(pk=bid).update(declared_count=n, declared_amount=amount)
            else:
                Batch.objects.filter(pk=bid).delete()


def _batch_keys(cycle: Cycle, cash_provider_id: int | None) -> set[tuple[int | None, str]]:
    """Every (provider, channel) a line of this cycle can be routed to."""
    keys: set[tuple[int | None, str]] = {
        (cash_provider_id, Channel.CASH_PAY_POINT),
        (cash_provider_id, Channel.CASH_HOME),
    }
    keys |= set(
        CycleItem.objects.filter(
            cycle=cycle, account_status="verified", method__in=sorted(engine.ACCOUNT_CHANNELS)
        )
        .values_list("provider_id", "method")
        .distinct()
    )
    return keys


CHUNK = 50_000


def _items(
    cycle: Cycle, where: str = "", where_params: tuple[Any, ...] = ()
) -> Iterator[engine.Item]:
    """The snapshot in entitlement order (optionally only rows matching `where`), read in
    keyset pages (each a finished query: the lines are written between two pages)."""
    fields = ", ".join(ITEM_FIELDS)
    table, params = _q(CycleItem), [cycle.pk]
    if where:
        # the few rows the condition leaves, gathered by one scan, then paged (paging the
        # snapshot itself would walk its whole index for each page)
        table, params = "tmp_payroll_rest", []
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {table}")
            cur.execute(
                f"CREATE TEMP TABLE {table} ON COMMIT DROP AS SELECT {fields} "
                f"FROM {_q(CycleItem)} i WHERE cycle_id = %s AND {where}",
                [cycle.pk, *where_params],
            )
            cur.execute(f"CREATE INDEX ON {table} (entitlement_id)")
    sql = (
        f"SELECT {fields} FROM {table} WHERE {'cycle_id = %s AND ' if not where else ''}"
        f"entitlement_id > %s ORDER BY entitlement_id LIMIT {CHUNK}"
    )
    make = engine.Item._make
    sqlite = connection.vendor != "postgresql"
    last = 0
    while True:
        with connection.cursor() as cur:
            cur.execute(sql, [*params, last])
            page = cur.fetchall()
        if not page:
            return
        if sqlite:  # naive UTC date-times (or text) there
            page = [_typed_item(row) for row in page]
        yield from map(make, page)
        last = page[-1][0]


_DATE_FIELDS = [
    ITEM_FIELDS.index(f) for f in ("start_month", "end_month", "paid_through", "proof_of_life_on")
]


def _typed_item(row: tuple[Any, ...]) -> tuple[Any, ...]:
    values = list(row)
    for i in _DATE_FIELDS:
        if values[i] is not None and not isinstance(values[i], dt.date):
            values[i] = dt.date.fromisoformat(str(values[i]))
    return tuple(values)


def _line_rows(
    cycle: Cycle, lines: Iterator[engine.Line], batcher: _Batcher, progress: Progress, total: int
) -> Iterator[tuple[Any, ...]]:
    now = timezone.now()
    status = LineStatus.ISSUED.value
    for n, ln in enumerate(lines, 1):
        bid = batcher.known(ln.provider_id, ln.channel)
        if n % 50_000 == 0:
            progress("compute", n, total)
        yield (
            cycle.pk,
            bid,
            ln.entitlement_id,
            ln.beneficiary_id,
            ln.commune_id,
            ln.benefit_type,
            ln.period_month,
            ln.amount,
            ln.channel,
            ln.provider_id,
            ln.account_id,
            ln.payee_name[:150],
            ln.reference,
            ln.attempt,
            ln.reissue_of,
            status,
            True,
            "",
            "",
            now,
        )


def _pending_reissues(cycle: Cycle) -> list[engine.Reissue]:
    """Lines of earlier cycles whose month is owed again - failed, returned after payment or
    cancelled - with the action 'retry next cycle', not yet re-issued."""
    qs = PayrollLine.objects.filter(
        cycle__province=cycle.province,
        cycle__month__lt=cycle.month,
        status__in=sorted(DEAD_LINE_STATUSES),
        action="retry",
        reissue__isnull=True,
    ).values_list("pk", "entitlement_id", "period_month", "amount", "attempt")
    return [
        engine.Reissue(pk, ent, period, amount, attempt + 1)
        for pk, ent, period, amount, attempt in qs
    ]


def _already_live(cycle: Cycle) -> frozenset[tuple[int, dt.date]]:
    """Months after an entitlement's paid-through month that already have a line in another
    cycle: a live one (sent, its result awaited; paid after a failed earlier month; a
    re-issue waiting) is never paid twice, and a dead one (failed, returned, cancelled) is
    owed through its re-issue or held by its reason's action, never as a fresh line.
    `paid_through` moves only when a line is paid, so these are the months whose result is
    awaited or was not a payment; at steady state there are none."""
    lines, items = _q(PayrollLine), _q(CycleItem)
    sql = (
        f"SELECT DISTINCT l.entitlement_id, l.period_month FROM {lines} l "
        f"JOIN {items} i ON i.entitlement_id = l.entitlement_id AND i.cycle_id = %s "
        f"WHERE l.cycle_id <> %s "
        f"AND (i.paid_through IS NULL OR l.period_month > i.paid_through)"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [cycle.pk, cycle.pk])
        rows = cur.fetchall()
    return frozenset((int(e), _as_date(p)) for e, p in rows)


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _clear_computed(cycle: Cycle) -> None:
    line_ids = PayrollLine.objects.filter(cycle=cycle).values("pk")
    LineEvent.objects.filter(Q(line__in=line_ids) | Q(cycle=cycle)).delete()
    PayrollLine.objects.filter(cycle=cycle).delete()
    Exclusion.objects.filter(cycle=cycle).delete()
    Batch.objects.filter(cycle=cycle).delete()


def cycle_compute(*, actor: User, cycle: Cycle, progress: Progress = _noop) -> Cycle:
    """Compute the payroll of a frozen cycle (freezing an open one first). A computed cycle may
    be computed again until it is approved: the same snapshot gives the same lines and the
    same references."""
    require_perm(actor, Perm.PAYMENT_RUN)
    if cycle.status == CycleStatus.OPEN:
        cycle = cycle_freeze(actor=actor, cycle=cycle)
    with transaction.atomic():
        cycle = _lock(cycle, actor)
        require_transition(
            CYCLE, cycle.status, "compute", lambda: _refuse(cycle, _("computed"), _("frozen"))
        )
        before = _snapshot(cycle)
        bulk_session()
        if cycle.status == CycleStatus.COMPUTED:
            _clear_for_recompute(cycle)
        params = _compute_params(cycle)
        total = cycle.snapshot_count
        excluded: list[engine.Excluded] = []
        batcher = _Batcher(cycle)
        batcher.prepare(_batch_keys(cycle, params.cash_provider_id))
        reissues = _pending_reissues(cycle)
        n, where, where_params = 0, "", ()
        if connection.vendor == "postgresql" and SQL_PLAIN_LINES:
            n, where, where_params = _plain_lines(cycle, params, reissues)
            progress("compute", n, total)
        lines = engine.iter_payroll(_items(cycle, where, where_params), params, reissues, excluded)
        rows = _line_rows(cycle, lines, batcher, progress, total)
        columns = [f"{c}_id" if c in _FK_LINE else c for c in LINE_COLUMNS]
        # slices: the snapshot is read between two COPYs, never during one (PostgreSQL allows
        # no other statement on a connection while its COPY runs)
        while chunk := list(itertools.islice(rows, CHUNK)):
            n += copy_rows(PayrollLine, columns, chunk)
        batcher.save()
        progress("exclusions", total, total)
        _copy_exclusions(cycle, excluded)
        now = timezone.now()
        if connection.vendor == "postgresql":
            # the table just grew by a province's payroll: plan release and results with it
            analyze(PayrollLine)
        _batch_events(cycle, "issued", now, [bid for bid, t in batcher.totals.items() if t[0]])
        _events_reissued(cycle, now)
        _save_computed(cycle, actor, now, n, len(excluded))
        audit_record(
            actor,
            "cycle.compute",
            obj=cycle,
            before=before,
            after={
                "status": cycle.status,
                "lines": n,
                "total": cycle.total_amount,
                "exclusions": len(excluded),
                "batches": sum(1 for t in batcher.totals.values() if t[0]),
            },
        )
    progress("done", total, total)
    return cycle


def _save_computed(
    cycle: Cycle, actor: User, now: dt.datetime, lines: int, exclusions: int
) -> None:
    """The cycle computed: its counts and total (summed from its lines), approvals cleared."""
    agg = PayrollLine.objects.filter(cycle=cycle).aggregate(s=Sum("amount"))
    cycle.status = CycleStatus.COMPUTED
    cycle.computed_at = now
    cycle.computed_by = actor
    cycle.approved_by = cycle.second_approved_by = None
    cycle.approved_at = cycle.second_approved_at = None
    cycle.line_count = lines
    cycle.total_amount = agg["s"] or 0
    cycle.exclusion_count = exclusions
    cycle.save()


def _clear_for_recompute(cycle: Cycle) -> None:
    """Clear a computed payroll before computing it again; refused when an approver cancelled
    lines of it (computing again would bring them back)."""
    cancelled = PayrollLine.objects.filter(cycle=cycle, status=LineStatus.CANCELLED).count()
    if cancelled:
        raise ChitraError(
            _(
                "%(n)s lines of this payroll were cancelled by an approver: "
                "computing again would bring them back. Approve it as it "
                "is."
            )
            % {"n": cancelled}
        )
    _clear_computed(cycle)


def _compute_params(cycle: Cycle) -> engine.Params:
    cash = cash_provider()
    return engine.Params(
        month=cycle.month,
        province_code=cycle.province.code,
        cash_provider_id=cash.pk if cash else None,
        proof_of_life_cutoff=_proof_of_life_cutoff(cycle.month),
        account_fallback=cycle.account_fallback,
        already_live=_already_live(cycle),
        through=cycle.last_month,
    )


def _copy_exclusions(cycle: Cycle, excluded: list[engine.Excluded]) -> None:
    copy_rows(
        Exclusion,
        [
            "cycle_id",
            "entitlement_id",
            "beneficiary_id",
            "commune_id",
            "reason",
            "months",
            "amount",
        ],
        (
            (
                cycle.pk,
                e.entitlement_id,
                e.beneficiary_id,
                e.commune_id,
                e.reason,
                e.months,
                e.amount,
            )
            for e in excluded
        ),
    )


_FK_LINE = {
    "cycle",
    "batch",
    "entitlement",
    "beneficiary",
    "commune",
    "provider",
    "account",
    "reissue_of",
}

#: on PostgreSQL, the plain rows of the snapshot are turned into lines by the database
SQL_PLAIN_LINES = True


def _plain_lines(
    cycle: Cycle, params: engine.Params, reissues: list[engine.Reissue]
) -> tuple[int, str, tuple[Any, ...]]:
    """Write the lines of the snapshot's *plain* rows with one INSERT ... SELECT, and return
    (lines written, the SQL condition of the other rows, its parameters) for the engine.

    The SELECT is the SQL form of the payroll rule's plain case (`engine.payroll.sql`, beside
    the rule; tests compare both ways, ADR 0005): here it only gets each line's batch."""
    with connection.cursor() as cur:
        payroll_sql.prepare_slow(cur, params, reissues)
    plain = payroll_sql.plain_lines(
        params, _q(CycleItem), where=payroll_sql.Sql("i.cycle_id = %s", (cycle.pk,))
    )
    columns = ", ".join(f"{c}_id" if c in _FK_LINE else c for c in LINE_COLUMNS)
    sql = f"""
    INSERT INTO {_q(PayrollLine)} ({columns})
    SELECT %s, b.id, p.entitlement_id, p.beneficiary_id, p.commune_id, p.benefit_type,
        p.period_month, p.amount, p.channel, b.provider_id, p.account_id,
        left(p.payee_name, 150), p.reference, 1, NULL, 'issued', TRUE, '', '', %s
    FROM ({plain.text}) p
    LEFT JOIN {_q(Batch)} b ON b.cycle_id = %s AND b.sequence = 0 AND b.channel = p.channel
        AND b.provider_id IS NOT DISTINCT FROM p.provider_id
    ORDER BY p.entitlement_id, p.period_month
    """  # LEFT: a row without its batch fails the NOT NULL of batch_id, never goes missing;
    # in entitlement order, the indexes of the lines grow at their right end
    with connection.cursor() as cur:
        cur.execute(sql, [cycle.pk, timezone.now(), *plain.params, cycle.pk])
        n = int(cur.rowcount)
    rest = payroll_sql.rest_condition(params)
    return n, rest.text, rest.params


def _batch_events(cycle: Cycle, kind: str, at: dt.datetime, batch_ids: list[int]) -> None:
    """One ledger row per batch for a movement of all its lines at once (ADR 0005)."""
    LineEvent.objects.bulk_create(
        [LineEvent(batch_id=bid, cycle=cycle, kind=kind, at=at) for bid in sorted(batch_ids)]
    )


def _events_reissued(cycle: Cycle, at: dt.datetime) -> None:
    sql = (
        f"INSERT INTO {_q(LineEvent)} (line_id, cycle_id, kind, at, reason_code) "
        f"SELECT reissue_of_id, cycle_id, 'reissued', %s, '' FROM {_q(PayrollLine)} "
        f"WHERE cycle_id = %s AND reissue_of_id IS NOT NULL"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [connection.ops.adapt_datetimefield_value(at), cycle.pk])


# --- computed -> approved ---------------------------------------------------------------------


def cycle_approve(*, actor: User, cycle: Cycle, note: str = "") -> Cycle:
    """Approve a computed payroll. The user who computed it may not approve it; above
    CHITRA_SECOND_APPROVAL_ABOVE đồng a second, different approver is needed."""
    require_perm(actor, Perm.PAYMENT_APPROVE)
    with transaction.atomic():
        cycle = _lock(cycle, actor)
        require_transition(
            CYCLE, cycle.status, "approve", lambda: _refuse(cycle, _("approved"), _("computed"))
        )
        if cycle.computed_by_id == actor.pk:
            raise ChitraError(
                _(
                    "You computed this payroll: another approver must approve it "
                    "(maker is not checker)."
                )
            )
        if not actor.is_national and actor.area_province_id != cycle.province_id:
            raise ChitraError(_("You can only approve cycles of your own province."))
        before = {"status": cycle.status, "approved_by": cycle.approved_by_id}
        now = timezone.now()
        needs_two = cycle.total_amount > settings.CHITRA_SECOND_APPROVAL_ABOVE
        if cycle.approved_by_id is None:
            cycle.approved_by, cycle.approved_at = actor, now
            if not needs_two:
                cycle.status = CycleStatus.APPROVED
            action = "cycle.approve"
        else:
            if cycle.approved_by_id == actor.pk:
                raise ChitraError(
                    _(
                        "You already approved this payroll: a second, different "
                        "approver is needed above %(limit)s đồng."
                    )
                    % {"limit": f"{settings.CHITRA_SECOND_APPROVAL_ABOVE:,}".replace(",", ".")}
                )
            cycle.second_approved_by, cycle.second_approved_at = actor, now
            cycle.status = CycleStatus.APPROVED
            action = "cycle.approve_second"
        cycle.save()
        audit_record(
            actor,
            action,
            obj=cycle,
            before=before,
            reason=note,
            after={"status": cycle.status, "total": cycle.total_amount, "second_needed": needs_two},
        )
    return cycle


# --- approved -> released ---------------------------------------------------------------------


def _mark_sent(cycle: Cycle, batch_ids: list[int], db: Any = None) -> int:
    """The issued lines of the released batches become sent (one in-place UPDATE: no index
    holds the status, ADR 0005). `paid_through` does not move here: a month counts as paid
    only when its line is (results). `db`: the connection to use (default: this thread's)."""
    db = db or connection
    marks = ", ".join(["%s"] * len(batch_ids))
    (unsent,), (sent,) = LINE.sources("send"), LINE.action_targets("send")
    with db.cursor() as cur:
        cur.execute(
            f"UPDATE {_q(PayrollLine)} SET status = '{sent}', updated_at = %s "
            f"WHERE cycle_id = %s AND batch_id IN ({marks}) AND status = '{unsent}'",
            [db.ops.adapt_datetimefield_value(timezone.now()), cycle.pk, *batch_ids],
        )
        return int(cur.rowcount)


def _write_files_and_advance(
    cycle: Cycle,
    batches: list[Batch],
    ids: list[int],
    actor: User,
    staging: Any,
    progress: Progress,
    total: int,
) -> list[Any]:
    """The batches' files, and their lines marked sent. On PostgreSQL a second thread, on
    this transaction's connection, reads (and decrypts) the bank and mobile-money batches,
    all by one query, and then marks the lines sent, while this thread writes each batch's
    files as soon as it is read (writing needs no query); the files are recorded
    afterwards. A batch whose every line was cancelled gets no file."""
    from chitra.disbursement import files as files_mod

    out: list[Any] = []
    done = 0
    cash = [b for b in batches if b.channel in CASH_CHANNELS and b.declared_count]
    account = [b for b in batches if b.channel not in CASH_CHANNELS and b.declared_count]
    for b in cash:
        out += files_mod.write_batch_files(b, actor=actor, staging=staging)
        done += b.declared_count
        progress("files", done, total)
    if connection.vendor != "postgresql":
        for b in account:
            out += files_mod.write_batch_files(b, actor=actor, staging=staging)
            done += b.declared_count
            progress("files", done, total)
        _mark_sent(cycle, ids)
        return out
    ready: queue.Queue[Any] = queue.Queue()
    stop = threading.Event()

    def read_then_advance() -> None:
        try:
            with contextlib.closing(files_mod.prepare_account_batches(account, staging)) as it:
                for prep in it:
                    if stop.is_set():
                        return
                    ready.put(prep)
        finally:
            ready.put(None)
        if not stop.is_set():
            _mark_sent(cycle, ids)

    written_batches = []
    with _in_background(read_then_advance, stop):
        while (prep := ready.get()) is not None:
            written_batches.append((prep.batch, files_mod.write_prepared(prep)))
            prep.rows = None  # written: free the batch's rows
            done += prep.batch.declared_count
            progress("files", done, total)
    for batch, drafts in written_batches:
        out += files_mod.record_drafts(batch, actor, drafts)
    return out


@contextlib.contextmanager
def _in_background(work: Callable[[], None], stop: threading.Event) -> Iterator[None]:
    """Run `work()` in a second thread on this thread's database connection (so in its
    transaction) while the body runs. The body should not query meanwhile (it would wait
    for the connection). At the end `stop` is set, the thread waited for, and its error, if
    any, raised here."""
    db = connections[DEFAULT_DB_ALIAS]  # this thread's wrapper, handed to the other
    errors: list[BaseException] = []

    def run() -> None:
        connections[DEFAULT_DB_ALIAS] = db  # as Django's live test server shares one
        try:
            work()
        except BaseException as e:  # handed to the caller's thread
            errors.append(e)

    db.inc_thread_sharing()
    thread = threading.Thread(target=run, name="chitra-release-db")
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        db.dec_thread_sharing()
    if errors:
        raise errors[0]


def cycle_release(*, actor: User, cycle: Cycle, progress: Progress = _noop) -> Cycle:
    """Write and lock the payment files of every batch not yet released (the cycle's batches
    once approved; later, supplementary cash batches of a released cycle) and mark their
    lines sent (cancelled lines stay cancelled and are in no file)."""

    from chitra.disbursement import files as files_mod

    require_perm(actor, Perm.PAYMENT_RUN)
    files_mod.release_leftovers_sweep()  # what a killed release left
    staging: files_mod.Staging | None = None
    try:
        with transaction.atomic():
            cycle = _lock(cycle, actor)
            require_transition(
                CYCLE, cycle.status, "release", lambda: _refuse(cycle, _("released"), _("approved"))
            )
            batches = _batches_to_release(cycle)
            bulk_session()
            now = timezone.now()
            total = sum(b.declared_count for b in batches)
            ids = [b.pk for b in batches]
            # the files go to a staging directory, moved into place as the last step before
            # the commit (ADR 0008)
            staging = files_mod.Staging(cycle)
            files = _write_files_and_advance(cycle, batches, ids, actor, staging, progress, total)
            _batch_events(cycle, "sent", now, ids)
            sent = total
            (released,) = BATCH.action_targets("release")
            Batch.objects.filter(pk__in=ids).update(status=released, released_at=now)
            before = _snapshot(cycle)
            if cycle.status == CycleStatus.APPROVED:
                cycle.status = CycleStatus.RELEASED
                cycle.released_at, cycle.released_by = now, actor
                cycle.save()
            audit_record(
                actor,
                "cycle.release",
                obj=cycle,
                before=before,
                after={
                    "status": cycle.status,
                    "batches": [b.reference for b in batches],
                    "lines_sent": sent,
                    "files": [{"name": f.name, "sha256": f.sha256} for f in files],
                },
            )
            progress("publish", total, total)
            staging.publish()
            transaction.on_commit(staging.committed)
    except BaseException:
        if staging is not None:
            staging.abandon()
        raise
    return cycle


def _batches_to_release(cycle: Cycle) -> list[Batch]:
    """The batches not yet released, in file order; raise when there is none (or when a
    released cycle's own batches come up again)."""
    batches = list(
        cycle.batches.filter(status__in=sorted(BATCH.sources("release")))
        .select_related("provider")
        .order_by("sequence", "reference")
    )
    if not batches:
        raise ChitraError(
            _("Nothing to release: every batch of cycle %(month)s has been released.")
            % {"month": cycle.months_label}
        )
    if cycle.status == CycleStatus.RELEASED and batches[0].sequence == 0:
        raise ChitraError(_("The cycle's own batches were released already."))
    return batches


# --- released -> reconciled -> closed ---------------------------------------------------------


RECONCILIATION_PARTS = ("declared", "paid", "failed", "returned", "outstanding", "cancelled")


def reconciliation(cycle: Cycle) -> dict[str, Any]:
    """Per batch and for the cycle, in count and money: declared = paid + failed + returned +
    outstanding (issued or sent, no answer yet). A batch's declared totals are its lines
    that go to the provider; cancelled lines (withdrawn before release) are shown beside
    them and are no part of them."""
    rows = (
        PayrollLine.objects.filter(cycle=cycle)
        .order_by()
        .values("batch_id", "status")
        .annotate(n=Count("id"), s=Sum("amount"))
    )
    per: dict[int, dict[str, list[int]]] = {}
    for r in rows:
        per.setdefault(r["batch_id"], {}).setdefault(r["status"], [0, 0])
        per[r["batch_id"]][r["status"]] = [r["n"], r["s"] or 0]
    batches = []
    tot = {k: [0, 0] for k in RECONCILIATION_PARTS}
    for b in cycle.batches.select_related("provider").order_by("sequence", "reference"):
        st = per.get(b.pk, {})
        part = {
            k: st.get(k, [0, 0])
            for k in (LineStatus.PAID, LineStatus.FAILED, LineStatus.RETURNED, LineStatus.CANCELLED)
        }
        outstanding = [
            st.get(LineStatus.ISSUED, [0, 0])[i] + st.get(LineStatus.SENT, [0, 0])[i]
            for i in (0, 1)
        ]
        declared = [b.declared_count, b.declared_amount]
        row: dict[str, Any] = {
            "batch": b,
            "declared": declared,
            "paid": part[LineStatus.PAID],
            "failed": part[LineStatus.FAILED],
            "returned": part[LineStatus.RETURNED],
            "outstanding": outstanding,
            "cancelled": part[LineStatus.CANCELLED],
        }
        row["holds"] = _adds_up(row)
        batches.append(row)
        for k in RECONCILIATION_PARTS:
            tot[k][0] += row[k][0]
            tot[k][1] += row[k][1]
    holds = all(b["holds"] for b in batches) and _adds_up(tot)
    return {"batches": batches, "total": tot, "holds": holds}


def _adds_up(r: dict[str, Any]) -> bool:
    return all(
        r["declared"][i] == r["paid"][i] + r["failed"][i] + r["returned"][i] + r["outstanding"][i]
        for i in (0, 1)
    )


def cycle_reconcile(*, actor: User, cycle: Cycle) -> Cycle:
    require_perm(actor, Perm.PAYMENT_RUN)
    with transaction.atomic():
        cycle = _lock(cycle, actor)
        require_transition(
            CYCLE, cycle.status, "reconcile", lambda: _refuse(cycle, _("reconciled"), _("released"))
        )
        rec = reconciliation(cycle)
        if not rec["holds"]:
            raise ChitraError(
                _(
                    "The control totals do not add up: declared is not paid + "
                    "failed + returned + outstanding. Investigate before "
                    "reconciling."
                )
            )
        if rec["total"]["outstanding"][0]:
            raise ChitraError(
                _("%(n)s lines still have no result: import the providers' results first.")
                % {"n": rec["total"]["outstanding"][0]}
            )
        if cycle.batches.filter(status=Batch.Status.ISSUED).exists():
            raise ChitraError(_("A supplementary batch is not released yet."))
        before = _snapshot(cycle)
        cycle.status = CycleStatus.RECONCILED
        cycle.reconciled_at = timezone.now()
        cycle.save()
        t = rec["total"]
        audit_record(
            actor,
            "cycle.reconcile",
            obj=cycle,
            before=before,
            after={
                "status": cycle.status,
                "declared": t["declared"],
                "paid": t["paid"],
                "failed": t["failed"],
                "returned": t["returned"],
                "cancelled": t["cancelled"],
            },
        )
    return cycle


def cycle_close(*, actor: User, cycle: Cycle) -> Cycle:
    require_perm(actor, Perm.PAYMENT_APPROVE)
    with transaction.atomic():
        cycle = _lock(cycle, actor)
        require_transition(
            CYCLE, cycle.status, "close", lambda: _refuse(cycle, _("closed"), _("reconciled"))
        )
        before = _snapshot(cycle)
        cycle.status = CycleStatus.CLOSED
        cycle.closed_at = timezone.now()
        cycle.save()
        audit_record(actor, "cycle.close", obj=cycle, before=before, after={"status": cycle.status})
    return cycle


# --- a line withdrawn before release ---------------------------------------------------------


def _require_line_in_area(actor: User, line: PayrollLine) -> None:
    """A line is changed only by a user whose area holds it (an office approver: the communes
    it serves), whatever the channel (page, command, API)."""
    from django.core.exceptions import PermissionDenied

    from chitra.iam.access import scope_queryset

    if not scope_queryset(actor, PayrollLine.objects.filter(pk=line.pk)).exists():
        raise PermissionDenied(_("This payment line is not in your area."))


def line_cancel(
    *, actor: User, line: PayrollLine, reason: str, pay_again: bool = False
) -> PayrollLine:
    """An approver withdraws a line that is not sent yet (deceased reported, error found),
    with a reason. The line leaves its batch's file and control totals (counted again from
    the lines) and the cycle's total; its month is owed again next cycle when `pay_again`
    (a re-issue, like a failed payment to retry), else held. Once its batch is released a
    line changes only through the provider's answer."""
    require_perm(actor, Perm.PAYMENT_APPROVE)
    _require_line_in_area(actor, line)
    reason = (reason or "").strip()
    if not reason:
        raise ChitraError(_("A reason is required to cancel a payment line."))
    with transaction.atomic():
        cycle = _lock(line.cycle, actor)
        ln = PayrollLine.objects.select_for_update().get(pk=line.pk)
        require_transition(
            LINE,
            ln.status,
            "cancel",
            lambda: ChitraError(
                _(
                    "Payment %(ref)s is %(state)s: after release a line changes only through the "
                    "provider's answer."
                )
                % {"ref": ln.reference, "state": ln.get_status_display()}
            ),
        )
        require_transition(
            CYCLE, cycle.status, "cancel_line", lambda: _refuse(cycle, _("changed"), _("computed"))
        )
        now = timezone.now()
        action = "retry" if pay_again else "hold"
        before = {"status": ln.status, "live": ln.live, "action": ln.action}
        ln.status, ln.live, ln.action, ln.updated_at = LineStatus.CANCELLED, False, action, now
        ln.save(update_fields=["status", "live", "action", "updated_at"])
        LineEvent.objects.create(
            line=ln, cycle=cycle, kind=LineEvent.Kind.CANCELLED, at=now, note=reason[:500]
        )
        batch, old_totals, counted = _recount_without(cycle, ln)
        audit_record(
            actor,
            "line.cancel",
            obj=ln,
            reason=reason,
            before=before,
            province=cycle.province_id,
            after={
                "status": ln.status,
                "action": action,
                "cycle": cycle.pk,
                "batch": batch.reference,
                "batch_before": old_totals,
                "batch_after": [counted["n"] or 0, counted["s"] or 0],
            },
        )
    return ln


def _recount_without(cycle: Cycle, ln: PayrollLine) -> tuple[Batch, list[Any], dict[str, Any]]:
    """Count the batch's control totals again from its lines not cancelled (and the cycle's,
    for a batch of its own); the batch, its totals before and the new count."""
    batch = Batch.objects.get(pk=ln.batch_id)
    old_totals = [batch.declared_count, batch.declared_amount]
    counted = (
        PayrollLine.objects.filter(batch_id=ln.batch_id)
        .exclude(status=LineStatus.CANCELLED)
        .aggregate(n=Count("id"), s=Sum("amount"))
    )
    Batch.objects.filter(pk=ln.batch_id).update(
        declared_count=counted["n"] or 0, declared_amount=counted["s"] or 0
    )
    if batch.sequence == 0:
        agg = (
            PayrollLine.objects.filter(cycle=cycle, batch__sequence=0)
            .exclude(status=LineStatus.CANCELLED)
            .aggregate(n=Count("id"), s=Sum("amount"))
        )
        cycle.line_count, cycle.total_amount = agg["n"] or 0, agg["s"] or 0
        cycle.save(update_fields=["line_count", "total_amount", "updated_at"])
    return batch, old_totals, counted


def line_pay_again(*, actor: User, line: PayrollLine, reason: str) -> PayrollLine:
    """An approver lifts the hold on a month whose line failed, came back or was cancelled
    and is held (hold, investigate, suspend, a cancellation without "pay again"): the next
    cycle re-issues it (as for "retry next cycle"; an entitlement still suspended keeps it
    waiting). With a reason, audited; a line already re-issued or to retry is refused."""
    require_perm(actor, Perm.PAYMENT_APPROVE)
    _require_line_in_area(actor, line)
    reason = (reason or "").strip()
    if not reason:
        raise ChitraError(_("A reason is required to pay a held month again."))
    with transaction.atomic():
        _lock(line.cycle, actor)
        ln = PayrollLine.objects.select_for_update().get(pk=line.pk)
        if (
            ln.status not in DEAD_LINE_STATUSES
            or ln.action == "retry"
            or PayrollLine.objects.filter(reissue_of=ln).exists()
        ):
            raise ChitraError(
                _("Payment %(ref)s is not held: nothing to pay again.") % {"ref": ln.reference}
            )
        before = {"action": ln.action}
        ln.action, ln.updated_at = "retry", timezone.now()
        ln.save(update_fields=["action", "updated_at"])
        audit_record(
            actor,
            "line.pay_again",
            obj=ln,
            reason=reason,
            before=before,
            after={"action": ln.action, "status": ln.status},
            province=ln.cycle.province_id,
        )
    return ln


def open_payment_month(province_id: int | None, today: dt.date | None = None) -> dt.date:
    """The earliest month from today whose cycle is not frozen yet (method changes approved now
    take effect from there)."""
    month = (today or timezone.localdate()).replace(day=1)
    if province_id is None:
        return month
    # every month of a frozen cycle is taken (both of a two-month one)
    taken = set(
        CycleMonth.objects.filter(province_id=province_id, month__gte=month)
        .exclude(cycle__status=CycleStatus.OPEN)
        .values_list("month", flat=True)
    )
    while month in taken:
        month = engine.add_months(month, 1)
    return month


# --- configuration ----------------------------------------------------------------------------

FILE_FORMATS = ("pain001", "csv", "xlsx")


def provider_profile_set(
    *,
    actor: User,
    provider: Provider,
    formats: list[str],
    table_profile: dict[str, Any] | None = None,
    service_level: str | None = None,
    local_instrument: str | None = None,
    name_style: str | None = None,
) -> Any:
    """Which files a provider receives, the columns of its CSV/XLSX files and what its
    pain.001 guide asks (service level, local instrument, names): province admin. A pain.001
    setting left None keeps its value; "" clears a code."""
    from chitra.disbursement.models import ProviderProfile
    from chitra.engine.documents.provider_files import FileProfile

    require_perm(actor, Perm.PROVIDER_EDIT)
    bad = [f for f in formats if f not in FILE_FORMATS]
    if bad or not formats:
        raise ChitraError(
            _("File formats must be among %(known)s.") % {"known": ", ".join(FILE_FORMATS)}
        )
    if table_profile:
        try:
            table_profile = FileProfile.from_json(table_profile).to_json()
        except ValueError as e:
            raise ChitraError(str(e)) from None
    guide = _pain001_guide(service_level, local_instrument, name_style)
    fields = ("formats", "table_profile", "service_level", "local_instrument", "name_style")
    with transaction.atomic():
        profile, _created = ProviderProfile.objects.select_for_update().get_or_create(
            provider=provider
        )
        before = {f: getattr(profile, f) for f in fields}
        profile.formats = ",".join(formats)
        profile.table_profile = table_profile or {}
        for field, value in guide.items():
            setattr(profile, field, value)
        profile.save()
        audit_record(
            actor,
            "payment.provider_profile",
            obj=profile,
            before=before,
            after={f: getattr(profile, f) for f in fields},
        )
    return profile


def _pain001_guide(
    service_level: str | None, local_instrument: str | None, name_style: str | None
) -> dict[str, str]:
    """The pain.001 settings given, checked: a code is an ISO code (4 letters at most for a
    service level, 35 for a local instrument) or `prtry:<text>` (35 at most)."""
    from chitra.disbursement.models import NameStyle

    out: dict[str, str] = {}
    for field, value, limit in (
        ("service_level", service_level, 4),
        ("local_instrument", local_instrument, 35),
    ):
        if value is None:
            continue
        value = value.strip()
        code = value.removeprefix("prtry:")
        if value and (
            not code
            or len(code) > (35 if value.startswith("prtry:") else limit)
            or not code.isprintable()
            or code != code.strip()
        ):
            raise ChitraError(
                _("%(field)s %(value)s is not a code of at most %(n)s characters or prtry:<text>.")
                % {"field": field, "value": value, "n": limit}
            )
        out[field] = value
    if name_style is not None:
        if name_style not in NameStyle.values:
            raise ChitraError(
                _("Name style %(value)s is not one of %(known)s.")
                % {"value": name_style, "known": ", ".join(NameStyle.values)}
            )
        out["name_style"] = name_style
    return out
