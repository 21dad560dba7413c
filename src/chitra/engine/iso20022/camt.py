"""camt.053 (bank-to-customer statement) and camt.054 (debit/credit notification) of the
paying account: written (the simulated bank, tests) and read as hostile input, streaming.

The reader accepts every version of both messages (``camt.053.001.02`` ... ``.001.08`` and
later, bank flavours that keep the standard namespace): the elements it reads have kept their
names since version 02; where a version moved one it reads both places (``Sts`` as text up to
version 06, ``Sts/Cd`` from 07; the transaction amount in ``TxDtls/Amt`` from 04, in
``AmtDtls/TxAmt/Amt`` before). :func:`iter_camt` yields, per ``Ntry``, one
:class:`CamtTransaction` per ``NtryDtls/TxDtls`` and then the :class:`CamtEntry` itself (with
its ``Btch`` and the number of its transactions), clearing every processed element, so a
batch booking of a million transactions needs no million objects in memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from lxml import etree

from chitra.engine.iso20022.common import (
    CHUNK_LINES,
    MAX_ACCOUNT,
    MAX_ID,
    HashingSink,
    free_text,
    identifier,
    iso_datetime,
)

__all__ = [
    "CAMT053_NS",
    "CAMT054_NS",
    "CamtBatch",
    "CamtEntry",
    "CamtError",
    "CamtHeader",
    "CamtTransaction",
    "EntryDraft",
    "TransactionDraft",
    "camt_header",
    "iter_camt",
    "write_camt",
]

CAMT053_NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"
CAMT054_NS = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"
_NS_RE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.(053|054)\.001\.(\d{2})")
#: the message element under ``Document`` and its reports, per message
_MESSAGES = {"053": ("BkToCstmrStmt", "Stmt"), "054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn")}
#: ``ActiveOrHistoricCurrencyAndAmount``: totalDigits 18, fractionDigits 5, not negative
_AMOUNT_RE = re.compile(r"\s*(\d{1,18}(?:\.\d{0,5})?)\s*")
_DATE_RE = re.compile(r"\s*(\d{4}-\d{2}-\d{2})")
_UETR_RE = re.compile(r"[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}")


class CamtError(ValueError):
    """A camt document that cannot be read; the message names the entry / element."""


@dataclass(frozen=True, slots=True)
class CamtHeader:
    """``GrpHdr`` and the first report (``Stmt`` / ``Ntfctn``) of a camt document.

    ``message`` is ``"camt.053"`` or ``"camt.054"``, ``version`` e.g. ``"001.08"``;
    ``report_id`` / ``account`` / ``currency`` are those of the first report (``""`` when it
    has none); ``account`` is ``Acct/Id/IBAN`` or ``Acct/Id/Othr/Id``.
    """

    message: str
    version: str
    message_id: str
    created_at: str
    report_id: str
    account: str
    currency: str


@dataclass(frozen=True, slots=True)
class CamtBatch:
    """One ``NtryDtls/Btch``: the payment message / block a batch booking is for."""

    message_id: str
    payment_info_id: str
    count: int | None  # NbOfTxs
    total: Decimal | None  # TtlAmt
    currency: str
    credit_debit: str


@dataclass(frozen=True, slots=True)
class CamtTransaction:
    """One ``NtryDtls/TxDtls``.

    ``position`` is its 1-based index in the file, ``entry`` the position of its ``Ntry``;
    ``credit_debit`` is its own ``CdtDbtInd`` or else its entry's; ``status`` is its entry's
    (``BOOK``, ``PDNG``, ``INFO``...); ``amount`` is ``Amt`` (or ``AmtDtls/TxAmt/Amt``,
    ``AmtDtls/InstdAmt/Amt``) when present; ``return_reason`` is ``RtrInf/Rsn/Cd`` (or
    ``Prtry``), ``""`` when it has none. Identifiers are ``""`` when absent.
    """

    position: int
    entry: int
    end_to_end_id: str
    instruction_id: str
    message_id: str
    payment_info_id: str
    uetr: str
    account_servicer_ref: str
    amount: Decimal | None
    currency: str
    credit_debit: str
    status: str
    reversal: bool
    return_reason: str
    return_info: str


@dataclass(frozen=True, slots=True)
class CamtEntry:
    """One ``Ntry``, yielded after its transactions.

    ``position`` is its 1-based index in the file; ``report_id`` / ``account`` those of its
    ``Stmt`` or ``Ntfctn``; ``status`` its ``Sts`` code (``BOOK``, ``PDNG``, ``INFO``, or a
    proprietary one); ``bank_code`` ``Domn/Cd``, ``Fmly/Cd`` and ``SubFmlyCd`` joined by
    ``/`` (``PMNT/ICDT/RRTN``) or the proprietary code; ``transactions`` how many ``TxDtls``
    it had.
    """

    position: int
    report_id: str
    account: str
    reference: str
    amount: Decimal
    currency: str
    credit_debit: str
    reversal: bool
    status: str
    booking_date: date | None
    value_date: date | None
    account_servicer_ref: str
    bank_code: str
    batches: tuple[CamtBatch, ...]
    transactions: int
    additional_info: str

    @property
    def booked(self) -> bool:
        return self.status == "BOOK"


# ------------------------------------------------------------------------------ reader


_TAGS = ("{*}Document", "{*}GrpHdr", "{*}Stmt", "{*}Ntfctn", "{*}Ntry", "{*}TxDtls", "{*}Btch")


def _open_events(source: str | Path | BinaryIO) -> Any:
    """Events of a camt document parsed as hostile input: no DTD (refused), no entity
    expansion, no network, no huge text nodes; only the elements the reader looks at."""
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


def _no_root(events: Any) -> CamtError:
    root = getattr(events, "root", None)
    tag = _local(root) if root is not None else "(none)"
    return CamtError(f"not a camt.053 or camt.054 document: root element is <{tag}>")


def _check_report(report: Any, kind: str) -> None:
    """A ``Stmt`` / ``Ntfctn`` is where its message puts it."""
    parent = report.getparent()
    expected_root, expected_report = _MESSAGES[kind]
    name = _local(report)
    if (
        name != expected_report
        or parent is None
        or _local(parent) != expected_root
        or parent.getparent() is None
        or parent.getparent().getparent() is not None
    ):
        where = _local(parent) if parent is not None else "(none)"
        raise CamtError(
            f"camt.{kind}: <{name}> under <{where}>, expected <{expected_report}> under "
            f"<{expected_root}>"
        )


_PROLOG = 64 * 1024
_DOCTYPE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _refuse_dtd(src: Any) -> None:
    """An ISO 20022 message never has a DTD: one that does is refused before it is parsed
    (entity bombs, external entities), in UTF-8 or UTF-16 (the same rule as pain.002)."""
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
        return  # a stream that cannot be re-read: lxml's own settings still hold
    texts = [head]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:2] in (b"<\x00", b"\x00<"):
        enc = "utf-16-be" if head.startswith(b"\xfe\xff") or head[:1] == b"\x00" else "utf-16-le"
        texts.append(head.decode(enc, "ignore").encode("utf-8"))
    if any(_DOCTYPE.search(t) for t in texts):
        raise CamtError("a document type declaration (DTD) is not allowed in a bank statement")


def _root_namespace(elem: Any) -> tuple[str, str, str]:
    """(namespace, "053"/"054", version) of the root ``Document``, else :class:`CamtError`."""
    info = elem.getroottree().docinfo
    if info.internalDTD is not None or info.doctype:
        raise CamtError("a document type declaration (DTD) is not allowed in a bank statement")
    qn = etree.QName(elem)
    ns = qn.namespace or ""
    m = _NS_RE.match(ns)
    if qn.localname != "Document" or m is None:
        raise CamtError(
            f"not a camt.053 or camt.054 document: root element <{qn.localname}> in namespace "
            f"{ns or '(none)'}, expected <Document> in {CAMT053_NS} or {CAMT054_NS} (or another "
            "version of them)"
        )
    return ns, m.group(1), m.group(2)


def _local(elem: Any) -> str:
    tag = elem.tag
    return tag[tag.index("}") + 1 :] if isinstance(tag, str) and tag[:1] == "{" else str(tag)


def _children(elem: Any) -> dict[str, Any]:
    """The first child of each name (local names)."""
    out: dict[str, Any] = {}
    for child in elem:
        if isinstance(child.tag, str):
            out.setdefault(_local(child), child)
    return out


def _text(elem: Any, *path: str) -> str:
    for name in path:
        if elem is None:
            return ""
        elem = next((c for c in elem if isinstance(c.tag, str) and _local(c) == name), None)
    return (elem.text or "").strip() if elem is not None else ""


def _ident(elem: Any, where: str, name: str, limit: int = MAX_ID) -> str:
    value = (elem.text or "").strip() if elem is not None else ""
    if len(value) > limit:
        raise CamtError(f"{where}: {name} {value[:40]!r}... is longer than {limit} characters")
    return value


def _amount(elem: Any, where: str, name: str) -> tuple[Decimal, str]:
    m = _AMOUNT_RE.fullmatch(elem.text or "")
    if m is None:
        raise CamtError(
            f"{where}: {name} {(elem.text or '')[:40]!r} is not an amount (up to 18 digits, 5 "
            "after the point, not negative)"
        )
    return Decimal(m.group(1)), (elem.get("Ccy") or "").strip()


def _indicator(elem: Any, where: str, name: str) -> str:
    value = (elem.text or "").strip() if elem is not None else ""
    if value not in ("CRDT", "DBIT"):
        raise CamtError(f"{where}: {name} {value!r}, expected CRDT or DBIT")
    return value


def _date(elem: Any, where: str, name: str) -> date | None:
    """``DateAndDateTime2Choice``: ``Dt`` or the date of ``DtTm``."""
    if elem is None:
        return None
    text = _text(elem, "Dt") or _text(elem, "DtTm")
    m = _DATE_RE.match(text)
    try:
        if m is None:
            raise ValueError(text)
        return date.fromisoformat(m.group(1))
    except ValueError:
        raise CamtError(f"{where}: {name} {text[:40]!r} is not a date") from None


def _status(elem: Any) -> str:
    """``Sts``: the code itself (versions 02-06) or ``Cd`` / ``Prtry`` (07 and later)."""
    if elem is None:
        return ""
    for child in elem:
        if isinstance(child.tag, str):
            return (child.text or "").strip()
    return (elem.text or "").strip()


def _bank_code(elem: Any) -> str:
    if elem is None:
        return ""
    domain = _text(elem, "Domn", "Cd")
    if domain:
        parts = [
            domain,
            _text(elem, "Domn", "Fmly", "Cd"),
            _text(elem, "Domn", "Fmly", "SubFmlyCd"),
        ]
        return "/".join(p for p in parts if p)
    return _text(elem, "Prtry", "Cd")


def _account(report: Any) -> tuple[str, str]:
    acct = _children(report).get("Acct")
    if acct is None:
        return "", ""
    return (_text(acct, "Id", "IBAN") or _text(acct, "Id", "Othr", "Id")), _text(acct, "Ccy")


def _drop(elem: Any) -> None:
    """Free a processed element and its already-processed preceding siblings."""
    elem.clear(keep_tail=True)
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


def _syntax_error(exc: etree.XMLSyntaxError) -> CamtError:
    return CamtError(f"not well-formed XML: {exc}")


# over the limits: one loop over the parser's events that stops at the first entry; the state
# (kind, header, report) lives in its locals, and splitting it would pass it back and forth.
def camt_header(source: str | Path | BinaryIO) -> CamtHeader:
    """The group header and first report of a camt.053/.054 document, reading only the
    start of the file (up to the first ``Ntry``). A ``str`` source is a file name."""
    events = _open_events(source)
    kind = version = ""
    grp: dict[str, str] = {}
    report_id = account = currency = ""
    try:
        for event, elem in events:
            name = _local(elem)
            if event == "start":
                if name == "Document" and elem.getparent() is None:
                    _ns, kind, version = _root_namespace(elem)
                elif not kind:
                    continue
                elif name == "Ntry":
                    report = elem.getparent()
                    _check_report(report, kind)
                    report_id = _text(report, "Id")
                    account, currency = _account(report)
                    break
                continue
            if not kind:
                continue
            if name == "GrpHdr":
                grp = {_local(c): (c.text or "").strip() for c in elem if len(c) == 0}
            elif name in ("Stmt", "Ntfctn"):
                _check_report(elem, kind)
                report_id = _text(elem, "Id")
                account, currency = _account(elem)
                break
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc) from None
    if not kind:
        raise _no_root(events)
    if not grp.get("MsgId"):
        raise CamtError(f"camt.{kind} has no GrpHdr/MsgId")
    return CamtHeader(
        f"camt.{kind}",
        f"001.{version}",
        grp["MsgId"],
        grp.get("CreDtTm", ""),
        report_id,
        account,
        currency,
    )


# over the limits: the streaming state machine over iterparse events (entry, transaction,
# batch, report ends), kept in one loop so that each element is freed as soon as it is read.
def iter_camt(source: str | Path | BinaryIO) -> Iterator[CamtTransaction | CamtEntry]:
    """Yield, per ``Ntry`` of a camt.053/.054 document, a :class:`CamtTransaction` per
    ``TxDtls`` and then the :class:`CamtEntry`; streaming. Raises :class:`CamtError` for a
    document that is not camt.053/.054 (any version), an entry without ``Amt``,
    ``CdtDbtInd`` or ``Sts``, an amount, date, indicator or identifier its schema does not
    allow. A ``str`` source is a file name."""
    events = _open_events(source)
    kind = ""
    entry_pos = tx_pos = 0
    report: tuple[str, str] | None = None  # (Id, account) of the current report
    head: dict[str, Any] | None = None  # the current Ntry's data before NtryDtls
    batches: list[CamtBatch] = []
    n_tx = 0
    try:
        for event, elem in events:
            name = _local(elem)
            if event == "start":
                if name == "Document" and elem.getparent() is None:
                    kind = _root_namespace(elem)[1]
                elif kind and name == "Ntry":
                    entry_pos += 1
                    head, batches, n_tx = None, [], 0
                    if report is None:
                        parent = elem.getparent()
                        _check_report(parent, kind)
                        report = (_text(parent, "Id"), _account(parent)[0])
                continue
            if not kind:
                continue
            if name == "TxDtls":
                if head is None:
                    head = _entry_head(_entry_of(elem, entry_pos), entry_pos)
                tx_pos += 1
                n_tx += 1
                yield _transaction(elem, tx_pos, entry_pos, head)
                _drop(elem)
            elif name == "Btch":
                batches.append(_batch(elem, entry_pos))
            elif name == "Ntry":
                if head is None:
                    head = _entry_head(elem, entry_pos)
                assert report is not None
                yield CamtEntry(
                    position=entry_pos,
                    report_id=report[0],
                    account=report[1],
                    batches=tuple(batches),
                    transactions=n_tx,
                    additional_info=_text(elem, "AddtlNtryInf"),
                    **head,
                )
                _drop(elem)
            elif name in ("Stmt", "Ntfctn"):
                report = None
                _drop(elem)
            elif name == "GrpHdr":
                _drop(elem)
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc) from None
    if not kind:
        raise _no_root(events)


def _entry_of(tx: Any, entry_pos: int) -> Any:
    details = tx.getparent()
    entry = details.getparent() if details is not None else None
    if details is None or _local(details) != "NtryDtls" or entry is None or _local(entry) != "Ntry":
        raise CamtError(f"Ntry #{entry_pos}: <TxDtls> outside Ntry/NtryDtls")
    return entry


def _entry_head(entry: Any, position: int) -> dict[str, Any]:
    """The scalars of a ``Ntry`` that precede its ``NtryDtls``."""
    where = f"Ntry #{position}"
    c = _children(entry)
    if "Amt" not in c:
        raise CamtError(f"{where}: no Amt")
    amount, currency = _amount(c["Amt"], where, "Amt")
    status = _status(c.get("Sts"))
    if not status:
        raise CamtError(f"{where}: no Sts")
    return {
        "reference": _ident(c.get("NtryRef"), where, "NtryRef"),
        "amount": amount,
        "currency": currency,
        "credit_debit": _indicator(c.get("CdtDbtInd"), where, "CdtDbtInd"),
        "reversal": _text(entry, "RvslInd").lower() in ("true", "1"),
        "status": status,
        "booking_date": _date(c.get("BookgDt"), where, "BookgDt"),
        "value_date": _date(c.get("ValDt"), where, "ValDt"),
        "account_servicer_ref": _ident(c.get("AcctSvcrRef"), where, "AcctSvcrRef"),
        "bank_code": _bank_code(c.get("BkTxCd")),
    }


def _batch(elem: Any, entry: int) -> CamtBatch:
    where = f"Ntry #{entry} Btch"
    c = _children(elem)
    count: int | None = None
    if "NbOfTxs" in c:
        text = (c["NbOfTxs"].text or "").strip()
        if not text.isdigit() or len(text) > 15:
            raise CamtError(f"{where}: NbOfTxs {text[:40]!r} is not a number (Max15NumericText)")
        count = int(text)
    total: Decimal | None = None
    currency = ""
    if "TtlAmt" in c:
        total, currency = _amount(c["TtlAmt"], where, "TtlAmt")
    cdi = _indicator(c["CdtDbtInd"], where, "CdtDbtInd") if "CdtDbtInd" in c else ""
    return CamtBatch(
        _ident(c.get("MsgId"), where, "MsgId"),
        _ident(c.get("PmtInfId"), where, "PmtInfId"),
        count,
        total,
        currency,
        cdi,
    )


def _tx_amount(c: dict[str, Any], where: str) -> tuple[Decimal | None, str]:
    """A ``TxDtls``'s own ``Amt``, else its ``AmtDtls/TxAmt`` or ``InstdAmt``."""
    amt = c.get("Amt")
    if amt is None and "AmtDtls" in c:
        details = _children(c["AmtDtls"])
        for name in ("TxAmt", "InstdAmt"):
            if name in details:
                amt = _children(details[name]).get("Amt")
                if amt is not None:
                    break
    if amt is None:
        return None, ""
    return _amount(amt, where, "Amt")


