"""Verification against the population register, cleaning actions, deaths and recovery.

A run reads the beneficiaries of the starter's area into Arrow, lets the connector classify them
(the engine does the heavy work in DuckDB, outside any database transaction), then writes the
results in batches of their own transactions, so the registry stays usable while a run works.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core.audit import AuditRow, audit_bulk, audit_record
from chitra.core.errors import ChitraError
from chitra.engine.rows.people import PEOPLE_SCHEMA
from chitra.iam.access import Perm, require_perm, scope_queryset
from chitra.kernel.months import add_months, month_start
from chitra.kernel.names import fold_name
from chitra.registry.models import (
    MONTHLY_BENEFITS,
    Beneficiary,
    Entitlement,
    ProofOfLifeSource,
)
from chitra.registry.selectors import beneficiary_get
from chitra.verification.connectors import get_connector
from chitra.verification.models import (
    OUTCOME_FIELDS,
    CleaningTask,
    Outcome,
    PersonStatus,
    Recovery,
    Suspension,
    VerificationResult,
    VerificationRun,
    VerificationRunArea,
)
from chitra.verification.proof_of_life import overdue_before, proof_of_life_record

if TYPE_CHECKING:
    from chitra.iam.models import User

ProgressFn = Callable[[str, int, int], None]
BATCH = 5000


def parse_register_date(text: str) -> tuple[dt.date, str]:
    """`YYYY-MM-DD`, `YYYY-MM` or `YYYY` (the register's precision) as (date, D|M|Y)."""
    parts = text.strip().split("-")
    if len(parts) == 3:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2])), "D"
    if len(parts) == 2:
        return dt.date(int(parts[0]), int(parts[1]), 1), "M"
    return dt.date(int(parts[0]), 1, 1), "Y"


# --------------------------------------------------------------------------------------------
# runs
# --------------------------------------------------------------------------------------------


def registry_people(
    actor: User, *, province_code: str | None = None, personal_ids: Sequence[str] | None = None
) -> pa.Table:
    """The beneficiaries the actor may see, as the engine's input (input_row = id)."""
    qs = scope_queryset(actor, Beneficiary.objects.all(), perm=Perm.REGISTRY_VIEW)
    if province_code:
        qs = qs.filter(commune__province__code=province_code)
    if personal_ids is not None:
        qs = qs.filter(personal_id__in=list(personal_ids))
    cols: dict[str, list[Any]] = {name: [] for name in PEOPLE_SCHEMA.names}
    rows = qs.order_by("id").values_list(
        "id", "personal_id", "full_name", "birth_date", "birth_precision", "sex", "commune__code"
    )
    for row in rows.iterator(chunk_size=20_000):
        for name, value in zip(PEOPLE_SCHEMA.names, row, strict=True):
            cols[name].append(value)
    return pa.table(cols, schema=PEOPLE_SCHEMA)


def run_coverage(actor: User, province_code: str | None = None) -> tuple[str, bool, list[int]]:
    """The area a run started by `actor` covers: (province code, or "" for every province;
    whether it is a list of communes rather than a province; the communes' ids).

    A national actor covers the province asked for (or every province); anyone else their own
    area, refused for another province."""
    from chitra.geo.models import Commune
    from chitra.geo.selectors import communes_in_scope

    if actor.is_national:
        code = province_code or ""
        qs = Commune.objects.filter(province__code=code) if code else Commune.objects.all()
        return code, False, list(qs.order_by("id").values_list("id", flat=True))
    own = actor.area_province.code if actor.area_province_id else ""  # type: ignore[union-attr]
    if not own or (province_code and province_code != own):
        raise ChitraError(
            _("You can verify only the beneficiaries of your own area (%(area)s).")
            % {"area": actor.scope_label() or "-"}
        )
    limited = actor.scope_commune_ids() is not None
    ids = list(communes_in_scope(actor).order_by("id").values_list("id", flat=True))
    return own, limited, ids


