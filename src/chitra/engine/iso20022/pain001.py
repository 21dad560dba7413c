"""pain.001.001.09: the credit transfers of a batch, streamed to the bank (see the package's
doc)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import BinaryIO
from xml.sax.saxutils import escape

from chitra.engine.iso20022.common import (
    CHUNK_LINES,
    CONTROL,
    MAX_ACCOUNT,
    MAX_AMOUNT,
    MAX_ID,
    MAX_TEXT,
    HashingSink,
    free_text,
    identifier,
    iso_datetime,
)
from chitra.kernel.names import latin_text

__all__ = [
    "NAME_STYLES",
    "PAIN001_NS",
    "ControlTotalMismatch",
    "CreditTransfer",
    "Pain001Header",
    "PaymentBlock",
    "styled",
    "write_pain001",
]

PAIN001_NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"


class ControlTotalMismatch(ValueError):
    """The transfers written do not add up to the header's ``control_count``/``control_sum``.

    Raised after the last transfer, before the closing tags: the output is then an incomplete
    document and must be discarded.
    """

    def __init__(
        self,
        expected_count: int,
        actual_count: int,
        expected_sum: int,
        actual_sum: int,
        *,
        block: str = "",
    ) -> None:
        self.expected_count = expected_count
        self.actual_count = actual_count
        self.expected_sum = expected_sum
        self.actual_sum = actual_sum
        self.block = block
        problems = []
        if expected_count != actual_count:
            problems.append(f"count {actual_count} written, header says {expected_count}")
        if expected_sum != actual_sum:
            problems.append(f"sum {actual_sum} VND written, header says {expected_sum}")
        where = f" of block {block}" if block else ""
        super().__init__(f"control totals{where} do not match: " + "; ".join(problems))


@dataclass(frozen=True, slots=True)
class CreditTransfer:
    """One credit transfer (``CdtTrfTxInf``) of a pain.001 file.

    ``end_to_end_id`` (Max35Text) is the payment reference echoed back in pain.002;
    ``amount`` is in whole VND (> 0); ``creditor_account`` is an account number or wallet id
    (``CdtrAcct/Id/Othr/Id``, Max34Text); ``creditor_agent_bin`` is the NAPAS BIN of the
    creditor's bank (``CdtrAgt/FinInstnId/ClrSysMmbId/MmbId``). ``creditor_name`` and
    ``remittance_info`` are truncated to 140 characters; an empty ``remittance_info`` omits
    ``RmtInf``.

    The optional fields, each omitted when empty: ``instruction_id`` (``PmtId/InstrId``),
    ``uetr`` (``PmtId/UETR``, a lower-case UUID v4), ``purpose`` (``Purp/Cd``, an ISO
    ExternalPurpose1Code such as ``PENS``), ``creditor_id`` with its ``creditor_id_scheme``
    (``Cdtr/Id/PrvtId/Othr``, ``NIDN`` national ID, ``SOSE`` social insurance number), and
    ``ultimate_creditor_name`` / ``ultimate_creditor_id`` (``UltmtCdtr``: the beneficiary
    when the account holder paid is a representative). ``block`` is the index of the
    :class:`PaymentBlock` of the header the transfer belongs to.
    """

    end_to_end_id: str
    amount: int
    creditor_name: str
    creditor_account: str
    creditor_agent_bin: str
    remittance_info: str
    instruction_id: str = ""
    uetr: str = ""
    purpose: str = ""
    creditor_id: str = ""
    creditor_id_scheme: str = "NIDN"
    ultimate_creditor_name: str = ""
    ultimate_creditor_id: str = ""
    ultimate_creditor_id_scheme: str = "NIDN"
    block: int = 0


@dataclass(frozen=True, slots=True)
class PaymentBlock:
    """One payment-information block (``PmtInf``): its id, totals and category purpose
    (``PmtTpInf/CtgyPurp/Cd``, ``PENS`` pension, ``SSBE`` social security benefit; ``None``
    omits it). A block holds at least one transfer."""

    payment_info_id: str
    control_count: int
    control_sum: int
    category_purpose: str | None = None


#: how names and free text are written: as given, without diacritics, or also upper case
NAME_STYLES = ("unicode", "latin", "latin_upper")


@dataclass(frozen=True, kw_only=True)
class Pain001Header:
    """Group header and payment-information data of a pain.001 file.

    ``control_count`` / ``control_sum`` (whole VND) are the file's totals (``GrpHdr``),
    written up front and checked against the transfers actually written. ``created_at``
    must be timezone-aware. ``blocks`` are the file's ``PmtInf`` blocks, in order; when empty,
    one block is made of ``payment_info_id``, the file's totals and ``category_purpose``.

    ``initiating_party_id`` is the initiating party's tax code (``InitgPty/Id/OrgId/Othr``,
    scheme ``TXID``); ``service_level`` and ``local_instrument`` go to every block's
    ``PmtTpInf`` (as ``Cd``; a value written ``prtry:XYZ`` goes as ``Prtry`` ``XYZ``);
    ``name_style`` (one of :data:`NAME_STYLES`) says how every name and free text is written.
    """

    message_id: str
    created_at: datetime
    initiating_party: str
    execution_date: date
    debtor_name: str
    debtor_account: str
    debtor_agent_bin: str
    control_count: int
    control_sum: int
    payment_info_id: str = ""
    category_purpose: str | None = "PENS"
    initiating_party_id: str | None = None
    service_level: str | None = None
    local_instrument: str | None = None
    name_style: str = "unicode"
    blocks: tuple[PaymentBlock, ...] = ()

    def payment_blocks(self) -> tuple[PaymentBlock, ...]:
        """The blocks, checked: at least one transfer each, totals adding up to the file's."""
        blocks = self.blocks or (
            PaymentBlock(
                self.payment_info_id, self.control_count, self.control_sum, self.category_purpose
            ),
        )
        ids = set()
        for b in blocks:
            if b.control_count < 1:
                raise ValueError(
                    f"block {b.payment_info_id!r}: control_count must be at least 1 "
                    "(PmtInf needs a transfer)"
                )
            if not 0 < b.control_sum <= MAX_AMOUNT:
                raise ValueError(f"block {b.payment_info_id!r}: control_sum is out of range")
            if b.payment_info_id in ids:
                raise ValueError(f"payment_info_id {b.payment_info_id!r} is used twice")
            ids.add(b.payment_info_id)
        if sum(b.control_count for b in blocks) != self.control_count or (
            sum(b.control_sum for b in blocks) != self.control_sum
        ):
            raise ValueError("the blocks' control totals do not add up to the file's")
        return blocks


