"""How long chitra keeps each table and file store, why, and what happens at the end.

`RULES` is the declarative table: one rule per model of every installed app (a test keeps it
so) and one per file store. A rule says what date the period counts from, how long, the legal
basis and the action:

- ``delete``: rows (and their files) past the period are deleted by `retention_purge`;
- ``anonymise``: the personal data of rows past the period is cleared, the row kept;
- ``keep``: chitra never deletes them; the law says they are kept (social-insurance and
  accounting records, the audit trail). Where the law ends the duty, destruction is a decision
  of the archive, taken outside the application.

`retention_purge` applies the delete and anonymise rules, reports what each did and audits the
run. It never touches a ``keep`` rule's table.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chitra.core.audit import audit_record

if TYPE_CHECKING:
    from chitra.iam.models import User


class Action(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"
    KEEP = "keep"


ACTION_LABELS = {
    Action.DELETE: _("Delete"),
    Action.ANONYMISE: _("Anonymise"),
    Action.KEEP: _("Keep"),
}


@dataclass(frozen=True)
class Outcome:
    """What one rule did (or, in a dry run, would do)."""

    rows: int = 0
    files: int = 0


Apply = Callable[[dt.datetime, bool], Outcome]


@dataclass(frozen=True)
class Rule:
    #: "app_label.ModelName", or "files:<name>" for a store of files on disk
    target: str
    #: what the period counts from
    date_field: str
    #: how long, as people read it (a function: periods come from settings)
    period: Callable[[], str]
    basis: Promise | str
    action: Action
    #: what happens, or how a kept table is archived
    how: Promise | str
    #: for delete / anonymise: the function that applies the rule
    apply: Apply | None = None

    @property
    def is_files(self) -> bool:
        return self.target.startswith("files:")

    def model(self) -> type[models.Model] | None:
        if self.is_files:
            return None
        try:
            return apps.get_model(self.target)
        except LookupError:  # an optional app (e.g. django-otp) that is not installed
            return None

    @property
    def label(self) -> str:
        if self.target in _NAMES:  # file stores, and tables of libraries not translated
            return str(_NAMES[self.target])
        model = self.model()
        if model is not None:
            return str(model._meta.verbose_name_plural)
        return self.target

    @property
    def table(self) -> str:
        """The database table (or the file store) the rule is about, as a code."""
        model = self.model()
        return model._meta.db_table if model is not None else self.target

    @property
    def date_label(self) -> str:
        """What the period counts from, in words: the field's own name, or a phrase."""
        model = self.model()
        if model is not None and self.date_field and model.__module__.startswith("chitra."):
            try:
                field = model._meta.get_field(self.date_field)
            except FieldDoesNotExist:
                field = None
            if isinstance(field, models.Field):
                return str(field.verbose_name)
        return str(_DATE_PHRASES.get(self.date_field, self.date_field))


#: tables of libraries (their names are not translated) and file stores, in words
_NAMES: dict[str, Promise] = {
    "sessions.Session": _("login sessions"),
    "axes.AccessAttempt": _("login attempts"),
    "axes.AccessFailureLog": _("failed logins"),
    "axes.AccessLog": _("login and logout log"),
    "axes.AccessAttemptExpiration": _("expiry of login lockouts"),
    "django_tasks_database.DBTaskResult": _("background task results"),
    "admin.LogEntry": _("administration page log"),
    "auth.Permission": _("permissions"),
    "auth.Group": _("groups"),
    "contenttypes.ContentType": _("content types"),
    "otp_totp.TOTPDevice": _("authenticator apps (two-factor)"),
    "otp_static.StaticDevice": _("backup-code sets (two-factor)"),
    "otp_static.StaticToken": _("backup codes (two-factor)"),
    "files:uploads": _("uploaded files"),
    "files:payment-files": _("payment files"),
    "files:consent-forms": _("scanned consent forms"),
    "files:issued-reports": _("issued reports"),
    "files:register-extract": _("population register extract"),
}

