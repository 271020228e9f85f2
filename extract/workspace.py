"""Where extract writes: a new branch `extract/<name>`, built in a temporary git worktree.

The template's working tree is never written to, so a refusal or a failure half-way
leaves nothing behind (the worktree and the branch are removed), and a success is one
commit to review (`git diff HEAD...extract/<name>`), run the render tier on, and merge.
The working tree must be clean anyway: the branch starts from HEAD, so uncommitted work
would silently be missing from it, and tests/shipped.yml would be recorded against files
that are not what the maintainer sees.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from extract.errors import Refused

ENV = {"GIT_TERMINAL_PROMPT": "0"}


def git(*args: str, cwd: Path, check: bool = True) -> str:
    result = subprocess.run(  # noqa: S603
        ["git", *args],  # noqa: S607 - the user's git
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **ENV},
        check=False,
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {(result.stderr or result.stdout).strip()}")
    return result.stdout


def ensure_ready(template: Path, branch: str) -> None:
    if git("rev-parse", "--show-toplevel", cwd=template, check=False).strip() != str(
        template.resolve()
    ):
        raise Refused(f"{template} is not the top of a git repository: run make extract in "
                      "the template repository.")  # fmt: skip
    dirty = git("status", "--porcelain", cwd=template).splitlines()
    if dirty:
        shown = "\n  ".join(dirty[:10])
        raise Refused(f"The template's working tree has uncommitted changes; commit or stash "
                      f"them first (the branch starts from HEAD):\n  {shown}")  # fmt: skip
    if git("rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", cwd=template, check=False):
        raise Refused(f"The branch {branch} exists already: merge or delete it "
                      f"(`git branch -D {branch}`), or choose another NAME.")  # fmt: skip


class Worktree:
    """`with Worktree(template, branch) as work:` checks the new branch out in `work.folder`;
    the branch is kept only when the block finished and `work.commit()` was called."""

    def __init__(self, template: Path, branch: str) -> None:
        self.template, self.branch = template, branch
        self.parent = Path(tempfile.mkdtemp(prefix="quickscale-extract-"))
        self.folder = self.parent / template.name
        self.committed = False

    def __enter__(self) -> Worktree:
        git("worktree", "add", "-q", "-b", self.branch, str(self.folder), "HEAD", cwd=self.template)
        return self

    def commit(self, message: str) -> str:
        git("add", "-A", cwd=self.folder)
        git("commit", "-q", "--no-verify", "-m", message, cwd=self.folder)
        self.committed = True
        return git("rev-parse", "--short", "HEAD", cwd=self.folder).strip()

    def __exit__(self, kind, value, traceback) -> None:
        git("worktree", "remove", "--force", str(self.folder), cwd=self.template, check=False)
        shutil.rmtree(self.parent, ignore_errors=True)
        git("worktree", "prune", cwd=self.template, check=False)
        if not self.committed or kind is not None:
            git("branch", "-D", self.branch, cwd=self.template, check=False)
