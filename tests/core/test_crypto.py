"""Field encryption (chitra.core.crypto): AES-256-GCM tokens carrying their key id, tampering
refused, tokens of the former Fernet format still read, rotation to the newest key."""

from __future__ import annotations

import base64

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from chitra.core import crypto

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
VALUES = ["0123456789", "", "+84912345678", "Nguyễn Văn Tiền", "9" * 40]


def kid(token: str) -> str:
    assert token.startswith("a1.") and token[11] == "."
    return token[3:11]


def test_round_trip_and_format(settings):
    settings.CHITRA_FIELD_KEYS = [NEW]
    tokens = [crypto.encrypt(v) for v in VALUES]
    assert [crypto.decrypt(t) for t in tokens] == VALUES
    # one key id for one key, a fresh nonce for each encryption
    assert {kid(t) for t in tokens} == {kid(crypto.current_prefix() + "x")}
    assert crypto.encrypt("0123456789") != crypto.encrypt("0123456789")
    assert all(crypto.is_current(t) and crypto.token_key(t) == t[:11] for t in tokens)
    # the development key (no CHITRA_FIELD_KEYS) is derived from SECRET_KEY and works alike
    settings.CHITRA_FIELD_KEYS = []
    assert crypto.decrypt(crypto.encrypt("0123456789")) == "0123456789"


def test_the_token_is_standard_aes_gcm(settings):
    """Anyone with the key and the documented derivation reads a token with the library alone
    (nothing hand-made in between)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    settings.CHITRA_FIELD_KEYS = [NEW]
    token = crypto.encrypt("0123456789")
    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=36,
        salt=None,
        info=b"chitra field encryption a1: key id | AES-256-GCM key",
    ).derive(base64.urlsafe_b64decode(NEW))
    assert kid(token) == derived[:4].hex()
    data = base64.b64decode(token[12:])
    assert AESGCM(derived[4:]).decrypt(data[:12], data[12:], token[:12].encode()) == b"0123456789"


def test_tampering_refused(settings):
    settings.CHITRA_FIELD_KEYS = [NEW, OLD]
    token = crypto.encrypt("0123456789")
    head, raw = token[:12], base64.b64decode(token[12:])
    for i in range(len(raw)):  # any bit of nonce, ciphertext or tag
        altered = head + base64.b64encode(raw[:i] + bytes([raw[i] ^ 0x01]) + raw[i + 1 :]).decode()
        with pytest.raises(ValueError, match="cannot decrypt"):
            crypto.decrypt(altered)
    # the header is authenticated: naming the other configured key does not read it
    settings.CHITRA_FIELD_KEYS = [OLD]
    other_head = crypto.current_prefix()
    settings.CHITRA_FIELD_KEYS = [NEW, OLD]
    with pytest.raises(ValueError, match="cannot decrypt"):
        crypto.decrypt(other_head + token[12:])
    with pytest.raises(ValueError, match="cannot decrypt"):
        crypto.decrypt(head + base64.b64encode(raw[:-1]).decode())  # truncated tag
    # a key never configured, or removed before rotation
    settings.CHITRA_FIELD_KEYS = [OLD]
    with pytest.raises(ValueError) as err:
        crypto.decrypt(token)
    assert str(err.value) == crypto.UNKNOWN_KEY


def test_old_fernet_tokens_still_read(settings):
    settings.CHITRA_FIELD_KEYS = [NEW, OLD]
    old_tokens = [
        Fernet(k.encode()).encrypt(v.encode()).decode() for k in (OLD, NEW) for v in VALUES
    ]
    assert [crypto.decrypt(t) for t in old_tokens] == VALUES * 2
    assert crypto.decrypt_many(old_tokens) == VALUES * 2
    assert {crypto.token_key(t) for t in old_tokens} == {"fernet"}
    assert not any(crypto.is_current(t) for t in old_tokens)
    settings.CHITRA_FIELD_KEYS = [NEW]  # OLD dropped before rotating: its tokens fail
    with pytest.raises(ValueError) as err:
        crypto.decrypt(old_tokens[0])
    assert str(err.value) == crypto.UNKNOWN_KEY


def test_rotate(settings):
    settings.CHITRA_FIELD_KEYS = [OLD]
    older = crypto.encrypt("0123456781")
    settings.CHITRA_FIELD_KEYS = [NEW, OLD]
    legacy = Fernet(OLD.encode()).encrypt(b"0123456782").decode()
    current = crypto.encrypt("0123456783")
    rotated = [crypto.rotate(t) for t in (older, legacy, current)]
    assert rotated[2] == current  # already under the newest key: unchanged
    assert rotated[0] != older and rotated[1] != legacy
    assert all(crypto.is_current(t) for t in rotated)
    assert [crypto.rotate(t) for t in rotated] == rotated  # twice changes nothing
    settings.CHITRA_FIELD_KEYS = [NEW]  # the old key can go
    assert [crypto.decrypt(t) for t in rotated] == ["0123456781", "0123456782", "0123456783"]


def test_key_order_does_not_matter(settings):
    """The key id, not the position in CHITRA_FIELD_KEYS, picks the key."""
    settings.CHITRA_FIELD_KEYS = [OLD]
    token = crypto.encrypt("0123456789")
    settings.CHITRA_FIELD_KEYS = [NEW, OLD]
    assert crypto.decrypt(token) == crypto.decrypt_many([token])[0] == "0123456789"
    settings.CHITRA_FIELD_KEYS = [NEW, Fernet.generate_key().decode(), OLD]
    assert crypto.decrypt(token) == "0123456789"
