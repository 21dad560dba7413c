"""No 500 anywhere: hostile bodies and parameters get a 4xx with a message.

The five 500s found by fuzzing, each pinned, then every write endpoint of the OpenAPI schema
(enumerated from the app, so a new endpoint is covered the day it is added) posted null, a
list, a string, a number, deep JSON, NUL characters, huge strings and wrong-typed fields, and
every read endpoint given a NUL in each of its query parameters; pages too."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from chitra.core.hostile import contains_nul, json_depth
from chitra.iam.models import OrgKind, Role
from chitra.reports.models import PlanTask
from tests.auth import api_headers
from tests.factories import BeneficiaryFactory

DEEP = "[" * 100_000 + "]" * 100_000
HUGE = "A" * 1_000_000


def _schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-any-return]


def _operations(methods: tuple[str, ...]) -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    for path, ops in _schema()["paths"].items():
        for method, op in ops.items():
            if method in methods:
                out.append((method, path, op))
    return out


WRITES = _operations(("post", "put", "patch", "delete"))
READS = _operations(("get",))


def _properties(op: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    content = (op.get("requestBody") or {}).get("content", {})
    ref = (content.get("application/json") or {}).get("schema", {}).get("$ref")
    if not ref:
        return []
    comp = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return list(comp.get("properties", {}))


def _bodies(fields: list[str]) -> list[tuple[str, str]]:
    """(name, raw JSON) of every hostile body for an operation with these fields."""
    bodies = [
        ("null", "null"),
        ("list", "[]"),
        ("list of one", "[1]"),
        ("string", '"x"'),
        ("number", "1"),
        ("true", "true"),
        ("empty object", "{}"),
        ("deep", DEEP),
        ("deep object", '{"a":' * 5_000 + "1" + "}" * 5_000),
        ("NaN", '{"x": NaN}'),
        ("broken", '{"a": '),
        ("not utf-8", "\udcff"),
    ]
    for kind, value in (
        ("NUL", "a\x00b"),
        ("huge", HUGE),
        ("list", [1, "x"]),
        ("object", {"a": 1}),
        ("number", 10**30),
        ("negative", -1),
        ("bool", True),
        ("null", None),
    ):
        bodies.append((f"fields {kind}", json.dumps({f: value for f in fields or ["x"]})))
    bodies.append(("NUL key", json.dumps({"a\x00": 1})))
    if "rows" in fields:  # the rows of account confirmations
        bodies.append(("rows of lists", json.dumps({"rows": [[1, 2]]})))
        bodies.append(
            (
                "rows of NUL",
                json.dumps(
                    {
                        "rows": [
                            {
                                f: "\x00"
                                for f in (
                                    "personal_id",
                                    "provider_code",
                                    "account_number",
                                    "holder_name",
                                )
                            }
                        ]
                    }
                ),
            )
        )
        bodies.append(("rows of objects", json.dumps({"rows": [{"holder_name": {"a": 1}}]})))
        bodies.append(("rows huge", json.dumps({"rows": [{"holder_name": HUGE}]})))
    return bodies


@pytest.fixture
def users(make_user) -> dict[str, Any]:
    return {
        "bhxh": make_user(OrgKind.BHXH_PROVINCE, Role.ADMIN),
        "bank": make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405"),
    }


def _path_with_ids(path: str, user: Any, client: Client) -> str:
    """Fill ``{id}`` with an object the user can see where one exists (so that the body is
    read), else with a number that matches nothing (a 404 is a 4xx too)."""
    if "{id}" not in path:
        return path
    if "/plan-tasks/" in path:
        return path.replace("{id}", str(PlanTask.objects.order_by("pk").first().pk))
    listing = client.get(path.split("{id}")[0], **api_headers(user))
    if listing.status_code == 200:
        data = listing.json()
        items = data.get("results", []) if isinstance(data, dict) else data
        if items and isinstance(items[0], dict) and "id" in items[0]:
            return path.replace("{id}", str(items[0]["id"]))
    return path.replace("{id}", "999999")


@pytest.fixture
def ticket(users) -> None:
    """A complaint the BHXH user can work, so that the ticket actions read their bodies."""
    b = BeneficiaryFactory()
    r = Client().post(
        "/api/v1/grievances/tickets/",
        data=json.dumps(
            {
                "category": "payment_not_received",
                "description": "Chưa nhận lương hưu tháng này",
                "personal_id": b.personal_id,
            }
        ),
        content_type="application/json",
        **api_headers(users["bhxh"]),
    )
    assert r.status_code == 201, r.content


# --------------------------------------------------------------------------------------------
# the five 500s found
# --------------------------------------------------------------------------------------------


def _post(client: Client, user: Any, path: str, raw: str) -> Any:
    return client.post(
        path,
        data=raw.encode("utf-8", "surrogatepass"),
        content_type="application/json",
        **api_headers(user),
    )


@pytest.mark.django_db
def test_issued_reports_with_a_null_body(users):
    r = _post(Client(), users["bhxh"], "/api/v1/reports/issued/", "null")
    assert r.status_code == 400 and r.json()


@pytest.mark.django_db
def test_plan_task_update_with_a_list_body(users):
    task = PlanTask.objects.order_by("pk").first()
    r = _post(
        Client(), users["bhxh"], f"/api/v1/reports/plan-tasks/{task.pk}/update_status/", '["done"]'
    )
    assert r.status_code == 400 and r.json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/beneficiaries/?q=%00",
        "/api/v1/grievances/tickets/?q=a%00b",
        "/beneficiaries/?q=%00",
    ],
)
def test_q_with_a_nul_byte(users, client, url):
    client.force_login(users["bhxh"])
    r = client.get(url, **api_headers(users["bhxh"]))
    assert r.status_code == 400
    assert "NUL" in (r.json()["detail"] if url.startswith("/api/") else r.text)


@pytest.mark.django_db
@pytest.mark.parametrize("value", [["0081"], {"a": 1}, True])
def test_account_confirmation_rows_with_a_list_or_object_value(users, value):
    row = {
        "personal_id": value,
        "provider_code": "970405",
        "account_number": "0123456781",
        "holder_name": "NGUYEN VAN AN",
    }
    r = _post(
        Client(),
        users["bank"],
        "/api/v1/payments/account-confirmations/",
        json.dumps({"rows": [row]}),
    )
    assert r.status_code == 400
    assert "personal_id" in json.dumps(r.json())


@pytest.mark.django_db
def test_100000_deep_json(users):
    r = _post(Client(), users["bhxh"], "/api/v1/payments/change-requests/", DEEP)
    assert r.status_code == 400 and "64" in r.json()["detail"]


# --------------------------------------------------------------------------------------------
# every endpoint
# --------------------------------------------------------------------------------------------


def test_every_write_endpoint_is_enumerated():
    found = {(m, p) for m, p, _op in WRITES}
    assert ("post", "/api/v1/reports/issued/") in found
    assert ("post", "/api/v1/payments/account-confirmations/") in found
    assert len(found) >= 12


@pytest.mark.django_db
@pytest.mark.parametrize("method,path", [(m, p) for m, p, _op in WRITES])
def test_hostile_bodies_to_every_write_endpoint(users, ticket, method, path):
    schema = _schema()
    op = schema["paths"][path][method]
    fields = _properties(op, schema)
    client = Client()
    for who, user in users.items():
        url = _path_with_ids(path, user, client)
        for name, raw in _bodies(fields):
            r = getattr(client, method)(
                url,
                data=raw.encode("utf-8", "surrogatepass"),
                content_type="application/json",
                **api_headers(user),
            )
            # a number is a valid text value ("note": 1): only those may be accepted
            accepted = name in ("empty object", "fields number", "fields negative")
            assert 400 <= r.status_code < 500 or (accepted and r.status_code < 300), (
                who,
                method,
                url,
                name,
                r.status_code,
                r.content[:300],
            )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path,params",
    [
        (p, [x["name"] for x in op.get("parameters", []) if x["in"] == "query"])
        for _m, p, op in READS
    ],
)
def test_nul_in_every_query_parameter(users, path, params):
    client = Client()
    user = users["bhxh"]
    url = _path_with_ids(path, user, client)
    for name in params or ["q"]:
        r = client.get(url, {name: "x\x00y"}, **api_headers(user))
        assert r.status_code == 400, (url, name, r.status_code)


@pytest.mark.django_db
def test_nul_in_page_forms_and_paths(users, client):
    client.force_login(users["bhxh"])
    b = BeneficiaryFactory()
    r = client.post(
        reverse("change_request_new", args=[b.pk]),
        {"method": "BANK_ACCOUNT", "holder_name": "AN\x00"},
    )
    assert r.status_code == 400 and "NUL" in r.text
    assert client.get("/beneficiaries/%00/").status_code in (400, 404)
    r = client.get(reverse("beneficiary_list"), {"q": "Nguyễn"})
    assert r.status_code == 200


def test_depth_and_nul_helpers():
    assert json_depth("1") == 0 and json_depth("[]") == 1 and json_depth('{"a": [[]]}') == 3
    assert json_depth('["[[[[", "]]"]') == 1  # brackets inside strings do not count
    assert json_depth('["\\"[[["]') == 1  # nor after an escaped quote
    assert json_depth(DEEP, limit=64) == 65
    assert contains_nul({"a": [{"b": "x\x00"}]}) and not contains_nul({"a": [1, None, "x"]})
    assert re.fullmatch(r"\[+\]+", DEEP)
