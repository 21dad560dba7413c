"""ISO 20022 payment files: pain.001.001.09 (credit transfers out) and pain.002.001.10 (status in).

Pure Python + lxml, no Django. Built for monthly pension batches of up to millions of lines:

* :func:`write_pain001` streams a ``CustomerCreditTransferInitiationV09`` document (one
  ``PmtInf`` block) to a binary file handle with plain string templates, encoding UTF-8 in
  chunks and hashing the bytes (SHA-256) as they are written; transfers are consumed from any
  iterable, one at a time, so a million transfers never need a million objects in memory.
* :func:`write_pain002` writes a ``CustomerPaymentStatusReportV10`` the same way (used by the
  simulated bank and by tests).
* :func:`iter_pain002` / :func:`pain002_header` read a status report with
  ``lxml.etree.iterparse``, clearing every processed element, so the memory used does not grow
  with the number of lines.

Text rules (both writers):

* free text (names, remittance information) is NFC-normalised, tabs and line breaks become
  spaces, characters not allowed in XML 1.0 (and C0/C1 controls) are removed, the result is
  stripped, truncated to its ISO maximum (``Max140Text``: 140 characters) and XML-escaped;
  Vietnamese letters are kept as they are;
* identifiers (message / payment / end-to-end ids, accounts, bank BINs) are never altered: one
  that is empty, too long for its ISO type, has surrounding whitespace or contains control
  characters raises :class:`ValueError` naming the field (and the transfer position);
* amounts are whole đồng (VND has no minor unit) written as plain integers, ``Ccy="VND"``.

Files are deterministic: the same input gives the same bytes (and the same SHA-256).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, BinaryIO
from xml.sax.saxutils import escape

from lxml import etree

__all__ = [
    "PAIN001_NS",
    "PAIN002_NS",
    "TX_STATUS_MAP",
    "ControlTotalMismatch",
    "CreditTransfer",
    "Pain001Header",
    "Pain002Error",
    "StatusLine",
    "iter_pain002",
    "pain002_header",
    "write_pain001",
    "write_pain002",
]

PAIN001_NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
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

_MAX_TEXT = 140  # Max140Text
_MAX_ID = 35  # Max35Text
_MAX_ACCOUNT = 34  # Max34Text (GenericAccountIdentification1/Id)
_MAX_AMOUNT = 10**18 - 1  # totalDigits 18
_CHUNK_LINES = 2048  # transactions rendered per encode/hash/write

# C0 controls (tab/LF/CR included: they become spaces in text), DEL + C1 controls, lone
# surrogates and the two non-characters XML 1.0 forbids.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("[\t\n\r]+")


class ControlTotalMismatch(ValueError):
    """The transfers written do not add up to the header's ``control_count``/``control_sum``.

    Raised after the last transfer, before the closing tags: the output is then an incomplete
    document and must be discarded.
    """

    def __init__(self, expected_count: int, actual_count: int,
                 expected_sum: int, actual_sum: int) -> None:
        self.expected_count = expected_count
        self.actual_count = actual_count
        self.expected_sum = expected_sum
        self.actual_sum = actual_sum
        problems = []
        if expected_count != actual_count:
            problems.append(f"count {actual_count} written, header says {expected_count}")
        if expected_sum != actual_sum:
            problems.append(f"sum {actual_sum} VND written, header says {expected_sum}")
        super().__init__("control totals do not match: " + "; ".join(problems))


class Pain002Error(ValueError):
    """A pain.002 document that cannot be read; the message names the line position / element."""


@dataclass(frozen=True, slots=True)
class CreditTransfer:
    """One credit transfer (``CdtTrfTxInf``) of a pain.001 file.

    ``end_to_end_id`` (Max35Text) is the payment reference echoed back in pain.002;
    ``amount`` is in whole VND (> 0); ``creditor_account`` is an account number or wallet id
    (``CdtrAcct/Id/Othr/Id``, Max34Text); ``creditor_agent_bin`` is the NAPAS BIN of the
    creditor's bank (``CdtrAgt/FinInstnId/ClrSysMmbId/MmbId``). ``creditor_name`` and
    ``remittance_info`` are truncated to 140 characters; an empty ``remittance_info`` omits
    ``RmtInf``.
    """

    end_to_end_id: str
    amount: int
    creditor_name: str
    creditor_account: str
    creditor_agent_bin: str
    remittance_info: str


@dataclass(frozen=True)
class Pain001Header:
    """Group header and payment-information data of a pain.001 batch.

    ``control_count`` / ``control_sum`` (whole VND) are written up front in both ``GrpHdr``
    and ``PmtInf`` and checked against the transfers actually written. ``created_at`` must be
    timezone-aware. ``category_purpose`` is the ISO ExternalCategoryPurpose1Code written as
    ``PmtInf/PmtTpInf/CtgyPurp/Cd`` (``PENS`` pension, ``SSBE`` social security benefit, ...);
    ``None`` omits ``PmtTpInf``.
    """

    message_id: str
    created_at: datetime
    initiating_party: str
    payment_info_id: str
    execution_date: date
    debtor_name: str
    debtor_account: str
    debtor_agent_bin: str
    control_count: int
    control_sum: int
    category_purpose: str | None = "PENS"


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


# ------------------------------------------------------------------------------ text helpers


def _text(value: str, limit: int, field: str) -> str:
    """Clean free text (see module doc), truncate to ``limit`` characters, XML-escape."""
    if _CONTROL.search(value):
        value = _CONTROL.sub("", _LINE_BREAKS.sub(" ", value))
    value = unicodedata.normalize("NFC", value).strip()
    if len(value) > limit:
        value = value[:limit].rstrip()
    if not value:
        raise ValueError(f"{field} is empty")
    return escape(value)


def _ident(value: str, limit: int, field: str) -> str:
    """Check an identifier (never altered) and XML-escape it."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"{field} is empty")
    if len(value) > limit:
        raise ValueError(f"{field} {value!r} is longer than {limit} characters")
    if _CONTROL.search(value) or value != value.strip():
        raise ValueError(f"{field} {value!r} contains control characters or surrounding spaces")
    return escape(value)


