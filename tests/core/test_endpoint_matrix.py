"""Every endpoint x every kind of user: who may reach it at all (capability), pages, API and
file downloads alike, each tried as a write (POST) unless it only hands out a file.

The expectations are written out here, not derived from the code's own tables, so that a
change of rule fails a test; a new route fails `test_every_route_is_in_the_matrix` until it is
classified. Each user tries an object that does not exist (pk 999999): a user without the
capability gets 403, one with it reaches the view (404 for the missing object, 400 for an
empty body, 302 after a refused form, 200...). Scope (area, own customers) is tested by the
other matrix tests (test_access_matrix*.py) and by each app's tests; who gets full account
numbers in payment files by tests/disbursement/test_pages_api.py."""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLResolver

from chitra.iam.models import OrgKind as K
from chitra.iam.models import Role as R
from tests.auth import api_headers

#: (kind, role, commune-scoped): one column of the matrix each
USERS = [
    (K.BHXH_PROVINCE, R.VIEWER, False),
    (K.BHXH_PROVINCE, R.OFFICER, False),
    (K.BHXH_PROVINCE, R.APPROVER, False),
    (K.BHXH_PROVINCE, R.ADMIN, False),
    (K.BHXH_OFFICE, R.OFFICER, True),
    (K.BHXH_OFFICE, R.APPROVER, True),
    (K.POLICE_PROVINCE, R.OFFICER, False),
    (K.POLICE_PROVINCE, R.ADMIN, False),
    (K.POLICE_COMMUNE, R.OFFICER, True),
    (K.COMMUNE_COMMITTEE, R.OFFICER, True),
    (K.BANK, R.OFFICER, False),
    (K.POST, R.OFFICER, False),
    (K.MOBILE_MONEY, R.ADMIN, False),
    (K.STATE_BANK, R.VIEWER, False),
    (K.STATE_BANK, R.OFFICER, False),
    (K.LEADERSHIP, R.VIEWER, False),
]
LABELS = [f"{k}-{r}" for k, r, _s in USERS]

