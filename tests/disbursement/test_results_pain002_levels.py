"""How the results import reads the levels of a bank's pain.002 (issue #14 item 1, first step):
transaction statuses are applied, a group or block status with no transaction listed is refused
with a clear message (not dropped), and pending answers are counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from chitra.core.errors import ImportFileError
from chitra.disbursement.results import parse_results_file

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "iso20022" / "samples"


def _read(name: str) -> tuple[list, int]:
    pending = [0]
    rows = list(parse_results_file(SAMPLES / name, pending, []))
    return rows, pending[0]


def test_a_group_rejection_without_transactions_is_refused_not_dropped() -> None:
    with pytest.raises(ImportFileError) as e:
        _read("rustsepa_group_rjct_DUPL_pain.002.001.10.xml")
    assert "RJCT" in str(e.value) and "DUPL" in str(e.value)


def test_a_technical_acceptance_only_is_read_as_nothing_to_apply() -> None:
    rows, _pending = _read("insensefi_ACTC_pain.002.001.03.xml")
    assert rows == []


def test_a_group_rejection_of_a_bank_flavour_is_refused_with_its_reason() -> None:
    with pytest.raises(ImportFileError) as e:
        _read("moov_pain002-epo_p_0_0_0_2018032614401842.xml")
    assert "AM10" in str(e.value)


@pytest.mark.parametrize(
    "name",
    [
        "moov_pain002-epo_p_ch2909000000250094239_1109800799_0_2018032612092784.xml",
        "moov_pain002-epo_p_ch5109000000250092291_1110097605_0_2018031511252307.xml",
        "rustsepa_vop_RVMC_pain.002.001.10.xml",
    ],
)
def test_listed_transactions_are_read_by_reference(name: str) -> None:
    rows, pending = _read(name)
    assert len(rows) + pending >= 1
    assert all(r.reference and r.status in ("succ", "rjct", "unknown") for r in rows)


def test_an_unknown_transaction_status_is_an_issue_never_a_failure(tmp_path: Path) -> None:
    text = (SAMPLES / "rustsepa_vop_RVMC_pain.002.001.10.xml").read_text(encoding="utf-8")
    first = text.index("<TxSts>")
    end = text.index("</TxSts>", first)
    bad = tmp_path / "unknown.xml"
    bad.write_text(text[: first + len("<TxSts>")] + "ZZZZ" + text[end:], encoding="utf-8")
    pending, issues = [0], []
    rows = list(parse_results_file(bad, pending, issues))
    assert [i.value for i in issues] == ["ZZZZ"]
    assert all(r.status in ("succ", "rjct") for r in rows)
