"""API for providers, shaped after the G2P Connect disburse API: fetch the batches and the
disbursements a provider pays (reference_id, payee_fa, amount...), post their status
(reference_id, status succ/rjct, status_reason_code). Same services and scope as the pages."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from chitra.core.api import IdCursor
from chitra.core.crypto import decrypt
from chitra.core.errors import ChitraError, render_issue
from chitra.disbursement import policy
from chitra.disbursement import selectors as sel
from chitra.disbursement.models import CASH_CHANNELS, Batch, Cycle, PayrollLine, ResultImport
from chitra.disbursement.results import ResultRow, ResultsRejected, results_apply
from chitra.iam.access import Perm, has_perm
from chitra.kernel.months import months_range


class CanViewPayments(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return has_perm(request.user, Perm.PAYMENT_VIEW)


class BatchSerializer(serializers.ModelSerializer):
    batch_id = serializers.CharField(source="reference")
    payment_month = serializers.DateField(
        source="cycle.month", help_text="the (first) month the cycle pays"
    )
    last_payment_month = serializers.DateField(
        source="cycle.last_month",
        help_text="the last month the cycle pays: the next month for a two-month cycle "
        "(each disbursement names its own period_month)",
    )
    requested_execution_date = serializers.SerializerMethodField(
        help_text="accounts: the date they are credited (pain.001 ReqdExctnDt); cash: the "
        "date cash is paid from"
    )
    provider_code = serializers.CharField(source="provider.code", allow_null=True)
    status_label = serializers.CharField(
        source="get_status_display", read_only=True, help_text="the status as the pages show it"
    )

    class Meta:
        model = Batch
        fields = [
            "id",
            "batch_id",
            "payment_month",
            "last_payment_month",
            "requested_execution_date",
            "provider_code",
            "channel",
            "status",
            "status_label",
            "declared_count",
            "declared_amount",
            "released_at",
        ]

    def get_requested_execution_date(self, obj: Batch) -> dt.date:
        if obj.channel in CASH_CHANNELS:
            return obj.cycle.cash_from_date
        return obj.cycle.account_credit_date


class CycleSerializer(serializers.ModelSerializer):
    province_code = serializers.CharField(source="province.code")
    months = serializers.SerializerMethodField(help_text="every month the cycle pays")

    class Meta:
        model = Cycle
        fields = [
            "id",
            "province_code",
            "month",
            "last_month",
            "months",
            "status",
            "account_credit_date",
            "cash_from_date",
            "snapshot_count",
            "line_count",
            "total_amount",
            "exclusion_count",
            "created_at",
        ]

    def get_months(self, obj: Cycle) -> list[dt.date]:
        return list(months_range(obj.month, obj.last_month))


class CycleCreateSerializer(serializers.Serializer):
    month = serializers.RegexField(
        r"^\d{4}-\d{2}$", max_length=7, help_text="the (first) month the cycle pays, YYYY-MM"
    )
    months = serializers.ChoiceField(
        choices=[1, 2],
        required=False,
        help_text="1, or 2 to pay the next month too (January and February before Tết); "
        "default: 2 for the months of CHITRA_TWO_MONTH_CYCLES, else 1",
    )
    account_credit_date = serializers.DateField(
        required=False, help_text="default: the province's pay schedule (the 5th)"
    )
    cash_from_date = serializers.DateField(
        required=False, help_text="default: the province's pay schedule (the 2nd)"
    )


class PayDatesSerializer(serializers.Serializer):
    account_credit_date = serializers.DateField()
    cash_from_date = serializers.DateField()
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


#: a refused request: why, and the invalid fields with their messages
Refusal = inline_serializer(
    "CycleRefusal",
    {"detail": serializers.CharField(), "errors": serializers.DictField(required=False)},
)


def _invalid(body: serializers.Serializer) -> Response:
    return Response(
        {"detail": "invalid request", "errors": body.errors}, status=status.HTTP_400_BAD_REQUEST
    )


class DisbursementSerializer(serializers.ModelSerializer):
    reference_id = serializers.CharField(source="reference")
    payee_name = serializers.CharField()
    payee_fa = serializers.SerializerMethodField(
        help_text="financial address: the account number or wallet id (to the provider that "
        "holds it only); empty for cash"
    )
    currency_code = serializers.SerializerMethodField()
    note = serializers.SerializerMethodField()
    status_label = serializers.CharField(
        source="get_status_display",
        read_only=True,
        help_text="the status as the pages, exports and commands show it (issued, sent, paid, "
        "failed, returned, cancelled)",
    )

    class Meta:
        model = PayrollLine
        fields = [
            "id",
            "reference_id",
            "payee_name",
            "payee_fa",
            "amount",
            "currency_code",
            "period_month",
            "channel",
            "status",
            "status_label",
            "reason_code",
            "note",
        ]

    def get_payee_fa(self, obj: PayrollLine) -> str:
        if obj.account is None or not self.context.get("reveal"):
            return ""
        return decrypt(obj.account.number_encrypted)

    def get_currency_code(self, obj: PayrollLine) -> str:
        return "VND"

    def get_note(self, obj: PayrollLine) -> str:
        return f"BHXH {obj.benefit_type} {obj.period_month:%m/%Y}"


class StatusItem(serializers.Serializer):
    reference_id = serializers.CharField(max_length=64)
    status = serializers.ChoiceField(choices=["succ", "rjct"])
    status_reason_code = serializers.CharField(max_length=16, required=False, allow_blank=True)
    amount = serializers.IntegerField(required=False, min_value=1)


class StatusRequest(serializers.Serializer):
    transaction_id = serializers.CharField(max_length=64)
    disbursements = StatusItem(many=True, allow_empty=False)


class ResultImportSerializer(serializers.ModelSerializer):
    """A results file, status report or API post applied to a cycle, with its counts."""

    created_by = serializers.IntegerField(source="created_by_id", read_only=True)
    name_checks = serializers.IntegerField(source="name_check_count", read_only=True)

    class Meta:
        model = ResultImport
        fields = [
            "id",
            "source",
            "file_name",
            "sha256",
            "message_id",
            "original_message_id",
            "group_status",
            "paid",
            "failed",
            "returned",
            "unchanged",
            "pending",
            "name_checks",
            "created_at",
            "created_by",
        ]
        read_only_fields = fields


class CycleViewSet(viewsets.ReadOnlyModelViewSet):
    """The payment cycles of the caller's province (a provider: those it was paid through).
    BHXH officers of the province open a cycle (one month, or two: January and February
    before Tết) and change its pay dates until it is released; same services as the pages."""

    serializer_class = CycleSerializer
    permission_classes = [CanViewPayments]
    pagination_class = IdCursor
    queryset = Cycle.objects.none()  # the model for the schema; get_queryset scopes

    def get_queryset(self) -> QuerySet[Cycle]:
        if getattr(self, "swagger_fake_view", False):
            return super().get_queryset()  # the class's empty queryset
        return sel.cycles(self.request.user)  # type: ignore[arg-type]

    @extend_schema(
        request=CycleCreateSerializer, responses={201: CycleSerializer, 400: Refusal, 403: Refusal}
    )
    def create(self, request: Request) -> Response:
        """Open a payment cycle (PAYMENT_RUN: the provincial BHXH's officers)."""
        from chitra.disbursement.services import cycle_create, suggested_months

        if not policy.may_run(request.user):  # type: ignore[arg-type]
            return Response({"detail": "forbidden"}, status=status.HTTP_403_FORBIDDEN)
        body = CycleCreateSerializer(data=request.data)
        if not body.is_valid():
            return _invalid(body)
        data = body.validated_data
        year, month_no = (int(x) for x in data["month"].split("-"))
        if not (2000 <= year <= 2100 and 1 <= month_no <= 12):
            return Response(
                {
                    "detail": f"month must be YYYY-MM between 2000-01 and 2100-12, "
                    f"got {data['month']}"
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        month = dt.date(year, month_no, 1)
        try:
            cycle = cycle_create(
                actor=request.user,  # type: ignore[arg-type]
                month=month,
                months=int(data.get("months") or suggested_months(month)),
                account_credit_date=data.get("account_credit_date"),
                cash_from_date=data.get("cash_from_date"),
            )
        except ChitraError as e:
            return Response({"detail": str(e)}, status=status.HTTP_400_BAD_REQUEST)
        cycle = sel.cycle_get(request.user, cycle.pk)  # type: ignore[arg-type]
        return Response(CycleSerializer(cycle).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=PayDatesSerializer, responses={200: CycleSerializer, 400: Refusal, 403: Refusal}
    )
    @action(detail=True, methods=["post"], url_path="pay-dates")
    def pay_dates(self, request: Request, pk: Any = None) -> Response:
        """Change the cycle's scheduled pay dates (until release; audited)."""
        from chitra.disbursement.services import cycle_set_pay_dates

        if not policy.may_run(request.user):  # type: ignore[arg-type]
            return Response({"detail": "forbidden"}, status=status.HTTP_403_FORBIDDEN)
        cycle = self.get_object()
        body = PayDatesSerializer(data=request.data)
        if not body.is_valid():
            return _invalid(body)
        data = body.validated_data
        try:
            cycle = cycle_set_pay_dates(
                actor=request.user,  # type: ignore[arg-type]
                cycle=cycle,
                account_credit_date=data["account_credit_date"],
                cash_from_date=data["cash_from_date"],
                reason=data.get("reason", ""),
            )
        except ChitraError as e:
            return Response({"detail": str(e)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            CycleSerializer(
                sel.cycle_get(
                    request.user,  # type: ignore[arg-type]
                    cycle.pk,
                )
            ).data
        )

    @extend_schema(responses={200: ResultImportSerializer(many=True)})
    @action(detail=True, methods=["get"], url_path="result-imports", pagination_class=None)
    def result_imports(self, request: Request, pk: Any = None) -> Response:
        """The cycle's results imports (results files, bank status reports, API posts), newest
        first, with their counts: paid, failed, returned, already recorded, still pending, and
        the payee name checks a status report gave."""
        cycle = self.get_object()
        rows = sel.cycle_result_imports(request.user, cycle)  # type: ignore[arg-type]
        return Response(ResultImportSerializer(rows, many=True).data)


class BatchViewSet(viewsets.ReadOnlyModelViewSet):
    """Batches the caller may see: a provider sees its own released batches."""

    serializer_class = BatchSerializer
    permission_classes = [CanViewPayments]
    pagination_class = IdCursor
    queryset = Batch.objects.none()  # the model for the schema; get_queryset scopes

    def get_queryset(self) -> QuerySet[Batch]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return super().get_queryset()  # the class's empty queryset
        return sel.batches_anywhere(self.request.user)  # type: ignore[arg-type]

    @extend_schema(responses=DisbursementSerializer(many=True))
    @action(detail=True, methods=["get"])
    def disbursements(self, request: Request, pk: Any = None) -> Response:
        """The disbursements of a batch (cursor-paginated). The provider of the batch gets the
        payees' full financial addresses; everyone else gets them empty."""
        batch = self.get_object()
        qs, reveal = sel.batch_disbursements(actor=request.user, batch=batch)  # type: ignore[arg-type]
        page = self.paginate_queryset(qs)
        data = DisbursementSerializer(page, many=True, context={"reveal": reveal}).data
        sel.batch_disbursements_seen(
            actor=request.user,  # type: ignore[arg-type]
            batch=batch,  # type: ignore[arg-type]
            line_count=len(data),
            full_numbers=reveal,
        )
        return self.get_paginated_response(data)

    @extend_schema(
        request=StatusRequest,
        responses={
            200: inline_serializer(
                "DisburseStatusResponse",
                {
                    "transaction_id": serializers.CharField(),
                    "correlation_id": serializers.IntegerField(),
                    "status": serializers.CharField(),
                    "paid": serializers.IntegerField(),
                    "failed": serializers.IntegerField(),
                    "unchanged": serializers.IntegerField(),
                    "already_applied": serializers.BooleanField(),
                },
            ),
            400: inline_serializer(
                "DisburseStatusRejected",
                {
                    "transaction_id": serializers.CharField(),
                    "status": serializers.CharField(),
                    "status_reason_message": serializers.CharField(),
                    "errors": serializers.ListField(child=serializers.DictField()),
                },
            ),
        },
    )
    @action(detail=True, methods=["post"], url_path="status")
    def post_status(self, request: Request, pk: Any = None) -> Response:
        """Post the status of disbursements of this batch (G2P Connect on-disburse shape). The
        whole message is applied or none of it; posting the same message again changes
        nothing."""
        if not has_perm(request.user, Perm.PAYMENT_RESULTS):  # type: ignore[arg-type]
            return Response({"detail": "forbidden"}, status=status.HTTP_403_FORBIDDEN)
        batch = self.get_object()
        body = StatusRequest(data=request.data)
        body.is_valid(raise_exception=True)
        items = body.validated_data["disbursements"]
        sha, rows = _status_rows(batch.pk, items)
        tx = body.validated_data["transaction_id"]
        try:
            out = results_apply(
                actor=request.user,  # type: ignore[arg-type]
                cycle=sel.cycle_get(request.user, batch.cycle_id),  # type: ignore[arg-type]
                rows=rows,
                sha256=sha,
                source="api",
                file_name=tx,
                batch_id=batch.pk,
            )
        except ResultsRejected as e:
            return _status_rejected(tx, e, e.issues[:500])
        except ChitraError as e:
            return _status_rejected(tx, e, [])
        return Response(
            {
                "transaction_id": tx,
                "correlation_id": out.result_import.pk,
                "status": "succ",
                "paid": out.paid,
                "failed": out.failed,
                "unchanged": out.unchanged,
                "already_applied": out.already_applied,
            }
        )


def _status_rows(batch_pk: int, items: list[dict[str, Any]]) -> tuple[str, list[ResultRow]]:
    """The SHA-256 of a posted status message (its batch and canonical content: the same
    message posted again is recognised) and its lines as result rows."""
    canonical = json.dumps(
        [
            [i["reference_id"], i["status"], i.get("status_reason_code", ""), i.get("amount")]
            for i in items
        ],
        separators=(",", ":"),
    )
    sha = hashlib.sha256(f"{batch_pk}:{canonical}".encode()).hexdigest()
    rows = [
        ResultRow(
            n, i["reference_id"], i["status"], i.get("status_reason_code", ""), i.get("amount")
        )
        for n, i in enumerate(items, 1)
    ]
    return sha, rows


def _status_rejected(tx: str, e: ChitraError, issues: list[Any]) -> Response:
    """The 400 answer of a status message refused as a whole, with its issues."""
    return Response(
        {
            "transaction_id": tx,
            "status": "rjct",
            "status_reason_message": str(e),
            "errors": [
                {
                    "position": i.sheet_row,
                    "code": i.code,
                    "value": i.value,
                    "message": render_issue(i),
                }
                for i in issues
            ],
        },
        status=status.HTTP_400_BAD_REQUEST,
    )
