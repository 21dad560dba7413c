"""Every demo role walks the site in a real browser (issue #16 item 7).

As each demo user, logged in as a person is (password, then the two-factor code where the role
needs it): every page of the menu, and pages one level deeper (at most `PER_ROUTE` of each route,
`DEEPER_PER_ROLE` in all), must

- load with no server error, and no menu link may answer 403 (the menu shows only what the user
  may open);
- hold no untranslated string: no English sentence of the message catalogue (a msgid whose
  Vietnamese differs) and no English or code word (the detector of tests/pages/vietnamese.py);
- have no serious or critical axe-core violation (axe-core from npm, `make node-tools`,
  injected by Playwright), WCAG 2.1 A and AA rules. Each route is checked once, by the first
  role that reaches it.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import _chitra, login

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ROLES = (
    "bhxh.admin",
    "bhxh.approver",
    "bhxh.officer",
    "bhxh.viewer",
    "kv1.officer",
    "ca.officer",
    "cax.officer",
    "ubndx.officer",
    "bank.officer",
    "post.officer",
    "momo.officer",
    "nhnn.viewer",
    "lanhdao.viewer",
)
PER_ROUTE = 1
DEEPER_PER_ROLE = 14
_SKIP = ("/static/", "/admin/", "/api/", "/accounts/", "/i18n/", "/logout")
_FILES = ("export", "download", "xlsx", "pdf", "csv", "zip", "/file", "print", "/raw")
_AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make node-tools` (npm ci, axe-core from package.json)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def english_sentences() -> list[str]:
    """The catalogue's English sentences that have a different Vietnamese text: one of them on
    a Vietnamese page is a string left untranslated."""
    import polib

    po = polib.pofile(str(ROOT / "src/chitra/locale/vi/LC_MESSAGES/django.po"))
    out = []
    for e in po:
        text = e.msgid
        if "%" in text or "{" in text or e.msgstr == text or not e.msgstr:
            continue
        if len(re.findall(r"[A-Za-z]{2,}", text)) >= 3:  # a sentence, not a word or an acronym
            out.append(" ".join(text.split()))
    return out


@pytest.fixture(scope="module")
def data_names(live_site) -> set[str]:
    """Words of the live site's data (bank, organisation and user names), as in the page test."""
    from tests.pages.vietnamese import data_words

    code = (
        "import json; from chitra.iam.models import User, Organisation; "
        "from chitra.payment_methods.models import Provider; "
        "n = list(User.objects.values_list('username', flat=True)); "
        "n += list(User.objects.values_list('full_name', flat=True)); "
        "n += list(Organisation.objects.values_list('name', flat=True)); "
        "n += [str(x) for r in Provider.objects.values_list('short_name', 'name', 'aliases') "
        "for x in r if x]; print(json.dumps(n))"
    )
    out = subprocess.run(
        [*_chitra(), "shell", "-c", code],
        env=live_site["env"],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return data_words(json.loads(out.stdout.strip().splitlines()[-1]))


def _route(path: str) -> str:
    """A path with its numbers and keys generalised: /beneficiaries/12/ -> /beneficiaries/N/."""
    return re.sub(r"/[0-9a-f-]{6,}(?=/|$)|/\d+(?=/|$)", "/N", path)


def _local_links(page, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")
    out = []
    for href in hrefs:
        if not href:
            continue
        link = urlsplit(href)
        if link.netloc or not link.path.startswith("/") or link.path.startswith(_SKIP):
            continue
        if any(x in link.path for x in _FILES):
            continue
        out.append(link.path + (f"?{link.query}" if link.query else ""))
    return list(dict.fromkeys(out))


class Crawl:
    def __init__(self, page, url: str, axe: str, sentences: list[str], names: set[str]) -> None:
        self.page, self.url, self.axe = page, url, axe
        self.sentences, self.names = sentences, names
        self.problems: list[str] = []
        self.checked_routes: set[str] = set()
        #: an axe violation of the shared layout is reported once, with the pages it is on
        self.axe_found: dict[tuple[str, str], list[str]] = {}

    def visit(self, who: str, path: str, *, from_menu: bool) -> bool:
        response = self.page.goto(self.url + path)
        status = response.status if response else 0
        if status == 403 and not from_menu:
            return False  # a link to an action the role may not take: the page says so
        if status != 200:
            self.problems.append(f"{who}: {path} answered {status}")
            return False
        if "text/html" not in (response.headers.get("content-type") or ""):
            return False
        self.read(who, path)
        route = _route(urlsplit(path).path)
        if route not in self.checked_routes:
            self.checked_routes.add(route)
            self.accessibility(who, path)
        return True

    def read(self, who: str, path: str) -> None:
        from tests.pages.vietnamese import read_page, suspect_words

        html = self.page.content()
        text = read_page(html).text
        for sentence in self.sentences:
            if sentence in text:
                self.problems.append(f"{who}: {path}: untranslated {sentence!r}")
        for f in suspect_words(text, self.names)[:3]:
            self.problems.append(f"{who}: {path}: English or code word {f.word!r}: …{f.context}…")

    def accessibility(self, who: str, path: str) -> None:
        # evaluated through the DevTools protocol: the pages' CSP (script-src 'self') forbids
        # an inline script tag, and it is not relaxed for the test
        self.page.evaluate(self.axe)
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", _AXE_TAGS
        )
        for v in result["violations"]:
            if v["impact"] not in ("serious", "critical"):
                continue
            for node in v["nodes"][:3]:
                key = (f"axe {v['id']} ({v['impact']}): {v['help']}", str(node["target"][0]))
                self.axe_found.setdefault(key, []).append(f"{who} {path}")

    def report(self) -> list[str]:
        out = list(self.problems)
        for (rule, target), pages in self.axe_found.items():
            out.append(f"{rule} on {target}, {len(pages)} pages: {', '.join(pages[:4])}")
        return out


def _walk(crawl: Crawl, who: str) -> None:
    page = crawl.page
    page.goto(crawl.url + "/")
    menu = _local_links(page, "nav a[href]")
    assert menu, f"{who}: no menu"
    crawl.visit(who, "/", from_menu=True)
    deeper: list[str] = []
    for path in menu:
        if crawl.visit(who, path, from_menu=True):
            deeper += _local_links(page, "main a[href]")
    seen = {_route(urlsplit(p).path) for p in menu} | {"/"}
    per_route: dict[str, int] = {}
    visited = 0
    for path in dict.fromkeys(deeper):
        route = _route(urlsplit(path).path)
        if route in seen or per_route.get(route, 0) >= PER_ROUTE:
            continue
        per_route[route] = per_route.get(route, 0) + 1
        crawl.visit(who, path, from_menu=False)
        visited += 1
        if visited >= DEEPER_PER_ROLE:
            break


def test_every_role_walks_the_site(page, live_site, axe_source, english_sentences, data_names):
    crawl = Crawl(page, live_site["url"], axe_source, english_sentences, data_names)
    for who in ROLES:
        login(page, live_site, who)
        _walk(crawl, who)
        page.context.clear_cookies()
    assert len(crawl.checked_routes) >= 20
    problems = crawl.report()
    assert not problems, "\n".join(problems)
