"""Whole numbers read out in Vietnamese words, as an amount is written "bằng chữ" on a
payment list: 2.508.413.000 → "hai tỷ năm trăm linh tám triệu bốn trăm mười ba nghìn"."""

from __future__ import annotations

__all__ = ["amount_in_words", "number_in_words"]

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUPS = ("", "nghìn", "triệu")
_BILLION = 1_000_000_000


def _units(tens: int, unit: int) -> str:
    if unit == 1 and tens > 1:
        return "mốt"
    if unit == 5 and tens > 0:
        return "lăm"
    return _DIGITS[unit]


def _three(n: int, *, leading: bool) -> list[str]:
    """A group of three digits (0 < n < 1000); a group after the first reads its hundreds
    even when they are zero ("không trăm linh năm")."""
    hundreds, tens, unit = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or not leading:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if unit and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if unit:
        words.append(_units(tens, unit))
    return words


def _below_billion(n: int, *, leading: bool) -> list[str]:
    words: list[str] = []
    groups = [(n // 1_000_000) % 1000, (n // 1000) % 1000, n % 1000]
    for i, group in enumerate(groups):
        if not group:
            continue
        words += _three(group, leading=leading and not words)
        if _GROUPS[2 - i]:
            words.append(_GROUPS[2 - i])
    return words


def number_in_words(n: int) -> str:
    """``n`` (a whole number) in Vietnamese words, lower case: 0 → "không",
    1.000.005 → "một triệu không trăm linh năm", 21 → "hai mươi mốt", 15 → "mười lăm";
    thousands of billions read "nghìn tỷ"."""
    if n.__class__ is not int:
        raise ValueError(f"a whole number is needed, got {n!r}")
    if n < 0:
        return "âm " + number_in_words(-n)
    if n == 0:
        return _DIGITS[0]
    words: list[str] = []
    billions, rest = divmod(n, _BILLION)
    if billions:
        words += [number_in_words(billions), "tỷ"]
    words += _below_billion(rest, leading=not billions)
    return " ".join(words)


def amount_in_words(amount: int) -> str:
    """An amount of đồng as written on a payment list: "Hai triệu năm trăm nghìn đồng."."""
    text = number_in_words(amount)
    return f"{text[0].upper()}{text[1:]} đồng."
