"""Shared pieces of the REST API."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from chitra.core.models import Job


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
                responses[code] = self._get_response_for_code(
                    ErrorSerializer, code, direction=direction
                )
        return responses


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    stale = serializers.BooleanField(source="is_stale", read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "stale",
            "phase",
            "progress_done",
            "progress_total",
            "percent",
            "params",
            "result",
            "message",
            "input_name",
            "created_at",
            "started_at",
            "finished_at",
            "heartbeat_at",
            "worker",
            "attempts",
            "rerun_of",
        ]
        read_only_fields = fields


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own background jobs (imports, verification runs, payment cycle steps,
    indicator refreshes): status, progress, the worker's last heartbeat and the result (an
    import's `rows`, `created`, `updated`, `unchanged`, `rejected`). A failed job can be run
    again by the user who started it."""

    permission_classes = [IsAuthenticated]
    serializer_class = JobSerializer
    pagination_class = IdCursor
    queryset = Job.objects.none()

    def get_queryset(self) -> QuerySet[Job]:
        from chitra.core.selectors import job_list

        return job_list(self.request.user)  # type: ignore[arg-type]

    def get_object(self) -> Job:
        from chitra.core.selectors import job_get

        return job_get(self.request.user, self.kwargs["pk"])  # type: ignore[arg-type]

    @extend_schema(request=None, responses={201: JobSerializer})
    @action(detail=True, methods=["post"])
    def rerun(self, request: Request, pk: str | None = None) -> Response:
        from chitra.core.errors import ChitraError
        from chitra.core.jobs import job_rerun

        try:
            new = job_rerun(actor=request.user, job=self.get_object())  # type: ignore[arg-type]
        except ChitraError as exc:
            raise ValidationError({"detail": str(exc)}) from exc
        return Response(JobSerializer(new).data, status=status.HTTP_201_CREATED)
