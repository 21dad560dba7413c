from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "chitra.registry"
    label = "registry"
    verbose_name = _("Beneficiary registry")

    def ready(self) -> None:
        from chitra.core.access import ScopeSpec, register_scope
        from chitra.registry.models import Beneficiary, Entitlement, Representative

        # Money movers see their customers once payment methods exist (a later app registers
        # the provider path); until then they see no registry rows.
        register_scope(Beneficiary, ScopeSpec(commune_path="commune"))
        register_scope(Entitlement, ScopeSpec(commune_path="beneficiary__commune"))
        register_scope(Representative, ScopeSpec(commune_path="beneficiary__commune"))
