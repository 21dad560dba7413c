"""Shared pieces of the REST API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.pagination import CursorPagination


class ErrorSerializer(serializers.Serializer):
    """What a refused request gets: a message, or the fields' own messages."""

    detail = serializers.CharField(required=False)


class IdCursor(CursorPagination):
    """Newest first, stable under inserts (cursor on the primary key)."""

    ordering = "-id"
    page_size = 100
    max_page_size = 1000
    page_size_query_param = "page_size"


#: what any operation may answer besides its success: bad input (a body, a parameter, a NUL,
#: an invalid cursor), no or a wrong token, not allowed, not found or not yours, throttled
ERROR_CODES = ("400", "401", "403", "404", "429")


class ChitraAutoSchema(AutoSchema):
    """drf-spectacular's schema with the error answers of every operation documented (a JSON
    object: ``detail`` or the fields' messages), so that clients and the schemathesis run
    know every status code the API can give."""

    def _resolve_path_parameters(self, variables: Any) -> Any:
        # every primary key is an integer, also where the view gives no queryset to read it from
        parameters = super()._resolve_path_parameters(variables)
        for p in parameters:
            if p.get("name") in ("id", "pk") and p.get("schema") == {"type": "string"}:
                p["schema"] = {"type": "integer"}
        return parameters

    def _get_response_bodies(self, direction: Any = "response") -> Any:
        responses = super()._get_response_bodies(direction)
        for code in ERROR_CODES:
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code,
                                                              direction=direction)
        return responses
