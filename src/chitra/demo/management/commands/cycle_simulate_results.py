from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from chitra.disbursement.management.commands._base import CycleCommand
from chitra.engine.sheets.cells import csv_text


class Command(CycleCommand):
    help = (
        "DEMO ONLY: play the providers of a released cycle and write the results files they "
        "would send back (pain.002 XML for banks, CSV for the others), about --reject-rate "
        "of the lines failing with realistic reason codes. With --camt054 a bank also "
        "notifies the debit of the paying account (camt.054.001.08: a debit of the credited "
        "lines per payment block of the pain.001, quoting its MsgId and PmtInfId) and, for "
        "about --return-rate of them, a return after credit. "
        "Nothing is applied: import the files with cycle_import_results and "
        "cycle_import_statement."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--reject-rate", type=float, default=0.03)
        parser.add_argument(
            "--camt054",
            action="store_true",
            help="Banks also write a camt.054 notification of the paying account.",
        )
        parser.add_argument("--return-rate", type=float, default=0.01)
        parser.add_argument(
            "--pain002-version",
            choices=("10", "03"),
            default="10",
            help="The pain.002 version the banks answer in (001.10, or 001.03 as many still do).",
        )
        parser.add_argument(
            "--salt",
            default="chitra",
            help="Change it to get other outcomes for the same references.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.demo.provider_sim import simulated_outcome
        from chitra.disbursement.models import Batch, LineStatus

        cycle = self.cycle(options)
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        rate, salt = options["reject_rate"], options["salt"]
        batches = cycle.batches.filter(status=Batch.Status.RELEASED).select_related("provider")
        if not batches:
            raise CommandError("The cycle has no released batch.")
        for b in batches:
            refs = list(
                b.lines.filter(status=LineStatus.SENT)
                .order_by("reference")
                .values_list("reference", flat=True)
            )
            if not refs:
                continue
            results = [(r, *simulated_outcome(r, b.channel, rate, salt)) for r in refs]
            path = self._write_results(b, out, results, options["pain002_version"])
            failed = sum(1 for _r, s, _c in results if s == "rjct")
            self.stdout.write(f"{path}\t{len(results)} lines, {failed} failed")
            if options["camt054"] and b.provider and b.provider.kind == "bank":
                self._camt054(b, out, results, options["return_rate"], salt)

    def _write_results(
        self, b: Any, out: Path, results: list[tuple[str, str, str]], version: str = "10"
    ) -> Path:
        """A bank answers with a pain.002 status report, other providers with a CSV."""
        from chitra.engine.iso20022 import write_pain002

        if b.provider and b.provider.kind == "bank":
            path = out / f"{b.reference}-pain002.xml"
            with path.open("wb") as fh:
                write_pain002(
                    fh,
                    message_id=f"R{b.reference}"[:35],
                    created_at=timezone.now(),
                    original_message_id=_message_id(b),
                    blocks=_blocks(b, results),
                    version=version,
                )
            return path
        path = out / f"{b.reference}-results.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["reference", "status", "reason_code"])
            w.writerows([csv_text(str(c)) for c in row] for row in results)
        return path

    def _camt054(
        self, batch: Any, out: Path, results: list[tuple[str, str, str]], rate: float, salt: str
    ) -> None:
        """The bank's notifications of the paying account: the batch debit of the lines it
        credited, then the credits that came back (a return after credit, with its reason)."""
        from django.conf import settings

        from chitra.demo.provider_sim import simulated_outcome
        from chitra.engine.iso20022.camt import EntryDraft, TransactionDraft, write_camt

        amounts = dict(batch.lines.values_list("reference", "amount"))
        credited = [r for r, s, _c in results if s == "succ"]
        if not credited:
            return
        booked = batch.cycle.account_credit_date
        debits = [
            EntryDraft(
                amount=sum(amounts[r] for r in refs),
                credit_debit="DBIT",
                booking_date=booked,
                reference=f"D{pmt_inf_id}"[:35],
                batch=(msg_id, pmt_inf_id, len(refs), sum(amounts[r] for r in refs)),
                transactions=[TransactionDraft(r, amounts[r]) for r in refs],
            )
            for msg_id, pmt_inf_id, refs in _booked_blocks(batch, set(credited))
        ]
        returns = []
        for r in credited:
            outcome, code = simulated_outcome(r, batch.channel, rate, salt + ":return")
            if outcome == "rjct":
                returns.append(
                    EntryDraft(
                        amount=amounts[r],
                        credit_debit="CRDT",
                        booking_date=booked,
                        bank_code=("PMNT", "ICDT", "RRTN"),
                        transactions=[
                            TransactionDraft(r, amounts[r], credit_debit="CRDT", return_reason=code)
                        ],
                    )
                )
        for name, entries in (("camt054", debits), ("camt054-returns", returns)):
            if not entries:
                continue
            path = out / f"{batch.reference}-{name}.xml"
            with path.open("wb") as fh:
                write_camt(
                    fh,
                    message="camt.054",
                    message_id=f"N{batch.reference}-{len(name)}"[:35],
                    created_at=timezone.now(),
                    report_id=f"N{batch.reference}"[:35],
                    account=settings.CHITRA_DEBTOR_ACCOUNT,
                    entries=entries,
                )
            self.stdout.write(f"{path}\t{len(entries)} entries")


def _booked_blocks(batch: Any, credited: set[str]) -> list[tuple[str, str, list[str]]]:
    """(MsgId, PmtInfId, the credited references) per PmtInf block of the batch's pain.001,
    as a bank booking each block at once reports it; the batch reference for both when the
    file kept no blocks."""
    from chitra.disbursement.models import PaymentFile
    from chitra.disbursement.sent import sent_block_lines

    pf = PaymentFile.objects.filter(batch=batch, kind=PaymentFile.Kind.PAIN001).first()
    if pf is None or not pf.message_id or not pf.payment_blocks:
        return [(batch.reference, batch.reference, sorted(credited))]
    out = []
    for block in pf.payment_blocks:
        refs = sorted(set(sent_block_lines(block).values_list("reference", flat=True)) & credited)
        if refs:
            out.append((pf.message_id, block["pmt_inf_id"], refs))
    return out


def _blocks(
    batch: Any, results: list[tuple[str, str, str]]
) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The answers per PmtInf block of the batch's pain.001 (one per category purpose), as a
    bank answers them; one block named by the batch reference for a file that kept none."""
    from chitra.disbursement.files import category_of
    from chitra.disbursement.models import PaymentFile

    lines = [(r, "ACSC" if s == "succ" else "RJCT", code) for r, s, code in results]
    pf = PaymentFile.objects.filter(batch=batch, kind=PaymentFile.Kind.PAIN001).first()
    if pf is None or not pf.payment_blocks:
        return [(batch.reference, lines)]
    block_of = {b.get("category_purpose", ""): b["pmt_inf_id"] for b in pf.payment_blocks}
    benefit = dict(batch.lines.values_list("reference", "benefit_type"))
    per_block: dict[str, list[tuple[str, str, str]]] = {b: [] for b in block_of.values()}
    for line in lines:
        block = block_of.get(category_of(benefit.get(line[0], "")), next(iter(block_of.values())))
        per_block[block].append(line)
    return [(block, rows) for block, rows in per_block.items() if rows]


def _message_id(batch: Any) -> str:
    """The MsgId of the batch's pain.001 (the batch reference for a file that kept none)."""
    from chitra.disbursement.models import PaymentFile

    pf = PaymentFile.objects.filter(batch=batch, kind=PaymentFile.Kind.PAIN001).first()
    return pf.message_id if pf is not None and pf.message_id else batch.reference