def _return_info(rtr: Any, where: str) -> tuple[str, str]:
    """(reason code, additional information) of a ``RtrInf``, or empty strings."""
    if rtr is None:
        return "", ""
    reason = _text(rtr, "Rsn", "Cd") or _text(rtr, "Rsn", "Prtry")
    if len(reason) > MAX_ID:
        raise CamtError(f"{where}: RtrInf/Rsn {reason[:40]!r} is longer than 35 characters")
    info = " ".join(
        (t.text or "").strip()
        for t in rtr
        if isinstance(t.tag, str) and _local(t) == "AddtlInf" and (t.text or "").strip()
    )
    return reason, info


def _transaction(elem: Any, position: int, entry: int, head: dict[str, Any]) -> CamtTransaction:
    where = f"Ntry #{entry} TxDtls #{position}"
    c = _children(elem)
    refs = _children(c["Refs"]) if "Refs" in c else {}
    uetr = _ident(refs.get("UETR"), where, "Refs/UETR", 36)
    if uetr and not _UETR_RE.fullmatch(uetr):
        raise CamtError(f"{where}: Refs/UETR {uetr!r} is not a UUID version 4 (lower case)")
    amount, currency = _tx_amount(c, where)
    cdi = (
        _indicator(c["CdtDbtInd"], where, "CdtDbtInd") if "CdtDbtInd" in c else head["credit_debit"]
    )
    reason, info = _return_info(c.get("RtrInf"), where)
    return CamtTransaction(
        position=position,
        entry=entry,
        end_to_end_id=_ident(refs.get("EndToEndId"), where, "Refs/EndToEndId"),
        instruction_id=_ident(refs.get("InstrId"), where, "Refs/InstrId"),
        message_id=_ident(refs.get("MsgId"), where, "Refs/MsgId"),
        payment_info_id=_ident(refs.get("PmtInfId"), where, "Refs/PmtInfId"),
        uetr=uetr,
        account_servicer_ref=_ident(refs.get("AcctSvcrRef"), where, "Refs/AcctSvcrRef"),
        amount=amount,
        currency=currency,
        credit_debit=cdi,
        status=head["status"],
        reversal=head["reversal"],
        return_reason=reason,
        return_info=info,
    )


