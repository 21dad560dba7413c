from django.urls import include, path
from rest_framework.routers import DefaultRouter

from chitra.core.api import JobViewSet
from chitra.disbursement.api import BatchViewSet, CycleViewSet
from chitra.disbursement.g2p_api import OnDisburseView, OnTxnStatusView
from chitra.grievances.api import TicketViewSet
from chitra.iam.api_docs import DocsView, SchemaView
from chitra.iam.oauth import TokenView
from chitra.outreach.api import AssignmentViewSet, CampaignViewSet
from chitra.payment_methods.api import AccountConfirmationsView, ChangeRequestViewSet
from chitra.payment_methods.g2p_api import MapperSyncView
from chitra.registry.api import BeneficiaryViewSet
from chitra.reports.api import (
    IndicatorsView,
    IssuedReportViewSet,
    PlanTaskViewSet,
    TargetViewSet,
)
from chitra.verification.api import ResultViewSet, RunViewSet
from chitra.verification.g2p_api import NotifyView, OnSearchView, OnSubscribeView

router = DefaultRouter()
router.register("beneficiaries", BeneficiaryViewSet, basename="beneficiary")
router.register("jobs", JobViewSet, basename="job")
router.register("verification/runs", RunViewSet, basename="verification-run")
router.register("payments/change-requests", ChangeRequestViewSet, basename="change-request")
router.register("outreach/campaigns", CampaignViewSet, basename="outreach-campaign")
router.register("outreach/assignments", AssignmentViewSet, basename="outreach-assignment")
router.register("verification/results", ResultViewSet, basename="verification-result")
router.register("payments/batches", BatchViewSet, basename="payment-batch")
router.register("payments/cycles", CycleViewSet, basename="payment-cycle")
router.register("reports/targets", TargetViewSet, basename="report-target")
router.register("grievances/tickets", TicketViewSet, basename="grievance-ticket")
router.register("reports/issued", IssuedReportViewSet, basename="report-issued")
router.register("reports/plan-tasks", PlanTaskViewSet, basename="report-plan-task")

urlpatterns = [
    path(
        "v1/payments/account-confirmations/",
        AccountConfirmationsView.as_view(),
        name="account_confirmations",
    ),
    path("v1/reports/indicators/", IndicatorsView.as_view(), name="report_indicators"),
    path("v1/", include(router.urls)),
    # G2P Connect (machine clients: OAuth2 client credentials, signed envelopes)
    path("g2p/oauth2/client/token", TokenView.as_view(), name="g2p_token"),
    path("g2p/on-disburse", OnDisburseView.as_view(), name="g2p_on_disburse"),
    path("g2p/disburse/txn/on-status", OnTxnStatusView.as_view(), name="g2p_on_txn_status"),
    path("g2p/mapper/sync/<str:operation>", MapperSyncView.as_view(), name="g2p_mapper_sync"),
    path("g2p/registry/notify", NotifyView.as_view(), name="g2p_registry_notify"),
    path("g2p/registry/on-search", OnSearchView.as_view(), name="g2p_registry_on_search"),
    path("g2p/registry/on-subscribe", OnSubscribeView.as_view(), name="g2p_registry_on_subscribe"),
    # logged-in users and valid tokens only; the docs page under the site's strict CSP
    path("schema/", SchemaView.as_view(), name="api_schema"),
    path("docs/", DocsView.as_view(url_name="api_schema"), name="api_docs"),
]
