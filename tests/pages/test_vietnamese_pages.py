"""No English word and no code on a Vietnamese page, for every demo user (issue #13 item 8).

The demo of `make demo` (smaller) is built: people, the register, a verification run, a
payment cycle, reports. Then each demo user, logged in as they would be, walks the site from
the home page, following its links (pages only, at most a few of each route), and every
page's visible text is read for words that are not Vietnamese (tests/pages/vietnamese.py)."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from tests.auth import VerifiedClient
from tests.pages.vietnamese import data_words, read_page, suspect_words

#: pages of each route visited per user (the tenth beneficiary page reads as the first)
PER_ROUTE = 2
PAGES_PER_USER = 70
_SKIP_PREFIXES = ("/static/", "/admin/", "/api/", "/accounts/logout", "/i18n/")
_FILES = ("export", "download", "xlsx", "pdf", "csv", "zip", "/file", "print")


def _demo(tmp_path) -> None:
    register = tmp_path / "register.parquet"
    call_command("demo_data", beneficiaries=120, seed=7, register_out=register, verbosity=0)
    call_command("register_load", str(register), verbosity=0)
    call_command("verify", verbosity=0)
    call_command("demo_cycle", verbosity=0)
    call_command("demo_reports", verbosity=0)


def _allowed() -> set[str]:
    from chitra.iam.models import Organisation, User
    from chitra.payment_methods.models import Provider

    names: list[str] = list(User.objects.values_list("username", flat=True))
    names += User.objects.values_list("full_name", flat=True)
    names += Organisation.objects.values_list("name", flat=True)
    for row in Provider.objects.values_list("short_name", "name", "aliases"):
        names += [str(x) for x in row if x]
    return data_words(names)


def _crawl(user, allowed: set[str]) -> dict[str, list[str]]:
    client = VerifiedClient()
    client.force_login(user)
    per_route: dict[str, int] = defaultdict(int)
    seen: set[str] = set()
    queue = ["/"]
    found: dict[str, list[str]] = {}
    while queue and len(seen) < PAGES_PER_USER:
        url = queue.pop(0)
        path = urlsplit(url).path
        try:
            route = resolve(path).url_name or path
        except Resolver404:
            continue
        if url in seen or per_route[route] >= PER_ROUTE:
            continue
        seen.add(url)
        per_route[route] += 1
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = read_page(response.content.decode())
        for f in suspect_words(page.text, allowed):
            found.setdefault(f"{f.word!r} on {path}", [f.context])
        for href in page.links:
            link = urlsplit(href)
            if link.netloc or not link.path.startswith("/") or link.path.startswith(_SKIP_PREFIXES):
                continue
            if any(x in link.path for x in _FILES):
                continue
            queue.append(link.path + (f"?{link.query}" if link.query else ""))
    return found


@pytest.mark.django_db
def test_no_english_word_on_any_vietnamese_page_for_any_demo_user(tmp_path, settings) -> None:
    from chitra.iam.models import User

    settings.CHITRA_VAR_DIR = str(tmp_path)
    _demo(tmp_path)
    allowed = _allowed()
    users = User.objects.filter(is_active=True, is_system=False, organisation__isnull=False)
    assert users.count() >= 10
    problems: list[str] = []
    for user in users.order_by("username"):
        for where, contexts in _crawl(user, allowed).items():
            problems.append(f"{user.username}: {where}: …{contexts[0]}…")
    assert not problems, "English or code words on Vietnamese pages:\n" + "\n".join(
        sorted(set(problems))
    )
