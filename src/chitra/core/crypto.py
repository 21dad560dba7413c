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
import binascii
import hashlib
import hmac
import multiprocessing
import os
from collections import deque
from collections.abc import Generator, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from functools import lru_cache
from typing import TypeVar

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

_T = TypeVar("_T")
UNKNOWN_KEY = "cannot decrypt: unknown key (rotate before removing keys)"


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
        raise ValueError(UNKNOWN_KEY) from exc


# --- batch decryption -------------------------------------------------------------------------
# `decrypt` costs 10-15 µs a token (base64, an HMAC object, a Cipher object per token and per
# key tried, a PKCS7 unpadder). A payment file decrypts millions of tokens: `decrypt_many` does
# the same work with one-shot HMACs and ONE AES-CBC pass over all the tokens of a key (CBC
# decryption only chains ciphertext blocks: decrypting iv1|ct1|iv2|ct2|... in one stream gives
# every plaintext, with one garbage block where each token's IV stands). Anything out of the
# ordinary (bad base64, no key's HMAC matches, bad padding, not UTF-8, not a str) is handed to
# MultiFernet token by token, so the result and the exception are always those of `decrypt`.

_URLSAFE_TO_STD = bytes.maketrans(b"-_", b"+/")
_PADDINGS = [bytes([n]) * n for n in range(17)]
_ZERO_IV = bytes(16)
# version (1) + timestamp (8) + IV (16) + at least one block (16) + HMAC (32)
_MIN_TOKEN = 1 + 8 + 16 + 16 + 32


def field_keys() -> tuple[str, ...]:
    """The Fernet keys `decrypt` uses, newest first (read from the settings: call it in the
    process that has them and pass the result to `decrypt_with_keys`)."""
    keys = tuple(k.decode() if isinstance(k, bytes) else k for k in settings.CHITRA_FIELD_KEYS)
    return keys or (base64.urlsafe_b64encode(_derived("chitra-field-key")).decode(),)


class _LeanKey:
    """One Fernet key split for batch work: HMAC-SHA256 with the inner and outer hash states
    precomputed (RFC 2104; copying them is cheaper than a new HMAC per token) and AES."""

    __slots__ = ("cipher", "inner", "outer")

    def __init__(self, key: str) -> None:
        raw = base64.urlsafe_b64decode(key.encode())
        signing = raw[:16].ljust(64, b"\0")
        self.inner = hashlib.sha256(bytes(b ^ 0x36 for b in signing))
        self.outer = hashlib.sha256(bytes(b ^ 0x5C for b in signing))
        self.cipher = Cipher(algorithms.AES(raw[16:]), modes.CBC(_ZERO_IV))

    def signs(self, signed: bytes, mac: bytes) -> bool:
        inner = self.inner.copy()
        inner.update(signed)
        outer = self.outer.copy()
        outer.update(inner.digest())
        return hmac.compare_digest(outer.digest(), mac)


@lru_cache(maxsize=4)
def _lean_keys(keys: tuple[str, ...]) -> tuple[list[_LeanKey], MultiFernet]:
    multi = MultiFernet([Fernet(k.encode()) for k in keys])  # also validates the keys
    return [_LeanKey(k) for k in keys], multi


def _decrypt_one(multi: MultiFernet, token: str) -> str:
    try:
        return multi.decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError(UNKNOWN_KEY) from exc


def _b64_decoded(tokens: Sequence[str]) -> list[bytes | None]:
    """Each token's bytes (None where base64 decoding fails: MultiFernet will say why)."""
    table, a2b = _URLSAFE_TO_STD, binascii.a2b_base64
    try:  # one encode and one translate for the whole list: the usual case
        parts = "\n".join(tokens).encode().translate(table).split(b"\n")
    except Exception:
        parts = []
    if len(parts) != len(tokens):  # a token with a newline, or not a str
        parts = []
        for token in tokens:
            try:
                parts.append(token.encode().translate(table))
            except Exception:
                parts.append(b"")  # decodes to nothing: MultiFernet says why
    out: list[bytes | None] = []
    for part in parts:
        try:
            out.append(a2b(part))
        except binascii.Error:
            out.append(None)
    return out


def decrypt_with_keys(keys: Sequence[str], tokens: Sequence[str]) -> list[str]:
    """`[decrypt(t) for t in tokens]` with the given keys (newest first), without settings or
    a database: what a worker process runs. Raises what `decrypt` raises for the first token
    it cannot decrypt."""
    lean, multi = _lean_keys(tuple(keys))
    n = len(tokens)
    out: list[str] = [""] * n
    slow: list[int] = []
    segments: list[bytes] = [b""] * n  # IV + ciphertext of each token
    by_key: list[list[int]] = [[] for _ in lean]
    first_indexes, inner, outer = by_key[0], lean[0].inner, lean[0].outer
    same = hmac.compare_digest
    for i, data in enumerate(_b64_decoded(tokens)):
        if data is None:
            slow.append(i)
            continue
        size = len(data)
        if size < _MIN_TOKEN or (size - _MIN_TOKEN) % 16 or data[0] != 0x80:
            slow.append(i)
            continue
        signed = data[:-32]
        # HMAC with the newest key, inlined (nearly every token)
        h = inner.copy()
        h.update(signed)
        o = outer.copy()
        o.update(h.digest())
        if same(o.digest(), data[-32:]):
            first_indexes.append(i)
        else:
            for k in range(1, len(lean)):
                if lean[k].signs(signed, data[-32:]):
                    by_key[k].append(i)
                    break
            else:
                slow.append(i)
                continue
        segments[i] = signed[9:]
    for key, indexes in zip(lean, by_key, strict=True):
        if not indexes:
            continue
        # CBC decryption of iv1|ct1|iv2|ct2|...: each ct is decrypted with the IV before it
        plain = key.cipher.decryptor().update(b"".join([segments[i] for i in indexes]))
        end = 0
        for i in indexes:
            start = end + 16  # skip the block decrypted from the IV
            end += len(segments[i])
            pad = plain[end - 1]
            if 0 < pad <= 16 and plain[end - pad:end] == _PADDINGS[pad]:
                try:
                    out[i] = plain[start:end - pad].decode()
                    continue
                except UnicodeDecodeError:
                    pass
            slow.append(i)
    for i in sorted(slow):
        out[i] = _decrypt_one(multi, tokens[i])
    return out


def decrypt_many(tokens: Sequence[str]) -> list[str]:
    """`[decrypt(t) for t in tokens]`, several times faster."""
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
    _lean_keys(keys)


def decrypt_pages(pages: Iterable[tuple[_T, list[str]]], *, workers: int = 0,
                  ahead: int = 0) -> Generator[tuple[_T, list[str] | None], None, None]:
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
    pool = ProcessPoolExecutor(max_workers=workers,
                               mp_context=multiprocessing.get_context("forkserver"))
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
