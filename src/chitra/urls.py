from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from chitra.home import views as home_views
from chitra.iam import views as iam_views
from chitra.payment_methods import views as payment_views
from chitra.registry import views as registry_views
from chitra.verification import views as verification_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("accounts/login/", iam_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", iam_views.LogoutView.as_view(), name="logout"),
    path("accounts/2fa/verify/", iam_views.twofactor_verify, name="twofactor_verify"),
    path("accounts/2fa/setup/", iam_views.twofactor_setup, name="twofactor_setup"),
    path("accounts/2fa/recovery-codes/", iam_views.twofactor_recovery, name="twofactor_recovery"),
    path("accounts/security/", iam_views.account_security, name="account_security"),
    path("accounts/password/", iam_views.password_change, name="password_change"),
    path("accounts/tokens/", iam_views.api_tokens, name="api_tokens"),
    path(
        "accounts/tokens/<int:pk>/revoke/", iam_views.api_token_revoke_view, name="api_token_revoke"
    ),
    path("accounts/users/", iam_views.user_admin_list, name="user_admin_list"),
    path("accounts/users/<int:pk>/", iam_views.user_admin_detail, name="user_admin_detail"),
    path("beneficiaries/", registry_views.beneficiary_list_view, name="beneficiary_list"),
    path("beneficiaries/<int:pk>/", home_views.beneficiary_detail_view, name="beneficiary_detail"),
    path("imports/beneficiaries/", registry_views.import_view, name="beneficiary_import"),
    path("jobs/<int:pk>/", home_views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/errors.xlsx", home_views.job_errors, name="job_errors"),
    path("jobs/<int:pk>/rerun/", home_views.job_rerun_view, name="job_rerun"),
    path("audit/", home_views.audit_list, name="audit_list"),
    path("verification/", verification_views.run_list_view, name="verification_runs"),
    path("verification/start/", verification_views.run_start_view, name="verification_run_start"),
    path(
        "verification/runs/<int:pk>/", verification_views.run_detail_view, name="verification_run"
    ),
    path("verification/queue/", verification_views.queue_view, name="verification_queue"),
    path(
        "verification/queue/assign/",
        verification_views.queue_assign_view,
        name="verification_queue_assign",
    ),
    path("verification/tasks/<int:pk>/", verification_views.task_view, name="verification_task"),
    path(
        "verification/recoveries/", verification_views.recovery_view, name="verification_recoveries"
    ),
    path(
        "verification/proof-of-life/",
        verification_views.proof_of_life_view,
        name="verification_proof_of_life",
    ),
    path(
        "beneficiaries/<int:pk>/counter-visit/",
        verification_views.counter_visit_view,
        name="proof_of_life_counter_visit",
    ),
    path(
        "verification/suspensions/<int:pk>/reverse/",
        verification_views.suspension_reverse_view,
        name="suspension_reverse",
    ),
    path(
        "beneficiaries/<int:pk>/payment-change/",
        payment_views.change_request_new_view,
        name="change_request_new",
    ),
    path("payments/providers/", payment_views.provider_list_view, name="providers"),
    path(
        "payments/providers/<int:pk>/", payment_views.provider_detail_view, name="provider_detail"
    ),
    path(
        "payments/change-requests/", payment_views.change_request_list_view, name="change_requests"
    ),
    path(
        "payments/change-requests/<int:pk>/decide/",
        payment_views.change_request_decide_view,
        name="change_request_decide",
    ),
    path(
        "payments/change-requests/<int:pk>/submit/",
        payment_views.change_request_submit_view,
        name="change_request_submit",
    ),
    path(
        "payments/account-notices/", payment_views.account_notice_list_view, name="account_notices"
    ),
    path(
        "payments/accounts/<int:pk>/reveal/",
        payment_views.account_reveal_view,
        name="account_reveal",
    ),
    path(
        "payments/accounts/<int:pk>/check/", payment_views.account_check_view, name="account_check"
    ),
    path("outreach/", include("chitra.outreach.urls")),
    path("payments/cycles/", include("chitra.disbursement.urls")),
    path("reports/", include("chitra.reports.urls")),
    path("complaints/", include("chitra.grievances.urls")),
    path("privacy/", include("chitra.privacy.urls")),
    path("i18n/setlang/", iam_views.language_switch, name="set_language"),
    path("api/", include("chitra.api_urls")),
]
if settings.CHITRA_ADMIN_SITE:
    urlpatterns.append(path("django-admin/", admin.site.urls))

# an unknown address under /api/ answers JSON (chitra.home.views.not_found)
handler404 = "chitra.home.views.not_found"