def styled(style: str) -> Callable[[str], str]:
    """The function writing a name in ``style`` (see :data:`NAME_STYLES`)."""
    if style == "unicode":
        return str
    if style == "latin":
        return latin_text
    if style == "latin_upper":
        return lambda s: latin_text(s).upper()
    raise ValueError(f"name_style {style!r} is not one of {', '.join(NAME_STYLES)}")


def _code(value: str, limit: int, field: str) -> str:
    """``<Cd>`` of an ISO external code, or ``<Prtry>`` for a value written ``prtry:XYZ``."""
    if value.startswith("prtry:"):
        return f"<Prtry>{identifier(value[6:], MAX_ID, field)}</Prtry>"
    return f"<Cd>{identifier(value, limit, field)}</Cd>"


def _payment_type(h: Pain001Header, block: PaymentBlock) -> str:
    inner = ""
    if h.service_level:
        inner += f"<SvcLvl>{_code(h.service_level, 4, 'service_level')}</SvcLvl>"
    if h.local_instrument:
        inner += f"<LclInstrm>{_code(h.local_instrument, MAX_ID, 'local_instrument')}</LclInstrm>"
    if block.category_purpose is not None:
        code = _code(block.category_purpose, 4, "category_purpose")
        inner += f"<CtgyPurp>{code}</CtgyPurp>"
    return f"      <PmtTpInf>{inner}</PmtTpInf>\n" if inner else ""


