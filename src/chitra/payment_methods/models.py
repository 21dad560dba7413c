"""Payment providers, payment accounts (encrypted), payment methods per month, change requests
with the beneficiary's consent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chitra.core.crypto import mask
from chitra.core.models import BaseModel
from chitra.geo.models import Commune
from chitra.registry.models import Beneficiary, Representative


class ProviderKind(models.TextChoices):
    BANK = "bank", _("Bank")
    POST = "post", _("Vietnam Post")
    MOBILE_MONEY = "mobile_money", _("Mobile money")
    EWALLET = "ewallet", _("E-wallet")


class Provider(BaseModel):
    kind = models.CharField(_("kind"), max_length=16, choices=ProviderKind.choices)
    #: NAPAS BIN for banks and wallets that have one, else a short code (VNPOST, VIETTELMONEY)
    code = models.CharField(_("code"), max_length=16, unique=True)
    short_code = models.CharField(_("short code"), max_length=32, blank=True)
    short_name = models.CharField(_("short name"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    #: former names and codes of a renamed bank (same BIN), ";"-separated
    aliases = models.CharField(_("former names"), max_length=255, blank=True)
    swift_code = models.CharField(_("SWIFT code"), max_length=11, blank=True)
    lookup_supported = models.BooleanField(_("account-name lookup"), default=False)
    vietqr_status = models.SmallIntegerField(_("VietQR status"), default=-1)
    contacts = models.TextField(_("contacts"), blank=True)
    fee_notes = models.TextField(_("fees"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("payment provider")
        verbose_name_plural = _("payment providers")
        ordering = ["kind", "short_name"]

    def __str__(self) -> str:
        return self.short_name


class Coverage(models.Model):
    """Where a provider serves people: branches, pay points, agents."""

    class Kind(models.TextChoices):
        BRANCH = "branch", _("Branch or transaction office")
        PAY_POINT = "pay_point", _("Pay point")
        AGENT = "agent", _("Agent")

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="coverage")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="providers")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("coverage")
        verbose_name_plural = _("coverage")
        constraints = [models.UniqueConstraint(fields=["provider", "commune", "kind"],
                                               name="coverage_unique")]

    def __str__(self) -> str:
        return f"{self.provider} — {self.commune}"


class Method(models.TextChoices):
    CASH_PAY_POINT = "CASH_PAY_POINT", _("Cash at a pay point")
    CASH_HOME = "CASH_HOME", _("Cash at home")
    BANK_ACCOUNT = "BANK_ACCOUNT", _("Bank account")
    MOBILE_MONEY = "MOBILE_MONEY", _("Mobile money")
    EWALLET = "EWALLET", _("E-wallet")


ACCOUNT_METHODS = frozenset({Method.BANK_ACCOUNT, Method.MOBILE_MONEY, Method.EWALLET})


class HomeReason(models.TextChoices):
    SERIOUSLY_ILL = "seriously_ill", _("Seriously ill")
    IMMOBILE = "immobile", _("Cannot travel")
    NO_REPRESENTATIVE = "no_representative", _("No representative")
    AGED_80 = "aged_80", _("Aged 80 or more")


class Account(BaseModel):
    """A payment account (bank account, mobile-money account, wallet) of a payee.

    The number is stored encrypted; `number_index` is a blind index (HMAC) so that one account
    used by several beneficiaries is found without decrypting anything."""

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("Unverified")
        VERIFIED = "verified", _("Verified")
        CLOSED = "closed", _("Closed")

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT,
                                    related_name="accounts")
    representative = models.ForeignKey(Representative, on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="accounts")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="accounts")
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    number_encrypted = models.TextField(editable=False)
    number_index = models.CharField(max_length=64, db_index=True, editable=False)
    number_last4 = models.CharField(max_length=4, editable=False)
    holder_name = models.CharField(_("account holder"), max_length=150)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.UNVERIFIED)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    #: flagged when the same account serves several beneficiaries (investigate)
    shared_flag = models.BooleanField(_("used by several beneficiaries"), default=False)

    class Meta:
        verbose_name = _("payment account")
        verbose_name_plural = _("payment accounts")
        constraints = [
            models.UniqueConstraint(fields=["beneficiary", "provider", "number_index"],
                                    name="account_unique_per_beneficiary"),
            models.CheckConstraint(
                condition=Q(method__in=[Method.BANK_ACCOUNT, Method.MOBILE_MONEY,
                                        Method.EWALLET]), name="account_method_is_an_account"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.masked_number}"

    @property
    def masked_number(self) -> str:
        return mask("0" * 6 + self.number_last4)[-10:]


class PaymentMethod(BaseModel):
    """How a beneficiary is paid from `effective_month` on (versioned: never edited, superseded
    by a later version)."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT,
                                    related_name="payment_methods")
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    effective_month = models.DateField(_("from month"))
    account = models.ForeignKey(Account, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="payment_methods")
    home_reason = models.CharField(_("reason for home delivery"), max_length=24,
                                   choices=HomeReason.choices, blank=True)
    payee_representative = models.ForeignKey(Representative, on_delete=models.PROTECT,
                                             null=True, blank=True, related_name="+")
    change_request = models.ForeignKey("ChangeRequest", on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("payment method")
        verbose_name_plural = _("payment methods")
        ordering = ["beneficiary_id", "-effective_month"]
        constraints = [
            models.UniqueConstraint(fields=["beneficiary", "effective_month"],
                                    name="payment_method_one_per_month"),
            models.CheckConstraint(condition=Q(effective_month__day=1),
                                   name="payment_method_first_of_month"),
            models.CheckConstraint(
                condition=(Q(method__in=["BANK_ACCOUNT", "MOBILE_MONEY", "EWALLET"])
                           & Q(account__isnull=False))
                | (Q(method__in=["CASH_PAY_POINT", "CASH_HOME"]) & Q(account__isnull=True)),
                name="payment_method_account_iff_cashless"),
            models.CheckConstraint(condition=~Q(method="CASH_HOME") | ~Q(home_reason=""),
                                   name="payment_method_home_needs_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.effective_month:%m/%Y}"


class ChangeRequest(BaseModel):
    """A request to change how a beneficiary is paid, with their consent; maker != checker."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    class Source(models.TextChoices):
        OFFICER = "officer", _("Officer")
        BANK = "bank", _("Bank or provider")
        API = "api", _("API")
        OUTREACH = "outreach", _("Outreach visit")

    class ConsentChannel(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PAPER_FORM = "paper_form", _("Signed paper form")
        PHONE = "phone", _("Phone call")
        BANK_COUNTER = "bank_counter", _("At the provider's counter")

    class NameCheck(models.TextChoices):
        NOT_NEEDED = "", _("Not needed")
        MATCH = "match", _("Holder name matches")
        MISMATCH = "mismatch", _("Holder name differs")

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT,
                                    related_name="change_requests")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.DRAFT)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="change_requests")
    number_encrypted = models.TextField(blank=True, editable=False)
    number_index = models.CharField(max_length=64, blank=True, editable=False)
    number_last4 = models.CharField(max_length=4, blank=True, editable=False)
    holder_name = models.CharField(_("account holder"), max_length=150, blank=True)
    home_reason = models.CharField(_("reason for home delivery"), max_length=24,
                                   choices=HomeReason.choices, blank=True)
    payee_representative = models.ForeignKey(Representative, on_delete=models.PROTECT,
                                             null=True, blank=True, related_name="+")
    name_check = models.CharField(_("name check"), max_length=16, choices=NameCheck.choices,
                                  blank=True)
    name_override_reason = models.TextField(_("reason to accept a different name"), blank=True)
    rapid_change_flag = models.BooleanField(_("new account soon after a previous change"),
                                            default=False)
    shared_account_flag = models.BooleanField(_("account used by another beneficiary"),
                                              default=False)
    consent_date = models.DateField(_("date of consent"), null=True, blank=True)
    consent_channel = models.CharField(_("how consent was given"), max_length=16,
                                       choices=ConsentChannel.choices, blank=True)
    consent_witness = models.CharField(_("witness"), max_length=150, blank=True)
    consent_file = models.FileField(_("scanned form"), upload_to="consent/%Y/%m/", blank=True)
    maker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("made by"))
    checker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    effective_month = models.DateField(_("from month"), null=True, blank=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(checker__isnull=True) | ~Q(checker=models.F("maker")),
                name="change_request_maker_is_not_checker"),
            models.CheckConstraint(
                condition=Q(status__in=["draft"]) | Q(consent_date__isnull=False),
                name="change_request_consent_before_submit"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="cr_status_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_method_display()} ({self.get_status_display()})"

    @property
    def masked_number(self) -> str:
        return ("*" * 6 + self.number_last4) if self.number_last4 else ""
