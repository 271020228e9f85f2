# Settings of the API module. When a project has the module, everything below the
# marker line goes into config/settings/base.py verbatim (extensions/wiring.jinja).
# This file is never imported: the lines above the marker stand in for names base.py
# defines earlier, so that it lints and compiles on its own.
import environ

env = environ.Env()
PROJECT_NAME = "Example"

# --- Included verbatim into config/settings/base.py below this line ---
REST_FRAMEWORK = {
    # API keys first: a request without a key is then refused with 401 and a
    # WWW-Authenticate header. Session auth is for the site's own pages and enforces CSRF on
    # unsafe methods (POST, PUT, PATCH, DELETE).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "quickscale_modules.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # DRF's JSON parser, answering 400 (not 500) to a body nested too deeply.
    "DEFAULT_PARSER_CLASSES": ["quickscale_modules.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "quickscale_modules.api.pagination.PageNumberPagination",
    "PAGE_SIZE": env.int("API_PAGE_SIZE", default=50),
    # Filtering conventions: ?search= over a view's search_fields, ?ordering= over its
    # ordering_fields.
    "DEFAULT_FILTER_BACKENDS": [
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    # Counted in the default cache, shared by every process (database cache, or CACHE_URL).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "quickscale_modules.api.throttling.ApiKeyRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="60/minute"),
        "user": env("API_THROTTLE_USER", default="600/minute"),
        "api_key": env("API_THROTTLE_KEY", default="300/minute"),
        # Refused API keys per client IP (ApiKeyAuthentication), then 429 for any key.
        "api_key_failure": env("API_THROTTLE_KEY_FAILURES", default="30/minute"),
    },
    # Clients' addresses behind reverse proxies, for the anonymous limit (as in the auth module).
    "NUM_PROXIES": env.int("AUTH_TRUSTED_PROXY_COUNT", default=0),
    "EXCEPTION_HANDLER": "quickscale_modules.api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "quickscale_modules.api.schema.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{PROJECT_NAME} API",
    "DESCRIPTION": (
        "Authenticate with an API key from your account's API keys page, sent as "
        "`Authorization: Bearer <key>`, or with the site's session cookie."
    ),
    "VERSION": "1",
    # Paths in the schema are relative to /api/v1/; the servers entry carries the prefix.
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "SERVERS": [{"url": "/api/v1"}],
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# CORS for a frontend served from another origin (docs/modules/api.md), only on /api/ URLs.
CORS_ALLOWED_ORIGINS = env.list("API_CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
# Lets that frontend send the session cookie; it must then also be in CSRF_TRUSTED_ORIGINS.
CORS_ALLOW_CREDENTIALS = env.bool("API_CORS_ALLOW_CREDENTIALS", default=False)
