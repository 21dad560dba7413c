"""The menu of each demo role: every link it shows opens (200), every page it hides answers 403
to that role (issue #16 item 1); the menu is read from the views' own access tests."""

from __future__ import annotations

import re

import pytest

from chitra.home.menu import MENU, menu_for
from chitra.home.policy import may_open
from chitra.iam.decorators import view_access
from tests.auth import VerifiedClient
from tests.home.a11y import unlabelled_fields

_LINK = re.compile(r'<a class="nav-link[^"]*" href="([^"]+)" data-testid="menu-([\w-]+)"')


@pytest.fixture
def demo_users(system, tq):
    from chitra.demo.iam import ensure_demo_org_users
    from chitra.iam.models import User

    logins = ensure_demo_org_users(actor=system, province=tq)
    return [User.objects.get(username=login.username) for login in logins]


def _menu_links(client) -> dict[str, str]:
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200
    return {key: href for href, key in _LINK.findall(page.content.decode())}


@pytest.mark.django_db
def test_every_menu_link_opens_and_every_hidden_page_refuses_for_each_demo_role(demo_users):
    assert len(demo_users) >= 10
    entries = {e.key: e for e in MENU}
    problems = []
    for user in demo_users:
        client = VerifiedClient()
        client.force_login(user)
        shown = _menu_links(client)
        assert set(shown) <= set(entries), shown
        for key, entry in entries.items():
            from django.urls import reverse

            url = reverse(entry.url_name)
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
            status = response.status_code
            if key in shown:
                assert shown[key] == url
                if status != 200:
                    problems.append(f"{user.username}: menu link {url} answers {status}")
                elif "text/html" in response.get("Content-Type", ""):
                    for field in unlabelled_fields(response.content.decode()):
                        problems.append(f"{user.username}: {url}: no label for {field}")
            elif status != 403:
                problems.append(f"{user.username}: {url} hidden from the menu answers {status}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_menus_differ_by_role(demo_users):
    by_name = {u.username: {link.key for link in menu_for(u)} for u in demo_users}
    assert {"beneficiaries", "import", "verification", "cycles", "audit", "users"} <= by_name[
        "bhxh.admin"
    ]
    leadership = by_name["lanhdao.viewer"]
    assert "reports" in leadership
    assert not leadership & {"beneficiaries", "import", "verification", "outreach", "changes"}
    bank = by_name["bank.officer"]
    assert {"beneficiaries", "cycles", "complaints"} <= bank
    assert not bank & {"import", "verification", "reports", "audit", "outreach"}
    police = by_name["cax.officer"]
    assert {"beneficiaries", "verification", "outreach"} <= police
    assert not police & {"import", "cycles", "audit", "users"}
    assert "import" not in by_name["bhxh.viewer"]


@pytest.mark.django_db
def test_the_menu_asks_the_view_itself(demo_users):
    """No second copy of the rules: each entry's test is the one its view is protected by,
    and a view without one is open to every logged-in user."""
    from django.urls import resolve, reverse

    for entry in MENU:
        predicate = view_access(resolve(reverse(entry.url_name)).func)
        for user in demo_users:
            expected = True if predicate is None else bool(predicate(user))
            assert may_open(user, entry.url_name) is expected


def test_anonymous_has_no_menu(client, db):
    page = client.get("/accounts/login/")
    assert 'data-testid="menu-' not in page.content.decode()
