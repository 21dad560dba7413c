from django.contrib import admin

from chitra.core.admin import ReadOnlyAdmin
from chitra.iam.models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "province", "provider_code"]
    list_filter = ["kind"]


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "full_name", "organisation", "role", "area_province", "is_active"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["username", "full_name"]
    exclude = ["password"]
