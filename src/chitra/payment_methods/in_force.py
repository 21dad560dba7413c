"""Which payment method is in force for a month: computations over beneficiaries the caller
has already read in scope (not reads for a user: `selectors.method_for_month` is that).
Verification's proof of life asks `paid_into_account` through its ports."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from chitra.payment_methods.models import PaymentMethod

if TYPE_CHECKING:
    from chitra.registry.models import Beneficiary


def method_in_force(beneficiary: Beneficiary, month: dt.date) -> PaymentMethod | None:
    """The version in force for a payment month (None: cash at a pay point, the default)."""
    return (
        PaymentMethod.objects.filter(beneficiary=beneficiary, effective_month__lte=month)
        .select_related("account__provider")
        .order_by("-effective_month")
        .first()
    )


def paid_into_account(qs: QuerySet[Beneficiary], month: dt.date) -> QuerySet[Beneficiary]:
    """`qs` of beneficiaries narrowed to those whose payment method for `month` pays into an
    account (bank, mobile money, e-wallet), annotated with that method (`current_method`);
    verification's proof of life asks it through `chitra.verification.ports`."""
    from django.db.models import OuterRef, Subquery

    from chitra.payment_methods.models import ACCOUNT_METHODS

    current = (
        PaymentMethod.objects.filter(beneficiary=OuterRef("pk"), effective_month__lte=month)
        .order_by("-effective_month")
        .values("method")[:1]
    )
    return qs.annotate(current_method=Subquery(current)).filter(
        current_method__in=list(ACCOUNT_METHODS)
    )
