"""Shared by the update tiers: template versions built in a throwaway git repository,
generated client projects with realistic user edits, and the two update paths."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

import copier
import yaml

from tests.support.helpers import (
    GIT_ENV,
    add_fixture_modules,
    clean_project_env,
    commit_all,
    edit,
    git,
    run,
)

THEME_FRONTEND = "quickscale_themes/starter/frontend_htmx"
LOGO = f"{THEME_FRONTEND}/static/starter/img/logo.svg"
DASHBOARD = f"{THEME_FRONTEND}/templates/starter/dashboard.html"
EXIT_REFUSED = 2
EXIT_CONFLICTS = 3


def build_versions(template_snapshot: Path, repo: Path) -> Path:
    """v0.1.0 = the working tree (+ fixture modules); v0.2.0 and v0.3.0 = realistic
    releases on top. Never uses the tags of this repository."""
    shutil.copytree(template_snapshot, repo, symlinks=True)
    add_fixture_modules(repo)
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "v0.1.0")
    git(repo, "tag", "v0.1.0")

    theme = repo / "themes" / "starter"
    frontend = next(theme.glob("*frontend_htmx*"))
    base = repo / "template/config/settings/base.py.jinja"
    edit(
        base,
        'LOGOUT_REDIRECT_URL = "home"\n',
        'LOGOUT_REDIRECT_URL = "home"\n# Two weeks, then sign in again.\n'
        "SESSION_COOKIE_AGE = 60 * 60 * 24 * 14\n",
    )
    edit(base, 'LOG_LEVEL = env("LOG_LEVEL", default="INFO")',
         'LOG_LEVEL = env("LOG_LEVEL", default="WARNING")')  # fmt: skip
    with (theme / "views.py").open("a") as views:
        views.write('\n\ndef release_notes_url():\n    return "https://example.com/notes"\n')
    edit(
        repo / "template/quickscale_core/models.py",
        '"""The project\'s user model',
        '"""The project\'s (only) user model',
    )
    edit(frontend / "templates/starter/dashboard.html", "<h1>Welcome back</h1>",
         "<h1>Welcome back, friend</h1>")  # fmt: skip
    (frontend / "static/starter/img/logo.svg").write_text("<svg><!-- template v2 --></svg>\n")
    edit(repo / "CHANGELOG.md", "## Unreleased\n",
         "## Unreleased\n\n## 0.2.0\n\n- Sessions last two weeks.\n")  # fmt: skip
    commit_all(repo, "v0.2.0")
    git(repo, "tag", "v0.2.0")

    edit(
        base,
        'LOG_LEVEL = env("LOG_LEVEL", default="WARNING")',
        'LOG_LEVEL = env("LOG_LEVEL", default="WARNING")\n# Release 0.3.0 was here.',
    )
    with (repo / "modules/greetings/services.py").open("a") as services:
        services.write('\n\ndef farewell_for(name: str) -> str:\n    return f"Bye, {name}!"\n')
    # A release may delete a file (here a test the template no longer needs).
    (repo / "template/quickscale_core/tests/test_healthz.py").unlink()
    edit(repo / "CHANGELOG.md", "## 0.2.0\n", "## 0.3.0\n\n- Farewells.\n\n## 0.2.0\n")
    commit_all(repo, "v0.3.0")
    git(repo, "tag", "v0.3.0")
    return repo


def generate(versions: Path, dst: Path, ref: str = "v0.1.0", **data) -> Path:
    """A client project generated from `versions` at `ref`, in a git repository of its own
    with the generated files committed.

    The same template commit with the same answers is rendered once per session: later
    calls copy that pristine project (its .git too), so each update test still starts from
    its own fresh repository without paying for another `copier copy`.
    """
    commit = git(versions, "rev-parse", f"{ref}^{{commit}}").strip()
    key = (str(versions.resolve()), commit, json.dumps(data, sort_keys=True))
    pristine = _pristine.get(key)
    if pristine is None:
        # Beside the template repository: in the test session's temporary folder.
        name = hashlib.sha256(repr(key).encode()).hexdigest()[:12]
        pristine = versions.parent / f"pristine-{name}" / "client_acme"
        copier.run_copy(
            str(versions),
            str(pristine),
            data={"project_name": "Client Acme", **data},
            vcs_ref=ref,
            defaults=True,
            unsafe=False,
            quiet=True,
        )
        git(pristine, "init", "-q", "-b", "main")
        commit_all(pristine, "Start from QuickScale")
        _pristine[key] = pristine
    shutil.copytree(pristine, dst, symlinks=True)
    # The copy's files have new inodes and times: refresh the index's record of them, as a
    # fresh commit leaves it, or plumbing that trusts it (git diff-index) sees every file
    # as changed.
    git(dst, "update-index", "-q", "--refresh")
    return dst


# (template repository, commit, answers) -> a generated, committed project never touched.
_pristine: dict[tuple[str, str, str], Path] = {}


def make_update(project: Path, python: Path, *args: str, check: bool = True):
    """`make update` as the Makefile runs it (the project's own update command)."""
    env = {**clean_project_env(), **GIT_ENV}
    return run([python, "-m", "quickscale_core.update", *args], project, env, check=check)


