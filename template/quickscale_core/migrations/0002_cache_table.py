"""The database cache's table: rate limits and throttles are counted there (CACHES in settings).

Forwards runs Django's own `createcachetable` for the database being migrated: it creates the
table of every cache alias that uses the database cache (none with CACHE_URL=redis://...) and
skips tables that already exist, so it is safe on databases that have one. Backwards drops
those tables. Switching CACHE_URL to the database cache later: `manage.py createcachetable`.
"""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.core.management import call_command
from django.db import migrations, router


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_tables(apps, schema_editor):
    connection = schema_editor.connection
    existing = set(connection.introspection.table_names())
    for alias in settings.CACHES:
        cache = caches[alias]
        if not isinstance(cache, BaseDatabaseCache) or cache._table not in existing:
            continue
        if router.allow_migrate_model(connection.alias, cache.cache_model_class):
            schema_editor.execute(
                schema_editor.sql_delete_table % {"table": schema_editor.quote_name(cache._table)}
            )
            existing.discard(cache._table)


class Migration(migrations.Migration):
    dependencies = [
        ("quickscale_core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_cache_tables, drop_cache_tables, elidable=False),
    ]
