"""The API fuzzed against its own OpenAPI schema (schemathesis), in process: the schema is the
one the app serves, every operation is called through the WSGI application (no server, no
network) as a BHXH officer and as a bank officer, with a bounded and repeatable number of
generated requests. Checks: no 5xx, status codes and bodies as the schema says."""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from chitra.iam.models import OrgKind, Role
from chitra.wsgi import application
from tests.auth import api_headers

MAX_EXAMPLES = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def http_headers(user: Any) -> dict[str, str]:
    """tests/auth.py's headers (Django test-client form) as HTTP headers."""
    return {
        key[5:].replace("_", "-").title(): value
        for key, value in api_headers(user).items()
        if key.startswith("HTTP_")
    }


@pytest.fixture
def no_connection_close():
    """As Django's test client does: a request through the WSGI application must not close the
    test's database connection at its end (PostgreSQL: the test runs inside a transaction)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def officers(db, make_user, no_connection_close) -> list[Any]:
    return [
        make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER),
        make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405"),
    ]


def app_schema() -> dict[str, Any]:
    """The schema exactly as the app's schema view renders it (same generator, same renderer),
    built at collection time: no database, no request (test_schema_is_the_one_served)."""
    from drf_spectacular.renderers import OpenApiJsonRenderer
    from drf_spectacular.settings import spectacular_settings

    generator = spectacular_settings.DEFAULT_GENERATOR_CLASS()
    return json.loads(OpenApiJsonRenderer().render(generator.get_schema(request=None, public=True)))


RAW = app_schema()
# Bounded and repeatable: a few generated requests per operation (valid and invalid ones),
# the same on every run; the coverage and stateful phases (hundreds of requests) are off.
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {
            "mode": "all",
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "database": "none",
        },
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_dict(RAW, config=CONFIG)
schema.app = application  # every call goes through the WSGI application, in this process


def test_schema_is_the_one_served(db, make_user) -> None:
    reader = make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER)
    r = Client().get("/api/schema/", {"format": "json"}, **api_headers(reader))
    assert r.status_code == 200
    assert json.loads(r.content) == RAW


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case: Any, officers: list[Any]) -> None:
    for user in officers:
        case.call_and_validate(headers=http_headers(user), checks=CHECKS)
