"""Prints how long `copier copy` and `copier update` take, and how many files they write.

    make bench-copier      # or: .venv/bin/python benchmarks/copier_timing.py

Builds a throwaway template repository from this working tree with two tags (v0.1.0,
and v0.2.0 with a small change to base.py) and measures, for the default project, the
project with every shipped module and (once themes/todo exists) the todo theme with every
module: copy time and file count, then `make update`'s engine (quickscale_core.update,
real Copier and git) across the two tags.
Figures, not assertions: CI speed is watched here, never in timed tests.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The repository, for the tests.support helpers (a script has only benchmarks/ on sys.path).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import copier  # noqa: E402

from tests.support.helpers import GIT_ENV, REPO, commit_all, edit, git, shipped_modules  # noqa: E402


def build_versions(root: Path) -> Path:
    repo = root / "quickscale"
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO, capture_output=True,
        text=True, check=True,
    ).stdout.split("\n")  # fmt: skip
    for rel in filter(None, listed):
        src, dst = REPO / rel, repo / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            dst.symlink_to(src.readlink())
        elif src.is_file():
            shutil.copy2(src, dst)
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "v0.1.0")
    git(repo, "tag", "v0.1.0")
    edit(
        repo / "template/config/settings/base.py.jinja",
        'LOGOUT_REDIRECT_URL = "home"\n',
        'LOGOUT_REDIRECT_URL = "home"\nSESSION_COOKIE_AGE = 60 * 60 * 24 * 14\n',
    )
    commit_all(repo, "v0.2.0")
    git(repo, "tag", "v0.2.0")
    # Packed, as a cloned or pushed repository is: Copier clones the template on every copy
    # and update, and cloning hundreds of loose objects cost twice what users see.
    git(repo, "gc", "--quiet")
    return repo


def measure(
    repo: Path, dst: Path, modules: list[str], theme: str = "starter"
) -> tuple[float, int, float]:
    start = time.perf_counter()
    copier.run_copy(
        str(repo), str(dst), data={"project_name": "Bench", "modules": modules, "theme": theme},
        vcs_ref="v0.1.0", defaults=True, unsafe=False, quiet=True,
    )  # fmt: skip
    copy_seconds = time.perf_counter() - start
    files = sum(1 for p in dst.rglob("*") if p.is_file())
    git(dst, "init", "-q", "-b", "main")
    commit_all(dst, "start")
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "quickscale_core.update", "--vcs-ref", "v0.2.0"],
        cwd=dst, env={**GIT_ENV, "PATH": "/usr/bin:/bin"}, capture_output=True, check=True,
    )  # fmt: skip
    return copy_seconds, files, time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="quickscale-bench-") as tmp:
        repo = build_versions(Path(tmp))
        print(f"{'project':<26} {'copy s':>8} {'files':>6} {'update s':>9}")
        projects = [("default", [], "starter"), ("all modules", shipped_modules(), "starter")]
        if (REPO / "themes" / "todo" / "urls.py").exists():
            projects.append(("todo, all modules", shipped_modules(), "todo"))
        for label, modules, theme in projects:
            dst = Path(tmp) / label.replace(" ", "_").replace(",", "")
            copy_s, files, update_s = measure(repo, dst, modules, theme)
            print(f"{label + f' ({len(modules)})':<26} {copy_s:8.2f} {files:6d} {update_s:9.2f}")


if __name__ == "__main__":
    main()
