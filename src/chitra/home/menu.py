"""The navigation bar: one list of pages, each shown to exactly the users its view answers.

A menu entry names a page (url name) and its label only. Who may open it is not written here:
it is read from the view itself (the `access_required` / `perm_required` test the view is
protected by, `chitra.iam.decorators.view_access`), so that the menu can never offer a page
that answers 403, nor hide one the user may open (tests/home/test_menu.py walks every demo
role through every entry)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.urls import resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chitra.iam.decorators import Predicate, view_access

if TYPE_CHECKING:
    from chitra.iam.models import User


@dataclass(frozen=True)
class MenuEntry:
    key: str
    url_name: str
    label: str | Promise


#: the pages of the navigation bar, in their order
MENU: tuple[MenuEntry, ...] = (
    MenuEntry("beneficiaries", "beneficiary_list", _("Beneficiaries")),
    MenuEntry("import", "beneficiary_import", _("Import")),
    MenuEntry("verification", "verification_runs", _("Verification")),
    MenuEntry("changes", "change_requests", _("Payment changes")),
    MenuEntry("outreach", "outreach_campaigns", _("Outreach")),
    MenuEntry("cycles", "cycle_list", _("Monthly payments")),
    MenuEntry("reports", "report_dashboard", _("Reports")),
    MenuEntry("complaints", "ticket_list", _("Complaints")),
    MenuEntry("audit", "audit_list", _("Audit")),
    MenuEntry("users", "user_admin_list", _("Users")),
    MenuEntry("privacy", "privacy_home", _("Personal data")),
    MenuEntry("api", "api_docs", "API"),
)


@cache
def _target(url_name: str) -> tuple[str, Predicate | None]:
    """The entry's address and the test of its view (None: any logged-in user)."""
    url = reverse(url_name)
    return url, view_access(resolve(url).func)


def may_open(user: Any, url_name: str) -> bool:
    """Whether `user` may open the page named `url_name` (its view's own test)."""
    if user is None or not user.is_authenticated:
        return False
    predicate = _target(url_name)[1]
    return predicate is None or bool(predicate(user))


@dataclass(frozen=True)
class MenuLink:
    key: str
    url: str
    label: str | Promise
    current: bool


def menu_for(user: User, path: str = "") -> list[MenuLink]:
    """The entries `user` may open, the one of the current page (`path`) marked."""
    links = []
    for entry in MENU:
        if not may_open(user, entry.url_name):
            continue
        url = _target(entry.url_name)[0]
        links.append(MenuLink(entry.key, url, entry.label, current=path.startswith(url)))
    return links
