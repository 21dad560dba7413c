"""Two-factor authentication: who must have it, enrolment with a QR code and recovery codes,
the code page, lock-out after wrong codes, the administrator's reset, the demo's codes. These
tests log in as a person does (a plain Client, password then code)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from chitra.core.errors import ChitraError
from chitra.core.models import AuditEvent
from chitra.iam import twofactor as tf
from chitra.iam.models import OrgKind, Role, User
from tests.conftest import PASSWORD

K, R = OrgKind, Role
pytestmark = pytest.mark.django_db


def login(client: Client, user: User, next_url: str = "/") -> object:
    return client.post(
        reverse("login") + f"?next={next_url}",
        {"username": user.username, "password": PASSWORD, "next": next_url},
    )


def enrolled(user: User) -> TOTPDevice:
    return tf.demo_device(user)


@pytest.mark.parametrize(
    ("kind", "role", "needed"),
    [
        (K.BHXH_PROVINCE, R.VIEWER, False),
        (K.BHXH_PROVINCE, R.OFFICER, False),
        (K.BHXH_PROVINCE, R.APPROVER, True),
        (K.BHXH_PROVINCE, R.ADMIN, True),
        (K.BHXH_OFFICE, R.APPROVER, True),
        (K.POLICE_PROVINCE, R.OFFICER, False),
        (K.POLICE_COMMUNE, R.ADMIN, True),
        (K.COMMUNE_COMMITTEE, R.OFFICER, False),
        (K.BANK, R.VIEWER, True),
        (K.BANK, R.OFFICER, True),
        (K.POST, R.OFFICER, True),
        (K.MOBILE_MONEY, R.OFFICER, True),
        (K.EWALLET, R.VIEWER, True),
        (K.STATE_BANK, R.VIEWER, False),
        (K.LEADERSHIP, R.ADMIN, True),
    ],
)
def test_who_needs_two_factor(make_user, kind, role, needed):
    assert tf.needs_2fa(make_user(kind, role)) is needed


def test_superusers_need_it_and_the_system_actor_does_not(system):
    root = User.objects.create_superuser("root", password=PASSWORD)
    assert tf.needs_2fa(root)
    assert not tf.needs_2fa(system)


def test_enrolment_qr_code_then_confirm_then_recovery_codes(make_user):
    approver = make_user(K.BHXH_PROVINCE, R.APPROVER)
    c = Client()
    r = login(c, approver, "/beneficiaries/")
    assert r.status_code == 302
    # every page holds the user back until the second factor is set up
    r = c.get("/beneficiaries/")
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("twofactor_setup"))
    assert "next=%2Fbeneficiaries%2F" in r["Location"]
    r = c.get(r["Location"])
    html = r.content.decode()
    assert r.status_code == 200
    assert re.search(r'<img src="data:image/svg\+xml[;,]', html)  # the QR code, no script
    assert "xác thực hai lớp" in html.lower()  # the page is in Vietnamese
    device = TOTPDevice.objects.get(user=approver, confirmed=False)
    assert tf.base32_secret(device) in html
    assert device.config_url.startswith("otpauth://totp/chitra%3A")
    # a wrong code does not confirm
    r = c.post(reverse("twofactor_setup"), {"code": "000000", "next": "/beneficiaries/"})
    assert 'data-testid="otp-error"' in r.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    device.throttle_reset()
    r = c.post(
        reverse("twofactor_setup"), {"code": tf.totp_code_now(device), "next": "/beneficiaries/"}
    )
    html = r.content.decode()
    assert r.status_code == 200
    codes = re.findall(r'<li class="col-6">([a-z0-9]+)</li>', html)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert StaticToken.objects.filter(device__user=approver).count() == 10
    assert AuditEvent.objects.filter(action="iam.2fa.enrol", object_id=str(approver.pk)).exists()
    assert c.get("/beneficiaries/").status_code == 200
    # shown once: the setup page now sends to the code page, and never lists them again
    r = c.get(reverse("twofactor_setup"))
    assert r.status_code == 302 and codes[0] not in c.get(reverse("account_security")).text


def test_code_page_after_the_password(make_user):
    user = make_user(K.BANK, R.OFFICER)
    device = enrolled(user)
    c = Client()
    login(c, user, "/payments/change-requests/")
    r = c.get("/payments/change-requests/")
    assert r.status_code == 302 and r["Location"].startswith(reverse("twofactor_verify"))
    # the API answers 403 to the unverified session, and no other page answers
    assert c.get("/api/v1/payments/change-requests/").status_code == 403
    assert c.get("/beneficiaries/").status_code == 302
    assert c.get(reverse("api_tokens")).status_code == 302
    before = c.cookies["sessionid"].value
    r = c.post(
        reverse("twofactor_verify"), {"code": "123456", "next": "/payments/change-requests/"}
    )
    assert r.status_code == 200 and 'data-testid="otp-error"' in r.text
    assert AuditEvent.objects.filter(action="iam.2fa.failed", object_id=str(user.pk)).exists()
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    device.refresh_from_db()
    r = c.post(
        reverse("twofactor_verify"),
        {"code": tf.totp_code_now(device), "next": "/payments/change-requests/"},
    )
    assert r.status_code == 302 and r["Location"] == "/payments/change-requests/"
    assert c.cookies["sessionid"].value != before  # a new session id once verified
    assert c.get("/payments/change-requests/").status_code == 200
    assert c.get("/api/v1/payments/change-requests/").status_code == 200


def test_a_code_is_used_once(make_user):
    user = make_user(K.BHXH_PROVINCE, R.ADMIN)
    device = enrolled(user)
    code = tf.totp_code_now(device)
    c1, c2 = Client(), Client()
    login(c1, user)
    login(c2, user)
    assert c1.post(reverse("twofactor_verify"), {"code": code}).status_code == 302
    r = c2.post(reverse("twofactor_verify"), {"code": code})
    assert r.status_code == 200 and 'data-testid="otp-error"' in r.text


def test_lock_out_after_wrong_codes(make_user, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    user = make_user(K.BHXH_PROVINCE, R.APPROVER)
    device = enrolled(user)
    c = Client()
    login(c, user)
    c.post(reverse("twofactor_verify"), {"code": "111111"})
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # the right code is refused while locked (60 s after one failure), and not counted
    for _i in range(2):
        r = c.post(reverse("twofactor_verify"), {"code": tf.totp_code_now(device)})
        assert r.status_code == 200
        assert "Nhập sai mã quá nhiều lần" in r.text
    assert c.get("/beneficiaries/").status_code == 302
    assert AuditEvent.objects.filter(action="iam.2fa.refused", object_id=str(user.pk)).exists()

    def wait(seconds):
        TOTPDevice.objects.filter(pk=device.pk).update(
            throttling_failure_timestamp=device.throttling_failure_timestamp
            - dt.timedelta(seconds=seconds)
        )
        device.refresh_from_db()

    # each further failure doubles the delay: 120 s after the second
    wait(61)
    c.post(reverse("twofactor_verify"), {"code": "222222"})
    device.refresh_from_db()
    assert device.throttling_failure_count == 2
    wait(61)
    r = c.post(reverse("twofactor_verify"), {"code": tf.totp_code_now(device)})
    assert r.status_code == 200 and "Nhập sai mã quá nhiều lần" in r.text
    wait(60)
    r = c.post(reverse("twofactor_verify"), {"code": tf.totp_code_now(device)})
    assert r.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_recovery_codes_work_once_and_can_be_made_again(make_user, rf):
    user = make_user(K.POST, R.OFFICER)
    enrolled(user)
    # codes made the way enrolment makes them
    codes = tf._new_recovery_codes(user)
    c = Client()
    login(c, user)
    r = c.post(reverse("twofactor_verify"), {"code": codes[0].upper()})
    assert r.status_code == 302
    assert tf.recovery_codes_left(user) == 9
    assert AuditEvent.objects.filter(action="iam.2fa.recovery_used").exists()
    c2 = Client()
    login(c2, user)
    r = c2.post(reverse("twofactor_verify"), {"code": codes[0]})
    assert r.status_code == 200 and 'data-testid="otp-error"' in r.text
    # a verified session makes new codes; the old ones stop working
    r = c.post(reverse("twofactor_recovery"))
    new = re.findall(r'<li class="col-6">([a-z0-9]+)</li>', r.text)
    assert len(new) == 10 and not set(new) & set(codes)
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert c.get("/beneficiaries/").status_code == 200  # still verified
    c3 = Client()
    login(c3, user)
    assert c3.post(reverse("twofactor_verify"), {"code": codes[1]}).status_code == 200
    StaticDevice.objects.filter(user=user).update(throttling_failure_count=0)
    assert c3.post(reverse("twofactor_verify"), {"code": new[0]}).status_code == 302


def test_admin_reset_is_audited_and_forces_enrolment(make_user, tq):
    from chitra.geo.models import Province

    admin = make_user(K.BHXH_PROVINCE, R.ADMIN)
    approver = make_user(K.BHXH_PROVINCE, R.APPROVER)
    enrolled(approver)
    tf._new_recovery_codes(approver)
    c_user = Client()
    login(c_user, approver)
    c_user.post(
        reverse("twofactor_verify"), {"code": tf.totp_code_now(tf.confirmed_totp(approver))}
    )
    assert c_user.get("/beneficiaries/").status_code == 200

    admin_c = Client()
    login(admin_c, admin)
    admin_c.post(reverse("twofactor_setup"), {"code": tf.totp_code_now(tf.totp_enrol_start(admin))})
    page = admin_c.get(reverse("user_admin_detail", args=[approver.pk]))
    assert page.status_code == 200 and 'data-testid="reset-2fa"' in page.text
    # a reason is required
    admin_c.post(
        reverse("user_admin_detail", args=[approver.pk]), {"action": "reset_2fa", "reason": " "}
    )
    assert tf.has_2fa(approver)
    admin_c.post(
        reverse("user_admin_detail", args=[approver.pk]),
        {"action": "reset_2fa", "reason": "lost phone"},
    )
    assert not TOTPDevice.objects.filter(user=approver).exists()
    assert not StaticDevice.objects.filter(user=approver).exists()
    ev = AuditEvent.objects.get(action="iam.2fa.reset")
    assert ev.reason == "lost phone" and ev.object_id == str(approver.pk)
    assert ev.actor_username == admin.username
    # the user's open session is held at once, and the next log-in asks for enrolment
    r = c_user.get("/beneficiaries/")
    assert r.status_code == 302 and r["Location"].startswith(reverse("twofactor_setup"))

    # never oneself; never another province; only USER_MANAGE
    with pytest.raises(ChitraError):
        tf.twofactor_reset(actor=admin, user=admin, reason="x")
    other = make_user(K.BHXH_PROVINCE, R.APPROVER, province=Province.objects.get(code="01"))
    enrolled(other)
    with pytest.raises(ChitraError):
        tf.twofactor_reset(actor=admin, user=other, reason="x")
    assert admin_c.get(reverse("user_admin_detail", args=[other.pk])).status_code == 404
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        tf.twofactor_reset(actor=approver, user=other, reason="x")


def test_users_who_do_not_need_it_are_not_asked(make_user):
    officer = make_user(K.BHXH_PROVINCE, R.OFFICER)
    c = Client()
    login(c, officer)
    assert c.get("/beneficiaries/").status_code == 200
    assert c.get(reverse("twofactor_setup")).status_code == 404


def test_htmx_requests_are_sent_to_the_code_page_as_a_whole_page(make_user):
    user = make_user(K.BHXH_PROVINCE, R.APPROVER)
    enrolled(user)
    c = Client()
    login(c, user)
    r = c.get("/beneficiaries/", HTTP_HX_REQUEST="true")
    assert r.status_code == 204 and r["HX-Redirect"].startswith(reverse("twofactor_verify"))


def test_next_after_the_code_stays_on_this_site(make_user):
    user = make_user(K.BHXH_PROVINCE, R.APPROVER)
    device = enrolled(user)
    c = Client()
    login(c, user)
    r = c.post(
        reverse("twofactor_verify"),
        {"code": tf.totp_code_now(device), "next": "https://evil.example/x"},
    )
    assert r.status_code == 302 and r["Location"] == reverse("home")


def test_force_login_fixture_verifies_the_session(client, make_user):
    """The contract other tests rely on: `client.force_login` gives a page that answers."""
    approver = make_user(K.BHXH_PROVINCE, R.APPROVER)
    client.force_login(approver)
    assert client.get("/beneficiaries/").status_code == 200
    plain = Client()
    plain.force_login(approver)
    assert plain.get("/beneficiaries/").status_code == 302


def test_demo_users_get_a_known_secret_and_the_demo_prints_codes(system, tq, capsys, settings):
    from chitra.demo.iam import ensure_demo_org_users

    ensure_demo_org_users(actor=system, province=tq)
    approver = User.objects.get(username="bhxh.approver")
    officer = User.objects.get(username="bhxh.officer")
    device = tf.confirmed_totp(approver)
    assert device is not None and tf.confirmed_totp(officer) is None
    assert tf.confirmed_totp(User.objects.get(username="bank.officer")) is not None
    # made once: loading the demo again keeps the secret
    ensure_demo_org_users(actor=system, province=tq)
    assert tf.confirmed_totp(approver).pk == device.pk
    call_command("demo_logins")
    out = capsys.readouterr().out
    assert tf.base32_secret(device) in out
    settings.DEBUG, settings.CHITRA_DEMO = False, False
    with pytest.raises(CommandError):
        call_command("totp_code", "bhxh.approver")
    settings.CHITRA_DEMO = True
    call_command("totp_code", "bhxh.approver")
    code = capsys.readouterr().out.strip()
    assert re.fullmatch(r"\d{6}", code)
    c = Client()
    c.post(reverse("login"), {"username": "bhxh.approver", "password": "chitra-demo-2026"})
    assert c.post(reverse("twofactor_verify"), {"code": code}).status_code == 302
    # after that code was used, the command gives the next one, which is accepted too
    call_command("totp_code", "bhxh.approver")
    code2 = capsys.readouterr().out.strip()
    assert code2 != code
    c2 = Client()
    c2.post(reverse("login"), {"username": "bhxh.approver", "password": "chitra-demo-2026"})
    assert c2.post(reverse("twofactor_verify"), {"code": code2}).status_code == 302
