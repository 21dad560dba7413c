"""Scoped reads of payment methods and change requests."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from chitra.core.access import Perm, scope_queryset
from chitra.payment_methods.models import ChangeRequest, PaymentMethod

if TYPE_CHECKING:
    from chitra.iam.models import User
    from chitra.registry.models import Beneficiary


def method_for_month(beneficiary: Beneficiary, month: dt.date) -> PaymentMethod | None:
    """The version in force for a payment month (None: cash at a pay point, the default)."""
    return (PaymentMethod.objects.filter(beneficiary=beneficiary, effective_month__lte=month)
            .select_related("account__provider").order_by("-effective_month").first())


def change_requests(actor: User, *, status: str | None = None) -> QuerySet[ChangeRequest]:
    qs = scope_queryset(actor, ChangeRequest.objects.all(), perm=Perm.REGISTRY_VIEW)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("beneficiary__commune", "provider", "maker").order_by(
        "-created_at")
