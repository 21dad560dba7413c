"""Found by review of issue #12: a register entry that does not match the beneficiary
(another person holds that personal ID: name, birth date and sex all differ) must not count
as "seen alive" (it renewed the proof of life)."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from chitra.registry.models import Beneficiary
from chitra.verification.models import VerificationResult
from chitra.verification.services import verification_run
from tests.factories import BeneficiaryFactory, EntitlementFactory


@pytest.mark.django_db
def test_a_full_mismatch_is_not_a_proof_of_life(tq_communes, bhxh_officer, tmp_path, settings):
    from chitra.engine.register.store import load_extract

    ben = BeneficiaryFactory(
        full_name="Lý Thị Mai", sex="F", birth_date=dt.date(1941, 2, 3), commune=tq_communes[0]
    )
    EntitlementFactory(beneficiary=ben)
    Beneficiary.objects.filter(pk=ben.pk).update(
        proof_of_life_on=dt.date(2025, 10, 1), proof_of_life_source="account_start"
    )
    src = tmp_path / "x.csv"
    with src.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["personal_id", "full_name", "birth_date", "sex", "commune_code", "death_date"])
        # the ID on our record belongs, in the register, to a young man somewhere else
        w.writerow([ben.personal_id, "Hoàng Văn Tùng", "1990-07-07", "M", tq_communes[1].code, ""])
    store = tmp_path / "r.duckdb"
    load_extract(src, store)
    settings.CHITRA_REGISTER_STORE = store
    settings.CHITRA_REGISTER_CONNECTOR = "file"
    verification_run(actor=bhxh_officer)
    r = VerificationResult.objects.get(beneficiary=ben)
    assert r.outcome == "mismatch", r.outcome
    got = Beneficiary.objects.get(pk=ben.pk)
    assert got.proof_of_life_on == dt.date(2025, 10, 1), (
        got.proof_of_life_on,
        got.proof_of_life_source,
    )
