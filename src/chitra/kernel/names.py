"""Unicode helpers for Vietnamese names and free text.

Pure Python, no Django. ``fold_name`` is the comparison key used to corroborate names
(bank holder names, imported lists): it never identifies a person on its own because folding
makes distinct names collide (Hòa = Hoa).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["clean_text", "fold_name", "latin_text", "nfc"]

# Đ/đ carry no combining mark: NFD leaves them intact and naive ASCII folding drops them.
_D_TABLE = str.maketrans({"Đ": "D", "đ": "D", "Ð": "D", "ð": "D"})

# Invisible characters that sneak into copied cells; removed before collapsing whitespace.
_INVISIBLE = str.maketrans(
    {"\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None, "\u00ad": None, "\u2060": None}
)
_HAS_INVISIBLE = re.compile("[\u200b\u200c\u200d\ufeff\u00ad\u2060]").search


@lru_cache(maxsize=1)
def _mark_table() -> dict[int, None]:
    """Translate table deleting every nonspacing mark (Unicode category Mn), built once.

    Mn characters live below U+20000 and in the variation selectors supplement (U+E0100..);
    scanning only those ranges keeps the one-time cost around 30 ms.
    """
    ranges = (range(0x0300, 0x20000), range(0xE0100, 0xE01F0))
    return {cp: None for rg in ranges for cp in rg if unicodedata.category(chr(cp)) == "Mn"}


def nfc(s: str) -> str:
    """Return ``s`` in Unicode normalisation form C (cheap when already NFC)."""
    if s.isascii() or unicodedata.is_normalized("NFC", s):
        return s
    return unicodedata.normalize("NFC", s)


@lru_cache(maxsize=131072)
def _fold(s: str) -> str:
    if s.isascii():
        return " ".join(s.upper().split())
    s = unicodedata.normalize("NFC", s).translate(_D_TABLE).translate(_INVISIBLE)
    s = unicodedata.normalize("NFD", s).translate(_mark_table())
    # A second pass: upper() of some letters can produce new marks or Đ-like letters.
    s = s.upper().translate(_D_TABLE)
    return " ".join(s.split())


def fold_name(s: str | None) -> str:
    """Comparison key: no diacritics, Đ -> D, upper case, single spaces.

    ``fold_name("Nguyễn Văn Đức") == "NGUYEN VAN DUC"``; NFC and NFD input fold alike, and so do
    old/new tone placements (``Hoá``/``Hóa``, ``Thuỷ``/``Thủy``). ``None`` folds to ``""``.
    """
    if not s:
        return ""
    return _fold(s)


_D_LATIN = str.maketrans({"Đ": "D", "đ": "d", "Ð": "D", "ð": "d"})


@lru_cache(maxsize=131072)
def latin_text(s: str) -> str:
    """``s`` without diacritics, case kept: the marks :func:`fold_name` removes, Đ -> D and
    đ -> d (``latin_text("Nguyễn Văn Đức") == "Nguyen Van Duc"``), for partners that take only
    Latin letters. Other characters are kept; the result is NFC."""
    if s.isascii():
        return s
    s = unicodedata.normalize("NFC", s).translate(_D_LATIN)
    s = unicodedata.normalize("NFD", s).translate(_mark_table())
    return unicodedata.normalize("NFC", s)


def clean_text(s: object) -> str | None:
    """NFC, strip, collapse internal whitespace (non-breaking spaces included); empty -> None.

    Non-string values are rendered with ``str`` first (``None`` stays ``None``).
    """
    if s is None:
        return None
    text = s if isinstance(s, str) else str(s)
    if not text.isascii():
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        if _HAS_INVISIBLE(text) is not None:
            text = text.translate(_INVISIBLE)
    text = " ".join(text.split())
    return text or None
