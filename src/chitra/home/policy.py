"""Who may open a page: the test its view is protected by (`access_required` /
`perm_required`, read with `chitra.iam.decorators.view_access`), for the menu and the home
page's cards, so that neither keeps a second copy of the rules."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.urls import resolve, reverse

from chitra.iam.decorators import Predicate, view_access


@cache
def _target(url_name: str) -> tuple[str, Predicate | None]:
    """The page's address and the test of its view (None: any logged-in user)."""
    url = reverse(url_name)
    return url, view_access(resolve(url).func)


def page_url(url_name: str) -> str:
    return _target(url_name)[0]


def may_open(user: Any, url_name: str) -> bool:
    """Whether `user` may open the page named `url_name` (its view's own test)."""
    if user is None or not user.is_authenticated:
        return False
    predicate = _target(url_name)[1]
    return predicate is None or bool(predicate(user))
