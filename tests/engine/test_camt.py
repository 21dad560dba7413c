"""camt.053 / camt.054: the writer's files are valid against the ISO schemas, the reader reads
them back, reads real files of other banks (every version they use) as expected, and refuses
hostile or broken documents with a message that names the place."""

from __future__ import annotations

import io
import tracemalloc
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
import xmlschema

from chitra.engine.iso20022.camt import (
    CAMT053_NS,
    CAMT054_NS,
    CamtBatch,
    CamtEntry,
    CamtError,
    CamtTransaction,
    EntryDraft,
    TransactionDraft,
    camt_header,
    iter_camt,
    write_camt,
)

ROOT = Path(__file__).resolve().parents[2]
ISO_DIR = ROOT / "tests" / "data" / "iso20022"
SAMPLES = ISO_DIR / "samples"
ICT = timezone(timedelta(hours=7))
CREATED = datetime(2026, 12, 6, 8, 0, tzinfo=ICT)
UETR = "3f1c2a9e-5b7d-4e21-9a3c-0d6f8b2e4a71"


@pytest.fixture(scope="module")
def xsd053() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(ISO_DIR / "camt.053.001.08.xsd"))


@pytest.fixture(scope="module")
def xsd054() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(ISO_DIR / "camt.054.001.08.xsd"))


def _entries() -> list[EntryDraft]:
    return [
        # the whole batch debited at once (batch booking), its transactions listed
        EntryDraft(
            amount=7_000_000,
            credit_debit="DBIT",
            booking_date=date(2026, 12, 5),
            reference="NTRY-1",
            batch=("B-36-202612-0", "B-36-202612-0", 2, 7_000_000),
            transactions=[
                TransactionDraft("0362026120000000010011", 3_000_000, uetr=UETR),
                TransactionDraft("0362026120000000020017", 4_000_000, instruction_id="I-2"),
            ],
        ),
        # a return after credit: money back to the paying account, with its reason
        EntryDraft(
            amount=3_000_000,
            credit_debit="CRDT",
            booking_date=date(2026, 12, 9),
            bank_code=("PMNT", "ICDT", "RRTN"),
            transactions=[
                TransactionDraft(
                    "0362026120000000010011",
                    3_000_000,
                    credit_debit="CRDT",
                    return_reason="AC04",
                    return_info="Tài khoản đã đóng",
                )
            ],
            additional_info="Hoàn trả",
        ),
        # not booked yet
        EntryDraft(
            amount=1_500_000,
            credit_debit="DBIT",
            booking_date=date(2026, 12, 10),
            status="PDNG",
            transactions=[TransactionDraft("0362026120000000030013", 1_500_000)],
        ),
    ]


def _write(message: str, entries: list[EntryDraft] | None = None) -> bytes:
    buf = io.BytesIO()
    sha = write_camt(
        buf,
        message=message,
        message_id="STMT-20261210",
        created_at=CREATED,
        report_id="S-1",
        account="1234567890",
        entries=_entries() if entries is None else entries,
        opening_balance=50_000_000,
    )
    assert len(sha) == 64
    return buf.getvalue()


