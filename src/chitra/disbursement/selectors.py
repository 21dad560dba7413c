"""Scoped reads of cycles, batches, lines, exclusions and files.

BHXH and oversight bodies see the cycles of their province; a provider sees the released
batches it pays and their lines and files only; commune-level bodies see none."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from chitra.disbursement.models import (
    Batch,
    Cycle,
    CycleStatus,
    Exclusion,
    LineStatus,
    PaymentFile,
    PayrollLine,
)
from chitra.iam.access import Perm, has_perm, scope_queryset
from chitra.iam.models import COMMUNE_LEVEL_KINDS, OVERSIGHT_KINDS, PROVIDER_KINDS

if TYPE_CHECKING:
    from chitra.iam.models import User

RELEASED_STATES = (CycleStatus.RELEASED, CycleStatus.RECONCILED, CycleStatus.CLOSED)


def provider_code_of(actor: User) -> str | None:
    """The provider code of a money mover's user, None for everyone else."""
    if actor.is_national or not actor.organisation_id or actor.organisation is None:
        return None
    if actor.organisation.kind in PROVIDER_KINDS:
        return actor.organisation.provider_code or "-"
    return None


def cycles(actor: User) -> QuerySet[Cycle]:
    qs = Cycle.objects.select_related(
        "province", "computed_by", "approved_by", "second_approved_by"
    )
    if not has_perm(actor, Perm.PAYMENT_VIEW):
        return qs.none()
    if actor.is_national:
        return qs
    if actor.organisation is None or actor.organisation.kind in COMMUNE_LEVEL_KINDS:
        return qs.none()
    if actor.area_province_id is None:
        return qs.none()
    qs = qs.filter(province_id=actor.area_province_id)  # every organisation: its province only
    code = provider_code_of(actor)
    if code is not None:
        return qs.filter(status__in=RELEASED_STATES, batches__provider__code=code).distinct()
    return qs


