"""Scoped reads of cycles, batches, lines, exclusions and files.

BHXH and oversight bodies see the cycles of their province; a provider sees the released
batches it pays and their lines and files only; commune-level bodies see none."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
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
from chitra.iam.access import Perm, has_perm, require_in_scope, scope_queryset
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


def file_offices(actor: User, cycle: Cycle) -> list[Any]:
    """The BHXH offices of the cycle's province whose communes have files the actor may see:
    the choice of a zip per office."""
    from chitra.geo.models import BhxhOffice

    communes = files(actor, cycle).exclude(commune=None).values("commune_id")
    return list(
        BhxhOffice.objects.filter(province_id=cycle.province_id, area__commune__in=communes)
        .distinct()
        .order_by("code")
    )


def files_filtered(
    actor: User,
    cycle: Cycle,
    *,
    provider: str | None = None,
    commune: str | None = None,
    kind: str | None = None,
    office: Any = None,
) -> QuerySet[PaymentFile]:
    """The files of :func:`files` of one provider (its code; "NA" for a batch without one),
    commune (its code), kind and office (its id): the filters of the cycle page and of its
    zip downloads. An unknown value matches nothing."""
    qs = files(actor, cycle).select_related("batch__provider")
    if provider == "NA":
        qs = qs.filter(batch__provider=None)
    elif provider:
        qs = qs.filter(batch__provider__code=provider)
    if commune:
        qs = qs.filter(commune__code=commune)
    if kind:
        qs = qs.filter(kind=kind)
    if office:
        try:
            office_id = int(office)
        except (TypeError, ValueError):
            return qs.none()
        qs = qs.filter(commune__office_area__office_id=office_id)
    return qs.order_by("batch__provider__code", "batch__reference", "commune__name", "kind", "name")


def file_filter_choices(actor: User, cycle: Cycle) -> dict[str, list[tuple[str, str]]]:
    """The providers, communes and kinds among the files the actor may see: (value, label)."""
    qs = files(actor, cycle)
    providers = sorted(
        {
            (code or "NA", name or "—")
            for code, name in qs.values_list("batch__provider__code", "batch__provider__short_name")
        }
    )
    communes = sorted(
        {
            (code, f"{name} ({code})")
            for code, name in qs.exclude(commune=None).values_list("commune__code", "commune__name")
        },
        key=lambda c: c[1],
    )
    kinds = set(qs.values_list("kind", flat=True))
    return {
        "providers": providers,
        "communes": communes,
        "kinds": [(k, str(label)) for k, label in PaymentFile.Kind.choices if k in kinds],
    }


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


def lines_anywhere(actor: User) -> QuerySet[PayrollLine]:
    """Payroll lines of every cycle the actor may see one by one (for a complaint's payment):
    the area's lines; a provider's own lines of released batches; none for oversight."""
    if _oversight(actor):
        return PayrollLine.objects.none()
    qs = scope_queryset(actor, PayrollLine.objects.all())
    if provider_code_of(actor) is not None:
        qs = qs.filter(batch__status=Batch.Status.RELEASED)
    return qs


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


def state_totals(cycle: Cycle, *, actor: User) -> dict[str, tuple[int, int]]:
    """Lines and amounts per state of a cycle `actor` may see (404 otherwise)."""
    from chitra.disbursement import ledger

    require_in_scope(actor, cycle, within=cycles(actor))
    return ledger.state_totals(cycle)


def month_totals(cycle: Cycle, *, actor: User) -> list[tuple[Any, int, int]]:
    """(month paid, lines, amount) of a cycle `actor` may see, month by month (404 otherwise)."""
    from chitra.disbursement import ledger

    require_in_scope(actor, cycle, within=cycles(actor))
    return ledger.month_totals(cycle)


def line_history(line: PayrollLine, *, actor: User) -> list[Any]:
    """The ledger of one line `actor` may see, in time order (404 otherwise)."""
    from chitra.disbursement import ledger

    require_in_scope(actor, line, within=lines(actor, line.cycle))
    return ledger.line_events(line)


def return_reasons(actor: User) -> QuerySet[Any]:
    """The providers' return reasons and what each does to a line (for who sees payments)."""
    from chitra.disbursement.models import ReturnReason

    if not has_perm(actor, Perm.PAYMENT_VIEW):
        return ReturnReason.objects.none()
    return ReturnReason.objects.all()


def batches_anywhere(actor: User) -> QuerySet[Batch]:
    """The batches of every cycle `actor` sees; a provider's own released batches only."""
    qs = Batch.objects.filter(cycle_id__in=cycles(actor).values("pk"))
    qs = qs.select_related("cycle", "provider")
    code = provider_code_of(actor)
    if code is not None:
        qs = qs.filter(provider__code=code, status=Batch.Status.RELEASED)
    return qs


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
    qs = PayeeNameCheck.objects.filter(
        result_import__in=imports.values("pk"),
        line__in=lines(actor, cycle).values("pk"),  # a commune officer: their communes' lines
    )
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
