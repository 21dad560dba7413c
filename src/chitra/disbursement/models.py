"""The monthly payment cycle: snapshot, payroll lines, batches, files, results, ledger.

A line is the obligation to pay one entitlement for one month (`period_month`) in one cycle.
At most one *live* line (not failed, returned or cancelled) per entitlement and month: the
database refuses a second one, across re-runs and concurrent workers. A failed line frees the
month; its re-issue is a new line pointing back to it (`reissue_of`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from chitra.core.models import BaseModel
from chitra.core.states import StateMachine, moves
from chitra.geo.models import Commune, Province
from chitra.payment_methods.models import Account, Provider
from chitra.registry.models import Beneficiary, Entitlement


class CycleStatus(models.TextChoices):
    OPEN = "open", _("Opened")
    FROZEN = "frozen", _("Frozen")
    COMPUTED = "computed", _("Computed")
    APPROVED = "approved", _("Approved")
    RELEASED = "released", _("Released")
    RECONCILED = "reconciled", _("Reconciled")
    CLOSED = "closed", _("Books closed")


class Channel(models.TextChoices):
    BANK_ACCOUNT = "BANK_ACCOUNT", _("Bank account")
    MOBILE_MONEY = "MOBILE_MONEY", _("Mobile money")
    EWALLET = "EWALLET", _("E-wallet")
    CASH_PAY_POINT = "CASH_PAY_POINT", _("Cash at a pay point")
    CASH_HOME = "CASH_HOME", _("Cash at home")


CASH_CHANNELS = frozenset({Channel.CASH_PAY_POINT, Channel.CASH_HOME})

_C = CycleStatus
#: the moves of a cycle, in the order of its life (the cycle page's steps follow them)
CYCLE = StateMachine(
    "cycle",
    (
        (_C.OPEN, "freeze", _C.FROZEN),
        (_C.FROZEN, "compute", _C.COMPUTED),
        (_C.COMPUTED, "compute", _C.COMPUTED),  # computed again until approved
        (_C.COMPUTED, "approve", _C.APPROVED),
        (_C.COMPUTED, "approve", _C.COMPUTED),  # the first of two approvals (a large total)
        (_C.APPROVED, "release", _C.RELEASED),
        (_C.RELEASED, "release", _C.RELEASED),  # a supplementary batch (cash re-issues)
        (_C.RELEASED, "reconcile", _C.RECONCILED),
        (_C.RECONCILED, "close", _C.CLOSED),
        (_C.RELEASED, "results", _C.RELEASED),
        (_C.RECONCILED, "results", _C.RECONCILED),  # only returns change anything there
        (_C.RECONCILED, "results", _C.RELEASED),  # a return paid in cash this month reopens it
        (_C.CLOSED, "results", _C.CLOSED),  # a late return: recorded, owed by the next cycle
        # the pay dates change until the files are released
        *moves([_C.OPEN, _C.FROZEN, _C.COMPUTED, _C.APPROVED], "set_pay_dates"),
        # a line is cancelled (by an approver) while its batch waits
        *moves([_C.COMPUTED, _C.APPROVED, _C.RELEASED], "cancel_line"),
    ),
)


#: the defaults of the pay dates (DOMAIN.md): bank accounts credited no later than the 5th,
#: cash at the commune pay points from the 2nd; a province may set its own (PaySchedule)
DEFAULT_ACCOUNT_CREDIT_DAY = 5
DEFAULT_CASH_FROM_DAY = 2


class PaySchedule(BaseModel):
    """A province's pay days: the day of the month accounts are credited (the requested
    execution date of its payment files) and the day cash is paid from at the pay points.
    Kept by the province's BHXH admin; a cycle copies them as dates when it is opened."""

    province = models.OneToOneField(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    account_credit_day = models.PositiveSmallIntegerField(
        _("accounts credited on day"), default=DEFAULT_ACCOUNT_CREDIT_DAY
    )
    cash_from_day = models.PositiveSmallIntegerField(
        _("cash paid from day"), default=DEFAULT_CASH_FROM_DAY
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("pay schedule")
        verbose_name_plural = _("pay schedules")
        constraints = [
            # a day every month has
            models.CheckConstraint(
                condition=Q(account_credit_day__gte=1) & Q(account_credit_day__lte=28),
                name="pay_schedule_account_day_valid",
            ),
            models.CheckConstraint(
                condition=Q(cash_from_day__gte=1) & Q(cash_from_day__lte=28),
                name="pay_schedule_cash_day_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province_id}: {self.account_credit_day}/{self.cash_from_day}"


class Cycle(BaseModel):
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    #: the first month the cycle pays; `last_month` its last (the same, or the next month:
    #: before Tết January and February are paid together in January)
    month = models.DateField(_("payment month"))
    last_month = models.DateField(_("last month paid"))
    #: the scheduled pay dates, copied from the province's pay schedule when the cycle is
    #: opened, changeable (audited) until release: the payment files' requested execution
    #: date, and the day the cash lists are paid from
    account_credit_date = models.DateField(_("accounts credited on"))
    cash_from_date = models.DateField(_("cash paid from"))
    status = models.CharField(
        _("status"), max_length=16, choices=CycleStatus.choices, default=CycleStatus.OPEN
    )
    #: what an unverified or closed account does this month: "cash" or "hold" (from settings)
    account_fallback = models.CharField(_("unverified account"), max_length=8, default="cash")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("frozen by"),
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("computed by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    second_approved_at = models.DateTimeField(_("second approval at"), null=True, blank=True)
    second_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second approver"),
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    reconciled_at = models.DateTimeField(_("reconciled at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    #: control totals of the computed payroll
    line_count = models.BigIntegerField(_("lines"), default=0)
    total_amount = models.BigIntegerField(_("total (VND)"), default=0)
    snapshot_count = models.BigIntegerField(_("entitlements in the snapshot"), default=0)
    exclusion_count = models.BigIntegerField(_("exclusions"), default=0)

    class Meta:
        verbose_name = _("payment cycle")
        verbose_name_plural = _("payment cycles")
        ordering = ["-month", "province_id"]
        constraints = [
            models.UniqueConstraint(fields=["province", "month"], name="cycle_one_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="cycle_month_first_day"),
            models.CheckConstraint(
                condition=Q(last_month__day=1) & Q(last_month__gte=F("month")),
                name="cycle_last_month_valid",
            ),
            models.CheckConstraint(
                condition=Q(account_fallback__in=["cash", "hold"]),
                name="cycle_account_fallback_valid",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("computed_by")),
                name="cycle_maker_is_not_checker",
            ),
            models.CheckConstraint(
                condition=Q(second_approved_by__isnull=True)
                | (
                    ~Q(second_approved_by=F("computed_by"))
                    & ~Q(second_approved_by=F("approved_by"))
                ),
                name="cycle_second_approver_differs",
            ),
        ]

    def __str__(self) -> str:
        return self.months_label

    @property
    def two_months(self) -> bool:
        return self.last_month != self.month

    @property
    def months_label(self) -> str:
        """ "12/2026", or "01/2027–02/2027" for a cycle that pays two months."""
        return months_label(self.month, self.last_month)

    @property
    def awaiting_second_approval(self) -> bool:
        return self.status == CycleStatus.COMPUTED and self.approved_by_id is not None


def months_label(first: Any, last: Any = None) -> str:
    if last is None or last == first:
        return f"{first:%m/%Y}"
    return f"{first:%m/%Y}–{last:%m/%Y}"


class CycleMonth(models.Model):
    """Each month a cycle pays, once per province: the database refuses a second cycle paying
    a month already covered (a February cycle after a January-February one, or overlapping
    two-month cycles), on both backends and whatever runs at the same time."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="covered")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))

    class Meta:
        verbose_name = _("month of a cycle")
        verbose_name_plural = _("months of cycles")
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["province", "month"], name="cycle_month_paid_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="cycle_month_day_one"),
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.month:%m/%Y}"


class CycleItem(models.Model):
    """The snapshot: one row per entitlement of the province at the cut-off. Payroll is computed
    from these rows only, so later registry changes do not change a frozen cycle."""

    # A copy taken by one INSERT ... SELECT over rows that exist: no per-row foreign-key check
    # or index but the unique (cycle, entitlement) one (ADR 0004).
    cycle = models.ForeignKey(
        Cycle,
        on_delete=models.DO_NOTHING,
        related_name="items",
        db_constraint=False,
        db_index=False,
    )
    entitlement = models.ForeignKey(
        Entitlement,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    benefit_type = models.CharField(max_length=24)
    amount = models.BigIntegerField()
    start_month = models.DateField(null=True)
    end_month = models.DateField(null=True)
    paid_through = models.DateField(null=True)
    entitlement_status = models.CharField(max_length=16)
    beneficiary_status = models.CharField(max_length=16)
    register_outcome = models.CharField(max_length=16, blank=True)
    proof_of_life_on = models.DateField(null=True)  # the beneficiary's, at the freeze
    method = models.CharField(max_length=16, blank=True)
    account = models.ForeignKey(
        Account,
        on_delete=models.DO_NOTHING,
        null=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    account_status = models.CharField(max_length=16, blank=True)
    provider = models.ForeignKey(
        Provider,
        on_delete=models.DO_NOTHING,
        null=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    payee_name = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = _("snapshot row")
        verbose_name_plural = _("snapshot rows")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "entitlement"], name="cycle_item_one_per_entitlement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.entitlement_id}"


class Batch(BaseModel):
    """The lines of one cycle for one provider and channel, with control totals."""

    class Status(models.TextChoices):
        """issued -> released (its files written and locked; its lines become sent)."""

        ISSUED = "issued", _("Issued")
        RELEASED = "released", _("Released")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="batches")
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="batches",
        verbose_name=_("provider"),
    )
    channel = models.CharField(_("payment channel"), max_length=16, choices=Channel.choices)
    #: 0 for the cycle's own batch; 1, 2... for supplementary batches (cash re-issues)
    sequence = models.IntegerField(_("sequence"), default=0)
    reference = models.CharField(_("batch reference"), max_length=35, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ISSUED
    )
    declared_count = models.BigIntegerField(_("lines"), default=0)
    declared_amount = models.BigIntegerField(_("amount (VND)"), default=0)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["cycle_id", "sequence", "channel", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "provider", "channel", "sequence"],
                name="batch_one_per_provider_channel",
            ),
            models.CheckConstraint(
                condition=Q(declared_count__gte=0) & Q(declared_amount__gte=0),
                name="batch_totals_positive",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["issued", "released"]), name="batch_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.reference


#: the moves of a batch: its files are written and locked at release
BATCH = StateMachine("batch", ((Batch.Status.ISSUED, "release", Batch.Status.RELEASED),))


class LineStatus(models.TextChoices):
    """The one vocabulary of a line's state, stored as it is and shown by the same label on
    every page, export, API answer and command. The moves between them are `LINE_MOVES`;
    the database refuses any other (a trigger, migration 0007)."""

    #: computed, in a batch not released yet (the payroll can still change)
    ISSUED = "issued", _("Issued")
    #: its batch was released: the file went to the provider, the result is awaited
    SENT = "sent", _("Sent")
    #: the provider credited it (or the cash was collected)
    PAID = "paid", _("Paid")
    #: the provider rejected it: the money never left; the return reason's action decides
    FAILED = "failed", _("Failed")
    #: credited, then the money came back (account closed after credit, wrong holder...)
    RETURNED = "returned", _("Returned")
    #: withdrawn before release by an approver, with a reason
    CANCELLED = "cancelled", _("Cancelled")


#: the moves of a line, in one place: the database trigger of migration 0007 allows exactly
#: these pairs (tests/disbursement/test_line_states.py checks both ways)
LINE = StateMachine(
    "line",
    (
        (LineStatus.ISSUED, "send", LineStatus.SENT),  # its batch released
        (LineStatus.ISSUED, "cancel", LineStatus.CANCELLED),
        (LineStatus.SENT, "pay", LineStatus.PAID),
        (LineStatus.SENT, "fail", LineStatus.FAILED),
        (LineStatus.PAID, "return", LineStatus.RETURNED),
    ),
)
#: the states each state may move to (from `LINE`)
LINE_MOVES: dict[str, frozenset[str]] = {
    s: frozenset(n for o, n in LINE.changes() if o == s) for s in LineStatus
}
#: a line in one of these no longer takes its month (`live` is false): the month is owed
#: again through a re-issue, or held, as the reason's action says
DEAD_LINE_STATUSES = frozenset({LineStatus.FAILED, LineStatus.RETURNED, LineStatus.CANCELLED})
#: states with the provider's answer (or the approver's, for a cancelled line)
FINAL_LINE_STATUSES = frozenset(
    {LineStatus.PAID, LineStatus.FAILED, LineStatus.RETURNED, LineStatus.CANCELLED}
)


def line_move_allowed(old: str, new: str) -> bool:
    return old == new or new in LINE_MOVES.get(old, frozenset())


class PayrollLine(models.Model):
    # indexed by (cycle), (batch) and the partial unique indexes on entitlement; cycle, batch
    # and entitlement come from the service's own rows and the frozen snapshot in the same
    # transaction, so a deferred foreign-key check of each of 3.5 M lines at commit buys
    # nothing (ADR 0004, 0005). The table is stored with fillfactor 50, and no index holds
    # the status: recording a result rewrites the line in place (a HOT update).
    cycle = models.ForeignKey(
        Cycle,
        on_delete=models.DO_NOTHING,
        related_name="lines",
        db_index=False,
        db_constraint=False,
    )
    batch = models.ForeignKey(
        Batch,
        on_delete=models.DO_NOTHING,
        related_name="lines",
        db_index=False,
        db_constraint=False,
    )
    entitlement = models.ForeignKey(
        Entitlement,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # beneficiary, commune, provider and account are copied from the snapshot (checked there by
    # its joins): no deferred foreign-key check per line at commit (ADR 0004)
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.DO_NOTHING,
        related_name="payroll_lines",
        db_constraint=False,
        db_index=False,
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    benefit_type = models.CharField(_("benefit"), max_length=24)
    period_month = models.DateField(_("for month"))
    amount = models.BigIntegerField(_("amount (VND)"))
    channel = models.CharField(_("payment channel"), max_length=16, choices=Channel.choices)
    provider = models.ForeignKey(
        Provider,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    account = models.ForeignKey(
        Account,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    payee_name = models.CharField(_("payee"), max_length=150)
    #: deterministic: province, month of the period, entitlement, attempt, check digits
    reference = models.CharField(_("payment reference"), max_length=35)
    attempt = models.SmallIntegerField(_("attempt"), default=1)
    #: the failed line this one pays again; a line is re-issued at most once (a partial
    #: unique index: most lines have none, and none of them is indexed or checked per row)
    reissue_of = models.ForeignKey(
        "self",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="reissue",
        db_constraint=False,
        db_index=False,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=LineStatus.choices, default=LineStatus.ISSUED
    )
    #: not failed, returned or cancelled (a check keeps it so): the month is taken by this line.
    #: The unique indexes test this flag, not the status, so that a line becoming paid keeps
    #: every index as it was.
    live = models.BooleanField(_("live"), default=True)
    reason_code = models.CharField(_("return reason"), max_length=8, blank=True)
    #: what to do about a failure (from the return-reason catalogue)
    action = models.CharField(_("action"), max_length=16, blank=True)
    #: the UETR (lower-case UUID v4) of a cashless line's transfer, given at release and
    #: written in the pain.001 (`PmtId/UETR`), so that an answer quoting it finds the line;
    #: empty (NULL) for cash lines and for lines released before it existed
    uetr = models.CharField("UETR", max_length=36, null=True, blank=True, editable=False)
    #: the results import that settled this line (its 'paid' ledger row is the import's)
    result_import = models.ForeignKey(
        "ResultImport",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payroll line")
        verbose_name_plural = _("payroll lines")
        constraints = [
            # a constraint rather than unique=True: no second (LIKE) index on PostgreSQL
            models.UniqueConstraint(fields=["reference"], name="payroll_reference_unique"),
            models.UniqueConstraint(
                fields=["entitlement", "period_month"],
                condition=Q(live=True),
                name="payroll_one_live_line_per_month",
            ),
            # a one-off benefit (lump sum, survivor, funeral) is paid once, whatever the month
            models.UniqueConstraint(
                fields=["entitlement"],
                condition=Q(benefit_type__in=["LUMP_SUM", "SURVIVOR_ONCE", "FUNERAL"])
                & Q(live=True),
                name="payroll_one_off_paid_once",
            ),
            models.CheckConstraint(
                condition=(Q(live=True) & Q(status__in=["issued", "sent", "paid"]))
                | (Q(live=False) & Q(status__in=["failed", "returned", "cancelled"])),
                name="payroll_live_iff_not_failed",
            ),
            models.UniqueConstraint(
                fields=["reissue_of"],
                condition=Q(reissue_of__isnull=False),
                name="payroll_reissued_once",
            ),
            # partial: cash lines (no UETR) are not indexed
            models.UniqueConstraint(
                fields=["uetr"], condition=Q(uetr__isnull=False), name="payroll_uetr_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payroll_amount_positive"),
            models.CheckConstraint(
                condition=Q(period_month__day=1), name="payroll_period_first_day"
            ),
            models.CheckConstraint(
                condition=(Q(channel__in=["CASH_PAY_POINT", "CASH_HOME"]) & Q(account__isnull=True))
                | (
                    Q(channel__in=["BANK_ACCOUNT", "MOBILE_MONEY", "EWALLET"])
                    & Q(account__isnull=False)
                ),
                name="payroll_account_iff_cashless",
            ),
        ]
        indexes = [
            models.Index(fields=["cycle"], name="payroll_cycle_idx"),
            models.Index(fields=["batch"], name="payroll_batch_idx"),
            models.Index(fields=["beneficiary"], name="payroll_beneficiary_idx"),
        ]

    def __str__(self) -> str:
        return self.reference


class Exclusion(models.Model):
    """An entitlement not paid in a cycle, and why."""

    class Reason(models.TextChoices):
        SUSPENDED = "suspended", _("Suspended")
        DECEASED = "deceased", _("Deceased")
        PROOF_OF_LIFE = "proof_of_life", _("Proof of life overdue")
        ACCOUNT_HOLD = "account_hold", _("Held: account not verified or closed")
        STOPPED = "stopped", _("Entitlement stopped")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="exclusions")
    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="+")
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    months = models.IntegerField(_("months"))
    amount = models.BigIntegerField(_("amount not paid (VND)"))

    class Meta:
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusions")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "entitlement"], name="exclusion_one_per_entitlement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entitlement_id}: {self.reason}"


class ReturnReason(models.Model):
    """The return-reason catalogue: each code a provider may send, and what chitra does."""

    class Action(models.TextChoices):
        RETRY = "retry", _("Retry next cycle")
        CASH = "cash", _("Pay in cash this month")
        HOLD = "hold", _("Hold")
        SUSPEND = "suspend", _("Suspend the entitlement")
        INVESTIGATE = "investigate", _("Investigate")

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    label = models.CharField(_("meaning"), max_length=200)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    closes_account = models.BooleanField(_("marks the account closed"), default=False)

    class Meta:
        verbose_name = _("return reason")
        verbose_name_plural = _("return reasons")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"


class PaymentFile(BaseModel):
    class Kind(models.TextChoices):
        PAIN001 = "pain001", _("ISO 20022 pain.001 XML")
        CSV = "csv", _("CSV")
        XLSX = "xlsx", _("Excel")
        CASH_PDF = "cash_pdf", _("Cash list (PDF)")
        CASH_XLSX = "cash_xlsx", _("Cash list (Excel)")

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("file name"), max_length=200)
    #: relative to CHITRA_PAYMENT_FILES_DIR
    path = models.CharField(max_length=500, unique=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.BigIntegerField(_("lines"))
    amount = models.BigIntegerField(_("amount (VND)"))
    #: a pain.001's GrpHdr/MsgId, unique over every file ever written (re-issues included);
    #: NULL for the other kinds and for files written before it was kept
    message_id = models.CharField(
        _("message id"), max_length=35, null=True, blank=True, unique=True, editable=False
    )
    #: a pain.001's PmtInf blocks as written: [{"pmt_inf_id", "batch_id", "count", "total"}]
    #: (see `disbursement.sent`)
    payment_blocks = models.JSONField(default=list, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("payment file")
        verbose_name_plural = _("payment files")
        ordering = ["batch_id", "kind", "name"]


class ResultImport(BaseModel):
    """A results file (or API post) applied to a cycle; the file's hash makes re-applying it a
    no-op."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="result_imports")
    source = models.CharField(_("source"), max_length=16)  # pain002 / table / api
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    paid = models.BigIntegerField(_("paid"), default=0)
    failed = models.BigIntegerField(_("failed"), default=0)
    #: credits reported paid earlier that came back (a later statement or status report)
    returned = models.BigIntegerField(_("returned"), default=0)
    unchanged = models.BigIntegerField(_("already recorded"), default=0)
    #: lines a status report says are still in progress at the bank (ACTC, ACCP, ACSP, PDNG,
    #: RCVD, a name check): recorded, money unchanged
    pending = models.BigIntegerField(_("still pending"), default=0)
    #: a pain.002 status report: its MsgId, the OrgnlMsgId it answers, and the group status
    #: (GrpSts; "" when absent)
    message_id = models.CharField(_("message id"), max_length=35, blank=True, default="")
    original_message_id = models.CharField(
        _("original message id"), max_length=35, blank=True, default=""
    )
    group_status = models.CharField(_("group status"), max_length=4, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("results import")
        verbose_name_plural = _("results imports")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "sha256"], name="result_import_once")
        ]


class PayeeNameCheck(models.Model):
    """A Verification-of-Payee answer of a bank's status report for one line: whether the
    account holder's name matches the payee chitra sent. It never fails the file and never
    changes money; officers see it on the cycle page."""

    class Outcome(models.TextChoices):
        MATCH = "match", _("Name matches (RCVC)")
        CLOSE = "close", _("Name close to the holder's (RVMC)")
        MISMATCH = "mismatch", _("Name does not match (RVNM)")
        UNAVAILABLE = "unavailable", _("Name check not possible (RVNA)")

    line = models.ForeignKey(
        PayrollLine, on_delete=models.CASCADE, related_name="name_checks", verbose_name=_("line")
    )
    result_import = models.ForeignKey(
        ResultImport, on_delete=models.CASCADE, related_name="name_checks"
    )
    outcome = models.CharField(_("name check"), max_length=12, choices=Outcome.choices)
    #: the name chitra sent, as the report repeats it (OrgnlTxRef/Cdtr/Nm)
    name_sent = models.CharField(_("name sent"), max_length=140, blank=True)
    #: what the bank says of the holder (StsRsnInf/AddtlInf: the holder's name on a close match)
    name_returned = models.CharField(_("name the bank returned"), max_length=500, blank=True)
    reason_code = models.CharField(_("reason"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("payee name check")
        verbose_name_plural = _("payee name checks")
        ordering = ["result_import_id", "line_id"]
        constraints = [
            models.UniqueConstraint(fields=["result_import", "line"], name="name_check_once"),
        ]

    def __str__(self) -> str:
        return f"{self.line_id}: {self.outcome}"


class LineEvent(models.Model):
    """The ledger: every movement of every line. Movements that happen to many lines at once
    are one row for all of them (`line` empty): the cycle's lines issued at compute and a
    batch sent at release (`batch`), the lines a results import paid (`result_import`; each
    such line names its import). 3.5 M identical rows for each would record nothing more
    (ADR 0005). `ledger.line_events` (for a user: `selectors.line_history`) gives one line's
    movements, shared ones included."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("Issued")
        SENT = "sent", _("Sent")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Failed")
        RETURNED = "returned", _("Returned")
        REISSUED = "reissued", _("Re-issued")
        CANCELLED = "cancelled", _("Cancelled")

    # lines are never deleted once their cycle is approved (and the ledger with them before):
    # no per-row foreign-key check at commit for millions of result rows (ADR 0005)
    line = models.ForeignKey(
        PayrollLine,
        on_delete=models.DO_NOTHING,
        related_name="events",
        null=True,
        blank=True,
        db_index=False,
        db_constraint=False,
    )  # the (line, at) index serves it
    batch = models.ForeignKey(
        Batch,
        on_delete=models.DO_NOTHING,
        related_name="+",
        null=True,
        blank=True,
        db_constraint=False,
        db_index=False,
    )
    cycle = models.ForeignKey(
        Cycle, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    kind = models.CharField(_("movement"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("time"))
    reason_code = models.CharField(_("reason"), max_length=8, blank=True)
    result_import = models.ForeignKey(
        ResultImport,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    #: why, in words (a cancellation's reason)
    note = models.CharField(_("note"), max_length=500, blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("line movement")
        verbose_name_plural = _("line movements")
        ordering = ["line_id", "at", "id"]
        indexes = [
            models.Index(fields=["line", "at"], name="line_event_line_idx"),
            models.Index(
                fields=["batch"], name="line_event_batch_idx", condition=Q(batch__isnull=False)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(line__isnull=False)
                | (Q(batch__isnull=False) & Q(kind__in=["issued", "sent"]))
                | (Q(result_import__isnull=False) & Q(kind="paid")),
                name="line_event_line_or_batch",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_id} {self.kind}"


class NameStyle(models.TextChoices):
    """How a provider wants names and free text in its pain.001 files."""

    UNICODE = "unicode", _("Vietnamese with diacritics")
    LATIN = "latin", _("Without diacritics")
    LATIN_UPPER = "latin_upper", _("Without diacritics, upper case")


class ProviderProfile(models.Model):
    """Which files a provider receives, the columns of its CSV/XLSX files and what its
    implementation guide asks of a pain.001."""

    provider = models.OneToOneField(Provider, on_delete=models.CASCADE, related_name="profile")
    formats = models.CharField(_("file formats"), max_length=64, default="pain001,csv")
    #: engine.documents.provider_files.FileProfile as JSON
    table_profile = models.JSONField(_("columns of CSV/XLSX files"), default=dict, blank=True)
    #: PmtTpInf/SvcLvl: an ExternalServiceLevel1Code (NURG, SDVA...) or "prtry:<text>"; empty:
    #: not written
    service_level = models.CharField(_("service level"), max_length=41, blank=True)
    #: PmtTpInf/LclInstrm: an ExternalLocalInstrument1Code or "prtry:<text>"; empty: not written
    local_instrument = models.CharField(_("local instrument"), max_length=41, blank=True)
    name_style = models.CharField(
        _("names in pain.001"),
        max_length=16,
        choices=NameStyle.choices,
        default=NameStyle.UNICODE,
    )

    class Exchange(models.TextChoices):
        FILE = "file", _("files (pain.001, CSV/XLSX)")
        PULL = "pull", _("provider pulls through chitra's API")
        G2P_PUSH = "g2p_push", _("chitra pushes by G2P Connect disburse")

    #: how batches reach the provider; files are written for every provider all the same
    exchange = models.CharField(
        _("exchange"), max_length=16, choices=Exchange.choices, default=Exchange.FILE
    )
    #: G2P Connect (exchange g2p_push): the provider's base URL (…/disburse is appended), its
    #: id in message headers, its Ed25519 public key (PEM) verifying its messages, and
    #: whether it answers /disburse/sync/disburse instead of calling back
    g2p_base_url = models.URLField(_("G2P Connect base URL"), blank=True)
    g2p_receiver_id = models.CharField(_("G2P Connect id"), max_length=99, blank=True)
    g2p_public_key = models.TextField(_("G2P Connect public key (PEM)"), blank=True)
    g2p_sync = models.BooleanField(_("synchronous disburse"), default=False)

    class Meta:
        verbose_name = _("provider file profile")
        verbose_name_plural = _("provider file profiles")

    def __str__(self) -> str:
        return f"{self.provider_id}: {self.formats}"


class G2PMessage(models.Model):
    """A G2P Connect message sent to or received from a provider. Received messages are
    unique by (sender, message_id): a repeated callback is answered, never applied twice."""

    class Direction(models.TextChoices):
        OUT = "out", _("sent")
        IN = "in", _("received")

    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    provider = models.ForeignKey(
        "payment_methods.Provider", on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, null=True, blank=True, related_name="g2p_messages"
    )
    sender_id = models.CharField(_("sender"), max_length=99)
    message_id = models.CharField(_("message id"), max_length=99)
    action = models.CharField(_("action"), max_length=32)
    transaction_id = models.CharField(_("transaction id"), max_length=99, blank=True)
    #: ACK / NACK / ERR of the answer (sent: the provider's; received: chitra's)
    ack_status = models.CharField(_("answer"), max_length=4, blank=True)
    #: the callback header's status (rcvd / pdng / succ / rjct)
    status = models.CharField(_("status"), max_length=4, blank=True)
    correlation_id = models.CharField(_("correlation id"), max_length=99, blank=True)
    error = models.CharField(_("error"), max_length=1000, blank=True)
    sha256 = models.CharField(max_length=64)
    lines = models.IntegerField(_("lines"), default=0)
    pending = models.IntegerField(_("lines pending"), default=0)
    result_import = models.ForeignKey(
        ResultImport, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("G2P Connect message")
        verbose_name_plural = _("G2P Connect messages")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "sender_id", "message_id"], name="g2p_message_once"
            )
        ]
        indexes = [models.Index(fields=["batch", "at"], name="g2p_message_batch")]

    def __str__(self) -> str:
        return f"{self.direction} {self.action} {self.message_id}"


class BankStatement(BaseModel):
    """A statement (camt.053) or debit/credit notification (camt.054) of the paying account,
    reconciled once: the lines it confirms or returns went through the results service (its
    `result_imports`), its batch debits were compared with the batches' control totals
    (`batch_checks`). The file's SHA-256, and its message id per account, make loading it again
    a no-op, per province: the paying account is every province's, so each province loads the
    same statement for its own lines."""

    class Kind(models.TextChoices):
        CAMT053 = "camt053", _("Bank statement (camt.053)")
        CAMT054 = "camt054", _("Debit/credit notification (camt.054)")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    #: the cycle whose page it was loaded from
    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="statements", null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    version = models.CharField(_("version"), max_length=16)
    message_id = models.CharField(_("message id"), max_length=35)
    report_id = models.CharField(_("statement id"), max_length=35, blank=True)
    account = models.CharField(_("account"), max_length=34)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    entries = models.IntegerField(_("entries"), default=0)
    pending = models.IntegerField(_("entries not booked"), default=0)
    transactions = models.BigIntegerField(_("transactions"), default=0)
    confirmed = models.BigIntegerField(_("credits confirmed"), default=0)
    returned = models.BigIntegerField(_("returned"), default=0)
    failed = models.BigIntegerField(_("failed"), default=0)
    unchanged = models.BigIntegerField(_("already recorded"), default=0)
    unmatched = models.BigIntegerField(_("not chitra's"), default=0)
    discrepancies = models.IntegerField(_("discrepancies"), default=0)
    #: the first references that matched no line of the province (at most 50)
    unmatched_sample = models.JSONField(default=list, blank=True)
    result_imports = models.ManyToManyField(ResultImport, related_name="+", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "account", "kind", "message_id"],
                name="bank_statement_message_once",
            ),
            models.UniqueConstraint(fields=["province", "sha256"], name="bank_statement_file_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.message_id}"


class StatementBatch(models.Model):
    """One debit of a whole batch in a statement (a batch booking) against what the payment
    file declared (NbOfTxs and CtrlSum: the batch's control totals). A debit short of the
    control sum by exactly the lines that failed is explained; any other difference is a
    discrepancy, recorded and shown (the statement is still applied)."""

    class State(models.TextChoices):
        MATCHES = "matches", _("Matches the control totals")
        EXPLAINED = "explained", _("Short by the failed lines")
        DISCREPANCY = "discrepancy", _("Discrepancy")
        PENDING = "pending", _("Not booked yet")

    statement = models.ForeignKey(
        BankStatement, on_delete=models.CASCADE, related_name="batch_checks"
    )
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="statement_checks")
    entry = models.IntegerField(_("entry"))  # its position in the file
    booking_date = models.DateField(_("booked on"), null=True, blank=True)
    debited = models.BigIntegerField(_("debited (VND)"))
    declared_count = models.BigIntegerField(_("control count"))
    declared_amount = models.BigIntegerField(_("control sum (VND)"))
    reported_count = models.BigIntegerField(_("NbOfTxs"), null=True, blank=True)
    reported_total = models.BigIntegerField(_("TtlAmt (VND)"), null=True, blank=True)
    failed_count = models.BigIntegerField(_("failed lines"), default=0)
    failed_amount = models.BigIntegerField(_("failed (VND)"), default=0)
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    #: what differs, in words (Vietnamese first, as shown)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("batch debit in a statement")
        verbose_name_plural = _("batch debits in statements")
        ordering = ["statement_id", "entry"]

    def __str__(self) -> str:
        return f"{self.statement_id}/{self.entry} {self.batch_id}: {self.state}"
