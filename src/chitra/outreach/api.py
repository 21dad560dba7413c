"""API: outreach campaigns and work lists (read-only, scoped like the pages) and recording a
contact (the same service as the page)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from chitra.core.api import IdCursor
from chitra.core.errors import ChitraError
from chitra.outreach import policy
from chitra.outreach import selectors as sel
from chitra.outreach.models import Assignment, Campaign, Contact, Outcome
from chitra.outreach.services import contact_record
from chitra.payment_methods.selectors import provider_by_code


class CanSeeCampaigns(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return policy.can_see_campaigns(request.user)


class CampaignSerializer(serializers.ModelSerializer):
    province_code = serializers.CharField(source="province.code")
    communes: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.username")

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "province_code",
            "communes",
            "start_date",
            "end_date",
            "created_by",
            "created_at",
        ]


class AssignmentSerializer(serializers.ModelSerializer):
    personal_id = serializers.CharField(source="beneficiary.personal_id", allow_null=True)
    si_number = serializers.CharField(source="beneficiary.si_number", allow_null=True)
    full_name = serializers.CharField(source="beneficiary.full_name")
    commune_code = serializers.CharField(source="commune.code")
    assigned_to = serializers.CharField(
        source="assigned_to.username", allow_null=True, default=None
    )

    class Meta:
        model = Assignment
        fields = [
            "id",
            "campaign",
            "beneficiary",
            "personal_id",
            "si_number",
            "full_name",
            "commune_code",
            "assigned_to",
            "status",
            "last_outcome",
            "last_contact_date",
            "follow_up_date",
        ]


class ContactInSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    channel = serializers.ChoiceField(
        choices=Contact.Channel.choices, default=Contact.Channel.VISIT
    )
    date = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.ChoiceField(
        choices=Contact.Reason.choices, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    provider_code = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=16,
        help_text="NAPAS BIN or provider code",
    )
    method = serializers.CharField(required=False, allow_blank=True, default="", max_length=16)
    number = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    holder_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=150
    )
    follow_up_date = serializers.DateField(required=False, allow_null=True, default=None)


class ContactSerializer(serializers.ModelSerializer):
    officer = serializers.CharField(source="officer.username")
    provider_code = serializers.CharField(source="provider.code", allow_null=True, default=None)

    class Meta:
        model = Contact
        fields = [
            "id",
            "assignment",
            "officer",
            "date",
            "channel",
            "outcome",
            "reason",
            "note",
            "provider_code",
            "method",
            "follow_up_date",
            "change_request",
        ]


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """Campaigns touching the caller's area."""

    permission_classes = [IsAuthenticated, CanSeeCampaigns]
    serializer_class = CampaignSerializer
    pagination_class = IdCursor
    queryset = Campaign.objects.none()

    def get_queryset(self) -> QuerySet[Campaign]:
        return sel.campaigns(self.request.user).prefetch_related(  # type: ignore[arg-type]
            "communes"
        )


@extend_schema(
    parameters=[
        OpenApiParameter("campaign", int),
        OpenApiParameter("status", str, enum=Assignment.Status.values),
        OpenApiParameter("outcome", str, enum=Outcome.values),
        OpenApiParameter("mine", bool),
    ]
)
class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Work-list entries of the caller's area (a provider: those given to its staff)."""

    permission_classes = [IsAuthenticated, CanSeeCampaigns]
    serializer_class = AssignmentSerializer
    pagination_class = IdCursor
    queryset = Assignment.objects.none()

    def get_queryset(self) -> QuerySet[Assignment]:
        p = self.request.query_params
        campaign = None
        if p.get("campaign", "").isdigit():
            campaign = sel.campaign_get(self.request.user, p["campaign"])  # type: ignore[arg-type]
        return sel.assignments(
            self.request.user,  # type: ignore[arg-type]
            campaign=campaign,
            status=p.get("status") or None,
            outcome=p.get("outcome") or None,
            mine=p.get("mine") in ("1", "true"),
        )

    @extend_schema(request=ContactInSerializer, responses={201: ContactSerializer})
    @action(detail=True, methods=["post"])
    def contact(self, request: Request, pk: str | None = None) -> Response:
        """Record a visit or call on this assignment (the same rules as the page)."""
        assignment = self.get_object()
        data = ContactInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        provider = None
        if d["provider_code"]:
            provider = provider_by_code(request.user, d["provider_code"])  # type: ignore[arg-type]
            if provider is None:
                return Response(
                    {"provider_code": ["unknown provider"]}, status=status.HTTP_400_BAD_REQUEST
                )
        try:
            contact = contact_record(
                actor=request.user,  # type: ignore[arg-type]
                assignment=assignment,  # type: ignore[arg-type]
                outcome=d["outcome"],
                channel=d["channel"],
                date=d["date"],
                reason=d["reason"],
                note=d["note"],
                provider=provider,
                method=d["method"],
                number=d["number"],
                holder_name=d["holder_name"],
                follow_up_date=d["follow_up_date"],
            )
        except ChitraError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)
