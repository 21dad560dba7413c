"""Issue #12 items 3-5: one stored status vocabulary for lines (issued -> sent -> paid | failed,
paid -> returned, issued -> cancelled) enforced by the database and shown alike on the page,
the xlsx, the API and the command line; paid-through only on payment; returns after payment;
cancellation before release."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from chitra.core.errors import ChitraError
from chitra.core.models import AuditEvent
from chitra.disbursement.ledger import line_events
from chitra.disbursement.models import (
    DEAD_LINE_STATUSES,
    LINE_MOVES,
    Batch,
    LineStatus,
    PaymentFile,
    PayrollLine,
)
from chitra.disbursement.results import ResultsRejected, results_import
from chitra.disbursement.services import (
    cycle_approve,
    cycle_compute,
    cycle_create,
    cycle_release,
    line_cancel,
    reconciliation,
)
from chitra.iam.models import OrgKind, Role
from chitra.payment_methods.models import Account
from chitra.registry.models import Entitlement
from tests.auth import VerifiedClient, api_headers
from tests.disbursement.conftest import MONTH, NOV, SEP

JAN, FEB = dt.date(2027, 1, 1), dt.date(2027, 2, 1)


def client_for(user) -> VerifiedClient:
    c = VerifiedClient()
    c.force_login(user)
    return c


def results_csv(path: Path, rows) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Mã thanh toán", "Trạng thái", "Mã lý do"])
        w.writerows(rows)
    return path


def computed(runner, month=MONTH):
    return cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=month))


def released(runner, approver, month=MONTH):
    return cycle_release(
        actor=runner, cycle=cycle_approve(actor=approver, cycle=computed(runner, month))
    )


def line(world, key, month=MONTH, attempt=None) -> PayrollLine:
    qs = PayrollLine.objects.filter(entitlement=world.entitlements[key], period_month=month)
    if attempt is not None:
        qs = qs.filter(attempt=attempt)
    return qs.order_by("-attempt").first()


def paid_through(world, key):
    return Entitlement.objects.get(pk=world.entitlements[key].pk).paid_through


def answer_all(runner, cycle, tmp_path: Path, name: str, special=None):
    """Every sent line of the cycle answered: succ, except those in `special` (ref -> code)."""
    special = special or {}
    rows = [
        (ln.reference, "rjct" if ln.reference in special else "succ", special.get(ln.reference, ""))
        for ln in PayrollLine.objects.filter(cycle=cycle, status=LineStatus.SENT)
    ]
    return results_import(
        actor=runner, cycle=cycle, path=results_csv(tmp_path / f"{name}.csv", rows)
    )


def assert_adds_up(cycle):
    rec = reconciliation(cycle)
    assert rec["holds"], rec
    t = rec["total"]
    for i in (0, 1):
        assert t["declared"][i] == (
            t["paid"][i] + t["failed"][i] + t["returned"][i] + t["outstanding"][i]
        )
    return rec


# --- item 3: one vocabulary, stored, the same everywhere ---------------------------------------


def test_released_lines_are_sent_on_the_page_its_link_the_xlsx_the_api_and_the_cli(
    world, runner, approver, capsys
):
    """The cycle page's 'Đã gửi' count links to exactly those lines, and each of them says
    'Đã gửi' on the lines page, in the xlsx, in the API and on the command line (it said
    'Đã lập' everywhere, and the link listed nothing)."""
    cycle = released(runner, approver)
    n = PayrollLine.objects.filter(cycle=cycle).count()
    assert n == 11
    c = client_for(runner)
    html = c.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    states = html[html.index('data-testid="states"') :]
    states = states[: states.index("</table>")]
    assert f'?status=sent">Đã gửi</a></td><td class="text-end">{n}</td>' in states
    r = c.get(reverse("cycle_lines", args=[cycle.pk]) + "?status=sent")
    page = r.content.decode()
    body = page[page.index('data-testid="lines"') :]
    assert body.count("<tr><td") == n and body.count("Đã gửi") == n and "Đã lập" not in body
    r = c.get(reverse("cycle_lines", args=[cycle.pk]) + "?status=issued")
    assert '<tr><td class="mono' not in r.content.decode()
    xlsx = c.get(reverse("cycle_lines", args=[cycle.pk]) + "?format=xlsx&status=sent")
    rows = [
        [cell for cell in row]
        for row in openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(
            values_only=True
        )
    ]
    status_col = next(r for r in rows if "Trạng thái" in r).index("Trạng thái")
    statuses = [
        r[status_col] for r in rows if r[1] and str(r[1]).isdigit() and len(str(r[1])) == 22
    ]
    assert statuses == ["Đã gửi"] * n
    # the API: the code and the same label
    bank = line(world, "bank")
    batch = bank.batch
    r = c.get(
        f"/api/v1/payments/batches/{batch.pk}/disbursements/",
        **api_headers(runner),
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    item = next(i for i in r.json()["results"] if i["reference_id"] == bank.reference)
    assert (item["status"], item["status_label"]) == ("sent", "Đã gửi")
    r = c.get(
        f"/api/v1/payments/batches/{batch.pk}/", **api_headers(runner), HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert r.json()["status"] == "released"
    # the command line: the label and the code, per state and per batch
    capsys.readouterr()
    with translation.override("vi"):
        call_command("cycle_status")
    out = capsys.readouterr().out
    assert "Đã gửi [sent]" in out and f"{n:>10,} lines" in out
    assert "Đã lập [issued]" in out


def test_every_move_outside_the_state_machine_is_refused_by_the_database(world, runner):
    """The trigger and LINE_MOVES agree on all 36 pairs of states (old code: any move)."""
    cycle = computed(runner)
    ln = PayrollLine.objects.filter(cycle=cycle).order_by("pk").first()
    path_to = {
        LineStatus.ISSUED: [],
        LineStatus.SENT: ["sent"],
        LineStatus.PAID: ["sent", "paid"],
        LineStatus.FAILED: ["sent", "failed"],
        LineStatus.RETURNED: ["sent", "paid", "returned"],
        LineStatus.CANCELLED: ["cancelled"],
    }

    def move(status):
        PayrollLine.objects.filter(pk=ln.pk).update(
            status=status, live=status not in DEAD_LINE_STATUSES
        )

    refused = []
    for old, new in itertools.product(list(LineStatus), repeat=2):
        try:
            with transaction.atomic():
                for step in path_to[old]:
                    move(step)
                try:
                    with transaction.atomic():
                        move(new)
                except IntegrityError:
                    refused.append((old.value, new.value))
                raise RuntimeError("undo")
        except RuntimeError:
            pass
    expected = sorted(
        (o.value, n.value)
        for o, n in itertools.product(list(LineStatus), repeat=2)
        if o != n and n not in LINE_MOVES[o]
    )
    assert sorted(refused) == expected
    assert ("issued", "paid") in refused and ("paid", "sent") in refused
    assert PayrollLine.objects.get(pk=ln.pk).status == "issued"


# --- item 4: paid through a month only when it was paid ---------------------------------------


def test_paid_through_moves_on_payment_only(world, runner, approver, tmp_path):
    cycle = released(runner, approver)
    # released: nothing is paid yet (it moved at release before)
    assert paid_through(world, "bank") == NOV and paid_through(world, "arrears") == SEP
    assert paid_through(world, "lump") is None
    bank2, mobile = line(world, "bank2"), line(world, "mobile")
    answer_all(runner, cycle, tmp_path, "r1", {bank2.reference: "DORM", mobile.reference: "AC06"})
    assert paid_through(world, "bank") == MONTH
    assert paid_through(world, "arrears") == MONTH  # Oct, Nov and Dec paid
    assert paid_through(world, "lump") == MONTH
    assert paid_through(world, "cash") == MONTH  # cash collected
    # failed: not paid, never counted as paid
    assert paid_through(world, "bank2") == NOV and paid_through(world, "mobile") == NOV
    # next month: bank2's December is owed again (re-issued: retry); mobile's is held (AC06)
    nxt = computed(runner, JAN)
    again = PayrollLine.objects.get(reissue_of=bank2)
    assert (again.cycle, again.period_month, again.attempt) == (nxt, MONTH, 2)
    assert not PayrollLine.objects.filter(cycle=nxt, period_month=MONTH, attempt=1).exists()
    mine = PayrollLine.objects.filter(cycle=nxt, entitlement=world.entitlements["mobile"])
    assert list(mine.values_list("period_month", flat=True)) == [JAN]
    assert PayrollLine.objects.get(pk=mobile.pk).action == "hold"


def test_october_failed_november_paid_october_still_owed_november_not_paid_twice(
    world, runner, approver, tmp_path
):
    """December is sent, January computed before December's answer; December fails (retry),
    January is paid: the entitlement is paid through January, December is still owed and
    re-issued in February, and January is not paid again."""
    dec = released(runner, approver)
    jan = released(runner, approver, JAN)  # computed and sent while December is unanswered
    bank_dec = line(world, "bank")
    assert (
        PayrollLine.objects.filter(cycle=jan, entitlement=world.entitlements["bank"]).count() == 1
    )  # January only, December is awaited
    answer_all(runner, dec, tmp_path, "dec", {bank_dec.reference: "DORM"})
    assert paid_through(world, "bank") == NOV
    answer_all(runner, jan, tmp_path, "jan")
    assert paid_through(world, "bank") == JAN
    feb = computed(runner, FEB)
    lines = sorted(
        PayrollLine.objects.filter(cycle=feb, entitlement=world.entitlements["bank"]).values_list(
            "period_month", "attempt", "reissue_of"
        )
    )
    assert lines == [(MONTH, 2, bank_dec.pk), (FEB, 1, None)]
    # the database itself: one live line per entitlement and month across the three cycles
    months = list(
        PayrollLine.objects.filter(entitlement=world.entitlements["bank"], live=True).values_list(
            "period_month", flat=True
        )
    )
    assert sorted(months) == [MONTH, JAN, FEB]


# --- item 5: returns after payment ------------------------------------------------------------


def test_a_credit_reported_paid_comes_back_later(world, runner, approver, tmp_path):
    cycle = released(runner, approver)
    bank = line(world, "bank")
    results_import(
        actor=runner,
        cycle=cycle,
        path=results_csv(tmp_path / "ok.csv", [(bank.reference, "succ", "")]),
    )
    assert paid_through(world, "bank") == MONTH
    # a later bank statement: the account was closed after the credit (AC04: cash, close)
    ret = results_csv(tmp_path / "ret.csv", [(bank.reference, "rjct", "AC04")])
    out = results_import(actor=runner, cycle=cycle, path=ret)
    assert (out.paid, out.failed, out.returned, out.reissued_cash, out.accounts_closed) == (
        0,
        0,
        1,
        1,
        1,
    )
    got = PayrollLine.objects.get(pk=bank.pk)
    assert (got.status, got.live, got.reason_code, got.action) == (
        "returned",
        False,
        "AC04",
        "cash",
    )
    assert got.get_status_display() == "Returned"
    assert paid_through(world, "bank") == NOV  # the money came back: December is owed
    assert Account.objects.get(pk=world.accounts["bank"].pk).status == "closed"
    cash = PayrollLine.objects.get(reissue_of=bank)
    assert (cash.channel, cash.status, cash.attempt, cash.period_month) == (
        "CASH_PAY_POINT",
        "issued",
        2,
        MONTH,
    )
    assert [e.kind for e in line_events(got)] == ["issued", "sent", "paid", "returned", "reissued"]
    rec = assert_adds_up(cycle)
    row = next(b for b in rec["batches"] if b["batch"].pk == bank.batch_id)
    assert row["returned"] == [1, bank.amount] and row["paid"] == [0, 0]
    # again: the same file is a no-op, another file saying the same counts unchanged
    assert results_import(actor=runner, cycle=cycle, path=ret).already_applied
    same_file = tmp_path / "same.csv"
    same_file.write_text(f"reference,status,reason_code\n{bank.reference},rjct,AC04\n")
    same = results_import(actor=runner, cycle=cycle, path=same_file)
    assert (same.returned, same.unchanged) == (0, 1)
    # a returned line is final: succ for it is refused whole
    back = tmp_path / "back.csv"  # (not the first file again: that one is a no-op)
    back.write_text(f"reference,status\n{bank.reference},succ\n")
    with pytest.raises(ResultsRejected) as e:
        results_import(actor=runner, cycle=cycle, path=back)
    assert [i.code for i in e.value.issues] == ["line_final_changed"]
    # the cash re-issue is paid: December is paid through again, once
    cycle_release(actor=runner, cycle=cycle)
    results_import(
        actor=runner,
        cycle=cycle,
        path=results_csv(tmp_path / "cash.csv", [(cash.reference, "succ", "")]),
    )
    assert paid_through(world, "bank") == MONTH
    assert_adds_up(cycle)
    # the reconciliation page shows the return
    html = client_for(runner).get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    assert "Bị trả về" in html


def test_a_return_to_retry_is_owed_next_cycle_and_never_counts_as_paid(
    world, runner, approver, tmp_path
):
    cycle = released(runner, approver)
    answer_all(runner, cycle, tmp_path, "all")
    bank2 = line(world, "bank2")
    assert paid_through(world, "bank2") == MONTH
    out = results_import(
        actor=runner,
        cycle=cycle,
        path=results_csv(tmp_path / "ret.csv", [(bank2.reference, "rjct", "DORM")]),
    )
    assert out.returned == 1
    assert paid_through(world, "bank2") == NOV
    nxt = computed(runner, JAN)
    got = sorted(
        PayrollLine.objects.filter(cycle=nxt, entitlement=world.entitlements["bank2"]).values_list(
            "period_month", "attempt", "reissue_of"
        )
    )
    assert got == [(MONTH, 2, bank2.pk), (JAN, 1, None)]


# --- item 5: cancellation before release ------------------------------------------------------


def test_an_approver_cancels_a_line_before_release(
    world, runner, approver, approver2, make_user, tmp_path
):
    cycle = computed(runner)
    cash = line(world, "cash")
    batch = Batch.objects.get(pk=cash.batch_id)
    before = (batch.declared_count, batch.declared_amount, cycle.line_count, cycle.total_amount)
    officer = make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        line_cancel(actor=officer, line=cash, reason="error")
    with pytest.raises(ChitraError, match="reason"):
        line_cancel(actor=approver, line=cash, reason="  ")
    got = line_cancel(actor=approver, line=cash, reason="Người hưởng báo đã mất")
    assert (got.status, got.live, got.action) == ("cancelled", False, "hold")
    batch.refresh_from_db()
    cycle.refresh_from_db()
    assert (batch.declared_count, batch.declared_amount) == (before[0] - 1, before[1] - cash.amount)
    assert (cycle.line_count, cycle.total_amount) == (before[2] - 1, before[3] - cash.amount)
    event = AuditEvent.objects.get(action="line.cancel")
    assert event.reason == "Người hưởng báo đã mất" and event.actor_id == approver.pk
    # computing again would bring it back: refused
    with pytest.raises(ChitraError, match="cancelled"):
        cycle_compute(actor=runner, cycle=cycle)
    cycle = cycle_release(actor=runner, cycle=cycle_approve(actor=approver2, cycle=cycle))
    # the files leave it out; the rest of its batch is sent
    files = PaymentFile.objects.filter(batch=batch)
    assert sum(f.rows for f in files if f.kind == "cash_pdf") == batch.declared_count
    assert sum(f.amount for f in files if f.kind == "cash_pdf") == batch.declared_amount
    assert PayrollLine.objects.get(pk=cash.pk).status == "cancelled"
    assert set(
        PayrollLine.objects.filter(batch=batch).exclude(pk=cash.pk).values_list("status", flat=True)
    ) == {"sent"}
    assert [e.kind for e in line_events(got)] == ["issued", "cancelled"]
    assert line_events(got)[-1].note == "Người hưởng báo đã mất"
    # the selector reads the same ledger for a user who may see the line, 404 for the others
    from django.http import Http404

    from chitra.disbursement.selectors import line_history
    from chitra.geo.models import Province

    assert line_history(got, actor=officer) == line_events(got)
    elsewhere = make_user(province=Province.objects.exclude(pk=got.commune.province_id).first())
    with pytest.raises(Http404):
        line_history(got, actor=elsewhere)
    # after release: only through the provider's answer
    mobile = line(world, "mobile")
    with pytest.raises(ChitraError, match="provider's answer"):
        line_cancel(actor=approver, line=mobile, reason="error found")
    # a result for the cancelled line is refused; the reconciliation adds up without it
    with pytest.raises(ResultsRejected) as e:
        results_import(
            actor=runner,
            cycle=cycle,
            path=results_csv(tmp_path / "c.csv", [(cash.reference, "succ", "")]),
        )
    assert [i.code for i in e.value.issues] == ["line_final_changed"]
    rec = assert_adds_up(cycle)
    assert rec["total"]["cancelled"] == [1, cash.amount]
    # held: December is not paid next month, January is
    nxt = computed(runner, JAN)
    assert list(
        PayrollLine.objects.filter(cycle=nxt, entitlement=world.entitlements["cash"]).values_list(
            "period_month", flat=True
        )
    ) == [JAN]


def test_a_cancelled_line_to_pay_again_is_reissued_next_cycle(
    world, runner, approver, tmp_path, capsys
):
    cycle = computed(runner)
    bank = line(world, "bank")
    with pytest.raises(CommandError, match="reason"):
        call_command(
            "cycle_cancel_line", bank.reference, "--reason", " ", "--user", approver.username
        )
    call_command(
        "cycle_cancel_line",
        bank.reference,
        "--reason",
        "sai số tiền",
        "--pay-again",
        "--user",
        approver.username,
    )
    assert "owed again next cycle" in capsys.readouterr().out
    cycle = cycle_release(actor=runner, cycle=cycle_approve(actor=approver, cycle=cycle))
    # its batch had no other line: released, with no file at all
    assert Batch.objects.get(pk=bank.batch_id).status == "released"
    assert not PaymentFile.objects.filter(batch_id=bank.batch_id).exists()
    answer_all(runner, cycle, tmp_path, "all")
    assert paid_through(world, "bank") == NOV
    nxt = computed(runner, JAN)
    got = sorted(
        PayrollLine.objects.filter(cycle=nxt, entitlement=world.entitlements["bank"]).values_list(
            "period_month", "attempt", "reissue_of"
        )
    )
    assert got == [(MONTH, 2, bank.pk), (JAN, 1, None)]


def test_cancel_page_for_approvers(world, runner, approver, make_user):
    cycle = computed(runner)
    cash = line(world, "cash")
    cancel = reverse("payroll_line_cancel", args=[cash.pk])
    page = client_for(approver).get(reverse("payroll_line", args=[cash.pk]))
    assert page.status_code == 200 and "Đã lập" in page.content.decode()
    assert cancel in page.content.decode()
    viewer = client_for(make_user(OrgKind.BHXH_PROVINCE, Role.VIEWER))
    assert cancel not in viewer.get(reverse("payroll_line", args=[cash.pk])).content.decode()
    assert viewer.post(cancel, {"reason": "x"}).status_code == 403
    r = client_for(approver).post(
        reverse("payroll_line_cancel", args=[cash.pk]),
        {"reason": "phát hiện sai sót", "pay_again": "1"},
    )
    assert r.status_code == 302
    got = PayrollLine.objects.get(pk=cash.pk)
    assert (got.status, got.action) == ("cancelled", "retry")
    html = client_for(approver).get(reverse("payroll_line", args=[cash.pk])).content.decode()
    assert "Đã hủy" in html and "phát hiện sai sót" in html
    assert cycle.pk == got.cycle_id


def test_a_return_after_the_cycle_is_reconciled(world, runner, approver, tmp_path):
    """A return can arrive after reconciliation: to retry next cycle it leaves the cycle
    reconciled (nothing waits); paid in cash this month it opens the cycle again (a batch
    waits). A closed cycle takes a return too, owed in the next cycle."""
    from chitra.disbursement.services import cycle_close, cycle_reconcile

    cycle = released(runner, approver)
    answer_all(runner, cycle, tmp_path, "all")
    cycle = cycle_reconcile(actor=runner, cycle=cycle)
    bank, bank2 = line(world, "bank"), line(world, "bank2")
    out = results_import(
        actor=runner,
        cycle=cycle,
        path=results_csv(tmp_path / "dorm.csv", [(bank.reference, "rjct", "DORM")]),
    )
    cycle.refresh_from_db()
    assert (out.returned, cycle.status) == (1, "reconciled")
    assert_adds_up(cycle)
    out = results_import(
        actor=runner,
        cycle=cycle,
        path=results_csv(tmp_path / "closed.csv", [(bank2.reference, "rjct", "AC04")]),
    )
    cycle.refresh_from_db()
    assert (out.returned, out.reissued_cash, cycle.status) == (1, 1, "released")
    assert AuditEvent.objects.filter(action="cycle.reopen").count() == 1
    cycle = cycle_release(actor=runner, cycle=cycle)
    answer_all(runner, cycle, tmp_path, "cash")
    cycle = cycle_close(actor=approver, cycle=cycle_reconcile(actor=runner, cycle=cycle))
    # weeks later, a statement returns a credit of the closed cycle: recorded, the cycle stays
    # closed (no new batch in it), the month is owed and the next cycle pays it in cash
    mobile = line(world, "mobile")
    late = results_csv(tmp_path / "late.csv", [(mobile.reference, "rjct", "AC04")])
    out = results_import(actor=runner, cycle=cycle, path=late)
    cycle.refresh_from_db()
    assert (out.returned, out.reissued_cash, out.owed_next, cycle.status) == (1, 0, 1, "closed")
    got = PayrollLine.objects.get(pk=mobile.pk)
    assert (got.status, got.live, got.action) == ("returned", False, "retry")
    assert paid_through(world, "mobile") == NOV
    assert Account.objects.get(pk=world.accounts["mobile"].pk).status == "closed"
    assert_adds_up(cycle)
    assert results_import(actor=runner, cycle=cycle, path=late).already_applied
    # a closed cycle takes no payment either: a line of it already final cannot be paid
    back = tmp_path / "back.csv"
    back.write_text(f"reference,status\n{mobile.reference},succ\n")
    with pytest.raises(ResultsRejected):
        results_import(actor=runner, cycle=cycle, path=back)
    nxt = computed(runner, JAN)
    again = PayrollLine.objects.get(reissue_of=mobile)
    assert (again.cycle, again.period_month, again.channel) == (nxt, MONTH, "CASH_PAY_POINT")


def test_a_held_month_is_paid_again_when_an_approver_lifts_the_hold(
    world, runner, approver, make_user, tmp_path
):
    """Held (AC06, blocked account): not re-issued; an approver lifts the hold with a
    reason (page), and the next cycle re-issues it; a month not held cannot be."""
    from chitra.disbursement.services import line_pay_again

    cycle = released(runner, approver)
    mobile, bank2 = line(world, "mobile"), line(world, "bank2")
    answer_all(runner, cycle, tmp_path, "r", {mobile.reference: "AC06", bank2.reference: "DORM"})
    url = reverse("payroll_line_pay_again", args=[mobile.pk])
    page = client_for(approver).get(reverse("payroll_line", args=[mobile.pk])).content.decode()
    assert url in page and "Thất bại" in page and "Tạm giữ" in page
    viewer = client_for(make_user(OrgKind.BHXH_PROVINCE, Role.VIEWER))
    assert viewer.post(url, {"reason": "x"}).status_code == 403
    with translation.override("en"):  # (the pages' requests left Vietnamese active)
        with pytest.raises(ChitraError, match="not held"):
            line_pay_again(actor=approver, line=bank2, reason="x")  # to retry already
        with pytest.raises(ChitraError, match="reason"):
            line_pay_again(actor=approver, line=mobile, reason="")
    r = client_for(approver).post(url, {"reason": "Ngân hàng đã gỡ phong tỏa"})
    assert r.status_code == 302
    assert PayrollLine.objects.get(pk=mobile.pk).action == "retry"
    assert AuditEvent.objects.get(action="line.pay_again").reason == "Ngân hàng đã gỡ phong tỏa"
    nxt = computed(runner, JAN)
    got = sorted(
        PayrollLine.objects.filter(cycle=nxt, entitlement=world.entitlements["mobile"]).values_list(
            "period_month", "attempt", "reissue_of"
        )
    )
    assert got == [(MONTH, 2, mobile.pk), (JAN, 1, None)]
    with translation.override("en"), pytest.raises(ChitraError, match="not held"):
        line_pay_again(actor=approver, line=mobile, reason="again")  # re-issued already
