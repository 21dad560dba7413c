from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from chitra.iam.access import Perm, has_perm

if TYPE_CHECKING:
    from chitra.iam.models import User

View = Callable[..., HttpResponse]


def perm_required(perm: Perm) -> Callable[[View], View]:
    """Login required, then the capability; 403 otherwise."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_perm(request.user, perm):  # type: ignore[arg-type]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


def user_of(request: HttpRequest) -> User:
    """The logged-in user of a view protected by login_required / perm_required."""
    return cast("User", request.user)