def _pain001_group(h: Pain001Header, name: Callable[[str], str]) -> str:
    if not 0 < h.control_sum <= MAX_AMOUNT:
        raise ValueError(f"control_sum {h.control_sum} is out of range")
    initiator = f"<Nm>{free_text(name(h.initiating_party), MAX_TEXT, 'initiating_party')}</Nm>"
    if h.initiating_party_id:
        tax = identifier(h.initiating_party_id, MAX_ID, "initiating_party_id")
        initiator += (
            f"<Id><OrgId><Othr><Id>{tax}</Id><SchmeNm><Cd>TXID</Cd></SchmeNm></Othr></OrgId></Id>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="{PAIN001_NS}">\n'
        "  <CstmrCdtTrfInitn>\n"
        "    <GrpHdr>\n"
        f"      <MsgId>{identifier(h.message_id, MAX_ID, 'message_id')}</MsgId>\n"
        f"      <CreDtTm>{iso_datetime(h.created_at, 'created_at')}</CreDtTm>\n"
        f"      <NbOfTxs>{h.control_count}</NbOfTxs>\n"
        f"      <CtrlSum>{h.control_sum}</CtrlSum>\n"
        f"      <InitgPty>{initiator}</InitgPty>\n"
        "    </GrpHdr>\n"
    )


def _pain001_block(h: Pain001Header, block: PaymentBlock, name: Callable[[str], str]) -> str:
    if not isinstance(h.execution_date, date):
        raise ValueError("execution_date must be a date")
    execution_date = (
        h.execution_date.date() if isinstance(h.execution_date, datetime) else h.execution_date
    )
    debtor_bin = identifier(h.debtor_agent_bin, MAX_ID, "debtor_agent_bin")
    pmt_inf_id = identifier(block.payment_info_id, MAX_ID, "payment_info_id")
    return (
        "    <PmtInf>\n"
        f"      <PmtInfId>{pmt_inf_id}</PmtInfId>\n"
        "      <PmtMtd>TRF</PmtMtd>\n"
        "      <BtchBookg>false</BtchBookg>\n"
        f"      <NbOfTxs>{block.control_count}</NbOfTxs>\n"
        f"      <CtrlSum>{block.control_sum}</CtrlSum>\n"
        f"{_payment_type(h, block)}"
        f"      <ReqdExctnDt><Dt>{execution_date.isoformat()}</Dt></ReqdExctnDt>\n"
        f"      <Dbtr><Nm>{free_text(name(h.debtor_name), MAX_TEXT, 'debtor_name')}</Nm></Dbtr>\n"
        "      <DbtrAcct><Id><Othr>"
        f"<Id>{identifier(h.debtor_account, MAX_ACCOUNT, 'debtor_account')}</Id>"
        "</Othr></Id></DbtrAcct>\n"
        "      <DbtrAgt><FinInstnId><ClrSysMmbId>"
        f"<MmbId>{debtor_bin}</MmbId>"
        "</ClrSysMmbId></FinInstnId></DbtrAgt>\n"
        "      <ChrgBr>SLEV</ChrgBr>\n"
    )


_PMTINF_TAIL = "    </PmtInf>\n"
_PAIN001_TAIL = "  </CstmrCdtTrfInitn>\n</Document>\n"
_UETR = re.compile("[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}").fullmatch


def _person_id(value: str, scheme: str, field: str) -> str:
    """``Id/PrvtId/Othr`` of a person: the number and its ExternalPersonIdentification1Code."""
    number = _clean_id(value, MAX_ID, field)
    return f"<Id><PrvtId><Othr><Id>{number}</Id>{_scheme(scheme, field)}</Othr></PrvtId></Id>"


