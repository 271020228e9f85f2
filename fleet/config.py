"""The fleet file: which client projects to update, in which rings, with which checks.

    projects:
      - name: acme                  # unique; names the work folder and the report row
        repo: git@github.com:agency/acme.git   # a local path or any URL git can clone
        branch: main                # optional, default main
        ring: canary                # optional, default "all"
    rings: [internal, canary, all]  # optional: the rollout order (default: first seen)
    checks: [make test, make check-migrations]  # optional: run after the update
    workdir: /srv/fleet/acme-agency # optional: where the work clones live
                                    #   (default .fleet/<fleet file name>/work)

Everything is validated before any project is touched: a bad fleet file is refused with
the project and key to fix.
"""

from __future__ import annotations

import difflib
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_BRANCH = "main"
DEFAULT_RING = "all"
DEFAULT_CHECKS = ("make test", "make check-migrations")
# Names become folder names and branch-free labels: keep them boring.
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
PROJECT_KEYS = {"name", "repo", "branch", "ring", "checks"}
FLEET_KEYS = {"projects", "rings", "checks", "workdir"}


def is_url(repo: str) -> bool:
    """scheme://… or scp-like user@host:path; anything else is a path on this machine."""
    return bool(re.match(r"^[\w+.-]+://|^[\w.-]+@[\w.-]+:", repo))


