"""Text as the documents print it: on one line, label templates filled, Vietnamese numbers
("." groups thousands, "," marks decimals)."""

from __future__ import annotations

__all__ = ["fill_template", "one_line", "vn_decimal", "vn_thousands"]


def vn_thousands(value: int) -> str:
    """A whole number with "." grouping thousands: ``3.500.000``."""
    return f"{value:,}".replace(",", ".")


_VN_SEPARATORS = str.maketrans({",": ".", ".": ","})


def vn_decimal(value: float, places: int) -> str:
    """``value`` with ``places`` decimals, "." grouping thousands and "," before the decimals."""
    text = f"{value:,.{places}f}".translate(_VN_SEPARATORS)
    if text.startswith("-") and not any(ch in "123456789" for ch in text):
        text = text[1:]  # no "-0,0"
    return text


def fill_template(template: str, **values: object) -> str:
    """``template.format(**values)``; a label without (or with unknown) fields stays as is."""
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template


def one_line(text: object) -> str:
    """``text`` on one line, runs of whitespace (line breaks included) as one space."""
    return " ".join(str(text).split())
