"""Fleet updates (`make fleet-status`, `make fleet-update`, fleet/): a fleet of real generated
projects at different template versions, with user edits, each in its own git repository.

One project of each kind the report must tell apart: a clean one (updated), one already at
the release (up-to-date), one whose edit conflicts with the release (conflicts), one whose
own test fails after the update (tests-failed), one whose checkout has uncommitted work
(refused) and one whose repository is gone (error). The projects' own checks are the
defaults (`make test`, `make check-migrations`), run with the shared project venv.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import sys
from pathlib import Path

import pytest
import yaml

from tests.support.helpers import (
    CACHE,
    GIT_ENV,
    REPO,
    clean_project_env,
    commit_all,
    edit,
    git,
    run,
)
from tests.support.update_support import generate, make_update, user_edits

BRANCH = "quickscale/update-v0.3.0"
DEFAULT_CHECKS = ["make test", "make check-migrations"]
BASE = "config/settings/base.py"


def uv_shim(folder: Path, python: Path) -> Path:
    """`uv` for the projects' Makefiles without installing anything: `uv sync` is a no-op
    and `uv run X` runs X from the shared project venv (what uv would have built)."""
    shim = folder / "uv"
    shim.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = sync ]; then exit 0; fi\n'
        'if [ "$1" = run ]; then shift; fi\n'
        f'PATH="{python.parent}:$PATH" exec "$@"\n'
    )
    shim.chmod(0o755)
    return shim


def bare_remote(project: Path, remotes: Path) -> Path:
    """The project's 'GitHub': a bare repository holding its main branch."""
    remote = remotes / f"{project.name}.git"
    git(remotes, "init", "-q", "--bare", "-b", "main", str(remote))
    git(project, "remote", "add", "origin", str(remote))
    git(project, "push", "-q", "origin", "main")
    return remote


def branches(remote: Path) -> dict[str, str]:
    out = git(remote, "for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads")
    return dict(line.split() for line in out.splitlines())