def run_open(
    *,
    actor: User,
    origin: str,
    connector_name: str,
    register_loaded_at: str = "",
    province_code: str | None = None,
    job_id: int | None = None,
    changed_since: dt.datetime | None = None,
    audit_after: dict[str, Any] | None = None,
) -> VerificationRun:
    """Record a run as it starts, with the communes it covers (`run_coverage`), so that it is
    listed, running, succeeded or failed, for every user of that area (committed at once).
    Every run is opened here (`verification_run`, outreach's check of reported deaths)."""
    require_perm(actor, Perm.VERIFY_RUN)
    if origin not in VerificationRun.Origin.values:
        raise ChitraError(_("Unknown origin '%(value)s'.") % {"value": origin})
    code, limited, commune_ids = run_coverage(actor, province_code)
    with transaction.atomic():
        run = VerificationRun.objects.create(
            started_by=actor,
            job_id=job_id,
            connector=connector_name,
            register_loaded_at=register_loaded_at,
            province_code=code,
            commune_scoped=limited,
            origin=origin,
            changed_since=changed_since,
        )
        VerificationRunArea.objects.bulk_create(
            [VerificationRunArea(run=run, commune_id=c) for c in commune_ids], batch_size=BATCH
        )
        audit_record(
            actor,
            "verification.run.start",
            obj=run,
            province=code or None,
            after={
                "connector": connector_name,
                "province": code,
                "communes": len(commune_ids),
                "origin": origin,
                "changed_since": changed_since.isoformat() if changed_since else None,
                **(audit_after or {}),
            },
        )
    return run


def verification_run(
    *,
    actor: User,
    province_code: str | None = None,
    progress: ProgressFn | None = None,
    job_id: int | None = None,
    changed_since: dt.datetime | None = None,
    origin: str | None = None,
) -> VerificationRun:
    """Verify the registry (the actor's area) against the register and apply the outcomes.

    With `changed_since`, only the beneficiaries whose register entry changed since then
    (deaths, corrections: the connector's change feed) are verified: the periodic re-check.
    `origin`: where it was started (a job: the page; else the command line, or a schedule).
    The run records the communes it covers as it starts (`run_open`)."""
    require_perm(actor, Perm.VERIFY_RUN)
    if origin is None:
        origin = VerificationRun.Origin.PAGE if job_id else VerificationRun.Origin.COMMAND
    run = run_open(
        actor=actor,
        origin=origin,
        province_code=province_code,
        job_id=job_id,
        changed_since=changed_since,
        connector_name=str(settings.CHITRA_REGISTER_CONNECTOR),
    )
    try:
        # a register that is not there fails the run (listed, with the message), as a
        # scheduled run that nobody watches must show on the page
        connector = get_connector()
        VerificationRun.objects.filter(pk=run.pk).update(
            connector=connector.name, register_loaded_at=connector.describe()
        )
        if progress:
            progress("read", 0, 0)
        ids = None
        if changed_since is not None:
            ids = sorted(_changed_ids(connector, changed_since))
        people = registry_people(actor, province_code=run.province_code or None, personal_ids=ids)
        if progress:
            progress("verify", 0, people.num_rows)
        outcomes = connector.verify_batch(people)
        apply_outcomes(actor=actor, run=run, outcomes=outcomes, progress=progress)
    except Exception as exc:
        VerificationRun.objects.filter(pk=run.pk).update(
            status=VerificationRun.Status.FAILED,
            message=str(exc)[:2000],
            finished_at=timezone.now(),
        )
        raise
    run.refresh_from_db()
    return run


def _changed_ids(connector: Any, since: dt.datetime) -> set[str]:
    """Who changed in the register since `since`: the deaths and corrections it notified
    (G2P Connect /notify) and, unless CHITRA_REGISTER_CHANGE_FEED is off, its change feed."""
    from chitra.verification.g2p_registry import notified_ids_since

    ids = notified_ids_since(since)
    if settings.CHITRA_REGISTER_CHANGE_FEED:
        ids |= {c.personal_id for c in connector.changes_since(since)}
    return ids


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def apply_outcomes(
    *, actor: User, run: VerificationRun, outcomes: pa.Table, progress: ProgressFn | None = None
) -> dict[str, int]:
    """Store a run's results and bring statuses, work queues and suspensions up to date, in
    one transaction: a run that stops (an error, a killed worker) applies nothing. `progress`
    is called after each batch, inside the transaction."""
    now = timezone.now()
    cols = {name: outcomes.column(name).to_pylist() for name in outcomes.column_names}
    n = outcomes.num_rows
    counts: dict[str, int] = {o: 0 for o in Outcome.values}
    by_commune: dict[int, dict[str, int]] = {}
    with transaction.atomic():
        _apply_batches(actor, run, cols, n, now, counts, progress, by_commune)
        total = sum(counts.values())
        _write_area_counts(run, by_commune)
        VerificationRun.objects.filter(pk=run.pk).update(
            status=VerificationRun.Status.SUCCEEDED,
            total=total,
            counts=counts,
            finished_at=timezone.now(),
        )
        audit_record(
            actor,
            "verification.run.finish",
            obj=run,
            province=run.province_code or None,
            after={"total": total, **counts},
        )
    return counts


