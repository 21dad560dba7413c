"""Scoped reads of the personal-data app. A person is found only by an officer allowed to answer
their requests (BHXH of their area); "not found" and "not yours" look the same."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from chitra.core.audit import audit_record
from chitra.core.crypto import mask
from chitra.iam.access import Perm, get_in_scope, has_perm, scope_queryset
from chitra.privacy.models import Breach, CorrectionRequest, DataSubjectRequest
from chitra.registry.models import Beneficiary

if TYPE_CHECKING:
    from chitra.iam.models import User

_SEPARATORS = re.compile(r"[\s.\-]")


def subject_find(actor: User, query: str) -> Beneficiary | None:
    """The person with this personal ID (12 digits), social-insurance number (10) or old ID
    card (9), if the actor may answer their requests. The lookup is audited (masked)."""
    text = _SEPARATORS.sub("", query or "")
    if not text.isdigit() or len(text) not in (9, 10, 12):
        return None
    qs = scope_queryset(actor, Beneficiary.objects.all(), perm=Perm.PRIVACY_REQUESTS)
    field = {12: "personal_id", 10: "si_number", 9: "old_id"}[len(text)]
    found = qs.filter(**{field: text}).select_related("commune").first()
    audit_record(
        actor,
        "privacy.subject.lookup",
        object_type="registry.beneficiary",
        object_id=found.pk if found else "",
        object_repr=mask(text),
        after={"found": found is not None},
    )
    return found


def subject_get(actor: User, pk: object, *, audit: bool = True) -> Beneficiary:
    """One person, for answering their requests (404 when missing or out of scope)."""
    ben = get_in_scope(
        actor,
        Beneficiary.objects.select_related("commune__province"),
        pk,
        perm=Perm.PRIVACY_REQUESTS,
    )
    if audit:
        audit_record(actor, "privacy.subject.view", obj=ben)
    return ben


def requests(
    actor: User,
    *,
    status: str = "",
    kind: str = "",
    overdue: bool = False,
    beneficiary: Beneficiary | None = None,
) -> QuerySet[DataSubjectRequest]:
    qs = scope_queryset(actor, DataSubjectRequest.objects.all(), perm=Perm.PRIVACY_REQUESTS)
    if status == "open":
        qs = qs.filter(
            status__in=[DataSubjectRequest.Status.RECEIVED, DataSubjectRequest.Status.ACKNOWLEDGED]
        )
    elif status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if overdue:
        qs = qs.filter(
            status__in=[DataSubjectRequest.Status.RECEIVED, DataSubjectRequest.Status.ACKNOWLEDGED],
            due_date__lt=timezone.localdate(),
        )
    if beneficiary is not None:
        qs = qs.filter(beneficiary=beneficiary)
    return qs.select_related("beneficiary__commune").order_by("due_date", "id")


def request_get(actor: User, pk: object) -> DataSubjectRequest:
    return get_in_scope(
        actor,
        DataSubjectRequest.objects.select_related(
            "beneficiary__commune__province", "created_by", "closed_by"
        ),
        pk,
        perm=Perm.PRIVACY_REQUESTS,
    )


def corrections(
    actor: User, *, status: str = "", beneficiary: Beneficiary | None = None
) -> QuerySet[CorrectionRequest]:
    qs = scope_queryset(actor, CorrectionRequest.objects.all(), perm=Perm.PRIVACY_REQUESTS)
    if status:
        qs = qs.filter(status=status)
    if beneficiary is not None:
        qs = qs.filter(beneficiary=beneficiary)
    return qs.select_related("beneficiary__commune", "maker", "checker").order_by(
        "-created_at", "-id"
    )


def correction_get(actor: User, pk: object) -> CorrectionRequest:
    return get_in_scope(
        actor,
        CorrectionRequest.objects.select_related("beneficiary__commune", "maker", "checker"),
        pk,
        perm=Perm.PRIVACY_REQUESTS,
    )


def breaches(actor: User, *, status: str = "") -> QuerySet[Breach]:
    """The breach register of the actor's province (national users: every province)."""
    if not has_perm(actor, Perm.BREACH_REGISTER):
        return Breach.objects.none()
    qs = Breach.objects.all()
    if not actor.is_national:
        if actor.area_province_id is None:
            return qs.none()
        qs = qs.filter(province_id=actor.area_province_id)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("province", "recorded_by").order_by("-detected_at", "-id")


def breach_get(actor: User, pk: object) -> Breach:
    try:
        return breaches(actor).get(pk=pk)  # type: ignore[misc]
    except (Breach.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def open_counts(actor: User) -> dict[str, int]:
    """What needs attention: open and overdue requests, corrections to decide, open breaches."""
    out = {"requests_open": 0, "requests_overdue": 0, "corrections": 0, "breaches_open": 0}
    if has_perm(actor, Perm.PRIVACY_REQUESTS):
        out["requests_open"] = requests(actor, status="open").count()
        out["requests_overdue"] = requests(actor, overdue=True).count()
        out["corrections"] = corrections(actor, status="submitted").count()
    if has_perm(actor, Perm.BREACH_REGISTER):
        out["breaches_open"] = breaches(actor).filter(~Q(status=Breach.Status.CLOSED)).count()
    return out


def retention_runs(actor: User, *, last: int = 10) -> list[Any]:
    """The last retention purges (audit events), for who may read the retention rules."""
    from chitra.core.models import AuditEvent

    if not has_perm(actor, Perm.RETENTION_VIEW):
        return []
    return list(AuditEvent.objects.filter(action="privacy.retention.purge").order_by("-at")[:last])