class FleetFileError(Exception):
    """The fleet file cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class Project:
    name: str
    repo: str
    branch: str = DEFAULT_BRANCH
    ring: str = DEFAULT_RING
    checks: tuple[str, ...] = DEFAULT_CHECKS

    @property
    def local_path(self) -> Path | None:
        """The checkout on this machine when `repo` is a path (None for URLs)."""
        if is_url(self.repo):
            return None
        return Path(self.repo)


@dataclass
class Fleet:
    path: Path
    projects: list[Project]
    rings: list[str]
    workdir: Path
    # report.md and report.json of the last run.
    reports: Path

    def select(self, rings: list[str] | None) -> list[Project]:
        if not rings:
            return list(self.projects)
        unknown = [ring for ring in rings if ring not in self.rings]
        if unknown:
            close = difflib.get_close_matches(unknown[0], self.rings, n=1)
            hint = f" Did you mean {close[0]}?" if close else ""
            raise FleetFileError(
                f"RING={','.join(rings)}: no project is in ring {', '.join(unknown)}.{hint} "
                f"The rings of {self.path} are: {', '.join(self.rings)}."
            )
        return [project for project in self.projects if project.ring in rings]


def _checks(value, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(c, str) and c.strip() for c in value):
        raise FleetFileError(f"{where}: `checks` must be a list of commands, e.g. [make test].")
    for command in value:
        try:
            shlex.split(command)
        except ValueError as exc:
            raise FleetFileError(f"{where}: check {command!r} cannot be parsed: {exc}.") from exc
    return tuple(value)


def load(path: Path, workdir: Path | None = None) -> Fleet:
    """Read and validate a fleet file; raises FleetFileError with the fix."""
    if not path.is_file():
        raise FleetFileError(
            f"No fleet file at {path}. Create one (docs/agency.md shows the format) and pass "
            "it as FLEET=path/to/fleet.yml."
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise FleetFileError(f"{path} is not valid YAML{where}: fix its syntax.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("projects"), list):
        raise FleetFileError(
            f"{path} must be a mapping with a `projects:` list, each item like "
            "`{name: acme, repo: ../acme}`."
        )
    unknown = set(data) - FLEET_KEYS
    if unknown:
        raise FleetFileError(
            f"{path}: unknown key(s) {', '.join(sorted(unknown))}; "
            f"the fleet file knows {', '.join(sorted(FLEET_KEYS))}."
        )
    checks = _checks(data.get("checks", list(DEFAULT_CHECKS)), str(path))
    projects: list[Project] = []
    seen: set[str] = set()
    for number, item in enumerate(data["projects"], start=1):
        where = f"{path}, project {number}"
        if not isinstance(item, dict):
            raise FleetFileError(
                f"{where}: write it as a mapping, e.g. `{{name: acme, repo: ../acme}}`."
            )
        extra = set(item) - PROJECT_KEYS
        if extra:
            raise FleetFileError(
                f"{where}: unknown key(s) {', '.join(sorted(extra))}; "
                f"a project knows {', '.join(sorted(PROJECT_KEYS))}."
            )
        name, repo = item.get("name"), item.get("repo")
        if not isinstance(name, str) or not NAME.fullmatch(name):
            raise FleetFileError(
                f"{where}: `name` must be letters, digits, '.', '_' or '-' (it names a folder), "
                f"got {name!r}."
            )
        if name in seen:
            raise FleetFileError(f"{where}: the name {name!r} is used twice; names must be unique.")
        seen.add(name)
        if not isinstance(repo, str) or not repo.strip():
            raise FleetFileError(
                f"{where} ({name}): `repo` is required: a local path or a git URL."
            )
        branch = item.get("branch", DEFAULT_BRANCH)
        ring = item.get("ring", DEFAULT_RING)
        for key, value in (("branch", branch), ("ring", ring)):
            if not isinstance(value, str) or not NAME.fullmatch(value.replace("/", "-")):
                raise FleetFileError(f"{where} ({name}): `{key}` {value!r} is not a valid name.")
        repo = repo.strip()
        if repo.startswith("-"):
            raise FleetFileError(f"{where} ({name}): `repo` may not start with '-'.")
        if repo.startswith("~"):
            repo = str(Path(repo).expanduser())
        # A relative path is relative to the fleet file, wherever make runs.
        if not is_url(repo) and not Path(repo).expanduser().is_absolute():
            repo = str((path.parent / repo).resolve())
        projects.append(
            Project(
                name=name,
                repo=repo,
                branch=branch,
                ring=ring,
                checks=_checks(item["checks"], f"{where} ({name})") if "checks" in item else checks,
            )
        )
    if not projects:
        raise FleetFileError(f"{path}: `projects:` is empty; add at least one project.")
    seen_repos: dict[str, str] = {}
    for project in projects:
        key = project.repo.rstrip("/").removesuffix(".git")
        if key in seen_repos:
            raise FleetFileError(
                f"{path}: {seen_repos[key]} and {project.name} are the same repository; list "
                "it once (its update branch quickscale/update-<version> can start from one "
                "branch only)."
            )
        seen_repos[key] = project.name
    rings = _rings(data.get("rings"), projects, path)
    if workdir is None:
        configured = data.get("workdir")
        if configured is not None and not isinstance(configured, str):
            raise FleetFileError(f"{path}: `workdir` must be a path.")
        workdir = (
            (path.parent / Path(configured).expanduser()).resolve()
            if configured
            else Path.cwd() / ".fleet" / path.stem / "work"
        )
    for project in projects:
        local = project.local_path
        if local is not None and local.resolve().is_relative_to(workdir):
            raise FleetFileError(
                f"{path} ({project.name}): the repository {local} is inside the work folder "
                f"{workdir}, which the fleet resets: keep checkouts elsewhere."
            )
    reports = Path.cwd() / ".fleet" / path.stem
    return Fleet(path=path, projects=projects, rings=rings, workdir=workdir, reports=reports)


def _rings(declared, projects: list[Project], path: Path) -> list[str]:
    used = list(dict.fromkeys(project.ring for project in projects))
    if declared is None:
        return used
    if not isinstance(declared, list) or not all(isinstance(r, str) for r in declared):
        raise FleetFileError(f"{path}: `rings` must be a list such as [internal, canary, all].")
    missing = [ring for ring in used if ring not in declared]
    if missing:
        raise FleetFileError(
            f"{path}: ring(s) {', '.join(missing)} are used by projects but not listed in "
            "`rings:`; add them where they belong in the rollout order."
        )
    return list(dict.fromkeys(declared))
