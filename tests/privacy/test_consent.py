"""The consent log: per person and purpose, append-only, written where consent is taken
(payment change requests), shown on the beneficiary page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from chitra.core.errors import ChitraError
from chitra.core.models import AuditEvent
from chitra.payment_methods.models import Provider
from chitra.payment_methods.services import change_request_create, change_request_submit
from chitra.registry.models import Consent
from chitra.registry.services import consent_current, consent_record
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_a_withdrawal_is_a_new_row_and_the_latest_answer_counts(consent):
    b = BeneficiaryFactory()
    first = consent(b, days_ago=3)
    consent(b, purpose="data_sharing_with_provider", channel="in_person")
    consent(b, False, evidence="gọi điện")
    now = consent_current(b)
    assert now["notifications"].given is False
    assert now["data_sharing_with_provider"].given is True
    assert Consent.objects.filter(beneficiary=b).count() == 3
    first.refresh_from_db()
    assert first.given is True  # the first answer stays as it was
    assert AuditEvent.objects.filter(action="registry.consent.record").count() == 3


def test_the_database_refuses_to_edit_or_delete_a_consent(consent):
    c = consent(BeneficiaryFactory())
    with pytest.raises(DatabaseError), transaction.atomic():
        Consent.objects.filter(pk=c.pk).update(given=False)
    with pytest.raises(DatabaseError), transaction.atomic():
        Consent.objects.filter(pk=c.pk).delete()
    assert Consent.objects.get(pk=c.pk).given is True


def test_values_are_checked(bhxh_officer):
    b = BeneficiaryFactory()
    for kwargs in (
        {"purpose": "marketing"},
        {"channel": "telepathy"},
        {"date": TODAY + dt.timedelta(days=1)},
    ):
        args = {"purpose": "notifications", "channel": "phone", "date": TODAY, **kwargs}
        with pytest.raises(ChitraError):
            consent_record(actor=bhxh_officer, beneficiary=b, given=True, **args)


def test_change_requests_write_the_consent_log(bhxh_officer):
    b = BeneficiaryFactory(full_name="Nguyễn Văn Đồng")
    bank = Provider.objects.get(code="970405")
    cr = change_request_create(
        actor=bhxh_officer,
        beneficiary=b,
        method="BANK_ACCOUNT",
        source="officer",
        provider=bank,
        number="0123456781",
        holder_name="NGUYEN VAN DONG",
        consent_date=TODAY,
        consent_channel="paper_form",
        consent_witness="Trưởng thôn",
    )
    c = Consent.objects.get(beneficiary=b)
    assert (c.purpose, c.given, c.channel, c.date, c.evidence) == (
        "payment_method_change",
        True,
        "paper_form",
        TODAY,
        "Trưởng thôn",
    )
    assert (c.source_type, c.source_id) == ("payment_methods.changerequest", str(cr.pk))
    draft = change_request_create(
        actor=bhxh_officer, beneficiary=b, method="CASH_PAY_POINT", source="outreach"
    )
    assert Consent.objects.filter(beneficiary=b).count() == 1  # a draft has no consent yet
    change_request_submit(
        actor=bhxh_officer, change_request=draft, consent_date=TODAY, consent_channel="in_person"
    )
    rows = Consent.objects.filter(beneficiary=b).order_by("id")
    assert rows.count() == 2 and rows.last().source_id == str(draft.pk)


def test_the_beneficiary_page_shows_the_consents(client, bhxh_officer, consent):
    b = BeneficiaryFactory()
    consent(b, days_ago=1)
    consent(b, False)
    client.force_login(bhxh_officer)
    page = client.get(f"/beneficiaries/{b.pk}/").content.decode()
    assert 'data-testid="consents"' in page
    section = page.split('data-testid="consents"', 1)[1].split("</table>", 1)[0]
    assert "text-bg-secondary" in section and "text-bg-success" not in section  # withdrawn
