"""Demo payment data: about a third of the province's beneficiaries already paid into verified
bank accounts, a few by mobile money, the rest in cash; provider coverage per commune.
Deterministic and idempotent (people who already have a payment method are left alone)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core import crypto
from chitra.core.audit import AuditRow, audit_bulk, audit_record
from chitra.core.errors import ChitraError
from chitra.geo.models import Commune, Province
from chitra.iam.models import User
from chitra.kernel.months import add_months
from chitra.kernel.names import fold_name
from chitra.payment_methods.models import (
    Account,
    ChangeRequest,
    Coverage,
    Method,
    PaymentMethod,
    Provider,
)
from chitra.payment_methods.services import first_open_payment_month
from chitra.registry.models import Beneficiary, ProofOfLifeSource
from chitra.verification.proof_of_life import proof_of_life_record

BANKS = [("970405", 50), ("970415", 15), ("970418", 15), ("970436", 12), ("970449", 8)]
MOBILE = ["VIETTELMONEY", "VNPTMONEY"]


def _h(seed: int, key: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}:{key}".encode()).digest()[:8], "big")


def _decided(month: dt.date) -> dt.datetime:
    """When a demo request switching from `month` was decided: ten days before, at 9:00."""
    day = month - dt.timedelta(days=10)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def _weighted_bank(pick: int) -> str:
    for code, weight in BANKS:
        if pick < weight:
            return code
        pick -= weight
    return BANKS[-1][0]


def ensure_demo_coverage(province: Province) -> int:
    communes = list(Commune.objects.filter(province=province))
    providers = {
        p.code: p
        for p in Provider.objects.filter(
            code__in=["970405", "VNPOST", "VIETTELMONEY", "970415", "970418", "970436"]
        )
    }
    rows = []
    for c in communes:
        rows.append(Coverage(provider=providers["970405"], commune=c, kind="branch"))
        rows.append(Coverage(provider=providers["VNPOST"], commune=c, kind="pay_point"))
        rows.append(Coverage(provider=providers["VIETTELMONEY"], commune=c, kind="agent"))
        if c.is_urban:
            for code in ("970415", "970418", "970436"):
                rows.append(Coverage(provider=providers[code], commune=c, kind="branch"))
    with transaction.atomic():
        before = Coverage.objects.filter(commune__province=province).count()
        Coverage.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
        added = Coverage.objects.filter(commune__province=province).count() - before
        if added:
            from chitra.iam.services import system_actor

            audit_record(
                system_actor(),
                "payment.coverage.demo",
                object_type="geo.province",
                object_id=province.code,
                after={"service_points_added": added},
                reason="dữ liệu mẫu",
                province=province,
            )
    return added


#: what the demo banks' pain.001 guides ask (made up, in the shapes real guides use): a
#: bank whose core system takes no diacritics, one that wants them in upper case too
DEMO_PAIN001_GUIDES = {
    "970405": {"service_level": "NURG", "local_instrument": "", "name_style": "latin_upper"},
    "970436": {"service_level": "SDVA", "local_instrument": "prtry:CITAD", "name_style": "latin"},
}


def ensure_demo_provider_profiles(province: Province) -> int:
    """The demo banks' file profiles (pain.001 and CSV), when they have none yet (audited as
    made for the demo of `province`). Returns the profiles made."""
    from chitra.disbursement.models import ProviderProfile
    from chitra.iam.services import system_actor

    made = 0
    for provider in Provider.objects.filter(code__in=sorted(DEMO_PAIN001_GUIDES)):
        guide = DEMO_PAIN001_GUIDES[provider.code]
        with transaction.atomic():
            profile, created = ProviderProfile.objects.get_or_create(
                provider=provider, defaults={"formats": "pain001,csv", **guide}
            )
            if created:
                made += 1
                audit_record(
                    system_actor(),
                    "payment.provider_profile",
                    obj=profile,
                    after={"formats": profile.formats, **guide},
                    reason="demo data",
                    province=province,
                )
    return made


def ensure_demo_payment_methods(*, actor: User, province: Province, seed: int) -> int:
    """Each demo account holder switched from cash 1 to 23 months ago (deterministic by
    person), which starts their proof-of-life clock (ADR 0011): those the register does not
    see alive fall due or overdue as real ones would."""
    month = first_open_payment_month()
    providers = {
        p.code: p for p in Provider.objects.filter(code__in=[c for c, _w in BANKS] + MOBILE)
    }
    weights = sum(w for _c, w in BANKS)
    bens = list(
        Beneficiary.objects.filter(
            commune__province=province,
            status=Beneficiary.Status.ACTIVE,
            payment_methods__isnull=True,
        ).order_by("id")
    )
    accounts, since = _demo_accounts(bens, seed, month, providers, weights)
    maker, checker = _maker_and_checker()
    today = timezone.localdate()
    with transaction.atomic():
        Account.objects.bulk_create(accounts, batch_size=2000)
        requests = _approved_requests(accounts, since, maker, checker, today)
        ChangeRequest.objects.bulk_create(requests, batch_size=2000)
        methods = _methods(accounts, requests, since, checker)
        PaymentMethod.objects.bulk_create(methods, batch_size=2000)
        _start_clocks(methods, checker)
        audit_bulk(
            actor,
            "payment.demo_method",
            (
                AuditRow(
                    "payment_methods.paymentmethod",
                    m.pk,
                    str(m),
                    None,
                    {"method": m.method, "account": m.account_id},
                )
                for m in methods
            ),
            reason="dữ liệu mẫu",
            province=province,
        )
    return len(methods)


def _demo_accounts(
    bens: list[Beneficiary],
    seed: int,
    month: dt.date,
    providers: dict[str, Provider],
    weights: int,
) -> tuple[list[Account], dict[int, dt.date]]:
    """The accounts of about a third of the people (deterministic by person), and the month
    each one switched from cash."""
    accounts = []
    since: dict[int, dt.date] = {}
    for b in bens:
        key = b.si_number or b.personal_id or str(b.pk)
        roll = _h(seed, key) % 100
        if roll < 33:
            code = _weighted_bank(_h(seed, "bank" + key) % weights)
            method, number = Method.BANK_ACCOUNT, f"{_h(seed, 'acc' + key) % 10**12:012d}"
        elif roll < 36 and b.phone:
            code, method, number = MOBILE[roll % 2], Method.MOBILE_MONEY, b.phone
        else:
            continue
        provider = providers[code]
        since[b.pk] = add_months(month, -(1 + _h(seed, "since" + key) % 23))
        accounts.append(
            Account(
                beneficiary=b,
                provider=provider,
                method=method,
                number_encrypted=crypto.encrypt(number),
                number_index=crypto.blind_index(f"{method}:{provider.code}", number),
                number_last4=number[-4:],
                holder_name=fold_name(b.full_name),
                status=Account.Status.VERIFIED,
                verified_at=_decided(since[b.pk]),
            )
        )
    return accounts, since


def _maker_and_checker() -> tuple[User, User]:
    # each change as in production: a request made by a BHXH officer with the person's signed
    # form, approved by a different BHXH approver (the demo users when they exist)
    # (never the system actor: no request is approved by nobody, even in the demo)
    maker = User.objects.filter(username="bhxh.officer", is_active=True).first()
    checker = (
        None
        if maker is None
        else User.objects.filter(username="bhxh.approver", is_active=True)
        .exclude(pk=maker.pk)
        .first()
    )
    if maker is None or checker is None:
        raise ChitraError(
            _(
                "Demo payment methods need the demo users bhxh.officer (maker) and "
                "bhxh.approver (approver); run demo_data without --no-users."
            )
        )
    return maker, checker


def _approved_requests(
    accounts: list[Account],
    since: dict[int, dt.date],
    maker: User,
    checker: User,
    today: dt.date,
) -> list[ChangeRequest]:
    return [
        ChangeRequest(
            beneficiary_id=acc.beneficiary_id,
            status=ChangeRequest.Status.APPROVED,
            source=ChangeRequest.Source.OFFICER,
            method=acc.method,
            provider=acc.provider,
            number_encrypted=acc.number_encrypted,
            number_index=acc.number_index,
            number_last4=acc.number_last4,
            holder_name=acc.holder_name,
            name_check=ChangeRequest.NameCheck.MATCH,
            consent_date=min(today, since[acc.beneficiary_id] - dt.timedelta(days=20)),
            consent_channel=ChangeRequest.ConsentChannel.PAPER_FORM,
            maker=maker,
            submitted_by=maker,
            checker=checker,
            decided_at=_decided(since[acc.beneficiary_id]),
            effective_month=since[acc.beneficiary_id],
            provider_confirmed_at=_decided(since[acc.beneficiary_id]),
            provider_holder_name=acc.holder_name,
            decision_note="dữ liệu mẫu",
        )
        for acc in accounts
    ]


def _methods(
    accounts: list[Account],
    requests: list[ChangeRequest],
    since: dict[int, dt.date],
    checker: User,
) -> list[PaymentMethod]:
    methods = []
    for acc, cr in zip(accounts, requests, strict=True):
        methods.append(
            PaymentMethod(
                beneficiary_id=acc.beneficiary_id,
                method=acc.method,
                effective_month=since[acc.beneficiary_id],
                account=acc,
                created_by=checker,
                change_request=cr,
            )
        )
    return methods


def _start_clocks(methods: list[PaymentMethod], checker: User) -> None:
    by_month: dict[dt.date, list[int]] = {}
    for pm in methods:
        by_month.setdefault(pm.effective_month, []).append(pm.beneficiary_id)
    for start, ids in sorted(by_month.items()):  # the switch starts the clock
        proof_of_life_record(
            actor=checker,
            on=start,
            source=ProofOfLifeSource.ACCOUNT_START,
            reference="dữ liệu mẫu",
            beneficiaries=ids,
        )
