from rest_framework.throttling import SimpleRateThrottle

from .models import ApiKey


class ApiKeyRateThrottle(SimpleRateThrottle):
    """Limits each API key on its own (rate "api_key"), on top of the limit for its owner
    (rate "user", DRF's UserRateThrottle), so one runaway script cannot use up its owner's whole
    allowance. Requests without a key are not counted here."""

    scope = "api_key"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
