"""Indicators computed from the data (monthly aggregates per commune), targets, issued periodic
reports (unchangeable, with the data they were made from) and the plan tracker."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chitra.core.models import BaseModel
from chitra.geo.models import Commune, Province
from chitra.iam.models import Organisation


class BenefitGroup(models.TextChoices):
    MONTHLY = "monthly", _("Monthly pension and allowances")
    LUMP_SUM = "lump_sum", _("One-time social insurance")
    UNEMPLOYMENT = "unemployment", _("Unemployment benefit")
    OTHER_ONCE = "other_once", _("Survivor and funeral allowances")


#: benefit type -> group of the plan's targets
GROUP_OF_BENEFIT = {
    "PENSION": BenefitGroup.MONTHLY,
    "MONTHLY_ALLOWANCE": BenefitGroup.MONTHLY,
    "LUMP_SUM": BenefitGroup.LUMP_SUM,
    "UNEMPLOYMENT": BenefitGroup.UNEMPLOYMENT,
    "SURVIVOR_ONCE": BenefitGroup.OTHER_ONCE,
    "FUNERAL": BenefitGroup.OTHER_ONCE,
}


class KpiValue(models.Model):
    """numerator / denominator of one indicator for one month, commune, benefit group and
    dimension (a provider, a return reason, a verification outcome; "" for none)."""

    month = models.DateField(_("month"))
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    group = models.CharField(_("benefit group"), max_length=16, blank=True)
    kpi = models.CharField(_("indicator"), max_length=32)
    dim = models.CharField(_("dimension"), max_length=32, blank=True)
    numerator = models.BigIntegerField(default=0)
    denominator = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "commune", "group", "kpi", "dim"], name="kpi_value_unique"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="kpi_value_month_day1"),
        ]
        indexes = [models.Index(fields=["kpi", "month"], name="kpi_value_kpi_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.commune_id} {self.kpi} {self.group} {self.dim}"


class KpiRefresh(models.Model):
    """When the aggregates of a province and month were last computed."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    computed_at = models.DateTimeField(_("computed at"))
    rows = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("indicator refresh")
        verbose_name_plural = _("indicator refreshes")
        constraints = [
            models.UniqueConstraint(fields=["province", "month"], name="kpi_refresh_unique")
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.month:%m/%Y}"


class AreaFilter(models.TextChoices):
    ALL = "all", _("Urban and rural")
    URBAN = "urban", _("Urban areas")
    RURAL = "rural", _("Rural areas")


class Target(BaseModel):
    """A target of the plan (appendix 01): a share to reach by a deadline, for a province or one
    commune, a benefit group, and urban / rural / all areas."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    kpi = models.CharField(_("indicator"), max_length=32, default="cashless_share")
    group = models.CharField(_("benefit group"), max_length=16, choices=BenefitGroup.choices)
    area = models.CharField(
        _("areas"), max_length=8, choices=AreaFilter.choices, default=AreaFilter.ALL
    )
    value = models.DecimalField(_("target (%)"), max_digits=5, decimal_places=2)
    #: "keep" targets (98 %, 100 %) hold every month; "reach" targets by the deadline
    keep = models.BooleanField(_("to keep every month"), default=False)
    deadline = models.DateField(_("deadline"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    #: None for the targets loaded from the plan by migration
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["province_id", "commune_id", "group", "deadline"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "commune", "kpi", "group", "area", "deadline"],
                name="target_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0) & Q(value__lte=100), name="target_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_group_display()} {self.value}% {self.deadline:%d/%m/%Y}"


class ReportKind(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    YEARLY = "yearly", _("Yearly")
    ADHOC = "adhoc", _("Ad hoc")


class IssuedReport(models.Model):
    """A periodic report as issued: number, the data it was made from, its files and their
    SHA-256. Never changed (the database refuses UPDATE and DELETE).

    A wrong report is corrected by a new one that `supersedes` it (version + 1, with the reason,
    under a number of its own); the replaced report stays as it was, downloadable, and is known
    as superseded by the new one pointing at it (one correction per report: a chain)."""

    kind = models.CharField(_("kind"), max_length=8, choices=ReportKind.choices)
    period = models.CharField(_("period"), max_length=16)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issuing body"),
    )
    year = models.IntegerField(_("year"))
    sequence = models.IntegerField(_("number"))
    number = models.CharField(_("number"), max_length=32)
    title = models.CharField(_("title"), max_length=255)
    data = models.JSONField(_("data"))
    xlsx_path = models.CharField(max_length=500)
    xlsx_sha256 = models.CharField(max_length=64)
    pdf_path = models.CharField(max_length=500)
    pdf_sha256 = models.CharField(max_length=64)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("replaces report"),
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)

    class Meta:
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "sequence"],
                name="issued_report_number_unique",
                nulls_distinct=False,
            ),
            # a first issue has no reason; a correction names the report it replaces and why
            models.CheckConstraint(
                condition=(
                    Q(supersedes__isnull=True, version=1, correction_reason="")
                    | (Q(supersedes__isnull=False, version__gt=1) & ~Q(correction_reason=""))
                ),
                name="issued_report_correction_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class PlanTask(models.Model):
    """One of the seven tasks of the plan (appendix 02)."""

    number = models.SmallIntegerField(_("no."), unique=True)
    title = models.CharField(_("task"), max_length=255)
    lead = models.CharField(_("lead agencies"), max_length=255)
    partners = models.CharField(_("co-ordinating agencies"), max_length=500)
    #: organisation kinds that lead (comma-separated OrgKind values)
    lead_kinds = models.CharField(max_length=200)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    recurring = models.CharField(_("recurring"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("plan task")
        verbose_name_plural = _("plan tasks")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class PlanStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    BLOCKED = "blocked", _("Blocked")


class PlanUpdate(models.Model):
    task = models.ForeignKey(PlanTask, on_delete=models.PROTECT, related_name="updates")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    status = models.CharField(_("status"), max_length=16, choices=PlanStatus.choices)
    percent = models.SmallIntegerField(_("done (%)"), default=0)
    note = models.TextField(_("note"))
    at = models.DateTimeField(_("time"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    class Meta:
        verbose_name = _("plan task update")
        verbose_name_plural = _("plan task updates")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100), name="plan_update_percent_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.organisation_id} {self.get_status_display()}"
