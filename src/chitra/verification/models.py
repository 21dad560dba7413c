"""Verification runs against the population register, their outcomes, the cleaning work they
create, suspensions after death and the money to recover."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chitra.core.models import BaseModel, Job
from chitra.geo.models import Commune
from chitra.registry.models import Beneficiary, Entitlement


class Outcome(models.TextChoices):
    VERIFIED = "verified", _("Verified")
    MISMATCH = "mismatch", _("Field mismatch")
    DECEASED = "deceased", _("Deceased")
    NOT_FOUND = "not_found", _("Not found")
    INVALID_ID = "invalid_id", _("Invalid ID")
    NO_ID = "no_id", _("No ID")
    DUPLICATE = "duplicate", _("Duplicate")


class VerificationRun(BaseModel):
    """One check of the registry against the register. It covers an area (`areas`: every
    commune its starter's area held, within `province_code`), and it is seen by the users of
    that area whoever started it (a page, `chitra verify`, a schedule), with the counts of
    their own communes."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    class Origin(models.TextChoices):
        PAGE = "page", _("Web page")
        COMMAND = "command", _("Command line")
        SCHEDULE = "schedule", _("Schedule")

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )
    job = models.OneToOneField(
        Job, on_delete=models.PROTECT, null=True, blank=True, related_name="verification_run"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RUNNING
    )
    connector = models.CharField(_("register connector"), max_length=32)
    register_loaded_at = models.CharField(_("register extract of"), max_length=64, blank=True)
    #: the province covered ("" only for a national run of every province)
    province_code = models.CharField(_("province"), max_length=2, blank=True)
    #: the starter's area was a list of communes (not a whole province)
    commune_scoped = models.BooleanField(_("some communes only"), default=False)
    origin = models.CharField(
        _("started from"), max_length=16, choices=Origin.choices, default=Origin.COMMAND
    )
    #: a re-check of the people whose register entry changed since then
    changed_since = models.DateTimeField(_("register changes since"), null=True, blank=True)
    total = models.IntegerField(_("total"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("verification run")
        verbose_name_plural = _("verification runs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def connector_label(self) -> str:
        labels = {"file": _("register extract"), "http": _("register gateway")}
        return str(labels.get(self.connector, self.connector))

    @property
    def register_loaded_label(self) -> str:
        """When the extract was loaded, in local time (the stored value is UTC without a zone),
        or the gateway's address as it was recorded."""
        import datetime as dt

        from django.utils import timezone

        try:
            loaded = dt.datetime.fromisoformat(self.register_loaded_at)
        except ValueError:
            return self.register_loaded_at
        if timezone.is_naive(loaded):
            loaded = loaded.replace(tzinfo=dt.UTC)
        return f"{timezone.localtime(loaded):%d/%m/%Y %H:%M}"


#: the outcome counters of `VerificationRunArea`, one column per outcome
OUTCOME_FIELDS: tuple[str, ...] = tuple(Outcome.values)


class VerificationRunArea(models.Model):
    """A commune a run covers, with the run's counts there (by the beneficiaries' commune when
    the run applied its outcomes). Written as the run starts (every commune, zero) and filled
    in the transaction that applies the outcomes; the list of runs and their counts are read
    from here through the viewer's scope."""

    run = models.ForeignKey(VerificationRun, on_delete=models.CASCADE, related_name="areas")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    total = models.IntegerField(_("total"), default=0)
    verified = models.IntegerField(default=0)
    mismatch = models.IntegerField(default=0)
    deceased = models.IntegerField(default=0)
    not_found = models.IntegerField(default=0)
    invalid_id = models.IntegerField(default=0)
    no_id = models.IntegerField(default=0)
    duplicate = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("area of a verification run")
        verbose_name_plural = _("areas of verification runs")
        constraints = [
            models.UniqueConstraint(fields=["run", "commune"], name="vrunarea_one_per_commune"),
            models.CheckConstraint(
                condition=Q(
                    total=models.F("verified")
                    + models.F("mismatch")
                    + models.F("deceased")
                    + models.F("not_found")
                    + models.F("invalid_id")
                    + models.F("no_id")
                    + models.F("duplicate")
                ),
                name="vrunarea_total_is_the_sum",
            ),
        ]
        indexes = [models.Index(fields=["commune", "run"], name="vrunarea_commune_run_idx")]

    def __str__(self) -> str:
        return f"{self.run_id} {self.commune_id}: {self.total}"


#: the codes of ``VerificationResult.mismatched_fields``
MISMATCH_LABELS = {"name": _("full name"), "dob": _("date of birth"), "sex": _("sex")}


class VerificationResult(models.Model):
    """One beneficiary's outcome in one run, with the register's values for cleaning."""

    run = models.ForeignKey(VerificationRun, on_delete=models.CASCADE, related_name="results")
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="verification_results"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    mismatched_fields = models.CharField(_("mismatched fields"), max_length=32, blank=True)
    name_accents = models.BooleanField(_("name differs in accents only"), default=False)
    candidate_ids = models.CharField(_("candidates"), max_length=64, blank=True)
    candidate_scores = models.CharField(_("candidate scores"), max_length=32, blank=True)
    reg_full_name = models.CharField(_("name in the register"), max_length=150, blank=True)
    reg_birth_date = models.CharField(_("date of birth in the register"), max_length=10, blank=True)
    reg_sex = models.CharField(_("sex in the register"), max_length=1, blank=True)
    reg_commune_code = models.CharField(_("commune in the register"), max_length=5, blank=True)
    death_date = models.DateField(_("date of death"), null=True, blank=True)

    class Meta:
        verbose_name = _("verification result")
        verbose_name_plural = _("verification results")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "beneficiary"], name="verification_one_result_per_run"
            )
        ]
        indexes = [models.Index(fields=["run", "outcome"], name="vresult_run_outcome_idx")]

    def __str__(self) -> str:
        return f"{self.beneficiary_id}: {self.outcome}"

    @property
    def reg_birth_label(self) -> str:
        """The register's date of birth as Vietnamese dates are written (it keeps its precision)."""
        parts = self.reg_birth_date.split("-")
        return "/".join(reversed(parts)) if all(p.isdigit() for p in parts) else self.reg_birth_date

    @property
    def reg_sex_label(self) -> str:
        from chitra.registry.models import Sex

        try:
            return str(Sex(self.reg_sex).label)
        except ValueError:
            return self.reg_sex

    @property
    def mismatched_labels(self) -> str:
        """The fields that differ from the register, in words (stored as ``name;dob;sex``)."""
        return ", ".join(
            str(MISMATCH_LABELS.get(f, f)) for f in self.mismatched_fields.split(";") if f
        )

    def candidates(self) -> list[tuple[str, float]]:
        ids = [c for c in self.candidate_ids.split(";") if c]
        scores = [float(s) for s in self.candidate_scores.split(";") if s]
        return list(zip(ids, scores, strict=False))


