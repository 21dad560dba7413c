"""Every selector is a read for a user: each public function of every ``<app>/selectors.py``
takes ``actor`` (a parameter that may be passed by keyword; the ones added for issue #13 are
keyword-only) and checks its scope with it.

Computations that are not reads for a user live beside them in other modules
(``disbursement/ledger.py``, ``grievances/stats.py``, ``payment_methods/in_force.py``); a
function that must stay in a selectors module without ``actor`` is listed in ``EXCEPTIONS``
with the reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "chitra"

#: "<app>/selectors.py::<function>": why it takes no actor (none today)
EXCEPTIONS: dict[str, str] = {}


def functions_without_actor(source: str) -> list[str]:
    """The public module-level functions of `source` with no parameter ``actor`` that a
    caller may pass by keyword (positional-only does not count)."""
    out = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if node.name.startswith("_"):
            continue
        names = {a.arg for a in (*node.args.args, *node.args.kwonlyargs)}
        if "actor" not in names:
            out.append(node.name)
    return out


def _selector_modules() -> list[Path]:
    return sorted(SRC.glob("*/selectors.py"))


def test_every_selector_takes_actor() -> None:
    missing = []
    for path in _selector_modules():
        key = path.relative_to(SRC).as_posix()
        for name in functions_without_actor(path.read_text(encoding="utf-8")):
            if f"{key}::{name}" not in EXCEPTIONS:
                missing.append(f"{key}::{name}")
    assert not missing, (
        "selectors without an `actor` parameter (give them one and check scope with "
        "chitra.iam.access.require_in_scope, or move a computation that is not a read for a "
        "user out of selectors.py):\n" + "\n".join(f"  {m}" for m in missing)
    )


def test_the_exceptions_are_still_needed() -> None:
    """An exception whose function took `actor` or left the module leaves the list."""
    still = {
        f"{p.relative_to(SRC).as_posix()}::{n}"
        for p in _selector_modules()
        for n in functions_without_actor(p.read_text(encoding="utf-8"))
    }
    assert not set(EXCEPTIONS) - still


def test_the_modules_are_found() -> None:
    names = {p.parent.name for p in _selector_modules()}
    assert {"disbursement", "grievances", "outreach", "payment_methods", "registry"} <= names


def test_the_checker_finds_a_selector_without_actor() -> None:
    snippet = """
def good(actor, pk): ...
def good_kw(cycle, *, actor): ...
def bad(cycle): ...
def bad_positional_only(actor, /, pk): ...
async def bad_async(ticket, *, user): ...
def _private(cycle): ...
class Row:
    def method(self): ...
"""
    assert functions_without_actor(snippet) == ["bad", "bad_positional_only", "bad_async"]