def _write_area_counts(run: VerificationRun, by_commune: dict[int, dict[str, int]]) -> None:
    """The run's counts per commune (a commune a beneficiary moved to since the run started
    is added to its area)."""
    rows = [
        VerificationRunArea(run=run, commune_id=commune_id, total=sum(c.values()), **c)
        for commune_id, c in by_commune.items()
    ]
    VerificationRunArea.objects.bulk_create(
        rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["run", "commune"],
        update_fields=["total", *OUTCOME_FIELDS],
    )


def verification_run_stopped(job_id: int, message: str) -> None:
    """The run of a job whose worker stopped (core.jobs' sweep): failed, with the job's
    message (its outcomes were never committed)."""
    VerificationRun.objects.filter(job_id=job_id, status=VerificationRun.Status.RUNNING).update(
        status=VerificationRun.Status.FAILED, message=message[:2000], finished_at=timezone.now()
    )


def _apply_batches(
    actor: User,
    run: VerificationRun,
    cols: dict[str, list[Any]],
    n: int,
    now: dt.datetime,
    counts: dict[str, int],
    progress: ProgressFn | None,
    by_commune: dict[int, dict[str, int]],
) -> None:
    for i in range(0, n, BATCH):
        idx = range(i, min(n, i + BATCH))
        ben_ids = [int(cols["input_row"][k]) for k in idx]
        bens = Beneficiary.objects.in_bulk(ben_ids)
        results = []
        for k in idx:
            bid = int(cols["input_row"][k])
            if bid not in bens:
                continue  # deleted meanwhile
            outcome = cols["outcome"][k]
            counts[outcome] += 1
            area = by_commune.get(bens[bid].commune_id)
            if area is None:
                area = by_commune[bens[bid].commune_id] = {o: 0 for o in OUTCOME_FIELDS}
            area[outcome] += 1
            results.append(
                VerificationResult(
                    run=run,
                    beneficiary_id=bid,
                    outcome=outcome,
                    mismatched_fields=_s(cols["mismatched_fields"][k]),
                    name_accents=bool(cols.get("name_accents", [False] * n)[k]),
                    candidate_ids=_s(cols["candidate_ids"][k]),
                    candidate_scores=_s(cols["candidate_scores"][k]),
                    reg_full_name=_s(cols.get("reg_full_name", [None] * n)[k]),
                    reg_birth_date=_s(cols.get("reg_birth_date", [None] * n)[k]),
                    reg_sex=_s(cols.get("reg_sex", [None] * n)[k]),
                    reg_commune_code=_s(cols.get("reg_commune_code", [None] * n)[k]),
                    death_date=_to_date(cols.get("death_date", [None] * n)[k]),
                )
            )
        VerificationResult.objects.bulk_create(results, batch_size=BATCH)
        _update_statuses(results, now)
        proof_of_life_record(
            actor=actor,
            on=timezone.localtime(now).date(),
            source=ProofOfLifeSource.REGISTER,
            reference=f"run {run.pk}",
            beneficiaries=[r.beneficiary_id for r in results if _found_alive(r)],
            province=run.province_code or None,
        )
        _update_queues(results, bens)
        deaths = [r for r in results if r.outcome == Outcome.DECEASED and r.death_date]
        if deaths:
            _suspend_deceased(actor, deaths, bens)
        if progress:
            progress("write", min(n, i + BATCH), n)


def _to_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _found_alive(r: VerificationResult) -> bool:
    """Seen alive by the register: only when the register confirms it is this person (a
    mismatch may be somebody else holding the ID number; an officer confirms it in person)."""
    return r.outcome == Outcome.VERIFIED and bool(r.reg_full_name) and r.death_date is None


def _update_statuses(results: Sequence[VerificationResult], now: dt.datetime) -> None:
    existing = PersonStatus.objects.in_bulk([r.beneficiary_id for r in results])
    rows = []
    for r in results:
        old = existing.get(r.beneficiary_id)
        alive_seen = now if _found_alive(r) else (old.alive_seen_at if old else None)
        rows.append(
            PersonStatus(
                beneficiary_id=r.beneficiary_id,
                outcome=r.outcome,
                last_result=r,
                last_verified_at=now,
                confirmed_on_register=r.outcome == Outcome.VERIFIED,
                alive_seen_at=alive_seen,
                identity_confirmed_at=old.identity_confirmed_at if old else None,
                identity_confirmed_by_id=old.identity_confirmed_by_id if old else None,
            )
        )
    PersonStatus.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["beneficiary"],
        update_fields=[
            "outcome",
            "last_result",
            "last_verified_at",
            "confirmed_on_register",
            "alive_seen_at",
        ],
    )


