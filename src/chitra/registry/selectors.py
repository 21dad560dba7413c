"""Scoped reads of the registry. Every query starts from `scope_queryset`."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from chitra.core.audit import audit_record
from chitra.iam.access import Perm, get_in_scope, scope_queryset
from chitra.kernel.names import fold_name
from chitra.registry.models import Beneficiary, Entitlement, Representative

if TYPE_CHECKING:
    from chitra.iam.models import User

_DIGITS = re.compile(r"^\d+$")


def beneficiary_list(
    actor: User,
    *,
    q: str | None = None,
    commune_id: int | None = None,
    benefit_type: str | None = None,
    status: str | None = None,
) -> QuerySet[Beneficiary]:
    """Beneficiaries the actor may see, searched by ID number or by (part of) the folded name."""
    qs = scope_queryset(actor, Beneficiary.objects.all(), perm=Perm.REGISTRY_VIEW)
    qs = qs.select_related("commune")
    q = (q or "").strip()
    order: tuple[str, ...] = ("name_folded", "id")
    if q:
        compact = re.sub(r"[\s.\-]", "", q)
        if _DIGITS.match(compact):
            if len(compact) == 12:
                qs = qs.filter(personal_id=compact)
            elif len(compact) == 10:
                qs = qs.filter(si_number=compact)
            elif len(compact) == 9:
                qs = qs.filter(old_id=compact)
            else:  # the first digits of a personal ID: a range the index serves
                qs = qs.filter(personal_id__gte=compact, personal_id__lt=compact + ":")
        else:
            folded = fold_name(q)
            if len(folded) < 3:  # too short to mean anything inside a name: a prefix
                qs = qs.filter(name_folded__startswith=folded)
            elif " " in folded and qs.filter(name_folded__startswith=folded).exists():
                # a full name (or its start): the name index answers, in name order
                qs = qs.filter(name_folded__startswith=folded)
            elif folded:
                # any part of the name (trigram index on PostgreSQL); ordered by id so that a
                # common part ("NGUYEN": 38 %) never walks the whole name index
                qs = qs.filter(name_folded__contains=folded)
                order = ("id",)
    if commune_id:
        qs = qs.filter(commune_id=commune_id)
    if benefit_type:
        qs = qs.filter(entitlements__benefit_type=benefit_type).distinct()
    if status:
        qs = qs.filter(status=status)
    return qs.order_by(*order)


def beneficiary_get(actor: User, pk: object, *, audit: bool = True) -> Beneficiary:
    """One beneficiary's full record (404 when missing or out of scope). Opening it is audited."""
    qs = Beneficiary.objects.select_related("commune", "commune__province").prefetch_related(
        Prefetch("entitlements", queryset=Entitlement.objects.select_related("office")),
        Prefetch("representatives", queryset=Representative.objects.all()),
    )
    ben = get_in_scope(actor, qs, pk, perm=Perm.REGISTRY_VIEW)
    if audit:
        audit_record(actor, "registry.beneficiary.view", obj=ben)
    return ben


def beneficiary_with_personal_id(actor: User, personal_id: str) -> Beneficiary | None:
    """The beneficiary with this personal ID in `actor`'s scope (REGISTRY_VIEW), or None
    alike for none and not yours."""
    qs = scope_queryset(actor, Beneficiary.objects.all(), perm=Perm.REGISTRY_VIEW)
    return qs.filter(personal_id=personal_id).first()
