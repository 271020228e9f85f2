"""Records what users receive, so a later change cannot silently rename or drop it.

    python tests/shipped.py   # rewrite tests/shipped.yml after adding files or choices

Copier drops a user's edits in a file the template renames, and drops the whole stored
answer when a `choices` entry disappears. tests/render/test_discipline.py fails when something
recorded here is gone without an entry in migration-notes.yml saying what users do.
"""

from __future__ import annotations

import re
import subprocess
from fnmatch import fnmatch
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
RECORD = REPO / "tests" / "shipped.yml"
SHIPPED_DIRS = ("template", "modules", "themes")


# Where each source folder lands in a generated project (template/quickscale_modules and
# template/quickscale_themes are symlinks to modules/ and themes/).
DESTINATIONS = {"template/": "", "modules/": "quickscale_modules/", "themes/": "quickscale_themes/"}
# Source files that _exclude in copier.yml always keeps out of generated projects.
NEVER_GENERATED = ("quickscale_modules/README.md", "quickscale_modules/*/settings.py")
CONDITIONAL_NAME = re.compile(r"\{%-? if .*?%\}(.*?)\{%-? endif -?%\}")


def generated_path(source: str) -> str:
    """The path a source file gets in generated projects: what a user's edits attach to.

    Recording these (not the repository's own paths) lets the repository reorganise its
    folders freely while any change to what users receive is still caught.
    """
    for prefix, destination in DESTINATIONS.items():
        if source.startswith(prefix):
            path = destination + source.removeprefix(prefix)
            break
    path = CONDITIONAL_NAME.sub(r"\1", path)
    return path.removesuffix(".jinja")


def shipped_files() -> list[str]:
    """Generated paths of the files under template/, modules/ and themes/ that git tracks
    or would track.

    Symlinks count as themselves (not followed); ignored files such as caches don't count.
    """
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", *SHIPPED_DIRS],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return sorted(
        {
            generated_path(path)
            for path in set(listed)
            if not any(fnmatch(generated_path(path), never) for never in NEVER_GENERATED)
            # Symlinked folders are the repository's structure, not something users receive.
            if (REPO / path).is_file()
            or ((REPO / path).is_symlink() and not (REPO / path).is_dir())
        }
    )


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


def write() -> Path:
    """Rewrite tests/shipped.yml from what the repository ships now."""
    header = (
        "# What users receive; rewritten by `python tests/shipped.py`. Removing or renaming\n"
        "# anything listed here needs an entry in migration-notes.yml (docs/releasing.md).\n"
    )
    RECORD.write_text(header + yaml.safe_dump(current(), sort_keys=True, width=200))
    return RECORD


def main() -> None:
    print(f"wrote {write().relative_to(REPO)}")


if __name__ == "__main__":
    main()
