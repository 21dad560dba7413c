"""Who may manage whom: the object permissions of users and their API tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chitra.iam.access import Perm, has_perm

if TYPE_CHECKING:
    from chitra.iam.models import User


def may_manage(actor: User, owner: User) -> bool:
    """An administrator (USER_MANAGE) of the owner's province, or a national user."""
    if actor.is_national:
        return True
    return (
        has_perm(actor, Perm.USER_MANAGE)
        and not owner.is_national
        and owner.area_province_id == actor.area_province_id
    )
