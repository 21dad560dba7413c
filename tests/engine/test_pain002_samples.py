"""Every pain.002 of the samples folder (real files written by other software: banks, libraries),
read by the one pain.002 reader with its expected reading: version, group, blocks, lines,
statuses, reasons, counts, issues. The samples are kept byte for byte in tests/data/iso20022/
samples (checked against ../shared/data/iso20022/samples when that is present)."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
import xmlschema

from chitra.engine.iso20022 import (
    NAME_CHECK_MAP,
    Pain002Error,
    Pain002Report,
    StatusLine,
    pain002_header,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "tests" / "data" / "iso20022" / "samples"
SHARED = ROOT.parent / "shared" / "data" / "iso20022" / "samples"
SIX = "http://www.six-interbank-clearing.com/de/pain.002.001.03.ch.02.xsd"
ISO = "urn:iso:std:iso:20022:tech:xsd:pain.002.001."

PAIN002_SAMPLES = sorted(
    p.name
    for p in SAMPLES.glob("*.xml")
    if "pain002" in p.name or "pain.002" in p.name or "pain_v11" in p.name
)


def read(name: str) -> tuple[Pain002Report, list[StatusLine]]:
    report = Pain002Report(SAMPLES / name)
    return report, list(report)


def core(line: StatusLine) -> tuple[object, ...]:
    return (line.scope, line.position, line.reference, line.status, line.iso_status)


def test_every_pain002_sample_is_vendored_and_tested():
    assert len(PAIN002_SAMPLES) == 10
    tested = {name for name, _v in VERSIONS}
    assert tested == set(PAIN002_SAMPLES)
    if SHARED.exists():
        shared = {
            p.name
            for p in SHARED.glob("*.xml")
            if b"pain.002.001" in p.read_bytes()[:600] or "pain002" in p.name
        }
        assert shared == set(PAIN002_SAMPLES)


@pytest.mark.skipif(not SHARED.exists(), reason="../shared is not next to this checkout")
@pytest.mark.parametrize("name", PAIN002_SAMPLES)
def test_sample_copy_is_the_reference(name):
    assert (SAMPLES / name).read_bytes() == (SHARED / name).read_bytes()


VERSIONS = [
    ("insensefi_ACTC_pain.002.001.03.xml", ("03", ISO + "03")),
    ("libfintx_DEUTDEDB_vop_pain.002.001.10.xml", ("10", ISO + "10")),
    (
        "moov_pain002-chdd-cor1_p_ch2909000000250094239_1110097483_0_2018031317221082.xml",
        ("03", SIX),
    ),
    ("moov_pain002-epo_p_0_0_0_2018031510491259.xml", ("03", SIX)),
    ("moov_pain002-epo_p_0_0_0_2018032614401842.xml", ("03", SIX)),
    ("moov_pain002-epo_p_ch2909000000250094239_1109800799_0_2018032612092784.xml", ("03", SIX)),
    ("moov_pain002-epo_p_ch5109000000250092291_1110097605_0_2018031511252307.xml", ("03", SIX)),
    ("moov_valid_pain_v11.xml", ("11", ISO + "11")),
    ("rustsepa_group_rjct_DUPL_pain.002.001.10.xml", ("10", ISO + "10")),
    ("rustsepa_vop_RVMC_pain.002.001.10.xml", ("10", ISO + "10")),
]


@pytest.mark.parametrize(("name", "version"), VERSIONS)
def test_version_and_namespace(name, version):
    header = pain002_header(SAMPLES / name)
    assert (header.version, header.namespace) == version
    report, _lines = read(name)
    assert report.header == header  # the streaming read finds the same group data


@pytest.fixture(scope="module")
def pain002_xsd() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(ROOT / "tests" / "data" / "iso20022" / "pain.002.001.10.xsd"))


@pytest.mark.parametrize("name", [n for n, (v, _ns) in VERSIONS if v == "10"])
def test_version_10_samples_are_schema_valid(pain002_xsd, name):
    """The .10 samples are valid against the vendored schema: the reader reads real,
    valid documents, not lenient ones only."""
    pain002_xsd.validate(str(SAMPLES / name))


# ------------------------------------------------------------------ group-level answers


def test_insensefi_group_actc_only():
    """pain.002.001.03, GrpSts ACTC: accepted technically, nothing final: one pending
    "whole message" line, no transaction, not receipt-only."""
    report, lines = read("insensefi_ACTC_pain.002.001.03.xml")
    h = report.header
    assert h is not None
    assert (h.message_id, h.created_at) == ("1539869", "2010-06-08T12:01:10+03:00")
    assert (h.original_message_id, h.original_message_name) == (
        "20110102-0000001",
        "pain.001.001.03",
    )
    assert (h.group_status, h.reason_code, h.reason_text, h.counts) == ("ACTC", "", "", {})
    assert [core(x) for x in lines] == [("message", 0, "", "pending", "ACTC")]
    assert lines[0].path == "OrgnlGrpInfAndSts/GrpSts"
    assert (report.blocks, report.issues, report.transactions) == ([], [], 0)
    assert not report.receipt_only


def test_moov_group_actc_only():
    report, lines = read("moov_pain002-epo_p_0_0_0_2018031510491259.xml")
    h = report.header
    assert h is not None
    assert (h.message_id, h.original_message_id, h.original_message_name) == (
        "20180315375204222821684",
        "MsgId-001",
        "pain.001.001.03.ch.02",
    )
    assert [core(x) for x in lines] == [("message", 0, "", "pending", "ACTC")]
    assert (report.blocks, report.issues, report.receipt_only) == ([], [], False)


def test_moov_group_rjct_with_reason_and_no_transactions():
    """GrpSts RJCT AM10 (control sum wrong), no block, no transaction: one "whole message"
    rejection with the group's reason, for every line of the original message."""
    report, lines = read("moov_pain002-epo_p_0_0_0_2018032614401842.xml")
    h = report.header
    assert h is not None
    assert (h.original_message_id, h.group_status, h.reason_code) == ("MsgId-005", "RJCT", "AM10")
    (line,) = lines
    assert core(line) == ("message", 0, "", "rjct", "RJCT")
    assert (line.reason_code, line.reason_text) == ("AM10", "904114;ControlSum fehlerhaft")
    assert (report.transactions, report.blocks, report.issues) == (0, [], [])


