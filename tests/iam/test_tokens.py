"""API tokens: named, scoped, expiring, revocable, stored as a hash; the page and the command;
one test per scope that a token without it gets 403."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from chitra.core.errors import ChitraError
from chitra.core.models import AuditEvent
from chitra.iam.models import ApiToken, OrgKind, Role
from chitra.iam.scopes import ANY_SCOPE, VIEW_SCOPES, Scope, scopes_for
from chitra.iam.tokens import api_token_create, api_token_revoke
from tests.auth import api_headers

K, R = OrgKind, Role
pytestmark = pytest.mark.django_db


def make(owner, scopes=None, days=None, actor=None):
    return api_token_create(
        actor=actor or owner,
        owner=owner,
        name="robot",
        scopes=scopes or [s.value for s in scopes_for(owner)],
        days=days,
        verified=True,
    )


def test_the_secret_is_kept_only_as_a_hash(bhxh_officer, client):
    new = make(bhxh_officer, ["registry:read"])
    t = ApiToken.objects.get(pk=new.token.pk)
    assert new.secret.startswith("chitra_") and len(new.secret) > 40
    assert t.digest == hashlib.sha256(new.secret.encode()).hexdigest()
    assert t.prefix == new.secret[len("chitra_") :][:8]
    assert new.secret not in repr(list(ApiToken.objects.values()))
    # default validity CHITRA_API_TOKEN_DAYS (90)
    assert abs((t.expires_at - timezone.now()) - dt.timedelta(days=90)) < dt.timedelta(minutes=1)
    for keyword in ("Token", "Bearer", "token"):
        r = client.get("/api/v1/beneficiaries/", HTTP_AUTHORIZATION=f"{keyword} {new.secret}")
        assert r.status_code == 200, keyword
    t.refresh_from_db()
    assert t.last_used_at is not None
    assert (
        client.get("/api/v1/beneficiaries/", HTTP_AUTHORIZATION=f"Token {new.secret}x").status_code
        == 401
    )
    assert (
        client.get("/api/v1/beneficiaries/", HTTP_AUTHORIZATION="Token chitra_nothing").status_code
        == 401
    )
    assert AuditEvent.objects.filter(action="iam.api_token.create", object_id=str(t.pk)).exists()


def test_expired_and_revoked_tokens_answer_401_with_a_clear_message(bhxh_officer, client):
    new = make(bhxh_officer, ["registry:read"])
    ApiToken.objects.filter(pk=new.token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    r = client.get("/api/v1/beneficiaries/", HTTP_AUTHORIZATION=f"Token {new.secret}")
    assert r.status_code == 401
    assert "hết hạn" in r.json()["detail"]
    assert r["WWW-Authenticate"] == "Token"
    new2 = make(bhxh_officer, ["registry:read"])
    api_token_revoke(actor=bhxh_officer, token=new2.token, reason="leaked")
    r = client.get("/api/v1/beneficiaries/", HTTP_AUTHORIZATION=f"Token {new2.secret}")
    assert r.status_code == 401 and "thu hồi" in r.json()["detail"]
    ev = AuditEvent.objects.get(action="iam.api_token.revoke")
    assert ev.reason == "leaked"
    # an inactive owner
    new3 = make(bhxh_officer, ["registry:read"])
    bhxh_officer.is_active = False
    bhxh_officer.save()
    assert (
        client.get("/api/v1/beneficiaries/", HTTP_AUTHORIZATION=f"Token {new3.secret}").status_code
        == 401
    )


def test_creation_rules(make_user, bhxh_officer):
    with pytest.raises(ChitraError):
        make(bhxh_officer, days=366)
    with pytest.raises(ChitraError):
        make(bhxh_officer, days=0)
    assert make(bhxh_officer, days=365).token.expires_at > timezone.now() + dt.timedelta(364)
    with pytest.raises(ChitraError):
        make(bhxh_officer, ["nonsense"])
    with pytest.raises(ChitraError):
        api_token_create(
            actor=bhxh_officer,
            owner=bhxh_officer,
            name=" ",
            scopes=["registry:read"],
            verified=True,
        )
    # a scope the role cannot use: a bank's officer posts results, never reads reports
    bank = make_user(K.BANK, R.OFFICER)
    assert "verification" not in scopes_for(bank) and "payments:results" in scopes_for(bank)
    with pytest.raises(ChitraError):
        make(bank, ["verification"])
    # an owner who must use 2FA: never from an unverified session
    with pytest.raises(ChitraError):
        api_token_create(actor=bank, owner=bank, name="x", scopes=["payments:read"], verified=False)
    # somebody else's token: only an administrator of their province
    from django.core.exceptions import PermissionDenied

    other = make_user(K.BHXH_PROVINCE, R.OFFICER)
    with pytest.raises(PermissionDenied):
        make(other, ["registry:read"], actor=bhxh_officer)


SCOPE_CALLS = [
    (Scope.REGISTRY_READ, "get", "/api/v1/beneficiaries/", None),
    (Scope.VERIFICATION, "get", "/api/v1/verification/runs/", None),
    (Scope.PAYMENTS_READ, "get", "/api/v1/payments/batches/", None),
    (Scope.PAYMENTS_READ, "get", "/api/v1/payments/change-requests/", None),
    (
        Scope.PAYMENTS_RESULTS,
        "post",
        "/api/v1/payments/batches/999999/status/",
        {"transaction_id": "t", "disbursements": []},
    ),
    (Scope.PAYMENTS_READ, "get", "/api/v1/payments/cycles/", None),
    (Scope.PAYMENTS_RUN, "post", "/api/v1/payments/cycles/", {}),
    (Scope.PAYMENTS_RUN, "post", "/api/v1/payments/cycles/999999/pay-dates/", {}),
    (Scope.ACCOUNTS_WRITE, "post", "/api/v1/payments/account-confirmations/", {"rows": []}),
    (Scope.ACCOUNTS_WRITE, "post", "/api/v1/payments/change-requests/", {}),
    (Scope.OUTREACH, "get", "/api/v1/outreach/campaigns/", None),
    (Scope.OUTREACH, "get", "/api/v1/outreach/assignments/", None),
    (Scope.GRIEVANCES, "get", "/api/v1/grievances/tickets/", None),
    (Scope.REPORTS, "get", "/api/v1/reports/targets/", None),
    (Scope.REPORTS, "get", "/api/v1/reports/indicators/", None),
    (Scope.REPORTS, "get", "/api/v1/reports/plan-tasks/", None),
    (Scope.REPORTS, "get", "/api/v1/reports/issued/", None),
]


@pytest.mark.parametrize(
    ("scope", "method", "url", "body"),
    SCOPE_CALLS,
    ids=[f"{s.value}-{u}" for s, _m, u, _b in SCOPE_CALLS],
)
def test_a_token_without_the_scope_gets_403(bhxh_officer, client, scope, method, url, body):
    # the national BHXH officer's role can use every scope but payments:results, so the
    # provincial BHXH officer (who runs the cycle) is used
    assert scope.value in scopes_for(bhxh_officer)
    others = [s.value for s in scopes_for(bhxh_officer) if s != scope]
    call = getattr(client, method)
    kwargs = {"content_type": "application/json"} if body is not None else {}
    r = call(url, body if body is not None else None, **kwargs, **api_headers(bhxh_officer, others))
    assert r.status_code == 403, r.content
    assert scope.value in r.json()["detail"]
    r = call(
        url,
        body if body is not None else None,
        **kwargs,
        **api_headers(bhxh_officer, [scope.value]),
    )
    assert r.status_code != 403 and r.status_code != 401, r.content


def _api_views():
    """Every view under /api/ in the URLconf, with its actions."""
    out = []

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                cls = getattr(p.callback, "cls", None)
                if cls is not None and (prefix + str(p.pattern)).startswith("api/"):
                    actions = getattr(p.callback, "actions", None)
                    out.append(
                        (
                            f"{cls.__module__}.{cls.__qualname__}",
                            sorted(set(actions.values())) if actions else None,
                            [
                                m
                                for m in ("get", "post", "put", "patch", "delete")
                                if hasattr(cls, m)
                            ],
                        )
                    )

    walk(get_resolver().url_patterns, "")
    return out


def test_every_api_view_names_its_scope():
    views = _api_views()
    assert len(views) > 15
    for key, actions, methods in views:
        entry = VIEW_SCOPES.get(key)
        assert entry is not None, f"{key} has no scope in chitra.iam.scopes.VIEW_SCOPES"
        if isinstance(entry, dict):
            for action in actions or methods:
                assert action in entry, f"{key}.{action} has no scope"
        else:
            assert entry == ANY_SCOPE or entry in set(Scope)


def test_schema_and_docs_need_a_login_or_a_token(bhxh_officer, client):
    anon = Client()
    assert anon.get("/api/schema/").status_code == 401
    r = anon.get("/api/docs/")
    assert r.status_code == 302 and reverse("login") in r["Location"]
    assert anon.get("/api/docs/?script=").status_code in (302, 401)
    assert anon.get("/api/schema/", HTTP_AUTHORIZATION="Token chitra_bad").status_code == 401
    # any valid token reads the schema
    r = anon.get("/api/schema/", **api_headers(bhxh_officer, ["reports"]))
    assert r.status_code == 200 and b"openapi" in r.content
    client.force_login(bhxh_officer)
    assert client.get("/api/schema/").status_code == 200
    r = client.get("/api/docs/")
    html = r.content.decode()
    assert r.status_code == 200
    # under the site's CSP (no exemption) and with no inline script or style
    assert "script-src 'self'" in r["Content-Security-Policy"]
    assert "<style" not in html and not re.search(r"<script>(?!</script>)", html)
    assert re.search(r'<script src="[^"]*\?script=', html)
    js = client.get("/api/docs/?script=")
    assert js.status_code == 200 and b"SwaggerUIBundle" in js.content


def test_token_page_lists_makes_and_revokes_own_tokens(client, bhxh_officer, make_user):
    client.force_login(bhxh_officer)
    r = client.post(
        reverse("api_tokens"),
        {"name": "nightly import", "scopes": ["registry:read", "reports"], "days": "30"},
    )
    assert r.status_code == 200
    secret = re.search(r'data-testid="token-secret">([^<]+)<', r.text).group(1)
    token = ApiToken.objects.get(owner=bhxh_officer)
    assert token.scopes == ["registry:read", "reports"]
    assert secret not in client.get(reverse("api_tokens")).text  # shown once
    assert "nightly import" in client.get(reverse("api_tokens")).text
    # a scope that is not offered is refused
    r = client.post(reverse("api_tokens"), {"name": "x", "scopes": ["admin:all"], "days": "30"})
    assert ApiToken.objects.filter(owner=bhxh_officer).count() == 1
    # another user's token cannot be revoked (404)
    other = make_user(K.BHXH_PROVINCE, R.OFFICER)
    theirs = make(other, ["registry:read"])
    assert client.post(reverse("api_token_revoke", args=[theirs.token.pk])).status_code == 404
    r = client.post(reverse("api_token_revoke", args=[token.pk]))
    assert r.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == bhxh_officer
    assert (
        client.get("/api/v1/beneficiaries/", HTTP_AUTHORIZATION=f"Token {secret}").status_code
        == 401
    )


def test_admins_list_and_revoke_tokens_of_their_province(client, make_user):
    from chitra.geo.models import Province

    admin = make_user(K.BHXH_PROVINCE, R.ADMIN)
    officer = make_user(K.BHXH_OFFICE, R.OFFICER)
    far = make_user(K.BHXH_PROVINCE, R.OFFICER, province=Province.objects.get(code="01"))
    mine, theirs = make(officer, ["registry:read"]), make(far, ["registry:read"])
    client.force_login(admin)
    r = client.get(reverse("user_admin_detail", args=[officer.pk]))
    assert r.status_code == 200 and mine.token.prefix in r.text
    assert client.get(reverse("user_admin_detail", args=[far.pk])).status_code == 404
    assert client.post(reverse("api_token_revoke", args=[theirs.token.pk])).status_code == 404
    assert client.post(reverse("api_token_revoke", args=[mine.token.pk])).status_code == 302
    assert ApiToken.objects.get(pk=mine.token.pk).revoked_by == admin
    # an officer has no user pages
    client.force_login(officer)
    assert client.get(reverse("user_admin_list")).status_code == 403


def test_command_makes_lists_and_revokes(bhxh_officer, bhxh_admin, capsys):
    call_command(
        "api_token",
        bhxh_officer.username,
        "--name",
        "bank sync",
        "--scopes",
        "registry:read,reports",
        "--days",
        "10",
        "--user",
        bhxh_admin.username,
    )
    secret = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(owner=bhxh_officer)
    assert token.created_by == bhxh_admin and token.scopes == ["registry:read", "reports"]
    assert token.expires_at < timezone.now() + dt.timedelta(days=10, minutes=1)
    assert secret.startswith("chitra_")
    call_command("api_token", bhxh_officer.username, "--list")
    out = capsys.readouterr().out
    assert "bank sync" in out and "active" in out and secret not in out
    with pytest.raises(CommandError):
        call_command("api_token", bhxh_officer.username, "--name", "x", "--days", "400")
    with pytest.raises(CommandError):
        call_command(
            "api_token", bhxh_admin.username, "--name", "x", "--user", bhxh_officer.username
        )  # an officer, for somebody else
    call_command("api_token", bhxh_officer.username, "--revoke", str(token.pk))
    token.refresh_from_db()
    assert token.revoked_at is not None
