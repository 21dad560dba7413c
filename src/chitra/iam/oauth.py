"""OAuth2 client credentials for machine clients (RFC 6749 4.4; G2P Connect authz
``POST /oauth2/client/token``), and chitra's G2P Connect signing key.

A client posts ``grant_type=client_credentials``, ``client_id`` and ``client_secret`` (form
fields, or HTTP Basic as RFC 6749 2.3.1 allows) and gets a bearer token: a JWT signed by
chitra's Ed25519 key (``EdDSA``), audience ``chitra-g2p``, short-lived, naming the client. The
G2P endpoints take only these tokens (:class:`G2PBearerAuthentication`)."""

from __future__ import annotations

import base64
import binascii
import functools
import hmac
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chitra.core.audit import audit_record
from chitra.core.errors import ChitraError
from chitra.engine.g2p import jws
from chitra.iam.models import OAuthClient, User
from chitra.iam.policy import may_manage
from chitra.iam.tokens import digest_of

AUDIENCE = "chitra-g2p"
CLIENT_SECRET_PREFIX = "chitra_oc_"  # noqa: S105 (a marker, not a secret)


@functools.cache
def _dev_key() -> Ed25519PrivateKey:
    return jws.generate_key()


@functools.cache
def _configured_key(pem: str) -> Ed25519PrivateKey:
    return jws.load_private(pem)


def signing_key() -> Ed25519PrivateKey:
    """chitra's Ed25519 key (CHITRA_G2P_SIGNING_KEY); development and tests make one."""
    pem = settings.CHITRA_G2P_SIGNING_KEY
    if pem:
        return _configured_key(pem)
    if settings.DEBUG or settings.TESTING:
        return _dev_key()
    raise ChitraError(
        _("CHITRA_G2P_SIGNING_KEY is not set: G2P Connect messages cannot be signed.")
    )


def key_id() -> str:
    return jws.key_id(settings.CHITRA_G2P_SENDER_ID, settings.CHITRA_G2P_KEY_ID)


def public_key_pem() -> str:
    """What partners register to verify chitra's messages and tokens."""
    return jws.public_pem(signing_key())


@dataclass(frozen=True)
class NewClient:
    client: OAuthClient
    secret: str  # shown once


def oauth_client_create(*, actor: User, user: User, client_id: str, name: str) -> NewClient:
    if not may_manage(actor, user):
        raise ChitraError(_("You may not make a client that acts as this user."))
    if not client_id or len(client_id) > 64 or not client_id.replace("-", "").isalnum():
        raise ChitraError(_("A client id is 1 to 64 letters, digits or dashes."))
    secret = CLIENT_SECRET_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        if OAuthClient.objects.filter(client_id=client_id).exists():
            raise ChitraError(_("This client id is taken."))
        client = OAuthClient.objects.create(
            client_id=client_id,
            name=name[:100],
            secret_digest=digest_of(secret),
            user=user,
            created_by=actor,
        )
        audit_record(
            actor,
            "iam.oauth_client.create",
            obj=client,
            after={"client_id": client_id, "user": user.pk, "name": client.name},
        )
    return NewClient(client, secret)


def oauth_client_revoke(*, actor: User, client: OAuthClient) -> None:
    if not may_manage(actor, client.user):
        raise ChitraError(_("You may not revoke this client."))
    OAuthClient.objects.filter(pk=client.pk, revoked_at=None).update(revoked_at=timezone.now())
    audit_record(
        actor, "iam.oauth_client.revoke", obj=client, after={"client_id": client.client_id}
    )


def _client_for(client_id: str, secret: str) -> OAuthClient | None:
    client = OAuthClient.objects.select_related("user").filter(client_id=client_id).first()
    expected = client.secret_digest if client else digest_of("-")
    ok = hmac.compare_digest(expected, digest_of(secret))  # same work for unknown ids
    if client is None or not ok or client.revoked_at is not None or not client.user.is_active:
        return None
    return client


def issue_token(client: OAuthClient, now: int | None = None) -> tuple[str, int]:
    now = int(time.time()) if now is None else now
    life = settings.CHITRA_G2P_TOKEN_SECONDS
    claims = {
        "iss": settings.CHITRA_G2P_SENDER_ID,
        "aud": AUDIENCE,
        "sub": client.client_id,
        "iat": now,
        "exp": now + life,
        "jti": uuid.uuid4().hex,
    }
    return jws.jwt_encode(claims, signing_key(), kid=key_id()), life


