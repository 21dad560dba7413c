"""The API token in the OpenAPI schema (drf-spectacular), imported by IamConfig.ready()."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "chitra.iam.tokens.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <secret>` (or `Bearer <secret>`): a named, scoped, "
            "expiring token made on the page /accounts/tokens/ or by "
            "`chitra api_token`.",
        }
