"""Proof of life (issue #12, ADR 0011): one date per beneficiary, moved forward by each source,
due 12 months later; the lists, the reminders, the person's page, the backfill."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from chitra.core.errors import ChitraError
from chitra.core.models import AuditEvent
from chitra.core.notify import LoggingNotifier
from chitra.iam.models import OrgKind, Role
from chitra.payment_methods.imports import AccountImportSummary, account_records_apply
from chitra.payment_methods.models import Account, ChangeRequest, Provider
from chitra.payment_methods.services import change_request_approve, change_request_create
from chitra.registry.models import Beneficiary
from chitra.verification.models import CleaningTask, PersonStatus, ProofOfLifeReminder
from chitra.verification.proof_of_life import (
    due_on,
    latest_proof_due_by,
    overdue_before,
    proof_of_life_counter_visit,
    proof_of_life_record,
    proof_of_life_remind,
    proof_of_life_state,
    stops_from,
)
from chitra.verification.services import cleaning_confirm_identity, verification_run
from tests.factories import BeneficiaryFactory, EntitlementFactory

D = dt.date


def test_due_dates_and_the_month_a_payment_stops():
    assert due_on(D(2026, 12, 7)) == D(2027, 12, 7)
    assert due_on(D(2028, 2, 29)) == D(2029, 2, 28)
    assert due_on(None) is None
    # excluded in the payroll of a month when the due date fell before the month began
    assert overdue_before(D(2027, 12, 1)) == D(2026, 12, 1)
    assert overdue_before(D(2027, 12, 15)) == D(2026, 12, 1)
    assert stops_from(D(2026, 12, 7)) == D(2028, 1, 1)  # due 7/12/2027: paid in December
    assert stops_from(D(2026, 11, 30)) == D(2027, 12, 1)
    for proof in (D(2026, 11, 30), D(2026, 12, 1), D(2026, 12, 31)):
        stop = stops_from(proof)
        assert proof < overdue_before(stop)  # excluded from that month ...
        assert not proof < overdue_before(D(stop.year, stop.month, 1) - dt.timedelta(days=1))
    # the latest proof whose due date is on or before a day, leap years included
    for day in (D(2029, 2, 28), D(2028, 2, 29), D(2027, 3, 31), D(2027, 1, 1)):
        p = latest_proof_due_by(day)
        assert due_on(p) <= day < due_on(p + dt.timedelta(days=1))
    assert latest_proof_due_by(D(2029, 2, 28)) == D(2028, 2, 29)
    today = D(2026, 12, 7)
    assert proof_of_life_state(D(2025, 12, 6), today) == "overdue"
    assert proof_of_life_state(D(2025, 12, 7), today) == "due_soon"
    assert proof_of_life_state(D(2026, 2, 5), today) == "due_soon"  # due in 60 days
    assert proof_of_life_state(D(2026, 2, 6), today) == "ok"
    assert proof_of_life_state(None, today) == "overdue"


@pytest.mark.django_db
def test_the_date_moves_forward_never_back(system):
    b = BeneficiaryFactory()
    assert (
        proof_of_life_record(
            actor=system, on=D(2026, 5, 1), source="register", reference="run 1", beneficiaries=b
        )
        == 1
    )
    assert (
        proof_of_life_record(
            actor=system, on=D(2026, 4, 1), source="counter", reference="x", beneficiaries=b
        )
        == 0
    )
    assert (
        proof_of_life_record(
            actor=system, on=D(2026, 5, 1), source="cash", reference="y", beneficiaries=[b.pk]
        )
        == 0
    )  # same day: kept
    b.refresh_from_db()
    assert (b.proof_of_life_on, b.proof_of_life_source, b.proof_of_life_ref) == (
        D(2026, 5, 1),
        "register",
        "run 1",
    )
    others = [BeneficiaryFactory() for _i in range(3)]
    assert (
        proof_of_life_record(
            actor=system,
            on=D(2026, 6, 1),
            source="cash",
            reference="r 9",
            beneficiaries=Beneficiary.objects.filter(pk__in=[b.pk, others[0].pk]).values("pk"),
        )
        == 2
    )
    assert Beneficiary.objects.filter(proof_of_life_on=D(2026, 6, 1)).count() == 2
    ev = AuditEvent.objects.filter(action="proof_of_life.record").order_by("-id").first()
    assert ev.after["people"] == 2 and ev.after["proof_of_life_source"] == "cash"
    with pytest.raises(ChitraError):
        proof_of_life_record(
            actor=system, on=D(2026, 6, 1), source="guess", reference="", beneficiaries=b
        )


@pytest.mark.django_db
def test_the_register_and_a_confirmation_in_person_count(register, people, bhxh_officer):
    verification_run(actor=bhxh_officer)
    today = timezone.localdate()
    seen = dict(
        Beneficiary.objects.filter(pk__in=[b.pk for b in people.values()]).values_list(
            "pk", "proof_of_life_source"
        )
    )
    assert seen[people["ok"].pk] == "register" and seen[people["accents"].pk] == "register"
    assert seen[people["absent"].pk] == "" and seen[people["dead"].pk] == ""
    Beneficiary.objects.filter(pk=people["ok"].pk).update(proof_of_life_on=D(2020, 1, 1))
    verification_run(actor=bhxh_officer)  # a later run moves it on again
    assert Beneficiary.objects.get(pk=people["ok"].pk).proof_of_life_on == today
    task = CleaningTask.objects.get(beneficiary=people["absent"])
    cleaning_confirm_identity(actor=bhxh_officer, task=task, note="CCCD gốc, tại UBND xã")
    b = Beneficiary.objects.get(pk=people["absent"].pk)
    assert (b.proof_of_life_on, b.proof_of_life_source, b.proof_of_life_ref) == (
        today,
        "in_person",
        f"task {task.pk}",
    )
    assert PersonStatus.objects.get(beneficiary=b).identity_confirmed_at is not None


@pytest.mark.django_db
def test_a_counter_visit_is_recorded_by_an_officer_of_the_area(make_user, tq_communes, client):
    b = BeneficiaryFactory(commune=tq_communes[0])
    other = make_user(OrgKind.POLICE_COMMUNE, Role.OFFICER, communes=[tq_communes[1]])
    viewer = make_user(OrgKind.BHXH_PROVINCE, Role.VIEWER)
    officer = make_user(OrgKind.BHXH_OFFICE, Role.OFFICER, communes=[tq_communes[0]])
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        proof_of_life_counter_visit(actor=viewer, beneficiary=b, place="BHXH")
    from django.http import Http404

    with pytest.raises(Http404):
        proof_of_life_counter_visit(actor=other, beneficiary=b, place="Công an xã")
    with pytest.raises(ChitraError):
        proof_of_life_counter_visit(actor=officer, beneficiary=b, place=" ")
    with pytest.raises(ChitraError):
        proof_of_life_counter_visit(
            actor=officer, beneficiary=b, place="BHXH", on=today + dt.timedelta(days=1)
        )
    client.force_login(officer)
    r = client.post(
        reverse("proof_of_life_counter_visit", args=[b.pk]),
        {
            "date": (today - dt.timedelta(days=1)).isoformat(),
            "place": "Bộ phận một cửa BHXH khu vực 1",
            "note": "CCCD gắn chip",
        },
    )
    assert r.status_code == 302
    b.refresh_from_db()
    assert (b.proof_of_life_on, b.proof_of_life_source) == (today - dt.timedelta(days=1), "counter")
    ev = AuditEvent.objects.get(action="proof_of_life.counter_visit")
    assert ev.reason == "CCCD gắn chip" and ev.after["place"].startswith("Bộ phận")
    page = client.get(reverse("beneficiary_detail", args=[b.pk]))
    assert due_on(b.proof_of_life_on).strftime("%d/%m/%Y") in page.text
    assert "Bộ phận một cửa BHXH khu vực 1" in page.text
    client.force_login(other)
    assert (
        client.post(reverse("proof_of_life_counter_visit", args=[b.pk]), {"place": "x"}).status_code
        == 404
    )


def _request(officer, b, number, provider, holder=None):
    return change_request_create(
        actor=officer,
        beneficiary=b,
        method="BANK_ACCOUNT",
        source="officer",
        provider=provider,
        number=number,
        holder_name=holder or b.full_name,
        consent_date=timezone.localdate(),
        consent_channel="in_person",
    )


@pytest.mark.django_db
def test_the_switch_to_an_account_starts_the_clock_and_the_bank_s_word_moves_it(
    bhxh_officer, make_user, tq_communes
):
    from chitra.registry.models import Representative

    agribank = Provider.objects.get(code="970405")
    approver = make_user(OrgKind.BHXH_PROVINCE, Role.APPROVER)
    bank = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405")
    a = BeneficiaryFactory(full_name="Nguyễn Văn Đức", commune=tq_communes[0])
    b = BeneficiaryFactory(full_name="Trần Thị Hoà", sex="F", commune=tq_communes[0])
    rep = Representative.objects.create(
        beneficiary=b,
        kind="guardian",
        full_name="Trần Văn Con",
        personal_id="008080000001",
        valid_from=D(2020, 1, 1),
    )
    pm = change_request_approve(
        actor=approver, change_request=_request(bhxh_officer, a, "0123456781", agribank)
    )
    a.refresh_from_db()
    assert (a.proof_of_life_on, a.proof_of_life_source) == (pm.effective_month, "account_start")
    assert a.proof_of_life_ref == f"request {pm.change_request_id}"
    assert Account.objects.get(beneficiary=a).status == "unverified"
    # the bank confirms the account of the approved request: its KYC saw the person
    Beneficiary.objects.filter(pk=a.pk).update(proof_of_life_on=D(2020, 1, 1))
    from chitra.engine.rows.account import AccountRecord
    from chitra.kernel.names import fold_name

    def row(ben, number, holder):
        return AccountRecord(
            sheet_row=2,
            data_row=1,
            personal_id=ben.personal_id,
            provider_code="970405",
            provider_kind="bank",
            method="BANK_ACCOUNT",
            account_number=number,
            phone=None,
            wallet_id=None,
            holder_name=holder,
            holder_folded=fold_name(holder),
            status="active",
            full_name=None,
        )

    account_records_apply(
        actor=bank, records=[row(a, "0123456781", "NGUYEN VAN DUC")], summary=AccountImportSummary()
    )
    a.refresh_from_db()
    assert (a.proof_of_life_on, a.proof_of_life_source) == (timezone.localdate(), "provider")
    # a guardian's account: the bank saw the guardian, not the person
    cr = change_request_create(
        actor=bhxh_officer,
        beneficiary=b,
        method="BANK_ACCOUNT",
        source="officer",
        provider=agribank,
        number="5555666677",
        holder_name="TRAN VAN CON",
        payee_representative=rep,
        consent_date=timezone.localdate(),
        consent_channel="in_person",
    )
    account_records_apply(
        actor=bank, records=[row(b, "5555666677", "TRAN VAN CON")], summary=AccountImportSummary()
    )
    assert ChangeRequest.objects.get(pk=cr.pk).provider_confirmed_at is not None
    b.refresh_from_db()
    assert b.proof_of_life_on is None
    change_request_approve(actor=approver, change_request=cr)
    b.refresh_from_db()
    assert b.proof_of_life_source == "account_start"  # the switch still starts the clock
    # account to account: no new start
    Beneficiary.objects.filter(pk=a.pk).update(proof_of_life_on=D(2020, 1, 1))
    change_request_approve(
        actor=approver, change_request=_request(bhxh_officer, a, "9999888877", agribank)
    )
    a.refresh_from_db()
    assert a.proof_of_life_on == D(2020, 1, 1)


def _account_person(officer, approver, commune, proof, phone="+84912345678"):
    b = BeneficiaryFactory(commune=commune, phone=phone)
    EntitlementFactory(beneficiary=b)
    change_request_approve(
        actor=approver,
        change_request=_request(
            officer, b, f"{7000000000 + b.pk}", Provider.objects.get(code="970405")
        ),
    )
    Beneficiary.objects.filter(pk=b.pk).update(
        proof_of_life_on=proof, proof_of_life_source="register"
    )
    return b


@pytest.mark.django_db
def test_reminders_go_once_per_person_and_due_date(
    bhxh_officer, make_user, tq_communes, system, django_capture_on_commit_callbacks
):
    approver = make_user(OrgKind.BHXH_PROVINCE, Role.APPROVER)
    today = timezone.localdate()
    c = tq_communes[0]
    soon = _account_person(bhxh_officer, approver, c, today - dt.timedelta(days=330))
    late = _account_person(bhxh_officer, approver, c, today - dt.timedelta(days=380))
    fine = _account_person(bhxh_officer, approver, c, today - dt.timedelta(days=100))
    mute = _account_person(bhxh_officer, approver, c, today - dt.timedelta(days=330), phone="")
    cash = BeneficiaryFactory(commune=c, phone="+84912345679")  # paid in cash: not concerned
    EntitlementFactory(beneficiary=cash)
    LoggingNotifier.sent.clear()
    counts = proof_of_life_remind(actor=system, as_of=today, dry_run=True)
    assert counts["sent"] == 2 and not ProofOfLifeReminder.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        counts = proof_of_life_remind(actor=system, as_of=today)
    assert counts == {"due": 3, "sent": 2, "already": 0, "no_phone": 1, "no_proof": 0}
    kinds = dict(ProofOfLifeReminder.objects.values_list("beneficiary_id", "kind"))
    assert kinds == {soon.pk: "due_soon", late.pk: "overdue"}
    assert fine.pk not in kinds and mute.pk not in kinds
    texts = [t for _p, t in LoggingNotifier.sent]
    assert len(texts) == 2
    assert any(
        due_on(soon.proof_of_life_on or today - dt.timedelta(days=330)).strftime("%d/%m/%Y") in t
        for t in texts
    )
    LoggingNotifier.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the next day's run
        call_command("proof_of_life_remind", "--user", bhxh_officer.username)
    assert LoggingNotifier.sent == [] and ProofOfLifeReminder.objects.count() == 2
    # a new proof, a new due date: told again when that one comes near
    Beneficiary.objects.filter(pk=soon.pk).update(proof_of_life_on=today - dt.timedelta(days=320))
    assert proof_of_life_remind(actor=system, as_of=today)["sent"] == 1
    assert ProofOfLifeReminder.objects.filter(beneficiary=soon).count() == 2


@pytest.mark.django_db
def test_the_backfill_takes_the_latest_source_of_each_person(
    system, make_user, tq_communes, bhxh_officer
):
    from chitra.outreach.models import Assignment, Campaign, Contact

    approver = make_user(OrgKind.BHXH_PROVINCE, Role.APPROVER)
    c = tq_communes[0]
    reg, visit, switch, nothing = (BeneficiaryFactory(commune=c) for _i in range(4))
    now = timezone.now()
    PersonStatus.objects.create(
        beneficiary=reg,
        outcome="verified",
        last_verified_at=now,
        alive_seen_at=now - dt.timedelta(days=40),
    )
    PersonStatus.objects.create(
        beneficiary=visit,
        outcome="verified",
        last_verified_at=now,
        alive_seen_at=now - dt.timedelta(days=400),
    )
    camp = Campaign.objects.create(
        name="c",
        province=c.province,
        start_date=D(2026, 1, 1),
        end_date=D(2026, 12, 31),
        created_by=bhxh_officer,
    )
    asg = Assignment.objects.create(campaign=camp, beneficiary=visit, commune=c)
    Contact.objects.create(
        assignment=asg,
        officer=bhxh_officer,
        date=D(2026, 11, 2),
        channel="visit",
        outcome="declined",
        reason="prefers_cash",
    )
    Contact.objects.create(
        assignment=asg,
        officer=bhxh_officer,
        date=D(2026, 11, 20),
        channel="phone",
        outcome="agreed",
    )
    pm = change_request_approve(
        actor=approver,
        change_request=_request(
            bhxh_officer, switch, "1231231231", Provider.objects.get(code="970405")
        ),
    )
    Beneficiary.objects.update(proof_of_life_on=None, proof_of_life_source="", proof_of_life_ref="")
    migration = importlib.import_module(
        "chitra.verification.migrations.0004_i12_pol_backfill_proof_of_life"
    )
    from django.apps import apps

    class Editor:  # what the migration uses of a schema editor, inside the test's transaction
        def __init__(self):
            self.connection = connection

        def execute(self, sql, params=()):
            with connection.cursor() as cur:
                cur.execute(sql, params)

    migration.backfill(apps, Editor())
    got = {
        b.pk: (b.proof_of_life_on, b.proof_of_life_source)
        for b in Beneficiary.objects.filter(pk__in=[reg.pk, visit.pk, switch.pk, nothing.pk])
    }
    assert got[reg.pk] == (timezone.localtime(now - dt.timedelta(days=40)).date(), "register")
    assert got[visit.pk] == (D(2026, 11, 2), "outreach")
    assert got[switch.pk] == (pm.effective_month, "account_start")
    assert got[nothing.pk] == (None, "")
