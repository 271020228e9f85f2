"""Plain helpers shared by the template tests (fixtures live in tests/conftest.py)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import copier

REPO = Path(__file__).resolve().parents[2]
# Kept between runs: the shared project venv, Docker base images, screenshots.
CACHE = REPO / ".cache"

# GitHub Actions expressions (`${{ github.sha }}`, in .github/workflows/ci.yml.jinja) are not Jinja.
COPIER_SYNTAX = re.compile(r"(?<!\$)\{\{|\{%|_copier_conf|extensions/wiring")


def jinja_sources(project: Path, slug: str) -> list[Path]:
    """Files of `project` that Copier rendered from a `.jinja` source.

    Only these must be free of Jinja syntax: verbatim files (Django templates,
    GitHub workflows) legitimately contain {{ }} and {% %}.
    """
    rendered = []
    for root, _dirs, files in os.walk(REPO / "template", followlinks=True):
        for name in files:
            if not name.endswith(".jinja"):
                continue
            rel = (Path(root) / name).relative_to(REPO / "template").as_posix()
            rel = rel.removesuffix(".jinja").replace("{{project_slug}}", slug)
            rel = rel.replace("{{_copier_conf.answers_file}}", ".copier-answers.yml")
            rel = re.sub(r"\{%.*?%\}", "", rel)
            if (project / rel).is_file():
                rendered.append(project / rel)
    return rendered


def clean_project_env() -> dict[str, str]:
    """Environment for commands run inside a generated project (no leaked settings)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.pop("VIRTUAL_ENV", None)
    # Users' Pythons write bytecode; leftovers in removed modules must be handled.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def render(src: Path, dst: Path, **data) -> Path:
    """Generate a project with Copier's API, trust-free, answering with defaults."""
    answers = {"project_name": "Client Acme", **data}
    copier.run_copy(
        str(src),
        str(dst),
        data=answers,
        defaults=True,
        unsafe=False,
        quiet=True,
        vcs_ref="HEAD" if (src / ".git").exists() else None,
    )
    return dst


def run(cmd, cwd: Path | None = None, env: dict | None = None, timeout: int = 900, check=True):
    """Run a command, failing the test with its output when it fails."""
    result = subprocess.run(  # noqa: S603
        [str(part) for part in cmd],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(map(str, cmd))} exited {result.returncode}\n"
            f"--- stdout ---\n{result.stdout[-6000:]}\n--- stderr ---\n{result.stderr[-6000:]}"
        )
    return result


def project_files(project: Path) -> list[Path]:
    return sorted(p for p in project.rglob("*") if p.is_file() and ".venv" not in p.parts)


FIXTURE_MODULES = REPO / "tests" / "fixtures" / "modules"


def add_fixture_modules(template: Path, names=("greetings", "shout")) -> Path:
    """Turn a copy of the template into one that offers the fixture modules.

    Does what adding a real module takes: the module folder and a choice in copier.yml
    (the question becomes visible); nothing else in the template changes.
    """
    import shutil

    import yaml

    for name in names:
        shutil.copytree(FIXTURE_MODULES / name, template / "modules" / name)
    config_path = template / "copier.yml"
    config = yaml.safe_load(config_path.read_text())
    config["modules"]["choices"] = choice_values(config["modules"]) + list(names)
    config["modules"].pop("when", None)
    config_path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    return template


GIT_ENV = {
    "GIT_AUTHOR_NAME": "QuickScale Tests",
    "GIT_AUTHOR_EMAIL": "tests@quickscale.invalid",
    "GIT_COMMITTER_NAME": "QuickScale Tests",
    "GIT_COMMITTER_EMAIL": "tests@quickscale.invalid",
}


def git(repo: Path, *args: str, check: bool = True) -> str:
    import os

    env = {**os.environ, **GIT_ENV}
    return run(["git", *args], cwd=repo, env=env, check=check).stdout


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def edit(path: Path, old: str, new: str) -> None:
    """Replace exactly one occurrence, so a changed template fails loudly here."""
    text = path.read_text()
    assert text.count(old) == 1, f"{path}: expected one {old!r}"
    path.write_text(text.replace(old, new))


def shipped_modules() -> list[str]:
    """The `modules` choices in copier.yml (the real modules, not the test fixtures)."""
    import yaml

    config = yaml.safe_load((REPO / "copier.yml").read_text())
    return choice_values(config["modules"])


def shipped_themes() -> list[str]:
    """The `theme` choices in copier.yml."""
    import yaml

    config = yaml.safe_load((REPO / "copier.yml").read_text())
    return choice_values(config["theme"])


def choice_values(question: dict) -> list:
    """A question's choice values; copier.yml may give them as a list or as label: value."""
    choices = question.get("choices") or []
    return list(choices.values()) if isinstance(choices, dict) else list(choices)


def with_requirements(name: str) -> list[str]:
    """A module plus everything it requires, transitively (what a user must select)."""
    import yaml

    selected: list[str] = []
    pending = [name]
    while pending:
        current = pending.pop()
        if current in selected:
            continue
        selected.append(current)
        manifest = yaml.safe_load((REPO / "modules" / current / "module.yml").read_text())
        pending += manifest.get("requires") or []
    return sorted(selected)
