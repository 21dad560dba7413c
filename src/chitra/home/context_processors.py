"""The navigation bar of every page (chitra.home.menu), for the logged-in user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from chitra.home.menu import menu_for


def menu(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    return {"menu": menu_for(user, request.path)}  # type: ignore[arg-type]
