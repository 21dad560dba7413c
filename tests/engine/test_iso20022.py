"""Tests for chitra.engine.iso20022 (pure Python + lxml; no database needed)."""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from chitra.engine.iso20022 import (
    PAIN001_NS,
    PAIN002_NS,
    TX_STATUS_MAP,
    ControlTotalMismatch,
    CreditTransfer,
    Pain001Header,
    Pain002Error,
    Pain002Report,
    ReportIssue,
    StatusLine,
    iter_pain002,
    pain002_header,
    write_pain001,
    write_pain002,
)

ROOT = Path(__file__).resolve().parents[2]  # the project root
#: a copy of ../shared/data/iso20022 kept in the repository (tests/data/test_schemas_copy.py
#: checks it equals the shared one when that is present), so a clone anywhere validates
ISO_DIR = ROOT / "tests" / "data" / "iso20022"
ICT = timezone(timedelta(hours=7))
CREATED = datetime(2025, 8, 1, 8, 30, tzinfo=ICT)
N1 = "{" + PAIN001_NS + "}"


def _schema(name: str) -> xmlschema.XMLSchema:
    path = ISO_DIR / name
    assert path.is_file(), f"ISO 20022 schema not found at {path}"
    return xmlschema.XMLSchema(str(path))


@pytest.fixture(scope="module")
def pain001_xsd() -> xmlschema.XMLSchema:
    return _schema("pain.001.001.09.xsd")


@pytest.fixture(scope="module")
def pain002_xsd() -> xmlschema.XMLSchema:
    return _schema("pain.002.001.10.xsd")


def _header(transfers: list[CreditTransfer], **changes: object) -> Pain001Header:
    header = Pain001Header(
        message_id="BHXH08-202508-0001",
        created_at=CREATED,
        initiating_party="BHXH tỉnh Tuyên Quang",
        payment_info_id="PMT-202508-0001",
        execution_date=date(2025, 8, 5),
        debtor_name="Bảo hiểm xã hội tỉnh Tuyên Quang",
        debtor_account="1130000000001",
        debtor_agent_bin="970405",
        control_count=len(transfers),
        control_sum=sum(t.amount for t in transfers),
    )
    return replace(header, **changes)  # type: ignore[arg-type]


TRANSFERS = [
    CreditTransfer(
        "E2E-0001", 3_500_000, "Nguyễn Thị Lan", "0123456789", "970436", "Lương hưu tháng 08/2025"
    ),
    CreditTransfer(
        "E2E-0002",
        4_250_000,
        "Trần & Con <Đức>",
        "0987654321",
        "970415",
        "Trợ cấp BHXH 08/2025 & truy lĩnh",
    ),
    CreditTransfer(
        "E2E-0003",
        1_800_000,
        "Lê\x01 Văn\x0b Hùng\x7f",
        "VNPT-0912345678",
        "970436",
        "dòng 1\r\ndòng 2\tcột",
    ),
    # decomposed (NFD) input is written NFC
    CreditTransfer(
        "E2E-0004",
        2_000_000,
        unicodedata.normalize("NFD", "Phạm Thị Thủy"),
        "222333444",
        "970418",
        "",
    ),
]


def _write001(transfers: list[CreditTransfer], **changes: object) -> tuple[bytes, str]:
    out = io.BytesIO()
    sha = write_pain001(out, _header(transfers, **changes), iter(transfers))
    return out.getvalue(), sha


def _texts(data: bytes, local: str) -> list[str]:
    root = etree.fromstring(data)
    return [el.text for el in root.iter(N1 + local)]


# ------------------------------------------------------------------------------------ pain.001


