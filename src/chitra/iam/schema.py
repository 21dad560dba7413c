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


class G2PBearerScheme(OpenApiAuthenticationExtension):
    target_class = "chitra.iam.oauth.G2PBearerAuthentication"
    name = "g2pBearer"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "A JWT from POST /api/g2p/oauth2/client/token (OAuth2 client "
            "credentials of a machine client made by `chitra g2p_client`).",
        }
