"""The OpenAPI schema and its Swagger UI page, for logged-in users and valid API tokens only
(SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]). A browser that is not logged in is sent to the
log-in page. The page is served under the site's strict CSP, without exemption: the
Swagger UI start-up script is a separate request of the same view (split view) and the
page's template (templates/drf_spectacular/swagger_ui.html) has no inline style."""

from __future__ import annotations

from typing import Any, NoReturn

from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.response import Response


class SchemaView(SpectacularAPIView):
    pass


class DocsView(SpectacularSwaggerSplitView):
    def permission_denied(
        self, request: Request, message: Any = None, code: Any = None
    ) -> NoReturn:
        if not request.successful_authenticator and request.accepted_renderer.format == "html":
            raise _ToLogin(request.get_full_path())
        super().permission_denied(request, message=message, code=code)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, _ToLogin):
            return redirect_to_login(exc.next_url)  # type: ignore[return-value]
        return super().handle_exception(exc)


class _ToLogin(Exception):
    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url
