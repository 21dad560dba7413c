"""Response headers of every page and API answer (issue 11):

- `Cache-Control: no-store` (and `Pragma: no-cache`) on every answer to a logged-in user or an
  API client: personal-data pages, API answers, exports and payment files must never stay in a
  browser's or a proxy's cache. Static files (served by WhiteNoise before this middleware) keep
  their long-lived caching.
- `Permissions-Policy`: every browser feature chitra does not use is refused (camera,
  microphone, geolocation, payment, usb...).

HSTS, the SSL redirect, Referrer-Policy, Cross-Origin-Opener-Policy, nosniff and
X-Frame-Options are Django's SecurityMiddleware and XFrameOptionsMiddleware (settings)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.CHITRA_PERMISSIONS_POLICY)
        if self._private(request):
            # replaces whatever a view set: nothing answered to a user may be cached
            if "Cache-Control" in response:
                del response["Cache-Control"]
            patch_cache_control(
                response,
                no_store=True,
                no_cache=True,
                must_revalidate=True,
                private=True,
                max_age=0,
            )
            response["Pragma"] = "no-cache"
            response["Expires"] = "0"
        return response

    def _private(self, request: HttpRequest) -> bool:
        if request.path.startswith(self.static_prefix):
            return False
        user = getattr(request, "user", None)  # DRF sets it on the request for token clients
        return bool(
            request.path.startswith("/api/")
            or "HTTP_AUTHORIZATION" in request.META
            or (user is not None and user.is_authenticated)
        )
