"""The Django admin site (read-only windows on the data, /django-admin/): superusers only, and
only once their session is verified by a second factor (django-otp's OTPAdminSite). Its own
log-in page is not used: chitra's log-in and 2FA pages are (one way in)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django_otp.admin import OTPAdminSite

from chitra.core.redirects import safe_next


class ChitraAdminSite(OTPAdminSite):
    site_header = "chitra"
    site_title = "chitra"

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(user.is_active and user.is_superuser and user.is_verified())

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.user.is_authenticated:
            raise PermissionDenied  # logged in, but not a verified superuser
        return redirect_to_login(safe_next(request, "admin:index"))
