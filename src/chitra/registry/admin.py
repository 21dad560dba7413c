from django.contrib import admin

from chitra.core.admin import ReadOnlyAdmin
from chitra.registry.models import Beneficiary, Entitlement


@admin.register(Beneficiary)
class BeneficiaryAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "personal_id", "si_number", "commune", "status"]
    search_fields = ["personal_id", "si_number"]
    list_select_related = ["commune"]


@admin.register(Entitlement)
class EntitlementAdmin(ReadOnlyAdmin):
    list_display = ["beneficiary", "benefit_type", "monthly_amount", "status"]
    list_filter = ["benefit_type", "status"]
