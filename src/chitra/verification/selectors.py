"""Scoped reads of runs, outcomes, work queues, suspensions, recoveries and proof of life."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from django.db.models import F, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from chitra.geo.models import Province
from chitra.iam.access import Perm, get_in_scope, has_perm, require_in_scope, scope_queryset
from chitra.registry.models import MONTHLY_BENEFITS, Beneficiary, Entitlement
from chitra.verification.models import (
    OUTCOME_FIELDS,
    CleaningTask,
    Recovery,
    Suspension,
    VerificationResult,
    VerificationRun,
    VerificationRunArea,
)
from chitra.verification.policy import can_see_runs
from chitra.verification.services import proof_of_life_due_filter

if TYPE_CHECKING:
    from chitra.iam.models import User


def run_list(actor: User) -> QuerySet[VerificationRun]:
    """The runs covering a commune of the actor's area, whoever started them (a page, the
    command line, a schedule; a national run covers every province): newest first."""
    qs = VerificationRun.objects.select_related("started_by")
    if not can_see_runs(actor):
        return qs.none()
    if actor.is_national:
        return qs
    areas = scope_queryset(actor, VerificationRunArea.objects.all())
    return qs.filter(pk__in=areas.values("run_id"))


def run_get(actor: User, pk: int | str) -> VerificationRun:
    try:
        return run_list(actor).get(pk=pk)
    except (VerificationRun.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def with_counts(actor: User, runs: Sequence[VerificationRun]) -> Sequence[VerificationRun]:
    """Give each run `scope_total` and `scope_counts`: its counts in the actor's area (the
    whole run for national users), and `scope_communes`, the codes of the communes it covers
    there when it covered a list of communes (else []). Two queries for the page."""
    ids = [r.pk for r in runs]
    areas = scope_queryset(actor, VerificationRunArea.objects.filter(run_id__in=ids))
    sums = {
        row["run_id"]: row
        for row in areas.order_by()
        .values("run_id")
        .annotate(sum_total=Sum("total"), **{f"sum_{o}": Sum(o) for o in OUTCOME_FIELDS})
    }
    communes = _run_communes(areas, [r.pk for r in runs if r.commune_scoped])
    provinces = dict(
        Province.objects.filter(code__in={r.province_code for r in runs}).values_list(
            "code", "name"
        )
    )
    for r in runs:
        row = sums.get(r.pk, {})
        r.scope_total = int(row.get("sum_total") or 0)  # type: ignore[attr-defined]
        r.scope_counts = {  # type: ignore[attr-defined]
            o: int(row.get(f"sum_{o}") or 0)  # type: ignore[attr-defined]
            for o in OUTCOME_FIELDS
        }
        mine = communes.get(r.pk, [])
        r.scope_communes = [code for code, _name in mine]  # type: ignore[attr-defined]
        r.area_label = _area_label(r, mine, provinces)  # type: ignore[attr-defined]
    return runs


def _run_communes(areas: Any, limited: list[int]) -> dict[int, list[tuple[str, str]]]:
    """(code, name) of the communes of each run limited to a list of communes."""
    communes: dict[int, list[tuple[str, str]]] = {}
    if limited:
        for run_id, code, name in (
            areas.filter(run_id__in=limited)
            .order_by("run_id", "commune__code")
            .values_list("run_id", "commune__code", "commune__name")
        ):
            communes.setdefault(run_id, []).append((code, name))
    return communes


def _area_label(r: VerificationRun, mine: list[tuple[str, str]], provinces: dict[str, str]) -> str:
    """The communes of a run (the first four), else its province, else "Nationwide"."""
    if mine:
        more = f" (+{len(mine) - 4})" if len(mine) > 4 else ""
        return ", ".join(name for _code, name in mine[:4]) + more
    if r.province_code:
        return provinces.get(r.province_code, r.province_code)
    return str(_("Nationwide"))


def run_results(
    actor: User, run: VerificationRun, *, outcome: str | None = None, commune_id: int | None = None
) -> QuerySet[VerificationResult]:
    qs = scope_queryset(
        actor, VerificationResult.objects.filter(run=run), perm=Perm.REGISTRY_VIEW
    ).select_related("beneficiary__commune")
    if outcome:
        qs = qs.filter(outcome=outcome)
    if commune_id:
        qs = qs.filter(beneficiary__commune_id=commune_id)
    return qs.order_by("beneficiary__commune__name", "beneficiary__name_folded", "id")


def run_counts_in_scope(actor: User, run: VerificationRun) -> dict[str, int]:
    """The run's counts per outcome in the actor's area (as the run applied them)."""
    with_counts(actor, [run])
    return dict(run.scope_counts)  # type: ignore[attr-defined]


def run_outcome_table(actor: User, run: VerificationRun) -> pa.Table:
    rows = (
        run_results(actor, run)
        .order_by("beneficiary_id")
        .values_list(
            "beneficiary_id",
            "beneficiary__personal_id",
            "outcome",
            "mismatched_fields",
            "candidate_ids",
            "candidate_scores",
        )
    )
    names = [
        "input_row",
        "personal_id",
        "outcome",
        "mismatched_fields",
        "candidate_ids",
        "candidate_scores",
    ]
    cols: dict[str, list] = {n: [] for n in names}
    for row in rows.iterator(chunk_size=20_000):
        for n, v in zip(names, row, strict=True):
            cols[n].append(v)
    return pa.table(cols)


def queue(
    actor: User,
    *,
    commune_id: int | None = None,
    outcome: str | None = None,
    status: str | None = CleaningTask.Status.OPEN,
    mine: bool = False,
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
        "beneficiary__commune__name", "-amount", "id"
    )


def proof_of_life_due(
    actor: User,
    *,
    as_of: dt.date | None = None,
    commune_id: int | None = None,
    state: str | None = None,
) -> QuerySet[Beneficiary]:
    """Active beneficiaries of monthly benefits, paid into an account (bank, mobile money,
    e-wallet) this month, whose proof of life is due within the warning window or overdue
    (art. 11.2(c): people paid in cash prove life at the pay point). `state`: "overdue" (the
    due date has passed, or no proof at all), "due_soon" (due from today to
    CHITRA_PROOF_OF_LIFE_WARN_DAYS ahead), or both (None). Oldest proof first."""
    from django.utils import timezone

    from chitra.verification.ports import paid_into_account
    from chitra.verification.proof_of_life import latest_proof_due_by

    today = as_of or timezone.localdate()
    month = today.replace(day=1)
    active = Entitlement.objects.filter(
        status=Entitlement.Status.ACTIVE, benefit_type__in=MONTHLY_BENEFITS
    )
    qs = scope_queryset(actor, Beneficiary.objects.all(), perm=Perm.REGISTRY_VIEW).filter(
        status=Beneficiary.Status.ACTIVE, id__in=active.values("beneficiary_id")
    )
    qs = paid_into_account.get()(qs, month)
    qs = qs.filter(proof_of_life_due_filter(today))
    overdue_upto = latest_proof_due_by(today - dt.timedelta(days=1))  # due before today
    if state == "overdue":
        qs = qs.filter(Q(proof_of_life_on__isnull=True) | Q(proof_of_life_on__lte=overdue_upto))
    elif state == "due_soon":
        qs = qs.filter(proof_of_life_on__gt=overdue_upto)
    if commune_id:
        qs = qs.filter(commune_id=commune_id)
    return qs.select_related("commune").order_by(
        F("proof_of_life_on").asc(nulls_first=True), "commune__name", "name_folded", "id"
    )


def cleaning_officers(actor: User) -> list[User]:
    """The active users of `actor`'s province who may clean records (to assign tasks to),
    by user name."""
    from chitra.iam.models import User

    candidates = (
        User.objects.filter(
            is_active=True, organisation__isnull=False, area_province=actor.area_province
        )
        .select_related("organisation")
        .order_by("username")
    )
    return [o for o in candidates if has_perm(o, Perm.CLEANING_WORK)]


def tasks_named(actor: User, ids: list[int]) -> QuerySet[CleaningTask]:
    """The cleaning tasks a form names by id, in `actor`'s scope (the others are left out)."""
    qs = CleaningTask.objects.filter(pk__in=ids)
    return scope_queryset(actor, qs, perm=Perm.CLEANING_WORK)


