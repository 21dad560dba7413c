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


@register.filter
def code_spans(value: object) -> str:
    """A text with `commands` or `identifiers` between backticks, as HTML: the text escaped,
    each backticked part, and each identifier written without them (``files:payment-files``,
    ``core.Job``, ``MEDIA_ROOT/consent``, ``pg_dump``), as <code>: typed as it is, never
    translated."""
    import re

    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    identifier = re.compile(r"(?<![\w/])([A-Za-z][\w-]*(?:[.:/_][A-Za-z][\w-]*)+)(?![\w])")
    parts = re.split(r"`([^`]+)`", str(value))  # even: text, odd: between backticks
    html = "".join(
        f"<code>{escape(part)}</code>"
        if n % 2
        else identifier.sub(lambda m: f"<code>{m[1]}</code>", str(escape(part)))
        for n, part in enumerate(parts)
    )
    return mark_safe(html)  # noqa: S308 - escaped above; only <code> added
