"""Proof of life (issue #12, ADR 0011): one stored date per beneficiary, counted from the latest
of the moments the person was seen alive, moved forward (never back) by `proof_of_life_record`,
the one function every source calls:

- seen alive in the population register (a verification run);
- confirmed in person (a cleaning task, an outreach visit that met the person, a counter visit);
- an account opened or confirmed by the provider (its own KYC, with the chip ID card);
- a cash payment collected in person;
- the month the person started being paid into an account (the clock starts at the switch).

The proof is due `CHITRA_PROOF_OF_LIFE_MONTHS` (12) months after that date. A person paid into
an account is warned `CHITRA_PROOF_OF_LIFE_WARN_DAYS` (60) days before (list and notification)
and is excluded from a month's payroll only when the proof was due before that month began.
Imports no other app's services: every app may call it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core.audit import audit_record
from chitra.core.errors import ChitraError
from chitra.kernel.months import shift_months
from chitra.registry.models import Beneficiary, ProofOfLifeSource

if TYPE_CHECKING:
    from chitra.iam.models import User

Source = ProofOfLifeSource
CHUNK = 5000


def _months() -> int:
    return int(settings.CHITRA_PROOF_OF_LIFE_MONTHS)


def due_on(proof: dt.date | None) -> dt.date | None:
    """When the next proof of life is due (None: no proof at all, due now)."""
    return None if proof is None else shift_months(proof, _months())


def overdue_before(month: dt.date) -> dt.date:
    """A proof of life older than this date is overdue in the payroll of `month`: its due date
    fell before the month began (due < day 1 of the month, see ADR 0011)."""
    return shift_months(month.replace(day=1), -_months())


def latest_proof_due_by(day: dt.date) -> dt.date:
    """The latest proof date whose due date is on or before `day` (due dates only grow with the
    proof date; 29 February and month ends make it differ from `day` - 12 months by a few
    days, so it is searched from there)."""
    proof = shift_months(day, -_months())
    while shift_months(proof + dt.timedelta(days=1), _months()) <= day:
        proof += dt.timedelta(days=1)
    return proof


def stops_from(proof: dt.date | None) -> dt.date | None:
    """The first payment month that excludes a person paid into an account if no new proof of
    life comes: the month after the one the proof is due in."""
    due = due_on(proof)
    if due is None:
        return None
    return shift_months(due.replace(day=1), 1)


def warn_until(today: dt.date | None = None) -> dt.date:
    """Due dates up to this one are warned about (today + CHITRA_PROOF_OF_LIFE_WARN_DAYS)."""
    return (today or timezone.localdate()) + dt.timedelta(
        days=int(settings.CHITRA_PROOF_OF_LIFE_WARN_DAYS)
    )


def proof_of_life_state(proof: dt.date | None, today: dt.date | None = None) -> str:
    """ "overdue" (the due date has passed, or no proof at all), "due_soon" (due within the
    warning window) or "ok"."""
    today = today or timezone.localdate()
    due = due_on(proof)
    if due is None or due < today:
        return "overdue"
    if due <= warn_until(today):
        return "due_soon"
    return "ok"


def proof_of_life_record(
    *,
    actor: User | None,
    on: dt.date,
    source: str,
    reference: str,
    beneficiaries: Beneficiary | QuerySet[Any] | Iterable[int],
    audit: bool = True,
    province: Any = None,
) -> int:
    """Move the proof of life of `beneficiaries` (one, a queryset of beneficiaries or of their
    ids, or ids) forward to `on`: only where it is older or missing, never back; the same
    date again changes nothing (the first source of a day is kept). Set-based (one UPDATE per
    5,000 ids, or one for a queryset): a verification run or a results file moves thousands.
    Returns how many people moved. One audit event per call (naming the person when it is
    one); call it inside the source's own transaction so that both stand or fall together."""
    if source not in Source.values:
        raise ChitraError(_("Unknown source of proof of life: %(source)s.") % {"source": source})
    if isinstance(on, dt.datetime):
        on = timezone.localtime(on).date() if timezone.is_aware(on) else on.date()
    reference = (reference or "")[:64]
    # never for a person recorded dead: no source (a bank's KYC, a cash line...) may restart
    # the clock of a death the register or a report established; the death is undone first
    older = (Q(proof_of_life_on__isnull=True) | Q(proof_of_life_on__lt=on)) & ~Q(
        status=Beneficiary.Status.DECEASED
    )
    values = {
        "proof_of_life_on": on,
        "proof_of_life_source": source,
        "proof_of_life_ref": reference,
    }
    single = beneficiaries if isinstance(beneficiaries, Beneficiary) else None
    with transaction.atomic():
        if single is not None:
            before = dict(
                Beneficiary.objects.filter(pk=single.pk)
                .values("proof_of_life_on", "proof_of_life_source", "proof_of_life_ref")
                .first()
                or {}
            )
            moved = Beneficiary.objects.filter(older, pk=single.pk).update(**values)
            if moved:
                for k, v in values.items():
                    setattr(single, k, v)
        else:
            moved = _move_many(beneficiaries, older, values)  # type: ignore[arg-type]
        if audit and moved:
            if single is not None:
                audit_record(
                    actor,
                    "proof_of_life.record",
                    obj=single,
                    before={k: before.get(k) for k in values},
                    after={**values, "due_on": due_on(on)},
                )
            else:
                _audit_many(actor, province, reference, values, on, moved)
    return moved


