"""Fill the msgstr entries of a .po file from a dict (msgid -> translation).

Usage: python scripts/i18n/fill_po.py src/chitra/locale/vi/LC_MESSAGES/django.po scripts/i18n/vi.py
Prints the msgids still without a translation.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path


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
            head = [line for line in lines[:j] if line != "#, fuzzy" and not line.startswith("#|")]
            block = "\n".join([*head, "msgstr " + json.dumps(table[msgid], ensure_ascii=False),
                               *tail])
        elif msgid and (not msgstr or "#, fuzzy" in lines):
            missing.append(msgid)
        blocks_out.append(block)
    path.write_text("\n\n".join(blocks_out), encoding="utf-8")
    return missing


def main() -> None:
    spec = importlib.util.spec_from_file_location("translations", sys.argv[2])
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for msgid in fill(Path(sys.argv[1]), module.VI):
        print("MISSING:", repr(msgid))


if __name__ == "__main__":
    main()
