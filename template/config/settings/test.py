"""Tests: fast hashing, in-memory email, no manifest needed for static files."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-used-anywhere-else-0123456789abcdef"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Serve static files through the finders; tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
# CI sets DATABASE_URL to run the same suite on PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default="sqlite://:memory:")}
# Local memory instead of the database cache: tests build tables without migrations
# (--nomigrations), so the cache table does not exist, and one test process shares nothing.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Background tasks run as soon as they are enqueued (after the commit), whatever queue the
# project uses: tests see their effects at once. Tests of the queue itself set TASKS.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The React frontend's pages point at Vite's dev server instead of reading the build's manifest,
# so the Python suite runs without building the frontend first (make test-python).
if "DJANGO_VITE" in globals():
    DJANGO_VITE["default"]["dev_mode"] = True  # noqa: F405

from .custom import *  # noqa: E402, F403
