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


class FailedApiKeyThrottle(SimpleRateThrottle):
    """Limits refused API keys per client IP (rate "api_key_failure").

    Authentication runs before DRF's throttles, so a wrong key is answered 401 before the
    anonymous limit is ever counted. ApiKeyAuthentication therefore asks this throttle first:
    once an address has sent too many refused keys (unknown, malformed, revoked, expired) in the
    window, every `Bearer` request from it is answered 429 with Retry-After, a valid key
    included, until the window has passed. Counted in the default cache, like DRF's throttles:
    use a shared cache when several processes serve the API. Client addresses behind proxies
    come from X-Forwarded-For as for the other limits (REST_FRAMEWORK["NUM_PROXIES"]).
    """

    scope = "api_key_failure"
    # Used when REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] has no "api_key_failure" entry (a
    # project that replaced the whole dictionary in its custom settings).
    default_rate = "30/minute"

    def get_rate(self):
        return self.THROTTLE_RATES.get(self.scope) or self.default_rate

    def get_cache_key(self, request, view=None):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def _load(self, request) -> None:
        self.key = self.get_cache_key(request)
        self.now = self.timer()
        self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]

    def blocked_for(self, request) -> float | None:
        """Seconds until this client may send a key again, or None if it may now."""
        self._load(request)
        if len(self.history) >= self.num_requests:
            return self.wait()
        return None

    def record_failure(self, request) -> None:
        self._load(request)
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)
