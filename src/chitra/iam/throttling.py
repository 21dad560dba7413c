"""API throttling (DRF), with its rates in settings.CHITRA_THROTTLE_RATES, read on each request
(so that tests and operators can change them) and its counters in the default cache
(CHITRA_CACHE_URL: Redis to share them between processes):

- `user`: each user, whatever the way in (session or any of their tokens);
- `token`: each API token on its own;
- `person_lookup`: each user, on every endpoint that looks a person up by an identifier
  (`chitra.iam.scopes.PERSON_LOOKUPS`): a much lower rate, against enumeration."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from chitra.iam.models import ApiToken
from chitra.iam.scopes import PERSON_LOOKUPS, view_action, view_key


class _SettingsRate(SimpleRateThrottle):
    def get_rate(self) -> str | None:
        return settings.CHITRA_THROTTLE_RATES.get(self.scope or "")

    def _ident(self, request: Any) -> str:
        user = request.user
        if user is not None and user.is_authenticated:
            return str(user.pk)
        return f"ip-{self.get_ident(request)}"


class UserThrottle(_SettingsRate):
    scope = "user"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self._ident(request)}


class TokenThrottle(_SettingsRate):
    scope = "token"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None  # not a token request: the user throttle applies alone
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


def is_person_lookup(request: Any, view: Any) -> bool:
    actions = PERSON_LOOKUPS.get(view_key(view))
    if not actions:
        return False
    params = actions.get(view_action(view, request.method))
    if params is None:
        return False
    if not params:
        return True
    data = request.data if request.method in ("POST", "PUT", "PATCH") else {}
    return any(
        request.query_params.get(p) or (isinstance(data, dict) and data.get(p)) for p in params
    )


class PersonLookupThrottle(_SettingsRate):
    scope = "person_lookup"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if not is_person_lookup(request, view):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self._ident(request)}
