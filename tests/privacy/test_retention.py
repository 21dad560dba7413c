"""Retention: a rule for every table of every installed app; the purge deletes or anonymises
what its rules say and never touches what the law keeps; dry run changes nothing; audited."""

from __future__ import annotations

import datetime as dt
import os
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from chitra.core.jobs import job_create
from chitra.core.models import AuditEvent, Job
from chitra.disbursement.models import PayrollLine
from chitra.grievances.models import Ticket
from chitra.outreach.models import Contact
from chitra.privacy.retention import RULES, Action, retention_purge, rule_for
from chitra.registry.models import Beneficiary

pytestmark = pytest.mark.django_db
OLD = timezone.now() - dt.timedelta(days=400)


def test_every_table_of_every_app_has_a_rule():
    concrete = [m for m in apps.get_models() if not m._meta.proxy]
    missing = [m._meta.label for m in concrete if rule_for(m._meta.label) is None]
    assert missing == [], f"add a retention rule (privacy/retention.py) for {missing}"
    targets = [r.target.lower() for r in RULES]
    assert len(targets) == len(set(targets))
    for r in RULES:
        assert str(r.basis) and str(r.how) and r.period()
        # a delete/anonymise rule acts itself, unless another rule's action covers it
        covered = {
            "axes.AccessAttemptExpiration": "axes.AccessAttempt",  # cascades
            "files:uploads": "core.Job",
        }
        assert (
            r.action == Action.KEEP
            or r.apply is not None
            or (rule_for(covered[r.target]).apply is not None)
        ), r.target


def test_social_insurance_and_payment_records_are_kept():
    for label in (
        "registry.Beneficiary",
        "registry.Entitlement",
        "disbursement.PayrollLine",
        "disbursement.LineEvent",
        "disbursement.PaymentFile",
        "core.AuditEvent",
        "registry.Consent",
        "payment_methods.ChangeRequest",
        "files:payment-files",
    ):
        rule = rule_for(label)
        assert rule is not None and rule.action == Action.KEEP and rule.apply is None, label
    assert "10" in rule_for("disbursement.PayrollLine").period()
    assert "88/2015/QH13" in str(rule_for("disbursement.PayrollLine").basis)


@pytest.fixture
def uploads(tmp_path, settings):
    settings.CHITRA_UPLOAD_DIR = tmp_path / "uploads"
    settings.CHITRA_UPLOAD_DIR.mkdir()
    return settings.CHITRA_UPLOAD_DIR


def _file(path: Path, days_old: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"personal data")
    t = (timezone.now() - dt.timedelta(days=days_old)).timestamp()
    os.utime(path, (t, t))
    return path


def _job(actor, uploads, name, days_old, status=Job.Status.SUCCEEDED):
    inp = _file(uploads / f"{name}.xlsx", days_old)
    out = _file(uploads / f"{name}-errors.xlsx", days_old)
    job = job_create(
        actor=actor,
        kind="beneficiary_import",
        params={},
        input_file=str(inp),
        input_name=f"{name}.xlsx",
    )
    finished = timezone.now() - dt.timedelta(days=days_old)
    Job.objects.filter(pk=job.pk).update(status=status, output_file=str(out), finished_at=finished)
    return job, inp, out


