from django.contrib import admin

from chitra.core.admin import ReadOnlyAdmin
from chitra.outreach.models import Assignment, Campaign, Contact, DeathReport


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["name", "province", "start_date", "end_date", "created_by"]
    list_select_related = ["province", "created_by"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "beneficiary", "commune", "assigned_to", "status", "last_outcome"]
    list_filter = ["status", "last_outcome"]
    list_select_related = ["campaign", "beneficiary", "commune", "assigned_to"]
    raw_id_fields = ["beneficiary"]


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "officer", "date", "channel", "outcome"]
    list_filter = ["channel", "outcome"]


@admin.register(DeathReport)
class DeathReportAdmin(ReadOnlyAdmin):
    list_display = ["beneficiary", "reported_by", "reported_at", "checked_at", "check_outcome"]