def _credentials(request: Request) -> tuple[str, str]:
    auth = get_authorization_header(request).split()
    if len(auth) == 2 and auth[0].lower() == b"basic":
        try:
            client_id, _sep, secret = base64.b64decode(auth[1]).decode().partition(":")
        except (binascii.Error, UnicodeError):
            return "", ""
        return client_id, secret
    return str(request.data.get("client_id", "")), str(request.data.get("client_secret", ""))


#: RFC 6749 5.2 (error, error_description), or chitra's refusal of an unreadable body (detail)
_OAUTH_ERROR = inline_serializer(
    "OAuth2Error",
    {
        "error": serializers.CharField(required=False),
        "error_description": serializers.CharField(required=False),
        "detail": serializers.CharField(required=False),
    },
)


def _oauth_error(error: str, description: str, code: int) -> Response:
    response = Response({"error": error, "error_description": description}, status=code)
    response["Cache-Control"] = "no-store"
    return response


class TokenView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["g2p"],
        operation_id="g2p_oauth2_client_token",
        auth=[],
        request={
            "application/x-www-form-urlencoded": inline_serializer(
                "OAuth2ClientTokenRequest",
                {
                    "grant_type": serializers.ChoiceField(choices=["client_credentials"]),
                    "client_id": serializers.CharField(),
                    "client_secret": serializers.CharField(),
                    "scope": serializers.CharField(required=False),
                },
            )
        },
        responses={
            200: inline_serializer(
                "OAuth2ClientTokenResponse",
                {
                    "access_token": serializers.CharField(help_text="a JWT (EdDSA)"),
                    "token_type": serializers.CharField(),
                    "expires_in": serializers.CharField(help_text="seconds, as a string"),
                },
            ),
            (400, "application/json"): _OAUTH_ERROR,
            (401, "application/json"): _OAUTH_ERROR,
        },
    )
    def post(self, request: Request) -> Response:
        """G2P Connect authz ``/oauth2/client/token`` (RFC 6749 4.4): a bearer token for a
        registered machine client; errors as RFC 6749 5.2."""
        if not isinstance(request.data, dict):
            return _oauth_error("invalid_request", "the body must be a form", 400)
        if request.data.get("grant_type") != "client_credentials":
            return _oauth_error(
                "unsupported_grant_type", "grant_type must be client_credentials", 400
            )
        client_id, secret = _credentials(request)
        if not client_id or not secret:
            return _oauth_error("invalid_request", "client_id and client_secret are required", 400)
        client = _client_for(client_id, secret)
        if client is None:
            return _oauth_error("invalid_client", "unknown client or wrong secret", 401)
        token, life = issue_token(client)
        response = Response(
            {"access_token": token, "token_type": "Bearer", "expires_in": str(life)}
        )
        response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        return response


class G2PBearerAuthentication(BaseAuthentication):
    """``Authorization: Bearer <jwt>`` issued by :class:`TokenView`: the client's user."""

    def authenticate(self, request: Any) -> tuple[User, OAuthClient] | None:
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() != b"bearer":
            return None
        if len(auth) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid Authorization header."))
        try:
            claims = jws.jwt_decode(
                auth[1].decode("ascii"),
                signing_key().public_key(),
                issuer=settings.CHITRA_G2P_SENDER_ID,
                audience=AUDIENCE,
                now=int(time.time()),
            )
        except (jws.SignatureError, UnicodeError) as e:
            why = _("Invalid bearer token: %(why)s.") % {"why": e}
            raise exceptions.AuthenticationFailed(why) from None
        sub = claims.get("sub")
        if not isinstance(sub, str) or not sub:
            # chitra's own signed tokens without a client (the bearer it sends providers)
            raise exceptions.AuthenticationFailed(_("This client is revoked or inactive."))
        client = OAuthClient.objects.select_related("user").filter(client_id=sub).first()
        if client is None or client.revoked_at is not None or not client.user.is_active:
            raise exceptions.AuthenticationFailed(_("This client is revoked or inactive."))
        return client.user, client

    def authenticate_header(self, request: Any) -> str:
        return 'Bearer realm="chitra-g2p"'
