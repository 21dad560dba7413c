"""API for banks and providers: push account confirmations, fetch change requests of their
customers. Same services and scope as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chitra.core.api import IdCursor
from chitra.core.errors import render_issue
from chitra.payment_methods.imports import (
    AccountImportSummary,
    _require,
    account_records_apply,
    records_from_api,
)
from chitra.payment_methods.models import ChangeRequest, HomeReason, Method
from chitra.payment_methods.selectors import change_requests


class ChangeRequestSerializer(serializers.ModelSerializer):
    personal_id = serializers.CharField(source="beneficiary.personal_id", allow_null=True)
    full_name = serializers.CharField(source="beneficiary.full_name")
    provider_code = serializers.CharField(source="provider.code", allow_null=True)
    account_masked = serializers.CharField(source="masked_number")

    class Meta:
        model = ChangeRequest
        fields = ["id", "created_at", "status", "method", "personal_id", "full_name",
                  "provider_code", "account_masked", "holder_name", "name_check",
                  "effective_month", "decided_at"]




class ChangeRequestCreateSerializer(serializers.Serializer):
    personal_id = serializers.CharField()
    method = serializers.ChoiceField(choices=Method.choices)
    provider_code = serializers.CharField(required=False, allow_blank=True)
    number = serializers.CharField(required=False, allow_blank=True,
                                   help_text="account number, phone or wallet id")
    holder_name = serializers.CharField(required=False, allow_blank=True)
    home_reason = serializers.ChoiceField(choices=HomeReason.choices, required=False)
    consent_date = serializers.DateField(required=False)
    consent_channel = serializers.ChoiceField(choices=ChangeRequest.ConsentChannel.choices,
                                              required=False)
    consent_witness = serializers.CharField(required=False, allow_blank=True)


class ChangeRequestViewSet(viewsets.ReadOnlyModelViewSet):
    """Change requests the caller may see (a bank: those into its own accounts); POST records
    a new one (a bank only into its own accounts), with the beneficiary's consent."""

    permission_classes = [IsAuthenticated]
    serializer_class = ChangeRequestSerializer
    pagination_class = IdCursor
    filter_backends: list[Any] = []
    queryset = ChangeRequest.objects.none()

    def get_queryset(self) -> QuerySet[ChangeRequest]:
        return change_requests(self.request.user,  # type: ignore[arg-type]
                               status=self.request.query_params.get("status") or None)

    @extend_schema(request=ChangeRequestCreateSerializer,
                   responses={201: ChangeRequestSerializer})
    def create(self, request: Request) -> Response:
        from chitra.core.errors import ChitraError
        from chitra.iam.models import PROVIDER_KINDS
        from chitra.payment_methods.models import Provider
        from chitra.payment_methods.services import change_request_create
        from chitra.registry.models import Beneficiary

        data = ChangeRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        user = request.user
        ben = Beneficiary.objects.filter(personal_id=d["personal_id"]).first()
        provider = Provider.objects.filter(code=d.get("provider_code") or "").first()
        if ben is None:
            return Response({"personal_id": ["no beneficiary with this personal ID"]},
                            status=status.HTTP_404_NOT_FOUND)
        org = getattr(user, "organisation", None)
        source = "bank" if org is not None and org.kind in PROVIDER_KINDS else "api"
        try:
            cr = change_request_create(
                actor=user, beneficiary=ben, method=d["method"], source=source,  # type: ignore[arg-type]
                provider=provider, number=d.get("number", ""),
                holder_name=d.get("holder_name", ""), home_reason=d.get("home_reason", ""),
                consent_date=d.get("consent_date"), consent_channel=d.get("consent_channel", ""),
                consent_witness=d.get("consent_witness", ""))
        except ChitraError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        except Http404:
            return Response({"personal_id": ["no beneficiary with this personal ID"]},
                            status=status.HTTP_404_NOT_FOUND)
        return Response(ChangeRequestSerializer(cr).data, status=status.HTTP_201_CREATED)


ROW = inline_serializer("AccountConfirmation", fields={
    "personal_id": serializers.CharField(),
    "provider_code": serializers.CharField(help_text="NAPAS BIN or provider code"),
    "account_number": serializers.CharField(required=False),
    "phone": serializers.CharField(required=False),
    "wallet_id": serializers.CharField(required=False),
    "holder_name": serializers.CharField(),
    "status": serializers.ChoiceField(choices=["active", "closed"], required=False),
})


class AccountConfirmationsView(APIView):
    """Push account confirmations: the rows of a confirmation file, as JSON; applied whole
    (valid rows) or not at all, idempotent."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=inline_serializer("AccountConfirmations", fields={
        "rows": serializers.ListField(child=ROW), "dry_run": serializers.BooleanField(
            required=False)}), responses={200: dict})
    def post(self, request: Request) -> Response:
        user = request.user
        _require(user)  # type: ignore[arg-type]
        rows = request.data.get("rows") if isinstance(request.data, dict) else None
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            return Response({"detail": "rows: a list of objects is required"},
                            status=status.HTTP_400_BAD_REQUEST)
        records, rejected = records_from_api(rows)
        summary = AccountImportSummary(rows=len(rows), rejected_rows=list(rejected),
                                       dry_run=bool(request.data.get("dry_run")))
        account_records_apply(actor=user, records=records, summary=summary,  # type: ignore[arg-type]
                              dry_run=summary.dry_run, source="api")
        return Response({
            "rows": summary.rows, "applied": summary.applied, "unchanged": summary.unchanged,
            "rejected": [{"row": r.sheet_row - 1, "code": i.code, "message": render_issue(i)}
                         for r in sorted(summary.rejected_rows, key=lambda r: r.sheet_row)
                         for i in r.issues],
        })
