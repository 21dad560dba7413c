"""How tests authenticate, in one place: API headers for a user, as a real client sends them.

Every test that calls the API takes its headers from `api_headers`, so that a change in how
tokens are made (names, scopes, expiry) changes this file only."""

from __future__ import annotations

from typing import Any

from rest_framework.authtoken.models import Token


def api_token(user: Any) -> str:
    """A valid API token of `user` (the same one on each call)."""
    token, _created = Token.objects.get_or_create(user=user)
    return token.key


def api_headers(user: Any) -> dict[str, str]:
    """Django test-client keyword arguments that authenticate a request as `user`."""
    return {"HTTP_AUTHORIZATION": f"Token {api_token(user)}"}
