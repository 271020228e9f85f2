import re

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command

STORAGE = "quickscale_core.storage.StaticFilesStorage"


def _collect(tmp_path, settings):
    """collectstatic under the production storage, from a fake Vite build and a plain file."""
    build = tmp_path / "frontend_build" / "assets"
    build.mkdir(parents=True)
    (build / "app-AbCd1234.js").write_text('import{m}from"./mount-XyZ_9876.js";m();\n')
    (build / "mount-XyZ_9876.js").write_text("export function m(){}\n")
    plain = tmp_path / "static" / "site"
    plain.mkdir(parents=True)
    # Large enough for whitenoise to keep a compressed copy.
    (plain / "site.css").write_text("body { color: black; }\n" * 200)
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STATICFILES_DIRS = [tmp_path / "static", ("frontend", tmp_path / "frontend_build")]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": STORAGE}}
    # Only these two folders, not every app's static files: quicker, and nothing else matters.
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    call_command("collectstatic", "--noinput", verbosity=0)


def test_vite_chunks_keep_the_names_they_import_each_other_by(tmp_path, settings):
    _collect(tmp_path, settings)

    # One URL per chunk: the page's preload link and the entry's import name the same file.
    assert staticfiles_storage.url("frontend/assets/app-AbCd1234.js") == (
        "/static/frontend/assets/app-AbCd1234.js"
    )
    assert (tmp_path / "collected" / "frontend" / "assets" / "mount-XyZ_9876.js").exists()
    assert not list((tmp_path / "collected" / "frontend" / "assets").glob("mount-XyZ_9876.*.js"))


def test_other_static_files_are_still_fingerprinted_and_compressed(tmp_path, settings):
    _collect(tmp_path, settings)

    url = staticfiles_storage.url("site/site.css")
    assert re.fullmatch(r"/static/site/site\.[0-9a-f]{12}\.css", url), url
    assert list((tmp_path / "collected" / "site").glob("site.*.css.gz"))


def test_each_url_is_looked_up_in_the_manifest_once_per_process(tmp_path, settings, monkeypatch):
    """Issue 20: {% static %} looked every name up in the manifest on every page."""
    _collect(tmp_path, settings)
    lookups = []
    real = type(staticfiles_storage._wrapped).stored_name
    monkeypatch.setattr(
        type(staticfiles_storage._wrapped),
        "stored_name",
        lambda self, name: lookups.append(name) or real(self, name),
    )

    first = staticfiles_storage.url("site/site.css")
    second = staticfiles_storage.url("site/site.css")

    assert first == second and re.fullmatch(r"/static/site/site\.[0-9a-f]{12}\.css", first)
    assert lookups == ["site/site.css"]
    with pytest.raises(ValueError):  # A name missing from the manifest is still an error.
        staticfiles_storage.url("site/missing.css")
    settings.DEBUG = True  # Plain names with DEBUG on, as Django gives them.
    assert staticfiles_storage.url("site/site.css") == "/static/site/site.css"


def test_collectstatic_in_the_same_process_forgets_the_urls_it_kept(tmp_path, settings):
    """A deploy hook or test that collects again in a running process gets the new names."""
    _collect(tmp_path, settings)
    before = staticfiles_storage.url("site/site.css")
    (tmp_path / "static" / "site" / "site.css").write_text("body { color: navy; }\n" * 200)

    call_command("collectstatic", "--noinput", verbosity=0)

    after = staticfiles_storage.url("site/site.css")
    assert after != before and (settings.STATIC_ROOT / after.removeprefix("/static/")).exists()
