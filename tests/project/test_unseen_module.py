"""Project tier: the module contract (v2) holds for a module nobody has seen.

tests/fixtures/modules/notes is written against the extension points only (nav, account
sections, dashboard cards, API routes, named pages, a settings.py). Adding it to the template
takes its folder and one line in copier.yml, nothing else; projects with either theme, with
or without the auth and api modules, then pass Django's checks and the module's own tests.
docs/modules/writing-a-module.md walks through the same module.
"""

import re
import shutil

import pytest

from tests.render.test_contract import named_modules
from tests.support.helpers import FIXTURE_MODULES, git, render, run

NOTES = FIXTURE_MODULES / "notes"
CHOICE = "    Notes - private notes for signed-in users (test fixture): notes\n"


def add_choice(copier_yml: str, line: str) -> str:
    """copier.yml with `line` appended to the `modules` question's choices, as a person
    would add it: by editing the text, so every other byte stays as it was."""
    lines = copier_yml.splitlines(keepends=True)
    question = lines.index("modules:\n")
    choices = next(i for i in range(question, len(lines)) if lines[i] == "  choices:\n")
    last = choices
    while re.match(r"    \S", lines[last + 1]):
        last += 1
    return "".join(lines[: last + 1] + [line] + lines[last + 1 :])


@pytest.fixture(scope="module")
def template_with_notes(template_snapshot, tmp_path_factory):
    copy = tmp_path_factory.mktemp("unseen") / "quickscale"
    shutil.copytree(template_snapshot, copy, symlinks=True)
    # A throwaway repository, only to let `git diff` say what adding the module changed.
    git(copy, "init", "-q")
    git(copy, "add", "-A")
    git(copy, "commit", "-q", "--no-verify", "-m", "snapshot")

    shutil.copytree(NOTES, copy / "modules" / "notes", ignore=shutil.ignore_patterns("__pycache__"))
    config = copy / "copier.yml"
    config.write_text(add_choice(config.read_text(), CHOICE))

    git(copy, "add", "-A")
    numstat = git(copy, "diff", "--cached", "--numstat", "--no-renames")
    shutil.rmtree(copy / ".git")  # render() renders a repository's HEAD: render the files
    return copy, numstat


def test_the_module_names_no_other_module():
    # The render tier's contract grep (imports, template folders, URL namespaces, `'x' in`).
    assert named_modules(NOTES, allowed=set()) == []


def test_adding_the_module_takes_its_folder_and_one_choice_line(template_with_notes):
    _, numstat = template_with_notes
    changes = {path: (added, deleted) for added, deleted, path in
               (line.split("\t") for line in numstat.splitlines())}  # fmt: skip

    assert changes.pop("copier.yml") == ("1", "0")
    fixture_files = {
        f"modules/notes/{path.relative_to(NOTES).as_posix()}"
        for path in NOTES.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert set(changes) == fixture_files
    assert all(deleted == "0" for _, deleted in changes.values())


PROJECTS = {
    "starter+auth+api": {"theme": "starter", "modules": ["auth", "api", "notes"]},
    "todo+auth+api": {"theme": "todo", "modules": ["auth", "api", "notes"]},
    "starter+notes_alone": {"theme": "starter", "modules": ["notes"]},
}
# This one runs the project's whole suite (the api module's schema test sees the notes route).
WHOLE_SUITE = "todo+auth+api"
NOTES_TESTS = {
    f"{path.name}::{name}"
    for path in (NOTES / "tests").glob("test_*.py")
    for name in re.findall(r"^def (test_\w+)", path.read_text(), re.MULTILINE)
}
# The module's tests that need a page or a route only other modules provide, with the reason
# each skips for without them.
NEED_OTHER_MODULES = {
    "test_extension_points.py::test_account_settings_show_the_notes_section": (
        "no installed module serves an account settings page"
    ),
    "test_api.py::test_lists_only_the_requesting_users_notes": "no module mounts API routes",
    "test_api.py::test_needs_credentials": "no module mounts API routes",
}


@pytest.mark.parametrize("name", PROJECTS)
def test_project_with_the_module_checks_and_passes_its_tests(
    name, template_with_notes, tmp_path, project_python, project_env
):
    template, _ = template_with_notes
    answers = PROJECTS[name]
    project = render(template, tmp_path / "client_acme", **answers)

    assert "NOTES_MAX_LENGTH = env.int(" in (project / "config/settings/base.py").read_text()
    assert "NOTES_MAX_LENGTH=500" in (project / ".env.example").read_text()
    if name == WHOLE_SUITE:
        # The generated project's own ruff rules, on the module's code.
        run(["ruff", "check", "--no-cache", "quickscale_modules/notes"], project)
        run(["ruff", "format", "--check", "--no-cache", "quickscale_modules/notes"], project)
    manage = [project_python, "manage.py"]
    run([*manage, "check", "--fail-level", "WARNING"], project, project_env)
    run([*manage, "makemigrations", "--check", "--dry-run"], project, project_env)

    target = [] if name == WHOLE_SUITE else ["quickscale_modules/notes"]
    # -rps lists every passed and skipped test, so the module's tests are seen to have run.
    result = run([project_python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rps", *target],
                 project, project_env)  # fmt: skip

    # run() has already failed the test if any test of the project failed.
    prefix = "quickscale_modules/notes/tests/"
    passed = {line.split(prefix, 1)[1].strip() for line in result.stdout.splitlines()
              if line.startswith(f"PASSED {prefix}")}  # fmt: skip
    skipped = [line for line in result.stdout.splitlines()
               if line.startswith("SKIPPED") and prefix in line]  # fmt: skip
    if "auth" in answers["modules"]:
        assert passed == NOTES_TESTS and skipped == []
    else:
        assert passed == NOTES_TESTS - set(NEED_OTHER_MODULES)
        for reason in set(NEED_OTHER_MODULES.values()):
            assert any(reason in line for line in skipped), (reason, skipped)
