"""Fixtures for the template suite: rendering, a shared project venv, PostgreSQL."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import tomllib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from helpers import REPO, clean_project_env, render, run  # noqa: E402

CACHE = REPO / ".cache"

# Fixture modules are copied into generated projects and tested there, not here.
collect_ignore = ["fixtures"]


@pytest.fixture(scope="session")
def template_snapshot(tmp_path_factory) -> Path:
    """The working tree copied without .git: renders it as it is now, quickly."""
    dst = tmp_path_factory.mktemp("template") / "quickscale"
    shutil.copytree(
        REPO,
        dst,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", ".cache", "site", "demo", "__pycache__", ".*_cache"
        ),
    )
    return dst


@pytest.fixture(scope="session")
def versions(template_snapshot, tmp_path_factory) -> Path:
    """A template git repository tagged v0.1.0 (this working tree), v0.2.0 and v0.3.0."""
    from update_support import build_versions

    return build_versions(template_snapshot, tmp_path_factory.mktemp("versions") / "quickscale")


@pytest.fixture(scope="session")
def default_project(template_snapshot, tmp_path_factory) -> Path:
    return render(template_snapshot, tmp_path_factory.mktemp("default") / "client_acme")


@pytest.fixture(scope="session")
def project_python(default_project) -> Path:
    """One venv with every generated project's dependencies, reused across projects.

    Kept in .cache/ between runs and rebuilt when the pins change, so CI installs
    the union of dependencies once instead of once per generated project.
    """
    pyproject = tomllib.loads((default_project / "pyproject.toml").read_text())
    requirements = pyproject["project"]["dependencies"] + pyproject["dependency-groups"]["dev"]
    requirements += extra_project_requirements()
    venv = CACHE / "project-venv"
    stamp = venv / "requirements.txt"
    wanted = "\n".join(sorted(requirements)) + "\n"
    python = venv / "bin" / "python"
    if not (python.exists() and stamp.exists() and stamp.read_text() == wanted):
        shutil.rmtree(venv, ignore_errors=True)
        uv = shutil.which("uv") or pytest.fail("uv is needed (make test puts .venv/bin first)")
        run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)])
        run([uv, "pip", "install", "--quiet", "--python", str(python), *sorted(requirements)])
        stamp.write_text(wanted)
    return python


def extra_project_requirements() -> list[str]:
    """Dependencies of every module's manifest, so one venv serves all combinations."""
    import yaml

    requirements: list[str] = []
    for manifest in sorted((REPO / "modules").glob("*/module.yml")):
        data = yaml.safe_load(manifest.read_text())
        requirements += (data.get("dependencies") or []) + (data.get("dev_dependencies") or [])
    return requirements


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """A real PostgreSQL server on a private port for this test session."""
    server = PostgresServer(postgres_bin_or_skip())
    server.start()
    try:
        yield server.url
    finally:
        server.stop("immediate")
        server.remove()


class PostgresServer:
    """A throwaway PostgreSQL cluster on a free loopback port, owned by whoever creates it.

    Tests that stop the server on purpose (tests/test_load.py) create their own, so the
    session's server behind `postgres_url` is never disturbed.
    """

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        # Not under pytest's tmp dir: that one is private to root, and as root the server
        # must run as the postgres user (initdb refuses root).
        self.data = Path(tempfile.mkdtemp(prefix="quickscale-pg-"))
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.data, "postgres")
        self.pg("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync",
                "-E", "UTF8")  # fmt: skip

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def pg(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_postgres:
            cmd = ["su", "postgres", "-c", " ".join(cmd)]
        run(cmd)

    def start(self) -> None:
        """Start (or restart) the server on its port and wait until it accepts connections."""
        self.pg(
            "pg_ctl", "-D", str(self.data), "-w", "-l", str(self.data / "server.log"),
            "-o", f"'-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off'",
            "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """Stop the server; mode "immediate" kills it like a crash (recovery on next start)."""
        self.pg("pg_ctl", "-D", str(self.data), "-m", mode, "stop")

    def remove(self) -> None:
        shutil.rmtree(self.data, ignore_errors=True)


def postgres_bin_or_skip() -> Path:
    """PostgreSQL's server binaries; skips the test without them (fails in CI)."""
    bindir = find_postgres_bin()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed; .ci/run installs Debian's postgresql")
        pytest.skip("PostgreSQL server binaries not found (apt-get install postgresql)")
    return bindir


def find_postgres_bin() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    return None


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def project_env() -> dict[str, str]:
    return clean_project_env()