def test_rustsepa_group_rjct_dupl_no_transactions():
    report, lines = read("rustsepa_group_rjct_DUPL_pain.002.001.10.xml")
    h = report.header
    assert h is not None
    assert (h.message_id, h.created_at) == ("STS-1", "2026-07-20T09:00:00")
    assert (h.original_message_id, h.original_message_name) == ("DD-2026-07-001", "pain.008.001.08")
    (line,) = lines
    assert core(line) == ("message", 0, "", "rjct", "RJCT")
    assert (line.reason_code, line.reason_text) == ("DUPL", "MsgId already received")
    assert (report.transactions, report.blocks, report.issues) == (0, [], [])


def test_moov_v11_receipt_only():
    """pain.002.001.11 with a group and no status at all: it only confirms receipt."""
    report, lines = read("moov_valid_pain_v11.xml")
    h = report.header
    assert h is not None
    assert (h.message_id, h.created_at, h.original_message_id, h.original_message_name) == (
        "MsgId",
        "2014-11-12T11:45:26.371",
        "OrgnlMsgId",
        "OrgnlMsgNmId",
    )
    assert h.group_status == ""
    assert lines == []
    assert (report.blocks, report.issues, report.transactions) == ([], [], 0)
    assert report.receipt_only


# ------------------------------------------------------------------ block-level answers


def test_moov_block_accp_no_transactions():
    """A block ACCP with no transaction (a direct-debit report, pain.008): one pending "whole
    block" line for PmtInfId-CHDD-1."""
    report, lines = read(
        "moov_pain002-chdd-cor1_p_ch2909000000250094239_1110097483_0_2018031317221082.xml"
    )
    h = report.header
    assert h is not None
    assert (h.original_message_id, h.original_message_name, h.group_status) == (
        "MsgId-CHDD-Musterfile",
        "pain.008.001.02.ch.03",
        "",
    )
    (line,) = lines
    assert core(line) == ("block", 1, "", "pending", "ACCP")
    assert (line.payment_info_id, line.path) == (
        "PmtInfId-CHDD-1",
        "OrgnlPmtInfAndSts[1]/PmtInfSts",
    )
    (block,) = report.blocks
    assert (block.payment_info_id, block.status, block.transactions) == (
        "PmtInfId-CHDD-1",
        "ACCP",
        0,
    )
    assert (report.issues, report.receipt_only) == ([], False)


def test_moov_block_part_reads_the_transactions():
    """PmtInfSts PART: the block itself says nothing; its one transaction is rejected AC01."""
    report, lines = read(
        "moov_pain002-epo_p_ch5109000000250092291_1110097605_0_2018031511252307.xml"
    )
    (line,) = lines
    assert core(line) == ("transaction", 1, "EndToEndId-001-03-04", "rjct", "RJCT")
    assert (line.reason_code, line.reason_text, line.amount) == (
        "AC01",
        "1301813;Konto ungültig",
        None,
    )
    assert (line.payment_info_id, line.path) == (
        "PmtInfId-001-03",
        "OrgnlPmtInfAndSts[1]/TxInfAndSts[1]/TxSts",
    )
    (block,) = report.blocks
    assert (block.payment_info_id, block.status, block.transactions) == (
        "PmtInfId-001-03",
        "PART",
        1,
    )
    assert report.by_status == {"RJCT": 1}
    assert report.issues == []


