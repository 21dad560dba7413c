"""API: verification runs and per-beneficiary outcomes, scoped like the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated

from chitra.core.access import Perm, has_perm
from chitra.core.api import IdCursor
from chitra.verification import selectors as sel
from chitra.verification.models import Outcome, VerificationResult, VerificationRun


class CanSeeRuns(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return sel.can_see_runs(request.user) and has_perm(request.user, Perm.REGISTRY_VIEW)


class RunSerializer(serializers.ModelSerializer):
    started_by = serializers.CharField(source="started_by.username")

    class Meta:
        model = VerificationRun
        fields = ["id", "created_at", "finished_at", "status", "started_by", "connector",
                  "register_loaded_at", "province_code", "total", "counts"]


class ResultSerializer(serializers.ModelSerializer):
    personal_id = serializers.CharField(source="beneficiary.personal_id", allow_null=True)
    full_name = serializers.CharField(source="beneficiary.full_name")
    commune_code = serializers.CharField(source="beneficiary.commune.code")

    class Meta:
        model = VerificationResult
        fields = ["id", "run", "beneficiary", "personal_id", "full_name", "commune_code",
                  "outcome", "mismatched_fields", "name_accents", "candidate_ids",
                  "candidate_scores", "reg_full_name", "reg_birth_date", "reg_sex",
                  "reg_commune_code", "death_date"]




class RunViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated, CanSeeRuns]
    serializer_class = RunSerializer
    pagination_class = IdCursor
    filter_backends: list[Any] = []
    queryset = VerificationRun.objects.none()

    def get_queryset(self) -> QuerySet[VerificationRun]:
        return sel.run_list(self.request.user)  # type: ignore[arg-type]


@extend_schema(parameters=[
    OpenApiParameter("run", int, required=True),
    OpenApiParameter("outcome", str, enum=Outcome.values),
])
class ResultViewSet(viewsets.ReadOnlyModelViewSet):
    """Outcomes of one run for the beneficiaries of the caller's area."""

    permission_classes = [IsAuthenticated, CanSeeRuns]
    serializer_class = ResultSerializer
    pagination_class = IdCursor
    filter_backends: list[Any] = []
    queryset = VerificationResult.objects.none()

    def get_queryset(self) -> QuerySet[VerificationResult]:
        user = self.request.user
        run_id = self.request.query_params.get("run", "")
        if not run_id.isdigit():
            if self.action == "retrieve":
                from chitra.core.access import scope_queryset

                return scope_queryset(user, VerificationResult.objects.select_related(  # type: ignore[arg-type]
                    "beneficiary__commune"), perm=Perm.REGISTRY_VIEW).filter(
                    run__in=sel.run_list(user))  # type: ignore[arg-type]
            raise serializers.ValidationError({"run": "required: the id of a verification run"})
        run = sel.run_get(user, run_id)  # type: ignore[arg-type]
        return sel.run_results(user, run,  # type: ignore[arg-type]
                               outcome=self.request.query_params.get("outcome") or None)
