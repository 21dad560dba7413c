from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def vnd(value: object) -> str:
    """Whole đồng with '.' as the thousands separator (Vietnamese practice): 6.120.000."""
    if value is None or value == "":
        return ""
    try:
        n = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return str(value)
    sign = "-" if n < 0 else ""
    return sign + f"{abs(n):,}".replace(",", ".")
