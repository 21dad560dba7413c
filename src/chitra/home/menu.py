"""The navigation bar: one list of pages, each shown to exactly the users its view answers.

A menu entry names a page (url name) and its label only. Who may open it is not written here:
it is read from the view itself (the `access_required` / `perm_required` test the view is
protected by, `chitra.iam.decorators.view_access`), so that the menu can never offer a page
that answers 403, nor hide one the user may open (tests/home/test_menu.py walks every demo
role through every entry)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chitra.home.policy import may_open, page_url

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
        url = page_url(entry.url_name)
        links.append(MenuLink(entry.key, url, entry.label, current=path.startswith(url)))
    return links
