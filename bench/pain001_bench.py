"""Benchmark the pain.001 writer: time per transfer of a file as bank guides ask (issue #14
item 3) against a minimal baseline writer, in the same process, on the same transfers.

Usage:
    .venv/bin/python bench/pain001_bench.py [--transfers 300000] [--repeat 3]
        [--style unicode|latin|latin_upper]

The file written by chitra (`chitra.engine.iso20022.write_pain001`): two PmtInf blocks (PENS,
SSBE), InitgPty with its tax code, SvcLvl and LclInstrm, per transfer InstrId, EndToEndId,
UETR, amount, creditor agent, creditor name with its national ID, account, Purp, remittance
text, and for one transfer in twenty an ultimate creditor (a representative paid); each
field checked, names cleaned and written in the given style, streamed in chunks through the
SHA-256 sink, into /dev/null-like memory.

The baseline: the least a pain.001 writer does for the same transfers: one f-string per
transfer with the same elements and values, XML-escaped names, no checks, no name styling, one
block (the same two-block header text), written through the same hashing sink in the same
chunks. The ratio says what the checks, the cleaning and the blocks cost.

Prints, for each: best seconds over --repeat runs (alternating new and baseline),
microseconds per transfer, MB written, and the ratio new / baseline. The transfers are
generated before the timing (not timed).
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from chitra.engine.iso20022 import CreditTransfer, Pain001Header, PaymentBlock, write_pain001
from chitra.engine.iso20022.common import CHUNK_LINES, HashingSink

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
MIDDLES = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thu", "Ngọc", "Quang"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Đức", "Hà", "Hải", "Hạnh", "Lan", "Thủy", "Tuấn"]
BANKS = ["970405", "970415", "970418", "970436", "970449"]


def transfers(n: int, seed: int = 14) -> tuple[list[CreditTransfer], list[CreditTransfer]]:
    """(pension transfers, other-benefit transfers): the two blocks."""
    rnd = random.Random(seed)
    blocks: tuple[list[CreditTransfer], list[CreditTransfer]] = ([], [])
    for i in range(n):
        block = 0 if rnd.random() < 0.8 else 1
        name = f"{rnd.choice(SURNAMES)} {rnd.choice(MIDDLES)} {rnd.choice(GIVEN)}"
        rep = i % 20 == 0
        blocks[block].append(
            CreditTransfer(
                end_to_end_id=f"082026120{i:013d}",
                amount=rnd.randrange(2_000_000, 10_000_000),
                creditor_name=f"{rnd.choice(SURNAMES)} Văn Đại Diện" if rep else name,
                creditor_account=f"{rnd.randrange(10**12, 10**13)}",
                creditor_agent_bin=rnd.choice(BANKS),
                remittance_info=(
                    "BHXH chi Lương hưu thang 12/2026",
                    "BHXH chi Trợ cấp thang 12/2026",
                )[block],
                instruction_id=str(1_000_000 + i),
                uetr=str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
                purpose=("PENS", "SSBE")[block],
                creditor_id=f"{rnd.randrange(10**11, 10**12):012d}",
                ultimate_creditor_name=name if rep else "",
                ultimate_creditor_id=f"{rnd.randrange(10**11, 10**12):012d}" if rep else "",
                block=block,
            )
        )
    return blocks


def header(blocks: tuple[list[CreditTransfer], list[CreditTransfer]], style: str) -> Pain001Header:
    parts = tuple(
        PaymentBlock(f"08202612-970405-CK-0-{c}", len(b), sum(t.amount for t in b), c)
        for c, b in zip(("PENS", "SSBE"), blocks, strict=True)
    )
    return Pain001Header(
        message_id="08202612-970405-CK-0-A1B2C3D4E5F6",
        created_at=datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
        initiating_party="Bảo hiểm xã hội tỉnh Tuyên Quang",
        initiating_party_id="9008000001",
        execution_date=date(2026, 12, 5),
        debtor_name="Bảo hiểm xã hội tỉnh Tuyên Quang",
        debtor_account="1130000000001",
        debtor_agent_bin="970405",
        control_count=sum(b.control_count for b in parts),
        control_sum=sum(b.control_sum for b in parts),
        service_level="NURG",
        local_instrument="prtry:CITAD",
        name_style=style,
        blocks=parts,
    )


def baseline(out: io.BytesIO, items: Iterable[CreditTransfer]) -> str:
    """The minimal writer: the same elements, one f-string each, no checks."""
    sink = HashingSink(out)
    sink.write('<?xml version="1.0" encoding="UTF-8"?>\n<Document><CstmrCdtTrfInitn><PmtInf>\n')
    parts: list[str] = []
    for t in items:
        ultimate = (
            f"<UltmtCdtr><Nm>{escape(t.ultimate_creditor_name)}</Nm><Id><PrvtId><Othr>"
            f"<Id>{t.ultimate_creditor_id}</Id><SchmeNm><Cd>NIDN</Cd></SchmeNm></Othr></PrvtId>"
            "</Id></UltmtCdtr>"
            if t.ultimate_creditor_name
            else ""
        )
        parts.append(
            f"<CdtTrfTxInf><PmtId><InstrId>{t.instruction_id}</InstrId>"
            f"<EndToEndId>{t.end_to_end_id}</EndToEndId><UETR>{t.uetr}</UETR></PmtId>"
            f'<Amt><InstdAmt Ccy="VND">{t.amount}</InstdAmt></Amt><CdtrAgt><FinInstnId>'
            f"<ClrSysMmbId><MmbId>{t.creditor_agent_bin}</MmbId></ClrSysMmbId></FinInstnId>"
            f"</CdtrAgt><Cdtr><Nm>{escape(t.creditor_name)}</Nm><Id><PrvtId><Othr>"
            f"<Id>{t.creditor_id}</Id><SchmeNm><Cd>NIDN</Cd></SchmeNm></Othr></PrvtId></Id>"
            f"</Cdtr><CdtrAcct><Id><Othr><Id>{t.creditor_account}</Id></Othr></Id></CdtrAcct>"
            f"{ultimate}<Purp><Cd>{t.purpose}</Cd></Purp><RmtInf><Ustrd>"
            f"{escape(t.remittance_info)}</Ustrd></RmtInf></CdtTrfTxInf>\n"
        )
        if len(parts) >= CHUNK_LINES:
            sink.write("".join(parts))
            parts.clear()
    sink.write("".join(parts))
    sink.write("</PmtInf></CstmrCdtTrfInitn></Document>\n")
    return sink.hexdigest()


def alternate(runs: dict[str, object], repeat: int) -> dict[str, tuple[float, int]]:
    """Each run `repeat` times, alternating (the machine's noise falls on both alike): the
    best seconds and the bytes written of each."""
    times: dict[str, list[float]] = {k: [] for k in runs}
    sizes: dict[str, int] = {}
    for _ in range(repeat):
        for key, run in runs.items():
            out = io.BytesIO()
            t0 = time.perf_counter()
            run(out)  # type: ignore[operator]
            times[key].append(time.perf_counter() - t0)
            sizes[key] = out.tell()
    return {k: (min(v), sizes[k]) for k, v in times.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--transfers", type=int, default=300_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--style", default="unicode", choices=["unicode", "latin", "latin_upper"])
    args = ap.parse_args()
    blocks = transfers(args.transfers)
    h = header(blocks, args.style)
    everything = blocks[0] + blocks[1]
    got = alternate(
        {
            "new": lambda out: write_pain001(out, h, iter(everything)),
            "baseline": lambda out: baseline(out, iter(everything)),
        },
        args.repeat,
    )
    (new_s, new_size), (base_s, base_size) = got["new"], got["baseline"]
    n = len(everything)
    print(
        f"transfers: {n:,} (PENS {len(blocks[0]):,}, SSBE {len(blocks[1]):,}), style {args.style}"
    )
    print(
        f"chitra write_pain001: {new_s:.3f} s, {new_s / n * 1e6:.2f} us/transfer, "
        f"{new_size / 1e6:.1f} MB"
    )
    print(
        f"minimal baseline:     {base_s:.3f} s, {base_s / n * 1e6:.2f} us/transfer, "
        f"{base_size / 1e6:.1f} MB"
    )
    print(f"ratio new / baseline: {new_s / base_s:.2f}x")


if __name__ == "__main__":
    main()