#: what a period counts from when it is not one field of the table
_DATE_PHRASES: dict[str, Promise] = {
    "expire_date": _("expiry date"),
    "attempt_time": _("time of the attempt"),
    "expires_at": _("expiry date"),
    "finished_at": _("finished at"),
    "action_time": _("time of the action"),
    "expires_at / revoked_at": _("expiry or revocation date"),
    "cycle month": _("month of the cycle"),
    "statement created_at": _("date the statement was loaded"),
    "results import": _("date of the results import"),
    "file time": _("file modification time"),
    "created_at": _("created at"),
    "issued_at": _("issued at"),
    "loaded_at": _("loaded at"),
}


# --------------------------------------------------------------------------------------------
# periods
# --------------------------------------------------------------------------------------------


def _days(name: str) -> Callable[[], str]:
    return lambda: _("%(n)s days") % {"n": getattr(settings, name)}


def _years(n: int | str) -> Callable[[], str]:
    def label() -> str:
        value = getattr(settings, n) if isinstance(n, str) else n
        return _("%(n)s years") % {"n": value}

    return label


def _text(text: Promise | str) -> Callable[[], str]:
    return lambda: str(text)


PERMANENT = _text(_("permanently"))
WHILE_USED = _text(_("while in use"))
ACCOUNTING_YEARS = 10


def cutoff_days(now: dt.datetime, name: str) -> dt.datetime:
    return now - dt.timedelta(days=getattr(settings, name))


def cutoff_years(now: dt.datetime, name: str) -> dt.datetime:
    years = getattr(settings, name)
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


# --------------------------------------------------------------------------------------------
# the rules that act
# --------------------------------------------------------------------------------------------


def _delete(qs: models.QuerySet[Any], dry_run: bool) -> Outcome:
    if dry_run:
        return Outcome(rows=qs.count())
    deleted, _per_model = qs.delete()
    return Outcome(rows=deleted)


def purge_sessions(now: dt.datetime, dry_run: bool) -> Outcome:
    from django.contrib.sessions.models import Session

    return _delete(Session.objects.filter(expire_date__lt=now), dry_run)


def _axes(model: str) -> Apply:
    def apply(now: dt.datetime, dry_run: bool) -> Outcome:
        m = apps.get_model(model)
        return _delete(
            m._default_manager.filter(
                attempt_time__lt=cutoff_days(now, "CHITRA_RETENTION_LOGIN_DAYS")
            ),
            dry_run,
        )

    return apply


def purge_tokens(now: dt.datetime, dry_run: bool) -> Outcome:
    """API tokens of deactivated users, and tokens expired or revoked more than
    CHITRA_RETENTION_LOGIN_DAYS ago (their creation and revocation stay in the audit trail)."""
    model = apps.get_model("iam.ApiToken")
    old = cutoff_days(now, "CHITRA_RETENTION_LOGIN_DAYS")
    qs = model._default_manager.filter(
        models.Q(owner__is_active=False)
        | models.Q(expires_at__lt=old)
        | models.Q(revoked_at__lt=old)
    )
    return _delete(qs, dry_run)


def purge_task_results(now: dt.datetime, dry_run: bool) -> Outcome:
    model = apps.get_model("django_tasks_database.DBTaskResult")
    return _delete(
        model._default_manager.filter(
            status__in=["SUCCESSFUL", "FAILED"],
            finished_at__lt=cutoff_days(now, "CHITRA_RETENTION_TASK_DAYS"),
        ),
        dry_run,
    )


def _upload_root() -> Path:
    return Path(settings.CHITRA_UPLOAD_DIR).resolve()


def _inside_uploads(path: str) -> Path | None:
    """The file, if it lies inside the upload directory (never anything else)."""
    if not path:
        return None
    p = Path(path).resolve()
    root = _upload_root()
    return p if p != root and p.is_relative_to(root) else None


