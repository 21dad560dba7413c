"""Signatures of G2P Connect messages and OAuth2 bearer tokens, with ``cryptography`` only.

* Message signature: a JWS with a detached payload (RFC 7515 appendix F), compact form
  ``<protected>..<signature>``, algorithm ``EdDSA`` over Ed25519 (the spec's ``ed25519``).
  The payload signed is the canonical JSON (keys sorted, no spaces, UTF-8) of
  ``{"header": ..., "message": ...}``: the spec's "signature of {header}+{message}". The
  protected header names the key as the spec's ``keyId``: ``{sender_id}|{key_id}|ed25519``,
  and carries ``created`` (Unix seconds).
* Bearer tokens: compact JWTs (RFC 7519) signed the same way, checked for ``exp``, ``iss`` and
  ``aud``.

Every failure is a :class:`SignatureError` (the answer is ``ERR`` ``err.signature.invalid`` or
HTTP 401 for a token).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALG = "EdDSA"
MAX_TOKEN = 8192


class SignatureError(ValueError):
    pass


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise SignatureError("not base64url") from None


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def envelope_payload(header: dict[str, Any], message: Any) -> bytes:
    return canonical({"header": header, "message": message})


# -- keys --------------------------------------------------------------------------------------


def generate_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def public_pem(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return pub.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def load_private(pem: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError):
        raise ValueError("the signing key is not a PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the signing key must be an Ed25519 key (EdDSA)")
    return key


def load_public(pem: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, TypeError):
        raise ValueError("the partner key is not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("the partner key must be an Ed25519 public key (EdDSA)")
    return key


def key_id(sender_id: str, kid: str) -> str:
    return f"{sender_id}|{kid}|ed25519"


# -- compact JWS -------------------------------------------------------------------------------


def _sign(protected: dict[str, Any], payload: bytes, key: Ed25519PrivateKey) -> tuple[str, str]:
    head = b64url(canonical(protected))
    signature = key.sign(f"{head}.{b64url(payload)}".encode("ascii"))
    return head, b64url(signature)


def _header_of(token: str, parts: int = 3) -> tuple[list[str], dict[str, Any]]:
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN:
        raise SignatureError("missing or too long")
    pieces = token.split(".")
    if len(pieces) != parts:
        raise SignatureError("not a compact JWS")
    try:
        protected = json.loads(unb64url(pieces[0]))
    except (ValueError, UnicodeDecodeError):
        raise SignatureError("its protected header is not JSON") from None
    if not isinstance(protected, dict) or protected.get("alg") != ALG:
        raise SignatureError(f"its algorithm is not {ALG}")
    if "crit" in protected:
        raise SignatureError("it has critical extensions chitra does not know")
    return pieces, protected


def _verify(head: str, payload: bytes, signature: str, key: Ed25519PublicKey) -> None:
    try:
        key.verify(unb64url(signature), f"{head}.{b64url(payload)}".encode("ascii"))
    except InvalidSignature:
        raise SignatureError("the signature does not match the message and key") from None


def sign_envelope(
    header: dict[str, Any], message: Any, key: Ed25519PrivateKey, *, kid: str, created: int
) -> str:
    """The detached JWS ``<protected>..<signature>`` of an envelope's header and message."""
    head, sig = _sign(
        {"alg": ALG, "kid": kid, "created": created}, envelope_payload(header, message), key
    )
    return f"{head}..{sig}"


def signature_kid(signature: str) -> str:
    """The ``kid`` a signature names (to pick the partner's key), unverified."""
    _pieces, protected = _header_of(signature)
    kid = protected.get("kid")
    if not isinstance(kid, str) or not kid:
        raise SignatureError("it names no key (kid)")
    return kid


def verify_envelope(
    signature: str, header: dict[str, Any], message: Any, key: Ed25519PublicKey
) -> dict[str, Any]:
    """The protected header of a valid detached signature, else :class:`SignatureError`."""
    pieces, protected = _header_of(signature)
    if pieces[1]:
        raise SignatureError("its payload is not detached")
    _verify(pieces[0], envelope_payload(header, message), pieces[2], key)
    return protected


# -- JWT ---------------------------------------------------------------------------------------


def jwt_encode(claims: dict[str, Any], key: Ed25519PrivateKey, *, kid: str) -> str:
    payload = canonical(claims)
    head, sig = _sign({"alg": ALG, "typ": "JWT", "kid": kid}, payload, key)
    return f"{head}.{b64url(payload)}.{sig}"


def jwt_decode(
    token: str, key: Ed25519PublicKey, *, issuer: str, audience: str, now: int, leeway: int = 30
) -> dict[str, Any]:
    pieces, _protected = _header_of(token)
    payload = unb64url(pieces[1])
    _verify(pieces[0], payload, pieces[2], key)
    try:
        claims = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        raise SignatureError("its claims are not JSON") from None
    if not isinstance(claims, dict):
        raise SignatureError("its claims are not an object")
    exp = claims.get("exp")
    if not isinstance(exp, int) or exp + leeway < now:
        raise SignatureError("it has expired")
    if claims.get("iss") != issuer:
        raise SignatureError("it was not issued by chitra")
    aud = claims.get("aud")
    if aud != audience and not (isinstance(aud, list) and audience in aud):
        raise SignatureError("it is not meant for this service")
    return claims
