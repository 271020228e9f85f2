import logging
import sys
from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import pre_migrate
from django.utils.autoreload import autoreload_started

# Above this many operations a migrate run is slow enough to say so first: a new SQLite
# database with every shipped module has ~760 (dj-stripe's 0002 alone has 523, about a
# minute: Django re-renders the model state of every related model after each operation).
SLOW_MIGRATE_OPERATIONS = 300


class QuickscaleCoreConfig(AppConfig):
    name = "quickscale_core"
    verbose_name = "QuickScale core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the system checks with Django's check framework.
        from . import checks, signals  # noqa: F401
        from .log_filters import RedactSecretPaths

        # gunicorn's access log (Dockerfile: --access-logfile -) is set up by gunicorn before
        # Django starts, and naming its logger in LOGGING would remove its handler: the filter
        # that keeps password reset keys out of it is added to the logger here instead.
        access_log = logging.getLogger("gunicorn.access")
        if not any(isinstance(f, RedactSecretPaths) for f in access_log.filters):
            access_log.addFilter(RedactSecretPaths())

        # runserver restarts when a manifest changes: they are read once per process.
        autoreload_started.connect(watch_manifests)
        # Once per migrate run (sent per app; this app's signal is enough). The final-state
        # receiver first, so that the announcement counts the operations that will run.
        pre_migrate.connect(
            apply_from_final_state, sender=self, dispatch_uid="quickscale_core.final_state"
        )
        pre_migrate.connect(
            announce_migrations, sender=self, dispatch_uid="quickscale_core.announce"
        )


def apply_from_final_state(sender, **kwargs) -> None:
    """New databases get the tables of apps slow to replay at once (migrate_final_state.py)."""
    # Imported by a migrate run only: serving pages needs none of the migration machinery.
    from .migrate_final_state import apply_from_final_state as rewrite_plan

    rewrite_plan(sender, **kwargs)


def announce_migrations(sender, verbosity=1, plan=None, stdout=None, **kwargs) -> None:
    """One line before migrate starts work, so a long first run does not look stuck."""
    forwards = [migration for migration, backwards in plan or () if not backwards]
    if not forwards or verbosity < 1:
        return
    operations = sum(len(migration.operations) for migration in forwards)
    line = (
        f"Setting up the database: {len(forwards)} migration(s), {operations} operation(s) "
        "to apply."
    )
    if operations > SLOW_MIGRATE_OPERATIONS:
        line += (
            " A new database takes a while (a minute or two: Django replays every model "
            "change of each migration); later runs apply only new migrations."
        )
    (stdout or sys.stdout).write(line + "\n")
    (stdout or sys.stdout).flush()


def watch_manifests(sender, **kwargs) -> None:
    root = Path(__file__).resolve().parent.parent
    sender.watch_dir(root, "*/module.yml")
    sender.watch_dir(root / "quickscale_modules", "*/module.yml")
    sender.watch_dir(root / "quickscale_themes", "*/theme.yml")
    # The React frontend's build manifest, also read once per process (django-vite): a rebuild
    # while runserver serves the site restarts it, instead of pages asking for deleted files.
    build = getattr(settings, "FRONTEND_BUILD_DIR", None)
    if build:
        sender.watch_dir(Path(build), "manifest.json")
