"""git for promote: the client's commits read as per-file hunks, and the template's branch.

The client repository is only read (`git diff`, `git show`); a URL is cloned into a
temporary folder first. Hunks come from git's own diff, so a refused hunk is shown
exactly as `git show` shows it to the person who made the fix.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ANSWERS_FILE = ".copier-answers.yml"
ENV = {"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
NO_NEWLINE = "\\ No newline at end of file"


class GitError(Exception):
    """A git command failed, or a revision does not exist; the message says what to do."""


def git_bytes(*args: str, cwd: Path | None = None, check: bool = True) -> bytes:
    result = subprocess.run(  # noqa: S603
        ["git", *args],  # noqa: S607 - the user's git
        cwd=cwd,
        capture_output=True,
        env={**os.environ, **ENV},
        timeout=600,
        check=False,
    )
    if check and result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines()
        raise GitError(" ".join(message[-3:]) or f"git {args[0]} exited {result.returncode}")
    return result.stdout


def git(*args: str, cwd: Path | None = None, check: bool = True) -> str:
    return git_bytes(*args, cwd=cwd, check=check).decode("utf-8", "surrogateescape")


def lines(text: str) -> list[str]:
    """Lines with their "\\n" (only "\\n" ends a line, unlike str.splitlines)."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


@dataclass
class Hunk:
    header: str
    old_start: int
    # (" " | "-" | "+", line with its "\n" unless it is a last line without one)
    body: list[tuple[str, str]] = field(default_factory=list)

    @property
    def old(self) -> list[str]:
        return [text for kind, text in self.body if kind != "+"]

    @property
    def new(self) -> list[str]:
        return [text for kind, text in self.body if kind != "-"]

    def show(self, indent: str = "      ") -> str:
        out = [indent + self.header]
        for kind, text in self.body:
            out.append(indent + kind + text.rstrip("\n"))
            if not text.endswith("\n"):
                out.append(indent + NO_NEWLINE)
        return "\n".join(out)


@dataclass
class FileChange:
    path: str
    status: str  # A (added), M (modified), D (deleted), T (type change)
    old: bytes | None
    new: bytes | None
    hunks: list[Hunk] = field(default_factory=list)
    binary: bool = False
    old_mode: str = ""  # git's mode: 100644, 100755, 120000 (symlink), 160000 (submodule)
    new_mode: str = ""

    @property
    def not_a_file(self) -> str | None:
        """Why this is not a change to a regular file (promote only maps those), or None."""
        kinds = {"120000": "a symbolic link", "160000": "a submodule"}
        if self.status == "T":
            before = kinds.get(self.old_mode, "a regular file")
            after = kinds.get(self.new_mode, "a regular file")
            return f"a type change ({before} became {after})"
        return kinds.get(self.new_mode) or kinds.get(self.old_mode)


@dataclass
class Client:
    """The client repository and the revisions to promote (old..new)."""

    folder: Path
    old: str
    new: str
    answers: dict
    name: str
    subjects: list[str]

    @property
    def short(self) -> str:
        return self.new[:7]


def resolve(folder: Path, source: str, rev: str) -> Client:
    """REV: one commit (its change to its parent) or a range A..B."""
    if ".." in rev:
        start, _, end = rev.partition("..")
        old, new = commit(folder, start or "HEAD"), commit(folder, end.lstrip(".") or "HEAD")
        if old == new or not git("rev-list", "-n", "1", f"{old}..{new}", cwd=folder).strip():
            raise GitError(
                f"REV={rev} holds no commits (is it reversed?): give A..B with B after A."
            )
    else:
        new = commit(folder, rev)
        parents = git("rev-list", "--parents", "-n", "1", new, cwd=folder).split()[1:]
        if not parents:
            raise GitError(
                f"{rev} is the project's first commit (its generation): give the fix's commit."
            )
        old = parents[0]
    text = git("show", f"{new}:{ANSWERS_FILE}", cwd=folder, check=False)
    answers = yaml.safe_load(text) if text else None
    if not isinstance(answers, dict):
        raise GitError(f"{source} has no {ANSWERS_FILE} at {rev}: is it a QuickScale project?")
    name = str(answers.get("project_slug") or "") or folder.name.removesuffix(".git")
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "client"
    log = git("log", "--format=%s", f"{old}..{new}", cwd=folder).splitlines()
    return Client(folder, old, new, answers, name, log)


def commit(folder: Path, ref: str) -> str:
    out = git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", cwd=folder, check=False)
    if not out.strip():
        raise GitError(f"{ref} is not a commit of the client repository ({folder}).")
    return out.strip()


def changes(client: Client) -> list[FileChange]:
    """Every file the revisions change, with git's hunks (3 lines of context, no renames)
    and modes (a symbolic link, a submodule or a type change is refused by its mode)."""
    listing = git("diff", "--raw", "-z", "--no-renames", client.old, client.new, cwd=client.folder)
    fields = listing.split("\0")
    result = []
    for meta, path in zip(fields[0::2], fields[1::2], strict=False):
        if not path:
            continue
        old_mode, new_mode, _old_sha, _new_sha, status = meta.lstrip(":").split()[:5]
        change = FileChange(path, status[0], None, None, old_mode=old_mode, new_mode=new_mode)
        result.append(change)
        if change.not_a_file:
            continue  # refused as a whole: its content is not read
        change.old = show(client.folder, client.old, path) if status != "A" else None
        change.new = show(client.folder, client.new, path) if status != "D" else None
        patch = git(
            "-c",
            "core.quotepath=off",
            "diff",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--no-renames",
            "-U3",
            client.old,
            client.new,
            "--",
            path,
            cwd=client.folder,
        )
        content = (change.old or b"") + (change.new or b"")
        change.binary = "\nBinary files " in "\n" + patch or b"\0" in content
        change.hunks = [] if change.binary else parse_hunks(patch)
    return result


def show(folder: Path, rev: str, path: str) -> bytes:
    return git_bytes("show", f"{rev}:{path}", cwd=folder)


def parse_hunks(patch: str) -> list[Hunk]:
    hunks: list[Hunk] = []
    for line in patch.split("\n"):
        match = HUNK_HEADER.match(line)
        if match:
            hunks.append(Hunk(line, int(match[1])))
        elif not hunks or not line:
            continue
        elif line == NO_NEWLINE:
            kind, text = hunks[-1].body[-1]
            hunks[-1].body[-1] = (kind, text.removesuffix("\n"))
        elif line[0] in " -+":
            hunks[-1].body.append((line[0], line[1:] + "\n"))
    return hunks


def is_dirty(repo: Path) -> list[str]:
    out = git("status", "--porcelain", "--untracked-files=no", cwd=repo)
    return [line[3:] for line in out.splitlines()]


def branch_exists(repo: Path, branch: str) -> bool:
    out = git("rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", cwd=repo, check=False)
    return bool(out.strip())


def worktree_of(repo: Path, branch: str) -> str | None:
    """The folder of another worktree that has `branch` checked out, or None."""
    out = git("worktree", "list", "--porcelain", cwd=repo, check=False)
    folder = None
    for line in out.splitlines():
        if line.startswith("worktree "):
            folder = line.removeprefix("worktree ")
        elif line == f"branch refs/heads/{branch}" and folder and Path(folder) != repo:
            return folder
    return None
