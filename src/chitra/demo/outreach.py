"""A demo outreach campaign (idempotent: once it exists, running again changes nothing)."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from chitra.geo.models import Commune, Province
from chitra.iam.access import Perm, has_perm
from chitra.iam.models import User
from chitra.kernel.names import fold_name
from chitra.outreach.models import Assignment, Campaign, Contact, Outcome
from chitra.outreach.services import (
    campaign_assign,
    campaign_create,
    contact_record,
    may_open_change_request,
    officer_communes,
)
from chitra.payment_methods.models import Method, Provider

if TYPE_CHECKING:
    from collections.abc import Sequence

DEMO_CAMPAIGN = "Vận động chi trả không dùng tiền mặt 2026"
DEMO_OFFICERS = ("cax.officer", "kv1.officer", "post.officer")
#: outcome weights of the demo contacts
OUTCOME_WEIGHTS: Sequence[tuple[str, int]] = (
    (Outcome.AGREED, 30),
    (Outcome.DECLINED, 12),
    (Outcome.UNREACHABLE, 15),
    (Outcome.NEEDS_ID_CARD, 5),
    (Outcome.NEEDS_PHONE, 6),
    (Outcome.NEEDS_ACCOUNT, 20),
    (Outcome.MOVED_AWAY, 4),
    (Outcome.REPORTED_DEAD, 2),
)


def _demo_communes(province: Province, officers: list[User]) -> list[Commune]:
    """Three communes with beneficiaries: those of commune-level demo officers first."""
    with_people = (
        Commune.objects.filter(province=province)
        .annotate(n=Count("beneficiaries"))
        .filter(n__gt=0)
        .order_by("code")
    )
    chosen: list[Commune] = []
    for officer in officers:
        for cid in officer.scope_commune_ids() or []:
            c = with_people.filter(pk=cid).first()
            if c is not None and c not in chosen:
                chosen.append(c)
    for c in with_people:
        if len(chosen) >= 3:
            break
        if c not in chosen:
            chosen.append(c)
    return chosen[:3]


def ensure_demo_campaign(*, actor: User, province: Province, seed: int = 2026) -> Campaign | None:
    """Create the demo campaign in 3 communes of the province, hand part of the work list to
    the demo officers that exist (and may work there), and record contacts (seeded RNG)."""
    existing = Campaign.objects.filter(name=DEMO_CAMPAIGN, province=province).first()
    if existing is not None:
        return existing
    officers = [
        u
        for u in (User.objects.filter(username=n, is_active=True).first() for n in DEMO_OFFICERS)
        if u is not None and has_perm(u, Perm.OUTREACH_WORK)
    ]
    communes = _demo_communes(province, officers)
    if not communes:
        return None
    rng = random.Random(seed)
    today = timezone.localdate()
    start = min(dt.date(2026, 6, 1), today)
    with transaction.atomic():
        campaign = campaign_create(
            actor=actor,
            name=DEMO_CAMPAIGN,
            communes=communes,
            start_date=start,
            end_date=dt.date(2026, 12, 31),
            province=province,
        )
        given = _hand_out(rng, officers, campaign)
        for officer in officers:
            if given[officer.pk]:
                campaign_assign(actor=actor, assignments=given[officer.pk], officer=officer)
        providers = {
            p.code: p
            for p in Provider.objects.filter(
                code__in=["970405", "VNPOST", "VIETTELMONEY", "971025"]
            )
        }
        _record_contacts(rng, officers, given, providers, start, today)
    return campaign


def _hand_out(
    rng: random.Random, officers: list[User], campaign: Campaign
) -> dict[int, list[Assignment]]:
    """About 60 % of the work list, each to an officer who may work in its commune."""
    work = list(Assignment.objects.filter(campaign=campaign).order_by("id"))
    allowed: dict[int, set[int] | None] = {}
    for officer in officers:
        cs = officer_communes(officer)
        allowed[officer.pk] = None if cs is None else set(cs.values_list("id", flat=True))
    given: dict[int, list[Assignment]] = {o.pk: [] for o in officers}
    for a in work:
        eligible = [o for o in officers if _may_work(allowed[o.pk], a.commune_id)]
        if eligible and rng.random() < 0.6:
            given[rng.choice(eligible).pk].append(a)
    return given


def _record_contacts(
    rng: random.Random,
    officers: list[User],
    given: dict[int, list[Assignment]],
    providers: dict[str, Any],
    start: dt.date,
    today: dt.date,
) -> None:
    """A contact for about half of each officer's assignments, of a weighted outcome."""
    outcomes, weights = zip(*OUTCOME_WEIGHTS, strict=True)
    for officer in officers:
        for a in given[officer.pk]:
            if rng.random() >= 0.5:
                continue
            _demo_contact(
                rng,
                officer,
                a,
                rng.choices(outcomes, weights)[0],
                providers,
                max(start, today - dt.timedelta(days=rng.randint(0, 45))),
            )


def _may_work(communes: set[int] | None, commune_id: int) -> bool:
    return communes is None or commune_id in communes


def _demo_contact(
    rng: random.Random,
    officer: User,
    a: Assignment,
    outcome: str,
    providers: dict[str, Provider],
    day: dt.date,
) -> None:
    channel = rng.choice([Contact.Channel.VISIT, Contact.Channel.PHONE])
    bank = providers.get("970405")
    kw: dict = {}
    if outcome == Outcome.DECLINED:
        kw["reason"] = rng.choice([r for r in Contact.Reason.values if r != "other"])
    elif outcome == Outcome.NEEDS_ACCOUNT:
        choices = list(providers.values())
        if not choices:
            outcome = Outcome.UNREACHABLE
        else:
            kw["provider"] = rng.choice(choices)
            kw["follow_up_date"] = day + dt.timedelta(days=rng.randint(7, 21))
    elif outcome == Outcome.AGREED:
        if bank is None:
            outcome = Outcome.UNREACHABLE
        else:
            kw.update(method=Method.BANK_ACCOUNT, provider=bank)
            own_accounts = officer.organisation is None or not officer.organisation.provider_code
            if may_open_change_request(officer) and own_accounts and rng.random() < 0.7:
                number = "".join(str(rng.randint(0, 9)) for _i in range(13))
                kw.update(number=number, holder_name=fold_name(a.beneficiary.full_name))
            if "number" not in kw:
                kw["follow_up_date"] = day + dt.timedelta(days=rng.randint(7, 21))
    elif outcome == Outcome.REPORTED_DEAD:
        kw["note"] = "Người nhà báo đã mất"
    contact_record(actor=officer, assignment=a, outcome=outcome, channel=channel, date=day, **kw)
