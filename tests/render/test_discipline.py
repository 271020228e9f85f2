"""Release discipline that protects users' edits, enforced rather than written down."""

import shutil
import sys
from pathlib import Path

import yaml

from tests.support.helpers import REPO, run
from tests.support.shipped import RECORD, current

NOTES = yaml.safe_load((REPO / "migration-notes.yml").read_text())


def recorded() -> dict:
    return yaml.safe_load(RECORD.read_text())


def test_no_shipped_file_disappears_without_a_migration_note():
    now = set(current()["files"])
    gone = [p for p in recorded()["files"] if p not in now and p not in (NOTES["files"] or {})]
    assert not gone, (
        f"Renamed, moved or removed without a migration note: {gone}. Copier drops users' "
        "edits in such files; restore them, or add each to migration-notes.yml with the "
        "manual step (and to CHANGELOG.md), then run `python tests/shipped.py`."
    )


def test_no_choice_disappears_without_a_migration_note():
    now = set(current()["choices"])
    notes = NOTES["choices"] or {}
    gone = [c for c in recorded()["choices"] if c not in now and c not in notes]
    assert not gone, (
        f"Removed choices: {gone}. Copier drops the whole stored answer of projects that "
        "chose them; keep the choice, or add a migration note and run `python tests/shipped.py`."
    )


def test_record_lists_everything_shipped():
    new = sorted(set(current()["files"]) - set(recorded()["files"]))
    new += sorted(set(current()["choices"]) - set(recorded()["choices"]))
    assert not new, f"Not recorded yet: {new}. Run `python tests/shipped.py` and commit."


def test_user_replaceable_images_are_never_overwritten_by_updates():
    config = yaml.safe_load((REPO / "copier.yml").read_text())
    assert "quickscale_themes/*/frontend_*/static/*/img/**" in config["_skip_if_exists"]
    images = [p for p in current()["files"] if p.endswith((".svg", ".png", ".ico", ".jpg"))]
    assert images, "the themes ship a logo and favicon"
    assert all("/static/" in p and "/img/" in p for p in images), images


def test_every_module_and_theme_has_a_docs_page():
    for folder in sorted((REPO / "modules").iterdir()):
        if folder.is_dir() and folder.name != "__pycache__":
            assert (REPO / "docs/modules" / f"{folder.name}.md").exists(), folder.name
    for folder in sorted((REPO / "themes").iterdir()):
        if folder.is_dir() and folder.name != "__pycache__":
            assert (REPO / "docs/themes" / f"{folder.name}.md").exists(), folder.name


def test_changelog_has_an_entry_for_the_current_work():
    changelog = (REPO / "CHANGELOG.md").read_text()
    assert "## Unreleased" in changelog
    assert changelog.count("\n## ") >= 2, "at least one released version is described"


# The template repository's own Python (never rendered into projects).
TOOLING = ["tests", "benchmarks", "fleet", "extract", "promote"]


def test_template_tooling_passes_ruff():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    run([ruff, "check", "--no-cache", *TOOLING], REPO)
    run([ruff, "format", "--check", "--no-cache", *TOOLING], REPO)
