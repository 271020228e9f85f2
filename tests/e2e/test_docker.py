"""The generated project's Docker image, built and probed for real (e2e tier).

A project with the auth module is locked (`uv lock`, as the Dockerfile needs a committed
uv.lock), built with `docker build`, migrated against the session's PostgreSQL server and
served with the production settings; the test asks it for `/healthz/`, the landing page
and a hashed static file, and checks the image runs as a non-root user without uv or
compilers.

No image registry has to be reachable: when `python:3.11-slim` is not present, a
stand-in is built from Debian bookworm (Python 3.11) with `debootstrap` and cached in
.cache/docker/, so reruns only `docker import` it. Locally the test skips without Docker;
in CI (`CI=true`, where .ci/run installs docker.io and starts dockerd) it fails instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.support.helpers import CACHE, clean_project_env, render, run
from tests.support.servers import find_postgres_bin, free_port

BASE_IMAGE = "python:3.11-slim"
# Bump the suffix when the recipe below changes, so cached stand-ins are rebuilt.
BASE_TARBALL = CACHE / "docker" / "python-3.11-slim-debian-bookworm-v1.tar"
DEBIAN_MIRROR = os.environ.get("QUICKSCALE_DEBIAN_MIRROR", "http://deb.debian.org/debian")
HOST_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
# What the Dockerfile relies on from the official image: `python` and `pip` on PATH and
# system-wide pip installs. SSL_CERT_FILE lets pip and uv inside `docker build` trust a
# TLS-inspecting proxy whose CA the host bundle (copied in) holds.
BASE_CHANGES = [
    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "ENV LANG=C.UTF-8",
    "ENV PIP_BREAK_SYSTEM_PACKAGES=1",
    "ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
    'CMD ["python3"]',
]


def unavailable(reason: str):
    """Skip on a developer machine; fail in CI, where .ci/run provides Docker."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (.ci/run installs docker.io and debootstrap and starts dockerd)")
    pytest.skip(reason)


def docker(*args, timeout: int = 120, check: bool = True, env: dict | None = None):
    return run(["docker", *args], timeout=timeout, check=check, env=env)


@pytest.fixture(scope="module")
def docker_daemon() -> None:
    if shutil.which("docker") is None:
        unavailable("the docker CLI is not installed (apt-get install docker.io)")
    info = subprocess.run(  # noqa: S603
        ["docker", "info", "--format", "{{.ServerVersion}}"],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=60,
    )
    if info.returncode != 0:
        unavailable(f"the Docker daemon does not answer: {info.stderr.strip()[-500:]}")


@pytest.fixture(scope="module")
def base_image(docker_daemon) -> str:
    """`python:3.11-slim`: the official image if present, else the cached Debian stand-in."""
    if docker("image", "inspect", BASE_IMAGE, check=False).returncode == 0:
        return BASE_IMAGE
    started = time.monotonic()
    if not BASE_TARBALL.exists():
        build_base_tarball()
        print(f"{BASE_TARBALL.name} built in {time.monotonic() - started:.0f}s")
    docker("import", *(f"--change={change}" for change in BASE_CHANGES),
           str(BASE_TARBALL), BASE_IMAGE, timeout=300)  # fmt: skip
    print(f"{BASE_IMAGE} imported from {BASE_TARBALL.name} ({time.monotonic() - started:.0f}s)")
    return BASE_IMAGE


def build_base_tarball() -> None:
    """Debian bookworm's Python 3.11 with pip and venv, as a root file system tarball."""
    debootstrap = shutil.which("debootstrap")
    if debootstrap is None or os.geteuid() != 0:
        unavailable(
            f"{BASE_IMAGE} is not available and cannot be built here "
            "(needs root and debootstrap: apt-get install debootstrap)"
        )
    BASE_TARBALL.parent.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="quickscale-rootfs-", dir=BASE_TARBALL.parent))
    try:
        rootfs = workdir / "rootfs"
        run([debootstrap, "--variant=minbase",
             "--include=python3,python3-venv,python3-pip,python-is-python3,ca-certificates",
             "bookworm", rootfs, DEBIAN_MIRROR], timeout=900)  # fmt: skip
        # Downloaded packages, package lists and documentation: not needed to run Python.
        for folder in ("var/cache/apt/archives", "var/lib/apt/lists", "usr/share/doc",
                       "usr/share/man", "usr/share/locale", "usr/share/info"):  # fmt: skip
            for leftover in (rootfs / folder).glob("*"):
                if leftover.is_dir() and not leftover.is_symlink():
                    shutil.rmtree(leftover)
                else:
                    leftover.unlink()
        if HOST_CA_BUNDLE.exists():
            shutil.copyfile(HOST_CA_BUNDLE, rootfs / "etc/ssl/certs/ca-certificates.crt")
        partial = workdir / "rootfs.tar"
        run(["tar", "--numeric-owner", "-C", rootfs, "-cf", partial, "."], timeout=300)
        partial.replace(BASE_TARBALL)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def image(base_image, template_snapshot, tmp_path_factory):
    """The generated project's image, removed afterwards with its build stage."""
    project = render(template_snapshot, tmp_path_factory.mktemp("docker") / "client_acme",
                     modules=["auth"])  # fmt: skip
    env = clean_project_env()
    run(["uv", "lock", "--quiet"], cwd=project, env=env, timeout=300)
    tag = f"quickscale-docker-test:{uuid.uuid4().hex[:12]}"
    # The build stage gets its own tag (the second build reuses it from the cache), so
    # cleaning up removes exactly what this test made.
    stages = [(f"{tag}-build", ["--target", "build"]), (tag, [])]
    # The classic builder: BuildKit would fetch the `# syntax=` frontend from Docker Hub.
    build_env = {**os.environ, "DOCKER_BUILDKIT": "0"}
    try:
        started = time.monotonic()
        for stage_tag, options in stages:
            docker("build", "--pull=false", *options, "-t", stage_tag, project,
                   timeout=900, env=build_env)  # fmt: skip
        print(f"docker build took {time.monotonic() - started:.0f}s")
        yield tag
    finally:
        docker("rmi", "-f", *(stage_tag for stage_tag, _options in stages), check=False)


