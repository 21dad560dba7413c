"""Found by review of issue #12: a provider's confirmation of an account of a person recorded
as deceased must not record a proof of life (it did, of today, source provider)."""

from __future__ import annotations

import pytest

from chitra.core import crypto
from chitra.payment_methods.models import Account, Provider
from chitra.registry.models import Beneficiary
from tests.auth import api_headers
from tests.factories import BeneficiaryFactory
from tests.payment_methods.test_api import PUSH, _post, bank  # noqa: F401


@pytest.mark.django_db
def test_a_bank_cannot_prove_a_dead_person_alive(client, bank):  # noqa: F811
    agri = Provider.objects.get(code="970405")
    dead = BeneficiaryFactory(status=Beneficiary.Status.DECEASED)
    Account.objects.create(
        beneficiary=dead,
        provider=agri,
        method="BANK_ACCOUNT",
        number_encrypted=crypto.encrypt("0123456781"),
        number_index=crypto.blind_index("BANK_ACCOUNT:970405", "0123456781"),
        number_last4="6781",
        holder_name=dead.full_name,
        status="unverified",
    )
    rows = [
        {
            "personal_id": dead.personal_id,
            "provider_code": "970405",
            "account_number": "0123456781",
            "holder_name": dead.full_name,
        }
    ]
    body = _post(client, PUSH, {"rows": rows}, api_headers(bank)).json()
    got = Beneficiary.objects.get(pk=dead.pk)
    assert got.proof_of_life_on is None, (body, got.proof_of_life_on, got.proof_of_life_source)
