"""The audit actions of the checks against the population register, proof of life: code -> label.

The app registers them in the catalogue (chitra.core.audit_actions) when it is ready; an
audit event of an action not in the catalogue is refused."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "export.cleaning_queue": _("Cleaning work queue downloaded"),
    "export.proof_of_life": _("Proof-of-life list downloaded"),
    "export.recoveries": _("Amounts to recover downloaded"),
    "proof_of_life.counter_visit": _("Proof of life at the counter"),
    "proof_of_life.record": _("Proof of life recorded"),
    "proof_of_life.remind": _("Proof-of-life reminders sent"),
    "register.load": _("Population register extract loaded"),
    "verification.register.notify": _("Register notification received (deaths, corrections)"),
    "verification.register.on_search": _("Register search answer received"),
    "verification.register.on_subscribe": _("Register subscription confirmed"),
    "verification.register.subscribe": _("Subscribed to the register's events"),
    "verification.confirm_identity": _("Identity confirmed in person"),
    "verification.deceased.suspend": _("Entitlements suspended after a death in the register"),
    "verification.flag_register": _("Register entry flagged for correction"),
    "verification.link_candidate": _("Personal ID linked from the register"),
    "verification.list": _("List of people checked against the register"),
    "verification.merge": _("Duplicate records merged"),
    "verification.recovery.refresh": _("Amounts to recover worked out again"),
    "verification.run.finish": _("Check against the register finished"),
    "verification.run.start": _("Check against the register started"),
    "verification.suspension.reverse": _("Suspension reversed"),
    "verification.take_register_values": _("Values of the population register taken"),
    "verification.task.assign": _("Cleaning task assigned"),
}
