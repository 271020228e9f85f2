"""Records what users receive, so a later change cannot silently rename or drop it.

    python tests/shipped.py   # rewrite tests/shipped.yml after adding files or choices

Copier drops a user's edits in a file the template renames, and drops the whole stored
answer when a `choices` entry disappears. tests/test_discipline.py fails when something
recorded here is gone without an entry in migration-notes.yml saying what users do.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
RECORD = REPO / "tests" / "shipped.yml"
SHIPPED_DIRS = ("template", "modules", "themes")


def shipped_files() -> list[str]:
    """Every file under template/, modules/ and themes/ (symlinks as links, not followed)."""
    found = []
    for top in SHIPPED_DIRS:
        # os.walk does not descend into symlinked folders; record the links themselves.
        for root, dirs, files in os.walk(REPO / top):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            links = [d for d in dirs if (Path(root) / d).is_symlink()]
            for name in files + links:
                found.append((Path(root) / name).relative_to(REPO).as_posix())
    return sorted(found)


def shipped_choices() -> list[str]:
    config = yaml.safe_load((REPO / "copier.yml").read_text())
    values = []
    for question, spec in config.items():
        if question.startswith("_") or not isinstance(spec, dict):
            continue
        choices = spec.get("choices") or {}
        options = choices.values() if isinstance(choices, dict) else choices
        values += [f"{question}: {value}" for value in options]
    return sorted(values)


def current() -> dict[str, list[str]]:
    return {"choices": shipped_choices(), "files": shipped_files()}


if __name__ == "__main__":
    header = (
        "# What users receive; rewritten by `python tests/shipped.py`. Removing or renaming\n"
        "# anything listed here needs an entry in migration-notes.yml (docs/releasing.md).\n"
    )
    RECORD.write_text(header + yaml.safe_dump(current(), sort_keys=True, width=200))
    print(f"wrote {RECORD.relative_to(REPO)}")
