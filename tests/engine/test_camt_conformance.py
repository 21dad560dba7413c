"""docs/conformance/camt.md is true: every element it lists is declared by the camt.053 and
camt.054 (001.08) schemas, and is read: removing it from a complete document changes what
`camt_header` / `iter_camt` return, or makes them refuse the file."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from chitra.engine.iso20022.camt import CamtError, camt_header, iter_camt

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "conformance" / "camt.md"
DATA = ROOT / "tests" / "data" / "iso20022"
ROW = re.compile(r"^\| `([A-Za-z/]+)` \|", re.MULTILINE)
NS54 = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"
NS53 = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"


def _listed() -> list[str]:
    return ROW.findall(DOC.read_text("utf-8"))


_TX = """<TxDtls><Refs>{refs}</Refs>{amt}<CdtDbtInd>{cdi}</CdtDbtInd>{details}{rtr}</TxDtls>"""


def _document(variant: str) -> bytes:
    """A camt.054.001.08 with every element the reader uses, in one of three forms ("a": account
    as Othr/Id, BookgDt/Dt, TxDtls/Amt, Rsn/Cd; "b": IBAN, BookgDt/DtTm, a reversal,
    AmtDtls/TxAmt, Rsn/Prtry; "c": as "b" with AmtDtls/InstdAmt)."""
    a = variant == "a"
    acct = "<Othr><Id>1234567890</Id></Othr>" if a else "<IBAN>VN12345678901234567890</IBAN>"
    booking = "<Dt>2026-12-05</Dt>" if a else "<DtTm>2026-12-05T08:00:00+07:00</DtTm>"
    amount = '<Amt Ccy="VND">6120000</Amt>' if a else ""
    details = {
        "a": "",
        "b": '<AmtDtls><TxAmt><Amt Ccy="VND">6120000</Amt></TxAmt></AmtDtls>',
        "c": '<AmtDtls><InstdAmt><Amt Ccy="VND">6120000</Amt></InstdAmt></AmtDtls>',
    }[variant]
    reason = "<Cd>AC04</Cd>" if a else "<Prtry>XX01</Prtry>"
    refs = (
        "<MsgId>MSG-1</MsgId><AcctSvcrRef>BANKREF-1</AcctSvcrRef><PmtInfId>MSG-1-PENS</PmtInfId>"
        "<InstrId>77</InstrId><EndToEndId>REF-0001</EndToEndId>"
        "<UETR>0b7c3e6a-8c1f-4d2a-9e5b-3f6a7c8d9e01</UETR>"
    )
    returned = _TX.format(
        refs=refs.replace("REF-0001", "REF-0002").replace("9e01", "9e02"),
        amt=amount,
        details=details,
        cdi="CRDT",
        rtr=f"<RtrInf><Rsn>{reason}</Rsn><AddtlInf>Tài khoản đã đóng</AddtlInf></RtrInf>",
    )
    debit = _TX.format(refs=refs, amt=amount, details=details, cdi="DBIT", rtr="")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{NS54}"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>NTF-1</MsgId><CreDtTm>2026-12-05T09:00:00+07:00</CreDtTm></GrpHdr>
<Ntfctn><Id>N-1</Id><CreDtTm>2026-12-05T09:00:00+07:00</CreDtTm>
<Acct><Id>{acct}</Id><Ccy>VND</Ccy></Acct>
<Ntry><NtryRef>E-1</NtryRef><Amt Ccy="VND">6120000</Amt><CdtDbtInd>DBIT</CdtDbtInd>
<RvslInd>{"false" if a else "true"}</RvslInd><Sts><Cd>BOOK</Cd></Sts><BookgDt>{booking}</BookgDt>
<ValDt><Dt>2026-12-05</Dt></ValDt><AcctSvcrRef>BANK-E-1</AcctSvcrRef>
<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>
<NtryDtls><Btch><MsgId>MSG-1</MsgId><PmtInfId>MSG-1-PENS</PmtInfId><NbOfTxs>2</NbOfTxs>
<TtlAmt Ccy="VND">12240000</TtlAmt><CdtDbtInd>DBIT</CdtDbtInd></Btch>
{debit}{returned}</NtryDtls><AddtlNtryInf>Chi lương hưu tháng 12</AddtlNtryInf></Ntry>
</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>""".encode()


def _reading(data: bytes) -> object:
    try:
        return (camt_header(io.BytesIO(data)), list(iter_camt(io.BytesIO(data))))
    except CamtError as e:
        return ("refused", str(e))


@pytest.mark.parametrize("variant", ["a", "b", "c"])
def test_the_complete_documents_are_schema_valid(variant: str) -> None:
    xmlschema.XMLSchema(str(DATA / "camt.054.001.08.xsd")).validate(_document(variant))


@pytest.mark.parametrize(
    ("xsd", "ns", "root", "report"),
    [
        ("camt.053.001.08.xsd", NS53, "BkToCstmrStmt", "Stmt"),
        ("camt.054.001.08.xsd", NS54, "BkToCstmrDbtCdtNtfctn", "Ntfctn"),
    ],
)
def test_every_listed_element_is_declared_by_the_schema(xsd, ns, root, report) -> None:
    schema = xmlschema.XMLSchema(str(DATA / xsd))
    missing = []
    for path in _listed():
        parts = path.split("/") if path.startswith("GrpHdr/") else [report, *path.split("/")]
        xpath = "/".join(f"c:{p}" for p in ["Document", root, *parts])
        if schema.find(xpath, namespaces={"c": ns}) is None:
            missing.append(path)
    assert missing == [], f"not in {xsd}"


def test_every_listed_element_is_read() -> None:
    """In at least one complete form that holds it (``RvslInd`` false reads as no element)."""
    ignored = []
    for path in _listed():
        present = read = False
        for variant in ("a", "b", "c"):
            data = _document(variant)
            root = etree.fromstring(data)
            base = "c:BkToCstmrDbtCdtNtfctn/" + ("" if path.startswith("GrpHdr/") else "c:Ntfctn/")
            hits = root.xpath(
                base + "/".join(f"c:{p}" for p in path.split("/")), namespaces={"c": NS54}
            )
            if not hits:
                continue
            present = True
            for el in hits:
                el.getparent().remove(el)
            read = read or _reading(etree.tostring(root)) != _reading(data)
        if not read:
            ignored.append(path if present else f"{path} (in no complete document)")
    assert ignored == [], "listed on docs/conformance/camt.md but not read: " + ", ".join(ignored)
