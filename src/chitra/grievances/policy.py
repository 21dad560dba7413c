"""Who may do what with complaints and fraud reports: one place for the object permissions,
used by the services (which enforce them), the pages (what they offer) and the API alike.

Capabilities come from `core.access` (`has_perm`); this module adds the rules about one
ticket: the organisation it is routed to, the provincial BHXH, the one that recorded it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chitra.iam.access import Perm, commune_in_scope, has_perm
from chitra.iam.models import BHXH_KINDS, OrgKind

if TYPE_CHECKING:
    from chitra.grievances.models import Ticket
    from chitra.iam.models import User


def can_see_tickets(actor: User | None) -> bool:
    """Record or work complaints at all (either capability): the list, a ticket, comments."""
    return has_perm(actor, Perm.GRIEVANCE_CREATE) or has_perm(actor, Perm.GRIEVANCE_WORK)


def may_create(actor: User | None) -> bool:
    """Record a new complaint."""
    return has_perm(actor, Perm.GRIEVANCE_CREATE)


def may_work(actor: User, ticket: Ticket) -> bool:
    """Users of the organisation the ticket is routed to, the provincial BHXH of its province,
    national users (all with the capability to work complaints)."""
    if not has_perm(actor, Perm.GRIEVANCE_WORK):
        return False
    if actor.is_national:
        return True
    org = actor.organisation
    if org is None:
        return False
    if ticket.routed_to_id == org.pk:
        return True
    return (
        org.kind == OrgKind.BHXH_PROVINCE and actor.area_province_id == ticket.commune.province_id
    )


def may_route(actor: User, ticket: Ticket) -> bool:
    """Those who may work it, and BHXH (offices included) of the ticket's area."""
    if may_work(actor, ticket):
        return True
    org = actor.organisation
    return (
        has_perm(actor, Perm.GRIEVANCE_WORK)
        and org is not None
        and org.kind in BHXH_KINDS
        and commune_in_scope(actor, ticket.commune_id)
    )


def may_reopen(actor: User, ticket: Ticket) -> bool:
    """Those who may work it, and the organisation that recorded it (the beneficiary came back)."""
    if may_work(actor, ticket):
        return True
    org_id = actor.organisation_id
    return (
        has_perm(actor, Perm.GRIEVANCE_CREATE)
        and org_id is not None
        and ticket.created_by.organisation_id == org_id
    )


def may_comment(actor: User, ticket: Ticket) -> bool:
    """Anyone who may see complaints (and sees this one: the caller fetched it in scope)."""
    return can_see_tickets(actor)


def ticket_permissions(actor: User, ticket: Ticket) -> dict[str, Any]:
    """What the ticket's page offers `actor` (the template's `can_*` flags)."""
    return {
        "can_work": may_work(actor, ticket),
        "can_route": may_route(actor, ticket),
        "can_reopen": may_reopen(actor, ticket),
        "can_comment": may_comment(actor, ticket),
        "can_create": may_create(actor),
    }
