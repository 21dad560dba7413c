"""Shared pieces of the REST API."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from chitra.core.models import Job


class IdCursor(CursorPagination):
    """Newest first, stable under inserts (cursor on the primary key)."""

    ordering = "-id"
    page_size = 100
    max_page_size = 1000
    page_size_query_param = "page_size"


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    stale = serializers.BooleanField(source="is_stale", read_only=True)

    class Meta:
        model = Job
        fields = ["id", "kind", "status", "stale", "phase", "progress_done", "progress_total",
                  "percent", "params", "result", "message", "input_name", "created_at",
                  "started_at", "finished_at", "heartbeat_at", "worker", "attempts",
                  "rerun_of"]
        read_only_fields = fields


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own background jobs (imports, verification runs, payment cycle steps,
    indicator refreshes): status, progress, the worker's last heartbeat and the result (an
    import's `rows`, `created`, `updated`, `unchanged`, `rejected`). A failed job can be run
    again by the user who started it."""

    permission_classes = [IsAuthenticated]
    serializer_class = JobSerializer
    pagination_class = IdCursor
    filter_backends: list[Any] = []
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