def cycle_get(actor: User, pk: Any) -> Cycle:
    try:
        return cycles(actor).get(pk=pk)
    except (Cycle.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def batches(actor: User, cycle: Cycle) -> QuerySet[Batch]:
    if not cycles(actor).filter(pk=cycle.pk).exists():  # another province's: nothing
        return Batch.objects.none()
    qs = cycle.batches.select_related("provider").order_by("sequence", "reference")
    code = provider_code_of(actor)
    if code is not None:
        qs = qs.filter(provider__code=code, status=Batch.Status.RELEASED)
    return qs


def batch_get(actor: User, pk: Any) -> Batch:
    try:
        b = Batch.objects.select_related("cycle__province", "provider").get(pk=pk)
    except (Batch.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    cycle_get(actor, b.cycle_id)
    if not batches(actor, b.cycle).filter(pk=b.pk).exists():
        raise Http404
    return b


def _oversight(actor: User) -> bool:
    return (
        not actor.is_national
        and actor.organisation is not None
        and actor.organisation.kind in OVERSIGHT_KINDS
    )


def files(actor: User, cycle: Cycle) -> QuerySet[PaymentFile]:
    """Payment files hold full account numbers: the provider gets its own, BHXH with the
    whole province all, an office limited to communes only the cash lists of its communes,
    oversight bodies none (they see the totals)."""
    qs = PaymentFile.objects.filter(batch__in=batches(actor, cycle))
    if _oversight(actor):
        return qs.none()
    communes = None if actor.is_national else actor.scope_commune_ids()
    if communes is not None and provider_code_of(actor) is None:
        qs = qs.filter(commune_id__in=communes)
    return qs.select_related("batch", "commune").order_by("batch__reference", "kind", "name")


def file_get(actor: User, pk: Any) -> PaymentFile:
    try:
        pf = PaymentFile.objects.select_related("batch__cycle", "batch__provider").get(pk=pk)
    except (PaymentFile.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    cycle_get(actor, pf.batch.cycle_id)  # the cycle first: 404 outside the actor's province
    if not files(actor, pf.batch.cycle).filter(pk=pf.pk).exists():
        raise Http404
    return pf


def lines(
    actor: User,
    cycle: Cycle,
    *,
    status: str | None = None,
    channel: str | None = None,
    batch_id: Any = None,
    q: str | None = None,
    period: Any = None,
) -> QuerySet[PayrollLine]:
    """The lines of a cycle the actor may see; `period`: only those paying that month (a
    two-month cycle has a line per entitlement and month; arrears lines pay earlier
    months)."""
    if _oversight(actor):
        return PayrollLine.objects.none()  # aggregates only
    qs = scope_queryset(actor, PayrollLine.objects.filter(cycle=cycle), perm=Perm.PAYMENT_VIEW)
    if provider_code_of(actor) is not None:  # what was sent to it: no line cancelled before
        qs = qs.filter(batch__status=Batch.Status.RELEASED).exclude(status=LineStatus.CANCELLED)
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if batch_id:
        qs = qs.filter(batch_id=batch_id)
    if period:
        qs = qs.filter(period_month=period)
    if q:
        qs = (
            qs.filter(reference=q.strip())
            if q.strip().isdigit()
            else qs.filter(payee_name__icontains=q.strip())
        )
    return qs.select_related("beneficiary", "commune", "provider").order_by("reference")


def exclusions(actor: User, cycle: Cycle) -> QuerySet[Exclusion]:
    if provider_code_of(actor) is not None or _oversight(actor):
        return Exclusion.objects.none()
    return (
        scope_queryset(actor, Exclusion.objects.filter(cycle=cycle), perm=Perm.PAYMENT_VIEW)
        .select_related("beneficiary", "commune", "entitlement")
        .order_by("reason", "commune__name", "beneficiary__name_folded")
    )


def exclusion_counts(actor: User, cycle: Cycle) -> dict[str, int]:
    """How many entitlements of `cycle` that `actor` may see it does not pay, per reason."""
    return dict(exclusions(actor, cycle).values_list("reason").annotate(n=Count("id")).order_by())


def batch_disbursements(*, actor: User, batch: Batch) -> tuple[QuerySet[PayrollLine], bool]:
    """The lines of `batch` that `actor` may see (newest first), and whether `actor` gets the
    payees' full financial addresses: only the provider of the batch does."""
    qs = lines(actor, batch.cycle).filter(batch=batch).select_related("account").order_by("-id")
    code = provider_code_of(actor)
    reveal = code is not None and batch.provider is not None and batch.provider.code == code
    return qs, reveal


def batch_disbursements_seen(
    *, actor: User, batch: Batch, line_count: int, full_numbers: bool
) -> None:
    """Record in the audit trail that `actor` read `line_count` disbursements of `batch`."""
    from chitra.core.audit import audit_record

    audit_record(
        actor,
        "api.disbursements",
        obj=batch,
        after={"lines": line_count, "full_numbers": full_numbers},
    )


def state_totals(cycle: Cycle) -> dict[str, tuple[int, int]]:
    """Lines and amounts per state (every state, in the order of `LineStatus`)."""
    got = {
        r["status"]: (r["n"], r["s"] or 0)
        for r in PayrollLine.objects.filter(cycle=cycle)
        .order_by()
        .values("status")
        .annotate(n=Count("id"), s=Sum("amount"))
    }
    return {s.value: got.get(s.value, (0, 0)) for s in LineStatus}


def line_get(actor: User, pk: Any) -> PayrollLine:
    """One line the actor may see (404 alike for missing and not yours)."""
    try:
        ln = PayrollLine.objects.select_related("cycle").get(pk=pk)
    except (PayrollLine.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    cycle = cycle_get(actor, ln.cycle_id)
    try:
        return lines(actor, cycle).select_related("batch", "account").get(pk=ln.pk)
    except PayrollLine.DoesNotExist:
        raise Http404 from None


def month_totals(cycle: Cycle) -> list[tuple[Any, int, int]]:
    """(month paid, lines, amount) of a cycle's lines, month by month: the cycle's month(s)
    and, before them, the arrears months."""
    rows = (
        PayrollLine.objects.filter(cycle=cycle)
        .order_by("period_month")
        .values_list("period_month")
        .annotate(n=Count("id"), s=Sum("amount"))
        .values_list("period_month", "n", "s")
    )
    return [(m, n, s or 0) for m, n, s in rows]


def cycle_summary(cycle: Cycle) -> dict[str, Any]:
    from chitra.disbursement.services import reconciliation

    rec = reconciliation(cycle)
    return {
        "cycle": cycle.pk,
        "month": f"{cycle.month:%Y-%m}",
        "last_month": f"{cycle.last_month:%Y-%m}",
        "account_credit_date": cycle.account_credit_date.isoformat(),
        "cash_from_date": cycle.cash_from_date.isoformat(),
        "status": cycle.status,
        "months": [
            {"month": f"{m:%Y-%m}", "lines": n, "amount": s} for m, n, s in month_totals(cycle)
        ],
        "states": state_totals(cycle),
        "state_labels": {s.value: str(s.label) for s in LineStatus},
        "exclusions": dict(
            Exclusion.objects.filter(cycle=cycle)
            .values_list("reason")
            .annotate(n=Count("id"))
            .order_by()
        ),
        "batches": [
            {
                "reference": b["batch"].reference,
                "status": b["batch"].status,
                "status_label": str(b["batch"].get_status_display()),
                "declared": b["declared"],
                "paid": b["paid"],
                "failed": b["failed"],
                "returned": b["returned"],
                "outstanding": b["outstanding"],
                "cancelled": b["cancelled"],
                "holds": b["holds"],
            }
            for b in rec["batches"]
        ],
        "total": rec["total"],
        "holds": rec["holds"],
    }


def lines_anywhere(actor: User) -> QuerySet[PayrollLine]:
    """Payroll lines of every cycle the actor may see one by one (for a complaint's payment):
    the area's lines; a provider's own lines of released batches; none for oversight."""
    if _oversight(actor):
        return PayrollLine.objects.none()
    qs = scope_queryset(actor, PayrollLine.objects.all())
    if provider_code_of(actor) is not None:
        qs = qs.filter(batch__status=Batch.Status.RELEASED)
    return qs


def line_history(line: PayrollLine) -> list[Any]:
    """The ledger of one line in time order: the movements it shares (issued at compute and
    sent at release: one row per batch; paid: one row per results import, ADR 0005) and its
    own (failed, returned, cancelled, re-issued, the issue of a re-issue line). The caller
    has already read the line through a scoped selector."""
    from django.db.models import Q

    from chitra.disbursement.models import LineEvent

    shared = Q(batch_id=line.batch_id, line__isnull=True)
    if line.status == LineStatus.CANCELLED:  # withdrawn before release: never sent
        shared &= ~Q(kind=LineEvent.Kind.SENT)
    if line.result_import_id is not None and line.status in (LineStatus.PAID, LineStatus.RETURNED):
        shared |= Q(result_import_id=line.result_import_id, line__isnull=True, kind="paid")
    return list(LineEvent.objects.filter(Q(line=line) | shared).order_by("at", "id"))


def months_paid_from(
    entitlements: list[Any], from_month: dict[int, Any]
) -> dict[int, list[tuple[Any, int]]]:
    """{entitlement id: [(month, amount), ...]} of the money that really left for each
    entitlement from its `from_month` on (a recovery after death claims these): the months
    a line here paid (a paid line, cash collected included; never a failed, returned,
    cancelled or unanswered one), and the months up to `paid_through` that have no line
    here at all (paid before chitra, by the imported paid-through month), at the monthly
    amount. One query for all of them (lines by beneficiary, which is indexed)."""
    from chitra.kernel.months import months_range

    if not entitlements:
        return {}
    ids = [e.pk for e in entitlements]
    rows = PayrollLine.objects.filter(
        beneficiary_id__in={e.beneficiary_id for e in entitlements}, entitlement_id__in=ids
    ).values_list("entitlement_id", "period_month", "status", "amount")
    with_line: dict[int, set[Any]] = {}
    paid: dict[int, dict[Any, int]] = {}
    for ent_id, month, status, amount in rows:
        with_line.setdefault(ent_id, set()).add(month)
        if status == LineStatus.PAID and month >= from_month[ent_id]:
            paid.setdefault(ent_id, {})[month] = amount
    out: dict[int, list[tuple[Any, int]]] = {}
    for e in entitlements:
        got = dict(paid.get(e.pk, {}))
        if e.paid_through is not None:
            for m in months_range(from_month[e.pk], e.paid_through):
                if m not in with_line.get(e.pk, ()):
                    got[m] = e.monthly_amount
        if got:
            out[e.pk] = sorted(got.items())
    return out


def cash_paid_to_person(result_import: Any) -> QuerySet[Any]:
    """The beneficiary ids (a values() query) of the cash lines (pay point, home delivery) that
    a results import marked paid to the person themself: a line paid to a representative (its
    payee is not the beneficiary) proves nothing of the person (verification's proof of life,
    through `chitra.verification.ports`)."""
    from django.db.models import F

    from chitra.disbursement.models import CASH_CHANNELS, LineStatus

    return PayrollLine.objects.filter(
        result_import=result_import,
        status=LineStatus.PAID,
        channel__in=sorted(CASH_CHANNELS),
        payee_name=F("beneficiary__full_name"),
    ).values("beneficiary_id")


def entitlements_answered(result_import: Any) -> tuple[QuerySet[Any], QuerySet[Any]]:
    """The entitlement ids of the lines a results import answered, and of the lines it reported
    as come back (two values() queries; verification's recoveries, through its ports)."""
    from chitra.disbursement.models import LineEvent

    answered = PayrollLine.objects.filter(result_import=result_import).values("entitlement_id")
    came_back = LineEvent.objects.filter(result_import=result_import, line__isnull=False).values(
        "line__entitlement_id"
    )
    return answered, came_back


def cycle_statements(actor: User, cycle: Cycle) -> dict[str, Any]:
    """The bank statements of the paying account that touched the cycle (loaded from its
    page, confirming or returning its lines, debiting its batches) and the batch debits of its
    batches against their control totals. The paying account is BHXH's: a provider sees none."""
    from chitra.disbursement.models import BankStatement, StatementBatch

    if provider_code_of(actor) is not None or not has_perm(actor, Perm.PAYMENT_VIEW):
        return {"statements": [], "checks": [], "discrepancies": 0}
    statements = list(
        BankStatement.objects.filter(
            Q(cycle=cycle) | Q(batch_checks__batch__cycle=cycle) | Q(result_imports__cycle=cycle)
        )
        .distinct()
        .select_related("created_by")
        .order_by("-created_at")
    )
    checks = list(
        StatementBatch.objects.filter(batch__cycle=cycle)
        .select_related("batch", "statement")
        .order_by("batch__reference", "statement__created_at", "entry")
    )
    return {
        "statements": statements,
        "checks": checks,
        "discrepancies": sum(1 for c in checks if c.state == StatementBatch.State.DISCREPANCY),
    }


def cycle_result_imports(actor: User, cycle: Cycle) -> QuerySet[Any]:
    """The results imports of a cycle (files, status reports, API posts), newest first, with
    their counts. A provider sees only the ones its own users made; anyone else who may see
    the cycle sees all."""
    from chitra.disbursement.models import ResultImport

    if not has_perm(actor, Perm.PAYMENT_VIEW):
        return ResultImport.objects.none()
    qs = ResultImport.objects.filter(cycle=cycle).select_related("created_by")
    if provider_code_of(actor) is not None:
        qs = qs.filter(created_by__organisation=actor.organisation)
    return qs.annotate(name_check_count=Count("name_checks")).order_by("-created_at", "-pk")


def cycle_name_checks(actor: User, cycle: Cycle, limit: int = 200) -> dict[str, Any]:
    """The Verification-of-Payee answers of the cycle's status reports: counts by outcome and
    the latest answers that were not a match (for an officer to look at)."""
    from chitra.disbursement.models import PayeeNameCheck

    imports = cycle_result_imports(actor, cycle)
    qs = PayeeNameCheck.objects.filter(result_import__in=imports.values("pk"))
    counts = dict(qs.values_list("outcome").annotate(n=Count("pk")).values_list("outcome", "n"))
    doubtful = list(
        qs.exclude(outcome=PayeeNameCheck.Outcome.MATCH)
        .select_related("line")
        .order_by("-result_import_id", "line__reference")[:limit]
    )
    return {
        "counts": [(label, counts.get(code, 0)) for code, label in PayeeNameCheck.Outcome.choices],
        "doubtful": doubtful,
        "total": sum(counts.values()),
    }