# ------------------------------------------------------------------------------ writer


@dataclass(frozen=True, slots=True)
class TransactionDraft:
    """A ``TxDtls`` to write: ``amount`` in whole VND; ``return_reason`` an
    ExternalReturnReason1Code (``AC04``...) for a return, else ``""``."""

    end_to_end_id: str
    amount: int
    credit_debit: str = "DBIT"
    instruction_id: str = ""
    uetr: str = ""
    return_reason: str = ""
    return_info: str = ""


@dataclass(frozen=True, slots=True)
class EntryDraft:
    """A ``Ntry`` to write. ``batch`` is ``(MsgId, PmtInfId, NbOfTxs, TtlAmt)`` for a batch
    booking (one debit for a whole payment block), ``None`` otherwise; ``bank_code`` is
    ``(Domn/Cd, Fmly/Cd, SubFmlyCd)``."""

    amount: int
    credit_debit: str
    booking_date: date
    status: str = "BOOK"
    reference: str = ""
    bank_code: tuple[str, str, str] = ("PMNT", "ICDT", "DMCT")
    batch: tuple[str, str, int, int] | None = None
    transactions: Iterable[TransactionDraft] = field(default_factory=tuple)
    additional_info: str = ""


def _amt(value: int, field_name: str) -> str:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{field_name} {value!r} must be a whole, non-negative number of VND")
    return f'<Amt Ccy="VND">{value}</Amt>'


