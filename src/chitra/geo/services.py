"""Writes to administrative data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from chitra.core.audit import audit_record
from chitra.core.perms import Perm
from chitra.core.ports import require_perm
from chitra.geo.models import BhxhOffice, Commune, OfficeArea

if TYPE_CHECKING:
    from chitra.iam.models import User


def commune_set_urban(*, actor: User, commune: Commune, is_urban: bool, reason: str = "") -> None:
    """Change the urban/rural flag of a commune (used by reports by area type)."""
    require_perm.get()(actor, Perm.GEO_EDIT)
    with transaction.atomic():
        if commune.is_urban == is_urban:
            return
        before = {"is_urban": commune.is_urban}
        commune.is_urban = is_urban
        commune.save(update_fields=["is_urban"])
        audit_record(
            actor,
            "geo.commune.set_urban",
            obj=commune,
            before=before,
            after={"is_urban": is_urban},
            reason=reason,
        )


def office_set_area(
    *, actor: User, office: BhxhOffice, communes: list[Commune], reason: str = ""
) -> None:
    """Replace an office's service area. A commune served by another office moves to this one."""
    require_perm.get()(actor, Perm.GEO_EDIT)
    with transaction.atomic():
        before = sorted(office.area.values_list("commune__code", flat=True))
        wrong = [c.code for c in communes if c.province_id != office.province_id]
        if wrong:
            raise ValueError(f"communes outside the office's province: {', '.join(wrong)}")
        OfficeArea.objects.filter(office=office).delete()
        OfficeArea.objects.filter(commune__in=communes).delete()
        OfficeArea.objects.bulk_create([OfficeArea(office=office, commune=c) for c in communes])
        after = sorted(c.code for c in communes)
        audit_record(
            actor,
            "geo.office.set_area",
            obj=office,
            before={"communes": before},
            after={"communes": after},
            reason=reason,
        )
