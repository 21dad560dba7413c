"""Complaints and fraud reports: a ticket per complaint, routed to the organisation that must
answer it (BHXH, a bank or provider, the State Bank branch, the police) with a deadline, linked
to the beneficiary and the payment, and its history (`TicketEvent`) beside the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chitra.core.models import BaseModel
from chitra.core.states import StateMachine, moves
from chitra.geo.models import Commune
from chitra.iam.models import BHXH_KINDS, PROVIDER_KINDS, Organisation, OrgKind
from chitra.registry.models import Beneficiary


class Category(models.TextChoices):
    PAYMENT_NOT_RECEIVED = "payment_not_received", _("Payment not received")
    WRONG_AMOUNT = "wrong_amount", _("Wrong amount")
    ACCOUNT_PROBLEM = "account_problem", _("Account problem")
    SCAM_ATTEMPT = "scam_attempt", _("Scam attempt")
    SUSPECTED_FRAUD = "suspected_fraud", _("Suspected fraud")
    DATA_ERROR = "data_error", _("Data error")


#: Categories the police handle (and the State Bank branch oversees).
FRAUD_CATEGORIES = frozenset({Category.SCAM_ATTEMPT, Category.SUSPECTED_FRAUD})


#: Organisations a ticket may be routed to (those who work complaints).
ROUTABLE_KINDS = (
    BHXH_KINDS
    | PROVIDER_KINDS
    | frozenset({OrgKind.POLICE_PROVINCE, OrgKind.POLICE_COMMUNE, OrgKind.STATE_BANK})
)


class Source(models.TextChoices):
    OFFICER = "officer", _("An officer")
    PROVIDER = "provider", _("A bank or provider")
    API = "api", _("Another system (API)")
    BENEFICIARY = "beneficiary", _("A beneficiary or their family")


class ReceivedVia(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    PHONE = "phone", _("Phone")
    HOTLINE = "hotline", _("Hotline")
    LETTER = "letter", _("Letter")
    WEB = "web", _("Web")
    API = "api", _("API")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_INFO = "waiting_info", _("Waiting for information")
    RESOLVED = "resolved", _("Resolved")
    REJECTED = "rejected", _("Not founded")
    CLOSED = "closed", _("Closed")


#: Statuses of a ticket still being worked (it may be overdue).
ACTIVE_STATUSES = frozenset({Status.OPEN, Status.IN_PROGRESS, Status.WAITING_INFO})
#: Statuses of a ticket with a resolution recorded.
DONE_STATUSES = frozenset({Status.RESOLVED, Status.REJECTED, Status.CLOSED})

_S = Status
#: the moves of a complaint (`grievances.services`): worked (open, in progress, waiting for
#: information: "status" sets one of them, "route" sends it to another organisation, open
#: again), answered ("resolve": resolved, or not founded), closed once answered, reopened
TICKET = StateMachine(
    "ticket",
    (
        (_S.OPEN, "status", _S.IN_PROGRESS),
        (_S.WAITING_INFO, "status", _S.IN_PROGRESS),
        (_S.OPEN, "status", _S.WAITING_INFO),
        (_S.IN_PROGRESS, "status", _S.WAITING_INFO),
        (_S.IN_PROGRESS, "status", _S.OPEN),
        (_S.WAITING_INFO, "status", _S.OPEN),
        *moves(sorted(ACTIVE_STATUSES), "route", _S.OPEN),
        *moves(sorted(ACTIVE_STATUSES), "assign"),
        *moves(sorted(ACTIVE_STATUSES), "resolve", _S.RESOLVED),
        *moves(sorted(ACTIVE_STATUSES), "resolve", _S.REJECTED),
        (_S.RESOLVED, "status", _S.CLOSED),
        (_S.REJECTED, "status", _S.CLOSED),
        *moves(sorted(DONE_STATUSES), "reopen", _S.OPEN),
        *moves([s for s in Status if s != _S.CLOSED], "comment"),
    ),
)


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class ResolutionCode(models.TextChoices):
    PAID_LATE = "paid_late", _("Paid (late)")
    CORRECTED = "corrected", _("Corrected")
    REFUNDED = "refunded", _("Refunded")
    REFERRED_TO_POLICE = "referred_to_police", _("Referred to the police")
    NO_FAULT = "no_fault", _("Not founded (no fault found)")
    OTHER = "other", _("Other")


class Ticket(BaseModel):
    #: "KN-2026-000123": year received and id (set right after the insert)
    number = models.CharField(_("number"), max_length=20, unique=True, null=True, blank=True)
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    source = models.CharField(_("raised by"), max_length=16, choices=Source.choices)
    channel = models.CharField(_("received via"), max_length=16, choices=ReceivedVia.choices)
    description = models.TextField(_("description"))
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("beneficiary"),
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    payroll_line = models.ForeignKey(
        "disbursement.PayrollLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("payment"),
    )
    reporter_name = models.CharField(_("reported by (name)"), max_length=150, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=20, blank=True)
    #: a bank, mobile-money or wallet account is involved (the State Bank branch gets a copy)
    account_involved = models.BooleanField(_("an account is involved"), default=False)
    routed_to = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("routed to")
    )
    #: an organisation that follows the ticket without working it (the State Bank branch)
    copy_to = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ticket_copies",
        verbose_name=_("copy to"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    received_on = models.DateField(_("received on"))
    due_date = models.DateField(_("due date"))
    resolution = models.TextField(_("resolution"), blank=True)
    resolution_code = models.CharField(
        _("outcome"), max_length=24, choices=ResolutionCode.choices, blank=True
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("received_on")),
                name="grievance_due_not_before_received",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[Status.RESOLVED, Status.REJECTED, Status.CLOSED])
                | (Q(resolved_at__isnull=False) & ~Q(resolution="") & ~Q(resolution_code="")),
                name="grievance_resolved_has_resolution",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[Status.OPEN, Status.IN_PROGRESS, Status.WAITING_INFO])
                | Q(resolved_at__isnull=True),
                name="grievance_active_not_resolved",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values) & Q(category__in=Category.values),
                name="grievance_status_category_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["routed_to", "status"], name="grievance_routed_idx"),
            models.Index(fields=["commune", "status"], name="grievance_commune_idx"),
            models.Index(fields=["due_date", "status"], name="grievance_due_idx"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def overdue(self) -> bool:
        """Still being worked after its due date."""
        return self.is_active and self.due_date < timezone.localdate()

    @property
    def masked_personal_id(self) -> str:
        return self.beneficiary.masked_personal_id if self.beneficiary is not None else ""


class TicketEvent(models.Model):
    """One step of a ticket's history, as the people working it read it."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Recorded")
        ROUTED = "routed", _("Routed")
        ASSIGNED = "assigned", _("Assigned")
        COMMENT = "comment", _("Comment")
        STATUS = "status", _("Status changed")
        RESOLVED = "resolved", _("Resolved")
        REOPENED = "reopened", _("Reopened")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    from_org = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from"),
    )
    to_org = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to"),
    )
    from_status = models.CharField(_("status before"), max_length=16, blank=True)
    to_status = models.CharField(_("status after"), max_length=16, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("complaint history entry")
        verbose_name_plural = _("complaint history")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def get_from_status_display(self) -> str:
        return str(dict(Status.choices).get(self.from_status, self.from_status))

    def get_to_status_display(self) -> str:
        return str(dict(Status.choices).get(self.to_status, self.to_status))
