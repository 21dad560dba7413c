"""A small province payroll: people paid in cash, at home, by bank and mobile money, with
arrears, a one-off benefit, a suspension, a death and an overdue proof of life."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from chitra.core import crypto
from chitra.iam.models import OrgKind, Role
from chitra.payment_methods.models import Account, Provider
from chitra.registry.models import Beneficiary, Entitlement
from chitra.verification.models import PersonStatus
from chitra.verification.proof_of_life import proof_of_life_record
from tests.factories import BeneficiaryFactory, EntitlementFactory, payment_method

MONTH = dt.date(2026, 12, 1)
NOV, OCT, SEP = dt.date(2026, 11, 1), dt.date(2026, 10, 1), dt.date(2026, 9, 1)


@dataclass
class World:
    people: dict[str, Beneficiary]
    entitlements: dict[str, Entitlement]
    accounts: dict[str, Account]
    agribank: Provider
    vcb: Provider
    viettel: Provider
    vnpost: Provider


def add_method(
    b: Beneficiary,
    method: str,
    actor,
    provider: Provider | None = None,
    status: str = "verified",
    number: str = "",
    month: dt.date = dt.date(2026, 1, 1),
) -> Account | None:
    account = None
    if method in ("BANK_ACCOUNT", "MOBILE_MONEY", "EWALLET"):
        number = number or f"{1000000000 + b.pk:013d}"
        account = Account.objects.create(
            beneficiary=b,
            provider=provider,
            method=method,
            number_encrypted=crypto.encrypt(number),
            number_index=crypto.blind_index("account", f"{provider.code}:{number}"),
            number_last4=number[-4:],
            holder_name=b.full_name,
            status=status,
        )
    payment_method(
        beneficiary=b,
        method=method,
        effective_month=month,
        account=account,
        created_by=actor,
        home_reason="aged_80" if method == "CASH_HOME" else "",
    )
    return account


def seen_alive(b: Beneficiary, on: dt.date | None = None) -> None:
    PersonStatus.objects.create(
        beneficiary=b,
        outcome="verified",
        last_verified_at=timezone.now(),
        confirmed_on_register=True,
        alive_seen_at=timezone.now(),
    )
    proof_of_life_record(
        actor=None,
        on=on or timezone.localdate(),
        source="register",
        reference="test",
        beneficiaries=b,
    )


@pytest.fixture
def world(db, tq_communes, system) -> World:
    a, b = tq_communes[0], tq_communes[1]
    prov = {c: Provider.objects.get(code=c) for c in ("970405", "970436", "VIETTELMONEY", "VNPOST")}
    mk = BeneficiaryFactory
    people = {
        "cash": mk(full_name="Nguyễn Văn Tiền", commune=a, address="Thôn 1"),
        "home": mk(full_name="Trần Thị Nhà", sex="F", commune=a),
        "bank": mk(full_name="Lê Văn Ngân", commune=a),
        "bank2": mk(full_name="Phạm Thị Hai", sex="F", commune=b),
        "unverified": mk(full_name="Hoàng Văn Chờ", commune=b),
        "mobile": mk(full_name="Vũ Thị Ví", sex="F", commune=b),
        "arrears": mk(full_name="Đặng Văn Nợ", commune=a),
        "suspended": mk(full_name="Bùi Văn Tạm", commune=a),
        "dead": mk(full_name="Đỗ Thị Mất", sex="F", commune=a, status="deceased"),
        "pol": mk(full_name="Ma Văn Sống", commune=b),
        "lump": mk(full_name="Lò Văn Một", commune=a),
        "lump_paid": mk(full_name="Hà Thị Đã", sex="F", commune=a),
        "new": mk(full_name="La Văn Mới", commune=b),
        "ended": mk(full_name="Nông Văn Hết", commune=b),
    }
    ents = {}
    for key, ben in people.items():
        kw: dict = {"paid_through": NOV}
        if key == "arrears":
            kw["paid_through"] = SEP
        elif key == "suspended":
            kw.update(status="suspended", status_reason="Tạm dừng để xác minh")
        elif key == "lump":
            kw.update(
                benefit_type="LUMP_SUM",
                monthly_amount=48_000_000,
                start_month=MONTH,
                paid_through=None,
            )
        elif key == "lump_paid":
            kw.update(
                benefit_type="LUMP_SUM",
                monthly_amount=30_000_000,
                start_month=OCT,
                paid_through=OCT,
            )
        elif key == "new":
            kw.update(start_month=MONTH, paid_through=None, monthly_amount=3_100_000)
        elif key == "ended":
            kw.update(end_month=OCT, paid_through=OCT)
        ents[key] = EntitlementFactory(beneficiary=ben, **kw)
    accounts = {
        "bank": add_method(people["bank"], "BANK_ACCOUNT", system, prov["970405"]),
        "bank2": add_method(people["bank2"], "BANK_ACCOUNT", system, prov["970436"]),
        "unverified": add_method(
            people["unverified"], "BANK_ACCOUNT", system, prov["970405"], status="unverified"
        ),
        "mobile": add_method(
            people["mobile"], "MOBILE_MONEY", system, prov["VIETTELMONEY"], number="0912345678"
        ),
        "pol": add_method(people["pol"], "BANK_ACCOUNT", system, prov["970405"]),
    }
    add_method(people["home"], "CASH_HOME", system)
    for key in ("bank", "bank2", "mobile", "unverified"):
        seen_alive(people[key])
    return World(
        people, ents, accounts, prov["970405"], prov["970436"], prov["VIETTELMONEY"], prov["VNPOST"]
    )


@pytest.fixture
def runner(make_user):
    return make_user(OrgKind.BHXH_PROVINCE, Role.APPROVER)


@pytest.fixture
def approver(make_user):
    return make_user(OrgKind.BHXH_PROVINCE, Role.APPROVER)


@pytest.fixture
def approver2(make_user):
    return make_user(OrgKind.BHXH_PROVINCE, Role.APPROVER)


@pytest.fixture(autouse=True)
def _files_dir(settings, tmp_path):
    settings.CHITRA_PAYMENT_FILES_DIR = tmp_path / "payments"


@pytest.fixture(autouse=True)
def _english_messages():
    """Services' messages are matched in English here; the pages are tested in Vietnamese."""
    from django.utils import translation

    with translation.override("en"):
        yield


def sent_message_id(batch) -> str:
    """What a bank's status report quotes as OrgnlMsgId: the MsgId of the batch's pain.001, or
    the batch's reference for a batch sent without one (a CSV-only channel)."""
    sent = batch.files.filter(kind="pain001").exclude(message_id=None).first()
    return sent.message_id if sent else batch.reference


def sent_block_id(batch) -> str:
    """The PmtInfId of the one block of the batch's pain.001 (its reference without one)."""
    sent = batch.files.filter(kind="pain001").exclude(message_id=None).first()
    if sent is None:
        return batch.reference
    (block,) = sent.payment_blocks
    return block["pmt_inf_id"]
