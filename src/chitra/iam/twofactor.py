"""Two-factor authentication (TOTP with django-otp): who needs it, enrolment, recovery codes,
verification with lock-out, and the administrator's reset. Every write is audited.

Who needs it (`needs_2fa`): national users (superusers), approvers and administrators of every
organisation, and every user of a bank, Vietnam Post, mobile-money or e-wallet provider: the
people who decide or move money. The middleware (`chitra.iam.middleware`) sends them to
enrolment or to the code page before any other page answers.
"""

from __future__ import annotations

import base64
import datetime as dt
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import VerifyNotAllowed
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from chitra.core.audit import audit_record
from chitra.core.errors import ChitraError
from chitra.iam.access import Perm, require_perm
from chitra.iam.models import PROVIDER_KINDS, ROLE_RANK, Role

if TYPE_CHECKING:
    from django.http import HttpRequest

    from chitra.iam.models import User

#: recovery codes made at enrolment (and on each regeneration), each usable once
RECOVERY_CODES = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"


def needs_2fa(user: User | None) -> bool:
    """True for the users who must verify a second factor on every session."""
    if user is None or not user.is_authenticated or user.is_system:
        return False
    if user.is_superuser:
        return True
    if ROLE_RANK.get(Role(user.role), 0) >= ROLE_RANK[Role.APPROVER]:
        return True
    return user.org_kind in PROVIDER_KINDS


def is_verified(request: HttpRequest) -> bool:
    """The session was verified by a second factor (OTPMiddleware set the device)."""
    user = request.user
    return bool(user.is_authenticated and getattr(user, "otp_device", None) is not None)


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def has_2fa(user: User) -> bool:
    return confirmed_totp(user) is not None


def recovery_device(user: User) -> StaticDevice | None:
    return StaticDevice.objects.devices_for_user(user, confirmed=True).first()


def recovery_codes_left(user: User) -> int:
    device = recovery_device(user)
    return device.token_set.count() if device else 0


def base32_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in (base32, no padding)."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth URI as a QR code, an SVG data URI (no script, no inline style: the CSP
    allows data: images)."""
    import segno

    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2))


def totp_enrol_start(user: User) -> TOTPDevice:
    """An unconfirmed authenticator for `user` (the same one until confirmed, so that a page
    reload shows the same QR code). A user with a confirmed one must be reset first."""
    if has_2fa(user):
        raise ChitraError(_("Two-factor authentication is already set up."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def totp_enrol_confirm(*, request: HttpRequest, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the authenticator with a code it shows; the session is verified and the
    recovery codes are made (returned once, never shown again)."""
    user: User = request.user  # type: ignore[assignment]
    if device.user_id != user.pk or device.confirmed:
        raise ChitraError(_("This authenticator cannot be confirmed."))
    codes: list[str] = []
    with transaction.atomic():
        # the failure count of a wrong code is committed (lock-out), so no error is raised here
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        ok = device.verify_token(_digits(code))
        if ok:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            codes = _new_recovery_codes(user)
            audit_record(
                user,
                "iam.2fa.enrol",
                obj=user,
                after={"device": TOTP_NAME, "recovery_codes": len(codes)},
            )
    if not ok:
        raise ChitraError(
            _lock_message(device)
            or _(
                "The code is not right. Check the time on your phone and type the 6 digits "
                "the app shows now."
            )
        )
    otp_login(request, device)
    request.session.cycle_key()  # a new session id once the second factor is verified
    return codes


@dataclass(frozen=True)
class VerifyOutcome:
    ok: bool
    message: str = ""
    recovery_used: bool = False


def _digits(code: str) -> str:
    return "".join(ch for ch in code if not ch.isspace() and ch != "-")


def _lock_message(device: TOTPDevice | StaticDevice) -> str:
    allowed, info = device.verify_is_allowed()
    if allowed or not info:
        return ""
    if info.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        until = info.get("locked_until")
        if isinstance(until, dt.datetime):
            return _("Too many wrong codes: try again after %(time)s.") % {
                "time": timezone.localtime(until).strftime("%H:%M:%S")
            }
    return _("Too many wrong codes: try again later.")