class PersonStatus(models.Model):
    """The latest verification state of a beneficiary (plan task 6)."""

    beneficiary = models.OneToOneField(
        Beneficiary, on_delete=models.CASCADE, primary_key=True, related_name="verification"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    last_result = models.ForeignKey(
        VerificationResult, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_verified_at = models.DateTimeField(_("last verified"))
    #: confirmed on CSDLQGDC: verified against the register, or cleaned and confirmed
    confirmed_on_register = models.BooleanField(
        _("confirmed on the population register"), default=False
    )
    #: last time the register showed the person alive (proof of life)
    alive_seen_at = models.DateTimeField(
        _("last seen alive in the register"), null=True, blank=True
    )
    identity_confirmed_at = models.DateTimeField(
        _("identity confirmed in person"), null=True, blank=True
    )
    identity_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("verification status")
        verbose_name_plural = _("verification statuses")
        indexes = [
            models.Index(fields=["outcome"], name="pstatus_outcome_idx"),
            models.Index(fields=["alive_seen_at"], name="pstatus_alive_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary_id}: {self.outcome}"


class CleaningTask(BaseModel):
    """Work for a commune: a beneficiary whose record is not verified."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    class Resolution(models.TextChoices):
        TOOK_REGISTER_VALUES = "took_register_values", _("Register values taken")
        FLAGGED_REGISTER = "flagged_register", _("Register entry flagged for correction")
        CONFIRMED_IN_PERSON = "confirmed_in_person", _("Identity confirmed in person")
        LINKED_CANDIDATE = "linked_candidate", _("Linked to a register person")
        MERGED = "merged", _("Duplicates merged")
        SUPERSEDED = "superseded", _("Verified by a later run")

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="cleaning_tasks"
    )
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    result = models.ForeignKey(
        VerificationResult, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cleaning_tasks",
        verbose_name=_("assigned to"),
    )
    resolution = models.CharField(
        _("resolution"), max_length=32, choices=Resolution.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("cleaning task")
        verbose_name_plural = _("cleaning tasks")
        ordering = ["commune_id", "outcome", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary"],
                condition=Q(status="open"),
                name="cleaning_one_open_task_per_beneficiary",
            ),
            models.CheckConstraint(
                condition=Q(status="open", resolution="") | (~Q(status="open") & ~Q(resolution="")),
                name="cleaning_resolved_has_resolution",
            ),
        ]
        indexes = [models.Index(fields=["commune", "status", "outcome"], name="cleaning_queue_idx")]

    def __str__(self) -> str:
        return f"{self.beneficiary_id} {self.outcome} ({self.status})"


class Suspension(BaseModel):
    """An entitlement suspended from a month (death, overdue proof of life...); reversible."""

    class Reason(models.TextChoices):
        DECEASED = "deceased", _("Deceased according to the population register")
        PROOF_OF_LIFE = "proof_of_life", _("Proof of life overdue")
        PROVIDER_REPORT = "provider_report", _("Reported by the paying provider")

    entitlement = models.ForeignKey(
        Entitlement, on_delete=models.PROTECT, related_name="suspensions"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    from_month = models.DateField(_("from month"))
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    previous_status = models.CharField(max_length=16)
    previous_reason = models.CharField(max_length=255, blank=True)
    result = models.ForeignKey(
        VerificationResult, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reversal_reason = models.TextField(_("reason of the reversal"), blank=True)

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["entitlement", "reason"],
                condition=Q(reversed_at__isnull=True),
                name="suspension_one_active_per_reason",
            ),
            models.CheckConstraint(
                condition=Q(from_month__day=1), name="suspension_from_first_of_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entitlement_id} {self.reason} {self.from_month:%m/%Y}"


class Recovery(BaseModel):
    """Money paid after death, to recover (truy thu; list form C75-HD)."""

    class Status(models.TextChoices):
        OPEN = "open", _("To recover")
        RECOVERED = "recovered", _("Recovered")
        CANCELLED = "cancelled", _("Cancelled")

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="recoveries"
    )
    entitlement = models.ForeignKey(
        Entitlement, on_delete=models.PROTECT, related_name="recoveries"
    )
    suspension = models.OneToOneField(Suspension, on_delete=models.PROTECT, related_name="recovery")
    death_date = models.DateField(_("date of death"))
    first_month = models.DateField(_("first month paid after death"))
    last_month = models.DateField(_("last month paid"))
    months = models.IntegerField(_("months paid after death"))
    amount = models.BigIntegerField(_("amount to recover (VND)"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )

    class Meta:
        verbose_name = _("recovery")
        verbose_name_plural = _("recoveries")
        ordering = ["-amount"]
        constraints = [
            models.CheckConstraint(
                condition=Q(months__gt=0) & Q(amount__gt=0), name="recovery_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary_id}: {self.amount:,} đ"


class ProofOfLifeReminder(models.Model):
    """A beneficiary paid into an account was told that their proof of life is due (or
    overdue): once per person and due date (`chitra proof_of_life_remind`, run daily)."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="proof_of_life_reminders"
    )
    due_on = models.DateField(_("due on"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("proof-of-life reminder")
        verbose_name_plural = _("proof-of-life reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "due_on"], name="pol_reminder_once_per_due_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary_id}: {self.due_on}"


class RegisterMessage(models.Model):
    """A G2P Connect registry message received from the population register (``/notify``,
    ``/on-search``, ``/on-subscribe``): unique by (sender, message_id), so a repeated callback
    is answered again and never applied twice."""

    sender_id = models.CharField(_("sender"), max_length=99)
    message_id = models.CharField(_("message id"), max_length=99)
    action = models.CharField(_("action"), max_length=32)
    transaction_id = models.CharField(_("transaction id"), max_length=99, blank=True)
    status = models.CharField(_("status"), max_length=4, blank=True)
    sha256 = models.CharField(max_length=64)
    events = models.IntegerField(_("events"), default=0)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("register message")
        verbose_name_plural = _("register messages")
        constraints = [
            models.UniqueConstraint(
                fields=["sender_id", "message_id"], name="register_message_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.message_id}"


class RegisterEvent(models.Model):
    """A death or a correction the register notified (``/notify``): read by the periodic
    re-check (``verification_run --changed-since``) with the connector's own change feed."""

    class Kind(models.TextChoices):
        DEATH = "death", _("Death")
        CORRECTION = "correction", _("Correction")

    message = models.ForeignKey(RegisterMessage, on_delete=models.PROTECT, related_name="+")
    reference_id = models.CharField(_("reference"), max_length=99)
    personal_id = models.CharField(_("personal ID"), max_length=12, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    death_date = models.DateField(_("date of death"), null=True, blank=True)
    event_at = models.DateTimeField(_("event time"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("register event")
        verbose_name_plural = _("register events")

    def __str__(self) -> str:
        return f"{self.kind} {self.personal_id}"


class RegisterSubscription(models.Model):
    """A subscription chitra holds at the register (``/subscribe``), by its code."""

    code = models.CharField(_("subscription code"), max_length=99, unique=True)
    reference_id = models.CharField(_("reference"), max_length=99)
    transaction_id = models.CharField(_("transaction id"), max_length=99)
    status = models.CharField(_("status"), max_length=12, default="subscribe")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("register subscription")
        verbose_name_plural = _("register subscriptions")

    def __str__(self) -> str:
        return self.code
