"""Password policy and changing one's own password."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from chitra.core.errors import ChitraError
from chitra.core.models import AuditEvent
from chitra.iam.models import OrgKind, Role, User
from chitra.iam.passwords import PersonalDataPasswordValidator, is_phone_like
from chitra.iam.services import user_upsert
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "pw",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "+84 912 345 678",
        "84912345678",
        "123456789",
        "024 3825 1234",
        "(024) 38251234",
    ],
)
def test_phone_numbers_are_refused(pw):
    assert is_phone_like(pw)
    with pytest.raises(ValidationError) as e:
        PersonalDataPasswordValidator().validate(pw)
    assert e.value.error_list[0].code == "password_phone"


@pytest.mark.parametrize(
    "pw", ["correct-horse-battery-9", "Mùa thu Hà Giang 1975!", "12345678", "tram-nam-9-12"]
)
def test_other_passwords_are_not_phone_numbers(pw):
    assert not is_phone_like(pw)


def test_personal_ids_names_and_common_passwords_are_refused(make_user):
    user = make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER)
    user.full_name = "Nguyễn Thị Hạnh"
    v = PersonalDataPasswordValidator()
    with pytest.raises(ValidationError) as e:
        v.validate("cccd008190001234x", user)
    assert e.value.error_list[0].code == "password_personal_id"
    for pw in ("nguyenthihanh-2026", "NGUYỄN THỊ HẠNH 99", f"{user.username}!!2026x"):
        with pytest.raises(ValidationError) as e:
            v.validate(pw, user)
        assert e.value.error_list[0].code == "password_own_name", pw
    v.validate("correct-horse-battery-9", user)
    # the whole policy (Django's validators too): common passwords and short ones
    for pw in ("password123", "qwertyuiop", "iloveyou12", "short1"):
        with pytest.raises(ValidationError):
            validate_password(pw, user)
    # the message is in Vietnamese
    with pytest.raises(ValidationError) as e:
        validate_password("0912345678", user)
    assert "số điện thoại" in " ".join(e.value.messages)


def test_admin_set_passwords_go_through_the_same_policy(make_user, system):
    user = make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER)
    with pytest.raises(ChitraError):
        user_upsert(
            actor=system,
            username=user.username,
            organisation=user.organisation,
            role=user.role,
            full_name="Lê Thu Trang",
            password="0987654321",
        )
    with pytest.raises(ChitraError):
        user_upsert(
            actor=system,
            username=user.username,
            organisation=user.organisation,
            role=user.role,
            full_name="Lê Thu Trang",
            password="lethutrang2026",
        )


def test_users_change_their_own_password(make_user):
    user = make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER)
    c = Client()
    c.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    url = reverse("password_change")
    assert c.get(url).status_code == 200
    # the old password is required
    r = c.post(
        url,
        {
            "old_password": "wrong",
            "new_password1": "mua-thu-ha-giang-75",
            "new_password2": "mua-thu-ha-giang-75",
        },
    )
    assert r.status_code == 200
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)
    # the policy applies
    r = c.post(
        url,
        {"old_password": PASSWORD, "new_password1": "0912345678", "new_password2": "0912345678"},
    )
    assert r.status_code == 200 and "số điện thoại" in r.text
    r = c.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "mua-thu-ha-giang-75",
            "new_password2": "mua-thu-ha-giang-75",
        },
    )
    assert r.status_code == 302
    assert User.objects.get(pk=user.pk).check_password("mua-thu-ha-giang-75")
    assert c.get("/beneficiaries/").status_code == 200  # still logged in
    ev = AuditEvent.objects.get(action="iam.user.password_change")
    assert ev.object_id == str(user.pk) and "mua-thu" not in str(ev.after) + str(ev.before)
