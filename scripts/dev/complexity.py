#!/usr/bin/env python3
"""Print the functions of ``src`` over 60 lines or cyclomatic complexity 15 (radon).

Information only (exit status 0). A function may stay over a limit when a comment just above
its ``def`` (or decorators) says why, starting with ``# over the limits:``; the report marks
those ``[why given]`` and counts the others. ``tests/architecture/test_complexity.py`` runs the
same check (``over_limits``) and fails on a function over the limits without that comment.

Usage: ``scripts/dev/complexity.py [PATH ...]`` (default: ``src``, migrations left out).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from radon.complexity import cc_visit

MAX_LINES = 60
MAX_COMPLEXITY = 15
WHY = "# over the limits:"


@dataclass(frozen=True)
class OverLimit:
    """One function over a limit: where it is, its figures, and whether a comment says why."""

    path: Path
    lineno: int
    name: str
    complexity: int
    lines: int
    why: bool

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.lineno} {self.name}: complexity {self.complexity}, "
            f"{self.lines} lines" + ("  [why given]" if self.why else "")
        )


def _why_given(lines: list[str], lineno: int) -> bool:
    i = lineno - 2  # the line above the def (0-based)
    while i >= 0 and lines[i].lstrip().startswith("@"):
        i -= 1
    while i >= 0 and lines[i].lstrip().startswith("#"):
        if lines[i].lstrip().startswith(WHY):
            return True
        i -= 1
    return False


def _python_files(roots: Iterable[Path]) -> Iterable[Path]:
    for root in roots:
        for path in sorted(root.rglob("*.py") if root.is_dir() else [root]):
            if "migrations" not in path.parts:
                yield path


def source_over_limits(path: Path, text: str) -> list[OverLimit]:
    """The functions and methods of one source text over 60 lines or complexity 15."""
    lines = text.splitlines()
    rows, seen = [], set()
    for block in cc_visit(text):
        for b in [block, *getattr(block, "methods", [])]:
            if getattr(b, "is_method", None) is None and hasattr(b, "methods"):
                continue  # a class: its methods are listed
            if b.lineno in seen:
                continue  # radon lists a method with its class and on its own
            seen.add(b.lineno)
            length = b.endline - b.lineno + 1
            if length > MAX_LINES or b.complexity > MAX_COMPLEXITY:
                name = f"{b.classname}.{b.name}" if getattr(b, "classname", None) else b.name
                why = _why_given(lines, b.lineno)
                rows.append(OverLimit(path, b.lineno, name, b.complexity, length, why))
    return rows


def over_limits(roots: Iterable[Path]) -> list[OverLimit]:
    """Every function of the ``.py`` files under ``roots`` (migrations left out) over a limit,
    the most complex first."""
    rows = [
        row
        for path in _python_files(roots)
        for row in source_over_limits(path, path.read_text(encoding="utf-8"))
    ]
    return sorted(rows, key=lambda r: (-r.complexity, str(r.path), r.lineno))


def main(argv: list[str]) -> int:
    rows = over_limits([Path(a) for a in argv] or [Path("src")])
    print(f"functions over {MAX_LINES} lines or complexity {MAX_COMPLEXITY} (radon):")
    for row in rows:
        print(f"  {row}")
    unexplained = sum(not r.why for r in rows)
    print(
        f"{len(rows)} over the limits, {unexplained} without a comment saying why "
        "(information only)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
