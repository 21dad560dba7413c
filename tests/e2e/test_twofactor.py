"""Two-factor log-in in a real browser: an approver types the code from the authenticator
(the demo's known secret, `chitra totp_code`), then the API docs page works under the strict
CSP (no violation in the console)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import login, totp_code

pytestmark = pytest.mark.e2e


def test_approver_logs_in_with_a_code_and_reads_the_api_docs(page, live_site):
    url = live_site["url"]
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url + "/accounts/login/")
    page.fill("#id_username", "bhxh.approver")
    page.fill("#id_password", "chitra-demo-2026")
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/2fa/verify/**")
    # every other page sends back to the code page
    page.goto(url + "/beneficiaries/")
    assert "/accounts/2fa/verify/" in page.url
    page.fill("#id_code", "000000")
    page.click("[data-testid=otp-form] button[type=submit]")
    page.wait_for_selector("[data-testid=otp-error]")
    page.wait_for_timeout(2500)  # the lock-out after one wrong code (2 s)
    page.fill("#id_code", totp_code(live_site, "bhxh.approver"))
    page.click("[data-testid=otp-form] button[type=submit]")
    page.wait_for_url(url + "/beneficiaries/")
    page.goto(url + "/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
    assert page.query_selector_all(".swagger-ui .opblock")
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_bank_officer_must_use_the_code_too(page, live_site):
    login(page, live_site, "bank.officer")
    assert page.inner_text("[data-testid=whoami]").startswith("Vũ Thị Mai")
