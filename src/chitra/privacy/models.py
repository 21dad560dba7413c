"""Personal-data law (Law 91/2025/QH15, Decree 356/2025/NĐ-CP): a person's requests about their
data, corrections of their record decided by a second person, and the register of personal-data
breaches with the 72-hour clock to notify the authority. The consent log itself lives in the
registry (`registry.Consent`), which the apps below this one write to."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chitra.core.models import BaseModel
from chitra.geo.models import Province
from chitra.registry.models import Beneficiary, Consent


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access to their data")
    CORRECTION = "correction", _("Correction of their data")
    OBJECTION = "objection", _("Objection to or restriction of processing")
    WITHDRAWAL = "withdrawal", _("Withdrawal of consent")
    DELETION = "deletion", _("Deletion of their data")


class RequestChannel(models.TextChoices):
    IN_PERSON = "in_person", _("In person at the office")
    LETTER = "letter", _("Letter or paper form")
    PHONE = "phone", _("Phone call")
    ELECTRONIC = "electronic", _("Electronic (e-mail, public service portal)")


class DataSubjectRequest(BaseModel):
    """A person's request about their personal data, answered by BHXH of their area."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged, being handled")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused, with the reason")

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="privacy_requests",
        verbose_name=_("beneficiary"),
    )
    kind = models.CharField(_("kind of request"), max_length=16, choices=RequestKind.choices)
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("received via"), max_length=16, choices=RequestChannel.choices)
    #: empty when the person asks themselves; else the representative's name and capacity
    requester_name = models.CharField(
        _("requested by (if not the person)"), max_length=150, blank=True
    )
    requester_capacity = models.CharField(
        _("capacity of the requester"), max_length=100, blank=True
    )
    description = models.TextField(_("what is asked"), blank=True)
    #: the purpose whose consent is withdrawn (withdrawal requests)
    purpose = models.CharField(
        _("purpose"), max_length=32, choices=Consent.Purpose.choices, blank=True
    )
    acknowledge_by = models.DateField(_("acknowledge by"))
    due_date = models.DateField(_("answer by"))
    extension_reason = models.TextField(_("reason of the extension"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    exported_at = models.DateTimeField(_("data handed out at"), null=True, blank=True)
    outcome = models.TextField(_("answer"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("received_on"))
                & Q(acknowledge_by__gte=models.F("received_on")),
                name="privacy_request_deadlines_after_receipt",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["done", "refused"])
                | (Q(closed_at__isnull=False) & ~Q(outcome="")),
                name="privacy_request_closed_has_answer",
            ),
            models.CheckConstraint(
                condition=~Q(kind="withdrawal") | ~Q(purpose=""),
                name="privacy_withdrawal_names_purpose",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="privacy_request_due_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.RECEIVED, self.Status.ACKNOWLEDGED)

    @property
    def overdue(self) -> bool:
        """Still open after its legal deadline."""
        return self.is_open and self.due_date < timezone.localdate()

    @property
    def acknowledgement_overdue(self) -> bool:
        return self.status == self.Status.RECEIVED and self.acknowledge_by < timezone.localdate()


class CorrectionRequest(BaseModel):
    """A correction of a person's record, made by one officer and decided by another (a BHXH
    approver), with the evidence seen; applied through the registry's correction service."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for a decision")
        APPROVED = "approved", _("Approved and applied")
        REJECTED = "rejected", _("Rejected")

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="correction_requests",
        verbose_name=_("beneficiary"),
    )
    data_request = models.ForeignKey(
        DataSubjectRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("data-subject request"),
    )
    #: the corrected values (registry.services.correction_values: dates ISO, commune by code)
    changes = models.JSONField(_("corrected values"))
    #: the record's values when the correction was asked
    before = models.JSONField(_("values before"))
    evidence = models.TextField(_("evidence seen"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    maker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("made by"),
    )
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(checker__isnull=True) | ~Q(checker=models.F("maker")),
                name="privacy_correction_maker_is_not_checker",
            ),
            models.CheckConstraint(
                condition=Q(status="submitted", checker__isnull=True)
                | (~Q(status="submitted") & Q(checker__isnull=False) & Q(decided_at__isnull=False)),
                name="privacy_correction_decided_has_checker",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_note=""),
                name="privacy_correction_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.get_status_display()})"


class DataCategory(models.TextChoices):
    IDENTITY = "identity", _("Identity (name, personal ID, date of birth)")
    CONTACT = "contact", _("Address and phone")
    FINANCIAL = "financial", _("Bank, mobile-money or wallet accounts")
    PAYMENTS = "payments", _("Payments and benefit amounts")
    HEALTH = "health", _("Health (illness, incapacity)")
    LOCATION = "location", _("Location")
    CREDENTIALS = "credentials", _("Log-in names and passwords")
    OTHER = "other", _("Other")


#: categories that are sensitive personal data (Decree 356/2025/NĐ-CP, Article 4)
SENSITIVE_CATEGORIES = frozenset(
    {
        DataCategory.FINANCIAL,
        DataCategory.PAYMENTS,
        DataCategory.HEALTH,
        DataCategory.LOCATION,
        DataCategory.CREDENTIALS,
    }
)

#: the competent authority a breach is notified to
DEFAULT_AUTHORITY = (
    "Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao (A05), Bộ Công an"
)


class Breach(BaseModel):
    """A personal-data breach: what happened, to whose data, what was done, and the notice to
    the competent authority (A05, Ministry of Public Security) within 72 hours of detection."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open: authority not notified yet")
        NOTIFIED = "notified", _("Authority notified")
        CLOSED = "closed", _("Closed")

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    detected_at = models.DateTimeField(_("detected at"))
    reported_by = models.CharField(_("reported by"), max_length=200)
    description = models.TextField(_("what happened"))
    data_categories = models.JSONField(_("categories of data"), default=list)
    data_description = models.TextField(_("what data"), blank=True)
    subjects = models.CharField(_("whose data"), max_length=200, blank=True)
    affected_count = models.IntegerField(_("people affected (estimate)"), default=0)
    measures = models.TextField(_("measures taken"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    authority = models.CharField(_("notified to"), max_length=255, default=DEFAULT_AUTHORITY)
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    notification_reference = models.CharField(
        _("reference of the notice"), max_length=100, blank=True
    )
    late_reason = models.TextField(_("reason the notice was late"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closure_note = models.TextField(_("closing note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("personal-data breach")
        verbose_name_plural = _("personal-data breaches")
        ordering = ["-detected_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(affected_count__gte=0), name="privacy_breach_count_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(status="notified")
                | (Q(notified_at__isnull=False) & ~Q(notification_reference="")),
                name="privacy_breach_notified_has_notice",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="privacy_breach_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {timezone.localtime(self.detected_at):%d/%m/%Y %H:%M}"

    @property
    def deadline(self) -> dt.datetime:
        """When the authority must have been notified: detection + 72 hours."""
        return self.detected_at + dt.timedelta(hours=settings.CHITRA_BREACH_NOTIFY_HOURS)

    @property
    def overdue(self) -> bool:
        return self.status == self.Status.OPEN and timezone.now() > self.deadline

    @property
    def notified_late(self) -> bool:
        return self.notified_at is not None and self.notified_at > self.deadline

    @property
    def hours_left(self) -> int:
        return int((self.deadline - timezone.now()).total_seconds() // 3600)

    @property
    def sensitive(self) -> bool:
        return bool(SENSITIVE_CATEGORIES & set(self.data_categories or []))

    def get_data_categories_display(self) -> str:
        labels = dict(DataCategory.choices)
        return ", ".join(str(labels.get(c, c)) for c in self.data_categories or [])