def test_pain001_is_schema_valid_and_keeps_vietnamese_text(pain001_xsd):
    data, _ = _write001(TRANSFERS)
    pain001_xsd.validate(io.BytesIO(data))

    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    names = _texts(data, "Nm")
    # InitgPty, Dbtr, then the creditors in order
    assert names == [
        "BHXH tỉnh Tuyên Quang",
        "Bảo hiểm xã hội tỉnh Tuyên Quang",
        "Nguyễn Thị Lan",
        "Trần & Con <Đức>",
        "Lê Văn Hùng",
        "Phạm Thị Thủy",
    ]
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert b"Tr\xe1\xba\xa7n &amp; Con &lt;\xc4\x90\xe1\xbb\xa9c&gt;" in data  # escaped, UTF-8
    assert _texts(data, "Ustrd") == [
        "Lương hưu tháng 08/2025",
        "Trợ cấp BHXH 08/2025 & truy lĩnh",
        "dòng 1 dòng 2 cột",
    ]  # empty remittance info -> no RmtInf
    assert _texts(data, "EndToEndId") == ["E2E-0001", "E2E-0002", "E2E-0003", "E2E-0004"]
    assert _texts(data, "InstdAmt") == ["3500000", "4250000", "1800000", "2000000"]
    assert _texts(data, "NbOfTxs") == ["4", "4"]
    assert _texts(data, "CtrlSum") == ["11550000", "11550000"]
    assert _texts(data, "MmbId") == ["970405", "970436", "970415", "970436", "970418"]
    assert _texts(data, "Cd") == ["PENS"]
    assert _texts(data, "CreDtTm") == ["2025-08-01T08:30:00+07:00"]
    assert _texts(data, "Dt") == ["2025-08-05"]
    root = etree.fromstring(data)
    amounts = list(root.iter(N1 + "InstdAmt"))
    assert {a.get("Ccy") for a in amounts} == {"VND"}
    first = root.find(f"{N1}CstmrCdtTrfInitn/{N1}PmtInf/{N1}CdtTrfTxInf")
    assert first is not None
    assert first.findtext(f"{N1}CdtrAcct/{N1}Id/{N1}Othr/{N1}Id") == "0123456789"
    assert first.findtext(f"{N1}CdtrAgt/{N1}FinInstnId/{N1}ClrSysMmbId/{N1}MmbId") == "970436"


def test_pain001_without_category_purpose_is_valid(pain001_xsd):
    data, _ = _write001(TRANSFERS, category_purpose=None)
    pain001_xsd.validate(io.BytesIO(data))
    assert b"PmtTpInf" not in data


def test_pain001_sha256_matches_file_bytes(tmp_path):
    path = tmp_path / "batch.xml"
    with path.open("wb") as fh:
        sha = write_pain001(fh, _header(TRANSFERS), TRANSFERS)
    assert sha == hashlib.sha256(path.read_bytes()).hexdigest()


def test_pain001_is_deterministic():
    first, sha1 = _write001(TRANSFERS)
    second, sha2 = _write001(list(TRANSFERS))
    assert first == second
    assert sha1 == sha2
    _, sha3 = _write001([*TRANSFERS[:-1], replace(TRANSFERS[-1], amount=2_000_001)])
    assert sha3 != sha1


def test_pain001_truncates_long_names_and_remittance_within_the_schema(pain001_xsd):
    long_name = "Nguyễn Thị " + "Thủy " * 60  # 311 characters
    long_info = "Chi trả lương hưu & trợ cấp " * 10  # 280 characters, cut after a space
    transfers = [CreditTransfer("E2E-LONG", 1_000_000, long_name, "1234", "970436", long_info)]
    data, _ = _write001(transfers, initiating_party="BHXH " * 40)
    pain001_xsd.validate(io.BytesIO(data))
    names = _texts(data, "Nm")
    assert len(names[0]) <= 140
    assert names[2] == long_name[:140] and len(names[2]) == 140
    (info,) = _texts(data, "Ustrd")
    assert info == long_info[:140].rstrip() and len(info) == 139


def test_pain001_count_mismatch():
    out = io.BytesIO()
    header = _header(TRANSFERS, control_count=5)
    with pytest.raises(ControlTotalMismatch, match="count 4 written, header says 5") as exc:
        write_pain001(out, header, TRANSFERS)
    assert (exc.value.expected_count, exc.value.actual_count) == (5, 4)
    assert isinstance(exc.value, ValueError)
    assert b"</Document>" not in out.getvalue()  # incomplete: cannot pass as a valid file


def test_pain001_sum_mismatch():
    header = _header(TRANSFERS, control_sum=11_550_001)
    with pytest.raises(ControlTotalMismatch, match="sum 11550000 VND written") as exc:
        write_pain001(io.BytesIO(), header, TRANSFERS)
    assert (exc.value.expected_sum, exc.value.actual_sum) == (11_550_001, 11_550_000)


