"""docs/conformance/g2p-disburse.md stays true: its tables against the vendored spec and the
code (chitra.engine.g2p)."""

from __future__ import annotations

import re
from pathlib import Path

from chitra.engine import g2p
from tests.engine.g2p_schema import spec

DOC = Path(__file__).resolve().parents[2] / "docs" / "conformance" / "g2p-disburse.md"


def _rows(title: str) -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8").split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    rows = [
        [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        for line in text.splitlines()
        if line.startswith("|")
    ]
    return rows[2:]  # after the head and the rule


def test_every_spec_reason_code_is_in_the_doc_as_the_code_maps_it() -> None:
    table = {r[0].strip("`"): r[1] for r in _rows("Reason codes")}
    codes = spec()["components"]["schemas"]["DisburseStatusReasonCode"]["enum"]
    assert set(table) == set(codes)
    assert table == dict(g2p.REASON_TO_CATALOGUE)


def test_every_spec_path_is_in_the_doc() -> None:
    documented = set()
    for row in _rows("Endpoints"):
        documented |= set(re.findall(r"`(/[a-z/-]+)`", row[0]))
    assert set(spec()["paths"]) <= documented


def test_every_status_and_header_reason_is_in_the_doc() -> None:
    statuses = {r[0].strip("`") for r in _rows("Statuses")}
    assert statuses == set(spec()["components"]["schemas"]["RequestStatus"]["enum"])
    text = DOC.read_text(encoding="utf-8")
    for code in spec()["components"]["schemas"]["MsgHeaderStatusReasonCode"]["enum"]:
        assert f"`{code}`" in text


def test_every_header_element_is_in_the_doc() -> None:
    schemas = spec()["components"]["schemas"]
    names = set(schemas["MsgHeader_V1.0.0"]["properties"]) | set(
        schemas["MsgCallbackHeader_V1.0.0"]["properties"]
    )
    documented = " ".join(r[0] for r in _rows("Envelope and header"))
    assert all(f"header.{n}" in documented for n in names), sorted(
        n for n in names if f"header.{n}" not in documented
    )
