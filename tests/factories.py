"""Factories for registry rows in tests (fixtures; the import service is tested on its own)."""

from __future__ import annotations

import datetime as dt
import itertools

import factory

from chitra.geo.models import Commune
from chitra.kernel.names import fold_name
from chitra.registry.models import Beneficiary, Entitlement

_n = itertools.count(1)


def make_pid(year: int = 1955, sex: str = "M", province: str = "008") -> str:
    century = (year // 100 - 19) * 2 + (1 if sex == "F" else 0)
    return f"{province}{century}{year % 100:02d}{next(_n):06d}"


class BeneficiaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beneficiary

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    name_folded = factory.LazyAttribute(lambda o: fold_name(o.full_name))
    birth_date = dt.date(1955, 3, 4)
    sex = "M"
    personal_id = factory.LazyAttribute(lambda o: make_pid(o.birth_date.year, o.sex))
    si_number = factory.Sequence(lambda n: f"{800000000 + n:010d}")
    commune = factory.LazyFunction(
        lambda: Commune.objects.filter(province__code="08").order_by("code").first()
    )


class EntitlementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entitlement

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    benefit_type = "PENSION"
    monthly_amount = 5_200_000
    start_month = dt.date(2015, 1, 1)


def payment_method(
    *,
    beneficiary,
    method: str,
    effective_month: dt.date,
    created_by,
    account=None,
    home_reason: str = "",
    payee_representative=None,
):
    """A payment-method version as production makes it: from a change request with the
    person's consent, made by one BHXH user and approved by another."""
    from chitra.iam.models import User
    from chitra.payment_methods.models import ChangeRequest, PaymentMethod

    checker, _created = User.objects.get_or_create(
        username="test.second-approver",
        defaults={"is_system": True, "full_name": "Second approver (tests)", "password": "!"},
    )
    cr = ChangeRequest.objects.create(
        beneficiary=beneficiary,
        status=ChangeRequest.Status.APPROVED,
        source=ChangeRequest.Source.OFFICER,
        method=method,
        provider=account.provider if account is not None else None,
        number_encrypted=account.number_encrypted if account is not None else "",
        number_index=account.number_index if account is not None else "",
        number_last4=account.number_last4 if account is not None else "",
        holder_name=account.holder_name if account is not None else "",
        home_reason=home_reason,
        payee_representative=payee_representative,
        consent_date=effective_month - dt.timedelta(days=1),
        consent_channel=ChangeRequest.ConsentChannel.PAPER_FORM,
        maker=created_by,
        submitted_by=created_by,
        checker=checker,
        effective_month=effective_month,
    )
    return PaymentMethod.objects.create(
        beneficiary=beneficiary,
        method=method,
        effective_month=effective_month,
        account=account,
        home_reason=home_reason,
        payee_representative=payee_representative,
        created_by=checker,
        change_request=cr,
    )
