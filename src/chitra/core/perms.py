"""The names of what a user may do (capabilities). Who holds each one (organisation kind x
role) is iam's table, :data:`chitra.iam.access.CAPABILITIES`; a layer below iam names a
capability from here and asks iam through :mod:`chitra.core.ports` (``has_perm``,
``require_perm``)."""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    REGISTRY_VIEW = "registry.view"
    REGISTRY_IMPORT = "registry.import"
    VERIFY_RUN = "verification.run"
    CLEANING_WORK = "verification.clean"
    SUSPENSION_REVERSE = "verification.reverse"
    PAYMENT_APPROVE = "payment.approve"
    PAYMENT_VIEW = "payment.view"
    PAYMENT_RUN = "payment.run"
    PAYMENT_RESULTS = "payment.results"
    REPORTS_VIEW = "reports.view"
    REPORT_ISSUE = "reports.issue"
    TARGET_EDIT = "reports.targets"
    PLAN_UPDATE = "reports.plan"
    GRIEVANCE_CREATE = "grievances.create"
    GRIEVANCE_WORK = "grievances.work"
    PROVIDER_EDIT = "payment.provider_edit"
    PAY_SCHEDULE_EDIT = "payment.pay_schedule"
    ACCOUNT_CONFIRM = "payment.account_confirm"
    GEO_EDIT = "geo.edit"
    AUDIT_VIEW = "audit.view"
    USER_MANAGE = "iam.manage"
    OUTREACH_WORK = "outreach.work"
    OUTREACH_MANAGE = "outreach.manage"
    ID_CARD_PRIORITY = "outreach.id_cards"
    PRIVACY_REQUESTS = "privacy.requests"
    PRIVACY_DECIDE = "privacy.decide"
    BREACH_REGISTER = "privacy.breaches"
    RETENTION_VIEW = "privacy.retention"
