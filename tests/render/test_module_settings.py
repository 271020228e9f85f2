"""Module settings are real Python files (modules/<name>/settings.py), linted where they live.

extensions/wiring.jinja copies each file into config/settings/base.py verbatim from its
marker line on; the lines above the marker only define what base.py defines earlier.
"""

import shutil
import sys
from pathlib import Path

import pytest
import yaml

from tests.support.helpers import FIXTURE_MODULES, REPO, render, run, shipped_modules

MARKER = "# --- Included verbatim into config/settings/base.py below this line ---"
MODULE_DIRS = sorted(p.parent for p in (REPO / "modules").glob("*/module.yml")) + sorted(
    p.parent for p in FIXTURE_MODULES.glob("*/module.yml")
)
SETTINGS_FILES = [
    folder / "settings.py" for folder in MODULE_DIRS if (folder / "settings.py").exists()
]


def fragment(path: Path) -> str:
    """The part of a settings.py that base.py receives."""
    return path.read_text().split(MARKER, 1)[1].strip()


def ids(paths):
    return [path.relative_to(REPO).as_posix() for path in paths]


def test_every_real_module_with_settings_has_its_file():
    assert {path.parent.name for path in SETTINGS_FILES} >= {"api", "auth", "billing", "payments"}


@pytest.mark.parametrize("folder", MODULE_DIRS, ids=ids(MODULE_DIRS))
def test_manifests_hold_no_settings(folder):
    manifest = yaml.safe_load((folder / "module.yml").read_text())
    assert "settings" not in manifest, "module settings belong in settings.py next to module.yml"


@pytest.mark.parametrize("path", SETTINGS_FILES, ids=ids(SETTINGS_FILES))
def test_settings_file_has_one_marker_and_no_jinja_syntax(path):
    text = path.read_text()
    assert text.count(MARKER) == 1, f"{path.name} needs exactly one line {MARKER!r}"
    assert f"\n{MARKER}\n" in text, "the marker is a line of its own"
    assert fragment(path), "nothing below the marker"
    # The wiring reads the file through Jinja's `include`, which would evaluate these.
    for syntax in ("{{", "{%", "{#"):
        assert syntax not in text, f"{syntax!r} in {path.name} would be read as Jinja"


@pytest.mark.parametrize("path", SETTINGS_FILES, ids=ids(SETTINGS_FILES))
def test_settings_file_compiles(path):
    compile(path.read_text(), str(path), "exec")
    compile(fragment(path), f"{path} (below the marker)", "exec")


def generated_projects_ruff_config(dst: Path) -> Path:
    """The [tool.ruff] tables of template/pyproject.toml.jinja, as a config file of their own."""
    lines = (REPO / "template/pyproject.toml.jinja").read_text().splitlines()
    start = lines.index("[tool.ruff]")
    end = next(
        (
            i
            for i in range(start + 1, len(lines))
            if lines[i].startswith("[") and not lines[i].startswith("[tool.ruff")
        ),
        len(lines),
    )
    text = "\n".join(lines[start:end]).replace("{{ project_slug }}", "client_acme")
    assert "{{" not in text and "{%" not in text, "[tool.ruff] gained Jinja: adapt this helper"
    config = dst / "pyproject.toml"
    config.write_text(text + "\n")
    return config


def test_settings_files_pass_the_generated_projects_ruff_rules(tmp_path):
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    config = generated_projects_ruff_config(tmp_path)
    files = [str(path) for path in SETTINGS_FILES]
    run([ruff, "check", "--no-cache", "--config", config, *files], REPO)
    run([ruff, "format", "--check", "--no-cache", "--config", config, *files], REPO)


def test_base_py_receives_each_fragment_verbatim(template_snapshot, tmp_path):
    modules = shipped_modules()
    project = render(template_snapshot, tmp_path / "all", modules=modules)

    base = (project / "config/settings/base.py").read_text()
    for name in modules:
        path = REPO / "modules" / name / "settings.py"
        if not path.exists():
            continue
        label = yaml.safe_load((path.parent / "module.yml").read_text()).get("label") or name
        heading = f"\n\n# --- {label} module (from QuickScale's modules/{name}/settings.py) ---\n"
        assert heading + fragment(path) + "\n" in base, name
    assert MARKER not in base
