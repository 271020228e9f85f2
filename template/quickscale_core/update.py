"""`make update`: pull template changes and apply module changes from .copier-answers.yml.

Copier renders the "old" copy of a project from the answers file as committed, so
a hand-edited `modules` list is invisible to plain `copier update` (the new module
looks deleted by the user). This command restores the answers that are really
applied (the modules installed on disk) in a temporary commit, lets Copier update
to the answers you want, then removes that commit again: you get one reviewable
change in the working tree and no extra commits.

It refuses, changing nothing, when the tree is dirty, the answers file is invalid,
a module you remove still holds data only its pages manage (shared teams: its manifest's
`removal_check`, run in the database DATABASE_URL points at), or a module you remove has
files you modified (unless --force, which backs them up).

Exit codes, for scripts: 0 updated (or already up to date), 2 refused (nothing was
changed), 3 updated but conflicts are left to resolve. `make` itself turns any
failure into its own exit code 2, so scripts run `uv run python -m
quickscale_core.update` to tell the last two apart.

Runs without Django settings so it works even when settings are broken; only removing a
module that declares a `removal_check` starts Django (`manage.py check_module_removal`).
"""

from __future__ import annotations

import argparse
import filecmp
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import yaml

from quickscale_core.project import (
    ANSWERS_FILE,
    APPLIED_FILE,
    MODULES_PACKAGE,
    conflicted_files,
    modules_on_disk,
    project_root,
    read_answers,
    unapplied_answers,
)

CHANGELOG = "quickscale_core/CHANGELOG.md"
# The React frontend's dependencies: package.json is template-owned (merged by Copier), the
# lock file is the project's own (npm writes it; QuickScale's docs/frontends/react.md).
PACKAGE_JSON = "package.json"
PACKAGE_LOCK = "package-lock.json"
# Answers that name folders holding the user's code: changing them would delete it.
FOLDER_ANSWERS = {
    "project_slug": "app {project_slug}/",
    "theme": "theme quickscale_themes/{theme}/",
    "frontend": "frontend quickscale_themes/{theme}/frontend_{frontend}/",
}
IGNORED_PARTS = {"__pycache__"}
EXIT_REFUSED = 2
EXIT_CONFLICTS = 3
# Copier reports a refused answer as a traceback ending in this line.
VALIDATION_ERROR = re.compile(r"Validation error for question '(?P<question>\w+)': (?P<why>.*)")
INVALID_CHOICE = re.compile(r"Invalid choice for '(?P<question>\w+)': (?P<why>.*)")
# A module whose removal could strand data names a check in its manifest (module.yml);
# the core command runs it in the project's Django and exits 2 when something stops it.
REMOVAL_CHECK = "removal_check"
REMOVAL_COMMAND = "check_module_removal"
REMOVAL_BLOCKED = 2


class Refused(Exception):
    """A precondition failed; nothing was changed."""


def say(message: str) -> None:
    print(textwrap.fill(" ".join(message.split()), width=88), flush=True)


