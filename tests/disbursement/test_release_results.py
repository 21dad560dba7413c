"""Release (files written once, hashed, valid), results applied whole or not at all, the
actions of the return reasons, reconciliation, and the next cycle's re-issues."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from chitra.core.errors import ChitraError
from chitra.disbursement.files import checked_path, files_root
from chitra.disbursement.ledger import line_events
from chitra.disbursement.models import (
    Batch,
    CycleStatus,
    LineEvent,
    LineStatus,
    PaymentFile,
    PayrollLine,
    ResultImport,
)
from chitra.disbursement.results import ResultsRejected, results_import
from chitra.disbursement.services import (
    cycle_approve,
    cycle_close,
    cycle_compute,
    cycle_create,
    cycle_reconcile,
    cycle_release,
    reconciliation,
)
from chitra.engine.iso20022 import write_pain002
from chitra.payment_methods.models import Account
from chitra.registry.models import Entitlement
from tests.disbursement.conftest import MONTH, NOV, SEP, sent_block_id, sent_message_id

XSD = Path(__file__).resolve().parents[2] / "tests" / "data" / "iso20022"


def released(runner, approver):
    cycle = cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    cycle = cycle_approve(actor=approver, cycle=cycle)
    return cycle_release(actor=runner, cycle=cycle)


def results_csv(path: Path, rows) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Mã thanh toán", "Trạng thái", "Mã lý do"])
        w.writerows(rows)
    return path


def line_of(world, key) -> PayrollLine:
    return (
        PayrollLine.objects.filter(entitlement=world.entitlements[key])
        .order_by("-period_month", "-attempt")
        .first()
    )


def assert_invariant(cycle):
    rec = reconciliation(cycle)
    assert rec["holds"], rec
    t = rec["total"]
    for i in (0, 1):
        assert t["declared"][i] == (
            t["paid"][i] + t["failed"][i] + t["outstanding"][i] + t["cancelled"][i]
        )
    return rec


def test_release_writes_locked_valid_files(world, runner, approver):
    cycle = released(runner, approver)
    assert cycle.status == CycleStatus.RELEASED
    # sent: the batches are released and every line is sent, waiting for its result
    assert set(PayrollLine.objects.values_list("status", flat=True)) == {"sent"}
    assert set(Batch.objects.values_list("status", flat=True)) == {"released"}
    from chitra.disbursement.ledger import state_totals

    assert state_totals(cycle)["sent"][0] == 11 and state_totals(cycle)["issued"][0] == 0
    files = {f.name: f for f in PaymentFile.objects.all()}
    kinds = sorted({f.kind for f in files.values()})
    assert kinds == ["cash_pdf", "cash_xlsx", "csv", "pain001", "xlsx"]
    for f in files.values():
        data = (files_root() / f.path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == f.sha256
    xml = next(f for f in files.values() if f.kind == "pain001" and "970405" in f.name)
    assert xml.rows == 1
    import xmlschema

    xmlschema.XMLSchema(str(XSD / "pain.001.001.09.xsd")).validate(str(files_root() / xml.path))
    text = (files_root() / xml.path).read_text("utf-8")
    ln = line_of(world, "bank")
    assert f"<EndToEndId>{ln.reference}</EndToEndId>" in text
    assert "<MmbId>970405</MmbId>" in text
    assert f"<Id>{1000000000 + world.people['bank'].pk:013d}</Id>" in text
    assert 'Ccy="VND">5200000<' in text
    # sent is not paid: no entitlement is paid through a month before its line is paid
    assert Entitlement.objects.get(pk=world.entitlements["arrears"].pk).paid_through == SEP
    assert Entitlement.objects.get(pk=world.entitlements["lump"].pk).paid_through is None
    assert Entitlement.objects.get(pk=world.entitlements["bank"].pk).paid_through == NOV
    assert Entitlement.objects.get(pk=world.entitlements["suspended"].pk).paid_through == NOV
    assert set(LineEvent.objects.filter(kind="sent").values_list("batch_id", "line_id")) == {
        (b.pk, None) for b in Batch.objects.filter(cycle=cycle)
    }
    # never written again: a second release is refused, a changed file is detected
    with pytest.raises(ChitraError):
        cycle_release(actor=runner, cycle=cycle)
    path = files_root() / xml.path
    path.write_bytes(path.read_bytes().replace(b"5200000", b"9200000"))
    with pytest.raises(ChitraError, match="altered"):
        checked_path(xml)
    assert_invariant(cycle)


def test_cash_lists_per_commune(world, runner, approver):
    released(runner, approver)
    pdfs = PaymentFile.objects.filter(kind="cash_pdf", batch__channel="CASH_PAY_POINT")
    assert {f.commune for f in pdfs} == {
        world.people["cash"].commune,
        world.people["unverified"].commune,
    }
    for f in pdfs:
        assert (files_root() / f.path).read_bytes().startswith(b"%PDF")
    home = PaymentFile.objects.get(kind="cash_xlsx", batch__channel="CASH_HOME")
    assert home.rows == 1 and home.amount == world.entitlements["home"].monthly_amount


def test_results_whole_cycle_to_closed(world, runner, approver, tmp_path):
    cycle = released(runner, approver)
    lines = {k: line_of(world, k) for k in ("bank", "bank2", "mobile")}
    # bank2's account is closed (AC04): close the account, pay in cash this month
    f1 = results_csv(
        tmp_path / "r1.csv",
        [
            (lines["bank"].reference, "succ", ""),
            (lines["bank2"].reference, "rjct", "AC04"),
            (lines["mobile"].reference, "Thành công", ""),
        ],
    )
    out = results_import(actor=runner, cycle=cycle, path=f1)
    assert (out.paid, out.failed, out.reissued_cash, out.accounts_closed) == (2, 1, 1, 1)
    assert Account.objects.get(pk=world.accounts["bank2"].pk).status == "closed"
    cash = PayrollLine.objects.get(reissue_of=lines["bank2"])
    assert cash.channel == "CASH_PAY_POINT" and cash.status == "issued" and cash.attempt == 2
    assert cash.batch.sequence == 1
    assert_invariant(cycle)
    # the same file again: nothing changes
    again = results_import(actor=runner, cycle=cycle, path=f1)
    assert again.already_applied and ResultImport.objects.count() == 1
    # reconciling now is refused: lines are outstanding and a batch waits
    with pytest.raises(ChitraError):
        cycle_reconcile(actor=runner, cycle=cycle)
    # the cash re-issue is not sent yet: a result for it is refused
    with pytest.raises(ResultsRejected) as early:
        results_import(
            actor=runner,
            cycle=cycle,
            path=results_csv(tmp_path / "early.csv", [(cash.reference, "succ", "")]),
        )
    assert [i.code for i in early.value.issues] == ["line_not_sent"]
    cycle = cycle_release(actor=runner, cycle=cycle)  # the supplementary cash batch
    assert Batch.objects.get(pk=cash.batch_id).status == "released"
    rest = PayrollLine.objects.filter(cycle=cycle, status="sent").exclude(
        pk__in=[ln.pk for ln in lines.values()]
    )
    f2 = results_csv(tmp_path / "r2.csv", [(ln.reference, "succ", "") for ln in rest])
    out = results_import(actor=runner, cycle=cycle, path=f2)
    assert out.paid == rest.count() == 9
    rec = assert_invariant(cycle)
    assert rec["total"]["outstanding"] == [0, 0]
    cycle = cycle_reconcile(actor=runner, cycle=cycle)
    cycle = cycle_close(actor=approver, cycle=cycle)
    assert cycle.status == CycleStatus.CLOSED
    assert [e.kind for e in line_events(lines["bank2"])] == [
        "issued",
        "sent",
        "failed",
        "reissued",
    ]
    again = PayrollLine.objects.get(reissue_of=lines["bank2"])
    assert [e.kind for e in line_events(again)] == ["issued", "sent", "paid"]


def test_bad_results_file_changes_nothing(world, runner, approver, tmp_path):
    cycle = released(runner, approver)
    bank, bank2 = line_of(world, "bank"), line_of(world, "bank2")
    results_import(
        actor=runner,
        cycle=cycle,
        path=results_csv(tmp_path / "ok.csv", [(bank.reference, "succ", "")]),
    )
    bad = results_csv(
        tmp_path / "bad.csv",
        [
            (bank2.reference, "succ", ""),
            ("0820261200000000990150", "succ", ""),  # unknown (check digits wrong too)
            (bank2.reference, "rjct", "AC04"),  # duplicate in the file
            (bank.reference, "rjct", "AC01"),  # a return after payment: no problem
            (line_of(world, "mobile").reference, "rjct", "ZZ99"),  # not in the catalogue
            (line_of(world, "cash").reference, "maybe", ""),  # not a status
        ],
    )
    with pytest.raises(ResultsRejected) as e:
        results_import(actor=runner, cycle=cycle, path=bad)
    codes = {(i.sheet_row, i.code) for i in e.value.issues}
    assert codes == {
        (3, "reference_invalid"),
        (3, "reference_unknown"),
        (4, "reference_duplicate"),
        (6, "reason_unknown"),
        (7, "result_status_invalid"),
    }
    # a mistyped digit breaks the check digits: told apart from a reference of another cycle
    typo = bank2.reference[:-3] + str((int(bank2.reference[-3]) + 1) % 10) + bank2.reference[-2:]
    with pytest.raises(ResultsRejected) as e:
        results_import(
            actor=runner, cycle=cycle, path=results_csv(tmp_path / "typo.csv", [(typo, "succ", "")])
        )
    assert [(i.sheet_row, i.code) for i in e.value.issues] == [
        (2, "reference_invalid"),
        (2, "reference_unknown"),
    ]
    assert PayrollLine.objects.get(pk=bank2.pk).status == "sent"
    assert PayrollLine.objects.get(pk=bank.pk).status == "paid"
    assert ResultImport.objects.count() == 1


def test_pain002_results_and_retry_next_cycle(world, runner, approver, tmp_path):
    cycle = released(runner, approver)
    bank, bank2 = line_of(world, "bank"), line_of(world, "bank2")
    mobile = line_of(world, "mobile")
    # one status report per message sent (OrgnlMsgId: the MsgId of the batch's pain.001)
    seen = [0, 0, 0]
    for n, (ln, status, reason) in enumerate(
        [(bank, "RJCT", "DORM"), (bank2, "ACSC", ""), (mobile, "ACSP", "")]
    ):
        path = tmp_path / f"r{n}.xml"
        with path.open("wb") as fh:
            write_pain002(
                fh,
                message_id=f"R{n}",
                created_at=timezone.now(),
                original_message_id=sent_message_id(ln.batch),
                original_payment_info_id=sent_block_id(ln.batch),
                lines=[(ln.reference, status, reason)],
            )
        out = results_import(actor=runner, cycle=cycle, path=path)
        seen = [seen[0] + out.paid, seen[1] + out.failed, seen[2] + out.pending]
    assert seen == [1, 1, 1]
    assert PayrollLine.objects.get(pk=bank.pk).action == "retry"
    # finish the cycle, then the next month re-issues the dormant-account payment
    rest = PayrollLine.objects.filter(cycle=cycle, status="sent")
    results_import(
        actor=runner,
        cycle=cycle,
        path=results_csv(tmp_path / "rest.csv", [(ln.reference, "succ", "") for ln in rest]),
    )
    cycle_reconcile(actor=runner, cycle=cycle)
    nxt = cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=dt.date(2027, 1, 1)))
    again = PayrollLine.objects.get(reissue_of=bank)
    assert again.cycle == nxt and again.period_month == MONTH and again.attempt == 2
    assert again.reference != bank.reference
    jan = PayrollLine.objects.get(
        cycle=nxt, entitlement=world.entitlements["bank"], period_month=dt.date(2027, 1, 1)
    )
    assert jan.attempt == 1
    # December is not paid again to anyone else; the one-off lump sum is not paid again
    assert not PayrollLine.objects.filter(cycle=nxt, period_month=MONTH, attempt=1).exists()
    assert not PayrollLine.objects.filter(
        cycle=nxt, entitlement=world.entitlements["lump"]
    ).exists()


def test_holder_deceased_suspends(world, runner, approver, tmp_path):
    cycle = released(runner, approver)
    ln = line_of(world, "bank")
    results_import(
        actor=runner,
        cycle=cycle,
        path=results_csv(tmp_path / "d.csv", [(ln.reference, "rjct", "MD07")]),
    )
    ent = Entitlement.objects.get(pk=world.entitlements["bank"].pk)
    assert ent.status == "suspended" and ent.suspensions.get().reason == "provider_report"


def test_cli_end_to_end(world, runner, approver, tmp_path, capsys):
    call_command("cycle_create", "2026-12", "--user", runner.username)
    call_command("cycle_compute", "--user", runner.username, verbosity=0)
    with pytest.raises(CommandError, match="another approver"):
        call_command("cycle_approve", "--user", runner.username)
    call_command("cycle_approve", "--user", approver.username)
    out = tmp_path / "out"
    call_command("cycle_release", "--out", str(out), "--user", runner.username, verbosity=0)
    names = sorted(p.name for p in out.iterdir())
    assert any(n.endswith(".xml") for n in names) and any(n.endswith(".pdf") for n in names)
    sim = tmp_path / "sim"
    call_command("cycle_simulate_results", "--out", str(sim), "--reject-rate", "0")
    for f in sorted(sim.iterdir()):
        call_command("cycle_import_results", str(f), "--user", runner.username)
    capsys.readouterr()
    call_command("cycle_status")
    text = capsys.readouterr().out
    assert "Reconciliation invariant: holds" in text
    assert PayrollLine.objects.filter(status=LineStatus.ISSUED).count() == 0


def test_provider_profile_shapes_the_csv(world, runner, approver, bhxh_admin):
    from django.core.management import call_command

    from chitra.disbursement.services import provider_profile_set

    with pytest.raises(ChitraError):
        provider_profile_set(actor=bhxh_admin, provider=world.vcb, formats=["pdf"])
    call_command(
        "provider_profile",
        "970436",
        "--formats",
        "csv,xlsx",
        "--column",
        "Số TK=account",
        "--column",
        "Họ tên=payee",
        "--column",
        "Số tiền=amount",
        "--column",
        "Mã GD=reference",
        "--encoding",
        "cp1258",
        "--amount-format",
        "dotted",
        "--user",
        bhxh_admin.username,
    )
    released(runner, approver)
    csv_file = PaymentFile.objects.get(kind="csv", batch__provider=world.vcb)
    import unicodedata

    # cp1258 writes some letters as base + combining tone mark, as Windows does
    text = unicodedata.normalize(
        "NFC", (files_root() / csv_file.path).read_bytes().decode("cp1258")
    )
    assert text.splitlines()[0] == "Số TK,Họ tên,Số tiền,Mã GD"
    assert "5.200.000" in text and "Phạm Thị Hai" in text
    assert not PaymentFile.objects.filter(kind="pain001", batch__provider=world.vcb).exists()
    assert PaymentFile.objects.filter(kind="xlsx", batch__provider=world.vcb).count() == 1


def test_repeated_results_count_as_unchanged_and_a_late_problem_undoes_all(
    world, runner, approver, tmp_path
):
    """Rows are applied in one pass and checked against the lines only when some row was not
    applied: repeats are counted unchanged; any other problem refuses the file and undoes
    the rows already applied in the same transaction."""
    cycle = released(runner, approver)
    bank, bank2, mobile = (line_of(world, k) for k in ("bank", "bank2", "mobile"))
    first = results_import(
        actor=runner,
        cycle=cycle,
        path=results_csv(tmp_path / "a.csv", [(bank.reference, "succ", "")]),
    )
    assert (first.paid, first.failed, first.unchanged) == (1, 0, 0)
    again = results_import(
        actor=runner,
        cycle=cycle,
        path=results_csv(
            tmp_path / "b.csv", [(bank.reference, "succ", ""), (bank2.reference, "succ", "")]
        ),
    )
    assert (again.paid, again.failed, again.unchanged) == (1, 0, 1)
    # the amount of mobile differs: refused, though its other row would have applied
    path = tmp_path / "c.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["reference", "status", "reason_code", "amount"])
        w.writerow([line_of(world, "cash").reference, "succ", "", ""])
        w.writerow([mobile.reference, "succ", "", mobile.amount + 1])
    with pytest.raises(ResultsRejected) as refused:
        results_import(actor=runner, cycle=cycle, path=path)
    assert [(i.code, i.sheet_row) for i in refused.value.issues] == [("amount_differs", 3)]
    assert PayrollLine.objects.get(pk=line_of(world, "cash").pk).status == "sent"
    assert PayrollLine.objects.get(pk=mobile.pk).status == "sent"
    assert ResultImport.objects.filter(cycle=cycle).count() == 2
    # the ledger: bank's 'paid' is the first import's row, shared by its paid lines
    history = line_events(PayrollLine.objects.get(pk=bank.pk))
    assert [e.kind for e in history] == ["issued", "sent", "paid"]
    assert history[-1].line_id is None and history[-1].result_import_id == first.result_import.pk
    assert_invariant(cycle)


def test_a_failure_while_files_are_written_undoes_the_release(world, runner, approver, monkeypatch):
    """The lines are marked sent while the files are written (a second thread on
    PostgreSQL): its failure undoes the whole release, files included."""
    from chitra.disbursement import services

    cycle = cycle_approve(
        actor=approver,
        cycle=cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH)),
    )

    def broken(cycle, batch_ids, db=None):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "_mark_sent", broken)
    with pytest.raises(RuntimeError, match="database gone"):
        cycle_release(actor=runner, cycle=cycle)
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.APPROVED
    assert not PaymentFile.objects.exists()
    assert not any(p.is_file() for p in files_root().rglob("*"))
    assert Entitlement.objects.get(pk=world.entitlements["bank"].pk).paid_through == NOV
    assert set(PayrollLine.objects.values_list("status", flat=True)) == {"issued"}
