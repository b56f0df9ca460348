"""OpenAPI: one security scheme for the `Authorization: JWT <access>` header (Bearer works too)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class JWTSchemeExtension(OpenApiAuthenticationExtension):
    target_class = "rest_framework_simplejwt.authentication.JWTAuthentication"
    match_subclasses = True  # accounts.tokens.VersionedJWTAuthentication
    name = "jwtAuth"
    priority = 1  # wins over drf-spectacular's own, which warns about two header types

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`JWT <access token>` (as the SPA sends it) or `Bearer <access token>`.",
        }
