"""A small real register store (the edge of the system) next to registry rows made for it."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from chitra.geo.models import Commune
from tests.factories import BeneficiaryFactory, EntitlementFactory, make_pid

PAID_THROUGH = dt.date(2026, 10, 1)


def _reg_row(b, **over):
    row = {
        "personal_id": b.personal_id,
        "full_name": b.full_name,
        "birth_date": b.birth_date.isoformat(),
        "sex": b.sex,
        "commune_code": b.commune.code,
        "death_date": "",
    }
    row.update(over)
    return row


@pytest.fixture
def people(db, tq_communes):
    a_commune, b_commune = tq_communes[0], tq_communes[1]
    mk = BeneficiaryFactory
    p = {
        "ok": mk(full_name="Nguyễn Văn An", commune=a_commune),
        "name": mk(full_name="Trần Văn Bình", commune=a_commune),
        "dead": mk(
            full_name="Lê Thị Cúc", sex="F", birth_date=dt.date(1940, 5, 6), commune=a_commune
        ),
        "absent": mk(full_name="Phạm Văn Dũng", commune=b_commune),
        "accents": mk(
            full_name="Hoàng Thị Hoà", sex="F", birth_date=dt.date(1950, 1, 2), commune=b_commune
        ),
        "noid": mk(
            full_name="Vũ Văn Em",
            personal_id=None,
            birth_date=dt.date(1948, 7, 8),
            commune=b_commune,
        ),
    }
    for b in p.values():
        EntitlementFactory(beneficiary=b, monthly_amount=5_000_000, paid_through=PAID_THROUGH)
    return p


@pytest.fixture
def register(people, tmp_path, settings):
    from chitra.engine.register.store import load_extract

    p = people
    noid_true = make_pid(1948, "M")
    rows = [
        _reg_row(p["ok"]),
        _reg_row(p["name"], full_name="Trần Văn Bảo"),
        _reg_row(p["dead"], death_date="2026-03-10"),
        _reg_row(p["accents"], full_name="HOANG THI HOA"),
        _reg_row(p["noid"], personal_id=noid_true),
    ]
    other = Commune.objects.filter(province__code="08").order_by("code")[5]
    for i in range(300):  # other people of the same communes and birth years
        rows.append(
            {
                "personal_id": make_pid(1940 + i % 20, "MF"[i % 2]),
                "full_name": f"Đỗ Văn Khác {i}",
                "birth_date": f"{1940 + i % 20}-03-04",
                "sex": "MF"[i % 2],
                "commune_code": other.code,
                "death_date": "",
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
    return {"store": store, "noid_true": noid_true, "src": src}


@pytest.fixture
def released_batch(tq, system):
    """A factory: a released cycle of `month` in the province and one released batch of it
    (`channel`, `reference`), for lines made by hand with `payroll_line`."""
    from chitra.disbursement.models import Batch, Cycle

    def make(month: dt.date, *, channel: str = "CASH_PAY_POINT", reference: str = "T-0"):
        cycle = Cycle.objects.create(
            province=tq,
            month=month,
            last_month=month,
            created_by=system,
            account_credit_date=month.replace(day=5),
            cash_from_date=month.replace(day=2),
            status="released",
        )
        batch = Batch.objects.create(
            cycle=cycle, channel=channel, reference=reference, status="released"
        )
        return cycle, batch

    return make


def payroll_line(cycle, batch, ent, month, status, amount=5_000_000):
    """A payroll line of `ent` for `month` in `status` (live unless failed, returned or
    cancelled), as a release and the results imports leave it."""
    from chitra.disbursement.models import PayrollLine
    from chitra.engine.payroll import payment_reference

    return PayrollLine.objects.create(
        cycle=cycle,
        batch=batch,
        entitlement=ent,
        beneficiary=ent.beneficiary,
        commune=ent.beneficiary.commune,
        benefit_type=ent.benefit_type,
        period_month=month,
        amount=amount,
        channel="CASH_PAY_POINT",
        payee_name=ent.beneficiary.full_name,
        reference=payment_reference("08", month, ent.pk, 1),
        status=status,
        live=status not in ("failed", "returned", "cancelled"),
    )
