"""API tokens: making (secret shown once, SHA-256 kept), revoking, listing, and the DRF
authentication that reads `Authorization: Token <secret>` (or `Bearer <secret>`), refuses
expired and revoked tokens with 401 and a clear message, and a token without the scope the
view needs with 403 (`chitra.iam.scopes`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from chitra.core.audit import audit_record
from chitra.core.errors import ChitraError
from chitra.iam.access import Perm, has_perm, require_perm
from chitra.iam.models import ApiToken, User
from chitra.iam.policy import may_manage
from chitra.iam.scopes import ANY_SCOPE, Scope, required_scope, scopes_for

#: every secret starts with this, so that it is recognised (and found by secret scanners)
SECRET_PREFIX = "chitra_"  # noqa: S105 (a marker, not a secret)
PREFIX_LEN = 8  # characters of the random part kept in clear
KEYWORDS = (b"token", b"bearer")
#: `last used` is written at most this often per token (not on every request)
LAST_USED_EVERY = dt.timedelta(minutes=1)


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _split(secret: str) -> str | None:
    """The clear prefix of a well-formed secret, or None."""
    if not secret.startswith(SECRET_PREFIX):
        return None
    rest = secret[len(SECRET_PREFIX) :]
    return rest[:PREFIX_LEN] if len(rest) > PREFIX_LEN else None


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def parse_scopes(text: str | Iterable[str]) -> list[str]:
    items = text.split(",") if isinstance(text, str) else list(text)
    out: list[str] = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        if item not in {s.value for s in Scope}:
            raise ChitraError(
                _("Unknown scope '%(scope)s'. Scopes: %(all)s.")
                % {"scope": item, "all": ", ".join(s.value for s in Scope)}
            )
        if item not in out:
            out.append(item)
    return out


def _check_token_request(actor: User, owner: User, verified: bool) -> None:
    """Raise unless `actor` may make a token of `owner` from this session."""
    from chitra.iam.twofactor import needs_2fa

    if actor.pk != owner.pk and not may_manage(actor, owner):
        require_perm(None, Perm.USER_MANAGE)  # raises PermissionDenied
    if not owner.is_active:
        raise ChitraError(_("The user is not active."))
    if needs_2fa(owner) and not verified:
        raise ChitraError(_("Verify your session with a two-factor code before making a token."))


def _token_name(name: str) -> str:
    """The token's name, stripped; raise when empty or too long."""
    name = (name or "").strip()
    if not name:
        raise ChitraError(_("Give the token a name (what it is for)."))
    if len(name) > 100:
        raise ChitraError(_("The name is too long (100 characters at most)."))
    return name


def _token_scopes(owner: User, scopes: Iterable[str]) -> list[str]:
    """The scopes asked for, each one known and usable by the owner's role."""
    chosen = parse_scopes(scopes)
    if not chosen:
        raise ChitraError(_("Choose at least one scope."))
    usable = {s.value for s in scopes_for(owner)}
    refused = [s for s in chosen if s not in usable]
    if refused:
        raise ChitraError(
            _("This user's role cannot use the scope(s) %(scopes)s.")
            % {"scopes": ", ".join(refused)}
        )
    return chosen


def _token_days(days: int | None) -> int:
    """The validity in days (the setting's default when None), within the allowed range."""
    days = settings.CHITRA_API_TOKEN_DAYS if days is None else int(days)
    if not 1 <= days <= settings.CHITRA_API_TOKEN_MAX_DAYS:
        raise ChitraError(
            _("A token is valid for 1 to %(max)s days.")
            % {"max": settings.CHITRA_API_TOKEN_MAX_DAYS}
        )
    return days


def _new_secret() -> tuple[str, str]:
    """A fresh secret and its prefix, the prefix used by no token yet."""
    while True:
        secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        prefix = _split(secret)
        if prefix and not ApiToken.objects.filter(prefix=prefix).exists():
            return secret, prefix


