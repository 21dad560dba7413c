"""Scoped reads of payment methods and change requests."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from chitra.iam.access import Perm, has_perm, scope_queryset
from chitra.iam.models import PROVIDER_KINDS
from chitra.payment_methods.models import AccountNotice, ChangeRequest, PaymentMethod, Provider

if TYPE_CHECKING:
    from chitra.iam.models import User
    from chitra.registry.models import Beneficiary


def method_for_month(beneficiary: Beneficiary, month: dt.date) -> PaymentMethod | None:
    """The version in force for a payment month (None: cash at a pay point, the default)."""
    return (
        PaymentMethod.objects.filter(beneficiary=beneficiary, effective_month__lte=month)
        .select_related("account__provider")
        .order_by("-effective_month")
        .first()
    )


def change_requests(actor: User, *, status: str | None = None) -> QuerySet[ChangeRequest]:
    """Requests in the actor's area. A provider sees those into its own accounts that BHXH or
    outreach made (it must open or confirm the account); those a provider opened (any branch)
    only once approved, so that its requests never tell it whether a person exists."""
    qs = scope_queryset(actor, ChangeRequest.objects.all(), perm=Perm.REGISTRY_VIEW)
    org = actor.organisation if actor.is_authenticated else None
    if org is not None and org.kind in PROVIDER_KINDS and not actor.is_national:
        # any provider organisation's (branches of one bank share its code), not only its own
        qs = qs.exclude(
            Q(maker__organisation__kind__in=PROVIDER_KINDS)
            & ~Q(status=ChangeRequest.Status.APPROVED)
        )
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("beneficiary__commune", "provider", "maker").order_by("-created_at")


def account_notices(
    actor: User, *, outcome: str | None = None, provider: str | None = None
) -> QuerySet[AccountNotice]:
    """Providers' account notices for BHXH: the province's (those about nobody of the
    registry included) for a provincial user, those about its communes' people for an office;
    nothing for anyone else (a provider learns the outcome of its rows from the answers)."""
    from chitra.iam.models import BHXH_KINDS

    qs = AccountNotice.objects.all()
    if not has_perm(actor, Perm.REGISTRY_IMPORT):
        return qs.none()
    if not actor.is_national:
        org = actor.organisation
        if org is None or org.kind not in BHXH_KINDS or actor.area_province_id is None:
            return qs.none()
        communes = actor.scope_commune_ids()
        qs = (
            qs.filter(province_id=actor.area_province_id)
            if communes is None
            else qs.filter(beneficiary__commune_id__in=communes)
        )
    if outcome:
        qs = qs.filter(outcome=outcome)
    if provider:
        qs = qs.filter(provider__code=provider)
    return qs.select_related("provider", "created_by", "beneficiary").order_by("-created_at", "-id")


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


def providers(actor: User, *, kind: str | None = None) -> QuerySet[Provider]:
    """The active providers (a public catalogue), each with `communes`: how many communes of
    `actor`'s area it serves; by kind, then the widest first."""
    from django.db.models import Count

    from chitra.geo.selectors import communes_in_scope

    area = communes_in_scope(actor)
    qs = (
        Provider.objects.filter(is_active=True)
        .annotate(
            communes=Count("coverage__commune", filter=Q(coverage__commune__in=area), distinct=True)
        )
        .order_by("kind", "-communes", "short_name")
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs
