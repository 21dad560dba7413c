"""Scoped reads of payment methods and change requests."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from chitra.iam.access import Perm, get_in_scope, has_perm, require_in_scope, scope_queryset
from chitra.iam.models import PROVIDER_KINDS
from chitra.payment_methods.models import AccountNotice, ChangeRequest, PaymentMethod, Provider

if TYPE_CHECKING:
    from chitra.iam.models import User
    from chitra.payment_methods.models import Account
    from chitra.registry.models import Beneficiary


def method_for_month(
    beneficiary: Beneficiary, month: dt.date, *, actor: User
) -> PaymentMethod | None:
    """The version in force for a payment month of a beneficiary `actor` may see (404
    otherwise; None: cash at a pay point, the default)."""
    from chitra.payment_methods.in_force import method_in_force

    require_in_scope(actor, beneficiary, perm=Perm.REGISTRY_VIEW)
    return method_in_force(beneficiary, month)


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


def account_get(actor: User, pk: Any) -> Account:
    """One account of a beneficiary in `actor`'s scope, or 404 alike for missing and not
    yours."""
    from chitra.payment_methods.models import Account

    qs = Account.objects.select_related("provider")
    return get_in_scope(actor, qs, pk, perm=Perm.REGISTRY_VIEW)


def provider_get(actor: User, pk: Any) -> Provider:
    """One provider of the catalogue (public data: any signed-in user), or 404."""
    from django.http import Http404

    if not actor.is_authenticated:
        raise Http404
    try:
        return Provider.objects.get(pk=pk)
    except (Provider.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def provider_by_code(actor: User, code: str) -> Provider | None:
    """The provider a request names by its code, None when unknown (public catalogue)."""
    if not actor.is_authenticated:
        return None
    return Provider.objects.filter(code=code or "").first()


def provider_coverage(actor: User, provider: Provider) -> QuerySet[Any]:
    """Where `provider` serves (branches, agents, pay points) in `actor`'s communes."""
    from chitra.geo.selectors import communes_in_scope
    from chitra.payment_methods.models import Coverage

    return (
        Coverage.objects.filter(provider=provider, commune__in=communes_in_scope(actor))
        .select_related("commune")
        .order_by("commune__name", "kind")
    )
