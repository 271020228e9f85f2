"""Production: every secret and host comes from the environment; HTTPS everywhere.

Missing variables stop the process at start-up with one line saying what to set,
instead of a half-configured site.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import PROJECT_DOMAIN, env


def required(name: str, example: str) -> str:
    value = env.str(name, default="")
    if not value.strip():
        raise ImproperlyConfigured(
            f"{name} is not set: production needs it in the environment, e.g. {name}={example}"
        )
    return value


DEBUG = False
SECRET_KEY = required(
    "SECRET_KEY", "$(python -c 'import secrets; print(secrets.token_urlsafe(50))')"
)
DATABASES = {
    "default": env.db_url_config(required("DATABASE_URL", "postgres://user:pass@host:5432/db"))
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database host that stops answering must fail requests within seconds: libpq would
# otherwise wait forever, and /healthz/ with it. "?connect_timeout=" in DATABASE_URL wins.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
ALLOWED_HOSTS = [
    h.strip() for h in required("ALLOWED_HOSTS", PROJECT_DOMAIN).split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = env.list(
    "CSRF_TRUSTED_ORIGINS", default=[f"https://{host.lstrip('.')}" for host in ALLOWED_HOSTS]
)
# Limits per client IP (sign-in, sign-up, password reset, API throttles) need the
# visitor's address. Production sits behind a TLS proxy (below), and with a wrong count
# every visitor shares the proxy's address: one of them could lock everyone out. So the
# number of proxies that add to X-Forwarded-For must be stated: 1 behind one load
# balancer or PaaS router, 0 when clients reach gunicorn directly. Settings in base.py
# (modules' rate limits) read the same variable.
_proxies = required("AUTH_TRUSTED_PROXY_COUNT", "1 (proxies in front of the app; 0 if none)")
if not (_proxies.strip().isascii() and _proxies.strip().isdigit()):
    raise ImproperlyConfigured(
        f"AUTH_TRUSTED_PROXY_COUNT={_proxies!r} is not a whole number of proxies: set 1 behind "
        "one load balancer or PaaS router, 0 if clients reach the app directly."
    )

# HTTPS: the app sits behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers probe /healthz/ over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
# Preload and subdomains are on by default; turn them off before the first deploy if any
# subdomain of this domain must stay reachable over plain HTTP (docs: deployment).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # whitenoise's compressed, fingerprinted files; a bundler's own fingerprints are kept.
    "staticfiles": {"BACKEND": "quickscale_core.storage.StaticFilesStorage"},
}
# Cached forever by browsers: names that change with the content, Django's fingerprint
# (name.<12 hex>.ext) or Vite's (frontend/assets/name-<8 characters>.ext).
WHITENOISE_IMMUTABLE_FILE_TEST = r"^.+\.[0-9a-f]{12}\.\w+$|/frontend/assets/.+-[\w-]{8}\.\w+$"

# The React frontend: django-vite reads the manifest collectstatic copied, which names the files
# whitenoise serves. A new build without collectstatic keeps serving the previous files
# instead of pages naming files whitenoise does not have (500).
if "DJANGO_VITE" in globals() and (STATIC_ROOT / "frontend" / "manifest.json").exists():  # noqa: F405
    DJANGO_VITE["default"]["manifest_path"] = STATIC_ROOT / "frontend" / "manifest.json"  # noqa: F405

from .custom import *  # noqa: E402, F403
