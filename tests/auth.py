"""How tests authenticate, in one place: API headers for a user, as a real client sends them.

Every test that calls the API takes its headers from `api_headers`, so that a change in how
tokens are made (names, scopes, expiry) changes this file only. The token holds every scope
the user's role can use (`chitra.iam.scopes.scopes_for`), so that the permissions and the area
decide each answer, as for a real client with a well-chosen token."""

from __future__ import annotations

from typing import Any

from django.test import Client

from chitra.iam.models import ApiToken
from chitra.iam.scopes import scopes_for

_SECRETS: dict[int, str] = {}  # user id -> secret of the last token made for it


def api_token(user: Any, scopes: list[str] | None = None) -> str:
    """A valid API token of `user` (the same one on each call), made by the service as the
    `chitra api_token` command makes it."""
    from chitra.iam.services import system_actor
    from chitra.iam.tokens import api_token_create, digest_of

    if scopes is None:
        known = _SECRETS.get(user.pk)
        if (
            known
            and ApiToken.objects.filter(
                digest=digest_of(known), owner_id=user.pk, revoked_at__isnull=True
            ).exists()
        ):
            return known
    chosen = scopes if scopes is not None else [s.value for s in scopes_for(user)]
    new = api_token_create(
        actor=system_actor(), owner=user, name="tests", scopes=chosen, verified=True
    )
    if scopes is None:
        _SECRETS[user.pk] = new.secret
    return new.secret


def api_headers(user: Any, scopes: list[str] | None = None) -> dict[str, str]:
    """Django test-client keyword arguments that authenticate a request as `user` (with a
    token of the given scopes, or of every scope the user's role can use)."""
    return {"HTTP_AUTHORIZATION": f"Token {api_token(user, scopes)}"}


class VerifiedClient(Client):
    """The test client whose `force_login` also verifies the session's second factor (making
    a confirmed authenticator for a user who must have one), so that pages answer as they do
    to a user who logged in with their code. Tests of 2FA itself use a plain `Client`."""

    def force_login(self, user: Any, backend: str | None = None) -> None:
        super().force_login(user, backend)
        verify_session(self, user)


def verify_session(client: Client, user: Any) -> None:
    from django_otp import DEVICE_ID_SESSION_KEY

    from chitra.iam.twofactor import confirmed_totp, demo_device, needs_2fa

    device = demo_device(user) if needs_2fa(user) else confirmed_totp(user)
    if device is None:
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
