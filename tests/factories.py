"""Factories for registry rows in tests (fixtures; the import service is tested on its own)."""

from __future__ import annotations

import datetime as dt
import itertools

import factory

from chitra.core.names import fold_name
from chitra.geo.models import Commune
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
        lambda: Commune.objects.filter(province__code="08").order_by("code").first())


class EntitlementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entitlement

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    benefit_type = "PENSION"
    monthly_amount = 5_200_000
    start_month = dt.date(2015, 1, 1)