@pytest.mark.parametrize("message", ["camt.053", "camt.054"])
def test_written_files_are_schema_valid_and_read_back(message, xsd053, xsd054):
    data = _write(message)
    (xsd053 if message == "camt.053" else xsd054).validate(io.BytesIO(data))
    assert (CAMT053_NS if message == "camt.053" else CAMT054_NS).encode() in data
    head = camt_header(io.BytesIO(data))
    assert (head.message, head.version, head.message_id, head.report_id, head.account) == (
        message,
        "001.08",
        "STMT-20261210",
        "S-1",
        "1234567890",
    )
    items = list(iter_camt(io.BytesIO(data)))
    kinds = [type(i).__name__ for i in items]
    assert kinds == [
        "CamtTransaction",
        "CamtTransaction",
        "CamtEntry",
        "CamtTransaction",
        "CamtEntry",
        "CamtTransaction",
        "CamtEntry",
    ]
    t1, t2, e1, t3, e2, t4, e3 = items
    assert isinstance(e1, CamtEntry) and isinstance(t1, CamtTransaction)
    assert e1.batches == (
        CamtBatch("B-36-202612-0", "B-36-202612-0", 2, Decimal(7_000_000), "VND", "DBIT"),
    )
    assert (e1.amount, e1.credit_debit, e1.status, e1.booked, e1.transactions) == (
        Decimal(7_000_000),
        "DBIT",
        "BOOK",
        True,
        2,
    )
    assert (e1.reference, e1.booking_date, e1.bank_code) == (
        "NTRY-1",
        date(2026, 12, 5),
        "PMNT/ICDT/DMCT",
    )
    assert (t1.end_to_end_id, t1.uetr, t1.amount, t1.entry, t1.position) == (
        "0362026120000000010011",
        UETR,
        Decimal(3_000_000),
        1,
        1,
    )
    assert t2.instruction_id == "I-2" and t2.credit_debit == "DBIT"
    assert (t3.credit_debit, t3.return_reason, t3.return_info) == (
        "CRDT",
        "AC04",
        "Tài khoản đã đóng",
    )
    assert e2.bank_code == "PMNT/ICDT/RRTN" and e2.additional_info == "Hoàn trả"
    assert (t4.status, e3.status, e3.booked) == ("PDNG", "PDNG", False)


def test_the_same_input_gives_the_same_bytes():
    assert _write("camt.054") == _write("camt.054")


def test_writer_refuses_bad_values():
    with pytest.raises(ValueError, match="entry #1: amount -5"):
        _write("camt.054", [EntryDraft(amount=-5, credit_debit="DBIT", booking_date=date.today())])
    with pytest.raises(ValueError, match="entry #1 transaction #1: uetr"):
        _write(
            "camt.054",
            [
                EntryDraft(
                    amount=5,
                    credit_debit="DBIT",
                    booking_date=date.today(),
                    transactions=[TransactionDraft("X", 5, uetr="not-a-uuid")],
                )
            ],
        )
    with pytest.raises(ValueError, match="CRDT or DBIT"):
        _write("camt.053", [EntryDraft(amount=5, credit_debit="D", booking_date=date.today())])


# ------------------------------------------------------------------ real files of other banks


def _read(name: str) -> tuple[list[CamtEntry], list[CamtTransaction]]:
    items = list(iter_camt(SAMPLES / name))
    return (
        [i for i in items if isinstance(i, CamtEntry)],
        [i for i in items if isinstance(i, CamtTransaction)],
    )


def test_postfinance_camt054_return_after_credit():
    """camt.054.001.04 (PostFinance): a credit back to the account, reason AC01."""
    name = "moov_camt054-returns_p_ch5109000000250092291_1110097606_0_2020112500512470.xml"
    head = camt_header(SAMPLES / name)
    assert (head.message, head.version, head.message_id) == (
        "camt.054",
        "001.04",
        "20201124375204228763929",
    )
    entries, txs = _read(name)
    assert len(entries) == 1 and len(txs) == 1
    e, t = entries[0], txs[0]
    assert (e.amount, e.currency, e.credit_debit, e.reversal, e.status) == (
        Decimal("500.00"),
        "CHF",
        "CRDT",
        True,
        "BOOK",
    )
    assert e.bank_code == "PMNT/ICDT/RRTN" and e.booking_date == date(2020, 11, 24)
    assert e.batches == (CamtBatch("", "", 1, None, "", ""),)
    assert (t.end_to_end_id, t.instruction_id, t.payment_info_id) == (
        "EndToEndId-001-03-04",
        "InstrId-001-03-04",
        "PmtInfId-001-03",
    )
    assert (t.return_reason, t.return_info, t.credit_debit) == (
        "AC01",
        "Kontonummer falsch",
        "CRDT",
    )


