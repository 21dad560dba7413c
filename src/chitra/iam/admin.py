from django.contrib import admin

from chitra.core.admin import ReadOnlyAdmin
from chitra.iam.models import OAuthClient, Organisation, User


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


@admin.register(OAuthClient)
class OAuthClientAdmin(ReadOnlyAdmin):
    list_display = ["client_id", "name", "user", "created_at", "revoked_at"]
    exclude = ["secret_digest"]
