"""The one place that holds back a user who must verify a second factor: until the session is
verified, every page sends them to enrolment (no authenticator yet) or to the code page, and
the API (session-authenticated) answers 403. API tokens are not sessions: they are checked by
`chitra.iam.tokens`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from chitra.iam.twofactor import has_2fa, is_verified, needs_2fa

#: paths a user who has not verified yet may reach: the 2FA pages, log-out, the language
#: switch, static files
_OPEN_NAMES = ("twofactor_verify", "twofactor_setup", "logout", "login", "set_language")


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open: tuple[str, ...] | None = None

    def _open_paths(self) -> tuple[str, ...]:
        if self._open is None:
            self._open = (*(reverse(n) for n in _OPEN_NAMES), "/" + settings.STATIC_URL.lstrip("/"))
        return self._open

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        if (
            user.is_authenticated
            and needs_2fa(user)
            and not is_verified(request)
            and not request.path.startswith(self._open_paths())
        ):
            return self._hold(request, user)
        return self.get_response(request)

    def _hold(self, request: HttpRequest, user: Any) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": _(
                        "Two-factor verification is required: verify "
                        "your session on the web page first."
                    )
                },
                status=403,
            )
        target = reverse("twofactor_verify" if has_2fa(user) else "twofactor_setup")
        nxt = request.get_full_path() if request.method == "GET" else reverse("home")
        url = f"{target}?{urlencode({'next': nxt})}"
        if request.headers.get("HX-Request"):  # htmx: move the whole page, not a fragment
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)
