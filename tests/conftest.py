"""Fixtures for the template suite (rendering, a shared project venv, PostgreSQL) and its tiers.

Every test belongs to the tier of the folder it is in; the marker is applied here, so a new
test file only has to be put in the right folder:

    tests/render/   render   Copier renders and static checks: no venv, no installs, under a
                             minute (make test-render, run it on every edit)
    tests/project/  project  generated projects installed in the shared venv and run, on
                             SQLite and PostgreSQL; one React project built with npm; the
                             docs site built (make test-project)
    tests/update/   update   real `copier update` / `make update` across versions (make test-update)
    tests/e2e/      e2e      a real browser, the Docker image, load and crashes, shared rate
                             limits across workers (make test-e2e)

Helpers live in the tests.support package (`from tests.support.helpers import render`).
"""

from __future__ import annotations

import fcntl
import shutil
import sys
import tomllib
from pathlib import Path

import pytest

from tests.support import copier_speedups
from tests.support.helpers import (
    CACHE,
    REPO,
    add_fixture_modules,
    clean_project_env,
    render,
    run,
    shipped_modules,
)
from tests.support.matrix import COMBINATIONS, combination_id
from tests.support.servers import PostgresServer, postgres_bin_or_skip, redis_server

TESTS = Path(__file__).resolve().parent
TIERS = ("render", "project", "update", "e2e")
# Fixtures that install or start something: the render tier stays under a minute without them.
RENDER_TIER_FORBIDS = {"project_python", "postgres_url", "react_project"}

# Fixture modules are copied into generated projects and tested there, not here.
collect_ignore = ["fixtures"]


def pytest_configure(config):
    # Copier's renders in this process use the work-savers `make update` ships (same output,
    # half the time): template/quickscale_core/copier_speedups.py.
    copier_speedups.install()


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by these markers
def pytest_collection_modifyitems(config, items):
    """Mark each test with the tier of its folder (tests/<tier>/...)."""
    for item in items:
        path = Path(item.path).resolve()
        if not path.is_relative_to(TESTS):
            continue
        tier = path.relative_to(TESTS).parts[0]
        if tier not in TIERS:
            raise pytest.UsageError(
                f"{path.relative_to(REPO)} is in no tier: move it into one of "
                + ", ".join(f"tests/{name}/" for name in TIERS)
                + " (tests/conftest.py says which tier holds what)"
            )
        item.add_marker(getattr(pytest.mark, tier))
        needs = RENDER_TIER_FORBIDS & set(getattr(item, "fixturenames", ()))
        if tier == "render" and needs:
            raise pytest.UsageError(
                f"{item.nodeid} uses {', '.join(sorted(needs))}: the render tier installs and "
                "serves nothing; move the test to tests/project/ (or a later tier)"
            )


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
    from tests.support.update_support import build_versions

    return build_versions(template_snapshot, tmp_path_factory.mktemp("versions") / "quickscale")


@pytest.fixture(scope="session", params=COMBINATIONS, ids=combination_id)
def rendered(request, template_snapshot, tmp_path_factory):
    """(project, answers) for each combination of tests/support/matrix.py, rendered once per
    run and shared by the render tier's checks and the project tier's Django checks."""
    dst = tmp_path_factory.mktemp("matrix") / "client_acme"
    return render(template_snapshot, dst, **request.param), request.param


@pytest.fixture(scope="module")
def template_with_modules(template_snapshot, tmp_path_factory):
    copy = tmp_path_factory.mktemp("with_modules") / "quickscale"
    shutil.copytree(template_snapshot, copy, symlinks=True)
    return add_fixture_modules(copy, names=("greetings", "shout", "door"))


@pytest.fixture(scope="session")
def default_project(template_snapshot, tmp_path_factory) -> Path:
    return render(template_snapshot, tmp_path_factory.mktemp("default") / "client_acme")


# The answers whose pyproject.toml holds what the default one lacks: every module and the
# React frontend (django-vite). The shared venv installs the union of all of them.
UNION_ANSWERS = {"theme": "todo", "frontend": "react", "modules": shipped_modules()}


@pytest.fixture(scope="session")
def union_project(template_snapshot, tmp_path_factory) -> Path:
    """The React project with every module (UNION_ANSWERS), rendered once: its pyproject.toml
    completes the shared venv, and `react_project` builds it."""
    dst = tmp_path_factory.mktemp("react") / "client_acme"
    return render(template_snapshot, dst, **UNION_ANSWERS)


@pytest.fixture(scope="session")
def project_python(default_project, union_project) -> Path:
    """One venv with every generated project's dependencies, reused across projects.

    Kept in .cache/ between runs and rebuilt when the pins change, so CI installs
    the union of dependencies once instead of once per generated project. A venv whose
    pins are all still wanted only gets what was added (no rebuild under a running test).
    """
    requirements: list[str] = []
    for project in (default_project, union_project):
        pyproject = tomllib.loads((project / "pyproject.toml").read_text())
        requirements += pyproject["project"]["dependencies"]
        requirements += pyproject["dependency-groups"]["dev"]
    requirements += extra_project_requirements()
    requirements = sorted(set(requirements))
    venv = CACHE / "project-venv"
    # `make test` runs pytest-xdist workers, each with its own session: one builds or
    # completes the venv while the others wait, then find it up to date.
    CACHE.mkdir(exist_ok=True)
    with (CACHE / "project-venv.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _project_venv(venv, requirements)


def _project_venv(venv: Path, requirements: list[str]) -> Path:
    stamp = venv / "requirements.txt"
    wanted = "\n".join(requirements) + "\n"
    python = venv / "bin" / "python"
    installed = stamp.read_text().splitlines() if python.exists() and stamp.exists() else None
    if installed is None or not set(installed) <= set(requirements):
        shutil.rmtree(venv, ignore_errors=True)
        uv = shutil.which("uv") or pytest.fail("uv is needed (make test puts .venv/bin first)")
        run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)])
        run([uv, "pip", "install", "--quiet", "--python", str(python), *requirements])
        stamp.write_text(wanted)
    elif set(installed) != set(requirements):
        uv = shutil.which("uv") or pytest.fail("uv is needed (make test puts .venv/bin first)")
        run([uv, "pip", "install", "--quiet", "--python", str(python), *requirements])
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


@pytest.fixture(scope="session")
def redis_url() -> str:
    """A real redis-server on a free loopback port for this test session (no persistence)."""
    with redis_server() as url:
        yield url


@pytest.fixture
def project_env() -> dict[str, str]:
    return clean_project_env()


@pytest.fixture(scope="session")
def react_project(union_project, project_python) -> Path:
    """The most complete React project (todo theme, every module), built once per session as
    its first `make run` builds it: npm install (package-lock.json written), the API's
    TypeScript types (`make api-client`), then Vite's build into frontend_build/.

    The project tier checks it (tests/project/test_react.py) and the browser journeys serve
    it (tests/e2e/test_browser.py); tests that change a file put it back.
    """
    from tests.support.node import install_node_modules, make_with_shared_venv, npm, require_node

    require_node()
    project = union_project
    install_node_modules(project)
    make_with_shared_venv(project, project_python, "api-client")
    npm(project, "run", "build")
    return project
