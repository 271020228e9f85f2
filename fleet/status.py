"""`make fleet-status`: where every project of the fleet stands, read from its remote."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field

from fleet import gitops
from fleet.config import Fleet, Project

UPDATE_BRANCH = "quickscale/update-{version}"


@dataclass
class Standing:
    name: str
    ring: str
    repo: str
    branch: str
    version: str | None = None
    newest: str | None = None
    behind: bool | None = None
    modules: list[str] = field(default_factory=list)
    theme: str | None = None
    frontend: str | None = None
    # Uncommitted files of a local checkout (None: a URL or a bare repository).
    dirty: list[str] | None = None
    # Update branches waiting on the remote (quickscale/update-*).
    pending: list[str] = field(default_factory=list)
    # Why the project (or its template) cannot be reached / is not a usable QuickScale project.
    unreachable: str | None = None
    invalid: str | None = None

    @property
    def state(self) -> str:
        if self.unreachable:
            return "unreachable"
        if self.invalid:
            return "invalid"
        if self.behind is None:
            return "unknown"
        return "behind" if self.behind else "current"


class TemplateReleases:
    """Tags per template source, asked once per run (a race between threads asks twice)."""

    def __init__(self) -> None:
        self._tags: dict[str, list[str] | gitops.GitError] = {}

    def _all(self, src_path: str) -> list[str]:
        if src_path not in self._tags:
            try:
                self._tags[src_path] = gitops.all_tags(src_path)
            except gitops.GitError as exc:
                self._tags[src_path] = exc
        found = self._tags[src_path]
        if isinstance(found, gitops.GitError):
            raise gitops.GitError(f"template {src_path} unreachable: {found}")
        return found

    def tags(self, src_path: str) -> list[str]:
        """Release tags, oldest first."""
        return gitops.releases(self._all(src_path))

    def has(self, src_path: str, tag: str) -> bool:
        return tag in self._all(src_path)


def stand(fleet: Fleet, project: Project, releases: TemplateReleases) -> Standing:
    standing = Standing(project.name, project.ring, project.repo, project.branch)
    if project.local_path is not None:
        standing.dirty = gitops.dirty_files(project.local_path)
    folder = fleet.workdir / project.name
    try:
        gitops.sync_clone(project.repo, folder)
    except gitops.GitError as exc:
        standing.unreachable = str(exc)
        return standing
    try:
        ref = f"origin/{project.branch}"
        if not gitops.rev(folder, ref):
            raise gitops.GitError(f"no branch {project.branch!r} in {project.repo}")
        answers = gitops.read_answers(folder, ref)
    except gitops.GitError as exc:
        standing.invalid = str(exc)
        return standing
    standing.version = str(answers.get("_commit") or "") or None
    modules = answers.get("modules") or []
    standing.modules = [str(m) for m in modules] if isinstance(modules, list) else [str(modules)]
    standing.theme = str(answers["theme"]) if answers.get("theme") else None
    standing.frontend = str(answers["frontend"]) if answers.get("frontend") else None
    standing.pending = pending_branches(folder, standing.version or "")
    src = str(answers.get("_src_path") or "")
    why = gitops.unusable_src_path(src)
    if why:
        standing.invalid = why
        return standing
    try:
        tags = releases.tags(src)
    except gitops.GitError as exc:
        standing.unreachable = str(exc)
        return standing
    standing.newest = tags[-1] if tags else None
    if standing.version and standing.newest:
        standing.behind = gitops.is_behind(standing.version, standing.newest)
    return standing


def pending_branches(folder, version: str) -> list[str]:
    """Update branches on the remote that bring a newer release than the branch has (a
    merged one no longer counts)."""
    # for-each-ref matches whole path components: list quickscale/ and filter.
    prefix = UPDATE_BRANCH.format(version="")
    refs = gitops.git(
        "for-each-ref",
        "--format=%(refname:lstrip=3)",
        "refs/remotes/origin/quickscale/",
        cwd=folder,
    ).split()
    branches = [ref for ref in refs if ref.startswith(prefix)]
    return [ref for ref in branches if gitops.is_behind(version, ref[len(prefix) :]) is not False]


def collect(fleet: Fleet, projects: list[Project], jobs: int) -> list[Standing]:
    releases = TemplateReleases()
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(lambda p: stand(fleet, p, releases), projects))


def table(standings: list[Standing]) -> str:
    head = ("project", "ring", "version", "newest", "state", "theme", "modules", "checkout")
    head += ("pending",)
    rows = [head]
    for s in standings:
        checkout = "-" if s.dirty is None else (f"dirty ({len(s.dirty)})" if s.dirty else "clean")
        theme = f"{s.theme}/{s.frontend}" if s.theme and s.frontend else (s.theme or "-")
        state = s.state
        rows.append(
            (
                s.name,
                s.ring,
                s.version or "-",
                s.newest or "-",
                state,
                theme,
                ", ".join(s.modules) or "-",
                checkout,
                ", ".join(p.removeprefix("quickscale/") for p in s.pending) or "-",
            )
        )
    # The last column (often long: git's reason) is never padded.
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = []
    for number, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines += [
        f"{s.name}: {s.unreachable or s.invalid}" for s in standings if s.unreachable or s.invalid
    ]
    lines += [
        f"{s.name}: uncommitted in {s.repo}: {', '.join(s.dirty[:5])}" for s in standings if s.dirty
    ]
    return "\n".join(lines)


def as_json(standings: list[Standing]) -> str:
    rows = [{**asdict(s), "state": s.state} for s in standings]
    # Answers are YAML: a value may be a date or a number; print it as text.
    return json.dumps(rows, indent=2, default=str)