@lru_cache(maxsize=64)
def _scheme(scheme: str, field: str) -> str:
    return f"<SchmeNm><Cd>{identifier(scheme, 4, f'{field}_scheme')}</Cd></SchmeNm>"


def _clean_name(value: str, name: Callable[[str], str], field: str) -> str:
    """A name in the header's style, cleaned, truncated and escaped (fast for clean text)."""
    value = name(value)
    if CONTROL.search(value):
        return free_text(value, MAX_TEXT, field)
    value = unicodedata.normalize("NFC", value).strip()
    if not value or len(value) > MAX_TEXT:
        return free_text(value, MAX_TEXT, field)
    return escape(value)


def _clean_id(value: str, limit: int, field: str) -> str:
    """An identifier, checked and escaped: plain ASCII letters and digits (the usual case) as
    they are, anything else through :func:`identifier`."""
    if value.isascii() and value.isalnum() and len(value) <= limit:
        return value
    return identifier(value, limit, field)


class _Renderer:
    """Renders the transfers of one file, caching what repeats (banks, texts, codes)."""

    def __init__(self, name: Callable[[str], str]) -> None:
        self.name = name
        self.agents: dict[str, str] = {}  # BIN -> rendered CdtrAgt (few banks per file)
        self.remittances: dict[str, str] = {}  # raw -> rendered RmtInf (shared by the batch)
        self.purposes: dict[str, str] = {"": ""}

    def agent(self, bin_code: str) -> str:
        agent = self.agents.get(bin_code)
        if agent is None:
            agent = self.agents[bin_code] = (
                "<CdtrAgt><FinInstnId><ClrSysMmbId><MmbId>"
                + identifier(bin_code, MAX_ID, "creditor_agent_bin")
                + "</MmbId></ClrSysMmbId></FinInstnId></CdtrAgt>"
            )
        return agent

    def remittance(self, raw: str) -> str:
        rmt = self.remittances.get(raw)
        if rmt is None:
            if CONTROL.sub("", raw).strip():
                ustrd = free_text(self.name(raw), MAX_TEXT, "remittance_info")
                rmt = f"<RmtInf><Ustrd>{ustrd}</Ustrd></RmtInf>"
            else:
                rmt = ""
            if len(self.remittances) < 4096:
                self.remittances[raw] = rmt
        return rmt

    def purpose(self, code: str) -> str:
        rendered = self.purposes.get(code)
        if rendered is None:
            rendered = self.purposes[code] = (
                f"<Purp><Cd>{identifier(code, 4, 'purpose')}</Cd></Purp>"
            )
        return rendered

    def transfer(self, t: CreditTransfer) -> str:
        amount = t.amount
        if type(amount) is not int or not 0 < amount <= MAX_AMOUNT:
            raise ValueError(f"amount {amount!r} is not a positive whole number of VND")
        instr = t.instruction_id
        if instr:
            instr = f"<InstrId>{_clean_id(instr, MAX_ID, 'instruction_id')}</InstrId>"
        uetr = t.uetr
        if uetr:
            if _UETR(uetr) is None:
                raise ValueError(f"uetr {uetr!r} is not a lower-case UUID v4")
            uetr = f"<UETR>{uetr}</UETR>"
        creditor_id = t.creditor_id
        if creditor_id:
            creditor_id = _person_id(creditor_id, t.creditor_id_scheme, "creditor_id")
        ultimate = t.ultimate_creditor_name
        if ultimate:
            ultimate = self.ultimate(t)
        agent = self.agents.get(t.creditor_agent_bin) or self.agent(t.creditor_agent_bin)
        rmt = self.remittances.get(t.remittance_info)
        if rmt is None:
            rmt = self.remittance(t.remittance_info)
        return (
            f"      <CdtTrfTxInf><PmtId>{instr}"
            f"<EndToEndId>{_clean_id(t.end_to_end_id, MAX_ID, 'end_to_end_id')}</EndToEndId>"
            f'{uetr}</PmtId><Amt><InstdAmt Ccy="VND">{amount}</InstdAmt></Amt>{agent}'
            f"<Cdtr><Nm>{_clean_name(t.creditor_name, self.name, 'creditor_name')}</Nm>"
            f"{creditor_id}</Cdtr><CdtrAcct><Id><Othr>"
            f"<Id>{_clean_id(t.creditor_account, MAX_ACCOUNT, 'creditor_account')}</Id>"
            f"</Othr></Id></CdtrAcct>{ultimate}{self.purpose(t.purpose)}{rmt}</CdtTrfTxInf>\n"
        )

    def ultimate(self, t: CreditTransfer) -> str:
        name = _clean_name(t.ultimate_creditor_name, self.name, "ultimate_creditor_name")
        ident = ""
        if t.ultimate_creditor_id:
            ident = _person_id(
                t.ultimate_creditor_id, t.ultimate_creditor_id_scheme, "ultimate_creditor_id"
            )
        return f"<UltmtCdtr><Nm>{name}</Nm>{ident}</UltmtCdtr>"