def _update_queues(results: Sequence[VerificationResult], bens: dict[int, Beneficiary]) -> None:
    ids = [r.beneficiary_id for r in results]
    open_tasks = {
        t.beneficiary_id: t
        for t in CleaningTask.objects.filter(
            beneficiary_id__in=ids, status=CleaningTask.Status.OPEN
        )
    }
    new, changed, closed = [], [], []
    for r in results:
        task = open_tasks.get(r.beneficiary_id)
        if r.outcome == Outcome.VERIFIED:
            if task is not None:
                task.status = CleaningTask.Status.RESOLVED
                task.resolution = CleaningTask.Resolution.SUPERSEDED
                task.resolved_at = timezone.now()
                closed.append(task)
            continue
        if task is None:
            new.append(
                CleaningTask(
                    beneficiary_id=r.beneficiary_id,
                    result=r,
                    commune_id=bens[r.beneficiary_id].commune_id,
                    outcome=r.outcome,
                )
            )
        else:
            task.result, task.outcome = r, r.outcome
            changed.append(task)
    CleaningTask.objects.bulk_create(new, batch_size=BATCH)
    if changed:
        CleaningTask.objects.bulk_update(changed, ["result", "outcome", "updated_at"])
    if closed:
        CleaningTask.objects.bulk_update(
            closed, ["status", "resolution", "resolved_at", "updated_at"]
        )


def _death_suspensions(ents: list[Entitlement]) -> tuple[set[Any], set[Any]]:
    """The entitlements already under an active death suspension, and the (entitlement, detail)
    pairs of suspensions an approver reversed (the register is wrong for that death date)."""
    active = set(
        Suspension.objects.filter(
            entitlement__in=ents,
            reason=Suspension.Reason.DECEASED,
            reversed_at__isnull=True,
        ).values_list("entitlement_id", flat=True)
    )
    reversed_ = set(
        Suspension.objects.filter(
            entitlement__in=ents,
            reason=Suspension.Reason.DECEASED,
            reversed_at__isnull=False,
        ).values_list("entitlement_id", "detail")
    )
    return active, reversed_


def _suspend_for_death(
    actor: User, ent: Entitlement, r: VerificationResult, death_date: dt.date, detail: str
) -> tuple[Suspension, dt.date, AuditRow]:
    """Suspend one entitlement from the month after `death_date`: the suspension, its first
    month and the audit row of the entitlement's change."""
    from_month = add_months(month_start(death_date), 1)
    sus = Suspension.objects.create(
        entitlement=ent,
        reason=Suspension.Reason.DECEASED,
        from_month=from_month,
        detail=detail,
        previous_status=ent.status,
        previous_reason=ent.status_reason,
        result=r,
        created_by=actor,
    )
    before = {"status": ent.status, "status_reason": ent.status_reason}
    ent.status = Entitlement.Status.SUSPENDED
    ent.status_reason = _("Deceased on %(date)s (population register)") % {
        "date": death_date.strftime("%d/%m/%Y")
    }
    ent.save(update_fields=["status", "status_reason", "updated_at"])
    row = AuditRow(
        "registry.entitlement",
        ent.pk,
        str(ent),
        before,
        {
            "status": ent.status,
            "status_reason": ent.status_reason,
            "from_month": from_month.isoformat(),
        },
    )
    return sus, from_month, row


def _recoveries_after_death(
    suspended: list[tuple[Entitlement, Suspension, dt.date, dt.date]],
) -> list[AuditRow]:
    """A recovery of each suspended monthly entitlement paid after death. Only money that
    really left: months a line paid, or paid before chitra (up to the imported paid-through
    month); never a failed, returned or unanswered payment."""
    from chitra.verification.ports import months_paid_from

    rows: list[AuditRow] = []
    paid = months_paid_from.get()([s[0] for s in suspended], {s[0].pk: s[3] for s in suspended})
    for ent, sus, death_date, _from in suspended:
        months = paid.get(ent.pk)
        if not months:
            continue
        rec = Recovery.objects.create(
            beneficiary=ent.beneficiary,
            entitlement=ent,
            suspension=sus,
            death_date=death_date,
            first_month=months[0][0],
            last_month=months[-1][0],
            months=len(months),
            amount=sum(amount for _m, amount in months),
        )
        rows.append(
            AuditRow(
                "verification.recovery",
                rec.pk,
                str(rec),
                None,
                {
                    "months": rec.months,
                    "amount": rec.amount,
                    "first_month": rec.first_month.isoformat(),
                    "last_month": rec.last_month.isoformat(),
                },
            )
        )
    return rows


