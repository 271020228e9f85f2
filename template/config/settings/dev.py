"""Development: DEBUG on, SQLite unless DATABASE_URL is set, emails printed to the console."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# Only for local development; production refuses to start without its own SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-dev-only-0nly-f0r-l0cal-devel0pment-use")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

# The React frontend before its first build (make run builds it): django-vite has no manifest
# to read yet, which is not worth a warning on every manage.py command in development.
if "DJANGO_VITE" in globals() and not (FRONTEND_BUILD_DIR / "manifest.json").exists():  # noqa: F405
    SILENCED_SYSTEM_CHECKS = ["django_vite.W001"]

# Your overrides come last so they win (config/settings/custom.py, never updated).
from .custom import *  # noqa: E402, F403
