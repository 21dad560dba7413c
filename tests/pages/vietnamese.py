"""What an officer reads on a Vietnamese page, and the English (or code) words in it.

A page's visible text is its text nodes and the attributes people read (``title``,
``placeholder``, ``aria-label``, ``alt``, button values), outside ``script``/``style`` and
outside what is marked as not to be translated: ``<code>``, ``<kbd>``, ``<samp>`` and any
element with the HTML attribute ``translate="no"`` (identifiers an officer types, such as an
audit action code in the audit filter).

A word is suspect when it is written in plain ASCII letters and cannot be a Vietnamese
syllable without its marks: a Vietnamese syllable is an optional initial consonant
(``b c ch d g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x``), one to three vowels and
an optional final (``c ch m n ng nh p t``). ``name``, ``dob``, ``status``, ``pending``,
``rows`` cannot be; ``tin``, ``cho``, ``theo`` can, so Vietnamese text typed without marks is
not flagged (nor are the few English words that happen to fit); single letters and letters
glued to digits (hashes, references) are not words either. Words joined by ``.``, ``_``,
``=`` or ``:`` (``outreach.contact.record``, ``rows=50``, ``cashless_share``) are codes and
are always suspect. Acronyms in capitals (``BHXH``, ``CCCD``, ``VND``) are not words."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

_INITIAL = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
_RHYME = r"[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?"
VIETNAMESE_SYLLABLE = re.compile(f"{_INITIAL}{_RHYME}", re.IGNORECASE)
#: a run of letters (any script), with the joiners of code: a.b, a_b, a=b, a:b
_WORD = re.compile(r"[^\W\d_]+(?:[._=:][^\W\d_]+)*")
_CODE_JOINER = re.compile(r"[._=:]")

#: words that Vietnamese pages use as they are: loanwords of everyday Vietnamese, file formats
#: people choose from, the product's name, the language switcher's own name for English
LOANWORDS = frozenset(
    {
        "chitra",
        "English",
        "email",
        "Email",
        "web",
        "website",
        "link",
        "online",
        "internet",
        "Excel",
        "xlsx",
        "xls",
        "ods",
        "csv",
        "pdf",
        "zip",
        "xml",
        "Zalo",
        "app",
        # "Mobile Money" is the name Vietnamese law gives the service (Quyết định 316/QĐ-TTg)
        "Mobile",
        "Money",
        # G2P Connect: the name of the standard the partners speak
        "Connect",
    }
)

_SKIP_TAGS = frozenset({"script", "style", "template", "code", "kbd", "samp"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_READ_ATTRS = ("title", "placeholder", "aria-label", "alt")


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is its content skipped
        self.parts: list[str] = []
        self.links: list[str] = []

    @property
    def skipping(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        skip = tag in _SKIP_TAGS or a.get("translate") == "no"
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if not skip and not self.skipping:
            self.parts.extend(a[k] for k in _READ_ATTRS if a.get(k))
            if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
                self.parts.append(a["value"])
        if tag not in _VOID:
            self.stack.append(skip)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


@dataclass(frozen=True)
class Page:
    text: str
    links: list[str]


def read_page(html: str) -> Page:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return Page(" ".join(" ".join(parser.parts).split()), parser.links)


@dataclass(frozen=True)
class Finding:
    word: str
    context: str


def suspect_words(text: str, allowed: Iterable[str] = ()) -> list[Finding]:
    """The English or code words of `text` (see the module's docstring); `allowed` are words of
    the data shown (names of banks, user names) that are not the page's own language."""
    ok = LOANWORDS | set(allowed)
    out: list[Finding] = []
    for m in _WORD.finditer(text):
        word = m.group()
        if len(word) == 1 or not word.isascii() or word in ok or word.isupper():
            continue
        if _in_reference(text, m.start(), m.end()):
            continue
        if text[m.end() : m.end() + 1] == "…":  # a shortened word
            continue
        if not _CODE_JOINER.search(word) and VIETNAMESE_SYLLABLE.fullmatch(word):
            continue
        context = text[max(0, m.start() - 50) : m.end() + 50]
        out.append(Finding(word, context))
    return out


def _in_reference(text: str, start: int, end: int) -> bool:
    """Letters that are part of a run with digits: a hash, a reference (KN-2026-000012,
    08202612-VNPTMONEY-MM-0), a commune code, a user name such as kv1.officer."""
    before = text[start - 1 : start]
    after = text[end : end + 1]
    return before.isdigit() or after.isdigit()


def data_words(names: Iterable[str]) -> set[str]:
    """The words (and whole dotted names) of data shown on pages: bank names, user names."""
    words: set[str] = set()
    for name in names:
        words.update(_WORD.findall(name))
        words.update(re.findall(r"[^\W\d_]+", name))
    return words