def git(*args: str, root: Path, check: bool = True) -> str:
    stop_if_interrupted()
    result = subprocess.run(  # noqa: S603
        ["git", *args],  # noqa: S607 - git from PATH, as the user runs it
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    stop_if_interrupted()
    if check and result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def load_answers(root: Path) -> dict:
    path = root / ANSWERS_FILE
    if not path.exists():
        raise Refused(
            f"{ANSWERS_FILE} is missing, so Copier cannot tell which template and version "
            f"this project came from. Restore it with `git checkout HEAD -- {ANSWERS_FILE}` "
            "and run `make update` again."
        )
    try:
        answers = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise Refused(
            f"{ANSWERS_FILE} is not valid YAML{where}. Fix the syntax (a list is written "
            "like `modules: [auth, payments, billing]`), commit, and run `make update` again. "
            "Nothing was changed."
        ) from exc
    if not isinstance(answers, dict):
        raise Refused(f"{ANSWERS_FILE} must be a YAML mapping of answers. Nothing was changed.")
    for key, meaning in (("_src_path", "where the template lives"), ("_commit", "its version")):
        if not answers.get(key):
            raise Refused(
                f"{ANSWERS_FILE} has no `{key}` ({meaning}); Copier needs it to update. "
                f"Restore it from git history (`git log -p -- {ANSWERS_FILE}`), commit, and "
                "run `make update` again. Nothing was changed."
            )
    modules = answers.get("modules") or []
    if not isinstance(modules, list) or not all(isinstance(m, str) for m in modules):
        raise Refused(
            f"`modules` in {ANSWERS_FILE} must be a list of module names, like "
            "`modules: [auth, payments, billing]`. Nothing was changed."
        )
    return answers


def ensure_clean_git_tree(root: Path) -> str:
    inside = git("rev-parse", "--is-inside-work-tree", root=root, check=False).strip()
    if inside != "true":  # the project may be a subfolder of a larger repository
        raise Refused(
            "This project is not a git repository. Updates are three-way merges and need "
            'history: run `git init -b main && git add -A && git commit -m "Start"` first.'
        )
    status = git("status", "--porcelain", root=root)
    if status.strip() == "?? uv.lock":
        raise Refused(
            "uv.lock is not committed yet: uv wrote it on the first `make run` and it pins "
            "every dependency (Docker builds install from it). Commit it first: "
            '`git add uv.lock && git commit -m "Lock dependencies"`, then run `make update` '
            "again. Nothing was changed."
        )
    if status.strip():
        files = ", ".join(line[3:] for line in status.splitlines()[:8])
        raise Refused(
            f"The working tree has uncommitted changes ({files}). Commit or stash them "
            "first (`git add -A && git commit` or `git stash`), so the update is one "
            "reviewable change you can also undo. Nothing was changed."
        )
    return git("rev-parse", "HEAD", root=root).strip()


def copier_data(answers: dict) -> dict:
    return {key: value for key, value in answers.items() if not key.startswith("_")}


def render_pristine(answers: dict, dst: Path) -> Path:
    """The project exactly as the template generates it for `answers` at their `_commit`."""
    import copier

    copier.run_copy(
        answers["_src_path"],
        dst,
        data=copier_data(answers),
        vcs_ref=answers["_commit"],
        defaults=True,
        quiet=True,
        unsafe=False,
    )
    return dst


class Pristine:
    """The project as generated from the applied answers, before your changes: rendered
    once, on first use, into `folder`, and shared by every check that compares with it."""

    def __init__(self, applied: dict, folder: Path) -> None:
        self.applied = applied
        self.folder = folder
        self._path: Path | None = None

    @property
    def path(self) -> Path:
        if self._path is None:
            self._path = render_pristine(self.applied, self.folder / "applied")
        return self._path


def files_in(folder: Path) -> set[str]:
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and not IGNORED_PARTS & set(p.parts) and ".git" not in p.parts
    }


def differs(path: Path, original: Path) -> bool:
    return not original.is_file() or not filecmp.cmp(path, original, shallow=False)