def api_token_create(
    *,
    actor: User,
    owner: User,
    name: str,
    scopes: Iterable[str],
    days: int | None = None,
    verified: bool,
) -> NewToken:
    """A new token of `owner` (oneself, or by an administrator of the owner's province).
    `verified`: the request comes from a 2FA-verified session or from the command line; a
    token of a user who must use 2FA is never made from an unverified session."""
    _check_token_request(actor, owner, verified)
    name = _token_name(name)
    chosen = _token_scopes(owner, scopes)
    days = _token_days(days)
    with transaction.atomic():
        secret, prefix = _new_secret()
        token = ApiToken.objects.create(
            owner=owner,
            name=name,
            prefix=prefix,
            digest=digest_of(secret),
            scopes=chosen,
            created_by=actor,
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        audit_record(
            actor,
            "iam.api_token.create",
            obj=token,
            after={
                "owner": owner.username,
                "name": name,
                "scopes": chosen,
                "expires_at": token.expires_at,
                "prefix": prefix,
            },
        )
    return NewToken(token, secret)


def api_token_revoke(*, actor: User, token: ApiToken, reason: str = "") -> ApiToken:
    """Revoke a token (its owner, or an administrator of the owner's province)."""
    owner = token.owner
    if actor.pk != owner.pk and not may_manage(actor, owner):
        require_perm(None, Perm.USER_MANAGE)
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor,
            "iam.api_token.revoke",
            obj=token,
            after={"owner": owner.username, "prefix": token.prefix},
            reason=reason,
        )
    return token


def tokens_of(actor: User, owner: User | None = None) -> QuerySet[ApiToken]:
    """Tokens `actor` may list: their own, or (administrators) those of `owner` when given,
    else of every user of their province."""
    qs = ApiToken.objects.select_related("owner", "created_by", "revoked_by")
    if owner is not None:
        if owner.pk == actor.pk or may_manage(actor, owner):
            return qs.filter(owner=owner)
        return qs.none()
    if actor.is_national:
        return qs
    if has_perm(actor, Perm.USER_MANAGE):
        return qs.filter(
            owner__area_province_id=actor.area_province_id,
            owner__is_superuser=False,
            owner__is_system=False,
        )
    return qs.filter(owner=actor)


def token_get(actor: User, pk: Any) -> ApiToken:
    """One token the actor may see (404 alike for missing and not yours)."""
    from django.http import Http404

    token = tokens_of(actor).filter(pk=pk).first() if str(pk).isdigit() else None
    if token is None:
        raise Http404
    return token


def find_token(secret: str) -> ApiToken | None:
    prefix = _split(secret)
    if prefix is None:
        return None
    token = (
        ApiToken.objects.select_related("owner", "owner__organisation")
        .filter(prefix=prefix)
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, digest_of(secret)):
        return None
    return token


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <secret>` or `Authorization: Bearer <secret>`."""

    def authenticate(self, request: Any) -> tuple[User, ApiToken] | None:
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() not in KEYWORDS:
            return None
        if len(auth) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid Authorization header: give 'Token <secret>'.")
            )
        try:
            secret = auth[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        token = find_token(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(
                _("This API token was revoked on %(date)s.")
                % {"date": timezone.localtime(token.revoked_at).strftime("%d/%m/%Y")}
            )
        if token.is_expired:
            raise exceptions.AuthenticationFailed(
                _("This API token expired on %(date)s: make a new one.")
                % {"date": timezone.localtime(token.expires_at).strftime("%d/%m/%Y")}
            )
        if not token.owner.is_active:
            raise exceptions.AuthenticationFailed(_("The user of this token is not active."))
        view = (getattr(request, "parser_context", None) or {}).get("view")
        if view is not None:
            check_scope(token, view, request.method)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.owner, token

    def authenticate_header(self, request: Any) -> str:
        return "Token"


def check_scope(token: ApiToken, view: Any, method: str) -> None:
    """403 unless the token holds the scope the view (and action) needs."""
    needed = required_scope(view, method)
    if needed == ANY_SCOPE:
        return
    if needed is None:
        raise exceptions.PermissionDenied(_("No API token may call this endpoint."))
    if needed not in (token.scopes or []):
        raise exceptions.PermissionDenied(
            _("This API token does not have the scope '%(scope)s' this endpoint needs.")
            % {"scope": needed}
        )
