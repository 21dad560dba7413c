"""REST API of the registry: the same selectors (and so the same scope) as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import BasePermission, IsAuthenticated

from chitra.iam.access import Perm, has_perm
from chitra.registry.models import Beneficiary, BenefitType, Entitlement, Representative
from chitra.registry.selectors import beneficiary_get, beneficiary_list


class CanViewRegistry(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return has_perm(request.user, Perm.REGISTRY_VIEW)


class EntitlementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Entitlement
        fields = [
            "id",
            "benefit_type",
            "monthly_amount",
            "start_month",
            "end_month",
            "paid_through",
            "status",
            "status_reason",
            "office",
        ]


class RepresentativeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Representative
        fields = [
            "id",
            "kind",
            "full_name",
            "personal_id",
            "relationship",
            "valid_from",
            "valid_to",
        ]


class BeneficiaryListSerializer(serializers.ModelSerializer):
    commune_code = serializers.CharField(source="commune.code", read_only=True)
    commune_name = serializers.CharField(source="commune.name", read_only=True)

    class Meta:
        model = Beneficiary
        fields = [
            "id",
            "personal_id",
            "si_number",
            "full_name",
            "birth_date",
            "birth_precision",
            "sex",
            "commune_code",
            "commune_name",
            "status",
        ]


class BeneficiaryDetailSerializer(BeneficiaryListSerializer):
    entitlements = EntitlementSerializer(many=True, read_only=True)
    representatives = RepresentativeSerializer(many=True, read_only=True)

    class Meta(BeneficiaryListSerializer.Meta):
        # the latest proof of life, its source and reference (due CHITRA_PROOF_OF_LIFE_MONTHS
        # later: ADR 0011)
        fields = [
            *BeneficiaryListSerializer.Meta.fields,
            "old_id",
            "address",
            "phone",
            "proof_of_life_on",
            "proof_of_life_source",
            "proof_of_life_ref",
            "entitlements",
            "representatives",
        ]


class NamePagination(CursorPagination):
    """By name; by id when searching inside names (the selector's own order)."""

    ordering = ("name_folded", "id")
    page_size = 50
    max_page_size = 500
    page_size_query_param = "page_size"

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> tuple[str, ...]:
        return tuple(queryset.query.order_by) or self.ordering


@extend_schema(
    parameters=[
        OpenApiParameter(
            "q",
            str,
            description="12-digit ID, 10-digit social insurance number, "
            "9-digit CMND, or part of the name (accents and case ignored)",
        ),
        OpenApiParameter("commune", int),
        OpenApiParameter("benefit_type", str, enum=BenefitType.values),
        OpenApiParameter("status", str, enum=Beneficiary.Status.values),
    ]
)
class BeneficiaryViewSet(viewsets.ReadOnlyModelViewSet):
    """Beneficiaries of the caller's area. Opening one record is audited."""

    permission_classes = [IsAuthenticated, CanViewRegistry]
    pagination_class = NamePagination
    queryset = Beneficiary.objects.none()

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return (
            BeneficiaryDetailSerializer if self.action == "retrieve" else BeneficiaryListSerializer
        )

    def get_queryset(self) -> QuerySet[Beneficiary]:
        p = self.request.query_params
        commune = p.get("commune")
        return beneficiary_list(
            self.request.user,  # type: ignore[arg-type]
            q=p.get("q"),
            commune_id=int(commune) if commune and commune.isdigit() else None,
            benefit_type=p.get("benefit_type") or None,
            status=p.get("status") or None,
        )

    def get_object(self) -> Beneficiary:
        return beneficiary_get(self.request.user, self.kwargs["pk"])  # type: ignore[arg-type]
