"""API for banks and providers: push account confirmations, fetch change requests of their
customers. Same services and scope as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chitra.core.api import ErrorSerializer, IdCursor
from chitra.core.errors import render_issue
from chitra.engine.account_rows import HOLDER_MAX_CHARS
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
    personal_id = serializers.CharField(max_length=12)
    method = serializers.ChoiceField(choices=Method.choices)
    provider_code = serializers.CharField(required=False, allow_blank=True, max_length=16)
    number = serializers.CharField(required=False, allow_blank=True, max_length=40,
                                   help_text="account number, phone or wallet id")
    holder_name = serializers.CharField(required=False, allow_blank=True,
                                        max_length=HOLDER_MAX_CHARS["holder_name"])
    home_reason = serializers.ChoiceField(choices=HomeReason.choices, required=False)
    consent_date = serializers.DateField(required=False)
    consent_channel = serializers.ChoiceField(choices=ChangeRequest.ConsentChannel.choices,
                                              required=False)
    consent_witness = serializers.CharField(required=False, allow_blank=True, max_length=150)


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


def _text(max_length: int, **kwargs: Any) -> serializers.CharField:
    """A text value of a confirmation row: a string (a number is taken as its digits), never a
    list or an object; empty and null are the row checks' to report, per row."""
    return serializers.CharField(required=False, allow_blank=True, allow_null=True,
                                 max_length=max_length, **kwargs)


class AccountConfirmationRow(serializers.Serializer):
    """The shape of one row (what each value may be); the rules are the file import's."""

    personal_id = _text(32)
    provider_code = _text(32, help_text="NAPAS BIN or provider code")
    account_number = _text(64)
    phone = _text(32)
    wallet_id = _text(64)
    holder_name = _text(HOLDER_MAX_CHARS["holder_name"])
    status = _text(16, help_text="active or closed")


#: rows of one request (a larger file goes in several requests)
MAX_CONFIRMATION_ROWS = 50_000


class AccountConfirmationsIn(serializers.Serializer):
    rows = serializers.ListField(child=AccountConfirmationRow(),
                                 max_length=MAX_CONFIRMATION_ROWS)
    dry_run = serializers.BooleanField(required=False, default=False)


class AccountConfirmationsView(APIView):
    """Push account confirmations: the rows of a confirmation file, as JSON; applied whole
    (valid rows) or not at all, idempotent."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=AccountConfirmationsIn, responses={200: dict, 400: ErrorSerializer})
    def post(self, request: Request) -> Response:
        user = request.user
        _require(user)  # type: ignore[arg-type]
        body = AccountConfirmationsIn(data=request.data)  # shape: 400 naming the row and field
        body.is_valid(raise_exception=True)
        rows = [dict(r) for r in body.validated_data["rows"]]
        records, rejected = records_from_api(rows)
        summary = AccountImportSummary(rows=len(rows), rejected_rows=list(rejected),
                                       dry_run=body.validated_data["dry_run"])
        account_records_apply(actor=user, records=records, summary=summary,  # type: ignore[arg-type]
                              dry_run=summary.dry_run, source="api")
        return Response({
            "rows": summary.rows, "applied": summary.applied, "unchanged": summary.unchanged,
            "rejected": [{"row": r.sheet_row - 1, "code": i.code, "message": render_issue(i)}
                         for r in sorted(summary.rejected_rows, key=lambda r: r.sheet_row)
                         for i in r.issues],
        })
