"""Scoped reads of users: the people an administrator manages."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from chitra.iam.models import User


def users_of(actor: User) -> QuerySet[User]:
    """The users an administrator manages: those of their province (never a superuser, never
    a system actor); a national user manages everyone but the system actors."""
    qs = User.objects.filter(is_system=False).select_related("organisation")
    if not actor.is_national:
        qs = qs.filter(area_province_id=actor.area_province_id, is_superuser=False)
    return qs


def users_with_live_tokens(actor: User) -> QuerySet[User]:
    """`users_of(actor)`, each with `live_tokens` (API tokens not revoked), by organisation
    and user name."""
    return users_of(actor).annotate(
        live_tokens=Count("api_tokens", filter=Q(api_tokens__revoked_at__isnull=True))
    ).order_by("organisation__name", "username")