def task_duplicates(actor: User, task: CleaningTask) -> QuerySet[Beneficiary]:
    """The other records with the personal ID of a task's beneficiary (a duplicate to merge):
    across communes, as the merge needs to see both, for a task `actor` may work (404
    otherwise)."""
    ben = task.beneficiary
    require_in_scope(actor, task, perm=Perm.CLEANING_WORK)
    if not ben.personal_id:
        return Beneficiary.objects.none()
    return Beneficiary.objects.filter(personal_id=ben.personal_id).exclude(pk=ben.pk)


def beneficiary_suspensions(actor: User, beneficiary: Beneficiary) -> QuerySet[Suspension]:
    """Every suspension of a beneficiary `actor` may see (404 otherwise), lifted ones too."""
    require_in_scope(actor, beneficiary, perm=Perm.REGISTRY_VIEW)
    return Suspension.objects.filter(entitlement__beneficiary=beneficiary).select_related(
        "entitlement"
    )


def beneficiary_recoveries(actor: User, beneficiary: Beneficiary) -> QuerySet[Recovery]:
    """Every recovery of a beneficiary `actor` may see (404 otherwise)."""
    require_in_scope(actor, beneficiary, perm=Perm.REGISTRY_VIEW)
    return Recovery.objects.filter(beneficiary=beneficiary)


def result_list_in_scope(actor: User) -> QuerySet[VerificationResult]:
    """Results of the runs `actor` sees, of beneficiaries in their scope (one by id)."""
    return scope_queryset(
        actor,
        VerificationResult.objects.select_related("beneficiary__commune"),
        perm=Perm.REGISTRY_VIEW,
    ).filter(run__in=run_list(actor))