def _remove(path: Path | None, dry_run: bool) -> int:
    if path is None or not path.is_file():
        return 0
    if not dry_run:
        path.unlink(missing_ok=True)
    return 1


def purge_job_files(now: dt.datetime, dry_run: bool) -> Outcome:
    """Uploaded files (job inputs) and error workbooks of jobs finished before the cutoff:
    the files are deleted and the job forgets their paths; the job row (who, when, counts)
    stays for the audit. Then files of the upload directory that no job names, older than
    the cutoff (uploads whose job was never created)."""
    from chitra.core.models import Job

    cutoff = cutoff_days(now, "CHITRA_RETENTION_UPLOAD_DAYS")
    finished = Job.objects.filter(status__in=[Job.Status.SUCCEEDED, Job.Status.FAILED])
    old = finished.filter(finished_at__lt=cutoff) | finished.filter(
        finished_at__isnull=True, created_at__lt=cutoff
    )
    old = old.exclude(input_file="", output_file="")
    rows = files = 0
    for job in old.only("pk", "input_file", "output_file").iterator(chunk_size=500):
        files += _remove(_inside_uploads(job.input_file), dry_run)
        files += _remove(_inside_uploads(job.output_file), dry_run)
        rows += 1
        if not dry_run:
            Job.objects.filter(pk=job.pk).update(
                input_file="", output_file="", updated_at=timezone.now()
            )
    root = _upload_root()
    if root.is_dir():
        named = {
            str(Path(p).resolve())
            for pair in Job.objects.exclude(input_file="", output_file="").values_list(
                "input_file", "output_file"
            )
            for p in pair
            if p
        }
        limit = cutoff.timestamp()
        for dirpath, _dirs, names in os.walk(root):
            for name in names:
                path = Path(dirpath) / name
                if str(path.resolve()) in named:
                    continue
                try:
                    if path.stat().st_mtime < limit:
                        files += _remove(path, dry_run)
                except OSError:
                    continue
    return Outcome(rows=rows, files=files)


def anonymise_contact_notes(now: dt.datetime, dry_run: bool) -> Outcome:
    """Free-text notes of outreach contacts (what a visit found) after the period; the outcome
    of the contact, used by the indicators, stays."""
    from chitra.outreach.models import Contact

    cutoff = cutoff_years(now, "CHITRA_RETENTION_NOTE_YEARS").date()
    qs = Contact.objects.filter(date__lt=cutoff).exclude(note="")
    if dry_run:
        return Outcome(rows=qs.count())
    return Outcome(rows=qs.update(note=""))


def anonymise_ticket_reporters(now: dt.datetime, dry_run: bool) -> Outcome:
    """The name and phone of whoever reported a complaint (often not the beneficiary), once the
    complaint is settled and the period has passed; the complaint and its history stay."""
    from chitra.grievances.models import ACTIVE_STATUSES, Ticket

    cutoff = cutoff_years(now, "CHITRA_RETENTION_NOTE_YEARS")
    qs = (
        Ticket.objects.filter(resolved_at__lt=cutoff)
        .exclude(status__in=ACTIVE_STATUSES)
        .exclude(reporter_name="", reporter_phone="")
    )
    if dry_run:
        return Outcome(rows=qs.count())
    return Outcome(rows=qs.update(reporter_name="", reporter_phone=""))


# --------------------------------------------------------------------------------------------
# the table
# --------------------------------------------------------------------------------------------

D, A, K = Action.DELETE, Action.ANONYMISE, Action.KEEP

