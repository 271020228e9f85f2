"""Rollout order: `RING=all` starts only when the rings before it have the release.

A ring before the chosen one is finished for a release when each of its projects either
has the release on its branch (merged) or an update branch for it whose tip passed the
checks (pushed, or in the fleet's work clone from a run without PUSH=1): the fleet's own
commit records that, and for a person's commit on the branch (a resolved conflict) a
report of this fleet does. FORCE=1 skips this.
"""

from __future__ import annotations

import json

from fleet import gitops
from fleet.config import Fleet
from fleet.status import UPDATE_BRANCH, TemplateReleases
from fleet.update import DONE, TRAILER_CHECKS, fleet_commits, trailer


def earlier_rings(fleet: Fleet, chosen: list[str]) -> list[str]:
    if not chosen:
        return []  # every ring at once: asked for explicitly
    first = min(fleet.rings.index(ring) for ring in chosen)
    return [ring for ring in fleet.rings[:first] if ring not in chosen]


def unfinished(fleet: Fleet, chosen: list[str], version: str | None,
               releases: TemplateReleases) -> list[str]:  # fmt: skip
    """'project (ring): why' for each project of an earlier ring without the release."""
    earlier = earlier_rings(fleet, chosen)
    problems = []
    for project in (p for p in fleet.projects if p.ring in earlier):
        where = f"{project.name} ({project.ring})"
        folder = fleet.workdir / project.name
        try:
            gitops.sync_clone(project.repo, folder)
            main = gitops.rev(folder, f"origin/{project.branch}")
            if not main:
                raise gitops.GitError(f"no branch {project.branch!r}")
            answers = gitops.read_answers(folder, main)
            src = str(answers.get("_src_path") or "")
            target = version or (releases.tags(src) or [""])[-1]
        except gitops.GitError as exc:
            problems.append(f"{where}: {exc}")
            continue
        if not target or gitops.is_behind(str(answers.get("_commit") or ""), target) is False:
            continue
        branch = UPDATE_BRANCH.format(version=target)
        tip = gitops.rev(folder, f"refs/remotes/origin/{branch}") or gitops.rev(
            folder, f"refs/heads/{branch}"
        )
        if not tip:
            problems.append(f"{where}: no update to {target} yet")
            continue
        if not checked(fleet, project.name, folder, main, tip, target):
            problems.append(
                f"{where}: {branch} is not checked and passing (run fleet-update "
                f"RING={project.ring}; the report says what it needs)"
            )
    return problems


def checked(fleet: Fleet, name: str, folder, main: str, tip: str, target: str) -> bool:
    """The branch tip passed the checks: the fleet's own commit says so, or a report of
    this fleet says the tip (a person's commit, say) was checked and passed."""
    newest = next(iter(fleet_commits(folder, main, tip)), None)
    if newest == (tip, target):
        return trailer(folder, tip, TRAILER_CHECKS) == "passed"
    for report in sorted((fleet.reports / "history").glob("*-report.json"), reverse=True):
        try:
            rows = json.loads(report.read_text(encoding="utf-8"))["projects"]
        except (OSError, ValueError, KeyError):
            continue
        for row in rows:
            if row.get("name") == name and row.get("commit") == tip:
                return row.get("status") in DONE
    return False
