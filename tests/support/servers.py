"""Local servers the tests start for themselves: PostgreSQL clusters, Redis, free ports."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.helpers import run


class PostgresServer:
    """A throwaway PostgreSQL cluster on a free loopback port, owned by whoever creates it.

    Tests that stop the server on purpose (tests/e2e/test_load.py) create their own, so the
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
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def redis_server():
    """A real redis-server on a free loopback port, no persistence; yields its URL and stops
    it afterwards. Skips (fails under CI) when Debian's redis-server is missing."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed; .ci/run installs Debian's redis-server")
        pytest.skip("redis-server not found (apt-get install redis-server)")
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="quickscale-redis-"))
    server = subprocess.Popen(  # noqa: S603
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
         "--dir", str(folder), "--protected-mode", "yes"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while not redis_answers(port):
            assert server.poll() is None, server.communicate()[0]
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)


def redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def new_database(postgres_url: str, name: str) -> str:
    """Create database `name` on the server of `postgres_url`; return its URL."""
    server = urllib.parse.urlsplit(postgres_url)
    run([find_postgres_bin() / "createdb", "-h", server.hostname, "-p", str(server.port),
         "-U", server.username, name])  # fmt: skip
    return server._replace(path=f"/{name}").geturl()