def test_pain001_too_many_transfers_is_a_mismatch():
    header = _header(TRANSFERS[:2])
    with pytest.raises(ControlTotalMismatch):
        write_pain001(io.BytesIO(), header, TRANSFERS)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (replace(TRANSFERS[0], amount=0), r"transfer #2: amount 0"),
        (replace(TRANSFERS[0], amount=-5), r"transfer #2: amount -5"),
        (replace(TRANSFERS[0], amount=1.5), r"transfer #2: amount 1.5"),  # type: ignore[arg-type]
        (replace(TRANSFERS[0], end_to_end_id="X" * 36), r"transfer #2: end_to_end_id .* 35"),
        (replace(TRANSFERS[0], end_to_end_id=""), r"transfer #2: end_to_end_id is empty"),
        (replace(TRANSFERS[0], end_to_end_id="E2E\n1"), r"transfer #2: end_to_end_id"),
        (replace(TRANSFERS[0], creditor_account="1" * 35), r"transfer #2: creditor_account"),
        (replace(TRANSFERS[0], creditor_account=" 12"), r"transfer #2: creditor_account"),
        (replace(TRANSFERS[0], creditor_agent_bin=""), r"transfer #2: creditor_agent_bin"),
        (replace(TRANSFERS[0], creditor_name=" \x02 "), r"transfer #2: creditor_name is empty"),
    ],
)
def test_pain001_rejects_invalid_transfers_naming_the_position(bad, message):
    transfers = [TRANSFERS[1], bad]
    header = _header([TRANSFERS[1], TRANSFERS[1]])
    with pytest.raises(ValueError, match=message):
        write_pain001(io.BytesIO(), header, transfers)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"created_at": datetime(2025, 8, 1, 8, 30)}, "timezone-aware"),
        ({"message_id": "M" * 36}, "message_id"),
        ({"payment_info_id": ""}, "payment_info_id"),
        ({"debtor_account": "1" * 35}, "debtor_account"),
        ({"control_count": 0}, "control_count"),
        ({"category_purpose": "PENSION"}, "category_purpose"),
    ],
)
def test_pain001_rejects_invalid_headers(changes, message):
    with pytest.raises(ValueError, match=message):
        write_pain001(io.BytesIO(), _header(TRANSFERS, **changes), TRANSFERS)


def test_pain001_many_transfers_stream_in_chunks(pain001_xsd, tmp_path):
    n = 2500  # more than one write chunk (2048 lines)

    def gen() -> Iterator[CreditTransfer]:
        for i in range(n):
            yield CreditTransfer(
                f"E2E-{i:06d}",
                1_000_000 + i,
                f"Người hưởng {i}",
                f"ACC{i}",
                ("970436", "970415")[i % 2],
                "Lương hưu",
            )

    header = _header([], control_count=n, control_sum=sum(1_000_000 + i for i in range(n)))
    path = tmp_path / "big.xml"
    with path.open("wb") as fh:
        sha = write_pain001(fh, header, gen())
    assert sha == hashlib.sha256(path.read_bytes()).hexdigest()
    pain001_xsd.validate(str(path))
    ids = _texts(path.read_bytes(), "EndToEndId")
    assert ids == [f"E2E-{i:06d}" for i in range(n)]


# ------------------------------------------------------------------------------------ pain.002

PAIN002_LINES = [
    ("E2E-0001", "ACSC", ""),
    ("E2E-0002", "RJCT", "AC04"),
    ("E2E-0003", "ACCC", ""),
    ("E2E-0004", "PDNG", ""),
    ("E2E-0005", "RJCT", "BANK-ACCOUNT-CLOSED"),  # > 4 characters: proprietary reason
    ("E2E&<6>", "ACSP", ""),
]


def _write002(lines: list[tuple[str, str, str]]) -> bytes:
    out = io.BytesIO()
    sha = write_pain002(
        out,
        message_id="NHCS-RPT-1",
        created_at=CREATED,
        original_message_id="BHXH08-202508-0001",
        lines=iter(lines),
    )
    assert sha == hashlib.sha256(out.getvalue()).hexdigest()
    return out.getvalue()


def _core(lines: Iterable[StatusLine]) -> list[tuple[object, ...]]:
    """The first seven fields of each line (position to amount)."""
    return [
        (
            x.position,
            x.reference,
            x.status,
            x.iso_status,
            x.reason_code,
            x.reason_text,
            x.amount,
        )
        for x in lines
    ]


