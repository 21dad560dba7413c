"""A real server (the `chitra` command, as `make demo` runs it) and a real task worker in
subprocesses, on their own database, driven by Debian's chromium through Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _chitra() -> list[str]:
    return [sys.executable, "-m", "chitra"]


@pytest.fixture(scope="session")
def browser_available() -> None:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CHITRA_REQUIRE_BROWSER"):
            pytest.fail("chromium is required (run scripts/install-chromium.sh)")
        pytest.skip("chromium not installed (scripts/install-chromium.sh installs it)")


@pytest.fixture(scope="session")
def live_site(tmp_path_factory, browser_available) -> Iterator[dict]:
    base = tmp_path_factory.mktemp("e2e")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        {
            "CHITRA_DEBUG": "1",
            "CHITRA_TESTING": "1",
            "CHITRA_VAR_DIR": str(base),
            "CHITRA_SECURE_COOKIES": "0",
            "PYTHONPATH": str(Path(__file__).parents[2] / "src"),
        }
    )
    url = os.environ.get("DATABASE_URL", "")
    pg_db = None
    if url.startswith("postgres"):
        import psycopg

        pg_db = f"chitra_e2e_{uuid.uuid4().hex[:8]}"
        admin_url = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{pg_db}"')
        env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + pg_db
    else:
        env["DATABASE_URL"] = f"sqlite:///{base / 'e2e.sqlite3'}"
    run = dict(env=env, check=True, capture_output=True, text=True, timeout=300)
    subprocess.run([*_chitra(), "migrate", "--no-input", "-v0"], **run)
    subprocess.run([*_chitra(), "demo_data", "--beneficiaries", "300", "--seed", "7"], **run)
    port = _free_port()
    log = open(base / "server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [*_chitra(), "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(
        [*_chitra(), "db_worker", "--interval", "0.2", "--no-reload", "--no-startup-delay"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("server did not start: " + (base / "server.log").read_text())
        yield {"url": f"http://127.0.0.1:{port}", "env": env, "base": base}
    finally:
        for proc in (server, worker):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()
        if pg_db:
            import psycopg

            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_db}" WITH (FORCE)')


@pytest.fixture
def page(live_site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="vi-VN")
        pg = context.new_page()
        pg.set_default_timeout(20_000)
        yield pg
        context.close()
        browser.close()


def totp_code(live_site: dict, username: str) -> str:
    """The demo user's current two-factor code, as `chitra totp_code` prints it (the live
    server runs with CHITRA_DEBUG=1, where the command works)."""
    out = subprocess.run(
        [*_chitra(), "totp_code", username],
        env=live_site["env"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return out.stdout.strip()


DEMO_PASSWORD = "chitra-demo-2026"


def login(page, live_site: dict, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in as a person does: password, then (approvers, admins, providers) the code."""
    url = live_site["url"]
    page.goto(url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    if "/accounts/2fa/verify/" in page.url:
        page.fill("#id_code", totp_code(live_site, username))
        page.click("[data-testid=otp-form] button[type=submit]")
    page.wait_for_url(url + "/")
