#!/usr/bin/env python3
"""Move Python modules and rewrite every reference to them (a developer's tool of the redesign).

Usage::

    scripts/dev/move_modules.py MAPFILE [--no-move]

``MAPFILE`` holds one move per line, ``old.dotted.module new.dotted.module`` (``#`` starts a
comment). With ``--no-move`` only the references are rewritten: run it that way on a branch that
was cut before the moves, so that its own import lines read like the moved tree's before a merge.

References rewritten, in ``src``, ``tests``, ``bench``, ``scripts``, ``docs`` and the project's
top-level files: dotted names (``from chitra.kernel.names import x``, ``"chitra.kernel.names.x"`` in
patches and settings), ``from chitra.core import names`` (when ``chitra.kernel.names`` moves), and
file paths (``src/chitra/kernel/names.py``). The longest matching old name wins.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCAN = ("src", "tests", "bench", "scripts", "docs")
TOP = ("pyproject.toml", "Makefile", "README.md", ".importlinter", "setup.cfg")
SUFFIXES = {".py", ".md", ".toml", ".cfg", ".ini", ".txt", ".html", ".sh", ".yml", ".yaml"}


def read_map(path: Path) -> list[tuple[str, str]]:
    moves = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        old, new = line.split()
        moves.append((old, new))
    # Longest first so that chitra.engine.payfiles.x is not taken by chitra.engine.
    return sorted(moves, key=lambda m: -len(m[0]))


def module_file(dotted: str) -> Path:
    base = ROOT / "src" / Path(*dotted.split("."))
    return base if base.is_dir() else base.with_suffix(".py")


def move_files(moves: list[tuple[str, str]]) -> None:
    for old, new in moves:
        src = module_file(old)
        if not src.exists():
            print(f"skip (absent): {old}", file=sys.stderr)
            continue
        dst_base = ROOT / "src" / Path(*new.split("."))
        dst = dst_base if src.is_dir() else dst_base.with_suffix(".py")
        dst.parent.mkdir(parents=True, exist_ok=True)
        pkg = dst.parent
        while pkg != ROOT / "src" and not (pkg / "__init__.py").exists():
            (pkg / "__init__.py").write_text('"""chitra package."""\n', encoding="utf-8")
            subprocess.run(["git", "add", str(pkg / "__init__.py")], cwd=ROOT, check=True)
            pkg = pkg.parent
        subprocess.run(["git", "mv", str(src), str(dst)], cwd=ROOT, check=True)


def rewriter(moves: list[tuple[str, str]]):
    dotted = re.compile(r"(?<![\w.])(" + "|".join(re.escape(o) for o, _ in moves) + r")(?![\w])")
    table = dict(moves)
    from_pkg = re.compile(r"^(\s*from\s+)([\w.]+)(\s+import\s+)(\w+)(\s*(?:as\s+\w+)?\s*)$", re.M)
    paths = [
        ("src/" + o.replace(".", "/") + ".py", "src/" + n.replace(".", "/") + ".py")
        for o, n in moves
    ]

    def fix_from(m: re.Match[str]) -> str:
        full = f"{m.group(2)}.{m.group(4)}"
        if full not in table:
            return m.group(0)
        new_pkg, _, new_mod = table[full].rpartition(".")
        alias = m.group(5)
        if new_mod != m.group(4) and "as" not in alias:
            alias = f" as {m.group(4)}" + alias
        return f"{m.group(1)}{new_pkg}{m.group(3)}{new_mod}{alias}"

    def rewrite(text: str) -> str:
        text = from_pkg.sub(fix_from, text)
        text = dotted.sub(lambda m: table[m.group(1)], text)
        for old, new in paths:
            text = text.replace(old, new)
        return text

    return rewrite


def files() -> list[Path]:
    out = [ROOT / t for t in TOP if (ROOT / t).exists()]
    for d in SCAN:
        for p in (ROOT / d).rglob("*"):
            # the locale catalogues and the move maps themselves are never rewritten
            if (
                p.is_file()
                and p.suffix in SUFFIXES
                and "/locale/" not in str(p)
                and "docs/redesign/" not in str(p)
            ):
                out.append(p)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("mapfile", type=Path)
    ap.add_argument("--no-move", action="store_true")
    args = ap.parse_args()
    moves = read_map(args.mapfile)
    if not args.no_move:
        move_files(moves)
    rewrite = rewriter(moves)
    changed = 0
    for p in files():
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        new = rewrite(text)
        if new != text:
            p.write_text(new, encoding="utf-8")
            changed += 1
    print(f"{len(moves)} moves, {changed} files rewritten")
    ruff = ROOT / ".venv" / "bin" / "ruff"
    if ruff.exists():  # the rewritten import blocks are re-sorted as the project's ruff wants
        subprocess.run([str(ruff), "check", "--fix", "--select", "I", "-q", "."], cwd=ROOT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
