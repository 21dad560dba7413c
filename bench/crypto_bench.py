"""Benchmark the batch decryption of account numbers (chitra.core.crypto), AES-GCM against the
former hand-written Fernet batch decryption, in the same process.

Usage:
    .venv/bin/python bench/crypto_bench.py [--tokens 200000] [--rounds 5]

Encrypts `--tokens` account numbers (10 to 16 digits) twice: as Fernet tokens (the former
format) and as AES-GCM tokens (`crypto.encrypt`, the format written now), with the same key.
Then, alternating the two in each round so that the machine's noise falls on both alike, it
times:
- old: the former `decrypt_many` over the Fernet tokens (a frozen copy below, `_old_decrypt`:
  one-shot HMACs from precomputed hash states and one AES-CBC pass over all the tokens of a
  key; the code this issue removed from chitra);
- new: `crypto.decrypt_many` over the AES-GCM tokens (AESGCM of `cryptography`, one call a
  token);
and, once, `crypto.decrypt_many` over the Fernet tokens (how old tokens are read until
`rotate_keys` has migrated them: MultiFernet a token). It prints the best round of each in µs
a token and the ratio new / old (< 1: the new one is faster). Standalone, not a pytest test.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import hmac
import os
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

# --- the former batch decryption (frozen copy, the baseline) --------------------------------
_URLSAFE_TO_STD = bytes.maketrans(b"-_", b"+/")
_PADDINGS = [bytes([n]) * n for n in range(17)]
_MIN_TOKEN = 1 + 8 + 16 + 16 + 32


class _LeanKey:
    __slots__ = ("cipher", "inner", "outer")

    def __init__(self, key: str) -> None:
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        raw = base64.urlsafe_b64decode(key.encode())
        signing = raw[:16].ljust(64, b"\0")
        self.inner = hashlib.sha256(bytes(b ^ 0x36 for b in signing))
        self.outer = hashlib.sha256(bytes(b ^ 0x5C for b in signing))
        self.cipher = Cipher(algorithms.AES(raw[16:]), modes.CBC(bytes(16)))


def _old_decrypt(lean: list[_LeanKey], tokens: Sequence[str]) -> list[str]:
    """The former `decrypt_with_keys` on well-formed tokens of the first key (the bench's
    case: its fallbacks to MultiFernet never run here and are left out)."""
    n = len(tokens)
    out: list[str] = [""] * n
    parts = "\n".join(tokens).encode().translate(_URLSAFE_TO_STD).split(b"\n")
    segments: list[bytes] = [b""] * n
    indexes: list[int] = []
    inner, outer, same, a2b = lean[0].inner, lean[0].outer, hmac.compare_digest, binascii.a2b_base64
    for i, part in enumerate(parts):
        data = a2b(part)
        size = len(data)
        if size < _MIN_TOKEN or (size - _MIN_TOKEN) % 16 or data[0] != 0x80:
            raise ValueError("not the bench's case")
        signed = data[:-32]
        h = inner.copy()
        h.update(signed)
        o = outer.copy()
        o.update(h.digest())
        if not same(o.digest(), data[-32:]):
            raise ValueError("not the bench's case")
        indexes.append(i)
        segments[i] = signed[9:]
    plain = lean[0].cipher.decryptor().update(b"".join([segments[i] for i in indexes]))
    end = 0
    for i in indexes:
        start = end + 16
        end += len(segments[i])
        pad = plain[end - 1]
        if not (0 < pad <= 16 and plain[end - pad : end] == _PADDINGS[pad]):
            raise ValueError("not the bench's case")
        out[i] = plain[start : end - pad].decode()
    return out


# --------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chitra.settings")
    os.environ.setdefault("CHITRA_TESTING", "1")
    from cryptography.fernet import Fernet

    key = Fernet.generate_key().decode()
    os.environ["CHITRA_FIELD_KEYS"] = key
    import django

    django.setup()
    from chitra.core import crypto

    rnd = random.Random(2026)
    values = [
        str(rnd.randrange(10 ** (d - 1), 10**d))
        for d in (rnd.randint(10, 16) for _ in range(args.tokens))
    ]
    fernet = Fernet(key.encode())
    old_tokens = [fernet.encrypt(v.encode()).decode() for v in values]
    new_tokens = [crypto.encrypt(v) for v in values]
    lean = [_LeanKey(key)]
    assert _old_decrypt(lean, old_tokens) == values
    assert crypto.decrypt_many(new_tokens) == values
    print(
        f"{args.tokens:,} account numbers; token length: Fernet {len(old_tokens[0])}, "
        f"AES-GCM {len(new_tokens[0])} characters (first one)"
    )

    best = {"old": float("inf"), "new": float("inf")}
    for r in range(args.rounds):
        order = ("old", "new") if r % 2 == 0 else ("new", "old")
        for name in order:
            t0 = time.perf_counter()
            if name == "old":
                _old_decrypt(lean, old_tokens)
            else:
                crypto.decrypt_many(new_tokens)
            best[name] = min(best[name], time.perf_counter() - t0)
    some = old_tokens[: min(len(old_tokens), 50_000)]
    t0 = time.perf_counter()
    crypto.decrypt_many(some)
    legacy = (time.perf_counter() - t0) / len(some)

    per = {k: v / args.tokens * 1e6 for k, v in best.items()}
    print(f"  old: hand-written Fernet batch (HMAC + one CBC pass): {per['old']:.2f} µs a token")
    print(f"  new: AES-GCM, crypto.decrypt_many:                    {per['new']:.2f} µs a token")
    print(f"  Fernet tokens not yet rotated, crypto.decrypt_many:   {legacy * 1e6:.2f} µs a token")
    print(f"  ratio new / old: {best['new'] / best['old']:.2f} (best of {args.rounds} rounds each)")


if __name__ == "__main__":
    main()
