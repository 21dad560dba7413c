"""docs/conformance/pain002.md stays true: every element path it lists exists in the
pain.002.001.10 schema, and it names every element the reader reads."""

from __future__ import annotations

import re
from pathlib import Path

import xmlschema

from chitra.engine.iso20022 import pain002

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "conformance" / "pain002.md"
XSD = ROOT / "tests" / "data" / "iso20022" / "pain.002.001.10.xsd"
ROW = re.compile(r"^\| `([A-Za-z/]+)` \|", re.MULTILINE)


def _paths() -> set[str]:
    """Every element path under CstmrPmtStsRpt in the schema (depth-limited)."""
    schema = xmlschema.XMLSchema(str(XSD))
    [root] = schema.elements["Document"].type.content.iter_elements()  # CstmrPmtStsRpt
    found: set[str] = set()

    def walk(elem, prefix: str, depth: int) -> None:
        kind = getattr(elem, "type", None)
        if depth > 8 or kind is None or not kind.is_complex() or kind.content is None:
            return
        if not hasattr(elem.type.content, "iter_elements"):
            return  # simple content (an amount with its currency)
        for child in elem.type.content.iter_elements():
            name = child.local_name
            path = f"{prefix}/{name}" if prefix else name
            found.add(path)
            walk(child, path, depth + 1)

    walk(root, "", 0)
    return found


def test_every_element_of_the_page_is_in_the_schema() -> None:
    listed = ROW.findall(DOC.read_text(encoding="utf-8"))
    assert len(listed) >= 25
    missing = sorted(set(listed) - _paths())
    assert missing == []


def test_the_page_names_every_element_the_reader_reads() -> None:
    names = pain002._Names("x")
    read = {
        k[len(names.p) :]
        for k in vars(names).values()
        if isinstance(k, str) and k.startswith(names.p) and k != names.p
    }
    listed = ROW.findall(DOC.read_text(encoding="utf-8"))
    on_page = {part for path in listed for part in path.split("/")}
    assert sorted(read - on_page) == []