def test_pain002_round_trip(pain002_xsd, tmp_path):
    data = _write002(PAIN002_LINES)
    pain002_xsd.validate(io.BytesIO(data))
    expected = [
        StatusLine(1, "E2E-0001", "succ", "ACSC", "", "", None),
        StatusLine(2, "E2E-0002", "rjct", "RJCT", "AC04", "", None),
        StatusLine(3, "E2E-0003", "succ", "ACCC", "", "", None),
        StatusLine(4, "E2E-0004", "pending", "PDNG", "", "", None),
        StatusLine(5, "E2E-0005", "rjct", "RJCT", "BANK-ACCOUNT-CLOSED", "", None),
        StatusLine(6, "E2E&<6>", "pending", "ACSP", "", "", None),
    ]
    expected = [
        replace(
            x,
            payment_info_id="BHXH08-202508-0001",
            path=f"OrgnlPmtInfAndSts[1]/TxInfAndSts[{x.position}]/TxSts",
        )
        for x in expected
    ]
    assert list(iter_pain002(io.BytesIO(data))) == expected
    path = tmp_path / "status.xml"
    path.write_bytes(data)
    assert list(iter_pain002(path)) == expected  # Path
    assert list(iter_pain002(str(path))) == expected  # file name
    with path.open("rb") as fh:
        assert list(iter_pain002(fh)) == expected  # binary file handle
    header = pain002_header(path)
    assert (header.version, header.namespace) == ("10", PAIN002_NS)
    assert (header.message_id, header.created_at) == ("NHCS-RPT-1", "2025-08-01T08:30:00+07:00")
    assert (header.original_message_id, header.original_message_name) == (
        "BHXH08-202508-0001",
        "pain.001.001.09",
    )
    assert (header.group_status, header.counts) == ("", {})


def test_pain002_empty_report_is_valid(pain002_xsd):
    data = _write002([])
    pain002_xsd.validate(io.BytesIO(data))
    assert list(iter_pain002(io.BytesIO(data))) == []


def test_pain002_writer_is_deterministic():
    assert _write002(PAIN002_LINES) == _write002(list(PAIN002_LINES))


def test_pain002_writer_rejects_bad_lines():
    with pytest.raises(ValueError, match=r"line #2: iso_status"):
        _write002([("E2E-1", "ACSC", ""), ("E2E-2", "REJECTED", "")])


def _doc(body: str, ns: str = PAIN002_NS) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="{ns}"><CstmrPmtStsRpt>'
        "<GrpHdr><MsgId>RPT-7</MsgId><CreDtTm>2025-08-06T10:00:00+07:00</CreDtTm></GrpHdr>"
        f"{body}</CstmrPmtStsRpt></Document>\n"
    ).encode()


INHERIT = _doc(
    "<OrgnlGrpInfAndSts><OrgnlMsgId>BHXH08-202508-0001</OrgnlMsgId>"
    "<OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId><OrgnlNbOfTxs>5</OrgnlNbOfTxs>"
    "<OrgnlCtrlSum>17500000</OrgnlCtrlSum><GrpSts>RJCT</GrpSts>"
    "<StsRsnInf><Rsn><Cd>AM04</Cd></Rsn><AddtlInf>Tài khoản nguồn</AddtlInf>"
    "<AddtlInf>không đủ số dư</AddtlInf></StsRsnInf>"
    "</OrgnlGrpInfAndSts>"
    # block 1: PmtInfSts ACSC, one line inherits it, one overrides with its own TxSts
    "<OrgnlPmtInfAndSts><OrgnlPmtInfId>PMT-A</OrgnlPmtInfId><PmtInfSts>ACSC</PmtInfSts>"
    "<TxInfAndSts><OrgnlEndToEndId>E2E-1</OrgnlEndToEndId>"
    '<OrgnlTxRef><Amt><InstdAmt Ccy="VND">3500000</InstdAmt></Amt></OrgnlTxRef></TxInfAndSts>'
    "<TxInfAndSts><OrgnlEndToEndId>E2E-2</OrgnlEndToEndId><TxSts>RJCT</TxSts>"
    "<StsRsnInf><Rsn><Prtry>TK-DONG</Prtry></Rsn><AddtlInf>Tài khoản đã đóng</AddtlInf>"
    "</StsRsnInf>"
    '<OrgnlTxRef><Amt><InstdAmt Ccy="VND">4250000.00</InstdAmt></Amt></OrgnlTxRef></TxInfAndSts>'
    "</OrgnlPmtInfAndSts>"
    # block 2: no PmtInfSts -> the group status (and reason) is inherited
    "<OrgnlPmtInfAndSts><OrgnlPmtInfId>PMT-B</OrgnlPmtInfId>"
    "<TxInfAndSts><OrgnlEndToEndId>E2E-3</OrgnlEndToEndId></TxInfAndSts>"
    "<TxInfAndSts><OrgnlEndToEndId>E2E-4</OrgnlEndToEndId>"
    "<StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf></TxInfAndSts>"
    "</OrgnlPmtInfAndSts>"
    # block 3: PmtInfSts with its own reason
    "<OrgnlPmtInfAndSts><OrgnlPmtInfId>PMT-C</OrgnlPmtInfId><PmtInfSts>PDNG</PmtInfSts>"
    "<StsRsnInf><AddtlInf>Đang xử lý</AddtlInf></StsRsnInf>"
    "<TxInfAndSts><OrgnlEndToEndId>E2E-5</OrgnlEndToEndId></TxInfAndSts>"
    "</OrgnlPmtInfAndSts>"
)