#: route name -> one character per USERS column: "x" reaches the view, "." gets 403
MATRIX: dict[str, str] = {
    "home": "xxxxxxxxxxxxxxxx",
    "beneficiary_list": "xxxxxxxxxxxxx...",
    "beneficiary_detail": "xxxxxxxxxxxxx...",
    "beneficiary_import": ".xxxxx..........",
    "job_detail": "xxxxxxxxxxxxxxxx",
    "job_errors": "xxxxxxxxxxxxxxxx",
    "job_rerun": "xxxxxxxxxxxxxxxx",
    "audit_list": "...x...x........",
    "verification_runs": ".xxxxxxxx.......",
    "verification_run_start": ".xxxxxxx........",
    "verification_run": "xxxxxxxxxxxxxxxx",
    "verification_queue": ".xxxxxxxx.......",
    "verification_queue_assign": ".xxxxxxxx.......",
    "verification_task": ".xxxxxxxx.......",
    "verification_recoveries": "xxxxxxxxxxxxx...",
    "verification_proof_of_life": "xxxxxxxxxxxxx...",
    "suspension_reverse": "..xx.x..........",
    "proof_of_life_counter_visit": ".xxxxxxxx.......",
    "change_request_new": "xxxxxxxxxxxxx...",
    "providers": "xxxxxxxxxxxxx...",
    "provider_detail": "xxxxxxxxxxxxx...",
    "change_requests": "xxxxxxxxxxxxx...",
    "change_request_decide": "..xx.x..........",
    "change_request_submit": "xxxxxxxxxxxxx...",
    "account_notices": ".xxxxx..........",
    "account_reveal": "xxxxxxxxxxxxx...",
    "account_check": "..xx.x..........",
    "outreach_campaigns": ".xxxxx..xx.x....",
    "outreach_campaign_new": ".xxxxx..........",
    "outreach_campaign": ".xxxxx..xx.x....",
    "outreach_assignments": ".xxxxx..xx.x....",
    "outreach_assign": ".xxxxx..........",
    "outreach_my_work": ".xxxxx..xx.x....",
    "outreach_assignment": ".xxxxx..xx.x....",
    "outreach_id_cards": ".xxxxxxxxx......",
    "outreach_death_reports": ".xxxxxxxxx.x....",
    "outreach_death_reports_check": ".xxxxxxx........",
    "cycle_list": "xxxxxx....xxxxxx",
    "cycle_create": ".xxx............",
    "cycle_pay_dates": ".xxx............",
    "pay_schedule": "...x............",
    "cycle_detail": "xxxxxx....xxxxxx",
    "cycle_freeze": ".xxx............",
    "cycle_compute": ".xxx............",
    "cycle_approve": "..xx.x..........",
    "cycle_release": ".xxx............",
    "cycle_results": ".xxx......xxx...",
    "cycle_statement": ".xxx............",
    "cycle_reconcile": ".xxx............",
    "batch_g2p_send": ".xxx............",
    "batch_g2p_status": ".xxx............",
    "cycle_close": "..xx.x..........",
    "cycle_lines": "xxxxxx....xxxxxx",
    "cycle_exclusions": "xxxxxx....xxxxxx",
    "payroll_line": "xxxxxx....xxxxxx",
    "payroll_line_cancel": "..xx.x..........",
    "payroll_line_pay_again": "..xx.x..........",
    "payment_file": "xxxxxx....xxxxxx",
    "cycle_files_zip": "xxxxxx....xxxxxx",
    "return_reasons": "xxxxxx....xxxxxx",
    "report_dashboard": "xxxxxxxxxx...xxx",
    "report_refresh": ".xxx..xx........",
    "report_catalogue": "xxxxxxxxxx...xxx",
    "report_targets": "...x............",
    "report_issued": ".xxx..xx........",
    "report_issued_file": "xxxxxxxxxx...xxx",
    "report_reissue": ".xxx..xx........",
    "report_plan": ".xxxxxxxxx....x.",
    "ticket_list": ".xxxxxxxxxxxx.x.",
    "ticket_new": ".xxxxxxxxxxxx.x.",
    "ticket_detail": ".xxxxxxxxxxxx.x.",
    "ticket_action": ".xxxxxxxxxxxx.x.",
    "privacy_home": ".xxxxx..........",
    "privacy_find": ".xxxxx..........",
    "privacy_subject": ".xxxxx..........",
    "privacy_export": ".xxxxx..........",
    "privacy_request": ".xxxxx..........",
    "privacy_corrections": ".xxxxx..........",
    "privacy_correction_decide": "..xx.x..........",
    "privacy_breaches": "...x............",
    "privacy_breach_new": "...x............",
    "privacy_breach": "...x............",
    "privacy_retention": "...x............",
    "account_confirmations": ".xxxxx....xxx...",
    "report_indicators": "xxxxxxxxxx...xxx",
    "beneficiary-list": "xxxxxxxxxxxxx...",
    "beneficiary-detail": "xxxxxxxxxxxxx...",
    "job-list": "xxxxxxxxxxxxxxxx",
    "job-detail": "xxxxxxxxxxxxxxxx",
    "job-rerun": "xxxxxxxxxxxxxxxx",
    "verification-run-list": ".xxxxxxxx.......",
    "verification-run-detail": ".xxxxxxxx.......",
    "change-request-list": ".xxxxxxxx.xxx...",
    "change-request-detail": "xxxxxxxxxxxxxxxx",
    "outreach-campaign-list": ".xxxxx..xx.x....",
    "outreach-campaign-detail": ".xxxxx..xx.x....",
    "outreach-assignment-list": ".xxxxx..xx.x....",
    "outreach-assignment-detail": ".xxxxx..xx.x....",
    "outreach-assignment-contact": ".xxxxx..xx.x....",
    "verification-result-list": ".xxxxxxxx.......",
    "verification-result-detail": ".xxxxxxxx.......",
    "payment-cycle-list": ".xxx............",
    "payment-cycle-detail": "xxxxxx....xxxxxx",
    "payment-cycle-pay-dates": ".xxx............",
    "payment-cycle-result-imports": "xxxxxx....xxxxxx",
    "payment-batch-list": "xxxxxx....xxxxxx",
    "payment-batch-detail": "xxxxxx....xxxxxx",
    "payment-batch-disbursements": "xxxxxx....xxxxxx",
    "payment-batch-post-status": ".xxx......xxx...",
    "report-target-list": "xxxxxxxxxx...xxx",
    "report-target-detail": "xxxxxxxxxx...xxx",
    "grievance-ticket-list": ".xxxxxxxxxxxx.x.",
    "grievance-ticket-detail": ".xxxxxxxxxxxx.x.",
    "grievance-ticket-comment": ".xxxxxxxxxxxx.x.",
    "grievance-ticket-reopen": ".xxxxxxxxxxxx.x.",
    "grievance-ticket-resolve": ".xxxxxxxxxxxx.x.",
    "grievance-ticket-route": ".xxxxxxxxxxxx.x.",
    "grievance-ticket-set-status": ".xxxxxxxxxxxx.x.",
    "report-issued-list": ".xxx..xx........",
    "report-issued-detail": "xxxxxxxxxx...xxx",
    "report-issued-reissue": ".xxx..xx........",
    "report-plan-task-list": "xxxxxxxxxx...xxx",
    "report-plan-task-detail": "xxxxxxxxxx...xxx",
    "report-plan-task-update-status": "xxxxxxxxxx...xxx",
    "api-root": "xxxxxxxxxxxxxxxx",
    "api_schema": "xxxxxxxxxxxxxxxx",
    "api_docs": "xxxxxxxxxxxxxxxx",
}
#: routes that only hand out a file (GET); every other route is tried with POST
FILES = {
    "job_errors",
    "cycle_exclusions",
    "payment_file",
    "cycle_files_zip",
    "report_issued_file",
    "privacy_export",
}
#: not in the matrix: sign-in and the user's own account pages (tests/iam), the language
#: switch, the admin site (tests/core/test_web_security.py), the G2P Connect endpoints of
#: machine clients (OAuth2 bearer JWTs only, no user: tests/disbursement/test_g2p_cycle.py)
OUTSIDE = ("accounts/", "i18n/", "django-admin/", "api/g2p/")
KWARGS = {"fmt": "pdf"}