def test_postfinance_camt054_debit():
    name = "moov_200519_camt.054-Debit_P_CH2909000000250094239_1110092692_0_2019042401501580.xml"
    entries, txs = _read(name)
    assert [(e.amount, e.credit_debit, e.status) for e in entries] == [
        (Decimal("913.00"), "DBIT", "BOOK")
    ]
    t = txs[0]
    assert (t.message_id, t.payment_info_id, t.end_to_end_id, t.return_reason) == (
        "20190424-000369773",
        "30003101",
        "20190424001255000100006",
        "",
    )


def test_postfinance_camt053_statement():
    """camt.053.001.04: five booked entries, credits and a debit."""
    name = "moov_camt.053_P_CH2909000000250094239_1110092698_0_2020112503071366.xml"
    head = camt_header(SAMPLES / name)
    assert (head.message, head.version, head.account) == (
        "camt.053",
        "001.04",
        "CH2909000000250094239",
    )
    entries, txs = _read(name)
    assert [(str(e.amount), e.credit_debit) for e in entries] == [
        ("4.50", "CRDT"),
        ("77.70", "DBIT"),
        ("1500.00", "CRDT"),
        ("1537.00", "CRDT"),
        ("1692.22", "CRDT"),
    ]
    assert all(e.booked and e.transactions == 1 for e in entries)
    assert len(txs) == 5 and all(not t.end_to_end_id for t in txs)


def test_finnish_camt054_batches_info_status_and_old_amounts():
    """camt.054.001.02 (Finnish banks' guide): batch bookings with NbOfTxs / TtlAmt, amounts in
    AmtDtls/TxAmt (the 02 layout), an INFO entry of two returned direct debits."""
    entries, txs = _read("moov_FI_camt_054_sample.xml")
    assert len(entries) == 6 and len(txs) == 13
    debit = entries[3]
    assert debit.credit_debit == "DBIT" and debit.amount == Decimal("4230.05")
    assert debit.batches == (CamtBatch("MSGSCT0100", "CustRefForPmtBatch9", 3, None, "", ""),)
    assert [t.amount for t in txs if t.entry == 4] == [
        Decimal("2000.02"),
        Decimal("1000.01"),
        Decimal("1230.02"),
    ]
    assert sum(t.amount or 0 for t in txs if t.entry == 4) == debit.amount
    first = entries[0]
    assert first.batches[0].count == 2 and first.batches[0].total == Decimal("2000.00")
    info = entries[5]
    assert (info.status, info.booked, info.reversal) == ("INFO", False, True)
    assert [(t.return_reason, t.status) for t in txs if t.entry == 6] == [
        ("AC01", "INFO"),
        ("CUST", "INFO"),
    ]


def test_finnish_camt053_statement():
    entries, txs = _read("moov_FI_camt_053_sample.xml")
    head = camt_header(SAMPLES / "moov_FI_camt_053_sample.xml")
    assert (head.version, head.currency, head.report_id) == ("001.02", "EUR", "BANKSTMTID0972009")
    assert len(entries) == 10 and len(txs) == 12
    assert entries[0].batches[0].message_id == "MSGSALA0001"
    assert [e.credit_debit for e in entries].count("DBIT") == 4


# ------------------------------------------------------------------ hostile and broken input


def _doc(body: str, ns: str = CAMT054_NS, root: str = "BkToCstmrDbtCdtNtfctn") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="{ns}"><{root}>'
        "<GrpHdr><MsgId>M</MsgId><CreDtTm>2026-12-06T08:00:00</CreDtTm></GrpHdr>"
        f"<Ntfctn><Id>N</Id><Acct><Id><Othr><Id>1</Id></Othr></Id></Acct>{body}</Ntfctn>"
        f"</{root}></Document>"
    ).encode()


ENTRY = (
    '<Ntry><Amt Ccy="VND">{amt}</Amt><CdtDbtInd>{cdi}</CdtDbtInd>{sts}'
    "<BookgDt><Dt>2026-12-05</Dt></BookgDt><NtryDtls><TxDtls><Refs>{refs}</Refs></TxDtls>"
    "</NtryDtls></Ntry>"
)