_SI_RECORDS = _(
    "Social Insurance Law 41/2024/QH15: BHXH keeps the records of every "
    "beneficiary and of what was paid; kept as the archive schedule of Vietnam "
    "Social Security says (pension files: permanently; to be confirmed with the "
    "archive)"
)
_ACCOUNTING = _(
    "Accounting Law 88/2015/QH13, Art. 41 and Decree 174/2016/NĐ-CP, Art. 12: "
    "accounting documents used directly for bookkeeping are kept at least 10 "
    "years"
)
_REFERENCE = _("Reference data without personal data")
_NOT_AUTOMATIC = _(
    "Never deleted by chitra; at the end of the period the archive decides "
    "(destruction of accounting documents needs a decision and a council, "
    "Decree 174/2016/NĐ-CP, Art. 16)"
)
_EVIDENCE = _(
    "Law 91/2025/QH15: the controller must be able to show how it answered and "
    "handled personal data (evidence of compliance)"
)
_CONFIG = _("Configuration of the system, no personal data")

RULES: tuple[Rule, ...] = (
    # --- Django, third-party apps
    Rule(
        "sessions.Session",
        "expire_date",
        _text(_("until it expires")),
        _("Data minimisation: a session holds only who is logged in"),
        D,
        _("Expired sessions deleted"),
        purge_sessions,
    ),
    Rule(
        "axes.AccessAttempt",
        "attempt_time",
        _days("CHITRA_RETENTION_LOGIN_DAYS"),
        _("Security of processing (log-in lockout); user names and IP addresses"),
        D,
        _("Deleted after the period"),
        _axes("axes.AccessAttempt"),
    ),
    Rule(
        "axes.AccessFailureLog",
        "attempt_time",
        _days("CHITRA_RETENTION_LOGIN_DAYS"),
        _("Security of processing (failed log-ins)"),
        D,
        _("Deleted after the period"),
        _axes("axes.AccessFailureLog"),
    ),
    Rule(
        "axes.AccessLog",
        "attempt_time",
        _days("CHITRA_RETENTION_LOGIN_DAYS"),
        _("Security of processing (log-ins and log-outs)"),
        D,
        _("Deleted after the period"),
        _axes("axes.AccessLog"),
    ),
    Rule(
        "axes.AccessAttemptExpiration",
        "expires_at",
        _days("CHITRA_RETENTION_LOGIN_DAYS"),
        _("Security of processing (log-in lockout)"),
        D,
        _("Deleted with the attempt it belongs to"),
    ),
    Rule(
        "iam.ApiToken",
        "expires_at / revoked_at",
        _days("CHITRA_RETENTION_LOGIN_DAYS"),
        _("Security of processing: a token is a password"),
        D,
        _(
            "Tokens of deactivated users deleted; expired or revoked tokens deleted after the "
            "period (their creation and revocation stay in the audit trail)"
        ),
        purge_tokens,
    ),
    Rule(
        "django_tasks_database.DBTaskResult",
        "finished_at",
        _days("CHITRA_RETENTION_TASK_DAYS"),
        _("Operation of the task queue (holds job numbers, not personal data)"),
        D,
        _("Finished tasks deleted after the period"),
        purge_task_results,
    ),
    Rule(
        "admin.LogEntry",
        "action_time",
        PERMANENT,
        _("Record of changes made in the administration site"),
        K,
        _("Kept with the audit trail"),
    ),
    Rule("auth.Permission", "", WHILE_USED, _CONFIG, K, _("Kept")),
    Rule("auth.Group", "", WHILE_USED, _CONFIG, K, _("Kept")),
    Rule("contenttypes.ContentType", "", WHILE_USED, _CONFIG, K, _("Kept")),
    Rule(
        "otp_totp.TOTPDevice",
        "",
        _text(_("while the user is active")),
        _("Security of processing (two-factor authentication)"),
        K,
        _("Removed when the user's second factor is reset"),
    ),
    Rule(
        "otp_static.StaticDevice",
        "",
        _text(_("while the user is active")),
        _("Security of processing (recovery codes)"),
        K,
        _("Removed when the user's second factor is reset"),
    ),
    Rule(
        "otp_static.StaticToken",
        "",
        _text(_("until used")),
        _("Security of processing (recovery codes)"),
        K,
        _("Removed when used or reset"),
    ),
    # --- core, geo, iam
    Rule(
        "core.AuditEvent",
        "at",
        PERMANENT,
        _(
            "Law 91/2025/QH15 and Decree 356/2025/NĐ-CP: a log of the processing of personal "
            "data; evidence of who did what"
        ),
        K,
        _(
            "Append-only (the database refuses UPDATE and DELETE). Archived, never deleted: "
            "after 10 years a closed year is exported (pg_dump of the rows, with their hash "
            "chain checked by `chitra audit_verify`) to write-once storage of the archive"
        ),
    ),
    Rule(
        "core.AuditSeal",
        "sealed_at",
        PERMANENT,
        _("The hash chain that proves the audit trail was not changed"),
        K,
        _("Append-only, kept and archived with the events it seals"),
    ),
    Rule(
        "core.Job",
        "finished_at",
        _days("CHITRA_RETENTION_UPLOAD_DAYS"),
        _(
            "Data minimisation: uploaded spreadsheets and error workbooks are copies of "
            "personal data, needed only until the import is checked"
        ),
        A,
        _(
            "The uploaded file and the error workbook are deleted and the job forgets them; the "
            "job (who, when, counts) is kept. Files of the upload directory that no job names "
            "are deleted too"
        ),
        purge_job_files,
    ),
    Rule("geo.Province", "", WHILE_USED, _REFERENCE, K, _("Kept")),
    Rule("geo.Commune", "", WHILE_USED, _REFERENCE, K, _("Kept")),
    Rule("geo.BhxhOffice", "", WHILE_USED, _REFERENCE, K, _("Kept")),
    Rule("geo.OfficeArea", "", WHILE_USED, _REFERENCE, K, _("Kept")),
    Rule("iam.Organisation", "", WHILE_USED, _CONFIG, K, _("Kept")),
    Rule(
        "iam.OAuthClient",
        "revoked_at",
        WHILE_USED,
        _("Security of processing: a machine client's secret is a password (its SHA-256)"),
        K,
        _("Revoked when the partner leaves (its creation and revocation stay in the audit trail)"),
    ),
    Rule(
        "iam.User",
        "",
        PERMANENT,
        _("The audit trail names its actors; users are deactivated, never deleted"),
        K,
        _("Deactivated when they leave"),
    ),
    # --- registry
    Rule("registry.Beneficiary", "", PERMANENT, _SI_RECORDS, K, _NOT_AUTOMATIC),
    Rule("registry.Entitlement", "", PERMANENT, _SI_RECORDS, K, _NOT_AUTOMATIC),
    Rule("registry.Representative", "valid_to", PERMANENT, _SI_RECORDS, K, _NOT_AUTOMATIC),
    Rule(
        "registry.Consent",
        "date",
        PERMANENT,
        _("Law 91/2025/QH15: consent must be provable; kept as long as the records it concerns"),
        K,
        _("Append-only; a withdrawal is a new row"),
    ),
    # --- verification
    Rule("verification.VerificationRun", "created_at", PERMANENT, _SI_RECORDS, K, _NOT_AUTOMATIC),
    Rule(
        "verification.VerificationRunArea",
        "",
        PERMANENT,
        _SI_RECORDS,
        K,
        _("Kept with its run (counts per commune, no personal data)"),
    ),
    Rule(
        "verification.VerificationResult",
        "created_at",
        PERMANENT,
        _(
            "Evidence of suspensions after death and of cleaned records (Social Insurance Law "
            "41/2024/QH15, Art. 75)"
        ),
        K,
        _NOT_AUTOMATIC,
    ),
    Rule(
        # what the population register said, and when: evidence of the suspensions it caused
        "verification.RegisterMessage",
        "received_at",
        PERMANENT,
        _SI_RECORDS,
        K,
        _NOT_AUTOMATIC,
    ),
    Rule("verification.RegisterEvent", "received_at", PERMANENT, _SI_RECORDS, K, _NOT_AUTOMATIC),
    Rule("verification.RegisterSubscription", "", WHILE_USED, _CONFIG, K, _("Kept")),
    Rule("verification.PersonStatus", "", PERMANENT, _SI_RECORDS, K, _("Kept, updated in place")),
    Rule("verification.CleaningTask", "resolved_at", PERMANENT, _SI_RECORDS, K, _NOT_AUTOMATIC),
    Rule("verification.Suspension", "created_at", PERMANENT, _SI_RECORDS, K, _NOT_AUTOMATIC),
    # the person was told before payment into the account stopped (ADR 0011)
    Rule("verification.ProofOfLifeReminder", "sent_at", PERMANENT, _SI_RECORDS, K, _NOT_AUTOMATIC),
    Rule(
        "verification.Recovery",
        "created_at",
        _years(ACCOUNTING_YEARS),
        _ACCOUNTING,
        K,
        _NOT_AUTOMATIC,
    ),
    # --- payment methods
    Rule("payment_methods.Provider", "", WHILE_USED, _REFERENCE, K, _("Kept")),
    Rule("payment_methods.Coverage", "", WHILE_USED, _REFERENCE, K, _("Kept")),
    Rule(
        "payment_methods.Account",
        "closed_at",
        _years(ACCOUNTING_YEARS),
        _ACCOUNTING,
        K,
        _("Kept encrypted (account numbers); never deleted by chitra: payments name them"),
    ),
    Rule(
        "payment_methods.PaymentMethod",
        "effective_month",
        _years(ACCOUNTING_YEARS),
        _ACCOUNTING,
        K,
        _NOT_AUTOMATIC,
    ),
    Rule(
        "payment_methods.MapperMessage",
        "received_at",
        _years(ACCOUNTING_YEARS),
        _(
            "Record of each disclosure of a financial address to another programme, with the "
            "consent it relied on (Law 91/2025/QH15 on personal data protection)"
        ),
        K,
        _NOT_AUTOMATIC,
    ),
    Rule(
        "payment_methods.ChangeRequest",
        "decided_at",
        _years(ACCOUNTING_YEARS),
        _(
            "Evidence of the person's choice and consent (Law 91/2025/QH15) and of where "
            "money was sent (accounting, 10 years)"
        ),
        K,
        _("Kept with the scanned consent forms (files:consent-forms)"),
    ),
    Rule(
        "payment_methods.AccountNotice",
        "created_at",
        _years(ACCOUNTING_YEARS),
        _(
            "What a provider said about an account and what became of it: evidence of every "
            "attempt to change where money goes (accounting, 10 years)"
        ),
        K,
        _("Kept encrypted (account numbers); never deleted by chitra"),
    ),
    # --- outreach
    Rule(
        "outreach.Campaign",
        "end_date",
        PERMANENT,
        _("Plan reporting (no personal data)"),
        K,
        _("Kept"),
    ),
    Rule(
        "outreach.Assignment",
        "last_contact_date",
        PERMANENT,
        _("Plan reporting: who was reached"),
        K,
        _("Kept"),
    ),
    Rule(
        "outreach.Contact",
        "date",
        _years("CHITRA_RETENTION_NOTE_YEARS"),
        _(
            "Data minimisation: free-text notes of a visit are not needed once the campaign "
            "is reported"
        ),
        A,
        _("The note is cleared; the outcome is kept for the indicators"),
        anonymise_contact_notes,
    ),
    Rule("outreach.DeathReport", "reported_at", PERMANENT, _SI_RECORDS, K, _NOT_AUTOMATIC),
    # --- monthly payments
    Rule("disbursement.Cycle", "month", _years(ACCOUNTING_YEARS), _ACCOUNTING, K, _NOT_AUTOMATIC),
    Rule(
        "disbursement.CycleMonth", "month", _years(ACCOUNTING_YEARS), _ACCOUNTING, K, _NOT_AUTOMATIC
    ),
    Rule(
        "disbursement.CycleItem",
        "cycle month",
        _years(ACCOUNTING_YEARS),
        _ACCOUNTING,
        K,
        _NOT_AUTOMATIC,
    ),
    Rule(
        "disbursement.Batch",
        "released_at",
        _years(ACCOUNTING_YEARS),
        _ACCOUNTING,
        K,
        _NOT_AUTOMATIC,
    ),
    Rule(
        "disbursement.PayrollLine",
        "period_month",
        _years(ACCOUNTING_YEARS),
        _ACCOUNTING,
        K,
        _NOT_AUTOMATIC,
    ),
    Rule("disbursement.LineEvent", "at", _years(ACCOUNTING_YEARS), _ACCOUNTING, K, _NOT_AUTOMATIC),
    Rule(
        "disbursement.Exclusion",
        "cycle month",
        _years(ACCOUNTING_YEARS),
        _ACCOUNTING,
        K,
        _NOT_AUTOMATIC,
    ),
    Rule(
        "disbursement.PaymentFile",
        "created_at",
        _years(ACCOUNTING_YEARS),
        _ACCOUNTING,
        K,
        _("Kept with the files (files:payment-files)"),
    ),
    Rule(
        "disbursement.ResultImport",
        "created_at",
        _years(ACCOUNTING_YEARS),
        _ACCOUNTING,
        K,
        _NOT_AUTOMATIC,
    ),
    Rule(
        "disbursement.BankStatement",
        "created_at",
        _years(ACCOUNTING_YEARS),
        _ACCOUNTING,
        K,
        _NOT_AUTOMATIC,
    ),
    Rule(
        "disbursement.StatementBatch",
        "statement created_at",
        _years(ACCOUNTING_YEARS),
        _ACCOUNTING,
        K,
        _NOT_AUTOMATIC,
    ),
    Rule(
        # a bank's answer on a payee's name, with the name it returned: kept with the results
        # import it came in (deleted with it)
        "disbursement.PayeeNameCheck",
        "results import",
        _years(ACCOUNTING_YEARS),
        _ACCOUNTING,
        K,
        _NOT_AUTOMATIC,
    ),
    Rule("disbursement.ReturnReason", "", WHILE_USED, _CONFIG, K, _("Kept")),
    Rule("disbursement.ProviderProfile", "", WHILE_USED, _CONFIG, K, _("Kept")),
    Rule(
        "disbursement.G2PMessage",
        "at",
        _years(ACCOUNTING_YEARS),
        _ACCOUNTING,
        K,
        _NOT_AUTOMATIC,
    ),
    Rule("disbursement.PaySchedule", "", WHILE_USED, _CONFIG, K, _("Kept")),
    # --- reports
    Rule("reports.KpiValue", "month", PERMANENT, _("Aggregates, no personal data"), K, _("Kept")),
    Rule(
        "reports.KpiRefresh",
        "computed_at",
        PERMANENT,
        _("Aggregates, no personal data"),
        K,
        _("Kept"),
    ),
    Rule("reports.Target", "", PERMANENT, _("Plan targets, no personal data"), K, _("Kept")),
    Rule(
        "reports.IssuedReport",
        "issued_at",
        PERMANENT,
        _("Administrative documents (Archives Law 33/2024/QH15); aggregates"),
        K,
        _("Never changed (the database refuses it); kept with their files (files:issued-reports)"),
    ),
    Rule("reports.PlanTask", "", PERMANENT, _("Plan tracking, no personal data"), K, _("Kept")),
    Rule("reports.PlanUpdate", "at", PERMANENT, _("Plan tracking, no personal data"), K, _("Kept")),
    # --- complaints
    Rule(
        "grievances.Ticket",
        "resolved_at",
        _years("CHITRA_RETENTION_NOTE_YEARS"),
        _(
            "Law on Complaints 02/2011/QH13: the file of a complaint is kept; the reporter's "
            "identity is not needed once it is settled"
        ),
        A,
        _("Name and phone of the reporter cleared; the complaint and its history kept"),
        anonymise_ticket_reporters,
    ),
    Rule(
        "grievances.TicketEvent",
        "at",
        PERMANENT,
        _("The history of a complaint"),
        K,
        _("Kept with the complaint"),
    ),
    # --- personal-data law
    Rule("privacy.DataSubjectRequest", "closed_at", PERMANENT, _EVIDENCE, K, _("Kept")),
    Rule("privacy.CorrectionRequest", "decided_at", PERMANENT, _EVIDENCE, K, _("Kept")),
    Rule(
        "privacy.Breach",
        "detected_at",
        PERMANENT,
        _(
            "Law 91/2025/QH15: the handling of each breach and its notice to the authority "
            "must be shown"
        ),
        K,
        _("Kept"),
    ),
    # --- files on disk
    Rule(
        "files:uploads",
        "file time",
        _days("CHITRA_RETENTION_UPLOAD_DAYS"),
        _(
            "Data minimisation (CHITRA_UPLOAD_DIR: uploaded spreadsheets, results files, error "
            "workbooks)"
        ),
        D,
        _("Deleted with the job rule above (core.Job)"),
    ),
    Rule(
        "files:payment-files",
        "created_at",
        _years(ACCOUNTING_YEARS),
        _ACCOUNTING,
        K,
        _(
            "CHITRA_PAYMENT_FILES_DIR: never rewritten, SHA-256 checked; backed up; "
            "destruction is an archive decision"
        ),
    ),
    Rule(
        "files:consent-forms",
        "created_at",
        _years(ACCOUNTING_YEARS),
        _("Evidence of consent (Law 91/2025/QH15)"),
        K,
        _("MEDIA_ROOT/consent: kept with their change request"),
    ),
    Rule(
        "files:issued-reports",
        "issued_at",
        PERMANENT,
        _("Administrative documents (Archives Law 33/2024/QH15)"),
        K,
        _("CHITRA_REPORTS_DIR: kept"),
    ),
    Rule(
        "files:register-extract",
        "loaded_at",
        _text(_("until the next load")),
        _(
            "A copy of the national population register for verification (Decree 356/2025: "
            "processing limited to the purpose)"
        ),
        K,
        _(
            "CHITRA_REGISTER_STORE: replaced by each `register_load` (the store keeps the "
            "changes between loads, to detect deaths); extract files given to the command are "
            "deleted by the operator after the load"
        ),
    ),
)


