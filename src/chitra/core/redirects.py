"""Where to go after a form: the one check of every `next` / `return` / `back` a request
carries, so that no page of chitra sends a user to another site (open redirect)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

#: the parameters that name a page to go back to, in the order they are looked for
NEXT_PARAMS = ("next", "return", "back")


def is_safe_url(request: HttpRequest, url: str | None) -> bool:
    """True for a URL of this site only (relative, or absolute with this host), never
    `//other`, `https://other`, `javascript:`, nor one with control characters."""
    if not url:
        return False
    return url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request: HttpRequest, default: Any) -> str:
    """The page named by the request's `next` (or `return`, `back`; POST first, then the
    query string) when it is on this site, else `default` (a URL or a URL name)."""
    for source in (request.POST, request.GET):
        for name in NEXT_PARAMS:
            url = source.get(name)
            if url and is_safe_url(request, url):
                return url
    return resolve_url(default) if default else ""
