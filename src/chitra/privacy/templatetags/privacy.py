from __future__ import annotations

from django import template

from chitra.privacy import policy

register = template.Library()

#: whether the user may open any page of the personal-data app (the menu entry)
register.filter("may_privacy", policy.may_privacy)