def write_pain001(out: BinaryIO, header: Pain001Header, transfers: Iterable[CreditTransfer]) -> str:
    """Stream a pain.001.001.09 document to ``out``; return the SHA-256 hex of the bytes written.

    The header totals go first; ``transfers`` is consumed lazily, one ``CdtTrfTxInf`` per line,
    written in chunks, grouped by block: the transfers of ``header.blocks[0]`` first, then
    those of the next block, and so on. After a block's last transfer (and after the last
    transfer), :class:`ControlTotalMismatch` is raised (and the closing tags are not written)
    if the number or the sum of its transfers differs from the block's totals. A transfer with
    an invalid field, or out of its block's order, raises :class:`ValueError` naming its
    1-based position.
    """
    name = styled(header.name_style)
    blocks = header.payment_blocks()
    sink = HashingSink(out)
    sink.write(_pain001_group(header, name) + _pain001_block(header, blocks[0], name))
    render = _Renderer(name)
    parts: list[str] = []
    current = block_count = block_total = 0
    for count, t in enumerate(transfers, 1):
        try:
            if t.block != current:
                if t.block != current + 1 or t.block >= len(blocks):
                    raise ValueError(
                        f"block {t.block!r} after block {current}: the transfers must come "
                        f"grouped by block, in the header's order of {len(blocks)} blocks"
                    )
                sink.write("".join(parts))
                parts.clear()
                _check_block(blocks[current], block_count, block_total)
                current = t.block
                block_count = block_total = 0
                sink.write(_PMTINF_TAIL + _pain001_block(header, blocks[current], name))
            parts.append(render.transfer(t))
        except ValueError as exc:
            if isinstance(exc, ControlTotalMismatch):
                raise
            raise ValueError(f"transfer #{count}: {exc}") from None
        except (AttributeError, TypeError) as exc:
            raise ValueError(f"transfer #{count}: not a CreditTransfer ({exc})") from None
        block_count += 1
        block_total += t.amount
        if len(parts) >= CHUNK_LINES:
            sink.write("".join(parts))
            parts.clear()

    if parts:
        sink.write("".join(parts))
    _check_block(blocks[current], block_count, block_total)
    for later in blocks[current + 1 :]:
        _check_block(later, 0, 0)
    sink.write(_PMTINF_TAIL + _PAIN001_TAIL)
    return sink.hexdigest()


def _check_block(block: PaymentBlock, count: int, total: int) -> None:
    if count != block.control_count or total != block.control_sum:
        raise ControlTotalMismatch(
            block.control_count, count, block.control_sum, total, block=block.payment_info_id
        )
