"""Scoped reads of iam: the audit trail (who may read which events is a question of organisation
kind and area, which iam answers; moved here from ``chitra.core.selectors``) and the users an
administrator manages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet

from chitra.core.models import AuditEvent
from chitra.iam.access import Perm, has_perm
from chitra.iam.models import OrgKind, User


def audit_search(
    actor: User,
    *,
    q: str = "",
    action: str = "",
    username: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    province: str = "",
) -> QuerySet[AuditEvent]:
    """Audit events an administrator may read, by the province each event concerns
    (`AuditEvent.province`, see `core.audit`): national users all; the provincial BHXH (which
    leads the plan) every event of its province, whoever wrote it (its agencies, the system
    actor, national users), and nothing of another province or of none; any other agency the
    events of its own staff in its province. `province` (a code) narrows further; it never
    widens."""
    qs = AuditEvent.objects.select_related("province")
    if not has_perm(actor, Perm.AUDIT_VIEW):
        return qs.none()
    if not actor.is_national:
        org = actor.organisation
        if org is None or actor.area_province_id is None:
            return qs.none()
        qs = qs.filter(province_id=actor.area_province_id)
        if org.kind != OrgKind.BHXH_PROVINCE:
            qs = qs.filter(organisation_id=org.pk)
    if province:
        qs = qs.filter(province__code=province)
    if q:
        qs = qs.filter(Q(object_repr__icontains=q) | Q(reason__icontains=q) | Q(object_id=q))
    if action:
        qs = qs.filter(action__startswith=action)
    if username:
        qs = qs.filter(actor_username=username)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs.order_by("-at", "-id")


def audit_provinces(actor: User) -> QuerySet[Any]:
    """The provinces the audit trail can be narrowed to: every one for a national user, the
    user's own otherwise."""
    from chitra.geo.models import Province

    return (
        Province.objects.all()
        if actor.is_national
        else Province.objects.filter(id=actor.area_province_id or 0)
    )


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
    return (
        users_of(actor)
        .annotate(live_tokens=Count("api_tokens", filter=Q(api_tokens__revoked_at__isnull=True)))
        .order_by("organisation__name", "username")
    )


def enrolled_user_ids(actor: User) -> set[int]:
    """The ids of the users `actor` manages (`users_of`) who confirmed a 2FA device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return set(
        TOTPDevice.objects.filter(confirmed=True, user__in=users_of(actor)).values_list(
            "user_id", flat=True
        )
    )


# --- an id a form or a request names (the service that takes it decides) -------------------


def _signed_in(actor: User | None) -> bool:
    return actor is not None and actor.is_authenticated and actor.is_active


def user_named(actor: User, pk: int) -> User | None:
    """The user a form names by id (an officer to hand work to), None when unknown. Not
    narrowed to `actor`'s area: the service that takes the user checks whether they may take
    the work and says why not (an unknown one and one of another area read alike to it)."""
    if not _signed_in(actor):
        return None
    return User.objects.filter(pk=pk or 0).first()


def organisation_named(actor: User, *, pk: int | None = None, code: str | None = None) -> Any:
    """The organisation a form names by id or an API request by code, None when unknown (the
    service that takes it checks whether it fits: routing a complaint)."""
    from chitra.iam.models import Organisation

    if not _signed_in(actor):
        return None
    if code is not None:
        return Organisation.objects.filter(code=code).first()
    return Organisation.objects.filter(pk=pk or 0).first()
