"""Beneficiaries paid in cash and by account in two communes, officers of every kind, and a
small register store for the check of reported deaths."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from django.utils import timezone

from chitra.iam.models import OrgKind, Role
from chitra.outreach.services import campaign_create
from chitra.payment_methods.models import Account, Provider
from chitra.registry.models import Beneficiary
from tests.factories import BeneficiaryFactory, EntitlementFactory, payment_method

MONTH = timezone.localdate().replace(day=1)  # no cycle is frozen in these tests


def _method(b, method, month, system, provider=None):
    account = None
    if method in ("BANK_ACCOUNT", "MOBILE_MONEY", "EWALLET"):
        account = Account.objects.create(
            beneficiary=b,
            provider=provider,
            method=method,
            number_encrypted="x",
            number_index=f"idx-{b.pk}-{month}",
            number_last4="1234",
            holder_name=b.full_name,
        )
    return payment_method(
        beneficiary=b,
        method=method,
        effective_month=month,
        account=account,
        home_reason="aged_80" if method == "CASH_HOME" else "",
        created_by=system,
    )


def _prev(month: dt.date, n: int = 1) -> dt.date:
    y, m = divmod(month.month - 1 - n, 12)
    return dt.date(month.year + y, m + 1, 1)


@pytest.fixture
def agribank(db):
    return Provider.objects.get(code="970405")


@pytest.fixture
def people(db, tq_communes, system, agribank):
    a, b = tq_communes[0], tq_communes[1]
    mk = BeneficiaryFactory
    p = {
        "cash": mk(full_name="Nguyễn Văn Tiền", commune=a, phone="+84912000001", address="Tổ 1"),
        "home": mk(full_name="Trần Thị Nhà", sex="F", commune=a),
        "bank": mk(full_name="Lê Văn Ngân", commune=a),
        "back_to_cash": mk(full_name="Phạm Văn Quay", commune=a),
        "future_bank": mk(full_name="Hoàng Văn Sắp", commune=a),
        "lump_sum_only": mk(full_name="Vũ Văn Một", commune=a),
        "dead": mk(full_name="Đỗ Thị Mất", sex="F", commune=a, status="deceased"),
        "noid": mk(full_name="Ma Văn Chưa", personal_id=None, commune=a),
        "other": mk(full_name="Bế Thị Xã Khác", sex="F", commune=b),
    }
    for key, ben in p.items():
        EntitlementFactory(
            beneficiary=ben,
            benefit_type="LUMP_SUM" if key == "lump_sum_only" else "PENSION",
            paid_through=_prev(MONTH),
        )
    _method(p["home"], "CASH_HOME", _prev(MONTH, 3), system)
    _method(p["bank"], "BANK_ACCOUNT", _prev(MONTH, 2), system, agribank)
    _method(p["back_to_cash"], "BANK_ACCOUNT", _prev(MONTH, 5), system, agribank)
    _method(p["back_to_cash"], "CASH_PAY_POINT", _prev(MONTH, 1), system)
    _method(p["future_bank"], "BANK_ACCOUNT", _prev(MONTH, -1), system, agribank)
    return p


CASH_KEYS = {"cash", "home", "back_to_cash", "future_bank", "noid"}


@pytest.fixture
def campaign(people, bhxh_officer, tq_communes):
    return campaign_create(
        actor=bhxh_officer,
        name="Vận động 2026",
        communes=tq_communes[:2],
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )


@pytest.fixture
def police_a(make_user, tq_communes):
    return make_user(OrgKind.POLICE_COMMUNE, Role.OFFICER, communes=[tq_communes[0]])


@pytest.fixture
def police_b(make_user, tq_communes):
    return make_user(OrgKind.POLICE_COMMUNE, Role.OFFICER, communes=[tq_communes[1]])


@pytest.fixture
def committee_a(make_user, tq_communes):
    return make_user(OrgKind.COMMUNE_COMMITTEE, Role.OFFICER, communes=[tq_communes[0]])


@pytest.fixture
def post_officer(make_user):
    return make_user(OrgKind.POST, Role.OFFICER, provider_code="VNPOST")


@pytest.fixture
def bank_officer(make_user):
    return make_user(OrgKind.BANK, Role.OFFICER)


@pytest.fixture
def register(people, tmp_path, settings):
    """The register knows "cash" as dead since March 2026 and "home" as alive."""
    from chitra.engine.register.store import load_extract

    rows = []
    for key, death in (("cash", "2026-03-10"), ("home", ""), ("other", "")):
        b = Beneficiary.objects.select_related("commune").get(pk=people[key].pk)
        rows.append(
            {
                "personal_id": b.personal_id,
                "full_name": b.full_name,
                "birth_date": b.birth_date.isoformat(),
                "sex": b.sex,
                "commune_code": b.commune.code,
                "death_date": death,
            }
        )
    src = tmp_path / "extract.csv"
    with src.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    store = tmp_path / "register.duckdb"
    load_extract(src, store)
    settings.CHITRA_REGISTER_STORE = store
    settings.CHITRA_REGISTER_CONNECTOR = "file"
    return store
