from rest_framework import authentication, exceptions

from . import services
from .throttling import FailedApiKeyThrottle


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>`: the request acts as the key's owner, in the key's team.

    request.user is the owner, request.auth the ApiKey, request.team the key's team with
    `.role` the owner's role there now (set on the DRF request and on the Django request
    under it, replacing the session's current team). A key whose owner is no longer a member
    of its team is refused (401, code not_team_member_api_key). Requests without a Bearer
    header are left to the next authentication class (the session).
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
            user, api_key = self._authenticate_key(header)
        except exceptions.AuthenticationFailed:
            failures.record_failure(request)
            raise
        self._set_team(request, api_key)
        return (user, api_key)

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

    def _set_team(self, request, api_key) -> None:
        # Both: views and permissions read the DRF request, code below them (services,
        # templates, Django's own helpers) the Django one.
        request._request.team = api_key.team
        request.team = api_key.team

    def authenticate_header(self, request) -> str:
        # Makes unauthenticated requests 401 (with this challenge) rather than 403.
        return f'{self.keyword} realm="api"'
