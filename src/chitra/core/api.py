"""Shared pieces of the REST API."""

from __future__ import annotations

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
