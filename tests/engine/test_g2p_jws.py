"""Detached JWS over G2P Connect envelopes, and JWT bearer tokens (chitra.engine.g2p.jws)."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from chitra.engine.g2p import jws

HEADER = {"message_id": "m1", "action": "on-disburse", "status": "succ", "sender_id": "p"}
MESSAGE = {
    "transaction_id": "t1",
    "disbursements_status": [{"reference_id": "r", "status": "succ"}],
}


@pytest.fixture(scope="module")
def key():  # type: ignore[no-untyped-def]
    return jws.generate_key()


def test_detached_signature_verifies_with_the_public_key(key) -> None:  # type: ignore[no-untyped-def]
    sig = jws.sign_envelope(HEADER, MESSAGE, key, kid=jws.key_id("p", "k1"), created=1700000000)
    head, empty, _sig = sig.split(".")
    assert empty == ""  # detached (RFC 7515 appendix F)
    protected = json.loads(base64.urlsafe_b64decode(head + "=="))
    assert protected == {"alg": "EdDSA", "kid": "p|k1|ed25519", "created": 1700000000}
    assert jws.signature_kid(sig) == "p|k1|ed25519"
    pub = jws.load_public(jws.public_pem(key))
    assert jws.verify_envelope(sig, HEADER, MESSAGE, pub)["kid"] == "p|k1|ed25519"
    # key order does not matter: the payload is canonical JSON
    assert jws.verify_envelope(sig, dict(reversed(HEADER.items())), MESSAGE, pub)


def test_a_changed_message_or_another_key_fails(key) -> None:  # type: ignore[no-untyped-def]
    sig = jws.sign_envelope(HEADER, MESSAGE, key, kid="p|k1|ed25519", created=1)
    pub = key.public_key()
    changed = {**MESSAGE, "transaction_id": "t2"}
    with pytest.raises(jws.SignatureError, match="does not match"):
        jws.verify_envelope(sig, HEADER, changed, pub)
    with pytest.raises(jws.SignatureError, match="does not match"):
        jws.verify_envelope(sig, HEADER, MESSAGE, jws.generate_key().public_key())


@pytest.mark.parametrize(
    "bad",
    ["", "abc", "a.b.c", "e30..AAAA", "x" * 9000],
)
def test_malformed_signatures_refused(key, bad: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(jws.SignatureError):
        jws.verify_envelope(bad, HEADER, MESSAGE, key.public_key())


def test_other_algorithms_and_attached_payloads_refused(key) -> None:  # type: ignore[no-untyped-def]
    head = jws.b64url(json.dumps({"alg": "none"}).encode())
    with pytest.raises(jws.SignatureError, match="algorithm"):
        jws.verify_envelope(f"{head}..", HEADER, MESSAGE, key.public_key())
    sig = jws.sign_envelope(HEADER, MESSAGE, key, kid="k", created=1)
    h, _, s = sig.split(".")
    with pytest.raises(jws.SignatureError, match="detached"):
        jws.verify_envelope(f"{h}.{jws.b64url(b'x')}.{s}", HEADER, MESSAGE, key.public_key())


def test_jwt_round_trip_and_checks(key) -> None:  # type: ignore[no-untyped-def]
    claims = {"iss": "chitra", "aud": "chitra-g2p", "sub": "vnpost", "exp": 1000, "iat": 900}
    token = jws.jwt_encode(claims, key, kid="chitra|1|ed25519")
    pub = key.public_key()
    got = jws.jwt_decode(token, pub, issuer="chitra", audience="chitra-g2p", now=950)
    assert got["sub"] == "vnpost"
    with pytest.raises(jws.SignatureError, match="expired"):
        jws.jwt_decode(token, pub, issuer="chitra", audience="chitra-g2p", now=2000)
    with pytest.raises(jws.SignatureError, match="issued"):
        jws.jwt_decode(token, pub, issuer="other", audience="chitra-g2p", now=950)
    with pytest.raises(jws.SignatureError, match="meant"):
        jws.jwt_decode(token, pub, issuer="chitra", audience="x", now=950)
    with pytest.raises(jws.SignatureError, match="does not match"):
        jws.jwt_decode(token[:-4] + "AAAA", pub, issuer="chitra", audience="chitra-g2p", now=950)


def test_keys_are_pem_ed25519(key) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(jws.load_public(jws.public_pem(key)), Ed25519PublicKey)
    assert jws.public_pem(jws.load_private(jws.private_pem(key))) == jws.public_pem(key)
    with pytest.raises(ValueError, match="PEM"):
        jws.load_public("not a key")
