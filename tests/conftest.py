"""Shared fixtures: the database holds the real administrative units (loaded by migration);
organisations and users are made through the services, as in production."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import pytest

from chitra.core.audit_actions import register_actions
from chitra.geo.models import Commune, Province
from chitra.iam.models import COMMUNE_LEVEL_KINDS, PROVIDER_KINDS, OrgKind, Role, User
from chitra.iam.services import organisation_upsert, system_actor, user_upsert
from tests.auth import VerifiedClient
from tests.pg_required import pytest_configure, pytest_runtest_makereport  # noqa: F401

PASSWORD = "correct-horse-battery-9"

#: the actions that only tests record (the catalogue refuses any action no app registered)
TEST_ACTIONS = frozenset(
    {
        "other.thing",
        "registry.something",
        "test.change",
        *(
            f"t.{name}"
            for name in (
                "area",
                "bulk",
                "call",
                "hn",
                "json",
                "later",
                "long",
                "national",
                "officer",
                "short",
                "staff",
                "system",
                "task",
                "write",
                "x",
                "y",
                "e0",
                "e1",
                "e2",
                "e3",
                "e4",
            )
        ),
    }
)
register_actions(dict.fromkeys(sorted(TEST_ACTIONS), "test event"))
_seq = itertools.count(1)


@pytest.fixture
def system(db) -> User:
    return system_actor()


@pytest.fixture
def tq(db) -> Province:
    return Province.objects.get(code="08")


@pytest.fixture
def tq_communes(tq) -> list[Commune]:
    return list(Commune.objects.filter(province=tq).order_by("code"))


MakeUser = Callable[..., User]


@pytest.fixture
def make_user(system, tq) -> MakeUser:
    def make(
        kind: str = OrgKind.BHXH_PROVINCE,
        role: str = Role.OFFICER,
        communes: Sequence[Commune] | None = None,
        province: Province | None = None,
        provider_code: str = "",
    ) -> User:
        n = next(_seq)
        province = province or tq
        if communes is None and kind in COMMUNE_LEVEL_KINDS:
            communes = [Commune.objects.filter(province=province).order_by("code").first()]
        if kind in PROVIDER_KINDS and not provider_code:
            provider_code = "970405"
        org = organisation_upsert(
            actor=system,
            code=f"org-{n}",
            kind=kind,
            name=f"Org {n} {kind}",
            province=province,
            communes=communes or [],
            provider_code=provider_code,
        )
        return user_upsert(
            actor=system,
            username=f"u{n}-{kind}-{role}",
            organisation=org,
            role=role,
            full_name=f"User {n}",
            password=PASSWORD,
        )

    return make


@pytest.fixture
def bhxh_officer(make_user) -> User:
    return make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER)


@pytest.fixture
def bhxh_admin(make_user) -> User:
    return make_user(OrgKind.BHXH_PROVINCE, Role.ADMIN)


@pytest.fixture
def client() -> VerifiedClient:
    """pytest-django's `client`, whose force_login also verifies the session's 2FA."""
    return VerifiedClient()
