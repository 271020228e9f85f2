"""The cache every process shares: login rate limits and API throttles are counted there.

Outside tests it is Django's database cache (CACHE_URL unset) whose table the migration
quickscale_core 0002 creates, or Redis with CACHE_URL=redis://... The test settings use local
memory (config/settings/test.py), so these tests load the real settings in a fresh interpreter.
"""

import json
import os
import subprocess
import sys
from importlib import import_module

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import override_settings

cache_migration = import_module("quickscale_core.migrations.0002_cache_table")


def shell(code: str, **env: str) -> str:
    """Run code under the development settings in a fresh interpreter; its last output line."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CACHE_URL"}
    }
    # CACHE_URL="" stands for unset and keeps a CACHE_URL in your .env out of the test.
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings.dev", "CACHE_URL": "", **env})
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


CACHES = "from django.conf import settings; import json; print(json.dumps(settings.CACHES))"


def test_the_default_cache_is_the_database_cache():
    default = json.loads(shell(CACHES))["default"]

    assert default["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert default["LOCATION"] == "quickscale_cache"
    # Django's default (300) would let a burst of new keys cull live rate-limit counters.
    assert default["OPTIONS"]["MAX_ENTRIES"] == 100_000


@pytest.mark.parametrize("scheme", ["redis", "rediss"])
def test_a_redis_cache_url_selects_djangos_redis_backend(scheme):
    url = f"{scheme}://:secret@cache.internal:6379/0"

    default = json.loads(shell(CACHES, CACHE_URL=url))["default"]

    assert default["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert default["LOCATION"] == url


MIGRATE = """
import json
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

def has_table():
    return "quickscale_cache" in connection.introspection.table_names()

steps = {}
call_command("migrate", "quickscale_core", verbosity=0)
steps["migrated"] = has_table()
cache.set("probe", "shared", 60)
with connection.cursor() as cursor:
    cursor.execute("SELECT COUNT(*) FROM quickscale_cache")
    steps["rows"] = cursor.fetchone()[0]
steps["read back"] = cache.get("probe")
call_command("migrate", "quickscale_core", "0001", verbosity=0)
steps["unmigrated"] = has_table()
# A table made by hand (createcachetable) before the migration runs is kept.
call_command("createcachetable", verbosity=0)
call_command("migrate", "quickscale_core", verbosity=0)
steps["migrated over an existing table"] = has_table()
print(json.dumps(steps))
"""


def test_migrate_creates_the_cache_table_and_unmigrating_drops_it(tmp_path):
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"

    steps = json.loads(shell(MIGRATE, DATABASE_URL=database))

    assert steps == {
        "migrated": True,
        "rows": 1,
        "read back": "shared",
        "unmigrated": False,
        "migrated over an existing table": True,
    }


@pytest.mark.django_db(transaction=True)
def test_the_migration_works_on_the_test_database():
    """The same operations on the database the suite runs on (PostgreSQL in CI)."""
    probe = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "qs_probe"}
    with override_settings(CACHES={**settings.CACHES, "probe": probe}):
        for _ in range(2):  # creating is idempotent
            with connection.schema_editor() as editor:
                cache_migration.create_cache_tables(None, editor)
        assert "qs_probe" in connection.introspection.table_names()
        caches["probe"].set("attempts", 3)
        assert caches["probe"].get("attempts") == 3

        with connection.schema_editor() as editor:
            cache_migration.drop_cache_tables(None, editor)
        assert "qs_probe" not in connection.introspection.table_names()


SESSIONS = "from django.conf import settings; print(settings.SESSION_ENGINE)"


@pytest.mark.parametrize(
    "url",
    ["", "locmemcache://", "redis://cache.internal:6379/0", "pymemcache://cache.internal:11211"],
)
def test_sessions_stay_in_the_database_whatever_the_cache(url):
    # cached_db raises when the cache is down after its first read, and a sign-out that
    # cannot reach the cache leaves the ended session there (docs/decisions.md, "Page cost").
    assert shell(SESSIONS, CACHE_URL=url) == "django.contrib.sessions.backends.db"
