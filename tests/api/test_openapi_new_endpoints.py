"""The OpenAPI schema chitra serves describes the endpoints issue #14 added: the G2P Connect
callbacks, token, mapper and registry endpoints, and a cycle's results imports."""

from __future__ import annotations

from django.urls import get_resolver

from tests.api.test_schemathesis import RAW

EXPECTED = {
    "/api/g2p/oauth2/client/token": "post",
    "/api/g2p/on-disburse": "post",
    "/api/g2p/disburse/txn/on-status": "post",
    "/api/g2p/mapper/sync/{operation}": "post",
    "/api/g2p/registry/notify": "post",
    "/api/g2p/registry/on-search": "post",
    "/api/g2p/registry/on-subscribe": "post",
    "/api/v1/payments/cycles/{id}/result-imports/": "get",
}


def test_every_new_endpoint_is_in_the_schema_with_its_method() -> None:
    paths = RAW["paths"]
    missing = {p: m for p, m in EXPECTED.items() if m not in paths.get(p, {})}
    assert missing == {}, f"not described in the OpenAPI schema: {missing}"


def test_every_g2p_route_is_expected_here() -> None:
    """A new /api/g2p/ route must be added above (and so to the schema)."""
    routes = set()
    for pattern in get_resolver().url_patterns:
        if str(pattern.pattern) == "api/":
            for sub in pattern.url_patterns:  # type: ignore[attr-defined]
                text = str(sub.pattern)
                if text.startswith("g2p/"):
                    routes.add("/api/" + text.replace("<str:operation>", "{operation}"))
    assert routes == {p for p in EXPECTED if p.startswith("/api/g2p/")}
