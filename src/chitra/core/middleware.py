from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from chitra.core import context


class RequestContextMiddleware:
    """Makes the client IP and a request id available to `audit_record` without passing them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request.headers.get("X-Request-ID", "")[:36] or str(uuid.uuid4())
        token = context.set_current(
            context.RequestContext(
                ip_address=request.META.get("REMOTE_ADDR"), request_id=request_id
            )
        )
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = request_id
        return response


class VietnameseFirstMiddleware:
    """Vietnamese unless the user chose otherwise (language cookie set by the switch): the
    browser's Accept-Language is ignored, since officers' machines often say en-US."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
