"""The catalogue of audit actions: every action an audit event may carry, with its label.

One place: each app declares its actions (code -> label, through gettext_lazy) in its
`audit_actions.py` and registers them here from `AppConfig.ready()`. `audit_record` and
`audit_bulk` refuse an action that is not registered, so that a typo never writes an event no
filter finds, and every event is named in words on the audit page, in its export and in a
person's dossier. A code is dotted lower-case words: `<area>.<object>.<verb>`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CODE = re.compile(r"[a-z0-9_]+(\.[a-z0-9_]+)+")

#: the actions of chitra.core (jobs, the audit trail itself)
ACTIONS = {
    "export.audit": _("Audit trail downloaded"),
    "export.job_errors": _("Error list of a background job downloaded"),
    "job.create": _("Background job started"),
    "job.rerun": _("Background job run again"),
    "job.resume": _("Background job taken up again after its worker stopped"),
    "job.stale": _("Background job stopped with its worker"),
}

_CATALOGUE: dict[str, str | Promise] = {}


class UnregisteredAction(ValueError):
    """An audit event of an action that no app registered."""


def register_actions(actions: Mapping[str, str | Promise]) -> None:
    """Add an app's actions to the catalogue (from its `AppConfig.ready()`). Registering the
    same label again does nothing; a code registered by two apps is an error (one owner)."""
    for code, label in actions.items():
        if not CODE.fullmatch(code):
            raise ImproperlyConfigured(f"audit action {code!r}: dotted lower-case words")
        known = _CATALOGUE.get(code)
        if known is not None and known is not label:
            raise ImproperlyConfigured(f"audit action {code!r} registered twice")
        _CATALOGUE[code] = label


def require_action(code: str) -> str:
    """`code` if it is registered, else UnregisteredAction."""
    if code not in _CATALOGUE:
        raise UnregisteredAction(
            f"audit action {code!r} is not registered: add it to the ACTIONS of the app's "
            "audit_actions.py"
        )
    return code


def action_label(code: str) -> str:
    """The label of an action in the active language; the code itself for an action no longer
    registered (an event recorded by an older version)."""
    label = _CATALOGUE.get(code)
    return str(label) if label is not None else code


def registered_actions() -> dict[str, str | Promise]:
    """code -> label of every registered action, sorted by code."""
    return dict(sorted(_CATALOGUE.items()))
