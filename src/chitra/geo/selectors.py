from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from chitra.geo.models import Commune, Province

if TYPE_CHECKING:
    from chitra.iam.models import User


def communes_in_scope(actor: User) -> QuerySet[Commune]:
    """The communes of the actor's area (for filters and pickers)."""
    qs = Commune.objects.select_related("province")
    if actor.is_national:
        return qs.order_by("province__code", "name")
    ids = actor.scope_commune_ids()
    if ids is not None:
        return qs.filter(id__in=ids).order_by("name")
    if actor.area_province_id is None:
        return qs.none()
    return qs.filter(province_id=actor.area_province_id).order_by("name")


def home_province(actor: User) -> Province | None:
    """The actor's province, or the installation's default province for a national user."""
    from django.conf import settings

    if actor.area_province_id is not None:
        return actor.area_province
    return Province.objects.filter(code=settings.CHITRA_DEFAULT_PROVINCE).first()


def province_communes(actor: User, province: Province | None) -> QuerySet[Commune]:
    """The communes of `province` (one the caller read in `actor`'s scope), by name."""
    if province is None or not actor.is_authenticated:
        return Commune.objects.none()
    return Commune.objects.filter(province=province).order_by("name")


def commune_named(
    actor: User, *, pk: Any = None, code: str | None = None, province: Province | None = None
) -> Commune | None:
    """The commune a form names by id or an API request by code (within `province` when
    given), None when unknown; the service that takes it checks whether it fits."""
    if not actor.is_authenticated:
        return None
    qs = Commune.objects.select_related("province")
    if province is not None:
        qs = qs.filter(province=province)
    try:
        return qs.filter(code=code).first() if code is not None else qs.filter(pk=pk).first()
    except (ValueError, TypeError):
        return None
