"""The Django admin is a read-only window for superusers: every write goes through services
(and so through the audit trail). Actions that change data call those services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from chitra.core.models import AuditEvent, AuditSeal, Job


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = [
        "at",
        "actor_username",
        "organisation_name",
        "province",
        "action",
        "object_type",
        "object_id",
        "object_repr",
    ]
    list_filter = ["province", "action", "object_type"]
    list_select_related = ["province"]
    search_fields = ["actor_username", "object_id", "object_repr", "reason"]
    date_hierarchy = "at"


@admin.register(AuditSeal)
class AuditSealAdmin(ReadOnlyAdmin):
    list_display = ["seq", "event_id", "province_id", "hash", "sealed_at"]


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "status", "input_name", "created_by", "created_at"]
    list_filter = ["kind", "status"]
