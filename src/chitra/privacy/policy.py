"""Who may open the personal-data pages: one place for the menu (template filter), the pages
and their flags."""

from __future__ import annotations

from typing import Any

from chitra.iam.access import Perm, has_perm

_PERMS = (Perm.PRIVACY_REQUESTS, Perm.BREACH_REGISTER, Perm.RETENTION_VIEW)


def may_privacy(user: Any) -> bool:
    """Whether the user may open any page of the personal-data app (the menu entry)."""
    return any(has_perm(user, p) for p in _PERMS)


def privacy_home_permissions(user: Any) -> dict[str, bool]:
    """What the personal-data home page offers `user` (the template's `can_*` flags)."""
    return {
        "can_requests": has_perm(user, Perm.PRIVACY_REQUESTS),
        "can_decide": has_perm(user, Perm.PRIVACY_DECIDE),
        "can_breaches": has_perm(user, Perm.BREACH_REGISTER),
        "can_retention": has_perm(user, Perm.RETENTION_VIEW),
    }