def _routes() -> dict[str, tuple[str, dict]]:
    """{name: (pattern, callback's actions)} of the URLconf (format-suffix twins left out)."""
    out: dict[str, tuple[str, dict]] = {}

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif "format" not in str(p.pattern) and p.name:
                route = prefix + str(p.pattern)
                if not route.startswith(OUTSIDE):
                    out.setdefault(p.name, (route, getattr(p.callback, "actions", None) or {}))

    walk(get_resolver().url_patterns)
    return out


def test_every_route_is_in_the_matrix():
    routes = _routes()
    assert sorted(set(routes) - set(MATRIX)) == [], "classify the new routes in MATRIX"
    assert sorted(set(MATRIX) - set(routes)) == [], "routes gone: remove them from MATRIX"
    assert all(len(v) == len(USERS) and set(v) <= {"x", "."} for v in MATRIX.values())


def _url(name: str, route: str) -> str:
    kwargs = {k: v for k, v in KWARGS.items() if f"<str:{k}>" in route}
    if "pk" in route:
        kwargs["pk"] = 999999
    if "batch_pk" in route:
        kwargs["batch_pk"] = 999999
    return reverse(name, kwargs=kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("column", range(len(USERS)), ids=LABELS)
def test_who_reaches_each_endpoint(client, make_user, tq_communes, column):
    kind, role, scoped = USERS[column]
    user = make_user(kind, role, communes=[tq_communes[0]] if scoped else None)
    client.force_login(user)
    headers = api_headers(user)
    wrong = []
    for name, (route, actions) in sorted(_routes().items()):
        url = _url(name, route)
        if route.startswith("api/"):
            if name == "account_confirmations" or (
                "post" in actions and not ("get" in actions and name.endswith("-detail"))
            ):
                r = client.post(url, {}, content_type="application/json", **headers)
            else:
                r = client.get(url, **headers)
        elif name in FILES:
            r = client.get(url)
        else:
            r = client.post(url, {})
        assert r.status_code < 500, (name, r.status_code)
        assert r.status_code != 401 and not (
            r.status_code == 302 and "/accounts/" in r.get("Location", "")
        ), (name, r)
        reached = r.status_code != 403
        if reached != (MATRIX[name][column] == "x"):
            wrong.append((name, r.status_code))
    assert wrong == [], f"{LABELS[column]}: {wrong}"