def rule_for(target: str) -> Rule | None:
    return next((r for r in RULES if r.target.lower() == target.lower()), None)


def acting_rules() -> list[Rule]:
    return [
        r
        for r in RULES
        if r.action != Action.KEEP and r.apply is not None and (r.is_files or r.model() is not None)
    ]


@dataclass(frozen=True)
class PurgeLine:
    rule: Rule
    outcome: Outcome


def retention_purge(
    *, actor: User, dry_run: bool = False, now: dt.datetime | None = None
) -> list[PurgeLine]:
    """Apply every delete and anonymise rule; return what each did. The whole run is one
    transaction (files are removed as it goes: a file removed stays removed) and one audit
    event with the counts per table. Only a national actor (the system) runs it: sessions and
    log-in records are not any province's."""
    if actor is None or not actor.is_national:
        raise PermissionDenied(_("Only the system actor runs the retention purge."))
    now = now or timezone.now()
    out: list[PurgeLine] = []
    with transaction.atomic():
        for rule in acting_rules():
            assert rule.apply is not None
            out.append(PurgeLine(rule, rule.apply(now, dry_run)))
        audit_record(
            actor,
            "privacy.retention.purge" + (".dry_run" if dry_run else ""),
            object_type="privacy.retention",
            object_repr=now.isoformat()[:19],
            after={
                line.rule.target: {"rows": line.outcome.rows, "files": line.outcome.files}
                for line in out
            },
        )
    return out
