"""Batch decryption (`decrypt_many`, `decrypt_with_keys`, `decrypt_pages`) gives exactly what
`decrypt` gives, token by token: values, rotated keys, tokens of the former Fernet format, and
the errors of bad tokens."""

from __future__ import annotations

import base64
import multiprocessing
import os
import random
import struct
from typing import Any

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from chitra.core import crypto

OLD, NEW, GONE = (Fernet.generate_key().decode() for _ in range(3))


def outcome(fn: Any, *args: Any) -> tuple[str, Any]:
    try:
        return "ok", fn(*args)
    except Exception as exc:  # the error is what is compared
        return type(exc).__name__, str(exc)


def per_token(tokens: list[Any]) -> list[tuple[str, Any]]:
    return [outcome(crypto.decrypt, t) for t in tokens]


def many(tokens: list[Any]) -> list[tuple[str, Any]]:
    """decrypt_many's outcome for each token alone (it raises for the first bad one)."""
    return [outcome(lambda t: crypto.decrypt_many([t])[0], t) for t in tokens]


def signed_token(key: str, plaintext_blocks: bytes) -> str:
    """A token authentic for `key` whose ciphertext is `plaintext_blocks` encrypted without
    padding (so its padding is whatever the blocks end with)."""
    raw = base64.urlsafe_b64decode(key)
    iv = os.urandom(16)
    enc = Cipher(algorithms.AES(raw[16:]), modes.CBC(iv)).encryptor()
    body = b"\x80" + struct.pack(">Q", 1_700_000_000) + iv + enc.update(plaintext_blocks)
    body += enc.finalize()
    h = hmac.HMAC(raw[:16], hashes.SHA256())
    h.update(body)
    return base64.urlsafe_b64encode(body + h.finalize()).decode()