def test_purge_applies_the_rules_and_keeps_what_the_law_keeps(person, system, uploads, tmp_path):
    Session.objects.create(
        session_key="old", session_data="x", expire_date=timezone.now() - dt.timedelta(hours=1)
    )
    Session.objects.create(
        session_key="live", session_data="x", expire_date=timezone.now() + dt.timedelta(hours=1)
    )
    from axes.models import AccessAttempt

    old_attempt = AccessAttempt.objects.create(
        username="x",
        user_agent="ua",
        ip_address="1.1.1.1",
        http_accept="*",
        path_info="/",
        failures_since_start=1,
    )
    AccessAttempt.objects.filter(pk=old_attempt.pk).update(attempt_time=OLD)
    AccessAttempt.objects.create(
        username="y",
        user_agent="ua",
        ip_address="1.1.1.2",
        http_accept="*",
        path_info="/",
        failures_since_start=1,
    )
    old_job, old_in, old_out = _job(system, uploads, "old", 40)
    _new_job, new_in, new_out = _job(system, uploads, "new", 2)
    _running, run_in, _r = _job(system, uploads, "running", 40, status=Job.Status.RUNNING)
    orphan = _file(uploads / "results" / "orphan.csv", 40)
    young_orphan = _file(uploads / "results" / "young.csv", 1)
    outside = _file(tmp_path / "outside.xlsx", 40)
    Job.objects.filter(pk=old_job.pk).update(output_file=str(outside))  # never outside uploads
    contact = Contact.objects.get()
    Contact.objects.filter(pk=contact.pk).update(date=dt.date(2015, 1, 1))
    ticket = Ticket.objects.get()
    Ticket.objects.filter(pk=ticket.pk).update(
        status="resolved",
        resolved_at=timezone.now() - dt.timedelta(days=6 * 366),
        resolution="Đã chi bổ sung",
        resolution_code="paid",
        reporter_name="Con gái",
        reporter_phone="0912000999",
    )
    before = {
        "ben": Beneficiary.objects.count(),
        "lines": PayrollLine.objects.count(),
        "audit": AuditEvent.objects.count(),
    }

    dry = {line.rule.target: line.outcome for line in retention_purge(actor=system, dry_run=True)}
    assert dry["sessions.Session"].rows == 1 and Session.objects.count() == 2
    assert old_in.exists() and orphan.exists()
    assert AuditEvent.objects.filter(action="privacy.retention.purge.dry_run").exists()

    lines = {line.rule.target: line.outcome for line in retention_purge(actor=system)}
    assert lines["sessions.Session"].rows == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
    assert lines["axes.AccessAttempt"].rows >= 1
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["y"]
    assert not old_in.exists() and not old_out.exists()  # input, and the unnamed workbook
    old_job.refresh_from_db()
    assert old_job.input_file == "" and old_job.output_file == "" and old_job.input_name
    assert outside.exists()  # a path outside the upload directory is never deleted
    assert new_in.exists() and new_out.exists() and run_in.exists()
    assert not orphan.exists() and young_orphan.exists()
    assert Contact.objects.get().note == "" and Contact.objects.get().outcome == "declined"
    t = Ticket.objects.get()
    assert (t.reporter_name, t.reporter_phone) == ("", "") and t.description
    assert before == {
        "ben": Beneficiary.objects.count(),
        "lines": PayrollLine.objects.count(),
        "audit": AuditEvent.objects.count() - 2,
    }
    event = AuditEvent.objects.filter(action="privacy.retention.purge").get()
    assert event.after["sessions.Session"] == {"rows": 1, "files": 0}
    assert "disbursement.PayrollLine" not in event.after


def test_old_notes_of_recent_contacts_stay(person, system):
    retention_purge(actor=system)
    assert Contact.objects.get().note == "Bà muốn nhận tiền mặt"


def test_only_the_system_runs_the_purge(make_user):
    from chitra.iam.models import OrgKind, Role

    with pytest.raises(PermissionDenied):
        retention_purge(actor=make_user(OrgKind.BHXH_PROVINCE, Role.ADMIN))


@override_settings(CHITRA_RETENTION_LOGIN_DAYS=10)
def test_command_reports_per_table(system, uploads):
    Session.objects.create(
        session_key="old", session_data="x", expire_date=timezone.now() - dt.timedelta(hours=1)
    )
    out = StringIO()
    call_command("retention_purge", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "sessions.Session" in text and "would rows=1" in text
    assert "dry run: nothing changed" in text and Session.objects.count() == 1
    out = StringIO()
    call_command("retention_purge", stdout=out)
    assert "rows=1" in out.getvalue() and Session.objects.count() == 0


def test_tokens_of_deactivated_users_and_long_dead_tokens_are_deleted(system, make_user):
    from chitra.iam.models import ApiToken
    from tests.auth import api_token

    gone, kept, old = make_user(), make_user(), make_user()
    for u in (gone, kept, old):
        api_token(u)
    gone.is_active = False
    gone.save()
    ApiToken.objects.filter(owner=old).update(expires_at=timezone.now() - dt.timedelta(days=400))
    retention_purge(actor=system)
    assert list(ApiToken.objects.values_list("owner_id", flat=True)) == [kept.pk]
