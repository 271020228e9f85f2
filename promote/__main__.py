"""Command line: `python -m promote --from CLIENT --rev REV [--template DIR] [--dry-run]`.

The Makefile's `promote` target calls it from the template repository. It never changes
the current branch's files: the template is read at HEAD, the fix is rendered and checked
in temporary folders, and the branch `promote/<client>-<short sha>` is made in a
temporary git worktree. Exit status: 0 everything promoted and the round trip exact,
1 some hunks or files refused or a check failed (the branch holds what applied, and the
report says what did not; a round trip that differs creates no branch), 2 usage error or
refusal (nothing created).
"""

from __future__ import annotations

import argparse
import difflib
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from promote import gitops, hunks, render
from promote.gitops import FileChange, GitError, lines
from promote.paths import TemplateMap, zone

EXIT_ATTENTION, EXIT_USAGE = 1, 2
TRAILER = "Promoted-from"
ENCODING = ("utf-8", "surrogateescape")
OUTSIDE = "the client's file also differs from the template outside this change"


@dataclass
class FilePlan:
    change: FileChange
    source: str | None = None  # template source path
    rendered: bool = False
    note: str | None = None  # why the file is left alone
    outcomes: list[hunks.Outcome] = field(default_factory=list)
    new_source: bytes | None = None  # the promoted source; None with deleted
    expected: bytes | None = None  # what the template must now render
    deleted: bool = False

    @property
    def applied(self) -> bool:
        if self.note:
            return False
        if self.deleted or self.change.status == "A" or self.change.binary:
            return True
        return any(o.reason is None for o in self.outcomes)


def text(data: bytes | None) -> str:
    return (data or b"").decode(*ENCODING)


def rendered_bytes(path: Path) -> bytes | None:
    """A rendered file's bytes; a symbolic link (never what the client's regular file is)
    as its target, so it differs, and a missing path or a folder as None."""
    if path.is_symlink():
        return b"symbolic link to " + os.readlink(path).encode(*ENCODING)
    return path.read_bytes() if path.is_file() else None


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="promote", description=__doc__.split("\n")[0])
    parser.add_argument("--from", dest="source", default="", help="client repository (FROM=)")
    parser.add_argument("--rev", default="", help="a commit or a range A..B (REV=)")
    parser.add_argument("--template", default=".", help="the template repository")
    parser.add_argument("--dry-run", default="", help="1 to show the mapped patch only")
    parser.add_argument("--tests", default="1", help="0 to skip the render tier")
    return parser.parse_args(argv)


def yes(value: str) -> bool:
    return value.strip().lower() in ("1", "yes", "true")


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if not args.source or not args.rev:
        print(
            "Give the client and the fix: make promote FROM=../acme REV=abc1234 "
            "(or REV=A..B; DRY_RUN=1 to preview). docs/agency.md",
            file=sys.stderr,
        )
        return EXIT_USAGE
    template = Path(args.template).resolve()
    try:
        if not (template / "copier.yml").is_file():
            raise GitError(f"{template} has no copier.yml: run make promote in the template.")
        dirty = gitops.is_dirty(template)
        if dirty:
            raise GitError(
                f"The template repository has uncommitted changes ({', '.join(dirty[:5])}): "
                "commit them or run `git stash`, then make promote again."
            )
        interrupt_on_signals()
        with tempfile.TemporaryDirectory(prefix="promote-") as tmp:
            return Promotion(template, args, Path(tmp)).run()
    except GitError as exc:
        print(f"promote: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("promote: interrupted; the temporary worktree was removed.", file=sys.stderr)
        return 130


def interrupt_on_signals() -> None:
    """SIGTERM and SIGHUP (a closed terminal, a killed CI job) end the run like Ctrl-C, so
    the `finally` that removes the temporary worktree runs: a worktree left registered
    keeps the branch checked out, and `git branch -D` then refuses."""

    def interrupt(signum, _frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), interrupt)