def _iso_datetime(value: datetime, field: str) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{field} must be timezone-aware")
    return value.isoformat(timespec="seconds")


class _Sink:
    """Encodes text to UTF-8, hashes and writes it to a binary handle."""

    __slots__ = ("hasher", "out")

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.hasher = hashlib.sha256()

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.hasher.update(data)
        self.out.write(data)

    def hexdigest(self) -> str:
        return self.hasher.hexdigest()


# ------------------------------------------------------------------------------ pain.001


def _pain001_head(h: Pain001Header) -> str:
    if h.control_count < 1:
        raise ValueError("control_count must be at least 1 (PmtInf needs a transfer)")
    if not 0 < h.control_sum <= _MAX_AMOUNT:
        raise ValueError(f"control_sum {h.control_sum} is out of range")
    if not isinstance(h.execution_date, date):
        raise ValueError("execution_date must be a date")
    execution_date = (
        h.execution_date.date() if isinstance(h.execution_date, datetime) else h.execution_date
    )
    count, total = str(h.control_count), str(h.control_sum)
    purpose = ""
    if h.category_purpose is not None:
        code = _ident(h.category_purpose, 4, "category_purpose")
        purpose = f"      <PmtTpInf><CtgyPurp><Cd>{code}</Cd></CtgyPurp></PmtTpInf>\n"
    debtor_bin = _ident(h.debtor_agent_bin, _MAX_ID, "debtor_agent_bin")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="{PAIN001_NS}">\n'
        "  <CstmrCdtTrfInitn>\n"
        "    <GrpHdr>\n"
        f"      <MsgId>{_ident(h.message_id, _MAX_ID, 'message_id')}</MsgId>\n"
        f"      <CreDtTm>{_iso_datetime(h.created_at, 'created_at')}</CreDtTm>\n"
        f"      <NbOfTxs>{count}</NbOfTxs>\n"
        f"      <CtrlSum>{total}</CtrlSum>\n"
        f"      <InitgPty><Nm>{_text(h.initiating_party, _MAX_TEXT, 'initiating_party')}"
        "</Nm></InitgPty>\n"
        "    </GrpHdr>\n"
        "    <PmtInf>\n"
        f"      <PmtInfId>{_ident(h.payment_info_id, _MAX_ID, 'payment_info_id')}</PmtInfId>\n"
        "      <PmtMtd>TRF</PmtMtd>\n"
        "      <BtchBookg>false</BtchBookg>\n"
        f"      <NbOfTxs>{count}</NbOfTxs>\n"
        f"      <CtrlSum>{total}</CtrlSum>\n"
        f"{purpose}"
        f"      <ReqdExctnDt><Dt>{execution_date.isoformat()}</Dt></ReqdExctnDt>\n"
        f"      <Dbtr><Nm>{_text(h.debtor_name, _MAX_TEXT, 'debtor_name')}</Nm></Dbtr>\n"
        "      <DbtrAcct><Id><Othr>"
        f"<Id>{_ident(h.debtor_account, _MAX_ACCOUNT, 'debtor_account')}</Id>"
        "</Othr></Id></DbtrAcct>\n"
        "      <DbtrAgt><FinInstnId><ClrSysMmbId>"
        f"<MmbId>{debtor_bin}</MmbId>"
        "</ClrSysMmbId></FinInstnId></DbtrAgt>\n"
        "      <ChrgBr>SLEV</ChrgBr>\n"
    )


