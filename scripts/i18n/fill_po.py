"""Fill the msgstr entries of a .po file from a dict (msgid -> translation).

Usage: python scripts/i18n/fill_po.py src/chitra/locale/vi/LC_MESSAGES/django.po \
           scripts/i18n/vi.py [scripts/i18n/vi_outreach.py ...]
Every table given is applied; prints the msgids still without a translation (or still fuzzy).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path


def _is_fuzzy(line: str) -> bool:
    return line.startswith("#,") and "fuzzy" in [f.strip() for f in line[2:].split(",")]


def _unfuzzy(line: str) -> str | None:
    """A flags line without "fuzzy" (None when nothing is left)."""
    if not _is_fuzzy(line):
        return line
    flags = [f.strip() for f in line[2:].split(",") if f.strip() and f.strip() != "fuzzy"]
    return "#, " + ", ".join(flags) if flags else None


def _unquote(lines: list[str]) -> str:
    return "".join(json.loads(line) for line in lines if line.strip().startswith('"'))


def fill(path: Path, table: dict[str, str]) -> list[str]:
    blocks_out = []
    missing = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = block.split("\n")
        starts = [k for k, line in enumerate(lines) if line.startswith("msgid ")]
        if not starts or "msgid_plural" in block:
            blocks_out.append(block)
            continue
        i = starts[0]
        j = next(k for k, line in enumerate(lines) if line.startswith("msgstr "))
        msgid = _unquote([lines[i][6:], *lines[i + 1 : j]])
        msgstr = _unquote([lines[j][7:], *lines[j + 1 :]])
        if msgid and msgid in table:
            tail = [line for line in lines[j + 1 :] if not line.strip().startswith('"')]
            head = [u for line in lines[:j] if not line.startswith("#|")
                    for u in [_unfuzzy(line)] if u is not None]
            block = "\n".join([*head, "msgstr " + json.dumps(table[msgid], ensure_ascii=False),
                               *tail])
        elif msgid and (not msgstr or any(_is_fuzzy(line) for line in lines)):
            missing.append(msgid)
        blocks_out.append(block)
    path.write_text("\n\n".join(blocks_out), encoding="utf-8")
    return missing


def main() -> None:
    table: dict[str, str] = {}
    for name in sys.argv[2:]:
        spec = importlib.util.spec_from_file_location("translations", name)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        table.update(module.VI)
    for msgid in fill(Path(sys.argv[1]), table):
        print("MISSING:", repr(msgid))


if __name__ == "__main__":
    main()
