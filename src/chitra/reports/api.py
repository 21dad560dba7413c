"""API of the indicators, targets, issued reports and plan tasks (aggregates only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chitra.core.api import ErrorSerializer, IdCursor
from chitra.core.errors import ChitraError
from chitra.iam.access import Perm, has_perm
from chitra.reports import selectors as sel
from chitra.reports import services
from chitra.reports.kpis import BY_KEY, CATALOGUE
from chitra.reports.models import IssuedReport, PlanStatus, PlanTask, ReportKind, Target


class CanViewReports(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return has_perm(request.user, Perm.REPORTS_VIEW)


def _month(text: str | None, default: dt.date) -> dt.date:
    try:
        y, m = (text or "").split("-")
        return dt.date(int(y), int(m), 1)
    except ValueError:
        return default


class IndicatorsView(APIView):
    """One indicator for a month, rolled up by province, BHXH office, commune or urban/rural
    (numerator, denominator, value in % when the unit is a share)."""

    permission_classes = [CanViewReports]

    @extend_schema(
        parameters=[
            OpenApiParameter("kpi", str, description=", ".join(k.key for k in CATALOGUE)),
            OpenApiParameter("month", str, description="YYYY-MM (default: latest computed)"),
            OpenApiParameter(
                "group",
                str,
                description="monthly, lump_sum, unemployment, other_once (for cashless_share)",
            ),
            OpenApiParameter("by", str, description="province, office, commune, urban"),
            OpenApiParameter("area", str, description="all, urban, rural"),
        ],
        responses=inline_serializer(
            "IndicatorRollup",
            {
                "kpi": serializers.CharField(),
                "month": serializers.CharField(),
                "definition": serializers.CharField(),
                "rows": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        user: Any = request.user
        key = request.query_params.get("kpi") or "cashless_share"
        kpi = BY_KEY.get(key)
        if kpi is None:
            return Response({"detail": f"unknown kpi {key}"}, status=status.HTTP_400_BAD_REQUEST)
        month = _month(request.query_params.get("month"), sel.latest_month(user))
        by = request.query_params.get("by") or "province"
        if by not in sel.BY:
            return Response({"detail": f"unknown by {by}"}, status=status.HTTP_400_BAD_REQUEST)
        group = request.query_params.get("group") or ("monthly" if kpi.by_group else "")
        rows = sel.rollup(
            user,
            kpi=key,
            month=month,
            group=group,
            by=by,
            area=request.query_params.get("area") or "all",
            dim=None if kpi.dims else "",
        )
        return Response(
            {
                "kpi": key,
                "month": f"{month:%Y-%m}",
                "group": group,
                "unit": kpi.unit,
                "definition": str(kpi.definition),
                "rows": [{**r, "key": str(r["key"]), "label": str(r["label"])} for r in rows],
            }
        )


class TargetSerializer(serializers.ModelSerializer):
    commune_code = serializers.CharField(source="commune.code", allow_null=True)

    class Meta:
        model = Target
        fields = ["id", "kpi", "group", "area", "commune_code", "value", "keep", "deadline", "note"]


class TargetViewSet(viewsets.ReadOnlyModelViewSet):
    """Targets of the caller's province with their status this month."""

    serializer_class = TargetSerializer
    permission_classes = [CanViewReports]
    pagination_class = None
    queryset = Target.objects.none()  # the model for the schema; get_queryset scopes

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return super().get_queryset()  # the class's empty queryset
        return sel.targets(self.request.user)  # type: ignore[arg-type]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user: Any = request.user
        month = sel.latest_month(user)
        out = []
        for t in self.get_queryset():
            st = sel.target_status(user, t, month)
            out.append(
                {
                    **TargetSerializer(t).data,
                    "current": st.value,
                    "projected": st.projected,
                    "status": st.status,
                }
            )
        return Response(out)


class IssuedReportSerializer(serializers.ModelSerializer):
    superseded_by = serializers.SerializerMethodField(
        help_text="id of the corrected report that replaces this one (null: in force)"
    )

    class Meta:
        model = IssuedReport
        fields = [
            "id",
            "kind",
            "period",
            "number",
            "title",
            "issued_at",
            "xlsx_sha256",
            "pdf_sha256",
            "version",
            "supersedes",
            "correction_reason",
            "superseded_by",
            "data",
        ]

    def get_superseded_by(self, obj: IssuedReport) -> int | None:
        later = getattr(obj, "superseded_by", None)
        return later.pk if later is not None else None


