"""docs/conformance/README.md lists every conformance page, and each page has the test the
index names, a test that reads the page."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "conformance"
ROW = re.compile(r"^\| \[([\w.-]+\.md)\]\(\1\) \|.*\| `(tests/[\w/]+\.py)` \|$", re.MULTILINE)


def test_every_page_is_listed_with_a_test_that_reads_it() -> None:
    rows = dict(ROW.findall((DOCS / "README.md").read_text("utf-8")))
    pages = {p.name for p in DOCS.glob("*.md") if p.name != "README.md"}
    assert set(rows) == pages
    for page, test in rows.items():
        path = ROOT / test
        assert path.exists(), f"{page}: {test} does not exist"
        assert page in path.read_text("utf-8"), f"{test} does not read docs/conformance/{page}"


def test_the_end_to_end_tests_named_exist() -> None:
    text = (DOCS / "README.md").read_text("utf-8")
    for ref in re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", text):
        path = ROOT / ref[0]
        assert path.exists(), ref[0]
        if ref[1]:
            assert f"def {ref[1]}(" in path.read_text("utf-8"), ref