def test_pain002_status_inheritance(pain002_xsd):
    pain002_xsd.validate(io.BytesIO(INHERIT))  # the fixture is a realistic document
    report = Pain002Report(io.BytesIO(INHERIT))
    lines = list(report)
    assert _core(lines) == [
        # the group's RJCT covers every line of the message the report does not list
        (0, "", "rjct", "RJCT", "AM04", "Tài khoản nguồn không đủ số dư", None),
        (1, "E2E-1", "succ", "ACSC", "", "", 3_500_000),
        (2, "E2E-2", "rjct", "RJCT", "TK-DONG", "Tài khoản đã đóng", 4_250_000),
        (1, "", "succ", "ACSC", "", "", None),  # block 1's own status, for its other lines
        (3, "E2E-3", "rjct", "RJCT", "AM04", "Tài khoản nguồn không đủ số dư", None),
        (4, "E2E-4", "rjct", "RJCT", "AC04", "", None),
        (5, "E2E-5", "pending", "PDNG", "", "Đang xử lý", None),
        (3, "", "pending", "PDNG", "", "Đang xử lý", None),
    ]
    assert [x.scope for x in lines] == [
        "message",
        "transaction",
        "transaction",
        "block",
        "transaction",
        "transaction",
        "transaction",
        "block",
    ]
    assert [x.payment_info_id for x in lines] == [
        "",
        "PMT-A",
        "PMT-A",
        "PMT-A",
        "PMT-B",
        "PMT-B",
        "PMT-C",
        "PMT-C",
    ]
    assert [x.path for x in lines[1:3]] == [
        "OrgnlPmtInfAndSts[1]/PmtInfSts",
        "OrgnlPmtInfAndSts[1]/TxInfAndSts[2]/TxSts",
    ]
    assert lines[4].path == "OrgnlGrpInfAndSts/GrpSts"
    assert report.issues == []
    assert report.by_status == {"ACSC": 1, "RJCT": 3, "PDNG": 1}
    assert [(b.payment_info_id, b.status, b.transactions) for b in report.blocks] == [
        ("PMT-A", "ACSC", 2),
        ("PMT-B", "", 2),
        ("PMT-C", "PDNG", 1),
    ]
    header = pain002_header(io.BytesIO(INHERIT))
    assert (header.message_id, header.created_at) == ("RPT-7", "2025-08-06T10:00:00+07:00")
    assert (header.original_message_id, header.original_message_name) == (
        "BHXH08-202508-0001",
        "pain.001.001.09",
    )
    assert (header.original_count, header.original_sum) == ("5", "17500000")
    assert (header.group_status, header.reason_code) == ("RJCT", "AM04")


GROUP_NO_STATUS = (
    "<OrgnlGrpInfAndSts><OrgnlMsgId>M</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>"
    "</OrgnlGrpInfAndSts>"
)


def _one_line(tx: str, pmt_status: str = "") -> bytes:
    return _doc(
        GROUP_NO_STATUS
        + f"<OrgnlPmtInfAndSts><OrgnlPmtInfId>P</OrgnlPmtInfId>{pmt_status}"
        + "<TxInfAndSts><OrgnlEndToEndId>E2E-1</OrgnlEndToEndId><TxSts>ACSC</TxSts>"
        + f"</TxInfAndSts>{tx}</OrgnlPmtInfAndSts>"
    )


