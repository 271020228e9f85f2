"""Render tier: every combination of the questions renders a clean, valid, checkable project.

The combinations are tests/support/matrix.py's, rendered once per run by the `rendered`
fixture (tests/conftest.py); tests/project/test_django_checks.py runs Django's checks on them.
"""

import json
import shutil
import sys
import tomllib
from pathlib import Path

import yaml

from tests.support.helpers import COPIER_SYNTAX, jinja_sources, project_files, run


def tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).parent / name)
    return found


def test_no_leftover_jinja_and_no_template_suffixes(rendered):
    project, _ = rendered
    for path in project_files(project):
        assert not path.name.endswith(".jinja"), path
        assert "{" not in str(path.relative_to(project)), path
    rendered_files = jinja_sources(project, "client_acme")
    assert project / "config/settings/base.py" in rendered_files
    for path in rendered_files:
        match = COPIER_SYNTAX.search(path.read_text())
        assert match is None, f"{path}: leftover Jinja {match.group(0)!r}"


def test_config_files_parse(rendered):
    project, _ = rendered
    tomllib.loads((project / "pyproject.toml").read_text())
    for path in project_files(project):
        if path.suffix in {".yml", ".yaml"}:
            yaml.safe_load(path.read_text())
        elif path.suffix == ".json":  # package.json and tsconfig.json (React): plain JSON
            json.loads(path.read_text())


def test_optional_files_follow_the_answers(rendered):
    project, answers = rendered
    for name in ["Dockerfile", ".dockerignore", "compose.yaml"]:
        assert (project / name).exists() == answers["use_docker"], name
    assert (project / ".github/workflows/ci.yml").exists() == (answers["ci"] == "github")


# The React frontend's build files at the project root (template-owned, only for react).
REACT_BUILD_FILES = ["package.json", "vite.config.ts", "tsconfig.json", "eslint.config.js",
                     "frontend.mk"]  # fmt: skip


def test_frontend_files_follow_the_answer(rendered):
    """A react project has the root build files, the client's frontend/index.tsx, and both
    frontends of each theme (React layers on the HTMX one, which keeps the server-rendered
    pages); an htmx project has none of the React files."""
    project, answers = rendered
    react = answers["frontend"] == "react"
    for name in REACT_BUILD_FILES:
        assert (project / name).is_file() == react, name
    assert (project / "client_acme" / "frontend" / "index.tsx").is_file() == react
    assert (project / "client_acme" / "frontend").exists() == react
    themes = sorted(p for p in (project / "quickscale_themes").iterdir() if p.is_dir()
                    and (p / "theme.yml").exists())  # fmt: skip
    assert themes, "no theme folder"
    for theme in themes:
        assert (theme / "frontend_htmx" / "templates").is_dir(), theme.name
        assert (theme / "frontend_react").is_dir() == react, theme.name
    if react:
        package = json.loads((project / "package.json").read_text())
        assert package["name"] == "client-acme-frontend"
        pins = {**package["dependencies"], **package["devDependencies"]}
        assert not [v for v in pins.values() if not v[:1].isdigit()], "exact pins only"
        assert "django-vite==3.2.0" in (project / "pyproject.toml").read_text()
        starter = project / "quickscale_themes/starter/frontend_react/src/entries/app.tsx"
        assert starter.is_file()
        assert "-include frontend.mk" in (project / "Makefile").read_text()
    else:
        assert not list(project.rglob("*.tsx")), "an htmx project has no React code"
        assert "django-vite" not in (project / "pyproject.toml").read_text()


def test_answers_file_records_every_answer(rendered):
    project, answers = rendered
    stored = yaml.safe_load((project / ".copier-answers.yml").read_text())
    for key, value in answers.items():
        if key == "modules":
            # Copier stores a multiselect answer in the order of its choices.
            assert sorted(stored[key]) == sorted(value)
        else:
            assert stored[key] == value
    assert {"project_name", "project_slug", "domain", "author_email"} <= set(stored)


def test_generated_code_passes_ruff(rendered):
    project, _ = rendered
    run([tool("ruff"), "check", "--no-cache", "."], cwd=project)
    run([tool("ruff"), "format", "--check", "--no-cache", "."], cwd=project)


def test_pytest_copie_renders_the_default_project(copie):
    """The same defaults through pytest-copie, the way template authors usually test."""
    result = copie.copy(extra_answers={"project_name": "Copie Check"})

    assert result.exit_code == 0, result.exception
    assert (result.project_dir / "copie_check" / "apps.py").exists()
    assert (result.project_dir / "quickscale_themes" / "starter" / "theme.yml").exists()


def test_every_top_level_folder_is_client_owned_or_template_owned(rendered):
    """`_skip_if_exists` treats every top-level folder as the client's unless copier.yml
    lists it with "!": a new template-owned folder must be listed, or updates would
    never touch it again."""
    import yaml

    from tests.support.helpers import REPO

    patterns = yaml.safe_load((REPO / "copier.yml").read_text())["_skip_if_exists"]
    template_owned = {p.removeprefix("!/").removesuffix("/**") for p in patterns if p[0] == "!"}
    project, answers = rendered
    client_owned = {answers.get("project_slug", "client_acme"), "templates", "static"}
    folders = {p.name for p in project.iterdir() if p.is_dir()}
    assert folders - client_owned == template_owned & folders
    assert {"config", "quickscale_core", "quickscale_themes"} <= folders
