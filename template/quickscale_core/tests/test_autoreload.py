from pathlib import Path

from django.utils.autoreload import StatReloader

from quickscale_core.apps import watch_manifests


def test_runserver_restarts_when_a_manifest_changes(settings):
    reloader = StatReloader()

    watch_manifests(reloader)

    root = Path(settings.BASE_DIR)
    assert "*/theme.yml" in reloader.directory_globs[root / "quickscale_themes"]
    assert "*/module.yml" in reloader.directory_globs[root / "quickscale_modules"]


def test_runserver_restarts_when_the_frontend_is_rebuilt(settings, tmp_path):
    # django-vite reads the build's manifest once per process: a rebuild must restart runserver.
    settings.FRONTEND_BUILD_DIR = tmp_path
    reloader = StatReloader()

    watch_manifests(reloader)

    assert "manifest.json" in reloader.directory_globs[tmp_path]