def test_moov_block_rjct_with_a_transaction():
    """A block RJCT (NARR: no executable transaction) listing one transaction RJCT AC01: the
    transaction with its own reason, and a "whole block" line for the block's other lines."""
    report, lines = read(
        "moov_pain002-epo_p_ch2909000000250094239_1109800799_0_2018032612092784.xml"
    )
    assert [core(x) for x in lines] == [
        ("transaction", 1, "EndToEndId-006-01-01", "rjct", "RJCT"),
        ("block", 1, "", "rjct", "RJCT"),
    ]
    tx, block = lines
    assert (tx.reason_code, tx.reason_text) == ("AC01", "1301813;Konto ungültig")
    assert (block.reason_code, block.reason_text) == (
        "NARR",
        "1297193;Sammelauftrag ohne ausführbaren Einzelauftrag",
    )
    assert tx.payment_info_id == block.payment_info_id == "PmtInfId-006-01"
    assert report.header is not None and report.header.original_message_id == "MsgId-006"
    assert report.issues == []


# ------------------------------------------------------------------ Verification of Payee


def test_libfintx_deutsche_bank_vop_report():
    """Deutsche Bank's VoP report (pain.002.001.10, XSD-valid): counts per VoP code at group
    and block level, one transaction RVNA (check not possible) whose end-to-end id is
    NOTPROVIDED and that has no instruction id: read, with an issue for the reference."""
    report, lines = read("libfintx_DEUTDEDB_vop_pain.002.001.10.xml")
    h = report.header
    assert h is not None
    assert (h.message_id, h.original_message_id, h.original_message_name) == (
        "3054631a98564b8399b88d60d97a9693",
        "2025-10-10 09:15:22.080",
        "pain.001",
    )
    assert (h.original_count, h.original_sum, h.group_status) == ("1", "2.00", "")
    assert h.counts == {"RCVC": 0, "RVNM": 0, "RVMC": 0, "RVNA": 1}
    assert h.reason_text.startswith("RCVC - The IBAN matches the name of the payee.")
    (line,) = lines
    assert core(line) == ("transaction", 1, "", "pending", "RVNA")
    assert (line.name_check, line.reason_code, line.creditor_name) == (
        "unavailable",
        "AG11",
        "Abid",
    )
    assert line.payment_info_id == "2025-10-10 09:15:22.080"
    (block,) = report.blocks
    assert block.counts == {"RCVC": 0, "RVNM": 0, "RVMC": 0, "RVNA": 1}
    assert (block.status, block.transactions, block.original_count) == ("", 1, "1")
    assert [(i.path, i.value, i.problem) for i in report.issues] == [
        ("OrgnlPmtInfAndSts[1]/TxInfAndSts[1]/OrgnlEndToEndId", "NOTPROVIDED", "reference_missing")
    ]
    assert report.name_checks() == {"unavailable": 1}


def test_rustsepa_vop_close_match_and_an_unknown_group_code():
    """A transaction RVMC (close match: the bank gives the holder's name, Peter Schmitz, for
    the name sent, P. Schmitz); the group's status RVCM is no code of any list: reported as
    an issue naming the element, never an exception; its line is "unknown"."""
    report, lines = read("rustsepa_vop_RVMC_pain.002.001.10.xml")
    h = report.header
    assert h is not None
    assert (h.original_message_id, h.original_count, h.group_status) == ("K563", "462", "RVCM")
    assert h.counts == {"RCVC": 454}
    assert [core(x) for x in lines] == [
        ("message", 0, "", "unknown", "RVCM"),
        ("transaction", 1, "K563-B001-T087", "pending", "RVMC"),
    ]
    tx = lines[1]
    assert (tx.name_check, tx.reason_text, tx.creditor_name) == (
        "close",
        "Peter Schmitz",
        "P. Schmitz",
    )
    assert tx.payment_info_id == "B001"
    (problem,) = report.issues
    assert (problem.path, problem.value, problem.problem) == (
        "OrgnlGrpInfAndSts/GrpSts",
        "RVCM",
        "status_unknown",
    )
    assert report.name_checks() == {"close": 1}


def test_name_check_codes():
    assert NAME_CHECK_MAP == {
        "RCVC": "match",
        "RVMC": "close",
        "RVNM": "mismatch",
        "RVNA": "unavailable",
    }


# ------------------------------------------------------------------ bank flavours