def _suspend_deceased(
    actor: User, deaths: Sequence[VerificationResult], bens: dict[int, Beneficiary]
) -> None:
    """Suspend every entitlement from the month after death; compute what was paid after it."""
    by_ben = {r.beneficiary_id: r for r in deaths}
    ents = list(Entitlement.objects.filter(beneficiary_id__in=by_ben).select_related("beneficiary"))
    active, reversed_ = _death_suspensions(ents)
    audit_rows: list[AuditRow] = []
    suspended: list[tuple[Entitlement, Suspension, dt.date, dt.date]] = []
    for ent in ents:
        r = by_ben[ent.beneficiary_id]
        assert r.death_date is not None
        detail = f"death {r.death_date.isoformat()}"
        if ent.pk in active or (ent.pk, detail) in reversed_ or ent.status == "stopped":
            continue
        sus, from_month, row = _suspend_for_death(actor, ent, r, r.death_date, detail)
        audit_rows.append(row)
        if ent.benefit_type in MONTHLY_BENEFITS:
            suspended.append((ent, sus, r.death_date, from_month))
    audit_rows += _recoveries_after_death(suspended)
    dead_ids = list(by_ben)
    Beneficiary.objects.filter(id__in=dead_ids).exclude(status=Beneficiary.Status.DECEASED).update(
        status=Beneficiary.Status.DECEASED, updated_at=timezone.now()
    )
    audit_bulk(actor, "verification.deceased.suspend", audit_rows)


def _refresh_recovery(sus: Suspension, months: list[Any], rec: Recovery | None) -> Recovery | None:
    """Bring the recovery of one death suspension in line with the months really paid after
    death: cancelled when none is left, created when missing, else updated. The recovery
    changed, or None when nothing changed."""
    if not months:
        if rec is None:
            return None
        rec.status = Recovery.Status.CANCELLED
        rec.save(update_fields=["status", "updated_at"])
        return rec
    values = {
        "first_month": months[0][0],
        "last_month": months[-1][0],
        "months": len(months),
        "amount": sum(a for _m, a in months),
    }
    if rec is None:
        died = (
            sus.result.death_date
            if sus.result is not None and sus.result.death_date
            else add_months(sus.from_month, -1)
        )
        return Recovery.objects.create(
            beneficiary=sus.entitlement.beneficiary,
            entitlement=sus.entitlement,
            suspension=sus,
            death_date=died,
            **values,
        )
    if all(getattr(rec, k) == v for k, v in values.items()):
        return None
    for k, v in values.items():
        setattr(rec, k, v)
    rec.save(update_fields=[*values, "updated_at"])
    return rec


def _recovery_row(rec: Recovery, before: dict[str, Any] | None) -> AuditRow:
    return AuditRow(
        "verification.recovery",
        rec.pk,
        str(rec),
        before,
        {"months": rec.months, "amount": rec.amount, "status": rec.status},
    )


def recoveries_refresh(*, actor: User | None, result_import: Any) -> int:
    """A results file answered lines of people already found dead: the recovery follows the
    money that really left. A month sent without an answer when the death was found and now
    reported paid is claimed; a month claimed as paid that came back (a return) is no longer
    claimed. Open recoveries are updated (cancelled when nothing is left to claim), a missing
    one is created; a recovery already recovered is left as it is. Returns how many changed.
    Few queries whatever the file's size (the entitlements under an active death suspension
    among the lines the file answered)."""
    from chitra.verification.ports import entitlements_answered, months_paid_from

    answered, came_back = entitlements_answered.get()(result_import)
    suspensions = list(
        Suspension.objects.filter(
            reason=Suspension.Reason.DECEASED,
            reversed_at__isnull=True,
            entitlement__benefit_type__in=sorted(MONTHLY_BENEFITS),
        )
        .filter(Q(entitlement_id__in=answered) | Q(entitlement_id__in=came_back))
        .select_related("entitlement__beneficiary", "result")
    )
    if not suspensions:
        return 0
    paid = months_paid_from.get()(
        [s.entitlement for s in suspensions], {s.entitlement_id: s.from_month for s in suspensions}
    )
    existing = {
        r.suspension_id: r
        for r in Recovery.objects.select_for_update().filter(suspension__in=suspensions)
    }
    rows: list[AuditRow] = []
    for sus in suspensions:
        months = paid.get(sus.entitlement_id) or []
        rec = existing.get(sus.pk)
        if rec is not None and rec.status != Recovery.Status.OPEN:
            continue
        before = (
            None
            if rec is None
            else {"months": rec.months, "amount": rec.amount, "status": rec.status}
        )
        changed = _refresh_recovery(sus, months, rec)
        if changed is None:
            continue
        rows.append(_recovery_row(changed, before))
    if rows:
        audit_bulk(
            actor,
            "verification.recovery.refresh",
            rows,
            reason=f"results {result_import.pk}",
            province=result_import.cycle.province_id,
        )
    return len(rows)


