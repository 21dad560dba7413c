"""What both ISO 20022 writers share: the text and identifier rules (see the package's doc), the
ISO lengths, and a sink that encodes, hashes and writes."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime
from typing import IO
from xml.sax.saxutils import escape

__all__ = [
    "CHUNK_LINES",
    "CONTROL",
    "LINE_BREAKS",
    "MAX_ACCOUNT",
    "MAX_AMOUNT",
    "MAX_ID",
    "MAX_TEXT",
    "HashingSink",
    "free_text",
    "identifier",
    "iso_datetime",
]

MAX_TEXT = 140  # Max140Text
MAX_ID = 35  # Max35Text
MAX_ACCOUNT = 34  # Max34Text (GenericAccountIdentification1/Id)
MAX_AMOUNT = 10**18 - 1  # totalDigits 18
CHUNK_LINES = 2048  # transactions rendered per encode/hash/write

# C0 controls (tab/LF/CR included: they become spaces in text), DEL + C1 controls, lone
# surrogates and the two non-characters XML 1.0 forbids.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
LINE_BREAKS = re.compile("[\t\n\r]+")


def free_text(value: str, limit: int, field: str) -> str:
    """Clean free text (see module doc), truncate to ``limit`` characters, XML-escape."""
    if CONTROL.search(value):
        value = CONTROL.sub("", LINE_BREAKS.sub(" ", value))
    value = unicodedata.normalize("NFC", value).strip()
    if len(value) > limit:
        value = value[:limit].rstrip()
    if not value:
        raise ValueError(f"{field} is empty")
    return escape(value)


def identifier(value: str, limit: int, field: str) -> str:
    """Check an identifier (never altered) and XML-escape it."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"{field} is empty")
    if len(value) > limit:
        raise ValueError(f"{field} {value!r} is longer than {limit} characters")
    if CONTROL.search(value) or value != value.strip():
        raise ValueError(f"{field} {value!r} contains control characters or surrounding spaces")
    return escape(value)


def iso_datetime(value: datetime, field: str) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{field} must be timezone-aware")
    return value.isoformat(timespec="seconds")


class HashingSink:
    """Encodes text to UTF-8, hashes and writes it to a binary handle."""

    __slots__ = ("hasher", "out")

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.hasher = hashlib.sha256()

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.hasher.update(data)
        self.out.write(data)

    def hexdigest(self) -> str:
        return self.hasher.hexdigest()
