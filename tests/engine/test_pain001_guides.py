"""pain.001 as bank implementation guides ask (issue #14 item 3): initiating party id, InstrId
and UETR, several PmtInf blocks by category purpose, service level / local instrument, Purp,
creditor and ultimate creditor identification, name styles. Every file is XSD-validated."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from chitra.engine.iso20022 import (
    PAIN001_NS,
    ControlTotalMismatch,
    CreditTransfer,
    Pain001Header,
    PaymentBlock,
    write_pain001,
)

ISO_DIR = Path(__file__).resolve().parents[2] / "tests" / "data" / "iso20022"
ICT = timezone(timedelta(hours=7))
NS = {"p": PAIN001_NS}
UETR_1 = "8a562c67-ca16-48ba-b074-65581be6f011"
UETR_2 = str(uuid.UUID("00000000-0000-4000-8000-000000000002"))


@pytest.fixture(scope="module")
def xsd() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(ISO_DIR / "pain.001.001.09.xsd"))


PENSION = CreditTransfer(
    "79202601-0001",
    3_500_000,
    "Nguyễn Thị Lan",
    "0123456789",
    "970436",
    "BHXH chi Lương hưu tháng 01/2026",
    instruction_id="1001",
    uetr=UETR_1,
    purpose="PENS",
    creditor_id="001190000001",
    creditor_id_scheme="NIDN",
    block=0,
)
ALLOWANCE = CreditTransfer(
    "79202601-0002",
    1_200_000,
    "Đặng Văn Đức",  # a representative, paid for the beneficiary below
    "0987654321",
    "970415",
    "BHXH chi Trợ cấp BHXH hằng tháng tháng 01/2026",
    instruction_id="1002",
    uetr=UETR_2,
    purpose="SSBE",
    creditor_id="001190000002",
    ultimate_creditor_name="Trần Thị Hoà",
    ultimate_creditor_id="7912345678",
    ultimate_creditor_id_scheme="SOSE",
    block=1,
)


def _header(**changes: object) -> Pain001Header:
    header = Pain001Header(
        message_id="20260105083000A1B2C3D4E5F6A7B8",
        created_at=datetime(2026, 1, 5, 8, 30, tzinfo=ICT),
        initiating_party="Bảo hiểm xã hội tỉnh Đồng Nai",
        initiating_party_id="3600123456",
        execution_date=date(2026, 1, 10),
        debtor_name="Bảo hiểm xã hội tỉnh Đồng Nai",
        debtor_account="1130000000001",
        debtor_agent_bin="970405",
        control_count=2,
        control_sum=4_700_000,
        service_level="NURG",
        local_instrument="prtry:CITAD",
        blocks=(
            PaymentBlock("79202601-970436-CK-0-PENS", 1, 3_500_000, "PENS"),
            PaymentBlock("79202601-970436-CK-0-SSBE", 1, 1_200_000, "SSBE"),
        ),
    )
    return replace(header, **changes)  # type: ignore[arg-type]


def _write(header: Pain001Header, transfers: list[CreditTransfer]) -> etree._Element:
    out = io.BytesIO()
    write_pain001(out, header, iter(transfers))
    return etree.fromstring(out.getvalue())


def _text(el: etree._Element, path: str) -> list[str]:
    return [x.text for x in el.xpath(path, namespaces=NS)]


def test_a_file_as_bank_guides_ask_is_schema_valid(xsd):
    out = io.BytesIO()
    write_pain001(out, _header(), [PENSION, ALLOWANCE])
    xsd.validate(io.BytesIO(out.getvalue()))
    root = etree.fromstring(out.getvalue())
    grp = "p:CstmrCdtTrfInitn/p:GrpHdr/p:InitgPty"
    assert _text(root, f"{grp}/p:Nm") == ["Bảo hiểm xã hội tỉnh Đồng Nai"]
    assert _text(root, f"{grp}/p:Id/p:OrgId/p:Othr/p:Id") == ["3600123456"]
    assert _text(root, f"{grp}/p:Id/p:OrgId/p:Othr/p:SchmeNm/p:Cd") == ["TXID"]
    blocks = root.xpath("//p:PmtInf", namespaces=NS)
    assert [_text(b, "p:PmtInfId")[0] for b in blocks] == [
        "79202601-970436-CK-0-PENS",
        "79202601-970436-CK-0-SSBE",
    ]
    assert [_text(b, "p:PmtTpInf/p:CtgyPurp/p:Cd")[0] for b in blocks] == ["PENS", "SSBE"]
    assert [_text(b, "p:NbOfTxs")[0] for b in blocks] == ["1", "1"]
    assert [_text(b, "p:CtrlSum")[0] for b in blocks] == ["3500000", "1200000"]
    for b in blocks:
        assert _text(b, "p:PmtTpInf/p:SvcLvl/p:Cd") == ["NURG"]
        assert _text(b, "p:PmtTpInf/p:LclInstrm/p:Prtry") == ["CITAD"]
        assert _text(b, "p:ReqdExctnDt/p:Dt") == ["2026-01-10"]
    assert _text(root, "//p:PmtId/p:InstrId") == ["1001", "1002"]
    assert _text(root, "//p:PmtId/p:UETR") == [UETR_1, UETR_2]
    assert _text(root, "//p:CdtTrfTxInf/p:Purp/p:Cd") == ["PENS", "SSBE"]
    assert _text(root, "//p:Cdtr/p:Id/p:PrvtId/p:Othr/p:Id") == ["001190000001", "001190000002"]
    assert _text(root, "//p:Cdtr/p:Id/p:PrvtId/p:Othr/p:SchmeNm/p:Cd") == ["NIDN", "NIDN"]
    (ultimate,) = root.xpath("//p:UltmtCdtr", namespaces=NS)
    assert _text(ultimate, "p:Nm") == ["Trần Thị Hoà"]
    assert _text(ultimate, "p:Id/p:PrvtId/p:Othr/p:Id") == ["7912345678"]
    assert _text(ultimate, "p:Id/p:PrvtId/p:Othr/p:SchmeNm/p:Cd") == ["SOSE"]
    # the ultimate creditor is the second transfer's only
    assert root.xpath("(//p:CdtTrfTxInf)[1]/p:UltmtCdtr", namespaces=NS) == []


def test_service_level_as_proprietary_and_local_instrument_as_code(xsd):
    header = _header(service_level="prtry:NAPAS247", local_instrument="INST")
    out = io.BytesIO()
    write_pain001(out, header, [PENSION, ALLOWANCE])
    xsd.validate(io.BytesIO(out.getvalue()))
    root = etree.fromstring(out.getvalue())
    assert _text(root, "//p:SvcLvl/p:Prtry") == ["NAPAS247", "NAPAS247"]
    assert _text(root, "//p:LclInstrm/p:Cd") == ["INST", "INST"]


def test_without_the_optional_elements_nothing_is_written(xsd):
    plain = CreditTransfer("E-1", 1000, "Lan", "111", "970436", "")
    header = _header(
        initiating_party_id=None,
        service_level=None,
        local_instrument=None,
        control_count=1,
        control_sum=1000,
        blocks=(PaymentBlock("B-1", 1, 1000, None),),
    )
    out = io.BytesIO()
    write_pain001(out, header, [plain])
    xsd.validate(io.BytesIO(out.getvalue()))
    data = out.getvalue()
    for element in (b"<PmtTpInf", b"<InitgPty><Nm>B", b"<UETR", b"<InstrId", b"<Purp", b"<Ultmt"):
        if element == b"<InitgPty><Nm>B":
            assert b"<OrgId>" not in data
        else:
            assert element not in data
    assert b"<Cdtr><Nm>Lan</Nm></Cdtr>" in data


@pytest.mark.parametrize(
    ("style", "creditor", "ultimate", "debtor", "remittance"),
    [
        (
            "unicode",
            "Đặng Văn Đức",
            "Trần Thị Hoà",
            "Bảo hiểm xã hội tỉnh Đồng Nai",
            "BHXH chi Trợ cấp BHXH hằng tháng tháng 01/2026",
        ),
        (
            "latin",
            "Dang Van Duc",
            "Tran Thi Hoa",
            "Bao hiem xa hoi tinh Dong Nai",
            "BHXH chi Tro cap BHXH hang thang thang 01/2026",
        ),
        (
            "latin_upper",
            "DANG VAN DUC",
            "TRAN THI HOA",
            "BAO HIEM XA HOI TINH DONG NAI",
            "BHXH CHI TRO CAP BHXH HANG THANG THANG 01/2026",
        ),
    ],
)
def test_names_are_written_in_the_profile_style(xsd, style, creditor, ultimate, debtor, remittance):
    out = io.BytesIO()
    write_pain001(out, _header(name_style=style), [PENSION, ALLOWANCE])
    xsd.validate(io.BytesIO(out.getvalue()))
    root = etree.fromstring(out.getvalue())
    assert _text(root, "//p:Cdtr/p:Nm")[1] == creditor
    assert _text(root, "//p:UltmtCdtr/p:Nm") == [ultimate]
    assert set(_text(root, "//p:Dbtr/p:Nm")) == {debtor}
    assert _text(root, "//p:InitgPty/p:Nm") == [debtor]
    assert _text(root, "//p:RmtInf/p:Ustrd")[1] == remittance
    if style != "unicode":
        assert out.getvalue().isascii()


def test_an_unknown_name_style_is_refused():
    with pytest.raises(ValueError, match="name_style 'ascii' is not one of unicode, latin"):
        write_pain001(io.BytesIO(), _header(name_style="ascii"), [PENSION, ALLOWANCE])


def test_transfers_out_of_block_order_are_refused_naming_the_position():
    # the first block cannot be skipped: it is short of its totals when the second begins
    with pytest.raises(ControlTotalMismatch, match=r"of block 79202601-970436-CK-0-PENS"):
        write_pain001(io.BytesIO(), _header(), [ALLOWANCE, PENSION])
    with pytest.raises(ValueError, match=r"transfer #2: block 2 after block 0"):
        write_pain001(io.BytesIO(), _header(), [PENSION, replace(ALLOWANCE, block=2)])
    back = replace(PENSION, block=0)
    with pytest.raises(ValueError, match=r"transfer #3: block 0 after block 1"):
        header = _header(
            control_count=3,
            control_sum=8_200_000,
            blocks=(
                PaymentBlock("A", 1, 3_500_000, "PENS"),
                PaymentBlock("B", 2, 4_700_000, "SSBE"),
            ),
        )
        write_pain001(io.BytesIO(), header, [PENSION, ALLOWANCE, back])


def test_a_block_short_of_its_totals_is_a_mismatch_naming_the_block():
    header = _header(
        control_count=3,
        control_sum=8_200_000,
        blocks=(
            PaymentBlock("A", 2, 7_000_000, "PENS"),
            PaymentBlock("B", 1, 1_200_000, "SSBE"),
        ),
    )
    with pytest.raises(ControlTotalMismatch, match="of block A") as caught:
        write_pain001(io.BytesIO(), header, [PENSION, ALLOWANCE])
    assert (caught.value.block, caught.value.actual_count) == ("A", 1)


def test_a_block_left_without_transfers_is_a_mismatch():
    with pytest.raises(ControlTotalMismatch, match="of block 79202601-970436-CK-0-SSBE"):
        write_pain001(io.BytesIO(), _header(), [PENSION])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"control_count": 3}, "do not add up to the file's"),
        ({"blocks": (PaymentBlock("A", 0, 0, "PENS"),)}, "control_count must be at least 1"),
        (
            {"blocks": (PaymentBlock("A", 1, 3_500_000), PaymentBlock("A", 1, 1_200_000))},
            "payment_info_id 'A' is used twice",
        ),
        ({"initiating_party_id": " 36001"}, "initiating_party_id"),
        ({"service_level": "NORMAL"}, "service_level 'NORMAL' is longer than 4"),
    ],
)
def test_invalid_headers_are_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        write_pain001(io.BytesIO(), _header(**changes), [PENSION, ALLOWANCE])


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"uetr": UETR_1.upper()}, "uetr .* is not a lower-case UUID v4"),
        ({"uetr": str(uuid.uuid1())}, "uetr .* is not a lower-case UUID v4"),
        ({"instruction_id": "X" * 36}, "instruction_id .* longer than 35"),
        ({"purpose": "PENSION"}, "purpose 'PENSION' is longer than 4"),
        ({"creditor_id_scheme": "NATIONAL"}, "creditor_id_scheme"),
        ({"creditor_id": "12 34 "}, "creditor_id"),
    ],
)
def test_invalid_transfer_fields_are_refused_naming_the_position(bad, message):
    with pytest.raises(ValueError, match="transfer #2: " + message):
        write_pain001(io.BytesIO(), _header(), [PENSION, replace(ALLOWANCE, **bad)])


def test_blocks_are_streamed(xsd, tmp_path):
    """Two blocks of 2 500 transfers each: the file is written while the transfers are still
    being produced (more than one chunk), and is valid."""
    n = 2500
    seen: list[int] = []
    path = tmp_path / "two-blocks.xml"

    with path.open("wb") as fh:

        def gen() -> Iterator[CreditTransfer]:
            for block in (0, 1):
                for i in range(n):
                    if i == n - 1:
                        seen.append(fh.tell())
                    yield CreditTransfer(
                        f"E-{block}-{i}",
                        1000 + i,
                        f"Người {i}",
                        f"ACC{i}",
                        "970436",
                        "Lương hưu",
                        uetr=str(uuid.uuid4()),
                        purpose=("PENS", "SSBE")[block],
                        block=block,
                    )

        total = sum(1000 + i for i in range(n))
        header = _header(
            control_count=2 * n,
            control_sum=2 * total,
            blocks=(PaymentBlock("A", n, total, "PENS"), PaymentBlock("B", n, total, "SSBE")),
        )
        write_pain001(fh, header, gen())
    assert 0 < seen[0] < seen[1] < path.stat().st_size
    xsd.validate(str(path))
    root = etree.parse(str(path)).getroot()
    assert [
        len(b.xpath("p:CdtTrfTxInf", namespaces=NS)) for b in root.iter(f"{{{PAIN001_NS}}}PmtInf")
    ] == [n, n]


DOC = Path(__file__).resolve().parents[2] / "docs" / "conformance" / "pain001.md"
ROW = re.compile(r"^\| `([A-Za-z/]+)` \|", re.MULTILINE)


def _paths(data: bytes) -> set[str]:
    root = etree.fromstring(data)
    (body,) = root
    out = set()
    for el in body.iter():
        if el is body or len(el):  # leaves only: elements with a value
            continue
        parts = []
        node = el
        while node is not body:
            parts.append(etree.QName(node).localname)
            node = node.getparent()
        out.add("/".join(reversed(parts)))
    return out


def test_the_conformance_page_lists_every_element_written(xsd):
    written: set[str] = set()
    for header in (_header(), _header(service_level="prtry:X", local_instrument="INST")):
        out = io.BytesIO()
        write_pain001(out, header, [PENSION, ALLOWANCE])
        xsd.validate(io.BytesIO(out.getvalue()))
        written |= _paths(out.getvalue())
    listed = set(ROW.findall(DOC.read_text("utf-8")))
    assert written - listed == set(), "written but not on docs/conformance/pain001.md"
    assert listed - written == set(), "on docs/conformance/pain001.md but never written"