def _cdi(value: str, field_name: str) -> str:
    if value not in ("CRDT", "DBIT"):
        raise ValueError(f"{field_name} {value!r} must be CRDT or DBIT")
    return f"<CdtDbtInd>{value}</CdtDbtInd>"


def write_camt(
    out: BinaryIO,
    *,
    message: str,
    message_id: str,
    created_at: datetime,
    report_id: str,
    account: str,
    entries: Iterable[EntryDraft],
    opening_balance: int = 0,
) -> str:
    """Stream a camt.053.001.08 (``message="camt.053"``) or camt.054.001.08 document with one
    report of ``account`` (``Acct/Id/Othr/Id``, VND) to ``out``; return the SHA-256 hex of its
    bytes. A camt.053 carries an opening booked balance (``OPBD``, ``opening_balance``)."""
    if message not in ("camt.053", "camt.054"):
        raise ValueError(f"message {message!r} must be camt.053 or camt.054")
    root, report = _MESSAGES[message[-3:]]
    sink = HashingSink(out)
    when = iso_datetime(created_at, "created_at")
    sink.write(_camt_head(message, message_id, when, report_id, account, opening_balance))
    parts: list[str] = []
    for n, e in enumerate(entries, 1):
        try:
            parts.append(_entry_xml(e))
        except ValueError as exc:
            raise ValueError(f"entry #{n}: {exc}") from None
        for m, tx in enumerate(e.transactions, 1):
            try:
                parts.append(_tx_xml(tx))
            except ValueError as exc:
                raise ValueError(f"entry #{n} transaction #{m}: {exc}") from None
            if len(parts) >= CHUNK_LINES:
                sink.write("".join(parts))
                parts.clear()
        info = (
            f"<AddtlNtryInf>{free_text(e.additional_info, 500, 'additional_info')}</AddtlNtryInf>"
            if e.additional_info.strip()
            else ""
        )
        parts.append(f"</NtryDtls>{info}</Ntry>\n")
    parts.append(f"    </{report}>\n  </{root}>\n</Document>\n")
    sink.write("".join(parts))
    return sink.hexdigest()


