"""API: complaints and fraud reports, scoped like the pages; recording one (officers, providers,
other systems) and working it (comment, route, status, resolve, reopen) through the same
services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from chitra.core.api import IdCursor
from chitra.core.errors import ChitraError
from chitra.geo.selectors import commune_named
from chitra.grievances import policy, services
from chitra.grievances import selectors as sel
from chitra.grievances.models import (
    Category,
    Priority,
    ReceivedVia,
    ResolutionCode,
    Source,
    Status,
    Ticket,
    TicketEvent,
)
from chitra.iam.selectors import organisation_named


class CanHandleComplaints(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return policy.can_see_tickets(request.user)


class TicketSerializer(serializers.ModelSerializer):
    beneficiary_personal_id = serializers.SerializerMethodField(
        help_text="masked: only the last 4 digits"
    )
    beneficiary_name = serializers.CharField(
        source="beneficiary.full_name", allow_null=True, default=None
    )
    commune_code = serializers.CharField(source="commune.code")
    commune_name = serializers.CharField(source="commune.name")
    payment_reference = serializers.CharField(
        source="payroll_line.reference", allow_null=True, default=None
    )
    routed_to_code = serializers.CharField(source="routed_to.code")
    routed_to_name = serializers.CharField(source="routed_to.name")
    copy_to_code = serializers.CharField(source="copy_to.code", allow_null=True, default=None)
    assigned_to = serializers.CharField(
        source="assigned_to.username", allow_null=True, default=None
    )
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "category",
            "source",
            "channel",
            "priority",
            "status",
            "description",
            "beneficiary",
            "beneficiary_personal_id",
            "beneficiary_name",
            "commune_code",
            "commune_name",
            "payment_reference",
            "reporter_name",
            "reporter_phone",
            "account_involved",
            "routed_to_code",
            "routed_to_name",
            "copy_to_code",
            "assigned_to",
            "received_on",
            "due_date",
            "overdue",
            "resolution_code",
            "resolution",
            "resolved_at",
            "created_at",
        ]

    def get_beneficiary_personal_id(self, obj: Ticket) -> str | None:
        return obj.masked_personal_id or None


class TicketEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username")
    from_org = serializers.CharField(source="from_org.code", allow_null=True, default=None)
    to_org = serializers.CharField(source="to_org.code", allow_null=True, default=None)

    class Meta:
        model = TicketEvent
        fields = [
            "id",
            "at",
            "actor",
            "kind",
            "from_org",
            "to_org",
            "from_status",
            "to_status",
            "note",
        ]


class TicketDetailSerializer(TicketSerializer):
    events = serializers.SerializerMethodField()

    class Meta(TicketSerializer.Meta):
        fields = [*TicketSerializer.Meta.fields, "events"]

    @extend_schema(responses=TicketEventSerializer(many=True))
    def get_events(self, obj: Ticket) -> list[dict[str, Any]]:
        events = sel.ticket_events(obj, actor=self.context["actor"])
        return TicketEventSerializer(events, many=True).data  # type: ignore


class TicketInSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices)
    description = serializers.CharField(max_length=4000)
    personal_id = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=12,
        help_text="the beneficiary's 12-digit personal ID",
    )
    commune_code = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=5,
        help_text="needed when no beneficiary is named",
    )
    payment_reference = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=35
    )
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=Source.choices, default=Source.API
    )
    channel = serializers.ChoiceField(choices=ReceivedVia.choices, default=ReceivedVia.API)
    reporter_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=150
    )
    reporter_phone = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20
    )
    priority = serializers.ChoiceField(
        choices=Priority.choices, required=False, allow_blank=True, default=""
    )
    account_involved = serializers.BooleanField(required=False, default=False)
    received_on = serializers.DateField(required=False, allow_null=True, default=None)


class ResolveInSerializer(serializers.Serializer):
    resolution_code = serializers.ChoiceField(choices=ResolutionCode.choices)
    resolution = serializers.CharField(max_length=4000)


class RouteInSerializer(serializers.Serializer):
    organisation_code = serializers.CharField(max_length=64)
    note = serializers.CharField(max_length=4000)


class NoteInSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000)


class StatusInSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=Status.choices, help_text="resolved and rejected: use resolve"
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


def _bad(message: str, field: str = "detail") -> Response:
    return Response(
        {field: [message] if field != "detail" else message}, status=status.HTTP_400_BAD_REQUEST
    )


@extend_schema(
    parameters=[
        OpenApiParameter("status", str, enum=[*Status.values, "active"]),
        OpenApiParameter("category", str, enum=Category.values),
        OpenApiParameter("overdue", bool),
        OpenApiParameter("mine", bool, description="routed to my organisation"),
        OpenApiParameter("q", str, description="ticket number, payment reference or personal ID"),
    ]
)
class TicketViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Complaints and fraud reports the caller may see; record one (source "api" by default)
    and work it. Opening one ticket is audited."""

    permission_classes = [IsAuthenticated, CanHandleComplaints]
    serializer_class = TicketSerializer
    pagination_class = IdCursor
    queryset = Ticket.objects.none()

    def get_queryset(self) -> QuerySet[Ticket]:
        p = self.request.query_params
        return sel.tickets(
            self.request.user,  # type: ignore[arg-type]
            status=p.get("status") or None,
            category=p.get("category") or None,
            overdue=p.get("overdue") in ("1", "true"),
            mine=p.get("mine") in ("1", "true"),
            q=p.get("q") or None,
        )

    def get_object(self) -> Ticket:
        return sel.ticket_get(self.request.user, self.kwargs["pk"])  # type: ignore[arg-type]

    def get_serializer_class(self) -> Any:
        return TicketDetailSerializer if self.action == "retrieve" else TicketSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ticket = sel.ticket_get(request.user, self.kwargs["pk"], audit=True)  # type: ignore[arg-type]
        return Response(TicketDetailSerializer(ticket, context={"actor": request.user}).data)

    def _out(self, ticket: Ticket, code: int = status.HTTP_200_OK) -> Response:
        """The ticket as it is after the write (the caller just acted on it)."""
        fresh = sel.ticket_after_write(self.request.user, ticket)  # type: ignore[arg-type]
        return Response(TicketSerializer(fresh).data, status=code)

    @extend_schema(request=TicketInSerializer, responses={201: TicketSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record a complaint; it is routed by its category (see the pages)."""
        user = request.user
        data = TicketInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        beneficiary = payroll_line = commune = None
        if d["personal_id"]:
            beneficiary = sel.beneficiary_by_personal_id(user, d["personal_id"])  # type: ignore
            if beneficiary is None:
                return _bad("no beneficiary you may see has this personal ID", "personal_id")
        if d["payment_reference"]:
            payroll_line = sel.payroll_line_by_reference(
                user,  # type: ignore[arg-type]
                d["payment_reference"],
            )
            if payroll_line is None:
                return _bad("no payment you may see has this reference", "payment_reference")
        if d["commune_code"]:
            commune = commune_named(user, code=d["commune_code"])  # type: ignore[arg-type]
            if commune is None:
                return _bad("unknown commune code", "commune_code")
        try:
            ticket = services.ticket_create(
                actor=user,  # type: ignore[arg-type]
                category=d["category"],  # type: ignore[arg-type]
                description=d["description"],
                commune=commune,
                beneficiary=beneficiary,
                payroll_line=payroll_line,
                source=d["source"],
                channel=d["channel"],
                reporter_name=d["reporter_name"],
                reporter_phone=d["reporter_phone"],
                priority=d["priority"] or None,
                account_involved=d["account_involved"],
                received_on=d["received_on"],
            )
        except ChitraError as exc:
            return _bad(str(exc))
        return self._out(ticket, status.HTTP_201_CREATED)

    @extend_schema(request=ResolveInSerializer, responses={200: TicketSerializer})
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        """Record the answer ("no_fault": not founded)."""
        ticket = self.get_object()
        data = ResolveInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            ticket = services.ticket_resolve(
                actor=request.user,  # type: ignore[arg-type]
                ticket=ticket,  # type: ignore[arg-type]
                resolution_code=data.validated_data["resolution_code"],
                resolution=data.validated_data["resolution"],
            )
        except ChitraError as exc:
            return _bad(str(exc))
        return self._out(ticket)

    @extend_schema(request=RouteInSerializer, responses={200: TicketSerializer})
    @action(detail=True, methods=["post"])
    def route(self, request: Request, pk: str | None = None) -> Response:
        """Send the ticket to another organisation (by its code)."""
        ticket = self.get_object()
        data = RouteInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        org = organisation_named(request.user, code=data.validated_data["organisation_code"])  # type: ignore[arg-type]
        if org is None:
            return _bad("unknown organisation code", "organisation_code")
        try:
            ticket = services.ticket_route(
                actor=request.user,  # type: ignore[arg-type]
                ticket=ticket,
                organisation=org,
                note=data.validated_data["note"],
            )
        except ChitraError as exc:
            return _bad(str(exc))
        return self._out(ticket)

    @extend_schema(request=NoteInSerializer, responses={201: TicketEventSerializer})
    @action(detail=True, methods=["post"])
    def comment(self, request: Request, pk: str | None = None) -> Response:
        """Add a note to the ticket's history."""
        ticket = self.get_object()
        data = NoteInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            event = services.ticket_comment(
                actor=request.user,  # type: ignore[arg-type]
                ticket=ticket,
                note=data.validated_data["note"],
            )
        except ChitraError as exc:
            return _bad(str(exc))
        return Response(TicketEventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StatusInSerializer, responses={200: TicketSerializer})
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk: str | None = None) -> Response:
        """Open / in progress / waiting for information; closed once answered."""
        ticket = self.get_object()
        data = StatusInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            ticket = services.ticket_set_status(
                actor=request.user,  # type: ignore[arg-type]
                ticket=ticket,  # type: ignore[arg-type]
                status=data.validated_data["status"],
                note=data.validated_data["note"],
            )
        except ChitraError as exc:
            return _bad(str(exc))
        return self._out(ticket)

    @extend_schema(request=NoteInSerializer, responses={200: TicketSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        """Open an answered ticket again."""
        ticket = self.get_object()
        data = NoteInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            ticket = services.ticket_reopen(
                actor=request.user,  # type: ignore[arg-type]
                ticket=ticket,
                note=data.validated_data["note"],
            )
        except ChitraError as exc:
            return _bad(str(exc))
        return self._out(ticket)
