"""Who may do what, and where.

Two questions, answered in one place:
- *capability*: may this user (organisation kind x role) do this kind of thing at all?
  (`has_perm`, `require_perm`, table `CAPABILITIES`)
- *scope*: which rows may they see? (`scope_queryset`): an officer of commune X never sees
  commune Y; a bank never sees another bank's customers. Each model declares how it reaches a
  commune (and, where it applies, a provider) with `register_scope` (the
  registry itself is :mod:`chitra.core.scopes`, so that the audit trail below iam reads it).

`access_<x>_by_id` helpers in selectors use `get_in_scope`, which answers 404 alike for
"missing" and "not yours".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from chitra.core.perms import Perm
from chitra.core.scopes import scope_spec
from chitra.iam.models import (
    BHXH_KINDS,
    COMMUNE_LEVEL_KINDS,
    OVERSIGHT_KINDS,
    POLICE_KINDS,
    PROVIDER_KINDS,
    ROLE_RANK,
    OrgKind,
    Role,
)

if TYPE_CHECKING:
    from chitra.iam.models import User

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Capability:
    min_role: Role
    org_kinds: frozenset[str]


_AREA_KINDS = BHXH_KINDS | POLICE_KINDS | COMMUNE_LEVEL_KINDS

CAPABILITIES: dict[Perm, Capability] = {
    # Area agencies read the registry of their area; money movers read only their own customers
    # (scoped by provider); oversight bodies see aggregates, never individual records.
    Perm.REGISTRY_VIEW: Capability(Role.VIEWER, _AREA_KINDS | PROVIDER_KINDS),
    Perm.REGISTRY_IMPORT: Capability(Role.OFFICER, BHXH_KINDS),
    # BHXH leads verification; the police keep the register: both run checks and clean data.
    Perm.VERIFY_RUN: Capability(Role.OFFICER, BHXH_KINDS | frozenset({OrgKind.POLICE_PROVINCE})),
    Perm.CLEANING_WORK: Capability(Role.OFFICER, BHXH_KINDS | POLICE_KINDS),
    Perm.SUSPENSION_REVERSE: Capability(Role.APPROVER, BHXH_KINDS),
    Perm.PAYMENT_APPROVE: Capability(Role.APPROVER, BHXH_KINDS),
    # The monthly cycle (plan task 7): the provincial BHXH runs it; providers see their own
    # batches and post results; oversight bodies see the cycle's totals.
    Perm.PAYMENT_VIEW: Capability(Role.VIEWER, BHXH_KINDS | PROVIDER_KINDS | OVERSIGHT_KINDS),
    Perm.PAYMENT_RUN: Capability(Role.OFFICER, frozenset({OrgKind.BHXH_PROVINCE})),
    Perm.PAYMENT_RESULTS: Capability(
        Role.OFFICER, frozenset({OrgKind.BHXH_PROVINCE}) | PROVIDER_KINDS
    ),
    # Indicators and reports (aggregates, never personal data): every area agency and the
    # oversight bodies; BHXH and the provincial police issue the periodic reports; the
    # province's BHXH admin sets the targets; every agency posts progress on its plan tasks.
    Perm.REPORTS_VIEW: Capability(Role.VIEWER, _AREA_KINDS | OVERSIGHT_KINDS),
    Perm.REPORT_ISSUE: Capability(
        Role.OFFICER, frozenset({OrgKind.BHXH_PROVINCE, OrgKind.POLICE_PROVINCE})
    ),
    Perm.TARGET_EDIT: Capability(Role.ADMIN, frozenset({OrgKind.BHXH_PROVINCE})),
    Perm.PLAN_UPDATE: Capability(Role.OFFICER, _AREA_KINDS | PROVIDER_KINDS | OVERSIGHT_KINDS),
    # Complaints and fraud reports: any officer records one; the organisation it is routed to
    # works it (BHXH, the bank or provider, the State Bank branch, the police).
    Perm.GRIEVANCE_CREATE: Capability(Role.OFFICER, _AREA_KINDS | PROVIDER_KINDS | OVERSIGHT_KINDS),
    Perm.GRIEVANCE_WORK: Capability(
        Role.OFFICER, BHXH_KINDS | POLICE_KINDS | PROVIDER_KINDS | frozenset({OrgKind.STATE_BANK})
    ),
    # A provider's officers tell chitra about accounts they opened, confirmed or closed, and ask
    # for payment into their own accounts (drafts BHXH decides); its viewers never do.
    Perm.ACCOUNT_CONFIRM: Capability(Role.OFFICER, PROVIDER_KINDS),
    # the provincial BHXH keeps the provider catalogue (contacts, fees, where each serves)
    Perm.PROVIDER_EDIT: Capability(Role.ADMIN, frozenset({OrgKind.BHXH_PROVINCE})),
    # the province's pay days (accounts credited by, cash paid from): its BHXH admin
    Perm.PAY_SCHEDULE_EDIT: Capability(Role.ADMIN, frozenset({OrgKind.BHXH_PROVINCE})),
    Perm.GEO_EDIT: Capability(Role.ADMIN, frozenset({OrgKind.BHXH_PROVINCE})),
    Perm.AUDIT_VIEW: Capability(Role.ADMIN, BHXH_KINDS | POLICE_KINDS | OVERSIGHT_KINDS),
    Perm.USER_MANAGE: Capability(Role.ADMIN, frozenset({OrgKind.BHXH_PROVINCE})),
    # Outreach (plan task 1): BHXH, commune police, the commune committee and Vietnam Post
    # visit and call beneficiaries; BHXH plans the campaigns and hands out the work.
    Perm.OUTREACH_WORK: Capability(
        Role.OFFICER,
        BHXH_KINDS | COMMUNE_LEVEL_KINDS | frozenset({OrgKind.POLICE_COMMUNE, OrgKind.POST}),
    ),
    Perm.OUTREACH_MANAGE: Capability(Role.OFFICER, BHXH_KINDS),
    # The police issue ID cards first to beneficiaries who have no 12-digit personal ID.
    Perm.ID_CARD_PRIORITY: Capability(Role.OFFICER, _AREA_KINDS),
    # Personal-data law (Law 91/2025/QH15): BHXH, which keeps the records, answers a person's
    # requests (access, correction, objection, withdrawal, deletion) for its area; a BHXH
    # approver decides corrections; the provincial BHXH admin keeps the breach register and
    # reads the retention rules. Police, communes and providers answer for their own records.
    Perm.PRIVACY_REQUESTS: Capability(Role.OFFICER, BHXH_KINDS),
    Perm.PRIVACY_DECIDE: Capability(Role.APPROVER, BHXH_KINDS),
    Perm.BREACH_REGISTER: Capability(Role.ADMIN, frozenset({OrgKind.BHXH_PROVINCE})),
    Perm.RETENTION_VIEW: Capability(Role.ADMIN, frozenset({OrgKind.BHXH_PROVINCE})),
}


def has_perm(actor: User | None, perm: Perm) -> bool:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_national:
        return True
    org = actor.organisation
    if org is None or not org.is_active:
        return False
    cap = CAPABILITIES[perm]
    return (
        org.kind in cap.org_kinds and ROLE_RANK.get(Role(actor.role), 0) >= ROLE_RANK[cap.min_role]
    )


def require_perm(actor: User | None, perm: Perm) -> None:
    if not has_perm(actor, perm):
        raise PermissionDenied(_("You do not have permission to do this."))


def scope_queryset(
    actor: User | None, qs: models.QuerySet[M], *, perm: Perm | None = None
) -> models.QuerySet[M]:
    """The rows of `qs` that `actor` may see (and nothing when `perm` is not granted)."""
    if perm is not None and not has_perm(actor, perm):
        return qs.none()
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return qs.none()
    if actor.is_national:
        return qs
    spec = scope_spec(qs.model)
    org = actor.organisation
    if org is None:
        return qs.none()
    if org.kind in PROVIDER_KINDS:
        if not spec.provider_path or not org.provider_code:
            return qs.none()
        # a sub-select, so that several accounts with the provider never duplicate a row
        mine = qs.model._default_manager.filter(**{spec.provider_path: org.provider_code})
        qs = qs.filter(pk__in=mine.values("pk"))
    if actor.area_province_id is None:
        return qs.none()
    commune_ids = actor.scope_commune_ids()
    if commune_ids is None:
        if org.kind in COMMUNE_LEVEL_KINDS:
            return qs.none()  # a commune body with no commune set sees nothing, never a province
        return qs.filter(**{f"{spec.commune_path}__province_id": actor.area_province_id})
    return qs.filter(**{f"{spec.commune_path}__in": commune_ids})


def get_in_scope(
    actor: User | None, qs: models.QuerySet[M], pk: Any, *, perm: Perm | None = None
) -> M:
    """One object by primary key, or 404 alike for missing and out of scope."""
    try:
        return scope_queryset(actor, qs, perm=perm).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def require_in_scope(
    actor: User | None,
    obj: models.Model,
    *,
    within: models.QuerySet[Any] | None = None,
    perm: Perm | None = None,
) -> None:
    """404 unless `actor` may see `obj` (a second, cheap query: `pk` in scope). `within`: the
    app's own scoped queryset of that model, when its scope is not the registered one (the
    cycles a provider sees, the tickets routed to an organisation); otherwise the model's
    registered scope (with `perm`, nothing when it is not granted)."""
    qs = (
        within
        if within is not None
        else scope_queryset(actor, type(obj)._default_manager.all(), perm=perm)
    )
    if obj.pk is None or not qs.filter(pk=obj.pk).exists():
        raise Http404


def commune_in_scope(actor: User, commune_id: int) -> bool:
    if actor.is_national:
        return True
    ids = actor.scope_commune_ids()
    if ids is not None:
        return commune_id in ids
    org = actor.organisation
    if org is None or org.kind in COMMUNE_LEVEL_KINDS:
        return False  # a commune body with no commune set has no area, never a province
    from chitra.geo.models import Commune

    if actor.area_province_id is None:
        return False
    return Commune.objects.filter(id=commune_id, province_id=actor.area_province_id).exists()
