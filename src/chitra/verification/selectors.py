"""Scoped reads of runs, outcomes, work queues, suspensions, recoveries and proof of life."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pyarrow as pa
from django.db.models import F, Q, QuerySet
from django.http import Http404

from chitra.core.access import Perm, get_in_scope, has_perm, scope_queryset
from chitra.registry.models import MONTHLY_BENEFITS, Beneficiary, Entitlement
from chitra.verification.models import (
    CleaningTask,
    Recovery,
    Suspension,
    VerificationResult,
    VerificationRun,
)
from chitra.verification.services import proof_of_life_due_filter

if TYPE_CHECKING:
    from chitra.iam.models import User


def can_see_runs(actor: User) -> bool:
    return has_perm(actor, Perm.VERIFY_RUN) or has_perm(actor, Perm.CLEANING_WORK)


def run_list(actor: User) -> QuerySet[VerificationRun]:
    """Runs of the actor's province (a run covers its starter's area; results stay scoped)."""
    qs = VerificationRun.objects.select_related("started_by")
    if not can_see_runs(actor):
        return qs.none()
    if actor.is_national:
        return qs
    province = actor.area_province
    if province is None:
        return qs.none()
    return qs.filter(Q(province_code=province.code)
                     | Q(province_code="", started_by__area_province=province))


def run_get(actor: User, pk: int | str) -> VerificationRun:
    try:
        return run_list(actor).get(pk=pk)
    except (VerificationRun.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def run_results(actor: User, run: VerificationRun, *, outcome: str | None = None,
                commune_id: int | None = None) -> QuerySet[VerificationResult]:
    qs = scope_queryset(actor, VerificationResult.objects.filter(run=run),
                        perm=Perm.REGISTRY_VIEW).select_related("beneficiary__commune")
    if outcome:
        qs = qs.filter(outcome=outcome)
    if commune_id:
        qs = qs.filter(beneficiary__commune_id=commune_id)
    return qs.order_by("beneficiary__commune__name", "beneficiary__name_folded", "id")


def run_counts_in_scope(actor: User, run: VerificationRun) -> dict[str, int]:
    from django.db.models import Count

    rows = run_results(actor, run).order_by().values("outcome").annotate(n=Count("id"))
    return {r["outcome"]: r["n"] for r in rows}


def run_outcome_table(actor: User, run: VerificationRun) -> pa.Table:
    rows = run_results(actor, run).order_by("beneficiary_id").values_list(
        "beneficiary_id", "beneficiary__personal_id", "outcome", "mismatched_fields",
        "candidate_ids", "candidate_scores")
    names = ["input_row", "personal_id", "outcome", "mismatched_fields", "candidate_ids",
             "candidate_scores"]
    cols: dict[str, list] = {n: [] for n in names}
    for row in rows.iterator(chunk_size=20_000):
        for n, v in zip(names, row, strict=True):
            cols[n].append(v)
    return pa.table(cols)


def queue(actor: User, *, commune_id: int | None = None, outcome: str | None = None,
          status: str | None = CleaningTask.Status.OPEN, mine: bool = False
          ) -> QuerySet[CleaningTask]:
    qs = scope_queryset(actor, CleaningTask.objects.all(), perm=Perm.CLEANING_WORK)
    qs = qs.select_related("beneficiary", "commune", "assigned_to", "result")
    if commune_id:
        qs = qs.filter(commune_id=commune_id)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if status:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(assigned_to=actor)
    return qs.order_by("commune__name", "outcome", "beneficiary__name_folded", "id")


def task_get(actor: User, pk: int | str) -> CleaningTask:
    qs = CleaningTask.objects.select_related("beneficiary__commune", "result", "assigned_to")
    return get_in_scope(actor, qs, pk, perm=Perm.CLEANING_WORK)


def suspensions(actor: User, *, active: bool | None = True) -> QuerySet[Suspension]:
    qs = scope_queryset(actor, Suspension.objects.all(), perm=Perm.REGISTRY_VIEW)
    if active is True:
        qs = qs.filter(reversed_at__isnull=True)
    return qs.select_related("entitlement__beneficiary__commune").order_by("-created_at")


def suspension_get(actor: User, pk: int | str) -> Suspension:
    return get_in_scope(actor, Suspension.objects.all(), pk, perm=Perm.REGISTRY_VIEW)


def recoveries(actor: User, *, status: str | None = Recovery.Status.OPEN) -> QuerySet[Recovery]:
    qs = scope_queryset(actor, Recovery.objects.all(), perm=Perm.REGISTRY_VIEW)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("beneficiary__commune", "entitlement").order_by(
        "beneficiary__commune__name", "-amount", "id")


def proof_of_life_due(actor: User, *, as_of: dt.date | None = None,
                      commune_id: int | None = None,
                      state: str | None = None) -> QuerySet[Beneficiary]:
    """Active beneficiaries of monthly benefits, paid into an account (bank, mobile money,
    e-wallet) this month, whose proof of life is due within the warning window or overdue
    (art. 11.2(c): people paid in cash prove life at the pay point). `state`: "overdue" (the
    due date has passed, or no proof at all), "due_soon" (due from today to
    CHITRA_PROOF_OF_LIFE_WARN_DAYS ahead), or both (None). Oldest proof first."""
    from django.db.models import OuterRef, Subquery
    from django.utils import timezone

    from chitra.payment_methods.models import ACCOUNT_METHODS, PaymentMethod
    from chitra.verification.proof_of_life import latest_proof_due_by

    today = as_of or timezone.localdate()
    month = today.replace(day=1)
    active = Entitlement.objects.filter(status=Entitlement.Status.ACTIVE,
                                        benefit_type__in=MONTHLY_BENEFITS)
    current = (PaymentMethod.objects.filter(beneficiary=OuterRef("pk"),
                                            effective_month__lte=month)
               .order_by("-effective_month").values("method")[:1])
    qs = scope_queryset(actor, Beneficiary.objects.all(), perm=Perm.REGISTRY_VIEW).filter(
        status=Beneficiary.Status.ACTIVE, id__in=active.values("beneficiary_id"))
    qs = qs.annotate(current_method=Subquery(current)).filter(
        current_method__in=list(ACCOUNT_METHODS))
    qs = qs.filter(proof_of_life_due_filter(today))
    overdue_upto = latest_proof_due_by(today - dt.timedelta(days=1))  # due before today
    if state == "overdue":
        qs = qs.filter(Q(proof_of_life_on__isnull=True) | Q(proof_of_life_on__lte=overdue_upto))
    elif state == "due_soon":
        qs = qs.filter(proof_of_life_on__gt=overdue_upto)
    if commune_id:
        qs = qs.filter(commune_id=commune_id)
    return qs.select_related("commune").order_by(
        F("proof_of_life_on").asc(nulls_first=True), "commune__name", "name_folded", "id")
