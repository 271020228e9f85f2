"""Shared parts of the benchmarks: template source, generated projects, PostgreSQL, servers.

The benchmarks print figures and never assert; helpers here fail loudly only when a
project cannot be set up at all (a benchmark of a broken project measures nothing).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

# The repository, for the tests.support helpers (a script has only benchmarks/ on sys.path).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import copier  # noqa: E402

from tests.support.helpers import REPO, clean_project_env, run, shipped_modules  # noqa: E402

__all__ = ["REPO", "clean_project_env", "run", "shipped_modules"]

# One venv with every generated project's dependencies (tests/conftest.py project_python).
PROJECT_VENV = REPO / ".cache" / "project-venv"
SNAPSHOT_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", ".cache", "site", "demo", "__pycache__", ".*_cache"
)
TODO_UNAVAILABLE = "todo theme not available"


def project_python() -> Path:
    python = PROJECT_VENV / "bin" / "python"
    if not python.exists():
        sys.exit(f"{python} is missing: run `make test` once (it builds the shared project venv).")
    return python


def snapshot(dst: Path) -> Path:
    """The working tree without .git, rendered as it is now (tests/conftest.py does the same)."""
    shutil.copytree(REPO, dst, symlinks=True, ignore=SNAPSHOT_IGNORE)
    return dst


def committed_template(tmp: Path) -> Path:
    """A clone of this repository: the committed template (HEAD), without working-tree edits.

    Copier would include uncommitted changes of a dirty local repository ("DirtyLocalWarning").
    """
    dst = tmp / "quickscale-head"
    if not dst.exists():
        run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(dst)])
    return dst


def template_source(tmp: Path, worktree: bool) -> tuple[Path, str | None]:
    """(source, vcs_ref): the committed template (HEAD), or the working tree as it is now."""
    if worktree:
        return snapshot(tmp / "quickscale"), None
    return committed_template(tmp), "HEAD"


def todo_in_worktree() -> bool:
    return (REPO / "themes" / "todo" / "urls.py").exists()


def render(src: Path, vcs_ref: str | None, dst: Path, **data) -> Path:
    copier.run_copy(
        str(src), str(dst), data={"project_name": "Bench", **data},
        defaults=True, unsafe=False, quiet=True, vcs_ref=vcs_ref,
    )  # fmt: skip
    return dst


def todo_project(tmp: Path, modules: list[str]) -> tuple[Path | None, str]:
    """A theme=todo project from the working tree if the theme is there and passes `check`.

    Returns (project, "") or (None, why not).
    """
    if not todo_in_worktree():
        return None, "themes/todo/urls.py does not exist yet"
    src = tmp / "quickscale-worktree"
    if not src.exists():
        snapshot(src)
    try:
        project = render(src, None, tmp / "todo_project", theme="todo", modules=modules)
    except Exception as exc:  # noqa: BLE001 - any failure means "not available yet"
        return None, f"copier copy failed: {exc}"
    env = {**clean_project_env(), "DATABASE_URL": f"sqlite:///{tmp / 'check.sqlite3'}"}
    result = run([project_python(), "manage.py", "check"], project, env, check=False)
    if result.returncode != 0:
        return None, "manage.py check failed: " + (result.stderr.strip().splitlines() or ["?"])[-1]
    return project, ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_postgres_bin() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    return None


@contextlib.contextmanager
def postgres() -> Iterator[str | None]:
    """A throwaway PostgreSQL server (Debian binaries), as tests/conftest.py starts it.

    Yields a server URL without database name (append /<db>), or None when PostgreSQL is
    not installed (callers fall back to SQLite and say so).
    """
    bindir = find_postgres_bin()
    if bindir is None:
        yield None
        return
    data = Path(tempfile.mkdtemp(prefix="quickscale-bench-pg-"))
    port = str(free_port())
    as_postgres = os.geteuid() == 0
    if as_postgres:
        shutil.chown(data, "postgres")

    def pg(*args: str) -> None:
        cmd = [str(bindir / args[0]), *args[1:]]
        if as_postgres:
            cmd = ["su", "postgres", "-c", " ".join(cmd)]
        run(cmd)

    pg("initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")
    # fsync off like the test suite: the benchmark measures the app, not the disk.
    pg(
        "pg_ctl", "-D", str(data), "-w", "-l", str(data / "server.log"),
        "-o", f"'-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off'", "start",
    )  # fmt: skip
    try:
        yield f"postgres://postgres@127.0.0.1:{port}"
    finally:
        pg("pg_ctl", "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(data, ignore_errors=True)


def create_database(server_url: str, name: str) -> str:
    """CREATE DATABASE through psql; returns the database URL."""
    bindir = find_postgres_bin()
    run([bindir / "psql", f"{server_url}/postgres", "-q", "-c", f"CREATE DATABASE {name}"])
    return f"{server_url}/{name}"


def wait_until_up(url: str, timeout: float = 120, proc: subprocess.Popen | None = None) -> float:
    """Poll `url` until it answers 200; returns the time waited. Fails if `proc` dies."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return time.perf_counter() - start
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer 200 within {timeout} s")


def stop(proc: subprocess.Popen) -> None:
    """Stop a server started with start_new_session=True, with its children."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
