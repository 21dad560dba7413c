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
Predicate = Callable[[Any], bool]

#: the attribute a protected view carries: the one test of who may open it, read by the menu
#: (chitra.home.menu) so that a link is shown exactly to those the page answers
ACCESS_ATTR = "chitra_access"


def access_required(predicate: Predicate) -> Callable[[View], View]:
    """Login required, then `predicate(user)` (a policy function); 403 otherwise. The view
    keeps the predicate (`ACCESS_ATTR`), so that menus ask the page itself who may open it."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        protected = login_required(wrapped)
        setattr(protected, ACCESS_ATTR, predicate)
        return protected

    return decorator


def perm_required(perm: Perm) -> Callable[[View], View]:
    """Login required, then the capability; 403 otherwise."""

    def allowed(user: Any) -> bool:
        return has_perm(user, perm)

    allowed.__qualname__ = f"has_perm({perm.name})"
    return access_required(allowed)


def view_access(view: Callable[..., Any]) -> Predicate | None:
    """Who may open `view` (its `access_required`/`perm_required` test), None when any
    logged-in user may."""
    return cast("Predicate | None", getattr(view, ACCESS_ATTR, None))


def user_of(request: HttpRequest) -> User:
    """The logged-in user of a view protected by login_required / perm_required."""
    return cast("User", request.user)
