"""docs/conformance/g2p-registry.md and g2p-mapper.md stay true: their tables against the
vendored specs and the code (chitra.engine.g2p.registry, .mapper)."""

from __future__ import annotations

import re
from pathlib import Path

from chitra.engine.g2p import mapper as m
from chitra.engine.g2p import registry as reg
from tests.engine.g2p_specs import enum, spec

DOCS = Path(__file__).resolve().parents[2] / "docs" / "conformance"


def _rows(doc: str, title: str) -> list[list[str]]:
    text = (
        (DOCS / doc).read_text(encoding="utf-8").split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    )
    rows = [
        [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        for line in text.splitlines()
        if line.startswith("|")
    ]
    return rows[2:]


def _first_cells(doc: str, title: str) -> set[str]:
    return {r[0].strip("`") for r in _rows(doc, title)}


def _paths(doc: str) -> set[str]:
    out: set[str] = set()
    for row in _rows(doc, "Endpoints"):
        out |= set(re.findall(r"`(/[a-z/-]+)`", row[0]))
    return out


def test_registry_doc_lists_every_path_enum_and_code() -> None:
    doc = "g2p-registry.md"
    assert set(spec("registry")["paths"]) <= _paths(doc)
    assert (
        _first_cells(doc, "Query types")
        == set(enum("registry", "QueryType"))
        == set(reg.QUERY_TYPES)
    )
    assert _first_cells(doc, "Identifier types") == set(enum("registry", "dci_IdentifierType"))
    assert _first_cells(doc, "Statuses") == set(enum("registry", "RequestStatus"))
    assert _first_cells(doc, "Search reason codes") == set(
        enum("registry", "SearchStatusReasonCode")
    )
    sexes = {r[0].strip("`"): r[1] for r in _rows(doc, "Sex")}
    assert set(sexes) == set(enum("registry", "dci_Sex"))
    for value, chitra in reg.SEX_TO_CHITRA.items():
        assert (f"`{chitra}`" in sexes[value]) if chitra else sexes[value].startswith("empty")


def test_mapper_doc_lists_every_path_operation_and_code() -> None:
    doc = "g2p-mapper.md"
    assert set(spec("mapper")["paths"]) <= _paths(doc)
    assert _first_cells(doc, "Operations") == set(m.OPERATIONS)
    assert _first_cells(doc, "Statuses") == set(enum("mapper", "RequestStatus"))
    assert _first_cells(doc, "Resolve reason codes") == set(
        enum("mapper", "ResolveStatusReasonCode")
    )
    others = (
        set(enum("mapper", "LinkStatusReasonCode"))
        | set(enum("mapper", "UpdateStatusReasonCode"))
        | set(enum("mapper", "UnlinkStatusReasonCode"))
    )
    documented = _first_cells(doc, "Link, update and unlink reason codes") | _first_cells(
        doc, "Resolve reason codes"
    )
    assert others <= documented
