"""Command line: `python -m extract --from CLIENT --app APP --name NAME [--template .]`.

The Makefile's `extract` target calls it (FROM=, APP=, NAME=, DESCRIPTION=). Exit status:
0 when the branch `extract/<name>` holds the module, 1 when something failed half-way (the
branch and the temporary worktree are removed), 2 when a check refused (nothing written).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from extract import manifest, register, rewrite, validate
from extract.discover import App, base_setting_names, discover
from extract.errors import Refused
from extract.workspace import Worktree, ensure_ready

EXIT_FAILED, EXIT_REFUSED = 1, 2
FIRST_PARTY = '["config", "quickscale_core", "quickscale_modules", "quickscale_themes"]'


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="extract", description=__doc__.split("\n")[0])
    parser.add_argument("--from", dest="source", required=True, type=Path,
                        help="the client project's folder (FROM=)")  # fmt: skip
    parser.add_argument("--app", required=True, help="the app's path in it, e.g. crm (APP=)")
    parser.add_argument("--name", required=True, help="the new module's name (NAME=)")
    parser.add_argument("--description", default="", help="one line for the choice (DESCRIPTION=)")
    parser.add_argument("--template", type=Path, default=Path.cwd(),
                        help="the template repository (default: here)")  # fmt: skip
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    template = args.template.resolve()
    branch = f"extract/{args.name}"
    try:
        validate.check_template(template)
        # First: a dirty template (say a half-edited copier.yml) is the reason to give.
        ensure_ready(template, branch)
        validate.check_name(template, args.name)
        app = discover(args.source.expanduser(), args.app, template)
        validate.check_label(template, app.label)
        validate.check_references(template, app.folder, app.label, app.third_party)
    except Refused as refusal:
        print(f"make extract refused: {refusal}", file=sys.stderr)
        return EXIT_REFUSED
    description = " ".join(args.description.split()) or (
        f"{app.verbose_name}: the {app.name} app of {app.client}"
    )
    try:
        with Worktree(template, branch) as work:
            done = build(work.folder, app, args.name, description)
            commit = work.commit(
                f"Extract {app.client}'s {app.name} app into modules/{args.name} (make extract)"
                f"\n\nThe app label `{app.label}` is kept: the client's tables and migration "
                "history stay valid when it adopts the module."
            )
    except Refused as refusal:
        print(f"make extract refused, nothing was kept: {refusal}", file=sys.stderr)
        return EXIT_REFUSED
    except Exception as exc:  # rolled back by Worktree, then reported
        print(f"make extract failed, nothing was kept: {exc}", file=sys.stderr)
        return EXIT_FAILED
    report(app, args.name, branch, commit, done)
    return 0


def build(folder: Path, app: App, name: str, description: str) -> list[str]:
    """Write the module and register it in the template checked out in `folder`; returns
    notes for the report."""
    module = folder / "modules" / name
    files = rewrite.copy_app(app, module, f"quickscale_modules.{name}")
    data = manifest.build(app, name, description)
    manifest.write(module, app, data, base_setting_names(folder))
    tidy(module)
    settings = module / "settings.py"
    settings_text = settings.read_text() if settings.is_file() else None
    register.add_choice(folder, name, data["label"], description)
    docs = folder / "docs" / "modules" / f"{name}.md"
    docs.parent.mkdir(parents=True, exist_ok=True)
    docs.write_text(register.docs_page(app, name, data, settings_text), encoding="utf-8")
    notes = [f"modules/{name}/: {len(files)} files from {app.name}/ + module.yml"]
    notes.append(f"copier.yml: the choice `{name}`; docs/modules/{name}.md")
    if register.add_nav(folder, data["label"], name):
        notes.append("mkdocs.yml: the page in the nav")
    else:
        app.warnings.append("mkdocs.yml has no modules/ pages in its nav: add the page by hand.")
    if register.add_changelog(folder, register.changelog_entry(app, name, description)):
        notes.append("CHANGELOG.md: an entry under Unreleased")
    else:
        app.warnings.append("CHANGELOG.md has no '## Unreleased' section: add an entry by hand.")
    if register.record_shipped(folder):
        notes.append("tests/shipped.yml: rewritten by tests/shipped.py (make shipped)")
    return notes


def tidy(module: Path) -> None:
    """Import blocks sorted again with the generated project's ruff rules (the new import
    path sorts elsewhere than the old one) and the code formatted; nothing else."""
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists() and not shutil.which(ruff):
        return
    options = ["--isolated", "--line-length", "100", "--target-version", "py311"]
    code = [str(p) for p in module.rglob("*.py") if "migrations" not in p.parts]
    run = [ruff, "check", *options, "--select", "I", "--fix", "--exit-zero", "--quiet"]
    first_party = f"lint.isort.known-first-party = {FIRST_PARTY}"
    subprocess.run([*run, "--config", first_party, *code], check=False, capture_output=True)  # noqa: S603
    # Formatting never changes behaviour; startapp's files (single quotes) fail the
    # projects' `ruff format --check` otherwise.
    subprocess.run(  # noqa: S603
        [ruff, "format", *options, "--quiet", *code], check=False, capture_output=True
    )


def report(app: App, name: str, branch: str, commit: str, notes: list[str]) -> None:
    print(f"Extracted {app.client}'s {app.name} app into modules/{name}: branch {branch} "
          f"(commit {commit}).")  # fmt: skip
    tables = ", ".join(table for _, table in app.models) or "no models"
    print(f"  app label kept: {app.label} (tables: {tables})")
    for mount in app.urls:
        print(f"  urls: /{mount.prefix} (from {mount.where})")
    if app.settings:
        print(f"  settings from custom.py: {', '.join(s.name for s in app.settings)}")
    if app.requires:
        print(f"  requires: {', '.join(app.requires)}")
    for note in notes:
        print(f"  {note}")
    if app.third_party:
        app.warnings.append(
            f"The app imports {', '.join(app.third_party)}: add their pinned requirements to "
            f"`dependencies` in modules/{name}/module.yml."
        )
    if app.warnings:
        print("\nCheck these:")
        for warning in app.warnings:
            print(f"  - {warning}")
    print(
        f"\nNext, here: review `git diff HEAD...{branch}`, then `git switch {branch}`, complete "
        f"docs/modules/{name}.md and run `make test-render` there (it lints the module with the "
        "projects' ruff rules: fix what it reports in the app's own code), then merge the "
        "branch and release a version (docs/releasing.md)."
    )
    print(
        f"Then in {app.client}: add `{name}` to `modules` in .copier-answers.yml, delete "
        f"{app.folder.relative_to(app.project)}/ and the lines below before running manage.py "
        "again (two apps may not share a label), commit, `make update`, `make migrate` "
        "(nothing to apply: the history is the app's)."
    )
    for ref in app.references:
        print(f"  {ref}")


if __name__ == "__main__":
    sys.exit(main())
