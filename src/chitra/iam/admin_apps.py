"""django.contrib.admin with chitra's admin site as the default one (its own module, so that
chitra.iam.apps keeps a single AppConfig)."""

from django.contrib.admin.apps import AdminConfig


class ChitraAdminConfig(AdminConfig):
    """Every `@admin.register` lands on a site that needs a superuser verified by 2FA."""

    default_site = "chitra.iam.admin_site.ChitraAdminSite"
