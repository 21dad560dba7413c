"""The audit actions of personal-data protection: code -> label.

The app registers them in the catalogue (chitra.core.audit_actions) when it is ready; an
audit event of an action not in the catalogue is refused."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "privacy.breach.close": _("Personal-data breach closed"),
    "privacy.breach.create": _("Personal-data breach recorded"),
    "privacy.breach.notify": _("Personal-data breach notified"),
    "privacy.breach.update": _("Personal-data breach updated"),
    "privacy.correction.approve": _("Correction approved"),
    "privacy.correction.create": _("Correction requested"),
    "privacy.correction.reject": _("Correction rejected"),
    "privacy.request.acknowledge": _("Data-subject request acknowledged"),
    "privacy.request.complete": _("Data-subject request answered"),
    "privacy.request.create": _("Data-subject request recorded"),
    "privacy.request.extend": _("Answer to a data-subject request postponed"),
    "privacy.request.refuse": _("Data-subject request refused"),
    "privacy.retention.purge": _("Data past its retention period deleted"),
    "privacy.retention.purge.dry_run": _(
        "Deletion of data past its retention period tried (nothing deleted)"
    ),
    "privacy.subject.export": _("Data handed out (export)"),
    "privacy.subject.lookup": _("Person looked up for a data-subject request"),
    "privacy.subject.view": _("Opened for a data-subject request"),
}
