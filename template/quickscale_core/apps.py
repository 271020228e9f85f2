import logging
from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.utils.autoreload import autoreload_started


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
