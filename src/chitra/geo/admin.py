from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from chitra.core.admin import ReadOnlyAdmin
from chitra.geo.models import BhxhOffice, Commune, Province
from chitra.geo.services import commune_set_urban


@admin.register(Province)
class ProvinceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind"]
    search_fields = ["code", "name"]


@admin.register(Commune)
class CommuneAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "province", "is_urban"]
    list_filter = ["province", "kind", "is_urban"]
    search_fields = ["code", "name"]
    actions = ["mark_urban", "mark_rural"]

    def _set(self, request: Any, queryset: Any, value: bool) -> None:
        for commune in queryset:
            commune_set_urban(
                actor=request.user, commune=commune, is_urban=value, reason="django-admin"
            )
        messages.success(request, _("Updated."))

    @admin.action(description=_("Mark as urban"))
    def mark_urban(self, request: Any, queryset: Any) -> None:
        self._set(request, queryset, True)

    @admin.action(description=_("Mark as rural"))
    def mark_rural(self, request: Any, queryset: Any) -> None:
        self._set(request, queryset, False)


@admin.register(BhxhOffice)
class BhxhOfficeAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "province", "is_provincial"]