def numbers(n: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    return [
        str(rnd.randrange(10 ** (d - 1), 10**d)) for d in (rnd.randint(10, 16) for _ in range(n))
    ]


def test_same_values_as_decrypt():
    values = [
        *numbers(300),
        "",
        "0",
        "+84912345678",
        "Nguyễn Văn Tiền",
        "x" * 15,
        "y" * 16,
        "z" * 17,
        "w" * 100,
    ]
    tokens = [crypto.encrypt(v) for v in values]
    assert crypto.decrypt_many(tokens) == [crypto.decrypt(t) for t in tokens] == values
    assert crypto.decrypt_many([]) == []
    # the derived development key is the one `decrypt` uses
    assert crypto.decrypt_with_keys(crypto.field_keys(), tokens) == values


def test_rotated_keys(settings):
    settings.CHITRA_FIELD_KEYS = [OLD]
    old_values = numbers(50, seed=1)
    old_tokens = [crypto.encrypt(v) for v in old_values]
    settings.CHITRA_FIELD_KEYS = [NEW, OLD]
    new_values = numbers(50, seed=2)
    new_tokens = [crypto.encrypt(v) for v in new_values]
    legacy_values = numbers(50, seed=3)
    legacy_tokens = [fernet_token(OLD, v) for v in legacy_values]  # not rotated yet
    assert crypto.field_keys() == (NEW, OLD)
    mixed = [t for trio in zip(old_tokens, new_tokens, legacy_tokens, strict=True) for t in trio]
    expected = [v for trio in zip(old_values, new_values, legacy_values, strict=True) for v in trio]
    assert crypto.decrypt_many(mixed) == [crypto.decrypt(t) for t in mixed] == expected
    # the old key removed before rotation: the same error as decrypt, at the first old token
    settings.CHITRA_FIELD_KEYS = [NEW]
    assert crypto.decrypt_many(new_tokens) == new_values
    with pytest.raises(ValueError, match="unknown key") as err:
        crypto.decrypt_many(mixed)
    assert str(err.value) == crypto.UNKNOWN_KEY
    assert many(old_tokens[:3]) == per_token(old_tokens[:3])


def fernet_token(key: str, value: str) -> str:
    """A token of the former format (Fernet), as stored before AES-GCM."""
    return Fernet(key.encode()).encrypt(value.encode()).decode()


def test_bad_tokens_fail_as_decrypt_does(settings):
    settings.CHITRA_FIELD_KEYS = [NEW, OLD]
    good = crypto.encrypt("0123456789")
    head, body = good[:12], good[12:]
    raw = base64.b64decode(body)
    flipped = head + base64.b64encode(raw[:-1] + bytes([raw[-1] ^ 1])).decode()
    old_good = fernet_token(NEW, "0123456789")
    old_raw = base64.urlsafe_b64decode(old_good)
    old_tampered = base64.urlsafe_b64encode(old_raw[:-1] + bytes([old_raw[-1] ^ 1])).decode()
    other_version = base64.urlsafe_b64encode(b"\x81" + old_raw[1:]).decode()
    settings.CHITRA_FIELD_KEYS = [OLD]
    other_kid = crypto.encrypt("0123456789")[:12]
    settings.CHITRA_FIELD_KEYS = [NEW, OLD]
    bad = [
        "",
        "not a token",
        "!!!!",
        "a1.",
        "a1.00000000",
        good[:11],
        good[:-4],
        good[:20],
        flipped,
        other_kid + body,  # a header of another configured key: authenticated
        "a1.00000000." + body,  # a key never configured
        good + "\n",
        " " + good,
        head + body[:5] + "-" + body[6:],
        head + "é" + body,
        "a2" + good[2:],  # not a format of ours, not Fernet either
        old_good[:-4],
        old_good[:40],
        old_tampered,
        other_version,
        fernet_token(GONE, "0123456789"),  # a key never configured
        signed_token(NEW, b"0123456789abcdef"),  # authentic, bad padding
        signed_token(NEW, b"0123456789abcd\x00\x00"),  # padding byte 0
        signed_token(NEW, b"0123456789abc\x11\x11\x11"),  # padding byte > 16
        signed_token(NEW, b"0" * 32),  # two blocks, padding byte "0"
        signed_token(OLD, b"0123456789abcde\x02"),  # authentic (old key), bad padding
        fernet_token(NEW, "x").replace("g", "x", 1),
        Fernet(NEW.encode()).encrypt(b"\xff\xfe not utf-8").decode(),
        None,
        12345,
    ]
    odd_but_valid = [
        old_good + "\n",
        " " + old_good,
        old_good.replace("A", "A\n", 1),  # Fernet's base64
        signed_token(OLD, b"0123456789\x06\x06\x06\x06\x06\x06"),
        signed_token(NEW, b"\x10" * 16),  # an empty value, a full block of padding
    ]
    expected = per_token(bad + odd_but_valid)
    assert many(bad + odd_but_valid) == expected
    assert all(kind != "ok" for kind, _value in expected[: len(bad)])
    assert all(kind == "ok" for kind, _value in expected[len(bad) :])
    # in a list, the first bad token raises decrypt's error
    for token in bad:
        tokens = [good, *odd_but_valid, token, good]
        assert outcome(crypto.decrypt_many, tokens) == outcome(crypto.decrypt, token)


def _pages(values: list[str], size: int) -> list[tuple[int, list[str]]]:
    tokens = [crypto.encrypt(v) for v in values]
    return [(k, tokens[k : k + size]) for k in range(0, len(tokens), size)]


@pytest.mark.parametrize("workers", [0, 2])
def test_decrypt_pages(settings, workers):
    settings.CHITRA_FIELD_KEYS = [OLD]
    values = numbers(1000)
    old_pages = _pages(values[:500], 37)
    settings.CHITRA_FIELD_KEYS = [NEW, OLD]
    pages = old_pages + [(k + 500, t) for k, t in _pages(values[500:], 37)]
    bad = fernet_token(GONE, "1")
    pages.insert(3, (-1, [pages[0][1][0], bad]))
    out = list(crypto.decrypt_pages(iter(pages), workers=workers, ahead=3))
    assert [k for k, _p in out] == [k for k, _t in pages]
    # a page with a token no key decrypts comes back undecrypted (the caller finds which)
    assert out.pop(3) == (-1, None)
    assert [v for _k, plain in out for v in plain] == values


def test_pool_shut_down_when_closed_early_or_failing():
    before = set(multiprocessing.active_children())
    pages = crypto.decrypt_pages(iter(_pages(numbers(400), 10)), workers=2)
    assert next(pages)[0] == 0
    pages.close()
    assert set(multiprocessing.active_children()) <= before

    def failing():
        yield from _pages(numbers(40), 10)
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError, match="database gone"):
        list(crypto.decrypt_pages(failing(), workers=2))
    assert set(multiprocessing.active_children()) <= before


def test_pool_workers():
    assert 1 <= crypto.pool_workers() <= 2
