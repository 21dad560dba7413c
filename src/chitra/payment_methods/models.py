"""Payment providers, payment accounts (encrypted), payment methods per month, change requests
with the beneficiary's consent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chitra.core.crypto import mask
from chitra.core.models import BaseModel
from chitra.core.states import StateMachine
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

    @property
    def alias_list(self) -> list[str]:
        """Former codes and names (stored joined by ';')."""
        return [a for a in self.aliases.split(";") if a]


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
        constraints = [
            models.UniqueConstraint(fields=["provider", "commune", "kind"], name="coverage_unique")
        ]

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

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="accounts")
    representative = models.ForeignKey(
        Representative, on_delete=models.PROTECT, null=True, blank=True, related_name="accounts"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="accounts")
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    number_encrypted = models.TextField(editable=False)
    number_index = models.CharField(max_length=64, db_index=True, editable=False)
    number_last4 = models.CharField(max_length=4, editable=False)
    holder_name = models.CharField(_("account holder"), max_length=150)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.UNVERIFIED
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    #: flagged when the same account serves several beneficiaries (investigate)
    shared_flag = models.BooleanField(_("used by several beneficiaries"), default=False)

    class Meta:
        verbose_name = _("payment account")
        verbose_name_plural = _("payment accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "provider", "number_index"],
                name="account_unique_per_beneficiary",
            ),
            models.CheckConstraint(
                condition=Q(method__in=[Method.BANK_ACCOUNT, Method.MOBILE_MONEY, Method.EWALLET]),
                name="account_method_is_an_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.masked_number}"

    @property
    def masked_number(self) -> str:
        return mask("0" * 6 + self.number_last4)[-10:]


class PaymentMethod(BaseModel):
    """How a beneficiary is paid from `effective_month` on (versioned: never edited, superseded
    by a later version)."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="payment_methods"
    )
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    effective_month = models.DateField(_("from month"))
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, null=True, blank=True, related_name="payment_methods"
    )
    home_reason = models.CharField(
        _("reason for home delivery"), max_length=24, choices=HomeReason.choices, blank=True
    )
    payee_representative = models.ForeignKey(
        Representative, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: the approved request this version comes from: where money goes changes only through a
    #: change request (consent, maker and a different approver); the database refuses a
    #: version without one
    change_request = models.ForeignKey("ChangeRequest", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("payment method")
        verbose_name_plural = _("payment methods")
        ordering = ["beneficiary_id", "-effective_month"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "effective_month"], name="payment_method_one_per_month"
            ),
            models.CheckConstraint(
                condition=Q(effective_month__day=1), name="payment_method_first_of_month"
            ),
            models.CheckConstraint(
                condition=(
                    Q(method__in=["BANK_ACCOUNT", "MOBILE_MONEY", "EWALLET"])
                    & Q(account__isnull=False)
                )
                | (Q(method__in=["CASH_PAY_POINT", "CASH_HOME"]) & Q(account__isnull=True)),
                name="payment_method_account_iff_cashless",
            ),
            models.CheckConstraint(
                condition=~Q(method="CASH_HOME") | ~Q(home_reason=""),
                name="payment_method_home_needs_reason",
            ),
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
        #: a payment method recorded before every change needed a request (migration 0004)
        LEGACY = "legacy", _("Recorded before change requests were required")

    class ConsentChannel(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PAPER_FORM = "paper_form", _("Signed paper form")
        PHONE = "phone", _("Phone call")
        BANK_COUNTER = "bank_counter", _("At the provider's counter")

    class NameCheck(models.TextChoices):
        NOT_NEEDED = "", _("Not needed")
        MATCH = "match", _("Holder name matches")
        MISMATCH = "mismatch", _("Holder name differs")

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="change_requests"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="change_requests"
    )
    number_encrypted = models.TextField(blank=True, editable=False)
    number_index = models.CharField(max_length=64, blank=True, editable=False)
    number_last4 = models.CharField(max_length=4, blank=True, editable=False)
    holder_name = models.CharField(_("account holder"), max_length=150, blank=True)
    home_reason = models.CharField(
        _("reason for home delivery"), max_length=24, choices=HomeReason.choices, blank=True
    )
    payee_representative = models.ForeignKey(
        Representative, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name_check = models.CharField(
        _("name check"), max_length=16, choices=NameCheck.choices, blank=True
    )
    name_override_reason = models.TextField(_("reason to accept a different name"), blank=True)
    rapid_change_flag = models.BooleanField(
        _("new account soon after a previous change"), default=False
    )
    shared_account_flag = models.BooleanField(
        _("account used by another beneficiary"), default=False
    )
    consent_date = models.DateField(_("date of consent"), null=True, blank=True)
    consent_channel = models.CharField(
        _("how consent was given"), max_length=16, choices=ConsentChannel.choices, blank=True
    )
    consent_witness = models.CharField(_("witness"), max_length=150, blank=True)
    consent_file = models.FileField(_("scanned form"), upload_to="consent/%Y/%m/", blank=True)
    maker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("made by"),
    )
    #: who recorded the consent and submitted the request (the maker, or the BHXH officer who
    #: completed a draft opened by a provider or an outreach visit); never its approver
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    #: the provider confirmed that the account named here is open and whose it is
    provider_confirmed_at = models.DateTimeField(
        _("confirmed by the provider at"), null=True, blank=True
    )
    provider_holder_name = models.CharField(
        _("holder name given by the provider"), max_length=150, blank=True
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
    effective_month = models.DateField(_("from month"), null=True, blank=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(checker__isnull=True) | ~Q(checker=models.F("maker")),
                name="change_request_maker_is_not_checker",
            ),
            models.CheckConstraint(
                condition=Q(checker__isnull=True)
                | Q(submitted_by__isnull=True)
                | ~Q(checker=models.F("submitted_by")),
                name="change_request_submitter_is_not_checker",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft"])
                | Q(consent_date__isnull=False)
                | Q(source="legacy"),
                name="change_request_consent_before_submit",
            ),
            # an approval names its approver (legacy rows excepted: they had none)
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(checker__isnull=False) | Q(source="legacy"),
                name="change_request_approved_has_checker",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="cr_status_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_method_display()} ({self.get_status_display()})"

    @property
    def masked_number(self) -> str:
        return ("*" * 6 + self.number_last4) if self.number_last4 else ""

    @property
    def provider_confirmed(self) -> bool:
        return self.provider_confirmed_at is not None


_CR = ChangeRequest.Status
#: the moves of a change request: a draft (opened by a provider or an outreach visit) is
#: submitted once consent is recorded, a submitted one approved by a checker (not its maker);
#: either is rejected (one made with consent by BHXH starts submitted)
CHANGE_REQUEST = StateMachine(
    "change_request",
    (
        (_CR.DRAFT, "submit", _CR.SUBMITTED),
        (_CR.SUBMITTED, "approve", _CR.APPROVED),
        (_CR.SUBMITTED, "reject", _CR.REJECTED),
        (_CR.DRAFT, "reject", _CR.REJECTED),
    ),
)


class AccountNotice(BaseModel):
    """One row a provider sent about an account (confirmation file, API push, API request): what
    it said and what chitra did with it. A notice never sets a payment method: it confirms an
    account that a change request already names for that person and that provider, closes an
    account of that provider, or opens a draft request that BHXH completes and decides.

    The provider is told only what it may already know (its own change requests and accounts);
    every other row is "received", the same answer for an unknown personal ID, a person of
    another province and a person who is not its customer."""

    class Outcome(models.TextChoices):
        CONFIRMED_REQUEST = "confirmed_request", _("Confirms a pending change request")
        VERIFIED_ACCOUNT = "verified_account", _("Confirms the account of an approved request")
        CLOSED_ACCOUNT = "closed_account", _("Account closed")
        UNCHANGED = "unchanged", _("Already recorded")
        DRAFT_OPENED = "draft_opened", _("Draft change request opened for BHXH")
        DRAFT_EXISTS = "draft_exists", _("A draft from this provider is already open")
        NO_MATCH = "no_match", _("No living beneficiary of the area has this personal ID")

    class Reported(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="notices")
    #: the province of the organisation that sent it (or of the officer who imported it)
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    personal_id = models.CharField(_("personal ID as sent"), max_length=12)
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    number_encrypted = models.TextField(editable=False)
    number_index = models.CharField(max_length=64, editable=False)
    number_last4 = models.CharField(max_length=4, editable=False)
    holder_name = models.CharField(_("account holder"), max_length=150)
    reported_status = models.CharField(_("status given"), max_length=8, choices=Reported.choices)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices)
    name_check = models.CharField(
        _("name check"), max_length=16, choices=ChangeRequest.NameCheck.choices, blank=True
    )
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, null=True, blank=True, related_name="account_notices"
    )
    change_request = models.ForeignKey(
        ChangeRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    channel = models.CharField(
        _("channel"), max_length=8, choices=[("file", _("File")), ("api", _("API"))]
    )
    source_name = models.CharField(_("file or message"), max_length=255, blank=True)
    sheet_row = models.IntegerField(_("row"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sent by"),
    )

    class Meta:
        verbose_name = _("account notice from a provider")
        verbose_name_plural = _("account notices from providers")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["province", "outcome", "created_at"], name="notice_province_outcome_idx"
            ),
            models.Index(fields=["provider", "created_at"], name="notice_provider_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} ******{self.number_last4} ({self.get_outcome_display()})"

    @property
    def masked_number(self) -> str:
        return "*" * 6 + self.number_last4

    @property
    def masked_personal_id(self) -> str:
        from chitra.core.crypto import mask

        return mask(self.personal_id)


class MapperMessage(models.Model):
    """A G2P Connect mapper request (``link``, ``update``, ``unlink``, ``resolve``) a machine
    client sent, with chitra's answer: unique by (client, message_id), so a repeated message
    gets the same answer and changes nothing twice."""

    client_id = models.CharField(_("client id"), max_length=64)
    message_id = models.CharField(_("message id"), max_length=99)
    operation = models.CharField(_("operation"), max_length=8)
    transaction_id = models.CharField(_("transaction id"), max_length=99)
    items = models.IntegerField(_("items"), default=0)
    #: what was asked (the operation and its items, not the clock): the same message_id with
    #: another request is refused, not answered with the first one's answer
    request_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    answer = models.JSONField(_("answer"), default=dict)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mapper message")
        verbose_name_plural = _("mapper messages")
        constraints = [
            models.UniqueConstraint(
                fields=["client_id", "message_id"], name="mapper_message_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.operation} {self.message_id}"