def verify_code(*, request: HttpRequest, code: str) -> VerifyOutcome:
    """Check a code from the authenticator (6 digits) or a recovery code (used up); on success
    the session is verified. Wrong codes slow down the next try exponentially (django-otp's
    throttling), per device, and are audited."""
    user: User = request.user  # type: ignore[assignment]
    code = _digits(code).lower()
    if not code:
        return VerifyOutcome(False, _("Type the code."))
    recovery = not (code.isdigit() and len(code) == 6)  # recovery codes: 8 letters/digits
    with transaction.atomic():
        model = StaticDevice if recovery else TOTPDevice
        device = (
            model.objects.devices_for_user(user, confirmed=True)  # type: ignore[attr-defined]
            .select_for_update()
            .first()
        )
        if device is None:
            return VerifyOutcome(
                False,
                _("This account has no recovery codes left.")
                if recovery
                else _("Two-factor authentication is not set up."),
            )
        locked = _lock_message(device)
        if locked:
            audit_record(user, "iam.2fa.refused", obj=user, reason="locked")
            return VerifyOutcome(False, locked)
        if not device.verify_token(code):
            audit_record(
                user,
                "iam.2fa.failed",
                obj=user,
                after={
                    "device": RECOVERY_NAME if recovery else TOTP_NAME,
                    "failures": device.throttling_failure_count,
                },
            )
            return VerifyOutcome(False, _lock_message(device) or _("The code is not right."))
        if recovery:
            audit_record(
                user, "iam.2fa.recovery_used", obj=user, after={"left": device.token_set.count()}
            )
    otp_login(request, device)
    request.session.cycle_key()
    return VerifyOutcome(True, recovery_used=recovery)


def recovery_codes_regenerate(*, request: HttpRequest) -> list[str]:
    """New recovery codes for the user of a verified session (the old ones stop working)."""
    user: User = request.user  # type: ignore[assignment]
    if not is_verified(request):
        raise ChitraError(_("Verify your session with a code first."))
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit_record(
            user, "iam.2fa.recovery_regenerate", obj=user, after={"recovery_codes": len(codes)}
        )
    # the session was verified by the old static device, perhaps: keep it verified by TOTP
    totp = confirmed_totp(user)
    if totp is not None and request.session.get(DEVICE_ID_SESSION_KEY) != totp.persistent_id:
        otp_login(request, totp)
    return codes


def twofactor_reset(*, actor: User, user: User, reason: str) -> int:
    """An administrator removes a user's second factors (lost phone): the user must enrol
    again at the next request. Same province, never oneself, a reason required."""
    require_perm(actor, Perm.USER_MANAGE)
    if actor.pk == user.pk:
        raise ChitraError(_("You cannot reset your own two-factor authentication."))
    if not actor.is_national and (
        user.is_national or user.area_province_id != actor.area_province_id
    ):
        raise ChitraError(_("This user is outside your province."))
    reason = (reason or "").strip()
    if not reason:
        raise ChitraError(_("Give the reason for the reset."))
    with transaction.atomic():
        n = TOTPDevice.objects.filter(user=user).delete()[0]
        n += StaticDevice.objects.filter(user=user).delete()[0]
        audit_record(actor, "iam.2fa.reset", obj=user, after={"devices_removed": n}, reason=reason)
    return n


def totp_code_now(device: TOTPDevice) -> str:
    """The code the device accepts now (the next time step when this one was used already).
    For the demo and the browser tests only (`chitra totp_code`)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"


def demo_device(user: User) -> TOTPDevice:
    """A confirmed authenticator for a demo user (made once, kept: its secret is printed by
    `chitra demo_logins` so that an officer can add it to an authenticator app)."""
    device = confirmed_totp(user)
    if device is None:
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=True)
    return device
