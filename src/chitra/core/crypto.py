"""Encryption at rest for sensitive fields (account numbers, wallet ids) and blind indexes.

- MultiFernet over CHITRA_FIELD_KEYS (newest first): new values use the first key, old ones
  still decrypt; `rotate()` re-encrypts with the newest (command `chitra rotate_keys`).
- A blind index (HMAC-SHA256 with CHITRA_BLIND_INDEX_KEY over the normalised value) lets the
  database find equal values (one account used by several beneficiaries) without decrypting.
In development and tests without keys, keys are derived from SECRET_KEY (never in production:
settings refuse to start without real keys).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _derived(label: str) -> bytes:
    return hashlib.sha256(f"{label}:{settings.SECRET_KEY}".encode()).digest()


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        keys = (base64.urlsafe_b64encode(_derived("chitra-field-key")).decode(),)
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.CHITRA_FIELD_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a key was removed before rotation
        raise ValueError("cannot decrypt: unknown key (rotate before removing keys)") from exc


def rotate(token: str) -> str:
    return fernet().rotate(token.encode()).decode()


def blind_index(kind: str, value: str) -> str:
    """Deterministic keyed digest of a normalised value, e.g. ("bank:970405", "0123456789")."""
    key = settings.CHITRA_BLIND_INDEX_KEY.encode() or _derived("chitra-blind-index")
    msg = f"{kind}|{value.strip()}".encode()
    return hmac.new(key, msg, hashlib.sha256).hexdigest()


def mask(value: str | None, keep: int = 4) -> str:
    if not value:
        return ""
    return "*" * max(0, len(value) - keep) + value[-keep:]