def suspension_reverse(*, actor: User, suspension: Suspension, reason: str) -> Suspension:
    """An approver lifts a suspension (e.g. the register's death record was wrong)."""
    require_perm(actor, Perm.SUSPENSION_REVERSE)
    if not reason.strip():
        raise ChitraError(_("A reason is required to reverse a suspension."))
    with transaction.atomic():
        sus = (
            Suspension.objects.select_for_update()
            .select_related("entitlement__beneficiary")
            .get(pk=suspension.pk)
        )
        beneficiary_get(actor, sus.entitlement.beneficiary_id, audit=False)  # scope
        if sus.reversed_at is not None:
            raise ChitraError(_("This suspension was already reversed."))
        ent = sus.entitlement
        before = {"status": ent.status, "status_reason": ent.status_reason}
        ent.status, ent.status_reason = sus.previous_status, sus.previous_reason
        ent.save(update_fields=["status", "status_reason", "updated_at"])
        sus.reversed_at, sus.reversed_by, sus.reversal_reason = timezone.now(), actor, reason
        sus.save(update_fields=["reversed_at", "reversed_by", "reversal_reason", "updated_at"])
        Recovery.objects.filter(suspension=sus, status=Recovery.Status.OPEN).update(
            status=Recovery.Status.CANCELLED, updated_at=timezone.now()
        )
        ben = ent.beneficiary
        still_dead = Suspension.objects.filter(
            entitlement__beneficiary=ben,
            reason=Suspension.Reason.DECEASED,
            reversed_at__isnull=True,
        ).exists()
        if ben.status == Beneficiary.Status.DECEASED and not still_dead:
            ben.status = Beneficiary.Status.ACTIVE
            ben.save(update_fields=["status", "updated_at"])
        audit_record(
            actor,
            "verification.suspension.reverse",
            obj=sus,
            before=before,
            after={"status": ent.status, "status_reason": ent.status_reason},
            reason=reason,
        )
    return sus


# --------------------------------------------------------------------------------------------
# lists given by offices and police (classified, never written to the registry)
# --------------------------------------------------------------------------------------------


def verify_list_file(
    *, actor: User, path: Path, sheet: str | None = None, province_code: str | None = None
) -> pa.Table:
    from chitra.core.errors import header_error_text, table_error_text
    from chitra.core.uploads import read_limits
    from chitra.engine.rows.beneficiary import BENEFICIARY_FIELDS
    from chitra.engine.rows.people import read_people
    from chitra.engine.sheets.headers import HeaderError
    from chitra.engine.sheets.reading import HeaderSpec, TableReadError, read_grid
    from chitra.geo.models import Commune

    require_perm(actor, Perm.VERIFY_RUN)
    province_code = province_code or settings.CHITRA_DEFAULT_PROVINCE
    try:
        grid = read_grid(
            path,
            sheet=sheet,
            limits=read_limits(),
            header=HeaderSpec(BENEFICIARY_FIELDS, ("full_name",)),
        )
    except TableReadError as exc:
        raise ChitraError(
            _("Cannot read the file %(name)s: %(detail)s")
            % {"name": path.name, "detail": table_error_text(exc)}
        ) from exc
    communes = dict(
        Commune.objects.filter(province__code=province_code).values_list("code", "name")
    )
    try:
        people = read_people(grid, communes)
    except HeaderError as exc:
        raise ChitraError(header_error_text(exc, grid.sheet_name)) from exc
    outcomes = get_connector().verify_batch(people)
    audit_record(
        actor,
        "verification.list",
        object_type="verification.list",
        object_repr=path.name,
        after={"rows": people.num_rows},
        province=province_code,
    )
    return outcomes


# --------------------------------------------------------------------------------------------
# cleaning work
# --------------------------------------------------------------------------------------------


