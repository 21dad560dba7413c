"""Shared kernel models: the base model, the append-only audit trail and background jobs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One audited fact: who did what to which object, when, with the values before and after.

    Append-only: the database refuses UPDATE and DELETE (trigger, see migration 0003) and the
    application's database role may only SELECT and INSERT (`chitra db_roles`). Each event
    carries the province it concerns (None: national only, see `core.audit`); every row is
    covered by the hash chain of `AuditSeal` (ADR 0009).
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_username = models.CharField(_("user name"), max_length=150, db_index=True)
    organisation_id = models.BigIntegerField(_("organisation id"), null=True, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=255, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True)
    #: the province the event concerns: the actor's area for area users, the object's (or
    #: the one the service names) for national users and the system actor; None: national
    #: only. No database constraint: the trail never blocks, nor is blocked by, the catalogue.
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["province", "at"], name="audit_province_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        """The action in words, in the active language (`core.audit_actions`)."""
        from chitra.core.audit_actions import action_label

        return action_label(self.action)

    @property
    def object_type_label(self) -> str:
        from chitra.core.audit_display import object_type_label

        return object_type_label(self.object_type)

    @property
    def changes(self) -> list[Any]:
        """The change as labelled fields (`core.audit_display.change_rows`)."""
        from chitra.core.audit_display import change_rows

        return change_rows(self.object_type, self.before, self.after)


class AuditSeal(models.Model):
    """One link of the audit trail's hash chain (ADR 0009): the `seq`-th sealed event and
    hash = SHA-256(previous link's hash || canonical JSON of the event). Written only by the
    sealer (`core.seal.audit_seal`), append-only like the trail itself."""

    seq = models.BigIntegerField(_("sequence"), primary_key=True)
    event_id = models.BigIntegerField(_("event id"), unique=True)
    #: the event's province, so that `audit_verify --province` finds its links (even those
    #: whose event has gone)
    province_id = models.BigIntegerField(_("province id"), null=True, blank=True)
    hash = models.CharField(_("hash"), max_length=64)
    #: PostgreSQL: the oldest transaction still running when this link's sealing run began
    #: (every event written by an older transaction was sealed by that run); None on SQLite
    horizon = models.BigIntegerField(_("horizon"), null=True, blank=True)
    sealed_at = models.DateTimeField(_("sealed at"), default=timezone.now)

    class Meta:
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")
        ordering = ["seq"]
        indexes = [models.Index(fields=["province_id", "seq"], name="audit_seal_province_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} event {self.event_id} {self.hash[:12]}"


class Job(BaseModel):
    """A long piece of work run by the task worker, with progress the pages and CLI can show."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    phase = models.CharField(_("phase"), max_length=64, blank=True)
    progress_done = models.BigIntegerField(_("done"), default=0)
    progress_total = models.BigIntegerField(_("total"), default=0)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    input_file = models.CharField(_("input file"), max_length=500, blank=True)
    input_name = models.CharField(_("file name"), max_length=255, blank=True)
    output_file = models.CharField(_("output file"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="jobs",
        verbose_name=_("created by"),
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    #: the last sign of life of the worker running the job (progress or its heartbeat thread)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    #: "host:pid" of the worker process running (or that last ran) the job
    worker = models.CharField(_("worker"), max_length=128, blank=True)
    #: how many times a worker took the job (a resumed job is taken again)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    rerun_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reruns",
        verbose_name=_("run again from"),
    )

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="job_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress_done__gte=0) & models.Q(progress_total__gte=0),
                name="job_progress_non_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(100 * self.progress_done / self.progress_total))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def is_stale(self) -> bool:
        """Failed because its worker stopped (found by the sweep)."""
        return self.status == self.Status.FAILED and bool((self.result or {}).get("stale"))
