"""Hostile requests answered 400 with a clear message, never 500 (ADR 0007).

* **NUL characters**: PostgreSQL refuses ``\\x00`` in text, so a NUL in a search box, a form
  field or a JSON string would reach the database as a 500. :class:`HostileInputMiddleware`
  refuses a NUL in the path, the query string and form fields (pages and API);
  :class:`SafeJSONParser` refuses one in any JSON key or string.
* **Deep JSON**: ``json.loads`` recurses in C and in Python; 100,000 nested brackets raise
  ``RecursionError``. :class:`SafeJSONParser` measures the nesting depth first, with a loop
  over the brackets outside strings (no recursion), and refuses more than
  ``CHITRA_JSON_MAX_DEPTH`` levels. ``NaN`` and ``Infinity`` are not JSON and are refused too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

__all__ = ["HostileInputMiddleware", "SafeJSONParser", "contains_nul", "json_depth"]

NUL = "\x00"
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# A JSON string: quotes around any run of non-quote, non-backslash characters and escapes
# (the unrolled form: no backtracking stack however long the string).
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def nul_message() -> str:
    return _("The request contains a NUL character (U+0000), which no field may hold.")


def json_depth(text: str, limit: int | None = None) -> int:
    """Nesting depth of the arrays and objects of JSON ``text`` (0 for a scalar), counted
    without recursion; stops counting past ``limit`` (returns ``limit + 1``)."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    depth = deepest = 0
    for ch in brackets:
        if ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if limit is not None and deepest > limit:
                    return deepest
        else:
            depth -= 1
    return deepest


def contains_nul(data: Any) -> bool:
    """True when a NUL is in any key or string of parsed JSON (iterative walk)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            for k, v in item.items():
                if isinstance(k, str) and NUL in k:
                    return True
                stack.append(v)
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


class SafeJSONParser(JSONParser):
    """DRF's JSON parser with a depth limit, no NUL, no NaN/Infinity (400 with a message)."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(_("The JSON body is not UTF-8 text.")) from None
        limit = settings.CHITRA_JSON_MAX_DEPTH
        if json_depth(text, limit) > limit:
            raise ParseError(
                _("The JSON body is nested more than %(limit)s levels deep.") % {"limit": limit}
            )
        try:
            data = json.loads(text, parse_constant=_no_constant)
        except (ValueError, RecursionError) as exc:
            raise ParseError(
                _("The body is not valid JSON: %(detail)s") % {"detail": exc}
            ) from None
        if "\\u0000" in text and contains_nul(data):
            raise ParseError(nul_message())
        return data


class HostileInputMiddleware:
    """400 for a NUL character in the path, the query string or a form field."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            return bad_request(request, nul_message())
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if NUL in request.path or NUL in request.META.get("QUERY_STRING", ""):
            return True
        if _lists_have_nul(request.GET.lists()):
            return True
        if request.method in ("POST", "PUT", "PATCH") and request.content_type in _FORM_TYPES:
            if request.method != "POST":
                return False  # Django parses form bodies of POST only
            if _lists_have_nul(request.POST.lists()):
                return True
            return _file_names_have_nul(request)
        return False


def _lists_have_nul(lists: Iterable[tuple[str, list[str]]]) -> bool:
    return any(NUL in k or any(NUL in v for v in vs) for k, vs in lists)


def _file_names_have_nul(request: HttpRequest) -> bool:
    return any(NUL in (f.name or "") for _, files in request.FILES.lists() for f in files)


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """400: JSON for the API, a page for the rest."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    return render(request, "400.html", {"message": message}, status=400)