def _entry(amt="10", cdi="DBIT", sts="<Sts><Cd>BOOK</Cd></Sts>", refs="<EndToEndId>E</EndToEndId>"):
    return ENTRY.format(amt=amt, cdi=cdi, sts=sts, refs=refs)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (_entry(amt="-10"), r"Ntry #1: Amt '-10' is not an amount"),
        (_entry(amt="1e5"), r"Ntry #1: Amt '1e5' is not an amount"),
        (_entry(cdi="DEBIT"), r"Ntry #1: CdtDbtInd 'DEBIT', expected CRDT or DBIT"),
        (_entry(sts=""), r"Ntry #1: no Sts"),
        (
            _entry(refs="<UETR>ABC</UETR>"),
            r"Ntry #1 TxDtls #1: Refs/UETR 'ABC' is not a UUID version 4",
        ),
        (
            _entry(refs=f"<EndToEndId>{'9' * 36}</EndToEndId>"),
            r"Refs/EndToEndId '9{36}'... is longer than 35 characters",
        ),
    ],
)
def test_broken_entries_are_refused_with_their_place(body, message):
    with pytest.raises(CamtError, match=message):
        list(iter_camt(io.BytesIO(_doc(body))))


def test_other_documents_are_refused():
    pain002 = b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><X/></Document>'
    with pytest.raises(CamtError, match=r"not a camt\.053 or camt\.054 document"):
        list(iter_camt(io.BytesIO(pain002)))
    with pytest.raises(CamtError, match=r"not a camt\.053 or camt\.054 document"):
        camt_header(io.BytesIO(pain002))
    with pytest.raises(CamtError, match=r"root element is <html>"):
        list(iter_camt(io.BytesIO(b"<html><body/></html>")))
    with pytest.raises(CamtError, match="not well-formed XML"):
        list(iter_camt(io.BytesIO(_doc(_entry())[:-30])))
    # a camt.053 namespace with the camt.054 message element is refused, not misread
    mixed = _doc(_entry(), ns=CAMT053_NS)
    with pytest.raises(CamtError, match=r"<Ntfctn> under <BkToCstmrDbtCdtNtfctn>"):
        list(iter_camt(io.BytesIO(mixed)))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_dtd_is_refused_before_parsing(encoding, tmp_path):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        f'<Document xmlns="{CAMT054_NS}"><BkToCstmrDbtCdtNtfctn>&lol2;</BkToCstmrDbtCdtNtfctn>'
        "</Document>"
    )
    path = tmp_path / "bomb.xml"
    path.write_bytes(bomb.encode(encoding))
    with pytest.raises(CamtError, match="DTD"):
        list(iter_camt(path))
    with pytest.raises(CamtError, match="DTD"):
        camt_header(path)


def test_reading_streams_a_large_batch_booking(tmp_path):
    """100,000 transactions in one batch-booked debit: the reader's memory does not grow with
    them (each TxDtls is cleared once yielded)."""
    n = 100_000
    path = tmp_path / "big.xml"
    with path.open("wb") as fh:
        write_camt(
            fh,
            message="camt.054",
            message_id="BIG",
            created_at=CREATED,
            report_id="N",
            account="1",
            entries=[
                EntryDraft(
                    amount=n * 1000,
                    credit_debit="DBIT",
                    booking_date=date(2026, 12, 5),
                    batch=("B", "B", n, n * 1000),
                    transactions=(TransactionDraft(f"{i:022d}", 1000) for i in range(n)),
                )
            ],
        )
    tracemalloc.start()
    count = total = 0
    for item in iter_camt(path):
        if isinstance(item, CamtTransaction):
            count += 1
            total += int(item.amount or 0)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert (count, total) == (n, n * 1000)
    assert peak < 20 * 1024 * 1024, peak