@pytest.fixture(scope="module")
def fleet(versions, project_python, tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("fleet")
    checkouts, remotes = root / "checkouts", root / "remotes"
    checkouts.mkdir()
    remotes.mkdir()

    acme = generate(versions, checkouts / "acme")
    user_edits(acme)
    (acme / "uv.lock").write_text("version = 1\n")
    commit_all(acme, "Client work")
    generate(versions, checkouts / "bravo", ref="v0.3.0")
    # v0.3.0 adds a line right under LOG_LEVEL: this client's edit of it conflicts.
    conflict = generate(versions, checkouts / "conflict", ref="v0.2.0")
    edit(conflict / BASE, 'default="WARNING")', 'default="ERROR")  # Acme wants quiet logs')
    commit_all(conflict, "Quiet logs")
    # A client test that pins the log level v0.2.0 changes: it fails after the update.
    failing = generate(versions, checkouts / "failing", modules=["greetings"])
    (failing / "client_acme/test_logging_contract.py").write_text(
        "from django.conf import settings\n\n\n"
        "def test_logs_at_info():\n"
        '    assert settings.LOG_LEVEL == "INFO"\n\n\n'
        "def test_already_broken():\n"
        '    assert settings.LOG_LEVEL == "DEBUG"\n'
    )
    commit_all(failing, "Pin the log level")
    dirty = generate(versions, checkouts / "dirty")
    with (dirty / BASE).open("a") as base:
        base.write("\n# Work in progress, not committed.\n")

    remote = {p.name: bare_remote(p, remotes) for p in (acme, conflict, failing)}
    fleet_file = root / "fleet.yml"
    fleet_file.write_text(
        yaml.safe_dump(
            {
                "rings": ["canary", "all"],
                "projects": [
                    {
                        "name": "acme",
                        "repo": str(remote["acme"]),
                        "ring": "canary",
                        # What `uv sync` does after a dependency change: a refreshed lock.
                        "checks": [*DEFAULT_CHECKS, "echo '# re-locked' >> uv.lock"],
                    },
                    {"name": "bravo", "repo": "checkouts/bravo", "ring": "canary"},
                    {"name": "conflict", "repo": str(remote["conflict"])},
                    {"name": "failing", "repo": str(remote["failing"])},
                    {"name": "dirty", "repo": str(dirty)},
                    {"name": "gone", "repo": str(remotes / "gone.git")},
                ],
            },
            sort_keys=False,
        )
    )
    env = {**clean_project_env(), **GIT_ENV, "UV": str(uv_shim(root, project_python))}
    env.pop("MAKEFLAGS", None)
    return {
        "root": root,
        "file": fleet_file,
        "remote": remote,
        "dirty": dirty,
        "env": env,
        "reports": root / "reports",
    }


def make(fleet: dict, target: str, **variables: str):
    """The Makefile target as an agency runs it, from the template repository."""
    args = [f"{key}={value}" for key, value in variables.items()]
    extra = [f"WORKDIR={fleet['root'] / 'work'}", f"REPORTS={fleet['reports']}"]
    cmd = ["make", "--no-print-directory", "-C", REPO, target, f"FLEET={fleet['file']}", *extra]
    return run([*cmd, *args], env=fleet["env"], timeout=1800, check=False)


def report(fleet: dict) -> dict:
    data = json.loads((fleet["reports"] / "report.json").read_text())
    return {p["name"]: p for p in data["projects"]} | {"_rings": data["ring_progress"]}


def mains(fleet: dict) -> dict[str, str]:
    return {name: branches(path)["main"] for name, path in fleet["remote"].items()}


def test_fleet_status_reads_every_project(fleet):
    result = make(fleet, "fleet-status", JSON="1")
    assert result.returncode == 2, result.stdout + result.stderr  # make's code for "gone"
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert rows["acme"]["version"] == "v0.1.0" and rows["acme"]["newest"] == "v0.3.0"
    assert rows["acme"]["state"] == "behind" and rows["acme"]["dirty"] is None
    assert rows["bravo"]["state"] == "current" and rows["bravo"]["dirty"] == []
    assert rows["failing"]["modules"] == ["greetings"] and rows["failing"]["theme"] == "starter"
    assert rows["conflict"]["version"] == "v0.2.0"
    assert rows["dirty"]["dirty"] == [BASE]
    assert rows["gone"]["state"] == "unreachable" and rows["gone"]["unreachable"]

    table = make(fleet, "fleet-status").stdout
    assert "project" in table and "dirty (1)" in table and "gone: " in table


def test_fleet_update_classifies_each_project_and_never_moves_main(fleet):
    before = mains(fleet)
    dirty_head = git(fleet["dirty"], "rev-parse", "HEAD")

    # The canary ring alone, nothing pushed: the clean project gets its branch in the work
    # clone, the current one is skipped.
    canary = make(fleet, "fleet-update", RING="canary")
    assert canary.returncode == 0, canary.stdout + canary.stderr
    rows = report(fleet)
    assert rows["acme"]["status"] == "updated", rows["acme"]
    assert rows["bravo"]["status"] == "up-to-date"
    assert set(rows) - {"_rings"} == {"acme", "bravo"}
    assert rows["_rings"]["canary"]["state"] == "done"
    assert rows["_rings"]["all"]["state"] == "not in this run"
    assert "[1/2]" in canary.stdout and "ring canary: done" in canary.stdout
    assert set(branches(fleet["remote"]["acme"])) == {"main"}  # not pushed without PUSH=1

    # Everyone, pushing.
    full = make(fleet, "fleet-update", PUSH="1", JOBS="3")
    assert full.returncode == 2, full.stdout + full.stderr  # some projects need attention
    rows = report(fleet)
    statuses = {name: row["status"] for name, row in rows.items() if name != "_rings"}
    assert statuses == {
        "acme": "updated",
        "bravo": "up-to-date",
        "conflict": "conflicts",
        "failing": "tests-failed",
        "dirty": "refused",
        "gone": "error",
    }, {n: (r.get("reason"), r.get("failures")) for n, r in rows.items() if n != "_rings"}
    assert rows["conflict"]["files"] == [BASE]
    failures = rows["failing"]["failures"]
    assert [name.rsplit("::", 1)[1] for name in failures] == [
        "test_logs_at_info",
        "test_already_broken",
    ]
    # The report tells a test the update broke from one that failed before it.
    assert [name.rsplit("::", 1)[1] for name in rows["failing"]["preexisting"]] == [
        "test_already_broken"
    ]
    assert "AssertionError" in Path(rows["failing"]["log"]).read_text()  # pytest's own output
    assert "uncommitted changes" in rows["dirty"]["reason"] and BASE in rows["dirty"]["reason"]
    assert "gone.git" in rows["gone"]["reason"]
    assert rows["_rings"]["canary"]["state"] == "done"
    assert rows["_rings"]["all"]["needs_attention"] == ["conflict", "failing", "dirty", "gone"]

    # Only update branches reached the remotes, main never moved, the checkout is untouched.
    assert mains(fleet) == before
    assert set(branches(fleet["remote"]["acme"])) == {"main", BRANCH}
    assert set(branches(fleet["remote"]["failing"])) == {"main", BRANCH}
    assert set(branches(fleet["remote"]["conflict"])) == {"main"}
    assert git(fleet["dirty"], "rev-parse", "HEAD") == dirty_head
    assert git(fleet["dirty"], "status", "--porcelain").strip() == f"M {BASE}"

    # The update commit: on top of main, the CHANGELOG excerpt as its message, the
    # checks' outcome as a trailer, every user edit kept.
    acme = fleet["remote"]["acme"]
    message = git(acme, "log", "-1", "--format=%B", BRANCH)
    assert message.startswith("Update QuickScale from v0.1.0 to v0.3.0")
    assert "- Farewells." in message and "- Sessions last two weeks." in message
    assert "QuickScale-Checks: passed" in message
    assert git(acme, "rev-parse", f"{BRANCH}^").strip() == before["acme"]
    assert "# re-locked" in git(acme, "show", f"{BRANCH}:uv.lock")  # the lock goes with it
    settings = git(acme, "show", f"{BRANCH}:{BASE}")
    assert "ACME_ROLLOUT = True" in settings and "Release 0.3.0 was here" in settings
    failed = git(fleet["remote"]["failing"], "log", "-1", "--format=%B", BRANCH)
    assert "QuickScale-Checks: failed:" in failed and "test_logs_at_info" in failed

    markdown = (fleet["reports"] / "report.md").read_text()
    # Kept for docs/agency.md, which shows a real report.
    CACHE.mkdir(exist_ok=True)
    (CACHE / "fleet-report.md").write_text(markdown)
    assert "| acme | canary | **updated** | v0.1.0 → v0.3.0 |" in markdown
    assert f"`{BASE}`" in markdown and "## What to do" in markdown
    assert "test_already_broken` (failed before the update too)" in markdown

    # fleet-status shows the branches waiting for review.
    standing = make(fleet, "fleet-status", JSON="1", RING="canary")
    assert standing.returncode == 0, standing.stderr
    rows = json.loads(standing.stdout)
    assert [row["pending"] for row in rows] == [[BRANCH], []]

    # Again: the same report, no new commit anywhere.
    tips = {name: branches(path) for name, path in fleet["remote"].items()}
    again = make(fleet, "fleet-update", PUSH="1", JOBS="3")
    assert again.returncode == 2
    assert {n: r["status"] for n, r in report(fleet).items() if n != "_rings"} == statuses
    assert {name: branches(path) for name, path in fleet["remote"].items()} == tips
    assert "branch already holds this update" in " ".join(report(fleet)["acme"]["notes"])


def test_a_conflict_resolved_by_hand_on_the_branch_counts_as_updated(fleet, project_python):
    """What the report tells people to do with a conflict, done, then the next run."""
    remote = fleet["remote"]["conflict"]
    work = fleet["root"] / "resolving"
    git(fleet["root"], "clone", "-q", str(remote), str(work))
    git(work, "switch", "-q", "-c", BRANCH, "origin/main")
    update = make_update(work, project_python, "--vcs-ref", "v0.3.0", check=False)
    assert update.returncode == 3, update.stdout + update.stderr
    base = (work / BASE).read_text()
    ours = re.search(r"<<<<<<< [^\n]*\n(.*?)=======\n.*?>>>>>>> [^\n]*\n", base, re.S)
    (work / BASE).write_text(base.replace(ours.group(0), ours.group(1)))
    commit_all(work, "Update QuickScale to v0.3.0, keeping our quiet logs")
    git(work, "push", "-q", "-u", "origin", BRANCH)

    # RING=all: the canary ring before it is done, so it may start.
    result = make(fleet, "fleet-update", RING="all", PUSH="1")
    rows = report(fleet)
    assert rows["conflict"]["status"] == "updated", (rows["conflict"], result.stdout)
    assert "updated by hand on the branch, checked" in rows["conflict"]["notes"]
    assert branches(remote)[BRANCH] == git(work, "rev-parse", "HEAD").strip()  # not rewritten


def test_fleet_update_rebuilds_a_stale_branch_but_never_rewrites_a_persons_commits(fleet):
    acme = fleet["remote"]["acme"]
    if BRANCH not in branches(acme):
        pytest.skip("needs the pushed branch of the test above")
    work = fleet["root"] / "person"
    git(fleet["root"], "clone", "-q", str(acme), str(work))
    # The client's main moves on: the branch is rebuilt on it, and pushed over the old one.
    with (work / "README.md").open("a") as readme:
        readme.write("\nAcme's deployment notes.\n")
    commit_all(work, "Deployment notes")
    git(work, "push", "-q", "origin", "main")
    new_main = branches(acme)["main"]

    rebuilt = make(fleet, "fleet-update", RING="canary", PUSH="1")
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert report(fleet)["acme"]["status"] == "updated"
    assert set(branches(acme)) == {"main", BRANCH}
    assert git(acme, "rev-parse", f"{BRANCH}^").strip() == new_main
    assert "Acme's deployment notes." in git(acme, "show", f"{BRANCH}:README.md")

    # A person commits on the update branch, then main moves again: the fleet refuses to
    # rebuild (it would drop their commit) and says what to do.
    git(work, "fetch", "-q", "origin")
    git(work, "switch", "-q", BRANCH)
    (work / "NOTES.md").write_text("Checked the update by hand.\n")
    commit_all(work, "Reviewed")
    git(work, "push", "-q", "origin", BRANCH)
    git(work, "switch", "-q", "main")
    with (work / "README.md").open("a") as readme:
        readme.write("More notes.\n")
    commit_all(work, "More notes")
    git(work, "push", "-q", "origin", "main")
    reviewed = branches(acme)[BRANCH]

    refused = make(fleet, "fleet-update", RING="canary", PUSH="1")
    assert refused.returncode == 2
    row = report(fleet)["acme"]
    assert row["status"] == "refused" and "commit(s) of yours" in row["reason"], row
    assert branches(acme)[BRANCH] == reviewed

    # The same fix folded into the fleet's commit (amend, force-push) is still the person's:
    # its trailers survived, its tree did not.
    git(work, "switch", "-q", BRANCH)
    git(work, "reset", "-q", "--soft", "HEAD~1")
    git(work, "commit", "-q", "--amend", "--no-edit")
    git(work, "push", "-q", "--force", "origin", BRANCH)
    amended = branches(acme)[BRANCH]
    again = make(fleet, "fleet-update", RING="canary", PUSH="1")
    row = report(fleet)["acme"]
    assert row["status"] == "refused" and "commit(s) of yours" in row["reason"], (row, again.stdout)
    assert branches(acme)[BRANCH] == amended
    assert "Checked the update by hand." in git(acme, "show", f"{BRANCH}:NOTES.md")


def test_a_bad_fleet_file_is_refused_before_anything_runs(tmp_path):
    bad = tmp_path / "fleet.yml"
    bad.write_text("projects:\n  - {name: acme}\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = run(
        [sys.executable, "-m", "fleet", "update", "--fleet", bad], tmp_path, env, check=False
    )
    assert result.returncode == 2
    assert "`repo` is required" in result.stderr
    assert not (tmp_path / ".fleet").exists()

    # Two fleet files with the same name never share work clones or reports.
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "clients.yml").write_text(
            f"projects:\n  - {{name: acme, repo: ../{folder}-acme.git}}\n"
        )
    status = [sys.executable, "-m", "fleet", "status", "--fleet"]
    first = run([*status, "a/clients.yml"], tmp_path, env, check=False)
    assert first.returncode == 1 and "acme: " in first.stdout  # unreachable, as it should be
    second = run([*status, "b/clients.yml"], tmp_path, env, check=False)
    assert second.returncode == 2 and "belongs to the fleet file" in second.stderr

    # A work folder that holds a person's checkout is never reset or cleaned.
    checkout = tmp_path / "work" / "acme"
    checkout.mkdir(parents=True)
    git(checkout, "init", "-q", "-b", "main")
    (checkout / "draft.txt").write_text("unsaved work\n")
    bad.write_text(f"projects:\n  - {{name: acme, repo: {tmp_path / 'a-acme.git'}}}\n")
    taken = run([*status, bad, "--workdir", tmp_path / "work"], tmp_path, env, check=False)
    assert "is not a clone the fleet made" in taken.stdout, taken.stdout
    assert (checkout / "draft.txt").read_text() == "unsaved work\n"
    bad.write_text(f"projects:\n  - {{name: acme, repo: {checkout}}}\n")
    inside = run([*status, bad, "--workdir", tmp_path / "work"], tmp_path, env, check=False)
    assert inside.returncode == 2 and "inside the work folder" in inside.stderr

    mistakes = {
        "projects:\n  - {name: a, repo: x}\n  - {name: b, repo: x/}\n": "same repository",
        "projects:\n  - {name: a, repo: x, ring: canary}\n": "Did you mean canary?",
    }
    for text, message in mistakes.items():
        bad.write_text(text)
        ring = ["--ring", "canery"] if "canary" in text else []
        result = run([*status, bad, *ring], tmp_path, env, check=False)
        assert result.returncode == 2 and message in result.stderr, result.stderr


