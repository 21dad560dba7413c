"""Encryption at rest for sensitive fields (account numbers, wallet ids) and blind indexes.

- AES-256-GCM (`cryptography`'s AESGCM, an AEAD) with a key version in every token:
  `a1.<key id>.<base64(nonce | ciphertext | tag)>`. `a1` names the format (AES-256-GCM, a
  random 96-bit nonce, the header `a1.<key id>.` authenticated as associated data); the key id
  is 8 hex digits derived from the key (HKDF-SHA256), so a token names the key that reads it
  and the order of CHITRA_FIELD_KEYS can change without renumbering anything.
- CHITRA_FIELD_KEYS: comma-separated keys, newest first, each 32 random bytes in url-safe
  base64 (what `Fernet.generate_key()` prints). New values use the first key; the AES key and
  the key id are derived from it with HKDF (never the raw key itself).
- Tokens of the former format (Fernet, `gAAAA...`) are still read, with MultiFernet over the
  same keys, until `rotate_keys` (command `chitra rotate_keys`) has re-encrypted them, and
  the tokens of older keys, with the newest key.
- A blind index (HMAC-SHA256 with CHITRA_BLIND_INDEX_KEY over the normalised value) lets the
  database find equal values (one account used by several beneficiaries) without decrypting.
In development and tests without keys, keys are derived from SECRET_KEY (never in production:
settings refuse to start without real keys).

Random 96-bit nonces stay safe for 2**32 encryptions a key (NIST SP 800-38D); a key encrypts a
few million account numbers over its life.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import multiprocessing
import os
from collections import deque
from collections.abc import Generator, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_T = TypeVar("_T")
UNKNOWN_KEY = "cannot decrypt: unknown key (rotate before removing keys)"

#: the format of the tokens written now: AES-256-GCM with the key id in the header
FORMAT = "a1"
_HEADER_LEN = len(FORMAT) + 1 + 8 + 1  # "a1." + 8 hex digits + "."
_NONCE = 12
_TAG = 16


def _derived(label: str) -> bytes:
    return hashlib.sha256(f"{label}:{settings.SECRET_KEY}".encode()).digest()


def field_keys() -> tuple[str, ...]:
    """The keys `decrypt` uses, newest first (read from the settings: call it in the process
    that has them and pass the result to `decrypt_with_keys`)."""
    keys = tuple(k.decode() if isinstance(k, bytes) else k for k in settings.CHITRA_FIELD_KEYS)
    return keys or (base64.urlsafe_b64encode(_derived("chitra-field-key")).decode(),)


@dataclass(frozen=True)
class _Key:
    """One configured key: its id, the AES-GCM cipher of its derived key and the header of
    its tokens."""

    kid: str
    aead: AESGCM
    header: str
    header_bytes: bytes


def _key(key: str) -> _Key:
    raw = base64.urlsafe_b64decode(key.encode())
    Fernet(key.encode())  # the same check as before: 32 bytes of url-safe base64
    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=4 + 32,
        salt=None,
        info=b"chitra field encryption a1: key id | AES-256-GCM key",
    ).derive(raw)
    kid = derived[:4].hex()
    header = f"{FORMAT}.{kid}."
    return _Key(kid, AESGCM(derived[4:]), header, header.encode())


@dataclass(frozen=True)
class _Keyring:
    current: _Key
    by_id: dict[str, _Key]
    legacy: MultiFernet  # reads the Fernet tokens written before the AES-GCM format


@lru_cache(maxsize=4)
def _keyring(keys: tuple[str, ...]) -> _Keyring:
    if not keys:
        raise ValueError("no field encryption key")
    parsed = [_key(k) for k in keys]
    by_id: dict[str, _Key] = {}
    for k in parsed:
        by_id.setdefault(k.kid, k)
    return _Keyring(parsed[0], by_id, MultiFernet([Fernet(k.encode()) for k in keys]))


def _ring() -> _Keyring:
    return _keyring(field_keys())


def _encrypt(ring: _Keyring, value: str) -> str:
    key = ring.current
    nonce = os.urandom(_NONCE)
    sealed = key.aead.encrypt(nonce, value.encode(), key.header_bytes)
    return key.header + base64.b64encode(nonce + sealed).decode()


def _decrypt(ring: _Keyring, token: str) -> str:
    """The plaintext of one token, AES-GCM or (until rotated) Fernet. ValueError when no
    configured key reads it or it was altered; AttributeError / TypeError when it is not a
    str (as Fernet's `token.encode()` raised)."""
    if token.startswith(FORMAT + "."):
        key = ring.by_id.get(token[len(FORMAT) + 1 : _HEADER_LEN - 1])
        if key is None or token[_HEADER_LEN - 1 : _HEADER_LEN] != ".":
            raise ValueError(UNKNOWN_KEY)
        try:
            data = binascii.a2b_base64(token[_HEADER_LEN:], strict_mode=True)
        except (binascii.Error, ValueError) as exc:  # ValueError: not ASCII
            raise ValueError(UNKNOWN_KEY) from exc
        if len(data) < _NONCE + _TAG:
            raise ValueError(UNKNOWN_KEY)
        try:
            plain = key.aead.decrypt(data[:_NONCE], data[_NONCE:], key.header_bytes)
        except InvalidTag as exc:  # altered, or another key with the same id
            raise ValueError(UNKNOWN_KEY) from exc
        return plain.decode()
    try:
        return ring.legacy.decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a key was removed before rotation
        raise ValueError(UNKNOWN_KEY) from exc


def encrypt(value: str) -> str:
    return _encrypt(_ring(), value)


def decrypt(token: str) -> str:
    return _decrypt(_ring(), token)


def token_key(token: str) -> str:
    """Which key a token is under: "a1.<key id>" (AES-GCM) or "fernet" (the former format)."""
    if token.startswith(FORMAT + ".") and token[_HEADER_LEN - 1 : _HEADER_LEN] == ".":
        return token[: _HEADER_LEN - 1]
    return "fernet"


def current_prefix() -> str:
    """How every token of the newest key begins (`a1.<key id>.`): a stored token that does
    not begin so is to be rotated."""
    return _ring().current.header


def is_current(token: str) -> bool:
    return token.startswith(current_prefix())


def rotate(token: str) -> str:
    """The token under the newest key: itself when it already is (rotating twice changes
    nothing), else its value encrypted again (Fernet and older keys alike)."""
    ring = _ring()
    if token.startswith(ring.current.header):
        return token
    return _encrypt(ring, _decrypt(ring, token))


# --- batch decryption -------------------------------------------------------------------------
# A payment file decrypts millions of tokens, nearly all of the newest key: `decrypt_with_keys`
# prepares the keys once and reads those with one AES-GCM call of the library each (no
# hand-written cryptography); any other token (an older key, the former Fernet format, an
# altered or malformed one) goes through `_decrypt`, so the result and the exception are
# always those of `decrypt`.


def decrypt_with_keys(keys: Sequence[str], tokens: Sequence[str]) -> list[str]:
    """`[decrypt(t) for t in tokens]` with the given keys (newest first), without settings or
    a database: what a worker process runs. Raises what `decrypt` raises for the first token
    it cannot decrypt."""
    ring = _keyring(tuple(keys))
    header, aad, aead = ring.current.header, ring.current.header_bytes, ring.current.aead.decrypt
    start, a2b = len(header), binascii.a2b_base64
    out: list[str] = []
    append = out.append
    for token in tokens:
        if type(token) is str and token.startswith(header):
            try:
                data = a2b(token[start:], strict_mode=True)
                append(aead(data[:_NONCE], data[_NONCE:], aad).decode())
                continue
            except (ValueError, InvalidTag):  # `_decrypt` below says what is wrong with it
                pass
        append(_decrypt(ring, token))
    return out


def decrypt_many(tokens: Sequence[str]) -> list[str]:
    """`[decrypt(t) for t in tokens]`, the keys prepared once."""
    return decrypt_with_keys(field_keys(), tokens)


#: what `decrypt` raises for a bad token; a page holding one is handed back undecrypted
_TOKEN_ERRORS = (ValueError, TypeError, AttributeError)


def pool_workers() -> int:
    """Worker processes worth starting for decryption (0: decrypt in this process)."""
    if multiprocessing.current_process().daemon:  # a daemon process cannot have children
        return 0
    return min(2, os.cpu_count() or 1)


def _try_decrypt(keys: tuple[str, ...], tokens: list[str]) -> list[str] | None:
    try:
        return decrypt_with_keys(keys, tokens)
    except _TOKEN_ERRORS:
        return None


def _packed(texts: list[str]) -> str | list[str]:
    """One string for a list of strings without newlines (cheaper to send to a process and
    back than a list of 20,000 strings); the list itself otherwise."""
    try:
        blob = "\n".join(texts)
    except TypeError:
        return texts
    return blob if texts and blob.count("\n") == len(texts) - 1 else texts


def _unpacked(packed: str | list[str]) -> list[str]:
    return packed.split("\n") if isinstance(packed, str) else packed


def _decrypt_packed(keys: tuple[str, ...], tokens: str | list[str]) -> str | list[str] | None:
    """What a worker runs: `_try_decrypt` on packed tokens, giving packed plaintexts."""
    plain = _try_decrypt(keys, _unpacked(tokens))
    return None if plain is None else _packed(plain)


def _warm(keys: tuple[str, ...]) -> None:
    """Start a worker: import this module, prepare the keys."""
    _keyring(keys)


def decrypt_pages(
    pages: Iterable[tuple[_T, list[str]]], *, workers: int = 0, ahead: int = 0
) -> Generator[tuple[_T, list[str] | None], None, None]:
    """Decrypt the tokens of each (payload, tokens) page, yielding (payload, plaintexts) in
    the order of the pages. A page holding a token that cannot be decrypted is yielded with
    None: decrypt its tokens one by one (`decrypt`) to raise at the right one.

    With `workers` > 0 the pages are decrypted in that many worker processes ('forkserver':
    a fork of this process would copy its database connection and threads). Workers get the
    keys and tokens, never the settings or the database. Up to `ahead` pages (default two a
    worker) are submitted before the oldest is yielded, so this process keeps reading the
    next pages while the workers decrypt; the pool is shut down when the pages are done, on
    an error, or when the caller closes this generator early."""
    keys = field_keys()
    if workers <= 0:
        for payload, tokens in pages:
            yield payload, _try_decrypt(keys, tokens)
        return
    ahead = ahead or 2 * workers
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("forkserver")
    )
    pending: deque[tuple[_T, Future[str | list[str] | None]]] = deque()

    def oldest() -> tuple[_T, list[str] | None]:
        payload, future = pending.popleft()
        result = future.result()
        return payload, None if result is None else _unpacked(result)

    try:
        for _ in range(workers):  # workers start while the first page is read (its sort)
            pool.submit(_warm, keys)
        for payload, tokens in pages:
            pending.append((payload, pool.submit(_decrypt_packed, keys, _packed(tokens))))
            if len(pending) > ahead:
                yield oldest()
        while pending:
            yield oldest()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def blind_index(kind: str, value: str) -> str:
    """Deterministic keyed digest of a normalised value, e.g. ("bank:970405", "0123456789")."""
    key = settings.CHITRA_BLIND_INDEX_KEY.encode() or _derived("chitra-blind-index")
    msg = f"{kind}|{value.strip()}".encode()
    return hmac.new(key, msg, hashlib.sha256).hexdigest()


def mask(value: str | None, keep: int = 4) -> str:
    if not value:
        return ""
    return "*" * max(0, len(value) - keep) + value[-keep:]
