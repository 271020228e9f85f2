"""OpenAPI schema details: the API key scheme, and the error responses every endpoint can give."""

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny

from .serializers import ErrorSerializer


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "quickscale_modules.api.authentication.ApiKeyAuthentication"
    name = "apiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "API key",
            "description": (
                "An API key created on the account's API keys page, sent as "
                "`Authorization: Bearer <key>`."
            ),
        }


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, plus the documented error responses (exceptions.py) each
    operation can return, so generated clients and contract tests know about them."""

    # A private hook of drf-spectacular (pinned in module.yml); the module's schema tests fail
    # if an upgrade changes it.
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status, description in self._error_responses():
            if status in responses:
                continue
            responses[status] = self._get_response_for_code(
                OpenApiResponse(response=ErrorSerializer, description=description), status
            )
            if status == "429":
                responses[status]["headers"] = {
                    "Retry-After": {
                        "description": "Seconds to wait before the next request.",
                        "schema": {"type": "integer"},
                    }
                }
        return responses

    def _error_responses(self):
        errors = []
        if self.method in ("POST", "PUT", "PATCH"):
            errors.append(("400", "Invalid input: see `errors`."))
        elif self._is_list_view():
            # Search and filter parameters are validated too (e.g. a NUL character).
            errors.append(("400", "Invalid query parameters: see `errors`."))
        # Any request carrying an invalid key is refused, even on public endpoints.
        errors.append(("401", "Missing, invalid, expired or revoked credentials."))
        public = all(isinstance(p, AllowAny) for p in self.view.get_permissions())
        if not public or self.method not in ("GET", "HEAD", "OPTIONS"):
            errors.append(("403", "Not allowed, or a session request without its CSRF token."))
        if "{" in self.path or self._is_list_view():
            errors.append(("404", "No such object, or no such page."))
        if self.view.get_throttles():
            errors.append(("429", "Too many requests: retry after Retry-After seconds."))
        return errors
