"""pain.001.001.09: the credit transfers of a batch, streamed to the bank (see the package's
doc)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
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

__all__ = ["PAIN001_NS", "ControlTotalMismatch", "CreditTransfer", "Pain001Header", "write_pain001"]

PAIN001_NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"


class ControlTotalMismatch(ValueError):
    """The transfers written do not add up to the header's ``control_count``/``control_sum``.

    Raised after the last transfer, before the closing tags: the output is then an incomplete
    document and must be discarded.
    """

    def __init__(
        self, expected_count: int, actual_count: int, expected_sum: int, actual_sum: int
    ) -> None:
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


def _pain001_head(h: Pain001Header) -> str:
    if h.control_count < 1:
        raise ValueError("control_count must be at least 1 (PmtInf needs a transfer)")
    if not 0 < h.control_sum <= MAX_AMOUNT:
        raise ValueError(f"control_sum {h.control_sum} is out of range")
    if not isinstance(h.execution_date, date):
        raise ValueError("execution_date must be a date")
    execution_date = (
        h.execution_date.date() if isinstance(h.execution_date, datetime) else h.execution_date
    )
    count, total = str(h.control_count), str(h.control_sum)
    purpose = ""
    if h.category_purpose is not None:
        code = identifier(h.category_purpose, 4, "category_purpose")
        purpose = f"      <PmtTpInf><CtgyPurp><Cd>{code}</Cd></CtgyPurp></PmtTpInf>\n"
    debtor_bin = identifier(h.debtor_agent_bin, MAX_ID, "debtor_agent_bin")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="{PAIN001_NS}">\n'
        "  <CstmrCdtTrfInitn>\n"
        "    <GrpHdr>\n"
        f"      <MsgId>{identifier(h.message_id, MAX_ID, 'message_id')}</MsgId>\n"
        f"      <CreDtTm>{iso_datetime(h.created_at, 'created_at')}</CreDtTm>\n"
        f"      <NbOfTxs>{count}</NbOfTxs>\n"
        f"      <CtrlSum>{total}</CtrlSum>\n"
        f"      <InitgPty><Nm>{free_text(h.initiating_party, MAX_TEXT, 'initiating_party')}"
        "</Nm></InitgPty>\n"
        "    </GrpHdr>\n"
        "    <PmtInf>\n"
        f"      <PmtInfId>{identifier(h.payment_info_id, MAX_ID, 'payment_info_id')}</PmtInfId>\n"
        "      <PmtMtd>TRF</PmtMtd>\n"
        "      <BtchBookg>false</BtchBookg>\n"
        f"      <NbOfTxs>{count}</NbOfTxs>\n"
        f"      <CtrlSum>{total}</CtrlSum>\n"
        f"{purpose}"
        f"      <ReqdExctnDt><Dt>{execution_date.isoformat()}</Dt></ReqdExctnDt>\n"
        f"      <Dbtr><Nm>{free_text(h.debtor_name, MAX_TEXT, 'debtor_name')}</Nm></Dbtr>\n"
        "      <DbtrAcct><Id><Othr>"
        f"<Id>{identifier(h.debtor_account, MAX_ACCOUNT, 'debtor_account')}</Id>"
        "</Othr></Id></DbtrAcct>\n"
        "      <DbtrAgt><FinInstnId><ClrSysMmbId>"
        f"<MmbId>{debtor_bin}</MmbId>"
        "</ClrSysMmbId></FinInstnId></DbtrAgt>\n"
        "      <ChrgBr>SLEV</ChrgBr>\n"
    )


_PAIN001_TAIL = "    </PmtInf>\n  </CstmrCdtTrfInitn>\n</Document>\n"


def write_pain001(out: BinaryIO, header: Pain001Header, transfers: Iterable[CreditTransfer]) -> str:
    """Stream a pain.001.001.09 document to ``out``; return the SHA-256 hex of the bytes written.

    The header totals go first; ``transfers`` is consumed lazily, one ``CdtTrfTxInf`` per line,
    written in chunks. After the last transfer, :class:`ControlTotalMismatch` is raised (and the
    closing tags are not written) if the number or the sum of the transfers differs from
    ``header.control_count`` / ``header.control_sum``. A transfer with an invalid field raises
    :class:`ValueError` naming its 1-based position.
    """
    sink = HashingSink(out)
    sink.write(_pain001_head(header))

    agents: dict[str, str] = {}  # BIN -> rendered CdtrAgt (few distinct banks per file)
    remittances: dict[str, str] = {}  # raw -> rendered RmtInf (often shared by the batch)
    parts: list[str] = []
    append = parts.append
    count = 0
    total = 0
    control = CONTROL.search
    normalize = unicodedata.normalize
    for t in transfers:
        count += 1
        try:
            amount = t.amount
            if type(amount) is not int or not 0 < amount <= MAX_AMOUNT:
                raise ValueError(f"amount {amount!r} is not a positive whole number of VND")
            total += amount

            agent = agents.get(t.creditor_agent_bin)
            if agent is None:
                agent = agents[t.creditor_agent_bin] = (
                    "<CdtrAgt><FinInstnId><ClrSysMmbId><MmbId>"
                    + identifier(t.creditor_agent_bin, MAX_ID, "creditor_agent_bin")
                    + "</MmbId></ClrSysMmbId></FinInstnId></CdtrAgt>"
                )

            rmt = remittances.get(t.remittance_info)
            if rmt is None:
                raw = t.remittance_info
                if CONTROL.sub("", raw).strip():
                    ustrd = free_text(raw, MAX_TEXT, "remittance_info")
                    rmt = f"<RmtInf><Ustrd>{ustrd}</Ustrd></RmtInf>"
                else:
                    rmt = ""
                if len(remittances) < 4096:
                    remittances[raw] = rmt

            # Fast path for the common clean case; anything unusual goes through the helpers.
            e2e = t.end_to_end_id
            if not e2e or len(e2e) > MAX_ID or control(e2e) or e2e != e2e.strip():
                e2e = identifier(e2e, MAX_ID, "end_to_end_id")
            else:
                e2e = escape(e2e)
            account = t.creditor_account
            if (
                not account
                or len(account) > MAX_ACCOUNT
                or control(account)
                or account != account.strip()
            ):
                account = identifier(account, MAX_ACCOUNT, "creditor_account")
            else:
                account = escape(account)
            name = t.creditor_name
            if control(name):
                name = free_text(name, MAX_TEXT, "creditor_name")
            else:
                name = normalize("NFC", name).strip()
                if not name or len(name) > MAX_TEXT:
                    name = free_text(name, MAX_TEXT, "creditor_name")
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
        if len(parts) >= CHUNK_LINES:
            sink.write("".join(parts))
            parts.clear()

    if parts:
        sink.write("".join(parts))
    if count != header.control_count or total != header.control_sum:
        raise ControlTotalMismatch(header.control_count, count, header.control_sum, total)
    sink.write(_PAIN001_TAIL)
    return sink.hexdigest()
