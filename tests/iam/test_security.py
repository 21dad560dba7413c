import datetime as dt

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from tests.conftest import PASSWORD


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2_in_production(bhxh_officer):
    with override_settings(PASSWORD_HASHERS=settings.PRODUCTION_PASSWORD_HASHERS):
        bhxh_officer.set_password("another-long-password-1")
        assert bhxh_officer.password.startswith("argon2$")
        assert bhxh_officer.check_password("another-long-password-1")


@pytest.mark.django_db
def test_login_is_locked_after_repeated_failures(client, bhxh_officer):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        r = client.post(url, {"username": bhxh_officer.username, "password": "wrong-password"})
        assert r.status_code in (200, 429)
    # now even the right password is refused
    r = client.post(url, {"username": bhxh_officer.username, "password": PASSWORD})
    assert r.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_correct_login_works_and_session_expires_when_idle(client, bhxh_officer):
    r = client.post(reverse("login"), {"username": bhxh_officer.username, "password": PASSWORD})
    assert r.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    # an expired session sends the user back to the login page
    session = client.session
    session.set_expiry(dt.timedelta(seconds=-1))
    session.save()
    r = client.get(reverse("home"))
    assert r.status_code == 302 and reverse("login") in r["Location"]


def test_vietnamese_is_the_default_language():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
