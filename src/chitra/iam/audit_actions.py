"""The audit actions of users, organisations, two-factor and API tokens: code -> label.

The app registers them in the catalogue (chitra.core.audit_actions) when it is ready; an
audit event of an action not in the catalogue is refused."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "iam.2fa.enrol": _("Two-factor authentication set up"),
    "iam.2fa.failed": _("Wrong two-factor code"),
    "iam.2fa.recovery_regenerate": _("New recovery codes made"),
    "iam.2fa.recovery_used": _("Recovery code used"),
    "iam.2fa.refused": _("Two-factor code refused while locked"),
    "iam.2fa.reset": _("Two-factor authentication reset"),
    "iam.api_token.create": _("API token created"),
    "iam.api_token.revoke": _("API token revoked"),
    "iam.oauth_client.create": _("OAuth2 machine client created"),
    "iam.oauth_client.revoke": _("OAuth2 machine client revoked"),
    "iam.organisation.save": _("Organisation created or changed"),
    "iam.user.password_change": _("Password changed"),
    "iam.user.save": _("User created or changed"),
}