_PAIN001_TAIL = "    </PmtInf>\n  </CstmrCdtTrfInitn>\n</Document>\n"


def write_pain001(out: BinaryIO, header: Pain001Header,
                  transfers: Iterable[CreditTransfer]) -> str:
    """Stream a pain.001.001.09 document to ``out``; return the SHA-256 hex of the bytes written.

    The header totals go first; ``transfers`` is consumed lazily, one ``CdtTrfTxInf`` per line,
    written in chunks. After the last transfer, :class:`ControlTotalMismatch` is raised (and the
    closing tags are not written) if the number or the sum of the transfers differs from
    ``header.control_count`` / ``header.control_sum``. A transfer with an invalid field raises
    :class:`ValueError` naming its 1-based position.
    """
    sink = _Sink(out)
    sink.write(_pain001_head(header))

    agents: dict[str, str] = {}  # BIN -> rendered CdtrAgt (few distinct banks per file)
    remittances: dict[str, str] = {}  # raw -> rendered RmtInf (often shared by the batch)
    parts: list[str] = []
    append = parts.append
    count = 0
    total = 0
    control = _CONTROL.search
    normalize = unicodedata.normalize
    for t in transfers:
        count += 1
        try:
            amount = t.amount
            if type(amount) is not int or not 0 < amount <= _MAX_AMOUNT:
                raise ValueError(f"amount {amount!r} is not a positive whole number of VND")
            total += amount

            agent = agents.get(t.creditor_agent_bin)
            if agent is None:
                agent = agents[t.creditor_agent_bin] = (
                    "<CdtrAgt><FinInstnId><ClrSysMmbId><MmbId>"
                    + _ident(t.creditor_agent_bin, _MAX_ID, "creditor_agent_bin")
                    + "</MmbId></ClrSysMmbId></FinInstnId></CdtrAgt>"
                )

            rmt = remittances.get(t.remittance_info)
            if rmt is None:
                raw = t.remittance_info
                if _CONTROL.sub("", raw).strip():
                    ustrd = _text(raw, _MAX_TEXT, "remittance_info")
                    rmt = f"<RmtInf><Ustrd>{ustrd}</Ustrd></RmtInf>"
                else:
                    rmt = ""
                if len(remittances) < 4096:
                    remittances[raw] = rmt

            # Fast path for the common clean case; anything unusual goes through the helpers.
            e2e = t.end_to_end_id
            if not e2e or len(e2e) > _MAX_ID or control(e2e) or e2e != e2e.strip():
                e2e = _ident(e2e, _MAX_ID, "end_to_end_id")
            else:
                e2e = escape(e2e)
            account = t.creditor_account
            if (not account or len(account) > _MAX_ACCOUNT or control(account)
                    or account != account.strip()):
                account = _ident(account, _MAX_ACCOUNT, "creditor_account")
            else:
                account = escape(account)
            name = t.creditor_name
            if control(name):
                name = _text(name, _MAX_TEXT, "creditor_name")
            else:
                name = normalize("NFC", name).strip()
                if not name or len(name) > _MAX_TEXT:
                    name = _text(name, _MAX_TEXT, "creditor_name")
                else:
                    name = escape(name)
        except ValueError as exc:
            raise ValueError(f"transfer #{count}: {exc}") from None
        except (AttributeError, TypeError) as exc:
            raise ValueError(f"transfer #{count}: not a CreditTransfer ({exc})") from None

        append(
            f"      <CdtTrfTxInf><PmtId><EndToEndId>{e2e}</EndToEndId></PmtId>"
            f'<Amt><InstdAmt Ccy="VND">{amount}</InstdAmt></Amt>{agent}'
            f"<Cdtr><Nm>{name}</Nm></Cdtr>"
            f"<CdtrAcct><Id><Othr><Id>{account}</Id></Othr></Id></CdtrAcct>"
            f"{rmt}</CdtTrfTxInf>\n"
        )
        if len(parts) >= _CHUNK_LINES:
            sink.write("".join(parts))
            parts.clear()

    if parts:
        sink.write("".join(parts))
    if count != header.control_count or total != header.control_sum:
        raise ControlTotalMismatch(header.control_count, count, header.control_sum, total)
    sink.write(_PAIN001_TAIL)
    return sink.hexdigest()