def plain_copier_update(project: Path, *args: str):
    """What a user who knows Copier types: `copier update --defaults` (the CLI)."""
    env = {**clean_project_env(), **GIT_ENV}
    cmd = [sys.executable, "-m", "copier", "update", "--defaults", *args]
    return run(cmd, project, env, check=False)


def set_answers(project: Path, **changes) -> None:
    path = project / ".copier-answers.yml"
    answers = yaml.safe_load(path.read_text())
    answers.update(changes)
    path.write_text(yaml.safe_dump(answers, sort_keys=False))


def set_modules(project: Path, modules: list[str]) -> None:
    set_answers(project, modules=modules)


def head_and_status(project: Path) -> tuple[str, str]:
    return git(project, "rev-parse", "HEAD").strip(), git(project, "status", "--porcelain")


def snapshot(project: Path) -> dict[str, str]:
    """Every file of the project (outside .git) and its content hash."""
    return {
        path.relative_to(project).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(project.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(project).parts
    }


def user_edits(project: Path) -> dict[str, str]:
    """Realistic edits in every ownership zone; returns path -> text that must survive."""
    with (project / "config/settings/base.py").open("a") as base:
        base.write("\n# Client: feature flag for the Acme rollout.\nACME_ROLLOUT = True\n")
    crm = project / "crm"
    crm.mkdir()
    (crm / "__init__.py").write_text("")
    (crm / "apps.py").write_text(
        'from django.apps import AppConfig\n\n\nclass CrmConfig(AppConfig):\n    name = "crm"\n'
    )
    (crm / "tests.py").write_text("def test_crm_is_collected():\n    assert 'crm'\n")
    (project / "config/settings/custom.py").write_text(
        'from .base import INSTALLED_APPS\n\nINSTALLED_APPS = [*INSTALLED_APPS, "crm"]\n'
    )
    edit(
        project / f"{THEME_FRONTEND}/templates/base.html",
        '&copy; {% now "Y" %} {{ PROJECT_NAME }}',
        '&copy; {% now "Y" %} {{ PROJECT_NAME }} &middot; Made by Acme Agency',
    )
    edit(
        project / "quickscale_themes/starter/views.py",
        'return render(request, "starter/landing.html")',
        'return render(request, "starter/landing.html", {"campaign": "spring"})',
    )
    edit(
        project / "pyproject.toml",
        '    "PyYAML==6.0.3",\n',
        '    "PyYAML==6.0.3",\n    "tomli-w==1.2.0",\n',
    )
    (project / LOGO).write_text("<svg><!-- the client's own logo --></svg>\n")
    (project / "templates/404.html").write_text("<h1>Acme: page not found</h1>\n")
    (project / "client_acme/views.py").write_text('"""Acme views."""\n\nACME = True\n')
    return {
        "config/settings/base.py": "ACME_ROLLOUT = True",
        "config/settings/custom.py": '"crm"',
        "crm/apps.py": 'name = "crm"',
        "crm/tests.py": "def test_crm_is_collected",
        f"{THEME_FRONTEND}/templates/base.html": "Made by Acme Agency",
        "quickscale_themes/starter/views.py": '{"campaign": "spring"}',
        "pyproject.toml": '"tomli-w==1.2.0"',
        LOGO: "the client's own logo",
        "templates/404.html": "Acme: page not found",
        "client_acme/views.py": "ACME = True",
    }


def assert_edits_kept(project: Path, kept: dict[str, str]) -> None:
    for path, text in kept.items():
        assert text in (project / path).read_text(), f"user edit lost in {path}"


# The React frontend's template-owned files a release changes (build_react_versions).
REACT_STARTER = "quickscale_themes/starter/frontend_react/src"
REACT_DASHBOARD = f"{REACT_STARTER}/pages/Dashboard.tsx"
REACT_NOT_FOUND = f"{REACT_STARTER}/pages/NotFound.tsx"


def build_react_versions(template_snapshot: Path, repo: Path) -> Path:
    """v0.1.0 = the working tree; v0.2.0 = a release of the React frontend: a changed page,
    another change in the page the client edits (Dashboard.tsx), and a new script in
    package.json. Kept apart from build_versions so React changes never move the HTMX tests."""
    shutil.copytree(template_snapshot, repo, symlinks=True)
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "v0.1.0")
    git(repo, "tag", "v0.1.0")

    pages = repo / "themes/starter/frontend_react/src/pages"
    edit(pages / "NotFound.tsx", "There is nothing at this address.",
         "There is nothing at this address (template v0.2.0).")  # fmt: skip
    edit(pages / "Dashboard.tsx", "No optional modules installed yet.",
         "No optional modules yet: add them with make update.")  # fmt: skip
    edit(repo / "template/package.json.jinja", '    "build": "vite build",\n',
         '    "build": "vite build",\n    "preview": "vite preview",\n')  # fmt: skip
    edit(repo / "CHANGELOG.md", "## Unreleased\n",
         "## Unreleased\n\n## 0.2.0\n\n- React: npm run preview serves the build.\n")  # fmt: skip
    commit_all(repo, "v0.2.0")
    git(repo, "tag", "v0.2.0")
    return repo
