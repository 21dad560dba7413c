"""The rows of a batch's payment files (`files._account_rows`: raw cursor, batch decryption,
worker processes for large batches) are those of the former per-row ORM code, with rotated
keys, through the worker pool or not."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.fernet import Fernet

from chitra.core import crypto
from chitra.disbursement import files
from chitra.disbursement.models import CASH_CHANNELS, Batch, PayrollLine
from chitra.payment_methods.models import Account
from chitra.registry.models import Representative
from tests.disbursement.conftest import NOV, add_method, seen_alive
from tests.disbursement.test_release_results import released
from tests.factories import BeneficiaryFactory, EntitlementFactory

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
EXTRA = 11  # more bank lines for 970405: several pages of 3 rows


def per_row_rows(batch: Batch) -> Iterator[dict[str, Any]]:
    """The former implementation, row by row through the ORM and `decrypt`."""
    qs = (
        PayrollLine.objects.filter(batch=batch)
        .order_by("reference")
        .values_list(
            "reference",
            "account__number_encrypted",
            "payee_name",
            "amount",
            "period_month",
            "benefit_type",
            "provider__code",
            "id",
            "uetr",
            "beneficiary__personal_id",
            "beneficiary__si_number",
            "beneficiary__full_name",
            "account__representative_id",
            "account__representative__personal_id",
            "beneficiary_id",
        )
        .iterator(chunk_size=20_000)
    )
    for (
        ref,
        enc,
        payee,
        amount,
        period,
        benefit,
        bin_code,
        pk,
        uetr,
        pid,
        si,
        name,
        rep,
        rpid,
        ben,
    ) in qs:
        own = (pid, "NIDN") if pid else (si, "SOSE")
        named = Representative.objects.filter(beneficiary_id=ben, full_name=payee)
        rep = payee != name
        rpid = rpid or min(named.values_list("personal_id", flat=True), default="")
        yield {
            "reference": ref,
            "account": crypto.decrypt(enc),
            "payee": payee,
            "amount": amount,
            "currency": "VND",
            "period": f"{period:%m/%Y}",
            "pay_date": batch.cycle.account_credit_date,
            "remittance": files._remittance(period, benefit),
            "bin": bin_code,
            "benefit": benefit,
            "line_id": pk,
            "uetr": uetr or "",
            "creditor_id": rpid if rep else own[0],
            "creditor_id_scheme": "NIDN" if rep else own[1],
            "ultimate_name": name if rep else "",
            "ultimate_id": own[0] if rep else "",
            "ultimate_id_scheme": own[1] if rep else "NIDN",
        }


def until_error(rows: Iterator[dict[str, Any]]) -> tuple[list[dict[str, Any]], str]:
    out: list[dict[str, Any]] = []
    try:
        for r in rows:
            out.append(r)
    except ValueError as exc:
        return out, str(exc)
    return out, ""


@pytest.fixture
def rotated(world, system, tq_communes, settings) -> dict[int, str]:
    """EXTRA more bank payees; every account re-encrypted, half with an old key that is still
    configured (CHITRA_FIELD_KEYS = [NEW, OLD]). Returns account id -> number."""
    for n in range(EXTRA):
        b = BeneficiaryFactory(full_name=f"Ngân Hàng {n}", commune=tq_communes[n % 2])
        EntitlementFactory(beneficiary=b, paid_through=NOV, monthly_amount=4_000_000 + 1_000 * n)
        add_method(
            b,
            "BANK_ACCOUNT",
            system,
            world.agribank,
            number=f"{970000000000 + 7919 * n:0{10 + n % 7}d}",
        )
        seen_alive(b)
    numbers = {a.pk: crypto.decrypt(a.number_encrypted) for a in Account.objects.all()}
    old, new = Fernet(OLD.encode()), Fernet(NEW.encode())
    for k, (pk, number) in enumerate(sorted(numbers.items())):
        token = (old if k % 2 else new).encrypt(number.encode()).decode()
        Account.objects.filter(pk=pk).update(number_encrypted=token)
    settings.CHITRA_FIELD_KEYS = [NEW, OLD]
    return numbers


@pytest.fixture
def pool_calls(monkeypatch) -> list[int]:
    """The `workers` of each decrypt_pages call made by _account_rows."""
    calls: list[int] = []
    real = crypto.decrypt_pages

    def spy(pages: Any, *, workers: int = 0, ahead: int = 0) -> Any:
        calls.append(workers)
        return real(pages, workers=workers, ahead=ahead)

    monkeypatch.setattr(crypto, "decrypt_pages", spy)
    return calls


def cashless(cycle: Any) -> list[Batch]:
    return list(
        Batch.objects.filter(cycle=cycle).exclude(channel__in=CASH_CHANNELS).order_by("reference")
    )


def test_small_batches_decrypt_in_process(world, runner, approver, pool_calls):
    cycle = released(runner, approver)
    assert pool_calls and set(pool_calls) == {0}
    for batch in cashless(cycle):
        assert list(files._account_rows(batch)) == list(per_row_rows(batch))


def test_rows_equal_per_row_code_rotated_keys_pool_or_not(
    world, rotated, runner, approver, monkeypatch, pool_calls
):
    monkeypatch.setattr(files, "ACCOUNT_PAGE_ROWS", 3)
    monkeypatch.setattr(files, "POOL_MIN_ROWS", 1)  # the release itself uses the pool
    cycle = released(runner, approver)
    assert pool_calls and min(pool_calls) >= 1
    batches = cashless(cycle)
    assert max(b.declared_count for b in batches) == 1 + EXTRA
    seen = 0
    for batch in batches:
        expected = list(per_row_rows(batch))
        pooled = list(files._account_rows(batch))
        monkeypatch.setattr(files, "POOL_MIN_ROWS", 10**9)
        plain = list(files._account_rows(batch))
        monkeypatch.setattr(files, "POOL_MIN_ROWS", 1)
        assert pooled == plain == expected
        assert len(expected) == batch.declared_count
        seen += len(expected)
        for row, line in zip(
            expected, PayrollLine.objects.filter(batch=batch).order_by("reference"), strict=True
        ):
            assert row["account"] == rotated[line.account_id]
    # old-key and new-key tokens both went through
    assert seen == 3 + EXTRA
    # the released files hold the decrypted numbers
    big = max(batches, key=lambda b: b.declared_count)
    written = [
        files.checked_path(f).read_bytes() for f in big.files.all() if f.kind in ("csv", "pain001")
    ]
    assert written
    for row in per_row_rows(big):
        assert all(row["account"].encode() in data for data in written)


@pytest.mark.parametrize("pool", [False, True])
def test_removed_key_fails_at_the_same_row(
    world, rotated, runner, approver, settings, monkeypatch, pool
):
    monkeypatch.setattr(files, "ACCOUNT_PAGE_ROWS", 3)
    monkeypatch.setattr(files, "POOL_MIN_ROWS", 1 if pool else 10**9)
    cycle = released(runner, approver)
    big = max(cashless(cycle), key=lambda b: b.declared_count)
    # only the 5th line's account (second page) keeps a token of the old key
    lines = list(PayrollLine.objects.filter(batch=big).order_by("reference"))
    for k, line in enumerate(lines):
        key = OLD if k == 4 else NEW
        token = Fernet(key.encode()).encrypt(rotated[line.account_id].encode()).decode()
        Account.objects.filter(pk=line.account_id).update(number_encrypted=token)
    settings.CHITRA_FIELD_KEYS = [NEW]  # OLD removed before rotating: its token fails
    got, error = until_error(files._account_rows(big))
    want, want_error = until_error(per_row_rows(big))
    assert error == want_error == crypto.UNKNOWN_KEY
    assert len(want) == 4 and got == want


def test_pool_stopped_when_the_reader_stops_early(world, rotated, runner, approver, monkeypatch):
    monkeypatch.setattr(files, "ACCOUNT_PAGE_ROWS", 2)
    cycle = released(runner, approver)
    monkeypatch.setattr(files, "POOL_MIN_ROWS", 1)
    before = set(multiprocessing.active_children())
    big = max(cashless(cycle), key=lambda b: b.declared_count)
    rows = files._account_rows(big)
    first = next(rows)
    assert first == next(per_row_rows(big))
    rows.close()
    assert set(multiprocessing.active_children()) <= before


def test_cursor_planned_for_all_rows_then_setting_restored(world, rotated, runner, approver):
    from django.db import connection

    cycle = released(runner, approver)
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")

    def fraction() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('cursor_tuple_fraction')")
            return cursor.fetchone()[0]

    before = fraction()
    big = max(cashless(cycle), key=lambda b: b.declared_count)
    assert list(files._account_rows(big)) == list(per_row_rows(big))
    assert fraction() == before
