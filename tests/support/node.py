"""Node.js and npm for React projects (`frontend: react`): one npm cache for the whole suite,
node_modules installed once per generated project.

npm comes from the npm registry only, through npm itself; no browser or binary is downloaded
apart from what the packages of package.json bring (Vite's and Rolldown's native builds).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.helpers import CACHE, clean_project_env, run

# Kept between runs (like the project venv): the second `make test` installs offline.
NPM_CACHE = CACHE / "npm"
# What the template asks for (frontend.mk, `make node`).
NODE_MINIMUM = (20, 19)
# node_modules trees already installed in this session, by the dependencies they satisfy:
# another project with the same package.json dependencies starts from a copy, and npm only
# reconciles it (one real install per session, not one per project).
_installed: dict[str, Path] = {}


def node_missing() -> str | None:
    """Why this machine cannot build a React project, or None."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        return "Node.js and npm are not installed (the React frontend builds with Node 20.19+)"
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    parts = tuple(int(p) for p in version.strip().lstrip("v").split(".")[:2])
    if parts < NODE_MINIMUM:
        return f"Node.js {version.strip()} is too old: the React frontend needs 20.19 or newer"
    return None


def require_node() -> None:
    """Skips the test without Node (fails in CI, where .ci/run checks for it first)."""
    reason = node_missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; .ci/run needs Node 20 LTS with npm on the machine")
        pytest.skip(reason)


def node_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for npm, make and node in a generated project: the shared cache, used
    before the registry (`--prefer-offline`), and no audit, fund or update notices."""
    NPM_CACHE.mkdir(parents=True, exist_ok=True)
    return {
        **(env if env is not None else clean_project_env()),
        "npm_config_cache": str(NPM_CACHE),
        "npm_config_prefer_offline": "true",
        "npm_config_audit": "false",
        "npm_config_fund": "false",
        "npm_config_update_notifier": "false",
        "npm_config_loglevel": "warn",
        # Vitest and Vite print colours otherwise; the output is read by assertions.
        "NO_COLOR": "1",
    }


def npm(project: Path, *args: str, env: dict[str, str] | None = None, check: bool = True,
        timeout: int = 600):  # fmt: skip
    return run(["npm", *args], project, node_env(env), check=check, timeout=timeout)


def dependencies_key(project: Path) -> str:
    package = json.loads((project / "package.json").read_text())
    wanted = {k: package.get(k) for k in ("dependencies", "devDependencies", "engines")}
    return json.dumps(wanted, sort_keys=True)


def install_node_modules(project: Path, env: dict[str, str] | None = None) -> None:
    """`npm install` in a generated project (it writes package-lock.json, as the first
    `make run` does). The first project of a session installs from the shared cache (the
    registry only for what the cache lacks); later ones with the same dependencies copy its
    tree and let npm reconcile it."""
    require_node()
    key = dependencies_key(project)
    seed = _installed.get(key)
    if seed is not None and seed.is_dir() and not (project / "node_modules").exists():
        run(["cp", "-a", "--reflink=auto", str(seed), str(project / "node_modules")])
    npm(project, "install", timeout=900)
    _installed.setdefault(key, project / "node_modules")


def make_with_shared_venv(project: Path, python: Path, *targets: str, check: bool = True):
    """`make <targets>` in a generated project, the suite's shared venv standing in for the
    project's own (`make install`, which runs uv sync, is skipped: the venv has everything)."""
    return run(["make", "--no-print-directory", "-o", "install", *targets,
                f"MANAGE={python} manage.py"], project, node_env(), check=check)  # fmt: skip
