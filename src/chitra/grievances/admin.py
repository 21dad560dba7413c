from django.contrib import admin

from chitra.core.admin import ReadOnlyAdmin
from chitra.grievances.models import Ticket, TicketEvent


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "category",
        "commune",
        "routed_to",
        "status",
        "priority",
        "received_on",
        "due_date",
        "resolved_at",
    ]
    list_filter = ["status", "category", "priority"]
    list_select_related = ["commune", "routed_to"]
    search_fields = ["number"]
    raw_id_fields = ["beneficiary", "payroll_line"]


@admin.register(TicketEvent)
class TicketEventAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "at", "actor", "kind", "from_org", "to_org", "to_status"]
    list_filter = ["kind"]
    list_select_related = ["ticket", "actor", "from_org", "to_org"]