def test_a_bank_flavour_with_extra_elements_is_read():
    """Elements a bank adds (here in the document's own namespace and in another one) are
    ignored; the statuses are read as usual."""
    data = (
        f'<Document xmlns="{SIX}" xmlns:x="urn:bank:extra"><CstmrPmtStsRpt>'
        "<GrpHdr><MsgId>R1</MsgId><CreDtTm>2026-01-01T00:00:00</CreDtTm><x:Note>a</x:Note>"
        "</GrpHdr><OrgnlGrpInfAndSts><OrgnlMsgId>M1</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03"
        "</OrgnlMsgNmId><BankOnly>1</BankOnly><GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>"
        "<OrgnlPmtInfAndSts><OrgnlPmtInfId>P1</OrgnlPmtInfId><PmtInfSts>PART</PmtInfSts>"
        "<TxInfAndSts><x:TxSts>RJCT</x:TxSts><OrgnlEndToEndId>E1</OrgnlEndToEndId>"
        "<TxSts>ACSC</TxSts><AcctSvcrRef>BANK-1</AcctSvcrRef></TxInfAndSts>"
        "<TxInfAndSts><OrgnlEndToEndId>E2</OrgnlEndToEndId><TxSts>RJCT</TxSts>"
        "<StsRsnInf><Rsn><Prtry>TK01</Prtry></Rsn></StsRsnInf></TxInfAndSts>"
        "</OrgnlPmtInfAndSts><SplmtryData><Envlp><x:TxInfAndSts/></Envlp></SplmtryData>"
        "</CstmrPmtStsRpt></Document>"
    ).encode()
    report = Pain002Report(io.BytesIO(data))
    lines = list(report)
    assert [(x.reference, x.status, x.reason_code) for x in lines] == [
        ("E1", "succ", ""),
        ("E2", "rjct", "TK01"),
    ]
    assert report.issues == []


def test_part_without_transactions_is_an_issue():
    data = (
        f'<Document xmlns="{ISO}10"><CstmrPmtStsRpt><GrpHdr><MsgId>R</MsgId>'
        "<CreDtTm>2026-01-01T00:00:00</CreDtTm></GrpHdr><OrgnlGrpInfAndSts>"
        "<OrgnlMsgId>M</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>"
        "<GrpSts>PART</GrpSts></OrgnlGrpInfAndSts></CstmrPmtStsRpt></Document>"
    ).encode()
    report = Pain002Report(io.BytesIO(data))
    assert list(report) == []
    assert [(i.path, i.problem) for i in report.issues] == [
        ("OrgnlGrpInfAndSts/GrpSts", "part_without_transactions")
    ]
    assert not report.receipt_only


def test_a_report_without_original_message_id_is_refused():
    data = (
        f'<Document xmlns="{ISO}03"><CstmrPmtStsRpt><GrpHdr><MsgId>R</MsgId>'
        "<CreDtTm>2026-01-01T00:00:00</CreDtTm></GrpHdr><OrgnlGrpInfAndSts>"
        "<OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId></OrgnlGrpInfAndSts>"
        "</CstmrPmtStsRpt></Document>"
    ).encode()
    with pytest.raises(Pain002Error, match=r"no OrgnlMsgId"):
        list(Pain002Report(io.BytesIO(data)))


def test_many_unknown_codes_are_counted_but_kept_bounded():
    txs = "".join(
        f"<TxInfAndSts><OrgnlEndToEndId>E{i}</OrgnlEndToEndId><TxSts>Z{i % 10}ZZ</TxSts>"
        "</TxInfAndSts>"
        for i in range(1500)
    )
    data = (
        f'<Document xmlns="{ISO}11"><CstmrPmtStsRpt><GrpHdr><MsgId>R</MsgId>'
        "<CreDtTm>2026-01-01T00:00:00</CreDtTm></GrpHdr><OrgnlGrpInfAndSts>"
        "<OrgnlMsgId>M</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>"
        "</OrgnlGrpInfAndSts><OrgnlPmtInfAndSts><OrgnlPmtInfId>P</OrgnlPmtInfId>"
        f"{txs}</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>"
    ).encode()
    report = Pain002Report(io.BytesIO(data))
    assert {x.status for x in report} == {"unknown"}
    assert (len(report.issues), report.issue_count, report.transactions) == (1000, 1500, 1500)


def test_sample_bytes_are_unchanged_by_reading():
    """Reading never writes: the hash of each sample is the same after a read."""
    for name in PAIN002_SAMPLES:
        path = SAMPLES / name
        before = hashlib.sha256(path.read_bytes()).hexdigest()
        list(Pain002Report(path))
        assert hashlib.sha256(path.read_bytes()).hexdigest() == before