def _task_for_update(actor: User, task: CleaningTask) -> CleaningTask:
    require_perm(actor, Perm.CLEANING_WORK)
    t = (
        CleaningTask.objects.select_for_update(of=("self",))
        .select_related("beneficiary", "result")
        .get(pk=task.pk)
    )
    beneficiary_get(actor, t.beneficiary_id, audit=False)  # 404 when out of scope
    if t.status != CleaningTask.Status.OPEN:
        raise ChitraError(_("This task is already resolved."))
    return t


def _resolve(actor: User, t: CleaningTask, resolution: str, note: str) -> None:
    t.status, t.resolution, t.note = CleaningTask.Status.RESOLVED, resolution, note
    t.resolved_at, t.resolved_by = timezone.now(), actor
    t.save(
        update_fields=["status", "resolution", "note", "resolved_at", "resolved_by", "updated_at"]
    )


def cleaning_assign(*, actor: User, tasks: Iterable[CleaningTask], officer: User | None) -> int:
    """Give tasks to an officer of an organisation working on the same area (or unassign)."""
    require_perm(actor, Perm.CLEANING_WORK)
    from chitra.iam.access import has_perm

    if officer is not None and not has_perm(officer, Perm.CLEANING_WORK):
        raise ChitraError(_("%(name)s cannot work on cleaning tasks.") % {"name": officer})
    with transaction.atomic():
        ids = [t.pk for t in tasks]
        qs = scope_queryset(
            actor, CleaningTask.objects.filter(pk__in=ids, status=CleaningTask.Status.OPEN)
        )
        if officer is not None:
            qs = scope_queryset(officer, qs)
        changed = list(qs.values_list("pk", flat=True))
        qs.update(assigned_to=officer, updated_at=timezone.now())
        audit_bulk(
            actor,
            "verification.task.assign",
            [
                AuditRow(
                    "verification.cleaningtask",
                    pk,
                    f"#{pk}",
                    None,
                    {"assigned_to": officer.username if officer else None},
                )
                for pk in changed
            ],
        )
    return len(changed)


REGISTER_FIELDS = ("full_name", "birth_date", "sex")


def cleaning_take_register_values(
    *, actor: User, task: CleaningTask, fields: Sequence[str] = REGISTER_FIELDS, note: str = ""
) -> Beneficiary:
    """Copy the register's name / date of birth / sex into the registry (before/after kept)."""
    with transaction.atomic():
        t = _task_for_update(actor, task)
        r = t.result
        if r is None or not r.reg_full_name:
            raise ChitraError(_("The register has no record for this person."))
        ben = Beneficiary.objects.select_for_update().get(pk=t.beneficiary_id)
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        if "full_name" in fields and r.reg_full_name and r.reg_full_name != ben.full_name:
            before["full_name"], after["full_name"] = ben.full_name, r.reg_full_name
            ben.full_name, ben.name_folded = r.reg_full_name, fold_name(r.reg_full_name)
        if "birth_date" in fields and r.reg_birth_date:
            day, precision = parse_register_date(r.reg_birth_date)
            if (day, precision) != (ben.birth_date, ben.birth_precision):
                before["birth_date"] = f"{ben.birth_date.isoformat()}/{ben.birth_precision}"
                after["birth_date"] = f"{day.isoformat()}/{precision}"
                ben.birth_date, ben.birth_precision = day, precision
        if "sex" in fields and r.reg_sex and r.reg_sex != ben.sex:
            before["sex"], after["sex"] = ben.sex, r.reg_sex
            ben.sex = r.reg_sex
        ben.save()
        _resolve(actor, t, CleaningTask.Resolution.TOOK_REGISTER_VALUES, note)
        PersonStatus.objects.filter(beneficiary=ben).update(confirmed_on_register=True)
        audit_record(
            actor,
            "verification.take_register_values",
            obj=ben,
            before=before,
            after=after,
            reason=note,
        )
    return ben


def cleaning_flag_register(*, actor: User, task: CleaningTask, note: str) -> CleaningTask:
    """The register is wrong: flag its entry for correction by the police, with a note."""
    if not note.strip():
        raise ChitraError(_("Say what is wrong in the register."))
    with transaction.atomic():
        t = _task_for_update(actor, task)
        _resolve(actor, t, CleaningTask.Resolution.FLAGGED_REGISTER, note)
        audit_record(
            actor,
            "verification.flag_register",
            obj=t.beneficiary,
            reason=note,
            after={"personal_id": t.beneficiary.personal_id},
        )
    return t


