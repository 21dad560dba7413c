"""The ISO 20022 schemas in tests/data are copies of the reference data in ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data" / "iso20022"


@pytest.mark.skipif(not SHARED.exists(), reason="../shared is not next to this checkout")
@pytest.mark.parametrize(
    "name", ["pain.001.001.09.xsd", "pain.002.001.10.xsd", "camt.054.001.08.xsd"]
)
def test_schema_copy_is_the_reference(name):
    assert (ROOT / "tests" / "data" / "iso20022" / name).read_bytes() == (
        SHARED / name
    ).read_bytes()