def _camt_head(
    message: str, message_id: str, when: str, report_id: str, account: str, opening: int
) -> str:
    """From the XML declaration to the report's account (and a camt.053's opening balance)."""
    ns = CAMT053_NS if message == "camt.053" else CAMT054_NS
    root, report = _MESSAGES[message[-3:]]
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<Document xmlns="{ns}">\n  <{root}>\n',
        f"    <GrpHdr><MsgId>{identifier(message_id, MAX_ID, 'message_id')}</MsgId>"
        f"<CreDtTm>{when}</CreDtTm></GrpHdr>\n",
        f"    <{report}>\n      <Id>{identifier(report_id, MAX_ID, 'report_id')}</Id>"
        f"<CreDtTm>{when}</CreDtTm>\n",
        f"      <Acct><Id><Othr><Id>{identifier(account, MAX_ACCOUNT, 'account')}</Id></Othr>"
        "</Id><Ccy>VND</Ccy></Acct>\n",
    ]
    if message == "camt.053":
        sign = "CRDT" if opening >= 0 else "DBIT"
        head.append(
            "      <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp>"
            f"{_amt(abs(opening), 'opening_balance')}<CdtDbtInd>{sign}</CdtDbtInd>"
            f"<Dt><DtTm>{when}</DtTm></Dt></Bal>\n"
        )
    return "".join(head)