def refuse_removals_that_strand_data(root: Path, removed: list[str]) -> None:
    """Ask each removed module that declares a `removal_check` whether its data allows it.

    Teams and memberships live in the core, so removing the teams module deletes no row,
    but shared teams would be left with no pages to manage them. The check reads the
    database DATABASE_URL points at (SQLite in development); production is checked with
    the same command there. --force does not skip it: it is about files, and a backup
    of files cannot give those teams their pages back.
    """
    checked = []
    for name in removed:
        manifest = root / MODULES_PACKAGE / name / "module.yml"
        try:
            data = yaml.safe_load(manifest.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            data = {}
        if isinstance(data, dict) and data.get(REMOVAL_CHECK):
            checked.append(name)
    if not checked:
        return
    command = ["manage.py", REMOVAL_COMMAND, *checked]
    result = subprocess.run(  # noqa: S603
        [sys.executable, *command], cwd=root, capture_output=True, text=True, check=False
    )
    if result.returncode == 0:
        return
    if result.returncode == REMOVAL_BLOCKED:
        raise Refused(
            f"{result.stdout.strip()}\n`--force` does not skip this check (it only concerns "
            "files you changed). Nothing was changed."
        )
    lines = [line.strip() for line in (result.stderr + result.stdout).splitlines() if line]
    raise Refused(
        f"Removing {', '.join(checked)} needs a look at its data first, and `python "
        f"{' '.join(command)}` failed: {lines[-1] if lines else 'no message'} Fix that and "
        "run `make update` again (`--force` does not skip this check). Nothing was changed."
    )


def changed_files_an_answer_removes(
    root: Path, pristine: Pristine, desired: dict, removed: list[str], edited: list[str]
) -> list[str]:
    """Files the edited answers would delete that differ from what the template made.

    Copier deletes them even when you changed them: the files of a removed module, its
    files elsewhere (a theme's `api.py` for the api module), the Docker files when
    `use_docker` turns off. Both renders use the current version, so only the answers
    differ between them.
    """
    if not (removed or edited):
        return []
    candidates = {
        p.relative_to(root).as_posix()
        for name in removed
        for p in (root / MODULES_PACKAGE / name).rglob("*")
        if p.is_file() and not IGNORED_PARTS & set(p.parts)
    }
    before = pristine.path
    after_answers = {**pristine.applied, **{key: desired.get(key) for key in edited}}
    after_answers["modules"] = [m for m in pristine.applied["modules"] if m not in removed]
    try:
        after = files_in(render_pristine(after_answers, pristine.folder / "after"))
    except Exception:  # noqa: BLE001 - an answer the old version does not know
        after = files_in(before) - candidates
    candidates |= files_in(before) - after
    return sorted(
        rel for rel in candidates if (root / rel).is_file() and differs(root / rel, before / rel)
    )


def keep_changed_files_the_template_removed(
    root: Path, head: str, pristine: Pristine, handled: set[str]
) -> list[str]:
    """A release that deletes a file deletes it even where you changed it (Copier drops
    your changes with it). Put such files back as you had them, for you to decide."""
    deleted = [
        line[3:]
        for line in git("status", "--porcelain", "--untracked-files=no", root=root).splitlines()
        if "D" in line[:2] and line[3:] not in handled
    ]
    kept = []
    for rel in deleted:
        original = pristine.path / rel
        yours = git("rev-parse", f"{head}:{rel}", root=root).strip()
        # Blob ids compare bytes, so binary files (a replaced image) count too.
        if original.is_file() and git("hash-object", str(original), root=root).strip() == yours:
            continue  # untouched by you: the template's deletion stands
        git("checkout", head, "--", rel, root=root)
        kept.append(rel)
    return kept


def back_up(root: Path, saved: dict[str, bytes]) -> Path:
    backup = root / f"quickscale-backup-{time.strftime('%Y%m%d-%H%M%S')}"
    for rel, content in saved.items():
        target = backup / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return backup


def remove_leftovers(folder: Path) -> None:
    """Copier deletes a removed module's files; drop what Python left behind (bytecode)."""
    if not folder.is_dir():
        return
    leftovers = [p for p in folder.rglob("*") if p.is_file()]
    if all(IGNORED_PARTS & set(p.relative_to(folder).parts) for p in leftovers):
        shutil.rmtree(folder)


def run_copier_update(root: Path, desired: dict, vcs_ref: str | None) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as handle:
        yaml.safe_dump(copier_data(desired), handle, sort_keys=True)
        data_file = handle.name
    # Copier's own CLI, with work-savers for the pinned Copier version (same output; plain
    # Copier for any other version): quickscale_core/copier_speedups.py.
    cmd = [sys.executable, "-m", "quickscale_core.copier_speedups", "update", "--defaults"]
    cmd += ["--conflict", "inline"]
    cmd += ["--data-file", data_file]
    if vcs_ref:
        cmd += ["--vcs-ref", vcs_ref]
    process = subprocess.Popen(  # noqa: S603
        cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        stdout, stderr = process.communicate()
        stop_if_interrupted()
    except BaseException:
        # Interrupted: stop Copier before the caller restores the tree, or it would
        # go on writing into the project after we are gone.
        process.kill()
        process.wait()
        raise
    finally:
        Path(data_file).unlink(missing_ok=True)
    if process.returncode != 0:
        raise Refused(copier_failure(stderr + stdout, process.returncode))


def copier_failure(output: str, code: int) -> str:
    """One paragraph for a failed Copier run: the validator's own sentence when an
    answer was refused, else Copier's last line (its traceback helps nobody here)."""
    refused = VALIDATION_ERROR.search(output)
    if refused:
        return (
            f"the answer to `{refused['question']}` in {ANSWERS_FILE} is refused: "
            f"{refused['why'].strip()} Fix it in {ANSWERS_FILE}, commit, and run `make update` "
            "again. Your project is back exactly as it was."
        )
    unknown = INVALID_CHOICE.search(output)
    if unknown:
        return (
            f"`{unknown['question']}` in {ANSWERS_FILE} holds a value this template version "
            f"does not offer (an unknown module name or value: {unknown['why'].strip()}). "
            "Fix the spelling, commit, and run `make update` again. Your project is back "
            "exactly as it was."
        )
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    last = lines[-1] if lines else "no message"
    return (
        f"Copier stopped with exit code {code}: {last} Your project is back exactly as it "
        "was; `uv run copier update --defaults --data-file <answers>` shows the full output."
    )


def restore(root: Path, head: str) -> None:
    """Back to the commit we started from; the tree was clean, so nothing of yours is lost."""
    global _interrupted
    _interrupted = False  # Being handled: the steps below must run (a new signal stops them).
    git("update-ref", "HEAD", head, root=root)
    git("reset", "--hard", "-q", head, root=root)
    git("clean", "-fdq", root=root)


def summarize(
    root: Path, head: str, answers_before: dict, added: list[str], kept: list[str]
) -> int:
    """Print what changed; returns the exit code (EXIT_CONFLICTS when any are left)."""
    changed = git("status", "--porcelain", root=root).splitlines()
    conflicted = sorted(
        set(git("diff", "--name-only", "--diff-filter=U", root=root).split())
        | set(conflicted_files(root))
    )
    print()
    if kept:
        print("The template removed these files, but you had changed them, so they are kept")
        print("as you had them; delete each one you no longer need (the CHANGELOG says why):")
        for path in kept:
            print(f"  {path}")
        print()
    if not changed and not conflicted:
        print("Already up to date: the template added nothing to this project.")
        return EXIT_CONFLICTS if kept else 0
    print(f"Changed files ({len(changed)}), not committed; review with `git diff`:")
    for line in changed:
        print(f"  {line}")
    excerpt = [
        line[1:]
        for line in git("diff", head, "--", CHANGELOG, root=root).splitlines()
        if line.startswith("+") and not line.startswith("+++")
    ]
    if excerpt:
        print("\nWhat changed in the template (CHANGELOG):")
        for line in excerpt:
            print(f"  {line}")
    # New module folders are untracked: list their files too, or their migrations hide.
    every_path = [
        line[3:]
        for line in git("status", "--porcelain", "--untracked-files=all", root=root).splitlines()
    ]
    if added:
        print(
            f"\nAdded {', '.join(added)}: run `make migrate` to create "
            f"{'their' if len(added) > 1 else 'its'} tables (`make run` does it too)."
        )
    elif any(p.endswith("models.py") or "/migrations/" in p for p in every_path):
        print(
            "\nModels or migrations changed: run `make makemigrations` if your own models "
            "need it, then `make migrate`."
        )
    hint = lock_file_hint(every_path)
    if hint:
        print(f"\n{hint}")
    before = answers_before.get("_commit")
    after = load_answers(root).get("_commit") if (root / ANSWERS_FILE).exists() else None
    if conflicted:
        print(f"\n{len(conflicted)} file(s) have conflicts to resolve:")
        for path in conflicted:
            print(f"  {path}")
        print(
            "In each file keep what you want between the <<<<<<< and >>>>>>> markers and "
            "delete the markers (a .rej file holds a change to apply by hand; delete it "
            "after). Then `git add` them. Until then `manage.py check`, `make run` and "
            "`make test` fail (quickscale.E006). README.md, section Updating, shows an "
            "example."
        )
        print(f"\nTemplate version: {before} -> {after}. Resolve, run `make test`, then commit.")
        return EXIT_CONFLICTS
    print(f"\nTemplate version: {before} -> {after}. Run `make test`, then commit.")
    return EXIT_CONFLICTS if kept else 0


def lock_file_hint(changed: list[str]) -> str | None:
    """One line when the update changed package.json (React projects): the lock file is
    yours, so it is regenerated by npm, never merged."""
    if PACKAGE_JSON not in changed:
        return None
    return (
        f"{PACKAGE_JSON} changed: run `npm install` (`make run` does it) and commit "
        f"{PACKAGE_LOCK}; never merge the lock file by hand."
    )


def applied_answers(root: Path, desired: dict) -> dict:
    """The answers the project's files were really generated from.

    quickscale_core/applied_answers.yml is re-rendered by Copier on every copy and
    update, so hand edits of .copier-answers.yml never reach it; the modules are
    taken from disk, which is what an old copy must contain.
    """
    try:
        recorded = read_answers(root, APPLIED_FILE) or {}
    except (OSError, ValueError, yaml.YAMLError):
        recorded = {}
    applied = {**desired, **copier_data(recorded)}
    applied["modules"] = modules_on_disk(root)
    return applied


def restore_applied_record(root: Path) -> None:
    """Copier never re-creates a generated file the user deleted; this one must exist
    for plain `copier update` to check for hand edits, so write what Copier would."""
    record = root / APPLIED_FILE
    if record.exists() or not (root / ANSWERS_FILE).exists():
        return
    answers = "".join(
        line
        for line in (root / ANSWERS_FILE).read_text(encoding="utf-8").splitlines(keepends=True)
        if not line.startswith("#")
    )
    record.write_text(
        "# Written by Copier on every copy and update: the answers this project's files were\n"
        "# really generated from. `make update` and the system checks compare it with\n"
        "# .copier-answers.yml to find hand edits that are not applied yet. Never edit it.\n"
        + answers,
        encoding="utf-8",
    )


def refuse_edited_commit(root: Path, desired: dict) -> None:
    """`_commit` says which version the files came from: Copier replays that version to
    find your changes, so a hand-edited one makes every template change since look like
    yours (and every change of yours vanish)."""
    try:
        recorded = (read_answers(root, APPLIED_FILE) or {}).get("_commit")
    except (OSError, ValueError, yaml.YAMLError):
        return
    if recorded and desired.get("_commit") != recorded:
        raise Refused(
            f"`_commit` in {ANSWERS_FILE} was changed by hand ({recorded} -> "
            f"{desired.get('_commit')}), but the project's files come from {recorded}. Put "
            f"`_commit: {recorded}` back and commit; to update to a given version run "
            f'`make update ARGS="--vcs-ref <version>"`. Nothing was changed.'
        )


def apply_update(
    root: Path, head: str, applied: dict, desired: dict, hand_edited: bool, vcs_ref: str | None
) -> None:
    if hand_edited:
        # Copier renders the old copy from the committed answers: commit the applied ones.
        (root / ANSWERS_FILE).write_text(
            "# Temporary commit by `make update`; removed again below.\n"
            + yaml.safe_dump(applied, sort_keys=True),
            encoding="utf-8",
        )
        git("add", ANSWERS_FILE, root=root)
        git("commit", "-q", "--no-verify", "-m", "quickscale: applied answers (temp)", root=root)

    run_copier_update(root, desired, vcs_ref)
    if hand_edited:
        temp = git("rev-parse", "HEAD", root=root).strip()
        # Drop the temporary commit but keep Copier's result (and its conflict marks).
        git("update-ref", "HEAD", head, temp, root=root)
        git("reset", "-q", head, "--", ANSWERS_FILE, root=root)


def update(root: Path, force: bool = False, vcs_ref: str | None = None) -> int:
    head = ensure_clean_git_tree(root)
    desired = load_answers(root)
    refuse_edited_commit(root, desired)
    applied = applied_answers(root, desired)
    wanted = list(dict.fromkeys(desired.get("modules") or []))
    installed = applied["modules"]
    added = [m for m in wanted if m not in installed]
    removed = [m for m in installed if m not in wanted]
    edited = unapplied_answers(desired, applied)
    for key, folder in FOLDER_ANSWERS.items():
        if key == "frontend" and key in edited and applied.get(key) == "htmx":
            # Every frontend keeps the HTMX folder: nothing would be deleted, but the project's
            # settings, build files and pages are generated for one frontend.
            raise Refused(
                f"`frontend` changed in {ANSWERS_FILE} ('htmx' -> {desired.get(key)!r}). "
                "Switching frontends in an update is not supported: put the old value back "
                "(or generate a new project with that frontend and move your code over). "
                "Nothing was changed."
            )
        if key in edited:
            raise Refused(
                f"`{key}` changed in {ANSWERS_FILE} ({applied.get(key)!r} -> "
                f"{desired.get(key)!r}). An update would delete your "
                f"{folder.format(**applied)} folder with your code in it, so this is not "
                "supported: put the old value back. Nothing was changed."
            )

    # Before any render: cheap, and --force cannot override it.
    refuse_removals_that_strand_data(root, removed)

    # Both checks below compare with the same pristine render, made at most once.
    with tempfile.TemporaryDirectory(prefix="quickscale-pristine-") as folder:
        pristine = Pristine(applied, Path(folder))
        modified = changed_files_an_answer_removes(root, pristine, desired, removed, edited)
        if modified and not force:
            listing = "\n".join(f"  {path}" for path in modified)
            what = f"Changing {', '.join(edited)}"
            if removed:
                what = f"Removing {', '.join(removed)}"
            raise Refused(
                f"{what} would delete files you changed:\n{listing}\n"
                "Keep the answer as it was (put it back in .copier-answers.yml and commit: "
                "until then `manage.py` fails with quickscale.E003 or E005), or back the files "
                "up and run `make update ARGS=--force` (which also saves a copy of them in "
                "quickscale-backup-<time>/). Nothing was changed."
            )
        # Read now, written after Copier ran: it refuses to work on a tree with new files.
        saved = {rel: (root / rel).read_bytes() for rel in modified}

        hand_edited = bool(added or removed or edited)
        try:
            apply_update(root, head, applied, desired, hand_edited, vcs_ref)
        except BaseException:
            # Includes Ctrl-C and git errors: the tree was clean, so going back loses nothing.
            restore(root, head)
            raise
        for name in removed:
            remove_leftovers(root / MODULES_PACKAGE / name)
        restore_applied_record(root)
        kept = keep_changed_files_the_template_removed(root, head, pristine, set(modified))
        # Said once Copier accepted the answers: a refusal above prints its own paragraph only.
        if added or removed:
            added_text, removed_text = ", ".join(added) or "none", ", ".join(removed) or "none"
            say(f"Modules added: {added_text}; removed: {removed_text}.")
        if removed:
            say(
                "The database tables of removed modules are kept (README.md, section Updating, "
                "says how to drop them deliberately)."
            )
        if edited:
            say(f"Applied edited answers: {', '.join(edited)}.")
        if saved:
            backup = back_up(root, saved)
            say(f"--force: the files you changed are saved in {backup.name}/.")
        return summarize(root, head, desired, added, kept)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make update", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--force", action="store_true", help="remove modules even if you changed their files"
    )
    parser.add_argument("--vcs-ref", help="template version (git tag or commit) to update to")
    args = parser.parse_args(argv)
    # A closed terminal or a `kill` must clean up like Ctrl-C does (update() restores
    # the commit it started from), not leave a temporary commit behind.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupted)
    try:
        return update(project_root(), force=args.force, vcs_ref=args.vcs_ref)
    except Refused as refusal:
        print(f"make update refused: {refusal}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("make update interrupted: your project is back exactly as it was.", file=sys.stderr)
        return 130


# Set by a SIGTERM or SIGHUP. The KeyboardInterrupt the handler raises can land inside a
# finalizer (a finished git process's Popen.__del__), where Python prints "Exception
# ignored" and carries on: each git and Copier step checks this flag as well, so the update
# still stops and restores the project.
_interrupted = False


def interrupted(signum, frame) -> None:
    global _interrupted
    _interrupted = True
    raise KeyboardInterrupt


def stop_if_interrupted() -> None:
    if _interrupted:
        raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