def test_pain002_without_any_status_is_an_issue_not_an_error():
    data = _one_line("<TxInfAndSts><OrgnlEndToEndId>E2E-2</OrgnlEndToEndId></TxInfAndSts>")
    report = Pain002Report(io.BytesIO(data))
    lines = list(report)
    assert [(x.reference, x.status) for x in lines] == [("E2E-1", "succ"), ("E2E-2", "unknown")]
    assert report.issues == [
        ReportIssue(
            "OrgnlPmtInfAndSts[1]/TxInfAndSts[2]/TxSts",
            "",
            "status_missing",
            "a TxSts, or a PmtInfSts or GrpSts (other than PART) to inherit",
            2,
        )
    ]


def test_pain002_unknown_status_is_an_issue_naming_the_element():
    data = _one_line(
        "<TxInfAndSts><OrgnlEndToEndId>E2E-2</OrgnlEndToEndId><TxSts>XXXX</TxSts></TxInfAndSts>"
    )
    report = Pain002Report(io.BytesIO(data))
    lines = list(report)
    assert (lines[1].status, lines[1].iso_status) == ("unknown", "XXXX")
    (problem,) = report.issues
    assert (problem.path, problem.value, problem.problem, problem.position) == (
        "OrgnlPmtInfAndSts[1]/TxInfAndSts[2]/TxSts",
        "XXXX",
        "status_unknown",
        2,
    )
    assert "ACSC" in problem.expected and "RVNM" in problem.expected


def test_pain002_inherited_part_says_nothing_of_a_line():
    data = _one_line(
        "<TxInfAndSts><OrgnlEndToEndId>E2E-2</OrgnlEndToEndId></TxInfAndSts>",
        pmt_status="<PmtInfSts>PART</PmtInfSts>",
    )
    report = Pain002Report(io.BytesIO(data))
    lines = list(report)
    assert [(x.scope, x.reference, x.status) for x in lines] == [
        ("transaction", "E2E-1", "succ"),
        ("transaction", "E2E-2", "unknown"),
    ]  # no block line: PART covers nothing by itself
    assert [(i.path, i.problem) for i in report.issues] == [
        ("OrgnlPmtInfAndSts[1]/TxInfAndSts[2]/TxSts", "status_missing")
    ]


@pytest.mark.parametrize(("code", "status"), sorted(TX_STATUS_MAP.items()))
def test_pain002_status_mapping(code, status):
    data = _write002([("E2E-1", code, "")])
    (line,) = iter_pain002(io.BytesIO(data))
    assert (line.status, line.iso_status) == (status, code)


def test_pain002_status_mapping_covers_the_brief():
    assert {c for c, s in TX_STATUS_MAP.items() if s == "succ"} == {"ACSC", "ACCC"}
    assert {c for c, s in TX_STATUS_MAP.items() if s == "rjct"} == {"RJCT"}
    assert {"ACSP", "ACTC", "ACCP", "ACWC", "PDNG", "RCVD", "ACWP"} <= {
        c for c, s in TX_STATUS_MAP.items() if s == "pending"
    }


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ('<InstdAmt Ccy="VND">3500000.50</InstdAmt>', "not a whole number of VND"),
        ('<InstdAmt Ccy="VND">abc</InstdAmt>', "not a whole number of VND"),
        ('<InstdAmt Ccy="USD">100</InstdAmt>', "currency 'USD'"),
    ],
)
def test_pain002_rejects_non_integer_amounts(amount, message):
    data = _one_line(
        "<TxInfAndSts><OrgnlEndToEndId>E2E-2</OrgnlEndToEndId><TxSts>ACSC</TxSts>"
        f"<OrgnlTxRef><Amt>{amount}</Amt></OrgnlTxRef></TxInfAndSts>"
    )
    with pytest.raises(Pain002Error, match=rf"TxInfAndSts #2: OrgnlTxRef/Amt/InstdAmt.*{message}"):
        list(iter_pain002(io.BytesIO(data)))