def _entry_xml(e: EntryDraft) -> str:
    ref = (
        f"<NtryRef>{identifier(e.reference, MAX_ID, 'reference')}</NtryRef>" if e.reference else ""
    )
    domain, family, sub = (identifier(x, 4, "bank_code") for x in e.bank_code)
    out = (
        f"      <Ntry>{ref}{_amt(e.amount, 'amount')}{_cdi(e.credit_debit, 'credit_debit')}"
        f"<Sts><Cd>{identifier(e.status, 4, 'status')}</Cd></Sts>"
        f"<BookgDt><Dt>{e.booking_date.isoformat()}</Dt></BookgDt>"
        f"<BkTxCd><Domn><Cd>{domain}</Cd><Fmly><Cd>{family}</Cd><SubFmlyCd>{sub}</SubFmlyCd>"
        "</Fmly></Domn></BkTxCd><NtryDtls>"
    )
    if e.batch is not None:
        msg, pmt, count, total = e.batch
        out += (
            f"<Btch><MsgId>{identifier(msg, MAX_ID, 'batch message id')}</MsgId>"
            f"<PmtInfId>{identifier(pmt, MAX_ID, 'batch payment info id')}</PmtInfId>"
            f"<NbOfTxs>{int(count)}</NbOfTxs>"
            f'<TtlAmt Ccy="VND">{_whole(total, "batch total")}</TtlAmt>'
            f"{_cdi(e.credit_debit, 'credit_debit')}</Btch>"
        )
    return out


