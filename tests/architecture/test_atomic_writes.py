"""Files are written whole in one place (issue #13, item 7): every rename into place goes
through ``chitra.kernel.files`` (``atomic_path``, ``atomic_files``, ``move_into_place``).
A call of ``os.replace``, ``os.rename``, ``shutil.move`` or ``Path.replace``/``Path.rename``
anywhere else in ``src`` fails, unless it is listed in ``EXCEPTIONS`` with the reason.

``Path.replace(target)`` is told from ``str.replace(old, new)`` by its one argument (a
string's takes two; ``date.replace`` takes keywords).
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "chitra"
HOME = "kernel/files.py"

#: "path::what": why that rename may stay (none today)
EXCEPTIONS: dict[str, str] = {}

_MODULE_CALLS = {("os", "replace"), ("os", "rename"), ("os", "renames"), ("shutil", "move")}


def renames(source: str, name: str = "<source>") -> list[str]:
    """Where `source` renames a file (``name:line what``)."""
    found = []
    for node in ast.walk(ast.parse(source, name)):
        if isinstance(node, ast.ImportFrom) and node.module in ("os", "shutil"):
            for alias in node.names:
                if (node.module, alias.name) in _MODULE_CALLS:
                    found.append(f"{name}:{node.lineno} imports {node.module}.{alias.name}")
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        func = node.func
        owner = func.value.id if isinstance(func.value, ast.Name) else None
        if (owner, func.attr) in _MODULE_CALLS:
            found.append(f"{name}:{node.lineno} {owner}.{func.attr}()")
        elif (
            func.attr in ("replace", "rename")
            and owner not in ("os", "shutil")
            and len(node.args) == 1
            and not node.keywords
        ):
            found.append(f"{name}:{node.lineno} .{func.attr}(target)")
    return found


def test_files_are_renamed_into_place_only_by_the_kernel() -> None:
    found = []
    for p in sorted(SRC.rglob("*.py")):
        rel = p.relative_to(SRC).as_posix()
        if rel == HOME or "migrations" in p.parts:
            continue
        for hit in renames(p.read_text(encoding="utf-8"), rel):
            path, rest = hit.split(":", 1)
            if f"{path}::{rest.split(' ', 1)[1]}" not in EXCEPTIONS:
                found.append(hit)
    assert found == [], (
        "write through chitra.kernel.files (atomic_path / atomic_files / move_into_place):\n"
        + "\n".join(found)
    )


def test_the_kernel_is_where_files_are_renamed() -> None:
    assert renames((SRC / HOME).read_text(encoding="utf-8"), HOME)


def test_the_check_finds_each_kind_of_rename() -> None:
    source = """
import os, shutil
from os import replace

def write(tmp, path, name, day):
    os.replace(tmp, path)
    os.rename(tmp, path)
    shutil.move(tmp, path)
    tmp.replace(path)
    Path(tmp).rename(path)
    name.replace("a", "b")
    day.replace(day=1)
    return name.replace("&", "&&")
"""
    kinds = [h.split(" ", 1)[1] for h in renames(source)]
    assert kinds == [
        "imports os.replace",
        "os.replace()",
        "os.rename()",
        "shutil.move()",
        ".replace(target)",
        ".rename(target)",
    ]
