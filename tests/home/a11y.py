"""Small accessibility checks on a page's HTML and on the site's CSS (WCAG 2.1 AA): form
fields with a label, the contrast ratio of two colours (WCAG's relative luminance)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIP_TYPES = {"hidden", "submit", "button", "reset", "image"}


class _Fields(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[dict[str, str]] = []
        self.label_for: set[str] = set()
        self.ids: set[str] = set()
        self._in_label = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "label":
            self._in_label += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        elif tag in ("input", "select", "textarea"):
            if tag == "input" and a.get("type", "text") in _SKIP_TYPES:
                return
            a["_tag"], a["_wrapped"] = tag, "1" if self._in_label else ""
            self.fields.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._in_label:
            self._in_label -= 1


def unlabelled_fields(html: str) -> list[str]:
    """The form fields of `html` that no label names (label for=, a wrapping label,
    aria-label, aria-labelledby or title)."""
    p = _Fields()
    p.feed(html)
    out = []
    for f in p.fields:
        if f["_wrapped"] or f.get("aria-label", "").strip() or f.get("title", "").strip():
            continue
        if f.get("aria-labelledby") and all(i in p.ids for i in f["aria-labelledby"].split()):
            continue
        if f.get("id") and f["id"] in p.label_for:
            continue
        out.append(f"<{f['_tag']} name={f.get('name', '')!r} id={f.get('id', '')!r}>")
    return out


def _channel(c: float) -> float:
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    h = colour.strip().lstrip("#")
    if len(h) == 3:
        h = "".join(ch * 2 for ch in h)
    r, g, b = (int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def css_rules(css: str) -> dict[str, dict[str, str]]:
    """selector -> {property: value} of a flat stylesheet (comments and @media dropped)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", css)
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        decls = {
            k.strip(): v.strip() for k, v in (d.split(":", 1) for d in body.split(";") if ":" in d)
        }
        for sel in selectors.split(","):
            rules.setdefault(" ".join(sel.split()), {}).update(decls)
    return rules