def test_a_version_that_is_not_a_release_or_a_busy_workdir_is_refused(fleet):
    unknown = make(fleet, "fleet-update", RING="canary", VERSION="v9.9.9")
    assert unknown.returncode == 2
    row = report(fleet)["acme"]
    assert row["status"] == "refused" and "VERSION=v9.9.9 is not a tag" in row["reason"], row
    assert "newest release: v0.3.0" in row["reason"]

    odd = make(fleet, "fleet-update", VERSION="v1; rm -rf ~")
    assert odd.returncode == 2 and "give a release tag" in odd.stderr

    # The canary ring has no update to v0.2.0: the next ring may not start.
    early = make(fleet, "fleet-update", RING="all", VERSION="v0.2.0")
    assert early.returncode == 2
    assert "acme (canary): no update to v0.2.0 yet" in early.stderr, early.stderr
    assert "FORCE=1" in early.stderr

    # `_commit` raised by hand over older files: refused, as make update refuses it.
    edited = fleet["root"] / "edited"
    git(fleet["root"], "clone", "-q", str(fleet["remote"]["failing"]), str(edited))
    answers = edited / ".copier-answers.yml"
    answers.write_text(answers.read_text().replace("_commit: v0.1.0", "_commit: v0.3.0"))
    commit_all(edited, "Bump the version by hand")
    lone = fleet["root"] / "edited.yml"
    lone.write_text(f"projects:\n  - {{name: edited, repo: {edited}}}\n")
    env = {**fleet["env"], "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, "-m", "fleet", "update", "--fleet", lone]
    result = run(
        [*cmd, "--reports", fleet["root"] / "edited-reports"], fleet["root"], env, check=False
    )
    row = json.loads((fleet["root"] / "edited-reports/report.json").read_text())["projects"][0]
    assert result.returncode == 1 and row["status"] == "refused", row
    assert "put `_commit: v0.1.0` back" in row["reason"]

    workdir = fleet["root"] / "work"
    with (workdir / ".lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        busy = make(fleet, "fleet-status")
    assert busy.returncode == 2 and "another fleet command is using" in busy.stderr
