"""One person with data in every app (registry, verification, payments, outreach, complaints),
a second person in another commune, and the BHXH officers and approvers who answer requests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from chitra.core import crypto
from chitra.disbursement.models import Batch, Cycle, PayrollLine
from chitra.grievances.models import Ticket
from chitra.iam.models import Organisation, OrgKind, Role, User
from chitra.outreach.models import Assignment, Campaign, Contact
from chitra.payment_methods.models import Account, Provider
from chitra.registry.models import Beneficiary, Representative
from chitra.verification.models import PersonStatus, Suspension, VerificationResult, VerificationRun
from tests.factories import BeneficiaryFactory, EntitlementFactory, payment_method

FULL_NUMBER = "0123456789012"


@dataclass
class Person:
    ben: Beneficiary
    other: Beneficiary
    officer: User
    approver: User
    account: Account


@pytest.fixture
def person(db, tq_communes, system, make_user) -> Person:
    a, b = tq_communes[0], tq_communes[1]
    ben = BeneficiaryFactory(
        full_name="Nguyễn Thị Riêng",
        sex="F",
        commune=a,
        birth_date=dt.date(1950, 5, 6),
        phone="+84912000777",
        address="Thôn Riêng",
    )
    other = BeneficiaryFactory(full_name="Trần Văn Khác", commune=b)
    ent = EntitlementFactory(beneficiary=ben, paid_through=dt.date(2026, 10, 1))
    EntitlementFactory(beneficiary=other)
    Representative.objects.create(
        beneficiary=ben,
        kind="guardian",
        full_name="Lê Văn Giám",
        personal_id="008080000123",
        valid_from=dt.date(2024, 1, 1),
    )
    agribank = Provider.objects.get(code="970405")
    account = Account.objects.create(
        beneficiary=ben,
        provider=agribank,
        method="BANK_ACCOUNT",
        number_encrypted=crypto.encrypt(FULL_NUMBER),
        number_index=crypto.blind_index("account", f"970405:{FULL_NUMBER}"),
        number_last4=FULL_NUMBER[-4:],
        holder_name="NGUYEN THI RIENG",
        status="verified",
    )
    payment_method(
        beneficiary=ben,
        method="BANK_ACCOUNT",
        effective_month=dt.date(2026, 1, 1),
        account=account,
        created_by=system,
    )
    run = VerificationRun.objects.create(started_by=system, connector="file", status="succeeded")
    result = VerificationResult.objects.create(
        run=run, beneficiary=ben, outcome="mismatch", mismatched_fields="name"
    )
    PersonStatus.objects.create(
        beneficiary=ben,
        outcome="mismatch",
        last_result=result,
        last_verified_at=timezone.now(),
        alive_seen_at=timezone.now(),
    )
    Suspension.objects.create(
        entitlement=ent,
        reason="proof_of_life",
        from_month=dt.date(2026, 11, 1),
        previous_status="active",
        created_by=system,
    )
    cycle = Cycle.objects.create(
        province=a.province,
        month=dt.date(2026, 10, 1),
        last_month=dt.date(2026, 10, 1),
        account_credit_date=dt.date(2026, 10, 5),
        cash_from_date=dt.date(2026, 10, 2),
        created_by=system,
    )
    batch = Batch.objects.create(
        cycle=cycle,
        provider=agribank,
        channel="BANK_ACCOUNT",
        reference="B-PRIV-1",
        released_at=timezone.now(),
    )
    PayrollLine.objects.create(
        cycle=cycle,
        batch=batch,
        entitlement=ent,
        beneficiary=ben,
        commune=a,
        benefit_type="PENSION",
        period_month=dt.date(2026, 10, 1),
        amount=5_200_000,
        channel="BANK_ACCOUNT",
        provider=agribank,
        account=account,
        payee_name="NGUYEN THI RIENG",
        reference="PP202610REF1",
        status="paid",
    )
    campaign = Campaign.objects.create(
        name="Vận động 2026",
        province=a.province,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        created_by=system,
    )
    assignment = Assignment.objects.create(campaign=campaign, beneficiary=ben, commune=a)
    Contact.objects.create(
        assignment=assignment,
        officer=system,
        date=dt.date(2026, 3, 2),
        channel="visit",
        outcome="declined",
        reason="prefers_cash",
        note="Bà muốn nhận tiền mặt",
    )
    org = (
        Organisation.objects.filter(kind=OrgKind.BHXH_PROVINCE).first()
        or make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER).organisation
    )
    Ticket.objects.create(
        category="payment_not_received",
        source="beneficiary",
        channel="counter",
        description="Chưa nhận tiền tháng 10",
        beneficiary=ben,
        commune=a,
        routed_to=org,
        received_on=dt.date(2026, 10, 20),
        due_date=dt.date(2026, 11, 5),
        created_by=system,
        number="KN-2026-PRIV01",
    )
    officer = make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER)
    approver = make_user(OrgKind.BHXH_PROVINCE, Role.APPROVER)
    return Person(ben=ben, other=other, officer=officer, approver=approver, account=account)


@pytest.fixture
def consent(bhxh_officer):
    """A factory: `bhxh_officer` records a consent of `beneficiary` (notifications by phone,
    today, unless told otherwise), through the service."""
    from chitra.registry.services import consent_record

    def record(beneficiary, given=True, *, days_ago=0, **over):
        args = {
            "purpose": "notifications",
            "channel": "phone",
            "date": timezone.localdate() - dt.timedelta(days=days_ago),
            **over,
        }
        return consent_record(actor=bhxh_officer, beneficiary=beneficiary, given=given, **args)

    return record
