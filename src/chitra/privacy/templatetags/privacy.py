from __future__ import annotations

from typing import Any

from django import template

from chitra.iam.access import Perm, has_perm

register = template.Library()

_PERMS = (Perm.PRIVACY_REQUESTS, Perm.BREACH_REGISTER, Perm.RETENTION_VIEW)


@register.filter
def may_privacy(user: Any) -> bool:
    """Whether the user may open any page of the personal-data app (the menu entry)."""
    return any(has_perm(user, p) for p in _PERMS)
