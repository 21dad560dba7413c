"""A province with the organisations complaints are routed to (provincial BHXH, a BHXH office
serving commune A, the provincial police, the State Bank branch, two banks), beneficiaries in
communes A and B, and payment lines by bank and in cash."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import pytest
from django.utils import translation

from chitra.disbursement.models import Batch, Cycle, PayrollLine
from chitra.geo.models import Commune
from chitra.iam.models import Organisation, OrgKind, Role, User
from chitra.iam.services import organisation_upsert, user_upsert
from chitra.payment_methods.models import Account, Provider
from chitra.registry.models import Beneficiary
from tests.conftest import PASSWORD
from tests.factories import BeneficiaryFactory, EntitlementFactory, payment_method

MONTH = dt.date(2026, 6, 1)
_n = itertools.count(1)


@dataclass
class World:
    a: Commune
    b: Commune
    bhxh: Organisation
    office: Organisation
    police: Organisation
    sbv: Organisation
    agribank: Organisation
    vcb: Organisation
    people: dict[str, Beneficiary]
    lines: dict[str, PayrollLine]


def member(
    system: User, org: Organisation, role: str = Role.OFFICER, communes: list[Commune] | None = None
) -> User:
    n = next(_n)
    return user_upsert(
        actor=system,
        username=f"g{n}-{org.code}-{role}",
        organisation=org,
        role=role,
        full_name=f"Cán bộ {n}",
        password=PASSWORD,
        communes=communes,
    )


def _account(b: Beneficiary, provider: Provider, system: User) -> Account:
    account = Account.objects.create(
        beneficiary=b,
        provider=provider,
        method="BANK_ACCOUNT",
        number_encrypted="x",
        number_index=f"idx-{b.pk}-{provider.code}",
        number_last4="1234",
        holder_name=b.full_name,
        status="verified",
    )
    payment_method(
        beneficiary=b,
        method="BANK_ACCOUNT",
        effective_month=dt.date(2026, 1, 1),
        account=account,
        created_by=system,
    )
    return account


def _line(
    cycle: Cycle, b: Beneficiary, provider: Provider | None, channel: str, account: Account | None
) -> PayrollLine:
    batch, _created = Batch.objects.get_or_create(
        cycle=cycle,
        provider=provider,
        channel=channel,
        sequence=0,
        defaults={
            "reference": f"B-{channel}-{provider.code if provider else 'CASH'}",
            "status": "released",
        },
    )  # paid lines: their batch was sent
    ent = EntitlementFactory(beneficiary=b)
    return PayrollLine.objects.create(
        cycle=cycle,
        batch=batch,
        entitlement=ent,
        beneficiary=b,
        commune=b.commune,
        benefit_type="PENSION",
        period_month=MONTH,
        amount=5_200_000,
        channel=channel,
        provider=provider,
        account=account,
        payee_name=b.full_name,
        reference=f"{b.pk:022d}",
    )


@pytest.fixture
def world(db, system, tq, tq_communes) -> World:
    a, b = tq_communes[0], tq_communes[1]
    up = organisation_upsert
    bhxh = up(
        actor=system, code="t-bhxh", kind=OrgKind.BHXH_PROVINCE, name="BHXH tỉnh", province=tq
    )
    office = up(
        actor=system,
        code="t-kv1",
        kind=OrgKind.BHXH_OFFICE,
        name="BHXH khu vực 1",
        province=tq,
        communes=[a],
    )
    police = up(
        actor=system, code="t-ca", kind=OrgKind.POLICE_PROVINCE, name="Công an tỉnh", province=tq
    )
    sbv = up(
        actor=system, code="t-nhnn", kind=OrgKind.STATE_BANK, name="NHNN chi nhánh", province=tq
    )
    agribank = up(
        actor=system,
        code="t-agribank",
        kind=OrgKind.BANK,
        name="Agribank",
        province=tq,
        provider_code="970405",
    )
    vcb = up(
        actor=system,
        code="t-vcb",
        kind=OrgKind.BANK,
        name="Vietcombank",
        province=tq,
        provider_code="970436",
    )
    mk = BeneficiaryFactory
    people = {
        "cash_a": mk(full_name="Nguyễn Văn Tiền", commune=a),
        "agri_a": mk(full_name="Lê Văn Ngân", commune=a),
        "vcb_b": mk(full_name="Phạm Thị Hai", sex="F", commune=b),
        "viettel_b": mk(full_name="Vũ Thị Ví", sex="F", commune=b),
        "plain_b": mk(full_name="Bế Văn Xã", commune=b),
    }
    prov = {c: Provider.objects.get(code=c) for c in ("970405", "970436", "VIETTELMONEY")}
    acc = {
        "agri_a": _account(people["agri_a"], prov["970405"], system),
        "vcb_b": _account(people["vcb_b"], prov["970436"], system),
    }
    viettel_acc = Account.objects.create(
        beneficiary=people["viettel_b"],
        provider=prov["VIETTELMONEY"],
        method="MOBILE_MONEY",
        number_encrypted="x",
        number_index="idx-viettel",
        number_last4="5678",
        holder_name=people["viettel_b"].full_name,
        status="verified",
    )
    cycle = Cycle.objects.create(
        province=tq,
        month=MONTH,
        last_month=MONTH,
        account_credit_date=MONTH.replace(day=5),
        cash_from_date=MONTH.replace(day=2),
        created_by=system,
    )
    lines = {
        "cash_a": _line(cycle, people["cash_a"], None, "CASH_PAY_POINT", None),
        "agri_a": _line(cycle, people["agri_a"], prov["970405"], "BANK_ACCOUNT", acc["agri_a"]),
        "vcb_b": _line(cycle, people["vcb_b"], prov["970436"], "BANK_ACCOUNT", acc["vcb_b"]),
        "viettel_b": _line(
            cycle, people["viettel_b"], prov["VIETTELMONEY"], "MOBILE_MONEY", viettel_acc
        ),
    }
    return World(a, b, bhxh, office, police, sbv, agribank, vcb, people, lines)


@pytest.fixture
def bhxh_user(world, system) -> User:
    return member(system, world.bhxh)


@pytest.fixture
def office_user(world, system) -> User:
    return member(system, world.office)


@pytest.fixture
def police_user(world, system) -> User:
    return member(system, world.police)


@pytest.fixture
def sbv_user(world, system) -> User:
    return member(system, world.sbv)


@pytest.fixture
def agri_user(world, system) -> User:
    return member(system, world.agribank)


@pytest.fixture
def vcb_user(world, system) -> User:
    return member(system, world.vcb)


@pytest.fixture
def police_a(make_user, world) -> User:
    return make_user(OrgKind.POLICE_COMMUNE, Role.OFFICER, communes=[world.a])


@pytest.fixture
def police_b(make_user, world) -> User:
    return make_user(OrgKind.POLICE_COMMUNE, Role.OFFICER, communes=[world.b])


@pytest.fixture
def english():
    """Services' messages are matched in English (the pages run in Vietnamese)."""
    with translation.override("en"):
        yield