def test_pain002_line_without_reference_is_an_issue():
    data = _one_line("<TxInfAndSts><TxSts>ACSC</TxSts></TxInfAndSts>")
    report = Pain002Report(io.BytesIO(data))
    lines = list(report)
    assert (lines[1].reference, lines[1].status) == ("", "succ")
    assert [(i.path, i.problem, i.position) for i in report.issues] == [
        ("OrgnlPmtInfAndSts[1]/TxInfAndSts[2]/OrgnlEndToEndId", "reference_missing", 2)
    ]


def test_pain002_not_provided_end_to_end_id_falls_back_to_the_instruction_id():
    data = _one_line(
        "<TxInfAndSts><OrgnlInstrId>INSTR-2</OrgnlInstrId><OrgnlEndToEndId>NOTPROVIDED"
        "</OrgnlEndToEndId><TxSts>RJCT</TxSts></TxInfAndSts>"
    )
    lines = list(iter_pain002(io.BytesIO(data)))
    assert (lines[1].reference, lines[1].status) == ("INSTR-2", "rjct")


@pytest.mark.parametrize(
    "ns",
    [
        "urn:iso:std:iso:20022:tech:xsd:pain.002.001.05",  # a version chitra does not read
        "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08",
        "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10x",
    ],
)
def test_pain002_wrong_namespace_is_rejected(ns):
    data = _doc(GROUP_NO_STATUS, ns=ns)
    message = r"not a pain\.002 status report chitra reads: .*namespace " + re.escape(ns)
    with pytest.raises(Pain002Error, match=message):
        list(iter_pain002(io.BytesIO(data)))
    with pytest.raises(Pain002Error, match=message):
        pain002_header(io.BytesIO(data))


def test_pain001_given_as_status_report_is_rejected():
    data, _ = _write001(TRANSFERS)
    with pytest.raises(Pain002Error, match=r"pain\.001\.001\.09"):
        list(iter_pain002(io.BytesIO(data)))


def test_pain002_other_root_element_is_rejected():
    with pytest.raises(Pain002Error, match=r"root element is <html>"):
        list(iter_pain002(io.BytesIO(b"<html><body>502 Bad Gateway</body></html>")))
    with pytest.raises(Pain002Error, match=r"root element is <html>"):
        pain002_header(io.BytesIO(b"<html><body>502 Bad Gateway</body></html>"))


def test_pain002_malformed_xml_is_rejected():
    data = _write002(PAIN002_LINES)[:-40]  # truncated transfer
    with pytest.raises(Pain002Error, match="not well-formed XML"):
        list(iter_pain002(io.BytesIO(data)))


def test_pain002_does_not_expand_external_entities(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
        f'<Document xmlns="{PAIN002_NS}"><CstmrPmtStsRpt>'
        "<GrpHdr><MsgId>&x;</MsgId><CreDtTm>2025-08-06T10:00:00+07:00</CreDtTm></GrpHdr>"
        "<OrgnlGrpInfAndSts><OrgnlMsgId>M</OrgnlMsgId><OrgnlMsgNmId>p</OrgnlMsgNmId>"
        "</OrgnlGrpInfAndSts></CstmrPmtStsRpt></Document>"
    ).encode()
    try:
        seen = repr(pain002_header(io.BytesIO(data)))
    except Pain002Error as exc:  # the unexpanded entity leaves no MsgId text
        seen = str(exc)
    assert "TOPSECRET" not in seen


def test_pain002_200k_lines_stream_through_a_file(tmp_path):
    n = 200_000
    path = tmp_path / "big-status.xml"

    def lines() -> Iterator[tuple[str, str, str]]:
        for i in range(n):
            if i % 97 == 0:
                yield (f"BHXH0825{i:010d}", "RJCT", "AC04")
            else:
                yield (f"BHXH0825{i:010d}", "ACSC", "")

    with path.open("wb") as fh:
        sha = write_pain002(
            fh,
            message_id="RPT-BIG",
            created_at=CREATED,
            original_message_id="BHXH08-202508-0001",
            lines=lines(),
        )
    assert sha == hashlib.sha256(path.read_bytes()).hexdigest()
    count = rejected = 0
    for line in iter_pain002(path):
        i = count
        count += 1
        assert line.position == count
        assert line.reference == f"BHXH0825{i:010d}"
        if line.status == "rjct":
            rejected += 1
            assert (i % 97, line.reason_code) == (0, "AC04")
    assert count == n
    assert rejected == len(range(0, n, 97))
    assert pain002_header(path).original_message_id == "BHXH08-202508-0001"
