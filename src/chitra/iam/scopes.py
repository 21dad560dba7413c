"""API token scopes, in one place: the fixed list, what each lets a token do, which of them a
user's role can use, and the scope every API view and action needs.

A scope only narrows a token: the owner's permissions and area still decide every answer. A
view missing from `VIEW_SCOPES` refuses every token (403): a new endpoint must be named here
(tests/iam/test_tokens.py checks that every endpoint of the URLconf is)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from chitra.iam.access import Perm, has_perm


class Scope(StrEnum):
    REGISTRY_READ = "registry:read"
    VERIFICATION = "verification"
    PAYMENTS_READ = "payments:read"
    PAYMENTS_RESULTS = "payments:results"
    PAYMENTS_RUN = "payments:run"
    ACCOUNTS_WRITE = "accounts:write"
    OUTREACH = "outreach"
    GRIEVANCES = "grievances"
    REPORTS = "reports"


SCOPE_LABELS: dict[Scope, Any] = {
    Scope.REGISTRY_READ: _("Read beneficiaries of your area"),
    Scope.VERIFICATION: _("Read verification runs and outcomes"),
    Scope.PAYMENTS_READ: _("Read payment batches, disbursements and payment-method changes"),
    Scope.PAYMENTS_RESULTS: _("Post payment results"),
    Scope.PAYMENTS_RUN: _("Open payment cycles and set their pay dates"),
    Scope.ACCOUNTS_WRITE: _("Push account confirmations and payment-method change requests"),
    Scope.OUTREACH: _("Outreach work lists and contacts"),
    Scope.GRIEVANCES: _("Complaints and fraud reports"),
    Scope.REPORTS: _("Indicators, targets, reports and plan tasks"),
}

#: a role can use a scope when it has one of these permissions
SCOPE_PERMS: dict[Scope, tuple[Perm, ...]] = {
    Scope.REGISTRY_READ: (Perm.REGISTRY_VIEW,),
    Scope.VERIFICATION: (Perm.VERIFY_RUN, Perm.CLEANING_WORK),
    Scope.PAYMENTS_READ: (Perm.PAYMENT_VIEW, Perm.REGISTRY_VIEW),
    Scope.PAYMENTS_RESULTS: (Perm.PAYMENT_RESULTS,),
    Scope.PAYMENTS_RUN: (Perm.PAYMENT_RUN,),
    Scope.ACCOUNTS_WRITE: (Perm.REGISTRY_IMPORT, Perm.CLEANING_WORK, Perm.ACCOUNT_CONFIRM),
    Scope.OUTREACH: (Perm.OUTREACH_WORK, Perm.OUTREACH_MANAGE),
    Scope.GRIEVANCES: (Perm.GRIEVANCE_CREATE, Perm.GRIEVANCE_WORK),
    Scope.REPORTS: (Perm.REPORTS_VIEW, Perm.PLAN_UPDATE),
}


def scopes_for(user: Any) -> list[Scope]:
    """The scopes `user`'s organisation and role can use (a token may hold these only)."""
    return [s for s in Scope if any(has_perm(user, p) for p in SCOPE_PERMS[s])]


#: Any valid token may read these (the API's own description).
ANY_SCOPE = "*"

#: view (dotted class path) -> scope, or {action: scope} (a viewset's actions; an APIView's
#: lower-case HTTP methods)
VIEW_SCOPES: dict[str, Scope | str | dict[str, Scope]] = {
    "chitra.registry.api.BeneficiaryViewSet": Scope.REGISTRY_READ,
    "chitra.verification.api.RunViewSet": Scope.VERIFICATION,
    "chitra.verification.api.ResultViewSet": Scope.VERIFICATION,
    "chitra.payment_methods.api.ChangeRequestViewSet": {
        "list": Scope.PAYMENTS_READ,
        "retrieve": Scope.PAYMENTS_READ,
        "create": Scope.ACCOUNTS_WRITE,
    },
    "chitra.payment_methods.api.AccountConfirmationsView": {"post": Scope.ACCOUNTS_WRITE},
    "chitra.disbursement.api.BatchViewSet": {
        "list": Scope.PAYMENTS_READ,
        "retrieve": Scope.PAYMENTS_READ,
        "disbursements": Scope.PAYMENTS_READ,
        "post_status": Scope.PAYMENTS_RESULTS,
    },
    "chitra.disbursement.api.CycleViewSet": {
        "list": Scope.PAYMENTS_READ,
        "retrieve": Scope.PAYMENTS_READ,
        "create": Scope.PAYMENTS_RUN,
        "pay_dates": Scope.PAYMENTS_RUN,
        "result_imports": Scope.PAYMENTS_READ,
    },
    "chitra.outreach.api.CampaignViewSet": Scope.OUTREACH,
    "chitra.outreach.api.AssignmentViewSet": Scope.OUTREACH,
    "chitra.grievances.api.TicketViewSet": Scope.GRIEVANCES,
    "chitra.reports.api.IndicatorsView": Scope.REPORTS,
    "chitra.reports.api.TargetViewSet": Scope.REPORTS,
    "chitra.reports.api.IssuedReportViewSet": Scope.REPORTS,
    "chitra.reports.api.PlanTaskViewSet": Scope.REPORTS,
    # the caller's own jobs (a re-run checks the job's own permissions again)
    "chitra.core.api.JobViewSet": ANY_SCOPE,
    "chitra.iam.api_docs.SchemaView": ANY_SCOPE,
    "chitra.iam.api_docs.DocsView": ANY_SCOPE,
    "rest_framework.routers.APIRootView": ANY_SCOPE,
    # G2P Connect machine endpoints: they take no API token at all (their only authentication
    # is an OAuth2 bearer JWT, or none for the token endpoint itself), so no scope applies
    "chitra.iam.oauth.TokenView": ANY_SCOPE,
    "chitra.disbursement.g2p_api.OnDisburseView": ANY_SCOPE,
    "chitra.disbursement.g2p_api.OnTxnStatusView": ANY_SCOPE,
    "chitra.verification.g2p_api.NotifyView": ANY_SCOPE,
    "chitra.verification.g2p_api.OnSearchView": ANY_SCOPE,
    "chitra.verification.g2p_api.OnSubscribeView": ANY_SCOPE,
    "chitra.payment_methods.g2p_api.MapperSyncView": ANY_SCOPE,
}

#: Endpoints that look a person up by an identifier (stricter throttle, `person_lookup`):
#: view -> actions, each with the request parameters that make it a lookup (empty: always).
PERSON_LOOKUPS: dict[str, dict[str, tuple[str, ...]]] = {
    "chitra.registry.api.BeneficiaryViewSet": {"list": ("q", "personal_id"), "retrieve": ()},
    "chitra.payment_methods.api.ChangeRequestViewSet": {"create": ()},
    "chitra.payment_methods.api.AccountConfirmationsView": {"post": ()},
    "chitra.grievances.api.TicketViewSet": {"create": ("personal_id",), "list": ("q",)},
}


def view_key(view: Any) -> str:
    cls = type(view)
    return f"{cls.__module__}.{cls.__qualname__}"


def view_action(view: Any, method: str) -> str:
    return getattr(view, "action", None) or method.lower()


def required_scope(view: Any, method: str) -> str | None:
    """The scope `view` needs for this request; None when the view is not mapped (refused)."""
    entry = VIEW_SCOPES.get(view_key(view))
    if isinstance(entry, dict):
        action = view_action(view, method)
        if action in ("options", "metadata"):
            return ANY_SCOPE
        return entry.get(action)
    return entry
