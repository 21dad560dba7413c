"""The monthly cycle in a real browser: open, compute (worker), approve by another user,
release (worker), upload a provider's results file, see the reconciliation hold."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from django.utils import timezone

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def logout(page):
    page.click("nav form button[type=submit]")


def open_cycle(page, cycle_url):
    """Follow the job page's link back to the cycle and wait for the cycle page
    itself: a query right after the click may otherwise read the job page."""
    page.click("[data-testid=open-cycle]")
    page.wait_for_url(cycle_url)
    page.wait_for_selector("[data-testid=steps]")


def test_cycle_through_the_pages(page, live_site, tmp_path):
    url = live_site["url"]
    month = timezone.localdate().strftime("%Y-%m")
    login(page, live_site, "bhxh.officer")
    page.goto(url + "/payments/cycles/")
    page.fill("#month", month)
    page.click("main form[action$='/new/'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/payments/cycles/\d+/$"))
    cycle_url = page.url
    page.click("form[action$='/compute/'] button")
    page.wait_for_url(re.compile(r".*/jobs/\d+/$"))
    page.wait_for_selector("[data-status=succeeded]", timeout=60_000)
    open_cycle(page, cycle_url)
    assert "computed" in page.get_attribute(
        "[data-testid=steps] .text-bg-primary", "class"
    ) or page.inner_text("[data-testid=cycle-total]")
    assert page.inner_text("[data-testid=invariant]")
    # the maker cannot approve: no approve button for an officer
    assert page.query_selector("form[action$='/approve/']") is None
    logout(page)

    login(page, live_site, "bhxh.approver")
    page.goto(cycle_url)
    page.click("form[action$='/approve/'] button")
    page.wait_for_selector(".alert-success")
    logout(page)

    login(page, live_site, "bhxh.officer")
    page.goto(cycle_url)
    page.click("form[action$='/release/'] button")
    page.wait_for_url(re.compile(r".*/jobs/\d+/$"))
    page.wait_for_selector("[data-status=succeeded]", timeout=120_000)
    open_cycle(page, cycle_url)
    assert page.query_selector_all("[data-testid=files] a")
    # the providers answer (simulated), one file uploaded on the page
    out = tmp_path / "results"
    subprocess.run(
        [sys.executable, "-m", "chitra", "cycle_simulate_results", "--out", str(out)],
        env=live_site["env"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    first = sorted(out.iterdir())[0]
    page.set_input_files("#results-file", str(first))
    page.click("[data-testid=results-form] button[type=submit]")
    page.wait_for_url(re.compile(r".*/jobs/\d+/$"))
    page.wait_for_selector("[data-status=succeeded]", timeout=60_000)
    assert page.inner_text("[data-testid=job-summary]")
    open_cycle(page, cycle_url)
    badge = page.get_attribute("[data-testid=invariant]", "class")
    assert "text-bg-success" in badge


def test_dashboard_and_report(page, live_site):
    url = live_site["url"]
    login(page, live_site, "bhxh.officer")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url + "/reports/")
    page.click("form[action$='/refresh/'] button")
    page.wait_for_url(re.compile(r".*/jobs/\d+/$"))
    page.wait_for_selector("[data-status=succeeded]", timeout=120_000)
    page.goto(url + "/reports/")
    page.wait_for_selector("#trend-chart")
    # Chart.js drew the charts (no inline script: CSP script-src 'self')
    page.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length >= 2")
    assert not [e for e in errors if "Content Security Policy" in e]
    page.goto(url + "/reports/issued/")
    page.select_option("#rk", "monthly")
    page.fill("#rp", timezone.localdate().strftime("%Y-%m"))
    page.click("[data-testid=issue-form] button[type=submit]")
    page.wait_for_selector("[data-testid=issued] a[href$='/pdf/']")
    with page.expect_download() as dl:
        page.click("[data-testid=issued] a[href$='/pdf/']")
    assert dl.value.suggested_filename.endswith(".pdf")
