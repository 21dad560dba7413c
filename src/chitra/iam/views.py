"""Pages of one's own account (log-in, 2FA, password, API tokens) and the administrator's
user pages (2FA reset, tokens of the province's users). Thin: the rules are in
chitra.iam.twofactor, chitra.iam.tokens and chitra.iam.services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chitra.core.errors import ChitraError
from chitra.core.redirects import safe_next
from chitra.iam import twofactor as tf
from chitra.iam.access import Perm, has_perm
from chitra.iam.decorators import perm_required, user_of
from chitra.iam.forms import PasswordChangeForm, TokenForm
from chitra.iam.models import User
from chitra.iam.scopes import SCOPE_LABELS, scopes_for
from chitra.iam.selectors import enrolled_user_ids, users_of, users_with_live_tokens
from chitra.iam.services import user_password_change
from chitra.iam.tokens import api_token_create, api_token_revoke, token_get, tokens_of


class LoginView(auth_views.LoginView):
    """Django's log-in; where it goes next is checked by the one helper (safe_next). A user
    who must use 2FA is then held by the middleware until verified."""

    def get_success_url(self) -> str:
        return safe_next(self.request, settings.LOGIN_REDIRECT_URL)

    def get_redirect_url(self) -> str:
        return safe_next(self.request, "")


class LogoutView(auth_views.LogoutView):
    def get_success_url(self) -> str:
        return safe_next(self.request, settings.LOGOUT_REDIRECT_URL)


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """The language switch (Vietnamese / English): the cookie, then back to a page of this
    site only."""
    response = HttpResponseRedirect(safe_next(request, "home"))
    lang = request.POST.get("language", "")
    if lang in dict(settings.LANGUAGES) and translation.check_for_language(lang):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            lang,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
        )  # type: ignore[arg-type]
    return response


# --- two-factor ---------------------------------------------------------------------------


@login_required
def twofactor_verify(request: HttpRequest) -> HttpResponse:
    """The code page: a code from the authenticator app, or a recovery code."""
    user = user_of(request)
    nxt = safe_next(request, "home")
    if tf.is_verified(request):
        return redirect(nxt)
    if not tf.has_2fa(user):
        return redirect(f"{_url('twofactor_setup')}?next={_q(nxt)}")
    error = ""
    if request.method == "POST":
        outcome = tf.verify_code(request=request, code=request.POST.get("code", ""))
        if outcome.ok:
            if outcome.recovery_used:
                messages.warning(
                    request,
                    _(
                        "You used a recovery code; %(n)s are left. Make new ones on the Account "
                        "security page if few are left."
                    )
                    % {"n": tf.recovery_codes_left(user)},
                )
            return redirect(nxt)
        error = outcome.message
    return render(
        request,
        "iam/twofactor_verify.html",
        {"title": _("Two-factor verification"), "error": error, "next": nxt},
    )


@login_required
def twofactor_setup(request: HttpRequest) -> HttpResponse:
    """Enrolment: the QR code (and the secret to type in), then a code to confirm; the
    recovery codes are shown once, on the answer."""
    user = user_of(request)
    nxt = safe_next(request, "home")
    if tf.has_2fa(user):
        return redirect(f"{_url('twofactor_verify')}?next={_q(nxt)}")
    if not tf.needs_2fa(user):
        raise Http404
    device = tf.totp_enrol_start(user)
    error = ""
    if request.method == "POST":
        try:
            codes = tf.totp_enrol_confirm(
                request=request, device=device, code=request.POST.get("code", "")
            )
        except ChitraError as exc:
            error = str(exc)
        else:
            return render(
                request,
                "iam/recovery_codes.html",
                {"title": _("Recovery codes"), "codes": codes, "next": nxt, "first": True},
            )
    return render(
        request,
        "iam/twofactor_setup.html",
        {
            "title": _("Set up two-factor authentication"),
            "qr": tf.qr_data_uri(device),
            "secret": tf.base32_secret(device),
            "error": error,
            "next": nxt,
        },
    )


@login_required
@require_POST
def twofactor_recovery(request: HttpRequest) -> HttpResponse:
    try:
        codes = tf.recovery_codes_regenerate(request=request)
    except ChitraError as exc:
        messages.error(request, str(exc))
        return redirect("account_security")
    return render(
        request,
        "iam/recovery_codes.html",
        {"title": _("Recovery codes"), "codes": codes, "next": _url("account_security")},
    )


@login_required
def account_security(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    return render(
        request,
        "iam/security.html",
        {
            "title": _("Account security"),
            "needs_2fa": tf.needs_2fa(user),
            "has_2fa": tf.has_2fa(user),
            "verified": tf.is_verified(request),
            "codes_left": tf.recovery_codes_left(user),
            "can_manage_users": has_perm(user, Perm.USER_MANAGE),
        },
    )


# --- password -----------------------------------------------------------------------------


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_password_change(
                actor=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ChitraError as exc:
            form.add_error(None, str(exc))
        else:
            update_session_auth_hash(request, user)  # stay logged in (and verified)
            messages.success(request, _("Your password was changed."))
            return redirect("account_security")
    return render(
        request, "iam/password_change.html", {"title": _("Change your password"), "form": form}
    )


# --- API tokens ---------------------------------------------------------------------------


def _scope_choices(user: User) -> list[tuple[str, str]]:
    return [(s.value, SCOPE_LABELS[s]) for s in scopes_for(user)]


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """One's own tokens: list, make (the secret shown once), revoke."""
    user = user_of(request)
    form = TokenForm(_scope_choices(user), request.POST or None)
    new = None
    if request.method == "POST" and form.is_valid():
        try:
            new = api_token_create(
                actor=user,
                owner=user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                days=form.cleaned_data["days"],
                verified=tf.is_verified(request),
            )
        except ChitraError as exc:
            form.add_error(None, str(exc))
        else:
            form = TokenForm(_scope_choices(user))
    return render(
        request,
        "iam/tokens.html",
        {
            "title": _("API tokens"),
            "form": form,
            "new": new,
            "tokens": tokens_of(user, owner=user),
            "max_days": settings.CHITRA_API_TOKEN_MAX_DAYS,
        },
    )


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    token = token_get(user, pk)
    api_token_revoke(actor=user, token=token, reason=request.POST.get("reason", "")[:500])
    messages.success(request, _("The token %(name)s was revoked.") % {"name": token})
    return redirect(safe_next(request, "api_tokens"))


