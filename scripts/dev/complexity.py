#!/usr/bin/env python3
"""Print the functions of ``src`` over 60 lines or cyclomatic complexity 15 (radon).

Information only (exit status 0). A function may stay over a limit when a comment just above
its ``def`` (or decorators) says why, starting with ``# over the limits:``; the report marks
those ``[why given]`` and counts the others.

Usage: ``scripts/dev/complexity.py [PATH ...]`` (default: ``src``, migrations left out).
"""

from __future__ import annotations

import sys
from pathlib import Path

from radon.complexity import cc_visit

MAX_LINES = 60
MAX_COMPLEXITY = 15
WHY = "# over the limits:"


def _why_given(lines: list[str], lineno: int) -> bool:
    i = lineno - 2  # the line above the def (0-based)
    while i >= 0 and lines[i].lstrip().startswith("@"):
        i -= 1
    while i >= 0 and lines[i].lstrip().startswith("#"):
        if lines[i].lstrip().startswith(WHY):
            return True
        i -= 1
    return False


def main(argv: list[str]) -> int:
    roots = [Path(a) for a in argv] or [Path("src")]
    rows, listed = [], set()
    for root in roots:
        for path in sorted(root.rglob("*.py") if root.is_dir() else [root]):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            lines = text.splitlines()
            for block in cc_visit(text):
                todo = [block, *getattr(block, "methods", [])]
                for b in todo:
                    if getattr(b, "is_method", None) is None and hasattr(b, "methods"):
                        continue  # a class: its methods are listed
                    if (path, b.lineno) in listed:
                        continue  # radon lists a method with its class and on its own
                    listed.add((path, b.lineno))
                    length = b.endline - b.lineno + 1
                    if length > MAX_LINES or b.complexity > MAX_COMPLEXITY:
                        rows.append((path, b, length, _why_given(lines, b.lineno)))
    unexplained = 0
    print(f"functions over {MAX_LINES} lines or complexity {MAX_COMPLEXITY} (radon):")
    for path, b, length, why in sorted(rows, key=lambda r: -r[1].complexity):
        unexplained += not why
        name = f"{b.classname}.{b.name}" if getattr(b, "classname", None) else b.name
        print(
            f"  {path}:{b.lineno} {name}: complexity {b.complexity}, {length} lines"
            + ("  [why given]" if why else "")
        )
    print(
        f"{len(rows)} over the limits, {unexplained} without a comment saying why "
        "(information only)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