def cleaning_confirm_identity(*, actor: User, task: CleaningTask, note: str) -> CleaningTask:
    """An officer met the person and checked their papers."""
    if not note.strip():
        raise ChitraError(_("Note how the identity was checked (document, place)."))
    with transaction.atomic():
        t = _task_for_update(actor, task)
        now = timezone.now()
        _resolve(actor, t, CleaningTask.Resolution.CONFIRMED_IN_PERSON, note)
        PersonStatus.objects.filter(beneficiary_id=t.beneficiary_id).update(
            identity_confirmed_at=now, identity_confirmed_by=actor
        )
        proof_of_life_record(
            actor=actor,
            on=timezone.localtime(now).date(),
            source=ProofOfLifeSource.IN_PERSON,
            reference=f"task {t.pk}",
            beneficiaries=t.beneficiary,
        )
        audit_record(actor, "verification.confirm_identity", obj=t.beneficiary, reason=note)
    return t


def cleaning_link_candidate(
    *, actor: User, task: CleaningTask, personal_id: str, note: str = ""
) -> Beneficiary:
    """Give a no-ID record the personal ID of the register person chosen among candidates."""
    with transaction.atomic():
        t = _task_for_update(actor, task)
        r = t.result
        candidates = [c for c, _s in r.candidates()] if r else []
        if personal_id not in candidates:
            raise ChitraError(
                _("%(id)s is not one of this record's candidates.") % {"id": personal_id}
            )
        if Beneficiary.objects.filter(personal_id=personal_id).exists():
            raise ChitraError(
                _("Another beneficiary already has the ID %(id)s: merge the duplicates instead.")
                % {"id": personal_id}
            )
        ben = Beneficiary.objects.select_for_update().get(pk=t.beneficiary_id)
        before = {"personal_id": ben.personal_id}
        ben.personal_id = personal_id
        ben.save(update_fields=["personal_id", "updated_at"])
        _resolve(actor, t, CleaningTask.Resolution.LINKED_CANDIDATE, note)
        audit_record(
            actor,
            "verification.link_candidate",
            obj=ben,
            before=before,
            after={"personal_id": personal_id},
            reason=note,
        )
    return ben


def cleaning_merge(
    *, actor: User, keep: Beneficiary, remove: Beneficiary, note: str = ""
) -> Beneficiary:
    """Merge a duplicate record into another: entitlements move (one per benefit), the
    duplicate becomes inactive; refused when both hold the same benefit."""
    require_perm(actor, Perm.CLEANING_WORK)
    if keep.pk == remove.pk:
        raise ChitraError(_("Choose two different records."))
    with transaction.atomic():
        k = beneficiary_get(actor, keep.pk, audit=False)
        r = beneficiary_get(actor, remove.pk, audit=False)
        clash = set(k.entitlements.values_list("benefit_type", flat=True)) & set(
            r.entitlements.values_list("benefit_type", flat=True)
        )
        if clash:
            raise ChitraError(
                _("Both records hold %(benefits)s: settle the entitlements first.")
                % {"benefits": ", ".join(sorted(clash))}
            )
        moved = list(r.entitlements.values_list("pk", flat=True))
        Entitlement.objects.filter(pk__in=moved).update(beneficiary=k, updated_at=timezone.now())
        reps = list(r.representatives.values_list("pk", flat=True))
        r.representatives.update(beneficiary=k)
        before = {"personal_id": r.personal_id, "si_number": r.si_number, "status": r.status}
        r.status = Beneficiary.Status.INACTIVE
        r.save(update_fields=["status", "updated_at"])
        for t in CleaningTask.objects.filter(
            beneficiary__in=[k, r], status=CleaningTask.Status.OPEN
        ):
            _resolve(actor, t, CleaningTask.Resolution.MERGED, note)
        audit_record(
            actor,
            "verification.merge",
            obj=k,
            before=before,
            after={"merged": r.pk, "entitlements_moved": moved, "representatives_moved": reps},
            reason=note,
        )
    return k


def proof_of_life_cutoff(month: dt.date | None = None) -> dt.date:
    """A person paid into an account whose proof of life is older than this date is excluded
    from the payroll of `month` (default: this month): it was due before the month began."""
    return overdue_before(month or timezone.localdate())


def proof_of_life_due_filter(as_of: dt.date | None = None) -> Q:
    """Beneficiaries whose proof of life is due within the warning window or overdue on
    `as_of` (or missing): due date = proof + CHITRA_PROOF_OF_LIFE_MONTHS."""
    from chitra.verification.proof_of_life import latest_proof_due_by, warn_until

    latest = latest_proof_due_by(warn_until(as_of))
    return Q(proof_of_life_on__isnull=True) | Q(proof_of_life_on__lte=latest)
