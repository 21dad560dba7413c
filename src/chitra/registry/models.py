"""Beneficiaries, their benefit entitlements and their representatives."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chitra.core.crypto import mask
from chitra.core.models import BaseModel
from chitra.geo.models import BhxhOffice, Commune


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class DatePrecision(models.TextChoices):
    DAY = "D", _("Day")
    MONTH = "M", _("Month and year")
    YEAR = "Y", _("Year only")


class BenefitType(models.TextChoices):
    PENSION = "PENSION", _("Retirement pension")
    MONTHLY_ALLOWANCE = "MONTHLY_ALLOWANCE", _("Monthly social insurance allowance")
    LUMP_SUM = "LUMP_SUM", _("One-time social insurance")
    UNEMPLOYMENT = "UNEMPLOYMENT", _("Unemployment benefit")
    SURVIVOR_ONCE = "SURVIVOR_ONCE", _("One-time survivor allowance")
    FUNERAL = "FUNERAL", _("Funeral allowance")


#: Vietnamese labels as they appear in the offices' spreadsheets (first = official label).
BENEFIT_LABELS_VI: dict[str, tuple[str, ...]] = {
    BenefitType.PENSION: ("Lương hưu", "Hưu trí", "Lương hưu hằng tháng"),
    BenefitType.MONTHLY_ALLOWANCE: (
        "Trợ cấp BHXH hằng tháng",
        "Trợ cấp hằng tháng",
        "Trợ cấp BHXH hàng tháng",
        "Trợ cấp mất sức lao động",
        "Trợ cấp tai nạn lao động, bệnh nghề nghiệp",
        "Trợ cấp tuất hằng tháng",
    ),
    BenefitType.LUMP_SUM: ("BHXH một lần", "Bảo hiểm xã hội một lần", "Trợ cấp BHXH một lần"),
    BenefitType.UNEMPLOYMENT: ("Trợ cấp thất nghiệp", "TCTN", "Bảo hiểm thất nghiệp"),
    BenefitType.SURVIVOR_ONCE: ("Trợ cấp tuất một lần", "Tuất một lần"),
    BenefitType.FUNERAL: ("Trợ cấp mai táng", "Mai táng phí", "Mai táng"),
}
MONTHLY_BENEFITS = frozenset(
    {BenefitType.PENSION, BenefitType.MONTHLY_ALLOWANCE, BenefitType.UNEMPLOYMENT}
)
ONE_OFF_BENEFITS = frozenset({BenefitType.LUMP_SUM, BenefitType.SURVIVOR_ONCE, BenefitType.FUNERAL})


class ProofOfLifeSource(models.TextChoices):
    """Where a beneficiary's latest proof of life comes from (issue #12, ADR 0011)."""

    REGISTER = "register", _("Seen alive in the population register")
    IN_PERSON = "in_person", _("Identity confirmed in person")
    OUTREACH = "outreach", _("Met in person on an outreach visit")
    COUNTER = "counter", _("Came to a counter in person")
    PROVIDER = "provider", _("Account opened or confirmed by the provider")
    CASH = "cash", _("Collected a cash payment in person")
    ACCOUNT_START = "account_start", _("Started being paid into an account")


