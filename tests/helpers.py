"""Plain helpers shared by the template tests (fixtures live in conftest.py)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import copier

REPO = Path(__file__).resolve().parent.parent

# Leftover Jinja in a rendered file means a template forgot its .jinja suffix or
# a variable went missing. Django templates ({% ... %}) and GitHub Actions
# expressions (${{ ... }}) are legitimate, so only Copier's own variables count.
LEFTOVER_JINJA = re.compile(
    r"\{\{\s*(project_name|project_slug|description|author_\w+|domain|theme|frontend|modules"
    r"|use_docker|ci|_copier_conf)\b|\{%-?\s*(from 'extensions|set theme_conf)"
)


def render(src: Path, dst: Path, **data) -> Path:
    """Generate a project with Copier's API, trust-free, answering with defaults."""
    answers = {"project_name": "Client Acme", **data}
    copier.run_copy(
        str(src),
        str(dst),
        data=answers,
        defaults=True,
        unsafe=False,
        quiet=True,
        vcs_ref="HEAD" if (src / ".git").exists() else None,
    )
    return dst


def run(cmd, cwd: Path | None = None, env: dict | None = None, timeout: int = 900, check=True):
    """Run a command, failing the test with its output when it fails."""
    result = subprocess.run(  # noqa: S603
        [str(part) for part in cmd],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(map(str, cmd))} exited {result.returncode}\n"
            f"--- stdout ---\n{result.stdout[-6000:]}\n--- stderr ---\n{result.stderr[-6000:]}"
        )
    return result


def project_files(project: Path) -> list[Path]:
    return sorted(p for p in project.rglob("*") if p.is_file() and ".venv" not in p.parts)