@pytest.fixture
def database_url(postgres_url) -> str:
    """A fresh database on the session's server (reachable from --network host)."""
    name = f"docker_{uuid.uuid4().hex[:8]}"
    server = urllib.parse.urlsplit(postgres_url)
    run([find_postgres_bin() / "createdb", "-h", server.hostname, "-p", server.port,
         "-U", server.username, name])  # fmt: skip
    return postgres_url.rsplit("/", 1)[0] + f"/{name}"


def production_env(database_url: str) -> list[str]:
    values = {
        "SECRET_KEY": "docker-test-" + uuid.uuid4().hex * 2,
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "localhost",
        "AUTH_TRUSTED_PROXY_COUNT": "0",
        "SECURE_SSL_REDIRECT": "false",
    }
    return [arg for key, value in values.items() for arg in ("-e", f"{key}={value}")]


def get(url: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Host": "localhost"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_image_builds_migrates_and_serves(image, database_url):
    config = json.loads(docker("image", "inspect", image).stdout)[0]["Config"]
    assert config["User"] == "app"
    env = production_env(database_url)

    docker("run", "--rm", "--network", "host", *env, image,
           "python", "manage.py", "migrate", "--noinput", timeout=300)  # fmt: skip

    # The image's own command, rebound from 0.0.0.0:8000 to a free loopback port: with
    # --network host (to reach PostgreSQL on 127.0.0.1) port 8000 may be taken.
    port = free_port()
    command = config["Cmd"]
    assert "0.0.0.0:8000" in command[-1], command
    command = [*command[:-1], command[-1].replace("0.0.0.0:8000", f"127.0.0.1:{port}")]
    name = f"quickscale-docker-test-{uuid.uuid4().hex[:12]}"
    docker("run", "-d", "--name", name, "--network", "host", *env, image, *command)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = get(f"{base}/healthz/")
                break
            except OSError:
                if time.monotonic() > deadline:
                    logs = docker("logs", name, check=False)
                    pytest.fail(f"gunicorn never answered:\n{logs.stdout}\n{logs.stderr}")
                time.sleep(0.5)
        assert status == 200, body
        assert json.loads(body) == {"status": "ok", "database": "ok"}

        status, landing = get(f"{base}/")
        assert status == 200, landing[:2000]
        # Static files come from the image (collectstatic at build time, hashed names).
        asset = re.search(rb'/static/[^"\']+\.[0-9a-f]{12}\.css', landing)
        assert asset, "no hashed stylesheet on the landing page"
        status, _css = get(base + asset.group().decode())
        assert status == 200

        # The HEALTHCHECK command itself passes (pointed at the rebound port).
        kind, *probe = config["Healthcheck"]["Test"]
        probe = [part.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for part in probe]
        docker("exec", name, *(["sh", "-c", *probe] if kind == "CMD-SHELL" else probe))

        # gunicorn (PID 1) runs as the unprivileged user, not root.
        uid = docker("exec", name, "python", "-c", "import os; print(os.stat('/proc/1').st_uid)")
        assert uid.stdout.strip() not in ("", "0"), uid.stdout
        assert docker("exec", name, "id", "-un").stdout.strip() == "app"
    finally:
        docker("rm", "-f", name, check=False)

    # The runtime stage has neither uv nor a compiler.
    for tool in ("uv", "gcc", "cc"):
        found = docker("run", "--rm", "--entrypoint", "sh", image, "-c", f"command -v {tool}",
                       check=False)  # fmt: skip
        assert found.returncode != 0, f"{tool} is in the runtime image: {found.stdout}"
