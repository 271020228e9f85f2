"""git for the fleet: work clones, branches, and template versions read from tags."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import yaml
from packaging.version import InvalidVersion, Version

from fleet.config import is_url

ANSWERS_FILE = ".copier-answers.yml"
# What the files were really generated from (the project's make update compares them).
APPLIED_FILE = "quickscale_core/applied_answers.yml"
# Copier's shortcuts for template sources (copier's vcs module).
SHORTCUTS = {"gh:": "https://github.com/", "gl:": "https://gitlab.com/"}
# `git describe --tags` as Copier records a commit past a tag: v1.2.0-3-gabc1234.
DESCRIBED = re.compile(r"^(?P<tag>.+)-(?P<ahead>\d+)-g[0-9a-f]+$")
# Never prompt for a password or a host key in a run nobody watches.
ENV = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_SSH_COMMAND": os.environ.get("GIT_SSH_COMMAND", "ssh -o BatchMode=yes"),
}


class GitError(Exception):
    """A git command failed; the message is git's own first lines."""


def git(*args: str, cwd: Path | None = None, check: bool = True, timeout: int = 600,
        input: str | None = None) -> str:  # fmt: skip
    result = subprocess.run(  # noqa: S603
        ["git", *args],  # noqa: S607 - the user's git
        cwd=cwd,
        capture_output=True,
        text=True,
        input=input,
        env={**os.environ, **ENV},
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        message = (result.stderr or result.stdout).strip().splitlines()
        raise GitError(" ".join(message[-3:]) or f"git {args[0]} exited {result.returncode}")
    return result.stdout


# Written into .git of every clone the fleet makes: the fleet resets and cleans its clones,
# so it must never take a person's checkout for one (a WORKDIR pointing at checkouts).
OWN_CLONE = "quickscale-fleet-clone"


def sync_clone(repo: str, folder: Path) -> None:
    """Clone `repo` into the work folder, or fetch it again (every branch, pruned)."""
    if folder.exists() or folder.is_symlink():
        if not (folder / ".git" / OWN_CLONE).is_file():
            raise GitError(
                f"{folder} exists but is not a clone the fleet made: it never resets a folder "
                "it did not create. Point WORKDIR (or the fleet file's workdir) at a folder of "
                "the fleet's own."
            )
        git("remote", "set-url", "origin", repo, cwd=folder)
        git("fetch", "--quiet", "--prune", "--force", "origin", cwd=folder)
        return
    folder.parent.mkdir(parents=True, exist_ok=True)
    git("clone", "--quiet", "--no-checkout", "--", repo, str(folder))
    (folder / ".git" / OWN_CLONE).write_text(f"{repo}\n", encoding="utf-8")


def rev(folder: Path, ref: str) -> str | None:
    out = git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", cwd=folder, check=False)
    return out.strip() or None


def read_answers(folder: Path, ref: str, path: str = ANSWERS_FILE) -> dict:
    text = git("show", f"{ref}:{path}", cwd=folder, check=False)
    if not text:
        raise GitError(f"it has no {path}: is this a QuickScale project?")
    try:
        answers = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise GitError(f"{path} is not valid YAML") from exc
    if not isinstance(answers, dict):
        raise GitError(f"{path} is not a mapping of answers")
    return answers


def is_ancestor(folder: Path, older: str, newer: str) -> bool:
    result = subprocess.run(  # noqa: S603
        ["git", "merge-base", "--is-ancestor", older, newer],  # noqa: S607
        cwd=folder,
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


def dirty_files(path: Path) -> list[str] | None:
    """Uncommitted files of a local checkout; None when it is not one (bare, missing)."""
    if not path.is_dir():
        return None
    inside = git("rev-parse", "--is-inside-work-tree", cwd=path, check=False).strip()
    if inside != "true":
        return None
    return [line[3:] for line in git("status", "--porcelain", cwd=path).splitlines()]


def template_url(src_path: str) -> str:
    for prefix, url in SHORTCUTS.items():
        if src_path.startswith(prefix):
            return url + src_path.removeprefix(prefix).removesuffix(".git") + ".git"
    return src_path


def parse_version(tag: str) -> Version | None:
    try:
        return Version(tag)
    except InvalidVersion:
        return None


def all_tags(src_path: str) -> list[str]:
    out = git("ls-remote", "--tags", "--refs", template_url(src_path), timeout=120)
    return [line.split("refs/tags/", 1)[1] for line in out.splitlines() if "refs/tags/" in line]


def releases(tags: list[str]) -> list[str]:
    """Release tags, oldest first (Copier's PEP 440 order, no pre-releases)."""
    versions = [(parse_version(t), t) for t in tags]
    return [t for v, t in sorted(r for r in versions if r[0] and not r[0].is_prerelease)]


def unusable_src_path(src_path: str) -> str | None:
    """Why a template location cannot be used from a work clone (None when it can)."""
    if not src_path:
        return "the answers file has no _src_path: which template made this project?"
    if any(src_path.startswith(p) for p in SHORTCUTS) or is_url(src_path):
        return None
    if Path(src_path).expanduser().is_absolute():
        return None
    return (
        f"_src_path {src_path!r} in {ANSWERS_FILE} is a relative path, which only works from "
        "the project's own folder: replace it with the template's URL or absolute path, "
        "commit, and run again."
    )


def version_position(commit: str) -> tuple[Version | None, int]:
    """(release, commits after it) for an answers file's `_commit`."""
    match = DESCRIBED.match(commit or "")
    if match:
        return parse_version(match["tag"]), int(match["ahead"])
    return parse_version(commit or ""), 0


def is_behind(commit: str, target: str) -> bool | None:
    """Whether a project at `commit` is older than release `target` (None: cannot tell)."""
    if commit == target:
        return False
    have, _ahead = version_position(commit)
    want = parse_version(target)
    if have is None or want is None:
        return None
    return have < want