def _whole(value: int, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} {value!r} must be a whole, non-negative number of VND")
    return value


def _tx_xml(tx: TransactionDraft) -> str:
    refs = ""
    if tx.instruction_id:
        refs += f"<InstrId>{identifier(tx.instruction_id, MAX_ID, 'instruction_id')}</InstrId>"
    refs += f"<EndToEndId>{identifier(tx.end_to_end_id, MAX_ID, 'end_to_end_id')}</EndToEndId>"
    if tx.uetr:
        if not _UETR_RE.fullmatch(tx.uetr):
            raise ValueError(f"uetr {tx.uetr!r} is not a UUID version 4 (lower case)")
        refs += f"<UETR>{tx.uetr}</UETR>"
    rtr = ""
    if tx.return_reason:
        code = identifier(tx.return_reason, 4, "return_reason")
        rtr = f"<RtrInf><Rsn><Cd>{code}</Cd></Rsn>"
        if tx.return_info.strip():
            rtr += f"<AddtlInf>{free_text(tx.return_info, 105, 'return_info')}</AddtlInf>"
        rtr += "</RtrInf>"
    return (
        f"<TxDtls><Refs>{refs}</Refs>{_amt(tx.amount, 'amount')}"
        f"{_cdi(tx.credit_debit, 'credit_debit')}{rtr}</TxDtls>"
    )
