"""Adversarial probes of the G2P Connect bearer tokens (``/api/g2p/oauth2/client/token`` and
every endpoint that takes them): forged, expired, misdirected or revoked tokens must be
refused with 401, never a 500 and never a caller."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import pytest
from django.test import Client

from chitra.engine.g2p import jws
from chitra.iam.models import OrgKind, Role
from chitra.iam.oauth import (
    AUDIENCE,
    issue_token,
    key_id,
    oauth_client_create,
    oauth_client_revoke,
    public_key_pem,
    signing_key,
)

ENDPOINTS = (
    "/api/g2p/on-disburse",
    "/api/g2p/disburse/txn/on-status",
    "/api/g2p/mapper/sync/resolve",
    "/api/g2p/registry/notify",
)


@pytest.fixture
def machine(db, make_user, system):  # type: ignore[no-untyped-def]
    user = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405")
    return oauth_client_create(actor=system, user=user, client_id="agri-g2p", name="Agribank")


def _call(token: str, path: str = ENDPOINTS[0]) -> Any:
    return Client().post(path, "{}", content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {token}")  # fmt: skip


def _b64(data: dict[str, Any] | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return jws.b64url(raw)


def _claims(settings: Any, **over: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {"iss": settings.CHITRA_G2P_SENDER_ID, "aud": AUDIENCE, "sub": "agri-g2p",
              "iat": now, "exp": now + 300, "jti": "x"}  # fmt: skip
    claims.update(over)
    return claims


def test_a_genuine_token_is_taken(machine):  # type: ignore[no-untyped-def]
    """The baseline the forgeries below differ from: the same call with a real token."""
    token, _life = issue_token(machine.client)
    assert _call(token).status_code == 200


@pytest.mark.parametrize("path", ENDPOINTS)
def test_alg_none_is_refused(machine, settings, path):  # type: ignore[no-untyped-def]
    token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims(settings))}."
    r = _call(token, path)
    assert r.status_code == 401 and "algorithm" in r.json()["detail"]


def test_hs256_keyed_with_chitras_public_key_is_refused(machine, settings):  # type: ignore[no-untyped-def]
    """The classic algorithm confusion: HMAC with the published public key as the secret."""
    head = _b64({"alg": "HS256", "typ": "JWT", "kid": key_id()})
    body = _b64(_claims(settings))
    for secret in (public_key_pem().encode(), signing_key().public_key().public_bytes_raw()):
        mac = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
        assert _call(f"{head}.{body}.{jws.b64url(mac)}").status_code == 401


def test_an_eddsa_token_signed_by_another_key_is_refused(machine, settings):  # type: ignore[no-untyped-def]
    token = jws.jwt_encode(_claims(settings), jws.generate_key(), kid=key_id())
    assert _call(token).status_code == 401


def test_an_expired_token_is_refused(machine):  # type: ignore[no-untyped-def]
    token, _life = issue_token(machine.client, now=int(time.time()) - 3600)
    r = _call(token)
    assert r.status_code == 401 and "expired" in r.json()["detail"]


def test_an_exp_that_is_not_a_number_is_refused(machine, settings):  # type: ignore[no-untyped-def]
    for exp in ("99999999999", None, 1.0e12, [1]):
        token = jws.jwt_encode(_claims(settings, exp=exp), signing_key(), kid=key_id())
        assert _call(token).status_code == 401


def test_a_token_for_another_audience_is_refused(machine, settings):  # type: ignore[no-untyped-def]
    """The bearer chitra itself sends to a provider (audience: the provider) replayed back."""
    token = jws.jwt_encode(_claims(settings, aud="agribank.sim"), signing_key(), kid=key_id())
    r = _call(token)
    assert r.status_code == 401 and "not meant" in r.json()["detail"]


@pytest.mark.parametrize("sub", [None, 12, ["agri-g2p"], {"x": 1}, "no-such-client"])
def test_a_token_without_a_usable_subject_is_refused(machine, settings, sub):  # type: ignore[no-untyped-def]
    """chitra's own signed tokens that name no client (as the bearer it sends out) or name
    it with a value that is not a client id: 401, not a server error."""
    claims = _claims(settings, sub=sub)
    if sub is None:
        del claims["sub"]
    token = jws.jwt_encode(claims, signing_key(), kid=key_id())
    assert _call(token).status_code == 401


def test_a_revoked_clients_token_stops_working_at_once(machine, system):  # type: ignore[no-untyped-def]
    token, _life = issue_token(machine.client)
    assert _call(token).status_code == 200
    oauth_client_revoke(actor=system, client=machine.client)
    assert _call(token).status_code == 401
    form = {"grant_type": "client_credentials", "client_id": "agri-g2p",
            "client_secret": machine.secret}  # fmt: skip
    r = Client().post("/api/g2p/oauth2/client/token", form)
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"


def test_an_inactive_users_client_is_refused(machine):  # type: ignore[no-untyped-def]
    token, _life = issue_token(machine.client)
    machine.client.user.is_active = False
    machine.client.user.save(update_fields=["is_active"])
    assert _call(token).status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        "Bearer " + "A" * 20000,
        "Bearer a.b.c.d",
        "Bearer " + _b64(b"\xff\xfe") + ".x.y",
        "Bearer \u00e9.x.y",
        "Bearer one two",
    ],
)
def test_malformed_bearer_headers_are_401(machine, header):  # type: ignore[no-untyped-def]
    r = Client().post(ENDPOINTS[0], "{}", content_type="application/json",
                      HTTP_AUTHORIZATION=header)  # fmt: skip
    assert r.status_code == 401


@pytest.mark.parametrize(
    "basic",
    [b"!!!notbase64", base64.b64encode(b"\xff\xfe:\xff"), base64.b64encode(b"agri-g2p")],
)
def test_malformed_basic_client_credentials_are_refused(machine, basic):  # type: ignore[no-untyped-def]
    r = Client().post(
        "/api/g2p/oauth2/client/token",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=b"Basic " + basic,
    )
    assert r.status_code in (400, 401) and r.json()["error"] in (
        "invalid_request",
        "invalid_client",
    )


def test_the_secret_is_not_taken_by_prefix_or_case(machine):  # type: ignore[no-untyped-def]
    for secret in (machine.secret[:-1], machine.secret.upper(), machine.secret + "x"):
        form = {"grant_type": "client_credentials", "client_id": "agri-g2p",
                "client_secret": secret}  # fmt: skip
        assert Client().post("/api/g2p/oauth2/client/token", form).status_code == 401


def test_a_json_body_over_the_upload_limit_is_refused_unread(machine, settings):  # type: ignore[no-untyped-def]
    """The token endpoint takes anyone's JSON: a body past DATA_UPLOAD_MAX_MEMORY_SIZE (the
    limit Django puts on forms) is refused (Django's RequestDataTooBig: 400) before it is
    decoded and parsed."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({"grant_type": "client_credentials", "client_id": "agri-g2p",
                       "client_secret": machine.secret, "pad": "x" * 20_000})  # fmt: skip
    r = Client().post("/api/g2p/oauth2/client/token", body, content_type="application/json")
    assert r.status_code in (400, 413)
    token, _life = issue_token(machine.client)
    r = Client().post(ENDPOINTS[0], body, content_type="application/json",
                      HTTP_AUTHORIZATION=f"Bearer {token}")  # fmt: skip
    assert r.status_code in (400, 413)
    small = json.dumps({"grant_type": "client_credentials", "client_id": "agri-g2p",
                        "client_secret": machine.secret})  # fmt: skip
    r = Client().post("/api/g2p/oauth2/client/token", small, content_type="application/json")
    assert r.status_code == 200
