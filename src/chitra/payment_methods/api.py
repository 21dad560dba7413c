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

from chitra.core.api import ErrorSerializer, IdCursor
from chitra.core.errors import render_issue
from chitra.engine.rows.account import HOLDER_MAX_CHARS
from chitra.payment_methods import selectors as sel
from chitra.payment_methods.imports import (
    AccountImportSummary,
    _require,
    account_records_apply,
    records_from_api,
)
from chitra.payment_methods.models import ChangeRequest, HomeReason, Method
from chitra.payment_methods.selectors import change_requests
from chitra.registry.selectors import beneficiary_with_personal_id


class ChangeRequestSerializer(serializers.ModelSerializer):
    personal_id = serializers.CharField(source="beneficiary.personal_id", allow_null=True)
    full_name = serializers.CharField(source="beneficiary.full_name")
    provider_code = serializers.CharField(source="provider.code", allow_null=True)
    account_masked = serializers.CharField(source="masked_number")

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "created_at",
            "status",
            "method",
            "personal_id",
            "full_name",
            "provider_code",
            "account_masked",
            "holder_name",
            "name_check",
            "effective_month",
            "decided_at",
        ]


class ChangeRequestCreateSerializer(serializers.Serializer):
    personal_id = serializers.CharField(max_length=12)
    method = serializers.ChoiceField(choices=Method.choices)
    provider_code = serializers.CharField(required=False, allow_blank=True, max_length=16)
    number = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text="account number, phone or wallet id",
    )
    holder_name = serializers.CharField(
        required=False, allow_blank=True, max_length=HOLDER_MAX_CHARS["holder_name"]
    )
    home_reason = serializers.ChoiceField(choices=HomeReason.choices, required=False)
    consent_date = serializers.DateField(required=False)
    consent_channel = serializers.ChoiceField(
        choices=ChangeRequest.ConsentChannel.choices, required=False
    )
    consent_witness = serializers.CharField(required=False, allow_blank=True, max_length=150)


_NOT_IN_AREA = "no beneficiary of your area has this personal ID"

RECEIVED = inline_serializer(
    "ChangeRequestReceived",
    fields={
        "status": serializers.ChoiceField(choices=["received", "confirmed", "unchanged"]),
        "notice_id": serializers.IntegerField(allow_null=True),
    },
)


class ChangeRequestViewSet(viewsets.ReadOnlyModelViewSet):
    """Change requests the caller may see (a bank: those into its own accounts); POST records
    a new one (a bank only into its own accounts), with the beneficiary's consent."""

    permission_classes = [IsAuthenticated]
    serializer_class = ChangeRequestSerializer
    pagination_class = IdCursor
    queryset = ChangeRequest.objects.none()

    def get_queryset(self) -> QuerySet[ChangeRequest]:
        return change_requests(
            self.request.user,  # type: ignore[arg-type]
            status=self.request.query_params.get("status") or None,
        )

    @extend_schema(
        request=ChangeRequestCreateSerializer,
        responses={201: ChangeRequestSerializer, 202: RECEIVED},
    )
    def create(self, request: Request) -> Response:
        """BHXH and outreach officers record a request (201, the request). A provider's request
        (into its own accounts only) is kept as a notice and, for a beneficiary of its province,
        opens a draft that BHXH completes and decides: the answer is 202 "received" whether or
        not the personal ID exists."""
        from chitra.core.errors import ChitraError
        from chitra.iam.models import PROVIDER_KINDS
        from chitra.payment_methods.services import change_request_create

        data = ChangeRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        user = request.user
        provider = sel.provider_by_code(user, d.get("provider_code") or "")  # type: ignore[arg-type]
        org = getattr(user, "organisation", None)
        if org is not None and org.kind in PROVIDER_KINDS:
            return _provider_request(user, d, provider)
        ben = beneficiary_with_personal_id(user, d["personal_id"])  # type: ignore[arg-type]
        if ben is None:
            return Response({"personal_id": [_NOT_IN_AREA]}, status=status.HTTP_404_NOT_FOUND)
        try:
            cr = change_request_create(
                actor=user,  # type: ignore[arg-type]
                beneficiary=ben,
                method=d["method"],
                source="api",  # type: ignore[arg-type]
                provider=provider,
                number=d.get("number", ""),
                holder_name=d.get("holder_name", ""),
                home_reason=d.get("home_reason", ""),
                consent_date=d.get("consent_date"),
                consent_channel=d.get("consent_channel", ""),
                consent_witness=d.get("consent_witness", ""),
            )
        except ChitraError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        except Http404:
            return Response({"personal_id": [_NOT_IN_AREA]}, status=status.HTTP_404_NOT_FOUND)
        return Response(ChangeRequestSerializer(cr).data, status=status.HTTP_201_CREATED)