def _move_many(
    beneficiaries: QuerySet[Any] | Iterable[int], older: Q, values: dict[str, Any]
) -> int:
    """One UPDATE for a queryset, or one per CHUNK ids; how many people moved."""
    if isinstance(beneficiaries, QuerySet):
        return Beneficiary.objects.filter(older, pk__in=beneficiaries).update(**values)
    ids = sorted({int(i) for i in beneficiaries})
    moved = 0
    for i in range(0, len(ids), CHUNK):
        moved += Beneficiary.objects.filter(older, pk__in=ids[i : i + CHUNK]).update(**values)
    return moved


def _audit_many(
    actor: User | None,
    province: Any,
    reference: str,
    values: dict[str, Any],
    on: dt.date,
    moved: int,
) -> None:
    province = province or (
        actor.area_province_id
        if actor is not None and actor.area_province_id
        else settings.CHITRA_DEFAULT_PROVINCE
    )
    audit_record(
        actor,
        "proof_of_life.record",
        object_type="registry.beneficiary",
        object_repr=reference,
        province=province,
        after={**values, "due_on": due_on(on), "people": moved},
    )


def proof_of_life_cash_collected(
    *, actor: User | None, result_import: Any, on: dt.datetime | dt.date
) -> int:
    """The people of the cash lines (pay point, home delivery) that a results import has just
    marked paid collected their money in person: one set-based call for the whole file. A line
    paid to a representative (its payee is not the beneficiary) proves nothing of the person."""
    from chitra.verification.ports import cash_paid_to_person

    paid = cash_paid_to_person.get()(result_import)
    return proof_of_life_record(
        actor=actor,
        on=_as_date(on),
        source=Source.CASH,
        reference=f"results {result_import.pk}",
        beneficiaries=paid,
        province=result_import.cycle.province_id,
    )


def _as_date(on: dt.datetime | dt.date) -> dt.date:
    if isinstance(on, dt.datetime):
        return timezone.localtime(on).date() if timezone.is_aware(on) else on.date()
    return on


def proof_of_life_counter_visit(
    *, actor: User, beneficiary: Beneficiary, place: str, on: dt.date | None = None, note: str = ""
) -> Beneficiary:
    """The person came in person to a counter (BHXH office, police, commune, pay point) and
    showed their ID card: a proof of life on that day (not in the future), recorded by an
    officer of the person's area (BHXH or police: cleaning work), audited with the place."""
    from chitra.iam.access import Perm, require_perm
    from chitra.registry.selectors import beneficiary_get

    require_perm(actor, Perm.CLEANING_WORK)
    place, note = " ".join((place or "").split()), (note or "").strip()
    today = timezone.localdate()
    on = on or today
    if not place:
        raise ChitraError(_("Say at which counter the person came (office, place)."))
    if on > today:
        raise ChitraError(_("The date of the visit cannot be in the future."))
    with transaction.atomic():
        ben = beneficiary_get(actor, beneficiary.pk, audit=False)
        before = {
            "proof_of_life_on": ben.proof_of_life_on,
            "proof_of_life_source": ben.proof_of_life_source,
        }
        moved = proof_of_life_record(
            actor=actor,
            on=on,
            source=Source.COUNTER,
            reference=place,
            beneficiaries=ben,
            audit=False,
        )
        audit_record(
            actor,
            "proof_of_life.counter_visit",
            obj=ben,
            before=before,
            after={
                "on": on,
                "place": place,
                "moved": bool(moved),
                "proof_of_life_on": ben.proof_of_life_on,
                "due_on": due_on(ben.proof_of_life_on),
            },
            reason=note,
        )
    return ben


