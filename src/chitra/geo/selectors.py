from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from chitra.geo.models import Commune

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