# --- administrators: the users of the province --------------------------------------------


@perm_required(Perm.USER_MANAGE)
def user_admin_list(request: HttpRequest) -> HttpResponse:
    actor = user_of(request)
    enrolled = enrolled_user_ids(actor)
    users = users_with_live_tokens(actor)
    rows = [{"user": u, "needs_2fa": tf.needs_2fa(u), "has_2fa": u.pk in enrolled} for u in users]
    return render(request, "iam/user_list.html", {"title": _("Users"), "rows": rows})


@perm_required(Perm.USER_MANAGE)
def user_admin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = user_of(request)
    target = users_of(actor).filter(pk=pk).first()
    if target is None:
        raise Http404
    if request.method == "POST" and request.POST.get("action") == "reset_2fa":
        try:
            tf.twofactor_reset(actor=actor, user=target, reason=request.POST.get("reason", ""))
        except ChitraError as exc:
            messages.error(request, str(exc))
        except PermissionDenied:
            raise
        else:
            messages.success(
                request,
                _(
                    "Two-factor authentication of %(user)s was reset: "
                    "they set it up again at their next log-in."
                )
                % {"user": target.username},
            )
        return redirect("user_admin_detail", pk=target.pk)
    return render(
        request,
        "iam/user_detail.html",
        {
            "title": target.username,
            "target": target,
            "has_2fa": tf.has_2fa(target),
            "needs_2fa": tf.needs_2fa(target),
            "tokens": tokens_of(actor, owner=target),
            "is_self": target.pk == actor.pk,
        },
    )


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


def _q(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="/")
