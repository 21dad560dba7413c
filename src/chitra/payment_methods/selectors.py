"""Scoped reads of payment methods and change requests."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from chitra.core.access import Perm, scope_queryset
from chitra.iam.models import PROVIDER_KINDS
from chitra.payment_methods.models import ChangeRequest, PaymentMethod

if TYPE_CHECKING:
    from chitra.iam.models import User
    from chitra.registry.models import Beneficiary


def method_for_month(beneficiary: Beneficiary, month: dt.date) -> PaymentMethod | None:
    """The version in force for a payment month (None: cash at a pay point, the default)."""
    return (PaymentMethod.objects.filter(beneficiary=beneficiary, effective_month__lte=month)
            .select_related("account__provider").order_by("-effective_month").first())


def change_requests(actor: User, *, status: str | None = None) -> QuerySet[ChangeRequest]:
    """Requests in the actor's area. A provider sees those into its own accounts that others
    made (BHXH, outreach: it must open or confirm the account); those it opened itself only
    once approved, so that its own requests never tell it whether a person exists."""
    qs = scope_queryset(actor, ChangeRequest.objects.all(), perm=Perm.REGISTRY_VIEW)
    org = actor.organisation if actor.is_authenticated else None
    if org is not None and org.kind in PROVIDER_KINDS and not actor.is_national:
        qs = qs.exclude(Q(maker__organisation=org) & ~Q(status=ChangeRequest.Status.APPROVED))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("beneficiary__commune", "provider", "maker").order_by(
        "-created_at")