class Beneficiary(BaseModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        DECEASED = "deceased", _("Deceased")
        INACTIVE = "inactive", _("No longer entitled")

    personal_id = models.CharField(_("personal ID number"), max_length=12, null=True, blank=True)
    old_id = models.CharField(_("old ID card (CMND)"), max_length=12, null=True, blank=True)
    si_number = models.CharField(_("social insurance number"), max_length=10, null=True, blank=True)
    full_name = models.CharField(_("full name"), max_length=150)
    name_folded = models.CharField(_("folded name"), max_length=150, db_index=True, editable=False)
    birth_date = models.DateField(_("date of birth"))
    birth_precision = models.CharField(
        _("precision of the date of birth"),
        max_length=1,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="beneficiaries", verbose_name=_("commune")
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)  # E.164
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    #: the latest proof of life, moved forward (never back) only by
    #: `verification.proof_of_life.proof_of_life_record`; due 12 months later (ADR 0011)
    proof_of_life_on = models.DateField(_("proof of life counted from"), null=True, blank=True)
    # database defaults too: bulk loaders (COPY) that do not name them keep working
    proof_of_life_source = models.CharField(
        _("proof of life source"),
        max_length=16,
        choices=ProofOfLifeSource.choices,
        blank=True,
        default="",
        db_default="",
    )
    proof_of_life_ref = models.CharField(
        _("proof of life reference"), max_length=64, blank=True, default="", db_default=""
    )

    class Meta:
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        ordering = ["name_folded", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["personal_id"],
                condition=Q(personal_id__isnull=False),
                name="beneficiary_personal_id_unique",
            ),
            models.UniqueConstraint(
                fields=["si_number"],
                condition=Q(si_number__isnull=False),
                name="beneficiary_si_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(personal_id__isnull=False) | Q(si_number__isnull=False),
                name="beneficiary_has_identity",
            ),
            models.CheckConstraint(
                condition=Q(personal_id__isnull=True) | Q(personal_id__regex=r"^[0-9]{12}$"),
                name="beneficiary_personal_id_12_digits",
            ),
            models.CheckConstraint(
                condition=Q(si_number__isnull=True) | Q(si_number__regex=r"^[0-9]{10}$"),
                name="beneficiary_si_number_10_digits",
            ),
            models.CheckConstraint(condition=Q(sex__in=["M", "F"]), name="beneficiary_sex_valid"),
            models.CheckConstraint(
                condition=Q(proof_of_life_on__isnull=True, proof_of_life_source="")
                | (Q(proof_of_life_on__isnull=False) & ~Q(proof_of_life_source="")),
                name="beneficiary_proof_of_life_has_source",
            ),
        ]
        indexes = [
            models.Index(fields=["commune", "name_folded"], name="benef_commune_name_idx"),
            models.Index(fields=["old_id"], name="benef_old_id_idx"),
            models.Index(fields=["proof_of_life_on"], name="benef_proof_of_life_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.personal_id or self.si_number})"

    @property
    def masked_personal_id(self) -> str:
        return mask(self.personal_id)


class Entitlement(BaseModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        STOPPED = "stopped", _("Stopped")

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="entitlements",
        verbose_name=_("beneficiary"),
    )
    benefit_type = models.CharField(_("benefit"), max_length=24, choices=BenefitType.choices)
    monthly_amount = models.BigIntegerField(_("amount (VND)"))  # whole đồng
    start_month = models.DateField(_("first month"), null=True, blank=True)
    end_month = models.DateField(_("last month"), null=True, blank=True)
    #: the last month already paid; payroll pays from the month after (arrears included)
    paid_through = models.DateField(_("paid through month"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    status_reason = models.CharField(_("reason of the status"), max_length=255, blank=True)
    office = models.ForeignKey(
        BhxhOffice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entitlements",
        verbose_name=_("managing office"),
    )

    class Meta:
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        ordering = ["beneficiary_id", "benefit_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "benefit_type"], name="entitlement_one_per_benefit"
            ),
            models.CheckConstraint(
                condition=Q(monthly_amount__gt=0), name="entitlement_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(start_month__isnull=True) | Q(start_month__day=1),
                name="entitlement_start_first_of_month",
            ),
            models.CheckConstraint(
                condition=Q(paid_through__isnull=True) | Q(paid_through__day=1),
                name="entitlement_paid_through_first_of_month",
            ),
            models.CheckConstraint(
                condition=Q(end_month__isnull=True)
                | Q(start_month__isnull=True)
                | Q(end_month__gte=models.F("start_month")),
                name="entitlement_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["suspended", "stopped"]) | ~Q(status_reason=""),
                name="entitlement_status_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_benefit_type_display()} — {self.monthly_amount:,} đ"


class Representative(BaseModel):
    class Kind(models.TextChoices):
        GUARDIAN = "guardian", _("Guardian")
        AUTHORISED = "authorised", _("Authorised person")

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="representatives",
        verbose_name=_("beneficiary"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    full_name = models.CharField(_("full name"), max_length=150)
    personal_id = models.CharField(_("personal ID number"), max_length=12)
    relationship = models.CharField(_("relationship"), max_length=64, blank=True)
    document_ref = models.CharField(_("document"), max_length=128, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        ordering = ["beneficiary_id", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(personal_id__regex=r"^[0-9]{12}$"),
                name="representative_personal_id_12_digits",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="representative_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_kind_display()})"

    def is_valid_on(self, day) -> bool:  # type: ignore[no-untyped-def]
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Consent(models.Model):
    """One consent given or withdrawn by a person for one purpose (Law 91/2025/QH15 on personal
    data protection: consent per purpose, with its record). Append-only: a withdrawal is a new
    row with ``given=False``, never an edit (the database refuses UPDATE and DELETE); the
    person's current answer for a purpose is their latest row for it."""

    class Purpose(models.TextChoices):
        PAYMENT_METHOD_CHANGE = "payment_method_change", _("Change of how the pension is paid")
        ACCOUNT_OPENING_REFERRAL = (
            "account_opening_referral",
            _("Referral to a provider to open an account"),
        )
        NOTIFICATIONS = "notifications", _("Notifications by SMS or phone")
        DATA_SHARING_WITH_PROVIDER = (
            "data_sharing_with_provider",
            _("Sharing data with the paying provider"),
        )

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PAPER_FORM = "paper_form", _("Signed paper form")
        PHONE = "phone", _("Phone call")
        BANK_COUNTER = "bank_counter", _("At the provider's counter")
        ELECTRONIC = "electronic", _("Electronic (national e-ID, public service portal)")

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("beneficiary"),
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    given = models.BooleanField(_("consent given"))
    channel = models.CharField(_("how it was expressed"), max_length=16, choices=Channel.choices)
    date = models.DateField(_("date"))
    evidence = models.CharField(_("evidence"), max_length=255, blank=True)
    #: what the consent was taken for (e.g. "payment_methods.changerequest" and its id)
    source_type = models.CharField(_("recorded with"), max_length=64, blank=True)
    source_id = models.CharField(_("record id"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consent log")
        ordering = ["beneficiary_id", "-date", "-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    purpose__in=[
                        "payment_method_change",
                        "account_opening_referral",
                        "notifications",
                        "data_sharing_with_provider",
                    ]
                ),
                name="consent_purpose_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["beneficiary", "purpose", "date"], name="consent_person_purpose_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary_id} {self.purpose} {'+' if self.given else '-'} {self.date}"
