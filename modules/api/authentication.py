from rest_framework import authentication, exceptions

from . import services
from .throttling import FailedApiKeyThrottle


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>`: the request acts as the key's owner.

    request.user is the owner, request.auth the ApiKey. Requests without a Bearer header are
    left to the next authentication class (the session).
    """

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        # Refused keys are limited per client IP (FailedApiKeyThrottle): once over the limit,
        # the key is not even looked at until the window has passed.
        failures = FailedApiKeyThrottle()
        wait = failures.blocked_for(request)
        if wait is not None:
            raise exceptions.Throttled(wait=wait)
        try:
            return self._authenticate_key(header)
        except exceptions.AuthenticationFailed:
            failures.record_failure(request)
            raise

    def _authenticate_key(self, header):
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Invalid Authorization header: send `Bearer <key>`.", code="invalid_api_key"
            )
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(
                "Invalid API key.", code="invalid_api_key"
            ) from exc
        try:
            api_key = services.authenticate(key)
        except services.InvalidApiKey as exc:
            raise exceptions.AuthenticationFailed(exc.message, code=f"{exc.code}_api_key") from exc
        return (api_key.user, api_key)

    def authenticate_header(self, request) -> str:
        # Makes unauthenticated requests 401 (with this challenge) rather than 403.
        return f'{self.keyword} realm="api"'
