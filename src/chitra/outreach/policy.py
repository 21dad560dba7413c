"""Who may do what in outreach: one place for the permissions of its pages, services and API
(capabilities from `core.access`; the scope of each row from `scope_queryset`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chitra.iam.access import Perm, has_perm
from chitra.payment_methods.policy import may_open_change_request

if TYPE_CHECKING:
    from chitra.iam.models import User

__all__ = ["can_see_campaigns", "may_manage", "may_open_change_request", "may_see_death_reports"]


def can_see_campaigns(actor: User) -> bool:
    """Work on or plan outreach: the campaigns, their work lists and progress."""
    return has_perm(actor, Perm.OUTREACH_WORK) or has_perm(actor, Perm.OUTREACH_MANAGE)


def may_manage(actor: User) -> bool:
    """Plan campaigns and hand out the work (BHXH)."""
    return has_perm(actor, Perm.OUTREACH_MANAGE)


def may_see_death_reports(actor: User) -> bool:
    """The deaths reported during visits: those who do outreach, and those who check them
    against the population register."""
    return can_see_campaigns(actor) or has_perm(actor, Perm.VERIFY_RUN)
