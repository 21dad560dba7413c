"""The message catalogues: src/chitra/locale/<lang>/LC_MESSAGES/django.po is the source of the
translations (edited with the gettext tools; `make messages` refreshes it from the code and
keeps what is translated). Vietnamese is the default language: every entry is translated, none
is fuzzy, the placeholders agree, the catalogue holds exactly the strings of the code, and the
compiled .mo (built by `make venv`, never committed) is the .po's."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "chitra"
LOCALE = PACKAGE / "locale"
VI_PO = LOCALE / "vi" / "LC_MESSAGES" / "django.po"
#: a printf-style placeholder: %(name)s, %s, %d (not the literal %%)
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]")


def _vi() -> polib.POFile:
    return polib.pofile(str(VI_PO), wrapwidth=0)


def _key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def test_every_vietnamese_entry_is_translated_and_none_is_fuzzy():
    po = _vi()
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    obsolete = [e.msgid for e in po.obsolete_entries()]
    assert untranslated == [], f"translate in {VI_PO.relative_to(ROOT)}: {untranslated}"
    assert fuzzy == [], f"review (and remove the fuzzy flag) in {VI_PO.name}: {fuzzy}"
    assert obsolete == [], "make messages removes obsolete entries (--no-obsolete)"


def test_vietnamese_placeholders_are_those_of_the_english():
    wrong = []
    for e in _vi():
        if not e.translated():
            continue
        pairs = (
            [(e.msgid, e.msgstr)]
            if not e.msgid_plural
            else [(e.msgid_plural, s) for s in e.msgstr_plural.values()]
        )
        for msgid, msgstr in pairs:
            if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr)):
                wrong.append(msgid)
    assert wrong == []


def test_the_compiled_catalogue_is_the_po():
    for lang in ("vi", "en"):
        po_path = LOCALE / lang / "LC_MESSAGES" / "django.po"
        mo_path = po_path.with_suffix(".mo")
        assert mo_path.exists(), f"{mo_path.relative_to(ROOT)} missing: run make venv"
        want = {
            _key(e): e.msgstr
            for e in polib.pofile(str(po_path))
            if e.translated() and not e.msgid_plural and e.msgid
        }
        got = {
            _key(e): e.msgstr for e in polib.mofile(str(mo_path)) if e.msgid and not e.msgid_plural
        }
        assert got == want, f"{mo_path.relative_to(ROOT)} is stale: run make venv"


def test_the_catalogue_holds_exactly_the_strings_of_the_code(tmp_path):
    """makemessages run on a copy of the package: a string added to the code without `make
    messages` (shown in English to every user) or an entry whose string left the code fails."""
    assert shutil.which("xgettext"), "GNU gettext is needed: scripts/install-gettext.sh"
    copy = tmp_path / "chitra"
    shutil.copytree(
        PACKAGE, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo", "*.pyc")
    )
    settings = tmp_path / "locale_settings.py"
    settings.write_text(
        f"from chitra.settings import *  # noqa: F403\nLOCALE_PATHS = [{str(copy / 'locale')!r}]\n"
    )
    env = {
        **os.environ,
        "CHITRA_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "locale_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT / "src")]),
    }
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "vi",
            "--no-obsolete",
            "-i",
            "static/*",
        ],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    fresh = {_key(e) for e in polib.pofile(str(copy / "locale/vi/LC_MESSAGES/django.po"))}
    committed = {_key(e) for e in _vi()}
    assert sorted(fresh - committed) == [], "new strings in the code: run make messages"
    assert sorted(committed - fresh) == [], "strings no longer in the code: run make messages"