class Promotion:
    def __init__(self, template: Path, args: argparse.Namespace, tmp: Path) -> None:
        self.template, self.args, self.tmp = template, args, tmp
        self.dry_run = yes(args.dry_run)
        folder = Path(args.source).expanduser()
        if not folder.exists():
            folder = tmp / "client"
            print(f"Cloning {args.source} ...", flush=True)
            gitops.git("clone", "--quiet", "--no-checkout", "--", args.source, str(folder))
        self.client = gitops.resolve(folder.resolve(), args.source, args.rev)
        self.head = gitops.git("rev-parse", "HEAD", cwd=template).strip()
        self.branch = f"promote/{self.client.name}-{self.client.short}"

    def run(self) -> int:
        client = self.client
        if not self.dry_run:  # forget worktrees whose folder is gone (a killed run)
            gitops.git("worktree", "prune", cwd=self.template, check=False)
        stale = gitops.worktree_of(self.template, self.branch)
        if not self.dry_run and stale:
            raise GitError(
                f"The branch {self.branch} exists and is checked out in the worktree {stale} "
                "(left by an interrupted run): git worktree remove --force "
                f"{stale} && git branch -D {self.branch}, then run again."
            )
        if not self.dry_run and gitops.branch_exists(self.template, self.branch):
            raise GitError(
                f"The branch {self.branch} exists already: delete it "
                f"(git branch -D {self.branch}) or promote another revision."
            )
        if not self.dry_run and gitops.branch_exists(self.template, "promote"):
            raise GitError(
                "The template has a branch named 'promote', so git cannot create "
                f"{self.branch}: rename it (git branch -m promote <new name>) and run again."
            )
        commits = len(client.subjects)
        print(
            f"Promoting {client.name}@{client.short} ({commits} commit(s): "
            f"{'; '.join(client.subjects[:3])}) onto {self.head[:7]} of {self.template}",
            flush=True,
        )
        base = render.snapshot(self.template, self.head, self.tmp / "base")
        self.map = TemplateMap(base, client.answers)
        plans = [self.classify(change) for change in gitops.changes(client)]
        todo = [p for p in plans if not p.note]
        if not todo and any(p.note.startswith("refused:") for p in plans):
            self.report(plans)
            print("\nNo change could be applied: nothing was created.")
            return EXIT_ATTENTION
        if not todo:
            self.report(plans)
            print(
                "\nNothing to promote: the revision changes no template-owned or theme "
                "file. Nothing was created."
            )
            return EXIT_USAGE
        jinja = [p for p in todo if p.rendered and not p.deleted]
        files = self.marked_render(base, jinja) if jinja else {}
        for plan in todo:
            self.plan_file(base, plan, files.get(plan.change.path))
        applied = [p for p in plans if p.applied]
        refused = [(p, o) for p in plans for o in p.outcomes if o.reason]
        self.report(plans)
        if not applied:
            print("\nNo change could be applied: nothing was created.")
            return EXIT_ATTENTION
        differences = self.round_trip(base, applied)
        if self.dry_run:
            print("\nThe mapped patch (template sources; DRY_RUN=1: no branch created):")
            print(self.patch(base, applied))
            return EXIT_ATTENTION if refused or differences else 0
        if differences:
            print(
                f"\nThe round trip differs for {', '.join(differences)}: the promoted template "
                "would not give the client its own change, so no branch was created. "
                "Promote these files by hand (DRY_RUN=1 shows the mapped patch)."
            )
            return EXIT_ATTENTION
        ok_tests = self.commit(applied, refused)
        return EXIT_ATTENTION if refused or differences or not ok_tests else 0

    # -- classification and mapping ---------------------------------------------------

    def classify(self, change: FileChange) -> FilePlan:
        plan = FilePlan(change)
        path, slug = change.path, str(self.client.answers.get("project_slug", ""))
        source = self.map.files.get(path)
        plan.note = zone(path, slug, source is not None)
        if plan.note:
            return plan
        if change.not_a_file:
            plan.note = (
                f"refused: {change.not_a_file}: promote maps regular files only, and the "
                "template would get a regular file in its place; change the template by hand"
            )
            return plan
        suffix = self.map.suffix
        if change.status == "A" and (path.endswith(suffix) or "{{" in path or "{%" in path):
            plan.note = (
                f"refused: a new file whose name ends with {suffix} or holds {{{{ or "
                "{%: the template would treat it as a template (render it, or rename it); "
                "add it to the template by hand"
            )
            return plan
        if change.status == "A":
            if source is not None:
                plan.note = "the template already generates this path: promote by hand"
                return plan
            plan.source = self.map.source_for_new(path)
            return plan
        if source is None:
            plan.note = "not from the template (the client's own file in a template folder)"
            return plan
        plan.source, plan.rendered = source.path, source.rendered
        plan.deleted = change.status == "D"
        return plan

    def marked_render(self, base: Path, jinja: list[FilePlan]) -> dict:
        marked = render.copy_tree(base, self.tmp / "marked")
        for plan in jinja:
            path = marked / plan.source
            path.write_bytes(render.mark(text(path.read_bytes())).encode(*ENCODING))
        print(f"Rendering the template with {self.client.name}'s answers ...", flush=True)
        out = render.render(marked, self.tmp / "rendered-before", self.client.answers)
        files = {}
        for plan in jinja:
            rendered = out / plan.change.path
            if rendered.is_file():
                source = text((base / plan.source).read_bytes())
                files[plan.change.path] = render.map_lines(source, text(rendered.read_bytes()))
        return files

    def plan_file(self, base: Path, plan: FilePlan, mapped: render.RenderedFile | None) -> None:
        change, questions = plan.change, self.map.questions
        answers = self.client.answers
        if plan.deleted:
            return
        if change.status == "A":
            empty = render.RenderedFile([], [], [])
            reverser = hunks.Reverser(empty, answers, questions, jinja=False)
            try:
                for line in lines(text(change.new)):
                    reverser.source_line(line, [], hunks.Outcome(None))
            except hunks.Refused as exc:
                plan.note = f"refused: {exc}"
                return
            plan.new_source = plan.expected = change.new
            return
        current = (base / plan.source).read_bytes()
        if change.binary:
            if plan.rendered or current != change.old:
                plan.note = "a binary file the template has changed since: promote it by hand"
            plan.new_source = plan.expected = change.new
            return
        if plan.rendered and mapped is None:
            plan.note = "the template does not render this path for the client's answers"
            return
        if mapped is None:
            source_lines = lines(text(current))
            mapped = render.RenderedFile(source_lines, source_lines, list(range(len(source_lines))))
        reverser = hunks.Reverser(mapped, answers, questions, jinja=plan.rendered)
        edits, expected, delta, after = hunks.Edits(), list(mapped.rendered), 0, 0
        replaced = []
        for hunk in change.hunks:
            at = hunks.locate(hunk.old, mapped.rendered, hunk.old_start - 1 + delta, after)
            if at is None:
                plan.outcomes.append(
                    hunks.Outcome(
                        hunk,
                        reason=(
                            "these lines are not in the template's current rendering for this "
                            "client "
                            f"(the client is at {answers.get('_commit', '?')}, or edited them): "
                            "promote this part by hand"
                        ),
                    )
                )
                continue
            delta, after = at - (hunk.old_start - 1), at + len(hunk.old)
            try:
                outcome = hunks.plan(hunk, at, mapped, reverser, edits)
            except hunks.Refused as exc:
                outcome = hunks.Outcome(hunk, at, reason=str(exc))
            plan.outcomes.append(outcome)
            if outcome.reason is None:
                replaced.append((at, len(hunk.old), hunk.new))
        for at, size, new in reversed(replaced):
            expected[at : at + size] = new
        plan.new_source = edits.apply(mapped.source).encode(*ENCODING)
        plan.expected = "".join(expected).encode(*ENCODING)

    # -- checks, report and branch ----------------------------------------------------

    def write_sources(self, root: Path, applied: list[FilePlan]) -> None:
        for plan in applied:
            path = root / plan.source
            if plan.deleted:
                path.unlink()
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(plan.new_source)

    def round_trip(self, base: Path, applied: list[FilePlan]) -> list[str]:
        """Render the promoted template with the client's answers: byte-identical or listed."""
        new = render.copy_tree(base, self.tmp / "promoted")
        self.write_sources(new, applied)
        print(
            f"Round trip: rendering the promoted template with {self.client.name}'s answers ...",
            flush=True,
        )
        out = render.render(new, self.tmp / "rendered-after", self.client.answers)
        differences = []
        print("\nRound trip (promoted paths, rendered again with the client's answers):")
        for plan in applied:
            path = out / plan.change.path
            got = rendered_bytes(path)
            want = None if plan.deleted else plan.expected
            name = plan.change.path
            if got != want:
                differences.append(name)
                print(f"  differs    {name}: the template does not render the client's change")
                diff = difflib.unified_diff(
                    lines(text(want)),
                    lines(text(got)),
                    "expected (client's change)",
                    "rendered by the promoted template",
                    n=1,
                )
                print("".join("      " + line for line in diff).rstrip())
            elif plan.deleted:
                print(f"  identical  {name} (no longer rendered, as the client deleted it)")
            elif got == plan.change.new:
                print(f"  identical  {name} (byte for byte the client's file)")
            else:
                refused = any(o.reason for o in plan.outcomes)
                why = "hunks refused above" if refused else OUTSIDE
                print(f"  identical  {name} (the client's change, byte for byte; {why})")
        return differences

    def report(self, plans: list[FilePlan]) -> None:
        print()
        for plan in plans:
            name, target = plan.change.path, plan.source
            if plan.note:
                print(f"  ignored    {name}: {plan.note}")
                continue
            if plan.deleted or plan.change.status == "A" or plan.change.binary:
                kind = "deleted" if plan.deleted else "added" if plan.change.status == "A" else ""
                print(f"  promoted   {name} -> {target} {kind}".rstrip())
                continue
            done = [o for o in plan.outcomes if o.reason is None]
            total = len(plan.outcomes)
            if done:
                print(f"  promoted   {name} -> {target} ({len(done)} of {total} hunk(s))")
                for entry in sorted({r for o in done for r in o.reversed}):
                    print(f"               reversed {entry}")
            for number, outcome in enumerate(plan.outcomes, 1):
                if outcome.reason:
                    print(f"  refused    {name} hunk {number} of {total}: {outcome.reason}")
                    print(outcome.hunk.show())

    def patch(self, base: Path, applied: list[FilePlan]) -> str:
        out = []
        for plan in applied:
            added = plan.change.status == "A"
            before = "" if added else text((base / plan.source).read_bytes())
            after = "" if plan.deleted else text(plan.new_source)
            a = "/dev/null" if plan.change.status == "A" else f"a/{plan.source}"
            b = "/dev/null" if plan.deleted else f"b/{plan.source}"
            out += difflib.unified_diff(lines(before), lines(after), a, b)
        return "".join(out).rstrip()

    def commit(self, applied: list[FilePlan], refused: list) -> bool:
        client = self.client
        worktree = self.tmp / "worktree"
        gitops.git(
            "worktree",
            "add",
            "--quiet",
            "-b",
            self.branch,
            str(worktree),
            self.head,
            cwd=self.template,
        )
        try:
            self.write_sources(worktree, applied)
            gitops.git("add", "-A", "--", *[p.source for p in applied], cwd=worktree)
            subject = (
                client.subjects[0]
                if len(client.subjects) == 1
                else f"{len(client.subjects)} commits"
            )
            body = [f"Promote from {client.name}: {subject}", ""]
            body += [
                f"Promoted with make promote from {self.args.source} "
                f"{client.old[:7]}..{client.short}:"
            ]
            body += [f"- {s}" for s in client.subjects]
            if refused:
                body += ["", f"{len(refused)} hunk(s) were refused and are not in this commit."]
            body += ["", f"{TRAILER}: {client.name}@{client.new}"]
            gitops.git("commit", "--quiet", "-m", "\n".join(body), cwd=worktree)
            ok = self.render_tier(worktree)
        finally:
            gitops.git(
                "worktree", "remove", "--force", str(worktree), cwd=self.template, check=False
            )
        print(f"\nBranch {self.branch} created in {self.template} (not checked out).")
        print(f"  Review: git show {self.branch}")
        print("  Then merge it, release a version, and clients get it with make update.")
        return ok

    def render_tier(self, worktree: Path) -> bool:
        if not yes(self.args.tests):
            print("\nRender tier: skipped (TESTS=0).")
            return True
        venv = self.template / ".venv"
        if venv.exists():
            (worktree / ".venv").symlink_to(venv.resolve())
        print("\nRender tier of the promoted template (pytest -m render) ...", flush=True)
        started = time.monotonic()
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        cmd = [
            sys.executable,
            "-m",
            "pytest",
            "-m",
            "render",
            "-n",
            "auto",
            "-q",
            "-p",
            "no:cacheprovider",
        ]
        result = subprocess.run(
            cmd,
            cwd=worktree,
            env=env,
            capture_output=True,
            text=True,  # noqa: S603
            check=False,
            timeout=1800,
        )
        seconds = time.monotonic() - started
        summary = (result.stdout.strip().splitlines() or ["no output"])[-1]
        if result.returncode == 0:
            print(f"Render tier: passed ({summary}, {seconds:.0f} s).")
            return True
        print(f"Render tier: FAILED ({summary}); the branch is kept for you to fix:")
        print("\n".join("      " + line for line in result.stdout.splitlines()[-30:]))
        return False


if __name__ == "__main__":
    sys.exit(main())