def proof_of_life_remind(
    *, actor: User, as_of: dt.date | None = None, dry_run: bool = False
) -> dict[str, int]:
    """Tell every person of the actor's area paid into an account whose proof of life is due
    within CHITRA_PROOF_OF_LIFE_WARN_DAYS days (or overdue) through the notification adapter
    (CHITRA_NOTIFIER): once per person and due date, whatever the number of runs (a reminder
    row per person and due date, unique in the database). Run it daily (`chitra
    proof_of_life_remind` from cron, or the task `proof_of_life_remind_task`). People without a
    phone, and people with no proof at all (no due date to name), are counted, not told."""
    from chitra.verification.models import ProofOfLifeReminder
    from chitra.verification.selectors import proof_of_life_due

    today = as_of or timezone.localdate()
    counts = {"due": 0, "sent": 0, "already": 0, "no_phone": 0, "no_proof": 0}
    with transaction.atomic():
        people = list(
            proof_of_life_due(actor, as_of=today)
            .values_list("pk", "phone", "proof_of_life_on")
            .iterator(chunk_size=CHUNK)
        )
        counts["due"] = len(people)
        new: list[ProofOfLifeReminder] = []
        messages: list[tuple[str, str]] = []
        now = timezone.now()
        for i in range(0, len(people), CHUNK):
            _chunk_reminders(people[i : i + CHUNK], today, now, counts, new, messages)
        counts["sent"] = len(new)
        ProofOfLifeReminder.objects.bulk_create(new, batch_size=CHUNK)
        if new:
            province = (
                actor.area_province_id
                if actor.area_province_id
                else settings.CHITRA_DEFAULT_PROVINCE
            )
            audit_record(
                actor,
                "proof_of_life.remind",
                object_type="verification.reminder",
                object_repr=today.isoformat(),
                province=province,
                after={**counts, "as_of": today},
            )
        if dry_run:
            transaction.set_rollback(True)
        elif messages:
            transaction.on_commit(lambda batch=messages: _send(batch))  # type: ignore[misc]
    return counts


def _chunk_reminders(
    part: list[tuple[int, str, dt.date | None]],
    today: dt.date,
    now: dt.datetime,
    counts: dict[str, int],
    new: list[Any],
    messages: list[tuple[str, str]],
) -> None:
    """The reminders (and their texts) of one chunk of people due; the others counted."""
    from chitra.verification.models import ProofOfLifeReminder

    sent = set(
        ProofOfLifeReminder.objects.filter(beneficiary_id__in=[p[0] for p in part]).values_list(
            "beneficiary_id", "due_on"
        )
    )
    for pk, phone, proof in part:
        due = due_on(proof)
        if due is None:
            counts["no_proof"] += 1
            continue
        if (pk, due) in sent:
            counts["already"] += 1
            continue
        if not phone:
            counts["no_phone"] += 1
            continue
        overdue = due < today
        text = _reminder_text(proof, due, overdue)  # type: ignore[arg-type]
        new.append(
            ProofOfLifeReminder(
                beneficiary_id=pk,
                due_on=due,
                sent_at=now,
                kind=(
                    ProofOfLifeReminder.Kind.OVERDUE
                    if overdue
                    else ProofOfLifeReminder.Kind.DUE_SOON
                ),
            )
        )
        messages.append((phone, str(text)))


def _send(batch: list[tuple[str, str]]) -> None:
    from chitra.core.notify import notify

    for phone, text in batch:
        notify(phone=phone, text=text)


def _reminder_text(proof: dt.date, due: dt.date, overdue: bool) -> str:
    """The text of a reminder: the proof of life is overdue, or due soon."""
    stop = stops_from(proof)
    assert stop is not None
    values = {"date": due.strftime("%d/%m/%Y"), "month": stop.strftime("%m/%Y")}
    if overdue:
        return (
            _(
                "BHXH: your yearly proof of life was due on %(date)s. Payment into "
                "your account stops from %(month)s until you come in person (BHXH "
                "office, commune, your bank or post office) with your ID card."
            )
            % values
        )
    return (
        _(
            "BHXH: please confirm that you are alive by %(date)s: come with "
            "your ID card to the BHXH office, the commune, your bank or post "
            "office. Without it, payment into your account stops from "
            "%(month)s."
        )
        % values
    )
