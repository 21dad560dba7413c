"""pain.002: a bank's status report on a batch, written (the simulated bank, tests: version
.001.10) and read as hostile input, streaming (see the package's doc).

One reader for the versions banks send: ``pain.002.001.03``, ``.001.10`` and ``.001.11``, and
their bank flavours, which change only the namespace (``pain.002.001.03.ch.02``, SIX /
PostFinance) or add elements (ignored). The element names chitra reads are the same in all
three versions. A report answers at three levels:

* the group (``OrgnlGrpInfAndSts/GrpSts``): the whole original message;
* the payment-information block (``OrgnlPmtInfAndSts/PmtInfSts``): one ``PmtInf`` of it;
* the transaction (``TxInfAndSts/TxSts``): one credit transfer, by its ``OrgnlEndToEndId``.

:class:`Pain002Report` yields one :class:`StatusLine` per transaction, and one per group or
block whose status is not ``PART`` (a "whole message / whole block" line, ``scope`` ``message``
or ``block``, without a reference): it says what happened to every line of that message or
block that the report does not list itself (a group ``RJCT`` with no transactions rejects
every line of the original message). A transaction without ``TxSts`` inherits its block's
status, else the group's. Verification-of-Payee codes (``RCVC``, ``RVMC``, ``RVNM``,
``RVNA``) are pending statuses with a name-check outcome. A code the reader does not know is
never an exception: the line's status is ``unknown`` and the report's :attr:`issues` name the
element path and the value. Only a document that is not a readable status report (not XML, a
DTD, another message, no ``MsgId`` / ``OrgnlMsgId``, an amount that is not whole VND) raises
:class:`Pain002Error`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from lxml import etree

from chitra.engine.iso20022.common import CHUNK_LINES, MAX_ID, HashingSink, identifier, iso_datetime

__all__ = [
    "GROUP_ONLY_STATUSES",
    "NAME_CHECK_MAP",
    "PAIN002_NS",
    "PAIN002_VERSIONS",
    "TX_STATUS_MAP",
    "BlockStatus",
    "Pain002Error",
    "Pain002Report",
    "ReportHeader",
    "ReportIssue",
    "StatusLine",
    "iter_pain002",
    "pain002_header",
    "write_pain002",
]

PAIN002_NS = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"

#: the message versions the reader takes (and their bank flavours)
PAIN002_VERSIONS = ("03", "10", "11")

#: ISO ``ExternalPaymentTransactionStatus1Code`` -> the application's status (``succ``,
#: ``rjct``, ``pending``). Any other code (CANC, BLCK, ACIS, PRES...) reads as ``unknown``.
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

#: group and block codes that are not a transaction status (``ExternalPaymentGroupStatus1Code``)
GROUP_ONLY_STATUSES = frozenset({"PART"})  # PartiallyAccepted: the transactions say which

#: Verification-of-Payee codes (EPC VoP scheme, German DK pain.002 VoP reports) -> name-check
#: outcome. The payment waits for the payer's decision: the line's status is ``pending``.
NAME_CHECK_MAP: dict[str, str] = {
    "RCVC": "match",  # the name matches the account
    "RVMC": "close",  # close match: the bank gives the holder's name
    "RVNM": "mismatch",  # no match
    "RVNA": "unavailable",  # the check was not possible
}

#: issues kept per report (their total is counted)
MAX_ISSUES = 1000


class Pain002Error(ValueError):
    """A pain.002 document that cannot be read; the message names the line position / element."""


@dataclass(frozen=True, slots=True)
class StatusLine:
    """A status the report gives: one ``TxInfAndSts``, or a whole block or message.

    ``scope`` is ``transaction``, ``block`` (``OrgnlPmtInfAndSts`` whose ``PmtInfSts`` is
    not PART: it covers the block's lines the report does not list) or ``message``
    (``GrpSts`` not PART: every line of the original message the report does not list);
    ``reference`` (the ``OrgnlEndToEndId``, else ``OrgnlInstrId``) is ``""`` for the last two.
    ``position`` is the 1-based index of the ``TxInfAndSts`` in the file (for a block, the
    number of the ``OrgnlPmtInfAndSts``; 0 for the message). ``status`` is ``succ``,
    ``rjct``, ``pending`` or ``unknown`` (see :data:`TX_STATUS_MAP`), ``iso_status`` the raw
    (possibly inherited) code; ``reason_code`` / ``reason_text`` (``Rsn/Cd`` or
    ``Rsn/Prtry``; every ``AddtlInf``) are ``""`` when absent; ``amount`` is
    ``OrgnlTxRef/Amt/InstdAmt`` in whole VND when present. ``payment_info_id`` is the
    ``OrgnlPmtInfId`` of the line's block (``""`` at message level); ``name_check`` the
    Verification-of-Payee outcome (:data:`NAME_CHECK_MAP`) or ``""``; ``creditor_name`` the
    name chitra sent as the report repeats it (``OrgnlTxRef/Cdtr``); ``path`` the element
    path of the status.
    """

    position: int
    reference: str
    status: str
    iso_status: str
    reason_code: str
    reason_text: str
    amount: int | None
    scope: str = "transaction"
    payment_info_id: str = ""
    name_check: str = ""
    creditor_name: str = ""
    path: str = ""


@dataclass(frozen=True, slots=True)
class ReportIssue:
    """Something of the report the reader could not use, by element path: ``problem`` is
    ``status_unknown``, ``status_missing``, ``reference_missing``, ``part_without_transactions``
    or ``count_invalid``; ``expected`` says what would have been read (English)."""

    path: str
    value: str
    problem: str
    expected: str
    position: int = 0


@dataclass(frozen=True, slots=True)
class ReportHeader:
    """The group data of a report (``GrpHdr`` and ``OrgnlGrpInfAndSts``).

    ``version`` is ``"03"``, ``"10"`` or ``"11"``, ``namespace`` the document's own;
    ``group_status`` ``GrpSts`` (``""`` when absent) with its reason; ``counts`` the
    ``NbOfTxsPerSts`` (``DtldSts`` -> ``DtldNbOfTxs``)."""

    version: str
    namespace: str
    message_id: str
    created_at: str
    original_message_id: str
    original_message_name: str = ""
    original_created_at: str = ""
    original_count: str = ""
    original_sum: str = ""
    group_status: str = ""
    reason_code: str = ""
    reason_text: str = ""
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BlockStatus:
    """One ``OrgnlPmtInfAndSts``: its number in the file, ``OrgnlPmtInfId``, ``PmtInfSts``
    (``""`` when absent), reason, ``NbOfTxsPerSts`` and how many ``TxInfAndSts`` it lists."""

    position: int
    payment_info_id: str
    status: str
    reason_code: str
    reason_text: str
    counts: dict[str, int]
    transactions: int
    original_count: str = ""


# ------------------------------------------------------------------------------ writer


def write_pain002(
    out: BinaryIO,
    *,
    message_id: str,
    created_at: datetime,
    original_message_id: str,
    lines: Iterable[tuple[str, str, str]] = (),
    original_payment_info_id: str | None = None,
    blocks: Iterable[tuple[str, Iterable[tuple[str, str, str]]]] | None = None,
    version: str = "10",
) -> str:
    """Stream a pain.002.001.10 status report (``version="03"``: the same elements in the
    pain.002.001.03 namespace, as many banks still send it) to ``out``; return the SHA-256 hex
    of its bytes.

    ``lines`` are ``(end_to_end_id, iso_status, reason_code)`` with ``iso_status`` a TxSts code
    (``ACSC``, ``RJCT``, ...) and ``reason_code`` an ExternalStatusReason1Code such as ``AC04``
    (``Rsn/Cd``; a code longer than 4 characters is written as ``Rsn/Prtry``) or ``""``.
    All lines go in one ``OrgnlPmtInfAndSts`` whose ``OrgnlPmtInfId`` is
    ``original_payment_info_id`` (default: ``original_message_id``); or, with ``blocks``
    (``(pmt_inf_id, lines)`` per block of the original message), one per block.
    """
    if version not in ("10", "03"):
        raise ValueError(f"version {version!r} must be 10 or 03")
    sink = HashingSink(out)
    pmt_id = original_message_id if original_payment_info_id is None else original_payment_info_id
    ns = PAIN002_NS if version == "10" else PAIN002_NS.replace(".001.10", ".001.03")
    sink.write(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="{ns}">\n'
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
    )
    reasons: dict[str, str] = {"": ""}
    position = 0
    for block_id, block_lines in [(pmt_id, lines)] if blocks is None else blocks:
        sink.write(
            "    <OrgnlPmtInfAndSts>\n"
            f"      <OrgnlPmtInfId>{identifier(block_id, MAX_ID, 'original_payment_info_id')}"
            "</OrgnlPmtInfId>\n"
        )
        position = _write_transactions(sink, block_lines, reasons, position)
        sink.write("    </OrgnlPmtInfAndSts>\n")
    sink.write("  </CstmrPmtStsRpt>\n</Document>\n")
    return sink.hexdigest()


def _write_transactions(
    sink: HashingSink, lines: Iterable[tuple[str, str, str]], reasons: dict[str, str], start: int
) -> int:
    """The ``TxInfAndSts`` of one block; returns the position of the last line written."""
    parts: list[str] = []
    append = parts.append
    position = start
    for position, (reference, iso_status, reason_code) in enumerate(lines, start + 1):
        try:
            ref = identifier(reference, MAX_ID, "end_to_end_id")
            sts = identifier(iso_status, 4, "iso_status")
            rsn = reasons.get(reason_code)
            if rsn is None:
                rsn = reasons[reason_code] = _reason_xml(reason_code)
        except ValueError as exc:
            raise ValueError(f"line #{position}: {exc}") from None
        append(
            f"      <TxInfAndSts><OrgnlEndToEndId>{ref}</OrgnlEndToEndId>"
            f"<TxSts>{sts}</TxSts>{rsn}</TxInfAndSts>\n"
        )
        if len(parts) >= CHUNK_LINES:
            sink.write("".join(parts))
            parts.clear()
    sink.write("".join(parts))
    return position


def _reason_xml(reason_code: str) -> str:
    if len(reason_code) <= 4:
        code = identifier(reason_code, 4, "reason_code")
        return f"<StsRsnInf><Rsn><Cd>{code}</Cd></Rsn></StsRsnInf>"
    code = identifier(reason_code, MAX_ID, "reason_code")
    return f"<StsRsnInf><Rsn><Prtry>{code}</Prtry></Rsn></StsRsnInf>"


# ------------------------------------------------------------------------------ reader

#: ``pain.002.001.NN`` in a namespace, with a bank's suffix (``.ch.02``) and ``.xsd`` allowed:
#: ``urn:iso:std:iso:20022:tech:xsd:pain.002.001.03``,
#: ``http://www.six-interbank-clearing.com/de/pain.002.001.03.ch.02.xsd``
_NS_RE = re.compile(r"(?:^|[:/])pain\.002\.001\.(\d{2})(?:\.[A-Za-z0-9_-]+)*?(?:\.xsd)?$")
_AMOUNT_RE = re.compile(r"\s*(\d+)(?:\.0*)?\s*")
_COUNT_RE = re.compile(r"\s*(\d{1,15})\s*")
_NOT_PROVIDED = "NOTPROVIDED"
_TAGS = (
    "{*}Document",
    "{*}GrpHdr",
    "{*}OrgnlGrpInfAndSts",
    "{*}OrgnlPmtInfAndSts",
    "{*}TxInfAndSts",
)


def pain002_version(namespace: str) -> str | None:
    """The version (``"03"``...) of a pain.002 namespace, or None if it is not one."""
    m = _NS_RE.search(namespace)
    return m.group(1) if m else None


def _open_events(source: str | Path | BinaryIO) -> Any:
    """Events of a status report parsed as hostile input: no DTD (a document that has one is
    refused, see :func:`_refuse_dtd`), no entity expansion, no network, no huge text nodes."""
    src: Any = str(source) if isinstance(source, Path) else source
    _refuse_dtd(src)
    return etree.iterparse(
        src,
        events=("start", "end"),
        tag=_TAGS,
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


def _root_namespace(elem: Any) -> tuple[str, str]:
    """(namespace, version) of the root ``Document``, or :class:`Pain002Error`."""
    info = elem.getroottree().docinfo
    if info.internalDTD is not None or info.doctype:
        raise Pain002Error("a document type declaration (DTD) is not allowed in a status report")
    qname = etree.QName(elem)
    ns = qname.namespace or ""
    version = pain002_version(ns)
    if qname.localname != "Document" or version is None or version not in PAIN002_VERSIONS:
        shown = ns or "(none)"
        raise Pain002Error(
            f"not a pain.002 status report chitra reads: root element <{qname.localname}> in "
            f"namespace {shown}; expected a Document of pain.002.001.03, pain.002.001.10 or "
            f"pain.002.001.11 (urn:iso:std:iso:20022:tech:xsd:pain.002.001.NN, or a bank's "
            f"flavour of it such as pain.002.001.03.ch.02)"
        )
    return ns, version


def _no_root(events: Any) -> Pain002Error:
    root = getattr(events, "root", None)
    tag = etree.QName(root).localname if root is not None else "(none)"
    return Pain002Error(f"not a pain.002 status report: root element is <{tag}>")


def _drop(elem: Any) -> None:
    """Free a processed element and its already-processed preceding siblings."""
    elem.clear(keep_tail=True)
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


def _syntax_error(exc: etree.XMLSyntaxError) -> Pain002Error:
    return Pain002Error(f"not well-formed XML: {exc}")


def _text(elem: Any) -> str:
    return (elem.text or "").strip() if elem is not None else ""


class _Names:
    """The qualified names of one document's namespace."""

    def __init__(self, ns: str) -> None:
        p = "{" + ns + "}"
        self.p = p
        for local in (
            "GrpHdr",
            "MsgId",
            "CreDtTm",
            "OrgnlGrpInfAndSts",
            "OrgnlMsgId",
            "OrgnlMsgNmId",
            "OrgnlCreDtTm",
            "OrgnlNbOfTxs",
            "OrgnlCtrlSum",
            "GrpSts",
            "StsRsnInf",
            "Rsn",
            "Cd",
            "Prtry",
            "AddtlInf",
            "NbOfTxsPerSts",
            "DtldNbOfTxs",
            "DtldSts",
            "OrgnlPmtInfAndSts",
            "OrgnlPmtInfId",
            "PmtInfSts",
            "TxInfAndSts",
            "OrgnlInstrId",
            "OrgnlEndToEndId",
            "TxSts",
            "OrgnlTxRef",
            "Amt",
            "InstdAmt",
            "Cdtr",
            "Pty",
            "Nm",
        ):
            setattr(self, local, p + local)

    def __getattr__(self, name: str) -> str:  # pragma: no cover - every name is set above
        raise AttributeError(name)


def _reasons(n: _Names, infos: Iterable[Any]) -> tuple[str, str]:
    """(first reason code, every AddtlInf joined) of ``StsRsnInf`` elements."""
    code = ""
    texts: list[str] = []
    for info in infos:
        for sub in info:
            if sub.tag == n.Rsn:
                if not code:
                    for choice in sub:
                        if choice.tag in (n.Cd, n.Prtry):
                            code = _text(choice)
                            break
            elif sub.tag == n.AddtlInf:
                t = _text(sub)
                if t:
                    texts.append(t)
    return code, " ".join(texts)


class _Level:
    """What a group or block element says before its children (status, reasons, counts)."""

    __slots__ = ("counts", "reason_code", "reason_text", "status", "values")

    def __init__(self) -> None:
        self.status = ""
        self.reason_code = ""
        self.reason_text = ""
        self.counts: dict[str, int] = {}
        self.values: dict[str, str] = {}


class Pain002Report:
    """A pain.002 report, read streaming: iterate it for its :class:`StatusLine` s.

    ``header`` is set before the first line is yielded; ``blocks``, ``issues``,
    ``issue_count`` (all of them, ``issues`` keeps the first :data:`MAX_ISSUES`),
    ``transactions`` and ``by_status`` (``TxInfAndSts`` per ISO code) are complete once the
    iteration ends. A ``str`` source is a file name. Iterate it once.
    """

    def __init__(self, source: str | Path | BinaryIO) -> None:
        self.source = source
        self.header: ReportHeader | None = None
        self.blocks: list[BlockStatus] = []
        self.issues: list[ReportIssue] = []
        self.issue_count = 0
        self.transactions = 0
        self.by_status: dict[str, int] = {}
        self._n: _Names | None = None
        self._version = ""
        self._grp_hdr: dict[str, str] = {}
        self._header_only = False

    # -------------------------------------------------------------- what the report says

    @property
    def receipt_only(self) -> bool:
        """The report only confirms that the message was received: no transaction, no block
        and no group status other than RCVD."""
        h = self.header
        return (
            h is not None
            and self.transactions == 0
            and not self.blocks
            and h.group_status in ("", "RCVD")
        )

    def name_checks(self) -> dict[str, int]:
        """Verification-of-Payee outcomes of the transactions listed, by outcome."""
        out: dict[str, int] = {}
        for code, n in self.by_status.items():
            outcome = NAME_CHECK_MAP.get(code)
            if outcome:
                out[outcome] = out.get(outcome, 0) + n
        return out

    def _issue(self, path: str, value: str, problem: str, expected: str, position: int) -> None:
        self.issue_count += 1
        if len(self.issues) < MAX_ISSUES:
            self.issues.append(ReportIssue(path, value, problem, expected, position))

    # -------------------------------------------------------------- reading

    # over the limits: the streaming state machine over iterparse events (root, group header,
    # group, blocks, lines), yielding each line as it is read and dropping it from the tree.
    def __iter__(self) -> Iterator[StatusLine]:
        events = _open_events(self.source)
        n: _Names | None = None
        block: _Level | None = None  # the current OrgnlPmtInfAndSts, once read
        block_no = 0
        block_txs = 0
        position = 0
        try:
            for event, elem in events:
                if event == "start":
                    if n is None:
                        if elem.getparent() is not None:
                            continue
                        ns, version = _root_namespace(elem)
                        n = self._n = _Names(ns)
                        self._version = version
                    elif elem.tag == n.OrgnlPmtInfAndSts:
                        block, block_txs = None, 0
                        block_no += 1
                    continue
                if n is None:
                    continue  # pragma: no cover - a start event always comes first
                tag = elem.tag
                if tag == n.TxInfAndSts:
                    if self.header is None:
                        raise Pain002Error("pain.002 has no OrgnlGrpInfAndSts before its lines")
                    position += 1
                    block_txs += 1
                    if block is None:
                        # first line of the block: what precedes it is still in the tree
                        block = self._level(elem.getparent(), n.PmtInfSts, f"{block_no}")
                    yield self._line(elem, position, block_no, block_txs, block)
                    _drop(elem)
                elif tag == n.OrgnlPmtInfAndSts:
                    if self.header is None:
                        raise Pain002Error("pain.002 has no OrgnlGrpInfAndSts before its blocks")
                    if block is None:
                        block = self._level(elem, n.PmtInfSts, f"{block_no}")
                    line = self._block_end(block, block_no, block_txs)
                    if line is not None:
                        yield line
                    block = None
                    _drop(elem)
                elif tag == n.OrgnlGrpInfAndSts:
                    self.header = self._header(elem)
                    if self._header_only:
                        return
                    line = self._group_line()
                    if line is not None:
                        yield line
                    _drop(elem)
                elif tag == n.GrpHdr:
                    self._grp_hdr = {
                        "MsgId": _text(elem.find(n.MsgId)),
                        "CreDtTm": _text(elem.find(n.CreDtTm)),
                    }
                    _drop(elem)
            if n is None:
                raise _no_root(events)
        except etree.XMLSyntaxError as exc:
            raise _syntax_error(exc) from None
        self._check_end()

    def _check_end(self) -> None:
        """At the end of the message: a header was read; a PART group lists its blocks."""
        if self.header is None:
            raise Pain002Error("pain.002 has no OrgnlGrpInfAndSts (OrgnlMsgId)")
        h = self.header
        if h.group_status == "PART" and not self.blocks:
            self._issue(
                "OrgnlGrpInfAndSts/GrpSts",
                "PART",
                "part_without_transactions",
                "the transactions of a partly accepted message",
                0,
            )

    def _header(self, elem: Any) -> ReportHeader:
        n = self._n
        assert n is not None
        grp = self._grp_hdr
        level = self._level(elem, n.GrpSts, "")
        v = level.values
        for key, where in (("MsgId", "GrpHdr/MsgId"), ("OrgnlMsgId", "OrgnlGrpInfAndSts")):
            value = grp.get(key, "") if key == "MsgId" else v.get(key, "")
            if not value:
                raise Pain002Error(f"pain.002 has no {key} ({where})")
        return ReportHeader(
            version=self._version,
            namespace=n.p[1:-1],
            message_id=grp["MsgId"],
            created_at=grp.get("CreDtTm", ""),
            original_message_id=v["OrgnlMsgId"],
            original_message_name=v.get("OrgnlMsgNmId", ""),
            original_created_at=v.get("OrgnlCreDtTm", ""),
            original_count=v.get("OrgnlNbOfTxs", ""),
            original_sum=v.get("OrgnlCtrlSum", ""),
            group_status=level.status,
            reason_code=level.reason_code,
            reason_text=level.reason_text,
            counts=level.counts,
        )

    def _level(self, elem: Any, status_tag: str, block_no: str) -> _Level:
        """Status, reasons, counts and plain values of a group or block element (its children
        before the first ``TxInfAndSts``)."""
        n = self._n
        assert n is not None
        level = _Level()
        infos: list[Any] = []
        where = f"OrgnlPmtInfAndSts[{block_no}]" if block_no else "OrgnlGrpInfAndSts"
        counted = 0
        for child in elem:
            tag = child.tag
            if tag == n.TxInfAndSts:
                break
            if tag == status_tag:
                level.status = _text(child)
            elif tag == n.StsRsnInf:
                infos.append(child)
            elif tag == n.NbOfTxsPerSts:
                counted += 1
                code = _text(child.find(n.DtldSts))
                raw = _text(child.find(n.DtldNbOfTxs))
                m = _COUNT_RE.fullmatch(raw)
                if m is None or not code:
                    self._issue(
                        f"{where}/NbOfTxsPerSts[{counted}]",
                        f"{code} {raw}".strip(),
                        "count_invalid",
                        "a DtldSts code and a whole DtldNbOfTxs",
                        0,
                    )
                    continue
                level.counts[code] = level.counts.get(code, 0) + int(m.group(1))
                self._check_code(code, f"{where}/NbOfTxsPerSts[{counted}]/DtldSts", 0, True)
            elif isinstance(tag, str) and tag.startswith(n.p) and len(child) == 0:
                level.values[tag[len(n.p) :]] = _text(child)
        level.reason_code, level.reason_text = _reasons(n, infos)
        if level.status:
            local = etree.QName(status_tag).localname
            self._check_code(level.status, f"{where}/{local}", 0, False, group=True)
        return level

    def _check_code(
        self, code: str, path: str, position: int, counted: bool, *, group: bool = False
    ) -> bool:
        """Whether ``code`` is a status the reader knows; an issue when it is not."""
        if code in TX_STATUS_MAP or code in NAME_CHECK_MAP:
            return True
        if (group or counted) and code in GROUP_ONLY_STATUSES:
            return True
        known = sorted({*TX_STATUS_MAP, *NAME_CHECK_MAP, *(GROUP_ONLY_STATUSES if group else ())})
        self._issue(path, code, "status_unknown", "a status code: " + ", ".join(known), position)
        return False

    def _group_line(self) -> StatusLine | None:
        h = self.header
        assert h is not None
        if not h.group_status or h.group_status in GROUP_ONLY_STATUSES:
            return None
        return StatusLine(
            0,
            "",
            _status_of(h.group_status),
            h.group_status,
            h.reason_code,
            h.reason_text,
            None,
            scope="message",
            name_check=NAME_CHECK_MAP.get(h.group_status, ""),
            path="OrgnlGrpInfAndSts/GrpSts",
        )

    def _block_end(self, block: _Level, block_no: int, txs: int) -> StatusLine | None:
        pmt_id = block.values.get("OrgnlPmtInfId", "")
        self.blocks.append(
            BlockStatus(
                block_no,
                pmt_id,
                block.status,
                block.reason_code,
                block.reason_text,
                block.counts,
                txs,
                block.values.get("OrgnlNbOfTxs", ""),
            )
        )
        path = f"OrgnlPmtInfAndSts[{block_no}]/PmtInfSts"
        if not pmt_id:
            self._issue(
                f"OrgnlPmtInfAndSts[{block_no}]/OrgnlPmtInfId",
                "",
                "reference_missing",
                "the OrgnlPmtInfId of the block",
                block_no,
            )
        if not block.status:
            return None
        if block.status in GROUP_ONLY_STATUSES:
            if txs == 0:
                self._issue(
                    path,
                    block.status,
                    "part_without_transactions",
                    "the transactions of a partly accepted block",
                    block_no,
                )
            return None
        return StatusLine(
            block_no,
            "",
            _status_of(block.status),
            block.status,
            block.reason_code,
            block.reason_text,
            None,
            scope="block",
            payment_info_id=pmt_id,
            name_check=NAME_CHECK_MAP.get(block.status, ""),
            path=path,
        )

    def _line(self, elem: Any, position: int, block_no: int, k: int, block: _Level) -> StatusLine:
        n = self._n
        h = self.header
        assert n is not None and h is not None
        e2e, instr, iso, name, infos, amount = _tx_fields(n, elem, position)
        where = f"OrgnlPmtInfAndSts[{block_no}]/TxInfAndSts[{k}]"
        reference = e2e if e2e and e2e.upper() != _NOT_PROVIDED else instr
        if not reference:
            self._issue(
                f"{where}/OrgnlEndToEndId",
                e2e,
                "reference_missing",
                "the OrgnlEndToEndId (or OrgnlInstrId) of a transfer chitra sent",
                position,
            )
        code, text = _reasons(n, infos) if infos else ("", "")
        path = f"{where}/TxSts"
        if not iso:
            path, iso, inh_code, inh_text = _inherited_status(block, block_no, h, path)
            if not infos:
                code, text = inh_code, inh_text
        self.transactions += 1
        status = "unknown"
        if not iso:
            path = f"{where}/TxSts"
            self._issue(
                path,
                "",
                "status_missing",
                "a TxSts, or a PmtInfSts or GrpSts (other than PART) to inherit",
                position,
            )
        else:
            self.by_status[iso] = self.by_status.get(iso, 0) + 1
            if not path.endswith("/TxSts") or self._check_code(iso, path, position, False):
                # (an inherited code was checked with its group or block)
                status = _status_of(iso)
        return StatusLine(
            position,
            reference,
            status,
            iso,
            code,
            text,
            amount,
            scope="transaction",
            payment_info_id=block.values.get("OrgnlPmtInfId", ""),
            name_check=NAME_CHECK_MAP.get(iso, ""),
            creditor_name=name,
            path=path,
        )


def _tx_fields(
    n: _Names, elem: Any, position: int
) -> tuple[str, str, str, str, list[Any], int | None]:
    """A TxInfAndSts's OrgnlEndToEndId, OrgnlInstrId, TxSts, creditor name, StsRsnInf
    elements and amount."""
    e2e = instr = iso = name = ""
    infos: list[Any] = []
    amount: int | None = None
    for child in elem:
        tag = child.tag
        if tag == n.OrgnlEndToEndId:
            e2e = _text(child)
        elif tag == n.OrgnlInstrId:
            instr = _text(child)
        elif tag == n.TxSts:
            iso = _text(child)
        elif tag == n.StsRsnInf:
            infos.append(child)
        elif tag == n.OrgnlTxRef:
            amount = _amount(n, child, position)
            name = _creditor_name(n, child)
    return e2e, instr, iso, name, infos, amount


def _inherited_status(
    block: _Level, block_no: int, h: ReportHeader, path: str
) -> tuple[str, str, str, str]:
    """The status a line without TxSts inherits: the block's, else the group's (a PART says
    nothing of a line); (path, code, reason code, reason text), the code empty when none."""
    iso = ""
    if block.status:
        path = f"OrgnlPmtInfAndSts[{block_no}]/PmtInfSts"
        iso, inh_code, inh_text = block.status, block.reason_code, block.reason_text
    elif h.group_status:
        path = "OrgnlGrpInfAndSts/GrpSts"
        iso, inh_code, inh_text = h.group_status, h.reason_code, h.reason_text
    else:
        inh_code = inh_text = ""
    if iso in GROUP_ONLY_STATUSES:
        iso = inh_code = inh_text = ""
    return path, iso, inh_code, inh_text


def _status_of(code: str) -> str:
    if code in NAME_CHECK_MAP:
        return "pending"
    return TX_STATUS_MAP.get(code, "unknown")


def _creditor_name(n: _Names, ref: Any) -> str:
    cdtr = ref.find(n.Cdtr)
    if cdtr is None:
        return ""
    pty = cdtr.find(n.Pty)  # .10/.11: Party40Choice; .03: the party itself
    return _text((pty if pty is not None else cdtr).find(n.Nm))


def _amount(n: _Names, ref: Any, position: int) -> int | None:
    amt = ref.find(n.Amt)
    if amt is None:
        return None
    instd = amt.find(n.InstdAmt)
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


def iter_pain002(source: str | Path | BinaryIO) -> Iterator[StatusLine]:
    """The :class:`StatusLine` s of a report (``iter(Pain002Report(source))``)."""
    return iter(Pain002Report(source))


def pain002_header(source: str | Path | BinaryIO) -> ReportHeader:
    """The group data of a pain.002 report, reading only the start of the file (up to the end
    of ``OrgnlGrpInfAndSts``). A ``str`` source is a file name."""
    report = Pain002Report(source)
    report._header_only = True
    for _line in report:  # pragma: no cover - nothing is yielded before the header
        break
    if report.header is None:  # pragma: no cover - the iteration raises first
        raise Pain002Error("pain.002 has no OrgnlGrpInfAndSts (OrgnlMsgId)")
    return report.header
