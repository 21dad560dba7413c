"""Read what an xlsx file really holds, cell by cell, from its XML (no spreadsheet library that
might reinterpret a value): the cell type, whether it is a formula, its text, and whether its
style carries Excel's quote prefix. Used by the formula-injection tests of every writer."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


@dataclass(frozen=True)
class XlsxCell:
    ref: str
    type: str  # "s" shared string, "inlineStr", "str" formula string, "n" number, "b"...
    formula: bool
    text: str
    quote_prefix: bool


def xlsx_cells(source: Path | bytes, sheet: int = 1) -> list[XlsxCell]:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            root = etree.fromstring(zf.read("xl/sharedStrings.xml"))
            shared = ["".join(si.itertext()) for si in root.findall("m:si", _NS)]
        styles = etree.fromstring(zf.read("xl/styles.xml"))
        xfs = styles.find("m:cellXfs", _NS)
        quoted = [xf.get("quotePrefix") == "1" for xf in (xfs if xfs is not None else [])]
        sheet_xml = etree.fromstring(zf.read(f"xl/worksheets/sheet{sheet}.xml"))
    out: list[XlsxCell] = []
    for c in sheet_xml.iter(f"{{{_NS['m']}}}c"):
        kind = c.get("t", "n")
        f = c.find("m:f", _NS)
        v = c.find("m:v", _NS)
        if kind == "s" and v is not None:
            text = shared[int(v.text or "0")]
        elif kind == "inlineStr":
            text = "".join(c.find("m:is", _NS).itertext())  # type: ignore[union-attr]
        else:
            text = v.text or "" if v is not None else ""
        style = int(c.get("s", "0"))
        out.append(
            XlsxCell(
                c.get("r", ""), kind, f is not None, text, style < len(quoted) and quoted[style]
            )
        )
    return out


def cell_with(cells: list[XlsxCell], text: str) -> XlsxCell:
    """The one cell whose text is exactly ``text``."""
    found = [c for c in cells if c.text == text]
    assert len(found) == 1, (text, found)
    return found[0]


def assert_inert(source: Path | bytes, text: str, sheet: int = 1) -> XlsxCell:
    """The cell holding ``text`` is a string cell (no formula anywhere in the sheet) with the
    quote prefix, and its value is the text unchanged."""
    cells = xlsx_cells(source, sheet)
    assert not any(c.formula for c in cells), [c for c in cells if c.formula]
    cell = cell_with(cells, text)
    assert cell.type in ("s", "inlineStr"), cell
    assert cell.quote_prefix, cell
    return cell


CELL_REF = re.compile(r"([A-Z]+)(\d+)")
