"""The shared layout meets WCAG 2.1 AA (issue #16 item 6): contrast computed from the CSS
values, the page's language, a skip link, visible focus, labelled fields, text in rem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.auth import VerifiedClient
from tests.home.a11y import contrast, css_rules, unlabelled_fields

CSS = Path(__file__).parents[2] / "src/chitra/static/chitra/chitra.css"
WHITE = "#ffffff"


@pytest.fixture(scope="module")
def rules() -> dict[str, dict[str, str]]:
    return css_rules(CSS.read_text())


def test_contrast_formula_matches_known_pairs() -> None:
    assert round(contrast("#000000", WHITE), 2) == 21.0
    assert round(contrast(WHITE, "#0d6efd"), 2) == 4.5  # Bootstrap's primary: just 4.5
    assert contrast("#777777", WHITE) < 4.5  # a grey that fails


def test_navbar_text_has_at_least_4_5_to_1(rules) -> None:
    nav = rules[".chitra-nav"]
    background = nav["background-color"]
    for prop in (
        "--bs-navbar-color",
        "--bs-navbar-hover-color",
        "--bs-navbar-active-color",
        "--bs-navbar-brand-color",
    ):
        assert nav[prop].startswith("#"), (prop, nav[prop])  # opaque, no rgba fading
        assert contrast(nav[prop], background) >= 4.5, prop
    assert contrast(rules[".chitra-nav .navbar-text"]["color"], background) >= 4.5


def test_buttons_and_links_have_at_least_4_5_to_1(rules) -> None:
    assert contrast(WHITE, rules[".btn-primary"]["--bs-btn-bg"]) >= 4.5
    assert contrast(WHITE, rules[".btn-primary"]["--bs-btn-hover-bg"]) >= 4.5
    assert contrast(rules[":root"]["--bs-link-color"], WHITE) >= 4.5
    assert contrast(rules[".btn-outline-primary"]["--bs-btn-color"], WHITE) >= 4.5


def test_focus_is_always_visible(rules) -> None:
    width, _style, colour = rules[":focus-visible"]["outline"].split()
    assert float(width.removesuffix("px")) >= 2
    assert contrast(colour, WHITE) >= 3  # non-text contrast on the page
    nav_focus = rules[".chitra-nav :focus-visible"]["outline-color"]
    assert contrast(nav_focus, rules[".chitra-nav"]["background-color"]) >= 3


def test_text_sizes_are_relative_and_the_menu_wraps(rules) -> None:
    sizes = [d["font-size"] for d in rules.values() if "font-size" in d]
    assert sizes and all(re.fullmatch(r"[\d.]+(rem|em|%)", s) for s in sizes), sizes
    heights = [d["height"] for d in rules.values() if "height" in d]
    assert all(not h.endswith("px") for h in heights), heights
    assert rules[".chitra-nav .navbar-collapse"]["flex-wrap"] == "wrap"


@pytest.mark.django_db
def test_layout_language_skip_link_and_labels(make_user) -> None:
    client = VerifiedClient()
    client.force_login(make_user())
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<html lang="vi">' in html
    body = html[html.index("<body") :]
    first_link = re.search(r"<a [^>]*>", body)
    assert first_link and 'href="#main"' in first_link[0] and "skip-link" in first_link[0]
    assert 'id="main"' in html
    assert 'aria-label="Trình đơn chính"' in html
    assert not unlabelled_fields(html)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_current_page_is_marked_in_the_menu(make_user) -> None:
    client = VerifiedClient()
    client.force_login(make_user())
    html = client.get("/beneficiaries/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    current = re.findall(r'<a class="nav-link active" href="([^"]+)"[^>]*aria-current="page"', html)
    assert current == ["/beneficiaries/"]
