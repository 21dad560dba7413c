"""Web settings for production (issue 11): headers on every answer, no caching of personal
data, open redirects closed by one helper, the admin site behind 2FA or off, the deploy
checks clean under production settings."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys

import pytest
from django.core import checks
from django.test import Client, RequestFactory, override_settings
from django.urls import clear_url_caches, reverse

from chitra.core.redirects import safe_next
from chitra.iam import twofactor as tf
from chitra.iam.models import OrgKind, Role, User
from tests.auth import api_headers
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "") and response.get("Pragma") == "no-cache"


def test_pages_api_and_exports_are_never_cached_static_files_are(client, bhxh_admin, settings):
    client.force_login(bhxh_admin)
    for url in ("/", "/beneficiaries/", "/audit/", "/audit/?format=xlsx", reverse("api_tokens")):
        r = client.get(url)
        assert r.status_code == 200, url
        assert no_store(r), url
    r = Client().get("/api/v1/beneficiaries/", **api_headers(bhxh_admin))
    assert r.status_code == 200 and no_store(r)
    assert no_store(Client().get("/api/v1/beneficiaries/"))  # a 401 of the API too
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    static = Client()
    static.force_login(bhxh_admin)
    r = static.get("/static/chitra/chitra.css")
    assert r.status_code == 200
    assert "no-store" not in r.get("Cache-Control", "")


def test_security_headers_on_every_answer(client):
    r = client.get(reverse("login"))
    policy = r["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
    assert r["Referrer-Policy"] == "same-origin"
    assert r["Cross-Origin-Opener-Policy"] == "same-origin"
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in r["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("/beneficiaries/?q=1", True),
        ("http://testserver/audit/", True),
        ("//evil.example/x", False),
        ("https://evil.example/", False),
        ("http://testserver.evil.example/", False),
        ("javascript:alert(1)", False),
        ("/\\evil.example", False),
        ("\\\\evil.example", False),
        ("https:///evil.example", False),
        (" //evil.example", False),
    ],
)
def test_safe_next(url, safe):
    rf = RequestFactory()
    for request in (
        rf.get("/", {"next": url}),
        rf.post("/", {"next": url}),
        rf.get("/", {"return": url}),
        rf.get("/", {"back": url}),
    ):
        assert safe_next(request, "home") == (url if safe else "/")


def test_login_logout_and_language_switch_stay_on_the_site(make_user):
    user = make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER)
    c = Client()
    r = c.post(
        reverse("login"),
        {"username": user.username, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert r.status_code == 302 and r["Location"] == "/"
    c.logout()
    r = c.post(
        reverse("login"),
        {"username": user.username, "password": PASSWORD, "next": "/beneficiaries/"},
    )
    assert r["Location"] == "/beneficiaries/"
    r = c.post(reverse("set_language"), {"language": "en", "next": "//evil.example/"})
    assert r.status_code == 302 and r["Location"] == "/"
    assert c.cookies["django_language"].value == "en"
    r = c.post(reverse("set_language"), {"language": "vi", "next": "/beneficiaries/"})
    assert r["Location"] == "/beneficiaries/"
    r = c.post(reverse("logout"), {"next": "https://evil.example/"})
    assert r.status_code == 302 and r["Location"] == reverse("login")


def test_views_that_read_next_refuse_other_sites(client, make_user):
    officer = make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER)
    client.force_login(officer)
    r = client.post(reverse("verification_queue_assign"), {"next": "https://evil.example/"})
    assert r.status_code == 302 and r["Location"] == reverse("verification_queue")
    r = client.post(reverse("verification_queue_assign"), {"next": "/verification/queue/?p=2"})
    assert r["Location"] == "/verification/queue/?p=2"


def test_no_template_or_view_redirects_to_an_unchecked_next():
    """Every `next` / `return` / `back` read by a view goes through safe_next."""
    import re
    from pathlib import Path

    src = Path(__file__).parents[2] / "src" / "chitra"
    bad = []
    for path in src.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"redirect\((request\.(POST|GET)[^)]*)\)", text):
            bad.append(f"{path}: {m.group(0)}")
        for m in re.finditer(r"\.get\([\"'](next|return|back)[\"']", text):
            if path.name != "redirects.py":
                bad.append(f"{path}: {m.group(0)}")
    assert not bad, bad


def _superuser() -> User:
    return User.objects.create_superuser("root", password=PASSWORD)


def test_admin_site_only_for_verified_superusers(make_user):
    anon = Client()
    r = anon.get("/django-admin/")
    assert r.status_code == 302
    r = anon.get(r["Location"])
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))
    root = _superuser()
    c = Client()
    c.post(reverse("login"), {"username": "root", "password": PASSWORD})
    r = c.get("/django-admin/")  # not verified: held by the middleware
    assert r.status_code == 302 and r["Location"].startswith(reverse("twofactor_setup"))
    device = tf.totp_enrol_start(root)
    c.post(reverse("twofactor_setup"), {"code": tf.totp_code_now(device)})
    assert c.get("/django-admin/").status_code == 200
    # a verified province admin who is not a superuser is refused
    admin = make_user(OrgKind.BHXH_PROVINCE, Role.ADMIN)
    admin.is_staff = True
    admin.save()
    a = Client()
    a.post(reverse("login"), {"username": admin.username, "password": PASSWORD})
    a.post(reverse("twofactor_setup"), {"code": tf.totp_code_now(tf.totp_enrol_start(admin))})
    r = a.get("/django-admin/", follow=True)
    assert r.status_code == 403


def test_admin_site_can_be_switched_off(settings):
    import chitra.urls

    settings.CHITRA_ADMIN_SITE = False
    try:
        importlib.reload(chitra.urls)
        clear_url_caches()
        assert not any(str(p.pattern) == "django-admin/" for p in chitra.urls.urlpatterns)
    finally:
        settings.CHITRA_ADMIN_SITE = True
        importlib.reload(chitra.urls)
        clear_url_caches()
    assert any(str(p.pattern) == "django-admin/" for p in chitra.urls.urlpatterns)


PRODUCTION = dict(
    DEBUG=False,
    SECRET_KEY="k" * 20 + "production-like-secret-0123456789-abcdefghijklmnop",
    ALLOWED_HOSTS=["chitra.bhxh.example.vn"],
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31_536_000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_HSTS_PRELOAD=True,
)


def test_deploy_checks_are_clean_under_production_settings():
    with override_settings(**PRODUCTION):
        found = [
            m
            for m in checks.run_checks(include_deployment_checks=True)
            if m.level >= checks.WARNING
        ]
    assert found == []
    # and each setting matters: without HSTS, the deploy check warns
    with override_settings(**{**PRODUCTION, "SECURE_HSTS_SECONDS": 0}):
        ids = {m.id for m in checks.run_checks(include_deployment_checks=True)}
    assert "security.W004" in ids


def test_check_deploy_with_the_production_environment(tmp_path):
    """`chitra check --deploy` with a production environment (no debug) gives no warning."""
    from cryptography.fernet import Fernet

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CHITRA_", "PYTEST", "DJANGO_SETTINGS"))
    }
    env.update(
        {
            "CHITRA_SECRET_KEY": "s3cr3t-" + "x7Qp" * 15,
            "CHITRA_ALLOWED_HOSTS": "chitra.gov.vn",
            "CHITRA_SECURE_COOKIES": "1",
            "CHITRA_FIELD_KEYS": Fernet.generate_key().decode(),
            "CHITRA_BLIND_INDEX_KEY": "b" * 40,
            "CHITRA_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
        }
    )
    out = subprocess.run(
        [sys.executable, "-m", "chitra", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout
    settings_out = subprocess.run(
        [
            sys.executable,
            "-m",
            "chitra",
            "shell",
            "-c",
            "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, "
            "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, getattr(s, "
            "'SECURE_PROXY_SSL_HEADER', None), s.CHITRA_THROTTLE_RATES)",
        ],
        env={**env, "CHITRA_BEHIND_PROXY": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    last = settings_out.stdout.strip().splitlines()[-1]
    assert last.split()[:3] == ["31536000", "True", "True"]
    assert "HTTP_X_FORWARDED_PROTO" in last
    # the production throttle rates: 600 a minute per user and per token, 60 on lookups
    assert "'user': '600/minute'" in last and "'person_lookup': '60/minute'" in last
