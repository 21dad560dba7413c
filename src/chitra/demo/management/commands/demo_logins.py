from __future__ import annotations

from typing import Any

from chitra.core.commands import ChitraCommand, require_demo_mode
from chitra.demo.iam import DEMO_PASSWORD
from chitra.iam.models import User
from chitra.iam.twofactor import base32_secret, confirmed_totp, needs_2fa


class Command(ChitraCommand):
    help = "Print the demo logins (user name, organisation, role, area)."

    def handle(self, *args: Any, **options: Any) -> None:
        require_demo_mode("demo_logins")
        users = (
            User.objects.filter(is_active=True, is_system=False, organisation__isnull=False)
            .select_related("organisation")
            .order_by("organisation__kind", "username")
        )
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        self.stdout.write(f"{'user':<18} {'role':<14} {'organisation':<45} area")
        secrets = []
        for u in users:
            self.stdout.write(
                f"{u.username:<18} {u.get_role_display():<14} "
                f"{str(u.organisation)[:45]:<45} {u.scope_label()}"
            )
            device = confirmed_totp(u) if needs_2fa(u) else None
            if device is not None:
                secrets.append((u.username, base32_secret(device)))
        if secrets:
            self.stdout.write("")
            self.stdout.write(
                "Two-factor (approvers, admins, banks, post, mobile money, "
                "e-wallets): add the secret to an authenticator app, or print "
                "the current code with: chitra totp_code USER"
            )
            for username, secret in secrets:
                self.stdout.write(f"{username:<18} {secret}")
        self.stdout.write("")
