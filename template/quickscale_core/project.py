"""What this project was generated with (.copier-answers.yml) and what is installed.

Kept free of Django imports at module level so `quickscale_core.update` can use it
before settings load.
"""

from pathlib import Path

import yaml

ANSWERS_FILE = ".copier-answers.yml"
APPLIED_FILE = "quickscale_core/applied_answers.yml"
MODULES_PACKAGE = "quickscale_modules"
UPDATE_COMMAND = "make update"


def project_root() -> Path:
    return Path(__file__).resolve().parent.parent


def read_answers(root: Path | None = None, name: str = ANSWERS_FILE) -> dict | None:
    """An answers file as a dict, or None when it is missing."""
    path = (root or project_root()) / name
    if not path.exists():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{name} does not hold a YAML mapping.")
    return data


def unapplied_answers(answers: dict, applied: dict) -> list[str]:
    """Questions whose answer was edited by hand since Copier last rendered the project."""
    keys = {k for k in (*answers, *applied) if not k.startswith("_") and k != "modules"}
    return sorted(k for k in keys if answers.get(k) != applied.get(k))


def answered_modules(answers: dict) -> list[str]:
    return sorted(answers.get("modules") or [])


def modules_on_disk(root: Path | None = None) -> list[str]:
    """Modules whose folder (with its module.yml manifest) is in quickscale_modules/."""
    package = (root or project_root()) / MODULES_PACKAGE
    return sorted(p.parent.name for p in package.glob("*/module.yml"))


def installed_modules() -> list[str]:
    """Kept for code written before quickscale_core.extensions.installed_modules (use that)."""
    from .extensions import installed_modules as from_settings

    return from_settings()


# Conflict markers as Copier (`--conflict inline`) and git write them, at line start.
CONFLICT_MARKER = r"^(<<<<<<<|>>>>>>>)( |$)"
# What manage.py and the settings package say when markers stop Python itself.
CONFLICT_STOP = (
    "{where}, line {line}: an update left unresolved conflict markers (quickscale.E006). "
    "Keep what you want between <<<<<<< and >>>>>>>, delete the markers, `git add` the file, "
    "run `make test` and commit (README.md, section Updating)."
)
# Folders that are never the project's own source: skipped when looking for .rej files.
NOT_SOURCE = {".git", ".venv", "node_modules", "__pycache__", "staticfiles", "media"}


def conflicted_files(root: Path | None = None) -> list[str]:
    """Files an update left unresolved: conflict markers in git-tracked (or new, not
    ignored) files, and `.rej` files (hunks Copier could not place; .gitignore hides them).

    Needs git for the markers (an update only runs in a git repository, which may
    hold the project in a subfolder); a copy of the project outside git, such as a
    Docker image, only gets the `.rej` search.
    """
    import os
    import shutil
    import subprocess

    root = root or project_root()
    found: set[str] = set()
    if shutil.which("git"):  # outside a repository git grep fails and prints nothing
        result = subprocess.run(  # noqa: S603
            ["git", "grep", "--untracked", "-I", "-l", "-E", CONFLICT_MARKER, "--", "."],  # noqa: S607
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        found.update(line for line in result.stdout.splitlines() if line)
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in NOT_SOURCE and not d.startswith(".venv")]
        for name in files:
            if name.endswith(".rej"):
                found.add((Path(folder) / name).relative_to(root).as_posix())
    return sorted(found)
