"""`make fleet-update`: one project's update, on its own branch, in the fleet's work clone.

For each project: fetch it into the work folder, build `quickscale/update-<version>` from
its branch with the project's own `make update` (its exit codes, and a scan for conflict
markers: Copier exits 0 with conflicts left), commit, run the project's checks, record
their outcome in the commit's trailers, and push that branch alone when asked. The
project's own checkout and its main branch are never touched.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from fleet import gitops
from fleet.config import Fleet, Project
from fleet.status import UPDATE_BRANCH, TemplateReleases

UPDATED, UP_TO_DATE, CONFLICTS = "updated", "up-to-date", "conflicts"
TESTS_FAILED, REFUSED, ERROR = "tests-failed", "refused", "error"
DONE = {UPDATED, UP_TO_DATE}
# quickscale_core.update's exit codes (its module docstring).
EXIT_REFUSED, EXIT_CONFLICTS = 2, 3
CHANGELOG = "quickscale_core/CHANGELOG.md"
LOCK_FILES = ("uv.lock", "package-lock.json")
TRAILER_UPDATE, TRAILER_CHECKS = "QuickScale-Update", "QuickScale-Checks"
# Failing tests that failed on the branch's base too: not the update's doing.
TRAILER_BEFORE = "QuickScale-Failing-Before"
# The tree the fleet committed: a commit whose tree differs was changed by a person.
TRAILER_TREE = "QuickScale-Tree"
# A failing check's name in the report and trailer, cut to one short line.
NAME_LIMIT = 200
CHECK_TIMEOUT = 3600
# Failing tests named in the commit trailer; the report lists them all.
MAX_NAMED = 20
MARKER = re.compile(rb"^(<{7}|>{7}) ", re.MULTILINE)
PYTEST_FAILURE = re.compile(r"^(?:FAILED|ERROR) (\S+)", re.MULTILINE)
REFUSAL = "make update refused: "
FALLBACK_IDENTITY = ("QuickScale fleet", "fleet@quickscale.invalid")


@dataclass
class Options:
    version: str | None = None
    push: bool = False


@dataclass
class Result:
    name: str
    ring: str
    repo: str
    status: str = ERROR
    from_version: str | None = None
    to_version: str | None = None
    branch: str | None = None
    commit: str | None = None
    pushed: bool = False
    # conflicts: files to resolve; tests-failed: failing tests or checks.
    files: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    # Of the failures, those that failed before the update too (on the branch's base).
    preexisting: list[str] = field(default_factory=list)
    reason: str | None = None
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    log: str | None = None


class Stop(Exception):
    """Ends one project's run with a status and a reason."""

    def __init__(self, status: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def find_uv() -> str:
    """uv from UV or PATH, else the template repository's own (`make venv` installs it).
    The projects' Makefiles read UV too, so their `make test` uses the same one."""
    found = os.environ.get("UV") or shutil.which("uv")
    if not found:
        bundled = Path(sys.executable).with_name("uv")
        if not bundled.exists():
            raise Stop(
                ERROR,
                "uv is not installed: the projects' commands need it. Run `make venv` in the "
                "template repository (it installs uv into .venv/bin) or `pip install uv`.",
            )
        found = str(bundled)
    return found


def command_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    return {**env, **gitops.ENV, "UV": find_uv()}


# Process groups of the commands running now: a timeout or Ctrl-C stops each whole tree
# (make -> pytest -> ...), not just the shell.
_running: set[int] = set()
_running_lock = threading.Lock()
_stopping = threading.Event()


def run(command: list[str] | str, folder: Path, timeout: int = CHECK_TIMEOUT):
    if _stopping.is_set():
        raise Stop(ERROR, "interrupted before it finished")
    process = subprocess.Popen(  # noqa: S603
        command,
        cwd=folder,
        shell=isinstance(command, str),  # noqa: S602 - checks come from the agency's fleet file
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=command_env(),
        start_new_session=True,
    )
    with _running_lock:
        _running.add(process.pid)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop_group(process.pid)
        process.communicate()
        raise
    finally:
        with _running_lock:
            _running.discard(process.pid)
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def stop_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass


def stop_running() -> int:
    """SIGTERM every running command's process group (make update restores its clone)."""
    _stopping.set()
    with _running_lock:
        pids = list(_running)
    for pid in pids:
        stop_group(pid)
    return len(pids)


def fleet_commits(folder: Path, main: str, tip: str) -> list[tuple[str, str]]:
    """(sha, version) of each commit on the branch after main, newest first; version ''
    when a person made it."""
    fmt = (
        f"%H%x1f%T%x1f%(trailers:key={TRAILER_UPDATE},valueonly,separator=%x2c)"
        f"%x1f%(trailers:key={TRAILER_TREE},valueonly,separator=%x2c)%x1e"
    )
    out = gitops.git("log", f"--format={fmt}", f"{main}..{tip}", cwd=folder)
    commits = []
    for record in out.split("\x1e"):
        # Not str.strip(): Python counts the \x1f separator as whitespace.
        if record.strip("\n "):
            sha, tree, version, recorded = (
                part.strip() for part in record.strip("\n ").split("\x1f")
            )
            # An amended or rebased fleet commit keeps its trailers but not its tree: it
            # is a person's commit now, never to be rebuilt over.
            commits.append((sha, version if recorded == tree else ""))
    return commits


def trailer(folder: Path, commit: str, key: str) -> str:
    fmt = f"--format=%(trailers:key={key},valueonly)"
    return gitops.git("log", "-1", fmt, commit, cwd=folder).strip()


def one_line(text: str) -> str:
    """Trailers and table cells hold one line; names and outputs may hold many."""
    flat = " ".join(text.split()).replace(";", ",")
    return flat if len(flat) <= NAME_LIMIT else flat[: NAME_LIMIT - 1] + "…"


def join_names(names: list[str]) -> str:
    shown = "; ".join(names[:MAX_NAMED])
    return shown + (f"; and {len(names) - MAX_NAMED} more" if len(names) > MAX_NAMED else "")


def split_names(text: str) -> list[str]:
    names = [name.strip() for name in text.split("; ") if name.strip()]
    return [name for name in names if not re.fullmatch(r"and \d+ more", name)]


def tail(text: str, lines: int = 6) -> str:
    return "\n".join(line for line in text.strip().splitlines()[-lines:])


class ProjectUpdate:
    def __init__(
        self, fleet: Fleet, project: Project, options: Options, releases: TemplateReleases, say
    ) -> None:
        self.project = project
        self.options = options
        self.releases = releases
        self.folder = fleet.workdir / project.name
        # Every command's full output, for the report's readers (tests-failed, error).
        self.log = fleet.reports / "logs" / f"{project.name}.log"
        self.say = lambda message: say(project.name, message)
        self.result = Result(project.name, project.ring, project.repo)
        self.logged = False
        self.reused = False

    def __call__(self) -> Result:
        started = time.monotonic()
        try:
            self.run()
        except Stop as stop:
            self.result.status, self.result.reason = stop.status, stop.reason
        except gitops.GitError as exc:
            self.result.status, self.result.reason = ERROR, str(exc)
        except subprocess.TimeoutExpired as exc:
            self.result.status, self.result.reason = ERROR, f"timed out: {exc.cmd}"
        except Exception as exc:  # noqa: BLE001 - one project's surprise never stops the fleet
            self.result.status, self.result.reason = ERROR, f"{type(exc).__name__}: {exc}"
        self.result.seconds = round(time.monotonic() - started, 1)
        # A reused branch ran nothing: the log of the run that checked it still applies.
        self.result.log = (
            str(self.log) if self.logged or (self.reused and self.log.exists()) else None
        )
        return self.result

    # -- steps ---------------------------------------------------------------------------

    def run(self) -> None:
        project, result = self.project, self.result
        self.say("fetching")
        try:
            gitops.sync_clone(project.repo, self.folder)
        except gitops.GitError as exc:
            raise Stop(ERROR, f"cannot fetch {project.repo}: {exc}") from exc
        main = gitops.rev(self.folder, f"origin/{project.branch}")
        if not main:
            raise Stop(ERROR, f"{project.repo} has no branch {project.branch!r}")
        try:
            answers = gitops.read_answers(self.folder, main)
        except gitops.GitError as exc:
            raise Stop(REFUSED, f"{project.branch}: {exc}") from exc
        result.from_version = str(answers.get("_commit") or "") or None
        self.refuse_edited_commit(main, result.from_version)
        target = self.target(answers)
        result.to_version = target
        behind = gitops.is_behind(result.from_version or "", target)
        if behind is False:
            result.status = UP_TO_DATE
            if result.from_version != target:
                result.notes.append(f"already at {result.from_version}, newer than {target}")
            self.say(f"up to date at {result.from_version}")
            return
        self.refuse_dirty_checkout()
        branch = UPDATE_BRANCH.format(version=target)
        result.branch = branch
        existing = self.existing_branch(branch)
        if existing and self.reuse(existing, main, target):
            return
        self.build(main, target, branch, existing)

    def refuse_edited_commit(self, main: str, version: str | None) -> None:
        """`_commit` edited by hand (the files are older): make update refuses it too, and
        the fleet would otherwise call the project up to date."""
        try:
            applied = gitops.read_answers(self.folder, main, gitops.APPLIED_FILE)
        except gitops.GitError:
            return  # projects from before applied_answers.yml existed
        recorded = str(applied.get("_commit") or "")
        if recorded and recorded != version:
            raise Stop(
                REFUSED,
                f"`_commit` in .copier-answers.yml on {self.project.branch} says {version}, but "
                f"the files come from {recorded} ({gitops.APPLIED_FILE}): put `_commit: "
                f"{recorded}` back and commit; the fleet then updates it.",
            )

    def refuse_dirty_checkout(self) -> None:
        """A local checkout with uncommitted work: the update branch would be built without
        it, so stop (make update refuses the same in the checkout itself)."""
        path = self.project.local_path
        dirty = gitops.dirty_files(path) if path is not None else None
        if dirty:
            more = ", …" if len(dirty) > 5 else ""
            raise Stop(
                REFUSED,
                f"the checkout {path} has uncommitted changes ({', '.join(dirty[:5])}{more}): "
                "commit or stash them there, then run fleet-update again (an update branch "
                "made now would not contain them).",
            )

    def target(self, answers: dict) -> str:
        """The release to update to: VERSION (a tag of the project's template) or the
        newest release."""
        src = str(answers.get("_src_path") or "")
        why = gitops.unusable_src_path(src)
        if why:
            raise Stop(REFUSED, why)
        if self.options.version:
            if not self.releases.has(src, self.options.version):
                newest = (self.releases.tags(src) or ["none"])[-1]
                raise Stop(
                    REFUSED,
                    f"VERSION={self.options.version} is not a tag of the template {src} "
                    f"(its newest release: {newest}).",
                )
            return self.options.version
        tags = self.releases.tags(src)
        if not tags:
            raise Stop(ERROR, f"the template {src} has no release tags; pass VERSION=…")
        return tags[-1]

    def existing_branch(self, branch: str) -> str | None:
        """The update branch to continue from: the remote's, unless the work clone's own
        (made by a run without PUSH=1) already contains it."""
        remote = gitops.rev(self.folder, f"refs/remotes/origin/{branch}")
        local = gitops.rev(self.folder, f"refs/heads/{branch}")
        self.remote_tip = remote
        if remote and not (local and gitops.is_ancestor(self.folder, remote, local)):
            return remote
        return local

    def reuse(self, tip: str, main: str, target: str) -> bool:
        """True when the existing branch already holds this update on the current main
        (then it is reported, checked again if people committed on it, and pushed)."""
        commits = fleet_commits(self.folder, main, tip)
        ours = [sha for sha, version in commits if version == target]
        theirs = [sha for sha, version in commits if not version]
        branch, base = self.result.branch, self.project.branch
        on_main = gitops.is_ancestor(self.folder, main, tip)
        if not commits:
            return False  # nothing on it that main lacks: building it again loses nothing
        if not ours:
            # A person made it: the usual case is a conflict finished by hand, as the report
            # asks. It counts when it holds the update.
            version = str(gitops.read_answers(self.folder, tip).get("_commit") or "")
            if version != target:
                raise Stop(
                    REFUSED,
                    f"a branch {branch} exists with commits of yours but without the update to "
                    f"{target} (its .copier-answers.yml says {version or 'nothing'}): finish "
                    f'it there (make update ARGS="--vcs-ref {target}") or rename it.',
                )
        if not on_main:
            if theirs:
                raise Stop(
                    REFUSED,
                    f"{base} moved since {branch} was made and the branch has {len(theirs)} "
                    f"commit(s) of yours: merge {base} into it (`git switch {branch} && git "
                    f"merge {base}`) and push it; the fleet never rewrites your commits.",
                )
            self.say(f"{base} moved: building {branch} again")
            return False
        self.result.commit = tip
        gitops.git("branch", "-f", branch, tip, cwd=self.folder)
        if theirs:
            # People committed on the branch (a resolved conflict, fixed tests): check it.
            self.result.notes.append(
                f"{len(theirs)} commit(s) of yours on the branch, checked again"
                if ours
                else "updated by hand on the branch, checked"
            )
            self.checkout(tip)
            self.record_checks(self.checks(), main)
        else:
            self.result.notes.append("branch already holds this update; no new commit")
            self.reused = True
            failed = trailer(self.folder, ours[0], TRAILER_CHECKS)
            before = trailer(self.folder, ours[0], TRAILER_BEFORE)
            self.result.failures = split_names(failed.removeprefix("failed:"))
            self.result.preexisting = split_names(before)
            self.result.status = TESTS_FAILED if failed.startswith("failed") else UPDATED
        self.push(branch)
        return True

    def record_checks(self, failures: list[str], main: str) -> None:
        """The status from the checks; failing tests that failed on main before the update
        are told apart (the update did not break those)."""
        self.result.failures = failures
        self.result.status = TESTS_FAILED if failures else UPDATED
        if failures:
            here = gitops.rev(self.folder, "HEAD")
            self.say("checks failed: running them on the branch's base to compare")
            self.checkout(main)
            before = set(self.checks())
            self.result.preexisting = [name for name in failures if name in before]
            self.checkout(here)

    def command(self, command: list[str] | str):
        outcome = run(command, self.folder)
        shown = command if isinstance(command, str) else " ".join(command)
        if not self.logged:  # the first command of this run starts the log afresh
            self.log.parent.mkdir(parents=True, exist_ok=True)
            self.log.write_text(f"# {self.project.name}: {self.project.repo}\n", encoding="utf-8")
            self.logged = True
        with self.log.open("a", encoding="utf-8") as log:
            log.write(f"\n$ {shown}\n{outcome.stdout}{outcome.stderr}[exit {outcome.returncode}]\n")
        return outcome

    def checkout(self, commit: str) -> None:
        gitops.git("checkout", "-q", "-f", "--detach", commit, cwd=self.folder)
        # Leftovers of an earlier run go; ignored files (the project's .venv) stay.
        gitops.git("clean", "-fdq", cwd=self.folder)

    def build(self, main: str, target: str, branch: str, previous: str | None) -> None:
        result = self.result
        self.checkout(main)
        self.say(f"make update {result.from_version} -> {target}")
        uv = command_env()["UV"]
        update = self.command(
            [uv, "run", "python", "-m", "quickscale_core.update", "--vcs-ref", target]
        )
        output = update.stdout + update.stderr
        if update.returncode == EXIT_REFUSED:
            refusals = [line for line in output.splitlines() if line.startswith(REFUSAL)]
            refusal = refusals[0].removeprefix(REFUSAL) if refusals else tail(output)
            self.checkout(main)
            raise Stop(REFUSED, refusal)
        if update.returncode not in (0, EXIT_CONFLICTS):
            self.checkout(main)
            raise Stop(ERROR, f"make update exited {update.returncode}: {tail(output)}")
        markers, kept = self.conflicted_files(), self.kept_files(output)
        if markers or kept or update.returncode == EXIT_CONFLICTS:
            result.files = markers or kept
            self.checkout(main)
            base = self.project.branch
            if kept and not markers:
                raise Stop(
                    CONFLICTS,
                    "the release deletes files this project changed, so make update kept "
                    f'them: in your checkout run `make update ARGS="--vcs-ref {target}"` on '
                    f"a branch {branch}, decide for each listed file whether to delete it (the "
                    "CHANGELOG says why it went), commit and push the branch.",
                )
            raise Stop(
                CONFLICTS,
                f"In your checkout: `git fetch && git switch -c {branch} origin/{base} && make "
                f'update ARGS="--vcs-ref {target}"`, resolve the files, `make test`, commit, '
                f"`git push -u origin {branch}`. The next fleet-update checks that branch.",
            )
        if not gitops.git("status", "--porcelain", cwd=self.folder).strip():
            raise Stop(
                ERROR, f"make update changed nothing, yet {result.from_version} is not {target}"
            )
        gitops.git("add", "-A", cwd=self.folder)
        self.commit(main, target, "pending")
        failures = self.checks()
        # `make test` refreshes lock files after a dependency change (uv sync, npm install):
        # they belong to the update, as they would in `git commit -a` after a manual one.
        relocked = [path for path in LOCK_FILES if self.changed(path)]
        if relocked:
            gitops.git("add", "--", *relocked, cwd=self.folder)
        self.amend(main, target, failures)
        gitops.git("clean", "-fdq", cwd=self.folder)
        self.record_checks(failures, main)
        if result.preexisting:
            self.amend(main, target, failures)
        result.commit = gitops.rev(self.folder, "HEAD")
        gitops.git("branch", "-f", branch, result.commit, cwd=self.folder)
        if previous:
            result.notes.append(f"rebuilt on the current {self.project.branch}")
        self.push(branch)

    def changed(self, path: str) -> bool:
        return bool(gitops.git("status", "--porcelain", "--", path, cwd=self.folder).strip())

    def amend(self, main: str, target: str, failures: list[str]) -> None:
        """The update commit's message: CHANGELOG excerpt and the checks' outcome."""
        outcome = "passed" if not failures else "failed: " + join_names(failures)
        before = join_names(self.result.preexisting) if self.result.preexisting else ""
        self.commit(main, target, outcome, before, amend=True)

    def conflicted_files(self) -> list[str]:
        """Files with conflict markers or .rej leftovers, found by reading them."""
        out = gitops.git("status", "--porcelain", "-z", "--untracked-files=all", cwd=self.folder)
        found = set()
        entries = iter(out.split("\0"))
        for entry in entries:
            if len(entry) < 4:
                continue
            path = entry[3:]
            if entry[0] in "RC":
                next(entries, None)  # a rename's source path follows its target
            full = self.folder / path
            if path.endswith(".rej"):
                found.add(path)
            elif full.is_file() and full.stat().st_size < 5_000_000:
                if MARKER.search(full.read_bytes()):
                    found.add(path)
        return sorted(found)

    @staticmethod
    def kept_files(output: str) -> list[str]:
        """Files the template removed but the project changed (make update keeps them and
        exits 3): a person decides."""
        lines = output.splitlines()
        heading = "The template removed these files"
        start = next((i for i, line in enumerate(lines) if line.startswith(heading)), None)
        if start is None:
            return []
        kept = []
        for line in lines[start + 2 :]:
            if not line.startswith("  "):
                break
            kept.append(line.strip())
        return kept

    def checks(self) -> list[str]:
        failures: list[str] = []
        for command in self.project.checks:
            self.say(command)
            outcome = self.command(command)
            if outcome.returncode == 0:
                continue
            output = outcome.stdout + outcome.stderr
            names = PYTEST_FAILURE.findall(output)
            failures += names or [f"{command} (exit {outcome.returncode}): {tail(output, 1)}"]
        return list(dict.fromkeys(one_line(name) for name in failures))

    def message(self, main: str, target: str, checks: str, before: str = "") -> str:
        added = [
            line[1:]
            for line in gitops.git("diff", main, "--", CHANGELOG, cwd=self.folder).splitlines()
            if line.startswith("+") and not line.startswith("+++")
        ]
        body = "\n".join(added).strip() or "(The template's CHANGELOG has no entry for it.)"
        return (
            f"Update QuickScale from {self.result.from_version} to {target}\n\n{body}\n\n"
            f"{TRAILER_UPDATE}: {target}\n{TRAILER_CHECKS}: {checks}\n"
            + (f"{TRAILER_BEFORE}: {before}\n" if before else "")
        )

    def commit(self, main: str, target: str, checks: str, before: str = "",
               amend: bool = False) -> None:  # fmt: skip
        """Commit what is staged, the message on stdin (failure output can be long)."""
        tree = gitops.git("write-tree", cwd=self.folder).strip()
        message = self.message(main, target, checks, before) + f"{TRAILER_TREE}: {tree}\n"
        name = gitops.git("config", "user.name", cwd=self.folder, check=False).strip()
        email = gitops.git("config", "user.email", cwd=self.folder, check=False).strip()
        identity = [] if name and email else [
            "-c", f"user.name={FALLBACK_IDENTITY[0]}", "-c", f"user.email={FALLBACK_IDENTITY[1]}",
        ]  # fmt: skip
        args = ["commit", "-q", "--no-verify", *(["--amend"] if amend else []), "-F", "-"]
        gitops.git(*identity, *args, cwd=self.folder, input=message)

    def push(self, branch: str) -> None:
        if not self.options.push:
            self.result.notes.append(f"not pushed (PUSH=1 pushes it); it is in {self.folder}")
            return
        local = gitops.rev(self.folder, f"refs/heads/{branch}")
        if local == self.remote_tip:
            self.result.notes.append("already pushed")
            self.result.pushed = True
            return
        self.say(f"pushing {branch}")
        lease = f"--force-with-lease=refs/heads/{branch}:{self.remote_tip or ''}"
        try:
            gitops.git(
                "push",
                "--quiet",
                "--no-verify",
                lease,
                "origin",
                f"refs/heads/{branch}:refs/heads/{branch}",
                cwd=self.folder,
            )
        except gitops.GitError as exc:
            raise Stop(ERROR, f"push of {branch} failed: {exc}") from exc
        self.result.pushed = True
