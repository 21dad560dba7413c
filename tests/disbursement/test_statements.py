"""Bank statements of the paying account (camt.054 notifications, camt.053 statements)
reconciled against batches and lines: credits confirmed, returns after credit, batch debits
against control totals; whole or nothing, once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xmlschema
from django.conf import settings
from django.utils import timezone

from chitra.core.errors import ImportFileError
from chitra.core.models import AuditEvent
from chitra.disbursement.ledger import line_events
from chitra.disbursement.models import (
    BankStatement,
    Batch,
    CycleStatus,
    LineStatus,
    PayrollLine,
    ResultImport,
    StatementBatch,
)
from chitra.disbursement.results import ResultsRejected, results_import
from chitra.disbursement.selectors import cycle_statements
from chitra.disbursement.services import cycle_close, cycle_reconcile
from chitra.disbursement.statements import statement_import
from chitra.engine.iso20022 import write_pain002
from chitra.engine.iso20022.camt import EntryDraft, TransactionDraft, write_camt
from chitra.payment_methods.models import Account
from tests.disbursement.conftest import sent_block_id, sent_message_id
from tests.disbursement.test_release_results import line_of, released, results_csv

XSD = Path(__file__).resolve().parents[1] / "data" / "iso20022"
BOOKED = dt.date(2026, 12, 5)


@pytest.fixture(scope="module")
def schemas() -> dict[str, xmlschema.XMLSchema]:
    return {m: xmlschema.XMLSchema(str(XSD / f"{m}.001.08.xsd")) for m in ("camt.053", "camt.054")}


def statement(
    path: Path,
    entries: list[EntryDraft],
    *,
    message: str = "camt.054",
    message_id: str = "NTF-1",
    account: str | None = None,
    schemas: dict[str, xmlschema.XMLSchema] | None = None,
) -> Path:
    with path.open("wb") as fh:
        write_camt(
            fh,
            message=message,
            message_id=message_id,
            created_at=timezone.now(),
            report_id=f"{message_id}-1",
            account=settings.CHITRA_DEBTOR_ACCOUNT if account is None else account,
            entries=entries,
        )
    if schemas is not None:
        schemas[message].validate(str(path))
    return path


def batch_debit(batch: Batch, *, amount: int | None = None, status: str = "BOOK") -> EntryDraft:
    """One debit for the batch, listing its lines still sent (NbOfTxs and TtlAmt as booked)."""
    lines = list(
        PayrollLine.objects.filter(batch=batch, status=LineStatus.SENT).order_by("reference")
    )
    amount = batch.declared_amount if amount is None else amount
    return EntryDraft(
        amount=amount,
        credit_debit="DBIT",
        booking_date=BOOKED,
        status=status,
        batch=(batch.reference, batch.reference, len(lines), amount),
        transactions=[TransactionDraft(ln.reference, ln.amount) for ln in lines],
    )


def a_return(line: PayrollLine, reason: str = "AC04", on: dt.date = BOOKED) -> EntryDraft:
    return EntryDraft(
        amount=line.amount,
        credit_debit="CRDT",
        booking_date=on,
        bank_code=("PMNT", "ICDT", "RRTN"),
        transactions=[
            TransactionDraft(line.reference, line.amount, credit_debit="CRDT", return_reason=reason)
        ],
    )


def bank_batch(world, key: str = "bank") -> Batch:
    return Batch.objects.get(pk=line_of(world, key).batch_id)


def test_batch_debit_confirms_the_credits_and_matches_the_control_totals(
    world, runner, approver, tmp_path, schemas
):
    cycle = released(runner, approver)
    batch = bank_batch(world)
    sent = list(PayrollLine.objects.filter(batch=batch, status=LineStatus.SENT))
    assert sent
    fee = EntryDraft(
        amount=22_000, credit_debit="DBIT", booking_date=BOOKED, bank_code=("ACMT", "MDOP", "CHRG")
    )
    stranger = EntryDraft(
        amount=5_000,
        credit_debit="CRDT",
        booking_date=BOOKED,
        transactions=[TransactionDraft("NOT-OURS-1", 5_000, credit_debit="CRDT")],
    )
    path = statement(tmp_path / "n.xml", [batch_debit(batch), fee, stranger], schemas=schemas)
    out = statement_import(actor=runner, cycle=cycle, path=path)
    assert (out.confirmed, out.returned, out.unmatched, out.discrepancies) == (len(sent), 0, 1, 0)
    assert not PayrollLine.objects.filter(batch=batch, status=LineStatus.SENT).exists()
    stmt = out.statement
    assert (stmt.kind, stmt.version, stmt.entries, stmt.transactions) == (
        "camt054",
        "001.08",
        3,
        len(sent) + 1,
    )
    assert stmt.unmatched_sample == ["NOT-OURS-1"]
    check = StatementBatch.objects.get(statement=stmt)
    assert (check.batch, check.state, check.debited, check.reported_count) == (
        batch,
        "matches",
        batch.declared_amount,
        batch.declared_count,
    )
    imp = stmt.result_imports.get()
    assert (imp.source, imp.paid, imp.cycle) == ("camt054", len(sent), cycle)
    ev = AuditEvent.objects.filter(action="cycle.statement").get()
    assert ev.after["confirmed"] == len(sent) and ev.after["statement"] == stmt.pk
    shown = cycle_statements(runner, cycle)
    assert shown["statements"] == [stmt] and shown["checks"] == [check]
    # the same file again: nothing changes
    again = statement_import(actor=runner, cycle=cycle, path=path)
    assert again.already_applied and again.confirmed == len(sent)
    assert BankStatement.objects.count() == 1 and ResultImport.objects.count() == 1


def test_a_return_after_credit_returns_the_line_and_follows_its_reason(
    world, runner, approver, tmp_path, schemas
):
    cycle = released(runner, approver)
    batch = bank_batch(world)
    statement_import(
        actor=runner, cycle=cycle, path=statement(tmp_path / "1.xml", [batch_debit(batch)])
    )
    line = line_of(world, "bank")
    assert PayrollLine.objects.get(pk=line.pk).status == "paid"
    path = statement(
        tmp_path / "2.xml",
        [a_return(PayrollLine.objects.get(pk=line.pk))],
        message_id="NTF-2",
        schemas=schemas,
    )
    out = statement_import(actor=runner, cycle=cycle, path=path)
    assert (out.returned, out.accounts_closed, out.reissued_cash) == (1, 1, 1)
    line.refresh_from_db()
    assert (line.status, line.reason_code, line.live) == ("returned", "AC04", False)
    assert Account.objects.get(pk=world.accounts["bank"].pk).status == "closed"
    cash = PayrollLine.objects.get(reissue_of=line)
    assert cash.channel == "CASH_PAY_POINT" and cash.status == "issued"
    assert [e.kind for e in line_events(line)] == [
        "issued",
        "sent",
        "paid",
        "returned",
        "reissued",
    ]


def test_a_return_of_a_line_still_sent_is_paid_then_returned(world, runner, approver, tmp_path):
    cycle = released(runner, approver)
    line = line_of(world, "bank2")
    path = statement(tmp_path / "r.xml", [a_return(line, "AC01")])
    out = statement_import(actor=runner, cycle=cycle, path=path)
    assert (out.confirmed, out.returned) == (1, 1)
    line.refresh_from_db()
    assert line.status == "returned" and line.reason_code == "AC01"
    assert [e.kind for e in line_events(line)][:4] == ["issued", "sent", "paid", "returned"]


def test_a_statement_with_the_debit_and_its_return(world, runner, approver, tmp_path, schemas):
    """camt.053 of the month: the batch debit and, days later, one credit coming back."""
    cycle = released(runner, approver)
    batch = bank_batch(world)
    line = line_of(world, "bank")
    path = statement(
        tmp_path / "s.xml",
        [batch_debit(batch), a_return(line, "MD07", on=dt.date(2026, 12, 9))],
        message="camt.053",
        message_id="STMT-12",
        schemas=schemas,
    )
    out = statement_import(actor=runner, cycle=cycle, path=path)
    assert out.statement.kind == "camt053"
    line.refresh_from_db()
    assert line.status == "returned" and line.reason_code == "MD07"
    assert out.suspended == 1  # holder deceased
    assert out.confirmed == batch.declared_count and out.returned == 1


def test_a_late_return_on_a_closed_cycle(world, runner, approver, tmp_path):
    cycle = released(runner, approver)
    cash = PayrollLine.objects.filter(cycle=cycle, status="sent").exclude(channel="BANK_ACCOUNT")
    results_import(
        actor=runner,
        cycle=cycle,
        path=results_csv(tmp_path / "c.csv", [(ln.reference, "succ", "") for ln in cash]),
    )
    for batch in Batch.objects.filter(cycle=cycle, channel="BANK_ACCOUNT"):
        statement_import(
            actor=runner,
            cycle=cycle,
            path=statement(
                tmp_path / f"{batch.pk}.xml", [batch_debit(batch)], message_id=f"N{batch.pk}"
            ),
        )
    cycle = cycle_close(actor=approver, cycle=cycle_reconcile(actor=runner, cycle=cycle))
    assert cycle.status == CycleStatus.CLOSED
    line = line_of(world, "bank")
    out = statement_import(
        actor=runner,
        cycle=cycle,
        path=statement(tmp_path / "late.xml", [a_return(line, "AC04")], message_id="LATE"),
    )
    assert (out.returned, out.owed_next, out.reissued_cash) == (1, 1, 0)
    line.refresh_from_db()
    assert (line.status, line.action) == ("returned", "retry")


def test_batch_debits_against_control_totals(world, runner, approver, tmp_path):
    cycle = released(runner, approver)
    batch = bank_batch(world)
    line = line_of(world, "bank")
    # the bank rejected one transaction (pain.002): it debits the rest, an explained difference
    rjct = tmp_path / "p.xml"
    with rjct.open("wb") as fh:
        write_pain002(
            fh,
            message_id="R1",
            created_at=timezone.now(),
            original_message_id=sent_message_id(batch),
            original_payment_info_id=sent_block_id(batch),
            lines=[(line.reference, "RJCT", "AC01")],
        )
    results_import(actor=runner, cycle=cycle, path=rjct)
    short = batch.declared_amount - line.amount
    out = statement_import(
        actor=runner,
        cycle=cycle,
        path=statement(tmp_path / "a.xml", [batch_debit(batch, amount=short)]),
    )
    check = StatementBatch.objects.get(statement=out.statement)
    assert (check.state, check.failed_count, check.failed_amount) == ("explained", 1, line.amount)
    assert out.discrepancies == 0
    # any other difference is a discrepancy, recorded and shown; the statement still applies
    out = statement_import(
        actor=runner,
        cycle=cycle,
        path=statement(
            tmp_path / "b.xml",
            [
                EntryDraft(
                    amount=batch.declared_amount + 1000,
                    credit_debit="DBIT",
                    booking_date=BOOKED,
                    batch=(batch.reference, batch.reference, batch.declared_count + 1, 5),
                )
            ],
            message_id="NTF-B",
        ),
    )
    check = StatementBatch.objects.get(statement=out.statement)
    assert check.state == "discrepancy" and out.discrepancies == 1
    assert "+1,000" in check.note and "NbOfTxs" in check.note and "TtlAmt" in check.note
    assert out.statement.discrepancies == 1
    assert cycle_statements(runner, cycle)["discrepancies"] == 1


def test_entries_not_booked_change_nothing(world, runner, approver, tmp_path):
    cycle = released(runner, approver)
    batch = bank_batch(world)
    out = statement_import(
        actor=runner,
        cycle=cycle,
        path=statement(tmp_path / "p.xml", [batch_debit(batch, status="PDNG")]),
    )
    assert out.confirmed == 0 and out.pending == batch.declared_count
    assert out.statement.pending == 1
    assert StatementBatch.objects.get(statement=out.statement).state == "pending"
    assert PayrollLine.objects.filter(batch=batch, status=LineStatus.SENT).count() == (
        batch.declared_count
    )


def test_refused_statements_change_nothing(world, runner, approver, tmp_path):
    cycle = released(runner, approver)
    batch = bank_batch(world)
    line = line_of(world, "bank")
    # another account's statement
    with pytest.raises(ImportFileError, match="not of the paying account"):
        statement_import(
            actor=runner,
            cycle=cycle,
            path=statement(tmp_path / "o.xml", [batch_debit(batch)], account="999999"),
        )
    # a return whose reason is not in the catalogue: refused whole, the debit too
    bad = statement(tmp_path / "bad.xml", [batch_debit(batch), a_return(line, "ZZ99")])
    with pytest.raises(ResultsRejected) as e:
        statement_import(actor=runner, cycle=cycle, path=bad)
    assert [i.code for i in e.value.issues] == ["reason_unknown"]
    # an amount that is not the line's
    wrong = EntryDraft(
        amount=1,
        credit_debit="DBIT",
        booking_date=BOOKED,
        transactions=[TransactionDraft(line.reference, 1)],
    )
    with pytest.raises(ResultsRejected) as e:
        statement_import(actor=runner, cycle=cycle, path=statement(tmp_path / "w.xml", [wrong]))
    assert [i.code for i in e.value.issues] == ["amount_differs"]
    # not a statement
    with pytest.raises(ImportFileError, match=r"not a readable camt\.053 or camt\.054"):
        p = tmp_path / "x.xml"
        with p.open("wb") as fh:
            write_pain002(
                fh,
                message_id="R",
                created_at=timezone.now(),
                original_message_id="X",
                lines=[(line.reference, "ACSC", "")],
            )
        statement_import(actor=runner, cycle=cycle, path=p)
    assert not BankStatement.objects.exists() and not ResultImport.objects.exists()
    assert PayrollLine.objects.get(pk=line.pk).status == "sent"
    assert not AuditEvent.objects.filter(action="cycle.statement").exists()


def test_the_same_message_id_with_other_content_is_refused(world, runner, approver, tmp_path):
    cycle = released(runner, approver)
    batch = bank_batch(world)
    statement_import(
        actor=runner, cycle=cycle, path=statement(tmp_path / "1.xml", [batch_debit(batch)])
    )
    other = statement(tmp_path / "2.xml", [a_return(line_of(world, "bank"))])
    with pytest.raises(ImportFileError, match="same message id NTF-1"):
        statement_import(actor=runner, cycle=cycle, path=other)
    assert BankStatement.objects.count() == 1


def test_a_foreign_currency_amount_on_a_line_is_refused(world, runner, approver, tmp_path):
    cycle = released(runner, approver)
    line = line_of(world, "bank")
    data = statement(
        tmp_path / "v.xml",
        [
            EntryDraft(
                amount=line.amount,
                credit_debit="DBIT",
                booking_date=BOOKED,
                transactions=[TransactionDraft(line.reference, line.amount)],
            )
        ],
    ).read_bytes()
    eur = tmp_path / "eur.xml"
    tx_amount = f'<Amt Ccy="VND">{line.amount}</Amt><CdtDbtInd>DBIT</CdtDbtInd></TxDtls>'
    eur.write_bytes(data.replace(tx_amount.encode(), tx_amount.replace("VND", "EUR").encode()))
    assert b'Ccy="EUR"' in eur.read_bytes()
    with pytest.raises(ImportFileError, match="in EUR"):
        statement_import(actor=runner, cycle=cycle, path=eur)
    assert not BankStatement.objects.exists()


def test_a_real_foreign_statement_is_refused_as_another_account(world, runner, approver):
    cycle = released(runner, approver)
    sample = (
        XSD
        / "samples"
        / "moov_camt054-returns_p_ch5109000000250092291_1110097606_0_2020112500512470.xml"
    )
    with pytest.raises(ImportFileError, match="CH5109000000250092291"):
        statement_import(actor=runner, cycle=cycle, path=sample)


def test_the_cycle_page_loads_and_shows_statements(world, runner, approver, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from chitra.core.models import Job
    from chitra.disbursement.tasks import cycle_statement_task
    from tests.auth import VerifiedClient

    settings.CHITRA_UPLOAD_DIR = tmp_path / "uploads"
    cycle = released(runner, approver)
    batch = bank_batch(world)
    c = VerifiedClient()
    c.force_login(runner)
    page = reverse("cycle_detail", args=[cycle.pk])
    html = c.get(page).content.decode()
    assert "Sao kê ngân hàng" in html and 'data-testid="statement-form"' in html
    assert 'data-testid="no-statements"' in html
    wrong = statement(
        tmp_path / "w.xml",
        [batch_debit(batch, amount=batch.declared_amount - 7)],
        message_id="NTF-PAGE",
    )
    r = c.post(
        reverse("cycle_statement", args=[cycle.pk]),
        {"file": SimpleUploadedFile("sao-ke.xml", wrong.read_bytes())},
    )
    job = Job.objects.get(kind="cycle_statement")
    assert r.status_code == 302 and r["Location"] == reverse("job_detail", args=[job.pk])
    cycle_statement_task.call(job.pk)  # what the worker runs
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["discrepancies"] == 1, job.result
    assert job.result["confirmed"] == batch.declared_count
    summary = c.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Ghi có đã xác nhận" in summary
    html = c.get(page).content.decode()
    assert 'data-testid="statement-list"' in html and "NTF-PAGE" in html
    assert 'data-testid="statement-checks"' in html and "chênh lệch" in html


@pytest.mark.parametrize("pain002_version", ["10", "03"])
def test_file_exchange_end_to_end_with_the_simulated_bank(
    world, runner, approver, tmp_path, capsys, pain002_version
):
    """Release, the simulated bank answers with pain.002 (.001.10, or .001.03 as many banks
    still send it) and camt.054 (batch debits per block, returns after credit), both are loaded
    from the command line, the cycle reconciles."""
    from django.core.management import call_command

    from chitra.disbursement.services import reconciliation

    call_command("cycle_create", "2026-12", "--user", runner.username)
    call_command("cycle_compute", "--user", runner.username, verbosity=0)
    call_command("cycle_approve", "--user", approver.username)
    out = str(tmp_path / "out")
    call_command("cycle_release", "--out", out, "--user", runner.username, verbosity=0)
    sim = tmp_path / "sim"
    call_command(
        "cycle_simulate_results",
        "--out",
        str(sim),
        "--reject-rate",
        "0",
        "--camt054",
        "--return-rate",
        "0.5",
        "--salt",
        "e2e",
        "--pain002-version",
        pain002_version,
    )
    files = sorted(sim.iterdir())
    reports = [f for f in files if f.name.endswith("-pain002.xml")]
    assert reports and all(
        f"pain.002.001.{pain002_version}" in f.read_text("utf-8")[:300] for f in reports
    )
    camt = [f for f in files if "camt054" in f.name]
    assert any(f.name.endswith("-camt054-returns.xml") for f in camt), files
    for f in files:
        if f not in camt:
            call_command("cycle_import_results", str(f), "--user", runner.username)
    capsys.readouterr()
    for f in camt:
        call_command("cycle_import_statement", str(f), "--user", runner.username)
    text = capsys.readouterr().out
    assert "Reconciled:" in text and "Matches the control totals" in text
    stmts = BankStatement.objects.all()
    assert stmts.count() == len(camt) and sum(s.discrepancies for s in stmts) == 0
    returned = PayrollLine.objects.filter(status=LineStatus.RETURNED).count()
    assert returned == sum(s.returned for s in stmts) > 0
    rec = reconciliation(stmts.first().cycle)
    t = rec["total"]
    assert rec["holds"] and t["returned"][0] == returned
    for i in (0, 1):
        assert t["declared"][i] == sum(
            t[k][i] for k in ("paid", "failed", "returned", "outstanding", "cancelled")
        )
    # loading them again changes nothing
    for f in camt:
        call_command("cycle_import_statement", str(f), "--user", runner.username)
    assert "loaded already" in capsys.readouterr().out
    assert PayrollLine.objects.filter(status=LineStatus.RETURNED).count() == returned
