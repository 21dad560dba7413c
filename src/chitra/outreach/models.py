"""Outreach to every beneficiary still paid in cash (plan task 1): campaigns, their work lists
(one assignment per beneficiary), the contact log and the deaths reported during visits."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chitra.core.models import BaseModel
from chitra.geo.models import Commune, Province
from chitra.payment_methods.models import ChangeRequest, Provider
from chitra.registry.models import Beneficiary


class Outcome(models.TextChoices):
    AGREED = "agreed", _("Agreed to be paid without cash")
    DECLINED = "declined", _("Declined")
    UNREACHABLE = "unreachable", _("Unreachable")
    NEEDS_ID_CARD = "needs_id_card", _("Needs an ID card first")
    NEEDS_PHONE = "needs_phone", _("Needs a phone first")
    NEEDS_ACCOUNT = "needs_account", _("Needs an account (referred to a provider)")
    MOVED_AWAY = "moved_away", _("Moved away")
    REPORTED_DEAD = "reported_dead", _("Reported dead")


#: Outcomes that end the work on an assignment.
TERMINAL_OUTCOMES = frozenset(
    {Outcome.AGREED, Outcome.DECLINED, Outcome.MOVED_AWAY, Outcome.REPORTED_DEAD}
)


class Campaign(BaseModel):
    name = models.CharField(_("name"), max_length=200)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    communes = models.ManyToManyField(Commune, related_name="+", verbose_name=_("communes"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("outreach campaign")
        verbose_name_plural = _("outreach campaigns")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="outreach_campaign_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Assignment(BaseModel):
    """One beneficiary on a campaign's work list, in a commune, maybe given to an officer."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assignments")
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="outreach_assignments"
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outreach_assignments",
        verbose_name=_("assigned to"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    last_outcome = models.CharField(
        _("last outcome"), max_length=16, choices=Outcome.choices, blank=True
    )
    last_contact_date = models.DateField(_("last contact"), null=True, blank=True)
    follow_up_date = models.DateField(_("follow up on"), null=True, blank=True)

    class Meta:
        verbose_name = _("outreach assignment")
        verbose_name_plural = _("outreach assignments")
        ordering = ["commune_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "beneficiary"], name="outreach_one_assignment_per_campaign"
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "commune", "status"], name="outreach_list_idx"),
            models.Index(fields=["assigned_to", "status"], name="outreach_mine_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary_id} ({self.get_status_display()})"


class Contact(models.Model):
    """One visit or call and what came of it."""

    class Channel(models.TextChoices):
        VISIT = "visit", _("Home visit")
        PHONE = "phone", _("Phone call")

    class Reason(models.TextChoices):
        PREFERS_CASH = "prefers_cash", _("Prefers cash")
        DISTRUST = "distrust", _("Does not trust accounts")
        TOO_OLD = "too_old", _("Too old or unwell to use an account")
        FAMILY_DECIDES = "family_decides", _("The family decides")
        FEES = "fees", _("Fees or distance to the provider")
        OTHER = "other", _("Other reason")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="contacts")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("officer"),
    )
    date = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    #: referral (needs an account; agreed without the account details yet) or the chosen one
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider"),
    )
    method = models.CharField(_("method"), max_length=16, blank=True)
    follow_up_date = models.DateField(_("follow up on"), null=True, blank=True)
    change_request = models.ForeignKey(
        ChangeRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("change request"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contact log")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="declined") | ~Q(reason=""),
                name="outreach_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="needs_account")
                | (Q(provider__isnull=False) & Q(follow_up_date__isnull=False)),
                name="outreach_referral_has_provider_and_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.date:%d/%m/%Y} {self.get_outcome_display()}"


class DeathReport(models.Model):
    """A death reported during outreach; open until checked against the population register."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="death_reports"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported at"))
    note = models.TextField(_("note"), blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    #: the verification outcome of the check ("deceased" confirms the report)
    check_outcome = models.CharField(_("outcome of the check"), max_length=16, blank=True)
    check_run = models.ForeignKey(
        "verification.VerificationRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("death report")
        verbose_name_plural = _("death reports")
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary"],
                condition=Q(checked_at__isnull=True),
                name="outreach_one_open_death_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary_id} {self.reported_at:%d/%m/%Y}"
