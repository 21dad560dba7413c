"""pain.002.001.10: a bank's status report on a batch, written (the simulated bank, tests) and read
as hostile input, streaming (see the package's doc)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from lxml import etree

from chitra.engine.iso20022.common import CHUNK_LINES, MAX_ID, HashingSink, identifier, iso_datetime

__all__ = [
    "PAIN002_NS",
    "TX_STATUS_MAP",
    "Pain002Error",
    "StatusLine",
    "iter_pain002",
    "pain002_header",
    "write_pain002",
]

PAIN002_NS = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"

#: ISO ``ExternalPaymentTransactionStatus1Code`` -> the application's status. Codes not listed
#: here (CANC, BLCK, ACIS, PRES, or a group-only code such as PART) are a :class:`Pain002Error`.
TX_STATUS_MAP: dict[str, str] = {
    "ACSC": "succ",  # AcceptedSettlementCompleted (debtor side)
    "ACCC": "succ",  # AcceptedSettlementCompletedCreditorAccount
    "RJCT": "rjct",  # Rejected
    "ACCP": "pending",  # AcceptedCustomerProfile
    "ACFC": "pending",  # AcceptedFundsChecked
    "ACPD": "pending",  # AcceptedClearingProcessed
    "ACSP": "pending",  # AcceptedSettlementInProcess
    "ACTC": "pending",  # AcceptedTechnicalValidation
    "ACWC": "pending",  # AcceptedWithChange
    "ACWP": "pending",  # AcceptedWithoutPosting
    "PDNG": "pending",  # Pending
    "RCVD": "pending",  # Received
}


class Pain002Error(ValueError):
    """A pain.002 document that cannot be read; the message names the line position / element."""


@dataclass(frozen=True, slots=True)
class StatusLine:
    """One ``TxInfAndSts`` of a pain.002 report.

    ``position`` is the 1-based index of the ``TxInfAndSts`` in the file; ``status`` is
    ``"succ"``, ``"rjct"`` or ``"pending"`` (see :data:`TX_STATUS_MAP`), ``iso_status`` the
    raw (possibly inherited) code; ``reason_code`` / ``reason_text`` are ``""`` when absent;
    ``amount`` is ``OrgnlTxRef/Amt/InstdAmt`` in whole VND when present.
    """

    position: int
    reference: str
    status: str
    iso_status: str
    reason_code: str
    reason_text: str
    amount: int | None


# ------------------------------------------------------------------------------ writer


def write_pain002(
    out: BinaryIO,
    *,
    message_id: str,
    created_at: datetime,
    original_message_id: str,
    lines: Iterable[tuple[str, str, str]],
    original_payment_info_id: str | None = None,
) -> str:
    """Stream a pain.002.001.10 status report to ``out``; return the SHA-256 hex of its bytes.

    ``lines`` are ``(end_to_end_id, iso_status, reason_code)`` with ``iso_status`` a TxSts code
    (``ACSC``, ``RJCT``, ...) and ``reason_code`` an ExternalStatusReason1Code such as ``AC04``
    (``Rsn/Cd``; a code longer than 4 characters is written as ``Rsn/Prtry``) or ``""``.
    All lines go in one ``OrgnlPmtInfAndSts`` whose ``OrgnlPmtInfId`` is
    ``original_payment_info_id`` (default: ``original_message_id``).
    """
    sink = HashingSink(out)
    pmt_id = original_message_id if original_payment_info_id is None else original_payment_info_id
    sink.write(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="{PAIN002_NS}">\n'
        "  <CstmrPmtStsRpt>\n"
        "    <GrpHdr>\n"
        f"      <MsgId>{identifier(message_id, MAX_ID, 'message_id')}</MsgId>\n"
        f"      <CreDtTm>{iso_datetime(created_at, 'created_at')}</CreDtTm>\n"
        "    </GrpHdr>\n"
        "    <OrgnlGrpInfAndSts>\n"
        f"      <OrgnlMsgId>{identifier(original_message_id, MAX_ID, 'original_message_id')}"
        "</OrgnlMsgId>\n"
        "      <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>\n"
        "    </OrgnlGrpInfAndSts>\n"
        "    <OrgnlPmtInfAndSts>\n"
        f"      <OrgnlPmtInfId>{identifier(pmt_id, MAX_ID, 'original_payment_info_id')}"
        "</OrgnlPmtInfId>\n"
    )
    parts: list[str] = []
    append = parts.append
    reasons: dict[str, str] = {"": ""}
    for position, (reference, iso_status, reason_code) in enumerate(lines, 1):
        try:
            ref = identifier(reference, MAX_ID, "end_to_end_id")
            sts = identifier(iso_status, 4, "iso_status")
            rsn = reasons.get(reason_code)
            if rsn is None:
                if len(reason_code) <= 4:
                    code = identifier(reason_code, 4, "reason_code")
                    rsn = f"<StsRsnInf><Rsn><Cd>{code}</Cd></Rsn></StsRsnInf>"
                else:
                    code = identifier(reason_code, MAX_ID, "reason_code")
                    rsn = f"<StsRsnInf><Rsn><Prtry>{code}</Prtry></Rsn></StsRsnInf>"
                reasons[reason_code] = rsn
        except ValueError as exc:
            raise ValueError(f"line #{position}: {exc}") from None
        append(
            f"      <TxInfAndSts><OrgnlEndToEndId>{ref}</OrgnlEndToEndId>"
            f"<TxSts>{sts}</TxSts>{rsn}</TxInfAndSts>\n"
        )
        if len(parts) >= CHUNK_LINES:
            sink.write("".join(parts))
            parts.clear()
    parts.append("    </OrgnlPmtInfAndSts>\n  </CstmrPmtStsRpt>\n</Document>\n")
    sink.write("".join(parts))
    return sink.hexdigest()


# ------------------------------------------------------------------------------ reader

_P = "{" + PAIN002_NS + "}"
_DOCUMENT = _P + "Document"
_GRP_HDR = _P + "GrpHdr"
_ORGNL_GRP = _P + "OrgnlGrpInfAndSts"
_ORGNL_PMT = _P + "OrgnlPmtInfAndSts"
_PMT_STS = _P + "PmtInfSts"
_GRP_STS = _P + "GrpSts"
_TX = _P + "TxInfAndSts"
_E2E = _P + "OrgnlEndToEndId"
_TX_STS = _P + "TxSts"
_RSN_INF = _P + "StsRsnInf"
_RSN = _P + "Rsn"
_ADDTL = _P + "AddtlInf"
_ORGNL_TX_REF = _P + "OrgnlTxRef"
_AMT = _P + "Amt"
_INSTD_AMT = _P + "InstdAmt"
_AMOUNT_RE = re.compile(r"\s*(\d+)(?:\.0*)?\s*")


def _open_events(source: str | Path | BinaryIO, tags: tuple[str, ...]) -> Any:
    """Events of a status report parsed as hostile input: no DTD (a document that has one is
    refused, see :func:`_refuse_dtd`), no entity expansion, no network, no huge text nodes."""
    src: Any = str(source) if isinstance(source, Path) else source
    _refuse_dtd(src)
    return etree.iterparse(
        src,
        events=("start", "end"),
        tag=("{*}Document", *tags),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        dtd_validation=False,
    )


_PROLOG = 64 * 1024
_DOCTYPE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _refuse_dtd(src: Any) -> None:
    """An ISO 20022 message never has a DTD; one that does is refused before it is parsed
    (entity bombs such as "billion laughs", external entities). The prolog is read in the
    encodings a document may declare by its first bytes (UTF-8, UTF-16)."""
    if isinstance(src, str):
        with open(src, "rb") as fh:
            head = fh.read(_PROLOG)
    elif hasattr(src, "peek"):
        head = src.peek(_PROLOG)[:_PROLOG]
    elif hasattr(src, "seek") and hasattr(src, "tell"):
        pos = src.tell()
        head = src.read(_PROLOG)
        src.seek(pos)
    else:
        return  # a stream that cannot be re-read: lxml's own settings above still hold
    texts = [head]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:2] in (b"<\x00", b"\x00<"):
        enc = "utf-16-be" if head.startswith(b"\xfe\xff") or head[:1] == b"\x00" else "utf-16-le"
        texts.append(head.decode(enc, "ignore").encode("utf-8"))
    if any(_DOCTYPE.search(t) for t in texts):
        raise Pain002Error("a document type declaration (DTD) is not allowed in a status report")


def _check_root(elem: Any) -> None:
    if elem.getparent() is not None:
        return
    info = elem.getroottree().docinfo
    if info.internalDTD is not None or info.doctype:
        raise Pain002Error("a document type declaration (DTD) is not allowed in a status report")
    if elem.tag != _DOCUMENT:
        ns = etree.QName(elem).namespace or "(none)"
        raise Pain002Error(
            f"not a pain.002.001.10 document: root element namespace is {ns}, expected {PAIN002_NS}"
        )


def _check_final_root(events: Any, seen_root: bool) -> None:
    if seen_root:
        return
    root = getattr(events, "root", None)
    tag = etree.QName(root).localname if root is not None else "(none)"
    raise Pain002Error(f"not a pain.002.001.10 document: root element is <{tag}>")


def _drop(elem: Any) -> None:
    """Free a processed element and its already-processed preceding siblings."""
    elem.clear(keep_tail=True)
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


def _reasons(elems: Iterable[Any]) -> tuple[str, str]:
    """(first reason code, all AddtlInf joined) of ``StsRsnInf`` elements."""
    code = ""
    texts: list[str] = []
    for info in elems:
        for sub in info:
            if sub.tag == _RSN:
                if not code:
                    for choice in sub:
                        code = (choice.text or "").strip()
                        break
            elif sub.tag == _ADDTL and sub.text and sub.text.strip():
                texts.append(sub.text.strip())
    return code, " ".join(texts)


def _syntax_error(exc: etree.XMLSyntaxError) -> Pain002Error:
    return Pain002Error(f"not well-formed XML: {exc}")


def pain002_header(source: str | Path | BinaryIO) -> dict[str, str]:
    """Return the group data of a pain.002.001.10 report, reading only the start of the file.

    Keys: ``MsgId``, ``CreDtTm``, ``OrgnlMsgId``, ``OrgnlMsgNmId`` and, when present,
    ``OrgnlCreDtTm``, ``OrgnlNbOfTxs``, ``OrgnlCtrlSum``, ``GrpSts``. A ``str`` source is a
    file name.
    """
    header: dict[str, str] = {}
    events = _open_events(source, (_GRP_HDR, _ORGNL_GRP))
    seen_root = False
    try:
        for event, elem in events:
            if elem.tag == _DOCUMENT or event == "start":
                if event == "start" and elem.getparent() is None:
                    _check_root(elem)
                    seen_root = True
                continue
            for child in elem:
                if child.tag.startswith(_P) and len(child) == 0:
                    header[child.tag[len(_P) :]] = (child.text or "").strip()
            if elem.tag == _ORGNL_GRP:
                break
        else:
            _check_final_root(events, seen_root)
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc) from None
    for key in ("MsgId", "OrgnlMsgId"):
        if key not in header:
            raise Pain002Error(f"pain.002 has no {key}")
    return header


def iter_pain002(source: str | Path | BinaryIO) -> Iterator[StatusLine]:
    """Yield a :class:`StatusLine` per ``TxInfAndSts`` of a pain.002.001.10 report, streaming.

    A transaction without ``TxSts`` inherits the ``PmtInfSts`` of its ``OrgnlPmtInfAndSts``,
    else the ``GrpSts`` of ``OrgnlGrpInfAndSts`` (with that level's reason when it has none of
    its own). Raises :class:`Pain002Error` for a document that is not pain.002.001.10, a line
    without ``OrgnlEndToEndId`` or status, a status not in :data:`TX_STATUS_MAP`, or an amount
    that is not whole VND. A ``str`` source is a file name.
    """
    events = _open_events(source, (_ORGNL_GRP, _TX, _ORGNL_PMT))
    seen_root = False
    grp: tuple[str, str, str] = ("", "", "")  # GrpSts, its reason code, its reason text
    pmt: tuple[str, str, str] | None = None  # same for the current OrgnlPmtInfAndSts
    position = 0
    try:
        for event, elem in events:
            tag = elem.tag
            if event == "start":
                if tag != _TX and elem.getparent() is None:
                    _check_root(elem)
                    seen_root = True
                continue
            if tag == _TX:
                position += 1
                if pmt is None:
                    # First line of the block: its PmtInfSts / StsRsnInf precede it and are
                    # still in the tree (dropped below with the line).
                    pmt = _group_status(elem.getparent(), _PMT_STS)
                yield _status_line(elem, position, pmt, grp)
                _drop(elem)
            elif tag == _ORGNL_PMT:
                pmt = None
                _drop(elem)
            elif tag == _ORGNL_GRP:
                grp = _group_status(elem, _GRP_STS)
                _drop(elem)
        _check_final_root(events, seen_root)
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc) from None


def _group_status(block: Any, status_tag: str) -> tuple[str, str, str]:
    """(status, reason code, reason text) of an OrgnlGrpInfAndSts / OrgnlPmtInfAndSts."""
    if block is None:
        return ("", "", "")
    status = ""
    infos: list[Any] = []
    for child in block:
        if child.tag == status_tag:
            status = (child.text or "").strip()
        elif child.tag == _RSN_INF:
            infos.append(child)
        elif child.tag == _TX:
            break
    code, text = _reasons(infos)
    return status, code, text


def _status_line(
    elem: Any, position: int, pmt: tuple[str, str, str], grp: tuple[str, str, str]
) -> StatusLine:
    reference = ""
    iso = ""
    infos: list[Any] = []
    amount: int | None = None
    for child in elem:
        tag = child.tag
        if tag == _E2E:
            reference = (child.text or "").strip()
        elif tag == _TX_STS:
            iso = (child.text or "").strip()
        elif tag == _RSN_INF:
            infos.append(child)
        elif tag == _ORGNL_TX_REF:
            amount = _amount(child, position)
    if not reference:
        raise Pain002Error(f"TxInfAndSts #{position}: no OrgnlEndToEndId")
    code, text = _reasons(infos) if infos else ("", "")
    where = "TxSts"
    if not iso:
        if pmt[0]:
            (iso, inh_code, inh_text), where = pmt, "inherited PmtInfSts"
        elif grp[0]:
            (iso, inh_code, inh_text), where = grp, "inherited GrpSts"
        else:
            raise Pain002Error(
                f"TxInfAndSts #{position} ({reference}): no TxSts, and neither PmtInfSts "
                "nor GrpSts to inherit"
            )
        if not infos:
            code, text = inh_code, inh_text
    status = TX_STATUS_MAP.get(iso)
    if status is None:
        raise Pain002Error(
            f"TxInfAndSts #{position} ({reference}): unknown {where} code {iso!r}, expected "
            f"one of {', '.join(sorted(TX_STATUS_MAP))}"
        )
    return StatusLine(position, reference, status, iso, code, text, amount)


def _amount(ref: Any, position: int) -> int | None:
    amt = ref.find(_AMT)
    if amt is None:
        return None
    instd = amt.find(_INSTD_AMT)
    if instd is None:
        return None
    ccy = instd.get("Ccy")
    if ccy is not None and ccy != "VND":
        raise Pain002Error(
            f"TxInfAndSts #{position}: OrgnlTxRef/Amt/InstdAmt currency {ccy!r}, expected 'VND'"
        )
    m = _AMOUNT_RE.fullmatch(instd.text or "")
    if m is None:
        raise Pain002Error(
            f"TxInfAndSts #{position}: OrgnlTxRef/Amt/InstdAmt {instd.text!r} is not a whole "
            "number of VND"
        )
    return int(m.group(1))