def _provider_request(user: Any, d: dict[str, Any], provider: Any) -> Response:
    """A provider's request: one account row through the confirmation rules (never a payment
    method, never an answer that tells whether the person exists)."""
    from chitra.core.errors import ChitraError
    from chitra.payment_methods.imports import ConsentClaim
    from chitra.payment_methods.services import check_consent

    try:  # the input alone, before anything is looked up
        check_consent(d.get("consent_date"), d.get("consent_channel", ""))
    except ChitraError as exc:
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if d["method"] not in ("BANK_ACCOUNT", "MOBILE_MONEY", "EWALLET"):
        return Response(
            {"method": ["a provider may only request payment into its own accounts"]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    field = {"BANK_ACCOUNT": "account_number", "MOBILE_MONEY": "phone", "EWALLET": "wallet_id"}[
        d["method"]
    ]
    row = {
        "personal_id": d["personal_id"],
        "provider_code": d.get("provider_code", ""),
        field: d.get("number", ""),
        "holder_name": d.get("holder_name", ""),
        "status": "active",
    }
    records, rejected = records_from_api([row])
    summary = AccountImportSummary(rows=1, rejected_rows=list(rejected))
    account_records_apply(
        actor=user,
        records=records,
        summary=summary,
        source="api",
        channel="api",
        consent=ConsentClaim(
            d.get("consent_date"), d.get("consent_channel", ""), d.get("consent_witness", "")
        ),
    )
    if summary.rejected_rows:
        return Response(
            {"detail": "; ".join(render_issue(i) for r in summary.rejected_rows for i in r.issues)},
            status=status.HTTP_400_BAD_REQUEST,
        )
    answer = summary.answers[0]
    return Response(
        {
            "status": "received" if answer.status == "received" else answer.status,
            "notice_id": answer.notice_id,
        },
        status=status.HTTP_202_ACCEPTED,
    )


def _text(max_length: int, **kwargs: Any) -> serializers.CharField:
    """A text value of a confirmation row: a string (a number is taken as its digits), never a
    list or an object; empty and null are the row checks' to report, per row."""
    return serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=max_length, **kwargs
    )


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
    rows = serializers.ListField(child=AccountConfirmationRow(), max_length=MAX_CONFIRMATION_ROWS)
    dry_run = serializers.BooleanField(required=False, default=False)


class AccountConfirmationsView(APIView):
    """Push account confirmations: the rows of a confirmation file, as JSON; applied whole
    (valid rows) or not at all, idempotent. No row sets a payment method: a row confirms or
    closes an account or a change request that names the person, the provider and the account,
    or opens a draft request that BHXH decides. Each row's `status`: confirmed, closed,
    unchanged, received (a provider learns nothing more about a row: the same word for an
    unknown personal ID and for a person who is not its customer) or draft (BHXH users)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=AccountConfirmationsIn,
        responses={
            200: inline_serializer(
                "AccountConfirmationsAnswer",
                {
                    "rows": serializers.IntegerField(),
                    "confirmed": serializers.IntegerField(),
                    "closed": serializers.IntegerField(),
                    "unchanged": serializers.IntegerField(),
                    "received": serializers.IntegerField(),
                    "drafts": serializers.IntegerField(),
                    "results": serializers.ListField(child=serializers.DictField()),
                    "rejected": serializers.ListField(child=serializers.DictField()),
                },
            ),
            400: ErrorSerializer,
        },
    )
    def post(self, request: Request) -> Response:
        user = request.user
        _require(user)  # type: ignore[arg-type]
        body = AccountConfirmationsIn(data=request.data)  # shape: 400 naming the row and field
        body.is_valid(raise_exception=True)
        rows = [dict(r) for r in body.validated_data["rows"]]
        records, rejected = records_from_api(rows)
        summary = AccountImportSummary(
            rows=len(rows), rejected_rows=list(rejected), dry_run=body.validated_data["dry_run"]
        )
        account_records_apply(
            actor=user,  # type: ignore[arg-type]
            records=records,
            summary=summary,  # type: ignore[arg-type]
            dry_run=summary.dry_run,
            source="api",
            channel="api",
        )
        return Response(
            {
                "rows": summary.rows,
                "confirmed": summary.confirmed,
                "closed": summary.closed,
                "unchanged": summary.unchanged,
                "received": summary.received,
                "drafts": summary.drafts,
                "results": [
                    {
                        "row": a.sheet_row - 1,
                        "status": a.status,
                        **({"name_check": a.name_check} if a.name_check else {}),
                    }
                    for a in sorted(summary.answers, key=lambda a: a.sheet_row)
                ],
                "rejected": [
                    {"row": r.sheet_row - 1, "code": i.code, "message": render_issue(i)}
                    for r in sorted(summary.rejected_rows, key=lambda r: r.sheet_row)
                    for i in r.issues
                ],
            }
        )