# ------------------------------------------------------------------------------ pain.002 writer


def write_pain002(out: BinaryIO, *, message_id: str, created_at: datetime,
                  original_message_id: str, lines: Iterable[tuple[str, str, str]],
                  original_payment_info_id: str | None = None) -> str:
    """Stream a pain.002.001.10 status report to ``out``; return the SHA-256 hex of its bytes.

    ``lines`` are ``(end_to_end_id, iso_status, reason_code)`` with ``iso_status`` a TxSts code
    (``ACSC``, ``RJCT``, ...) and ``reason_code`` an ExternalStatusReason1Code such as ``AC04``
    (``Rsn/Cd``; a code longer than 4 characters is written as ``Rsn/Prtry``) or ``""``.
    All lines go in one ``OrgnlPmtInfAndSts`` whose ``OrgnlPmtInfId`` is
    ``original_payment_info_id`` (default: ``original_message_id``).
    """
    sink = _Sink(out)
    pmt_id = original_message_id if original_payment_info_id is None else original_payment_info_id
    sink.write(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="{PAIN002_NS}">\n'
        "  <CstmrPmtStsRpt>\n"
        "    <GrpHdr>\n"
        f"      <MsgId>{_ident(message_id, _MAX_ID, 'message_id')}</MsgId>\n"
        f"      <CreDtTm>{_iso_datetime(created_at, 'created_at')}</CreDtTm>\n"
        "    </GrpHdr>\n"
        "    <OrgnlGrpInfAndSts>\n"
        f"      <OrgnlMsgId>{_ident(original_message_id, _MAX_ID, 'original_message_id')}"
        "</OrgnlMsgId>\n"
        "      <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>\n"
        "    </OrgnlGrpInfAndSts>\n"
        "    <OrgnlPmtInfAndSts>\n"
        f"      <OrgnlPmtInfId>{_ident(pmt_id, _MAX_ID, 'original_payment_info_id')}"
        "</OrgnlPmtInfId>\n"
    )
    parts: list[str] = []
    append = parts.append
    reasons: dict[str, str] = {"": ""}
    for position, (reference, iso_status, reason_code) in enumerate(lines, 1):
        try:
            ref = _ident(reference, _MAX_ID, "end_to_end_id")
            sts = _ident(iso_status, 4, "iso_status")
            rsn = reasons.get(reason_code)
            if rsn is None:
                if len(reason_code) <= 4:
                    code = _ident(reason_code, 4, "reason_code")
                    rsn = f"<StsRsnInf><Rsn><Cd>{code}</Cd></Rsn></StsRsnInf>"
                else:
                    code = _ident(reason_code, _MAX_ID, "reason_code")
                    rsn = f"<StsRsnInf><Rsn><Prtry>{code}</Prtry></Rsn></StsRsnInf>"
                reasons[reason_code] = rsn
        except ValueError as exc:
            raise ValueError(f"line #{position}: {exc}") from None
        append(
            f"      <TxInfAndSts><OrgnlEndToEndId>{ref}</OrgnlEndToEndId>"
            f"<TxSts>{sts}</TxSts>{rsn}</TxInfAndSts>\n"
        )
        if len(parts) >= _CHUNK_LINES:
            sink.write("".join(parts))
            parts.clear()
    parts.append("    </OrgnlPmtInfAndSts>\n  </CstmrPmtStsRpt>\n</Document>\n")
    sink.write("".join(parts))
    return sink.hexdigest()


# ------------------------------------------------------------------------------ pain.002 reader

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
        src, events=("start", "end"), tag=("{*}Document", *tags),
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
        remove_comments=True, remove_pis=True, dtd_validation=False,
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
            f"not a pain.002.001.10 document: root element namespace is {ns}, "
            f"expected {PAIN002_NS}"
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
                    header[child.tag[len(_P):]] = (child.text or "").strip()
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


def _status_line(elem: Any, position: int, pmt: tuple[str, str, str],
                 grp: tuple[str, str, str]) -> StatusLine:
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
