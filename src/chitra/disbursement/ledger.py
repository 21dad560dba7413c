"""The cycle's ledger as computations, not reads for a user: totals per state and month, the
summary the `cycle_status` command prints, one line's movements, and what verification asks
through its ports (the money that left after a death, cash paid to the person, what a
results import answered). No scope here: the selectors (`chitra.disbursement.selectors`)
check the actor and call these; the operator's command and the ports run without a user."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet, Sum

from chitra.disbursement.models import Cycle, Exclusion, LineStatus, PayrollLine


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


def line_events(line: PayrollLine) -> list[Any]:
    """The ledger of one line in time order: the movements it shares (issued at compute and
    sent at release: one row per batch; paid: one row per results import, ADR 0005) and its
    own (failed, returned, cancelled, re-issued, the issue of a re-issue line)."""
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
