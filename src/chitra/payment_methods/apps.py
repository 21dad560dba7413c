from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentMethodsConfig(AppConfig):
    name = "chitra.payment_methods"
    label = "payment_methods"
    verbose_name = _("Payment methods and accounts")

    def ready(self) -> None:
        from chitra.core.scopes import ScopeSpec, register_scope
        from chitra.payment_methods.models import Account, ChangeRequest, PaymentMethod
        from chitra.registry.models import Beneficiary, Entitlement, Representative

        # Money movers see the beneficiaries that hold an account with them.
        provider_path = "accounts__provider__code"
        register_scope(Beneficiary, ScopeSpec(commune_path="commune", provider_path=provider_path))
        register_scope(
            Entitlement,
            ScopeSpec(
                commune_path="beneficiary__commune", provider_path="beneficiary__" + provider_path
            ),
        )
        register_scope(
            Representative,
            ScopeSpec(
                commune_path="beneficiary__commune", provider_path="beneficiary__" + provider_path
            ),
        )
        register_scope(
            Account, ScopeSpec(commune_path="beneficiary__commune", provider_path="provider__code")
        )
        register_scope(
            PaymentMethod,
            ScopeSpec(commune_path="beneficiary__commune", provider_path="account__provider__code"),
        )
        register_scope(
            ChangeRequest,
            ScopeSpec(commune_path="beneficiary__commune", provider_path="provider__code"),
        )

        # how people are paid this month, for verification's proof of life (its port)
        from chitra.payment_methods.in_force import paid_into_account
        from chitra.verification import ports as verification_ports

        verification_ports.paid_into_account.register(paid_into_account)

        from chitra.core.audit_actions import register_actions
        from chitra.payment_methods.audit_actions import ACTIONS

        register_actions(ACTIONS)