class ReissueReportIn(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    signer = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)


class IssueReportIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    period = serializers.CharField(max_length=16, help_text="2026-W48, 2026-11 or 2026")


class PlanUpdateIn(serializers.Serializer):
    status = serializers.ChoiceField(choices=PlanStatus.choices)
    percent = serializers.IntegerField(min_value=0, max_value=100, required=False, default=0)
    note = serializers.CharField(max_length=4000)


class IssuedReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Issued periodic reports (with the data they were made from); POST issues one."""

    serializer_class = IssuedReportSerializer
    permission_classes = [CanViewReports]
    pagination_class = IdCursor
    queryset = IssuedReport.objects.none()  # the model for the schema; get_queryset scopes

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return super().get_queryset()  # the class's empty queryset
        return sel.issued_reports(self.request.user)  # type: ignore[arg-type]

    @extend_schema(
        request=IssueReportIn,
        responses={201: IssuedReportSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
    )
    def create(self, request: Request) -> Response:
        if not has_perm(request.user, Perm.REPORT_ISSUE):  # type: ignore[arg-type]
            return Response({"detail": "forbidden"}, status=status.HTTP_403_FORBIDDEN)
        body = IssueReportIn(data=request.data)  # a null, a list or a string: 400
        body.is_valid(raise_exception=True)
        try:
            rep = services.report_issue(
                actor=request.user,  # type: ignore[arg-type]
                kind=body.validated_data["kind"],
                period=body.validated_data["period"],
            )
        except ChitraError as e:
            return Response({"detail": str(e)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(IssuedReportSerializer(rep).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReissueReportIn,
        responses={
            201: IssuedReportSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def reissue(self, request: Request, pk: Any = None) -> Response:
        """Correct a report: a new version with its own number replaces it; the replaced one
        is kept unchanged and shows `superseded_by`."""
        if not has_perm(request.user, Perm.REPORT_ISSUE):  # type: ignore[arg-type]
            return Response({"detail": "forbidden"}, status=status.HTTP_403_FORBIDDEN)
        old = self.get_object()
        body = ReissueReportIn(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            rep = services.report_reissue(
                actor=request.user,  # type: ignore[arg-type]
                report=old,
                reason=body.validated_data["reason"],
                signer=body.validated_data["signer"],
            )
        except ChitraError as e:
            return Response({"detail": str(e)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(IssuedReportSerializer(rep).data, status=status.HTTP_201_CREATED)


class PlanTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanTask
        fields = ["id", "number", "title", "lead", "partners", "deadline", "recurring"]


class PlanTaskViewSet(viewsets.ReadOnlyModelViewSet):
    """The plan's seven tasks with each agency's latest status; POST .../update/ posts
    progress."""

    serializer_class = PlanTaskSerializer
    permission_classes = [CanViewReports]
    pagination_class = None
    queryset = PlanTask.objects.none()  # the model for the schema; get_queryset reads

    def get_queryset(self) -> Any:
        return sel.plan_tasks(self.request.user)  # type: ignore[arg-type]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = sel.plan(request.user)  # type: ignore[arg-type]
        return Response(
            [
                {
                    **PlanTaskSerializer(r["task"]).data,
                    "overdue": r["overdue"],
                    "done": r["done"],
                    "updates": [
                        {
                            "organisation": u.organisation.name,
                            "status": u.status,
                            "percent": u.percent,
                            "note": u.note,
                            "at": u.at,
                        }
                        for u in r["updates"]
                    ],
                }
                for r in rows
            ]
        )

    @extend_schema(
        request=PlanUpdateIn,
        responses={
            201: inline_serializer("PlanUpdateOut", {"id": serializers.IntegerField()}),
            400: ErrorSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def update_status(self, request: Request, pk: Any = None) -> Response:
        body = PlanUpdateIn(data=request.data)  # a list or a string: 400
        body.is_valid(raise_exception=True)
        d = body.validated_data
        try:
            u = services.plan_update(
                actor=request.user,  # type: ignore[arg-type]
                task=self.get_object(),
                status=d["status"],
                note=d["note"],
                percent=d["percent"],
            )
        except ChitraError as e:
            return Response({"detail": str(e)}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"id": u.pk}, status=status.HTTP_201_CREATED)
