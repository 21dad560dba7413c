"""No function of ``src`` over 60 lines or cyclomatic complexity 15 without a comment saying why.

The check is the one ``make complexity`` prints (``scripts/dev/complexity.py``): radon's
figures per function; a function may stay over a limit only with a comment just above its
``def`` (or its decorators) starting with ``# over the limits:``.
"""

from __future__ import annotations

from pathlib import Path

from scripts.dev.complexity import MAX_COMPLEXITY, MAX_LINES, over_limits, source_over_limits

ROOT = Path(__file__).resolve().parents[2]

_CASES = [f"    if x == {i}:\n        return {i}" for i in range(MAX_COMPLEXITY + 1)]
_BRANCHY = "\n".join(["def branchy(x):", *_CASES])
_LONG = "\n".join(["def long():"] + [f"    a{i} = {i}" for i in range(MAX_LINES + 1)])


def _unexplained(rows: list) -> list:
    return [r for r in rows if not r.why]


BASELINE = Path(__file__).with_name("complexity_baseline.txt")


def _baseline() -> set[str]:
    lines = BASELINE.read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def _key(row) -> str:  # type: ignore[no-untyped-def]
    return f"{row.path.relative_to(ROOT).as_posix()}::{row.name}"


def test_every_function_over_the_limits_says_why() -> None:
    """A ratchet: the functions listed in the baseline (unexplained when the check became a test)
    may stay until they are split or explained; any other one fails."""
    missing = [r for r in _unexplained(over_limits([ROOT / "src"])) if _key(r) not in _baseline()]
    assert not missing, (
        f"{len(missing)} function(s) over {MAX_LINES} lines or complexity {MAX_COMPLEXITY} "
        "without a '# over the limits:' comment above the def (split them, or say why):\n"
        + "\n".join(f"  {r}" for r in missing)
    )


def test_the_baseline_only_shrinks() -> None:
    """A function of the baseline that was split or explained leaves the list."""
    still = {_key(r) for r in _unexplained(over_limits([ROOT / "src"]))}
    gone = sorted(_baseline() - still)
    assert not gone, "delete these lines of complexity_baseline.txt:\n" + "\n".join(gone)


def test_a_function_over_the_limits_without_a_why_is_found(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(f"{_BRANCHY}\n\n\n{_LONG}\n", encoding="utf-8")
    missing = _unexplained(over_limits([tmp_path]))
    assert [(r.name, r.path) for r in missing] == [("branchy", probe), ("long", probe)]
    assert missing[0].complexity == MAX_COMPLEXITY + 2
    assert missing[1].lines == MAX_LINES + 2


def test_the_why_comment_above_the_def_or_its_decorators_is_read() -> None:
    text = (
        "import functools\n\n\n"
        "# over the limits: one flat table of cases, read top to bottom\n"
        f"{_BRANCHY}\n\n\n"
        "# a plain comment is not a why\n"
        "@functools.cache\n"
        f"{_LONG}\n\n\n"
        "# over the limits: the layout of one page\n"
        "# (second line of the comment)\n"
        "@functools.cache\n"
        f"{_LONG.replace('def long', 'def explained')}\n"
    )
    rows = source_over_limits(Path("probe.py"), text)
    assert {r.name: r.why for r in rows} == {"branchy": True, "long": False, "explained": True}


def test_a_method_is_counted_once_with_its_class_name() -> None:
    text = "class Thing:\n" + "\n".join("    " + line for line in _LONG.splitlines()).replace(
        "def long():", "def long(self):"
    )
    rows = source_over_limits(Path("probe.py"), text + "\n")
    assert [(r.name, r.why) for r in rows] == [("Thing.long", False)]
