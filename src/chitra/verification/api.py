"""API: verification runs and per-beneficiary outcomes, scoped like the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from chitra.core.api import IdCursor
from chitra.iam.access import Perm, has_perm
from chitra.verification import policy
from chitra.verification import selectors as sel
from chitra.verification.models import Outcome, VerificationResult, VerificationRun


class CanSeeRuns(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return policy.can_see_runs(request.user) and has_perm(request.user, Perm.REGISTRY_VIEW)


class CountsSerializer(serializers.Serializer):
    verified = serializers.IntegerField()
    mismatch = serializers.IntegerField()
    deceased = serializers.IntegerField()
    not_found = serializers.IntegerField()
    invalid_id = serializers.IntegerField()
    no_id = serializers.IntegerField()
    duplicate = serializers.IntegerField()


class RunSerializer(serializers.ModelSerializer):
    """A run with its counts in the caller's area (`total`, `counts`); `communes`: the codes
    of the communes it covered there when it covered a list of communes, else [] (the whole
    `province_code`, or every province when that is "")."""

    started_by = serializers.CharField(source="started_by.username")
    total = serializers.IntegerField(source="scope_total")
    counts = CountsSerializer(source="scope_counts")
    communes = serializers.ListField(child=serializers.CharField(), source="scope_communes")

    class Meta:
        model = VerificationRun
        fields = [
            "id",
            "created_at",
            "finished_at",
            "status",
            "message",
            "started_by",
            "origin",
            "connector",
            "register_loaded_at",
            "province_code",
            "communes",
            "changed_since",
            "total",
            "counts",
        ]


class ResultSerializer(serializers.ModelSerializer):
    personal_id = serializers.CharField(source="beneficiary.personal_id", allow_null=True)
    full_name = serializers.CharField(source="beneficiary.full_name")
    commune_code = serializers.CharField(source="beneficiary.commune.code")

    class Meta:
        model = VerificationResult
        fields = [
            "id",
            "run",
            "beneficiary",
            "personal_id",
            "full_name",
            "commune_code",
            "outcome",
            "mismatched_fields",
            "name_accents",
            "candidate_ids",
            "candidate_scores",
            "reg_full_name",
            "reg_birth_date",
            "reg_sex",
            "reg_commune_code",
            "death_date",
        ]


class RunViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated, CanSeeRuns]
    serializer_class = RunSerializer
    pagination_class = IdCursor
    queryset = VerificationRun.objects.none()

    def get_queryset(self) -> QuerySet[VerificationRun]:
        return sel.run_list(self.request.user)  # type: ignore[arg-type]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # the cursor pagination always pages
        sel.with_counts(request.user, page)  # type: ignore[arg-type]
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        run = sel.run_get(request.user, kwargs.get("pk", ""))  # type: ignore[arg-type]
        sel.with_counts(request.user, [run])  # type: ignore[arg-type]
        return Response(self.get_serializer(run).data)


@extend_schema(
    parameters=[
        OpenApiParameter("run", int, required=True),
        OpenApiParameter("outcome", str, enum=Outcome.values),
    ]
)
class ResultViewSet(viewsets.ReadOnlyModelViewSet):
    """Outcomes of one run for the beneficiaries of the caller's area."""

    permission_classes = [IsAuthenticated, CanSeeRuns]
    serializer_class = ResultSerializer
    pagination_class = IdCursor
    queryset = VerificationResult.objects.none()

    def get_queryset(self) -> QuerySet[VerificationResult]:
        user = self.request.user
        run_id = self.request.query_params.get("run", "")
        if not run_id.isdigit():
            if self.action == "retrieve":
                return sel.result_list_in_scope(user)  # type: ignore[arg-type]
            raise serializers.ValidationError({"run": "required: the id of a verification run"})
        run = sel.run_get(user, run_id)  # type: ignore[arg-type]
        return sel.run_results(
            user,  # type: ignore[arg-type]
            run,  # type: ignore[arg-type]
            outcome=self.request.query_params.get("outcome") or None,
        )
