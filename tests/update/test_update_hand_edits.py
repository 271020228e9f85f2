"""Update tier: every hand edit of .copier-answers.yml, on both update paths a user takes.

For each edit (add one module, add two where one requires the other, remove an
untouched module, remove a modified one, flip use_docker, flip ci) a seasoned client
project (user edits in every ownership zone, a conflict resolved in an earlier
update) is updated with `make update` and with plain `copier update --defaults`.
Either every user edit survives, byte for byte, or the update refuses and not one
byte of the project changed (docs/decisions.md, "Plain copier update after a hand
edit").
"""

from __future__ import annotations

import shutil
from pathlib import Path

import copier
import pytest
import yaml

from tests.support.helpers import clean_project_env, commit_all, git, run
from tests.support.update_support import (
    DASHBOARD,
    EXIT_CONFLICTS,
    EXIT_REFUSED,
    LOGO,
    assert_edits_kept,
    edit,
    generate,
    head_and_status,
    make_update,
    plain_copier_update,
    set_answers,
    snapshot,
    user_edits,
)

RESOLVED = "<h1>Welcome back to Acme, friend</h1>"
# Files the user owns outright: an update must leave them byte-identical.
OWNED = ["config/settings/custom.py", "crm/apps.py", "crm/tests.py", LOGO,
         "templates/404.html", "client_acme/views.py"]  # fmt: skip


def season(versions: Path, dst: Path, python: Path, modules: list[str]) -> tuple[Path, dict]:
    """A project from v0.1.0 with user edits everywhere, updated to v0.2.0 with one
    conflict (the dashboard heading) that the user resolved and committed."""
    project = generate(versions, dst, modules=modules)
    kept = user_edits(project)
    edit(project / DASHBOARD, "<h1>Welcome back</h1>", "<h1>Welcome back to Acme</h1>")
    commit_all(project, "Client work")
    result = make_update(project, python, "--vcs-ref", "v0.2.0", check=False)
    assert result.returncode == EXIT_CONFLICTS, result.stdout + result.stderr
    assert DASHBOARD in result.stdout
    assert_conflict_is_loud(project, python)
    dashboard = (project / DASHBOARD).read_text()
    start, end = dashboard.index("<<<<<<<"), dashboard.index(">>>>>>>")
    end = dashboard.index("\n", end) + 1
    (project / DASHBOARD).write_text(dashboard[:start] + f"        {RESOLVED}\n" + dashboard[end:])
    commit_all(project, "Update to v0.2.0, conflict resolved")
    return project, {**kept, DASHBOARD: RESOLVED}


def assert_conflict_is_loud(project: Path, python: Path) -> None:
    """Markers in a template (Django renders them without complaint) fail the checks
    and the test suite, naming the file."""
    env = clean_project_env()
    check = run([python, "manage.py", "check"], project, env, check=False)
    assert check.returncode != 0 and "quickscale.E006" in check.stderr
    assert DASHBOARD in check.stderr
    tests = run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "quickscale_core"],
                project, env, check=False)  # fmt: skip
    assert tests.returncode != 0
    assert "test_no_update_conflicts_are_left_in_this_project" in tests.stdout
    assert DASHBOARD in tests.stdout


@pytest.fixture(scope="module")
def seasoned(versions, project_python, tmp_path_factory):
    """Seasoned projects without modules and with greetings, built once, copied per test."""
    root = tmp_path_factory.mktemp("seasoned")
    return {
        name: season(versions, root / name / "client_acme", project_python, modules)
        for name, modules in (("plain", []), ("greetings", ["greetings"]))
    }


def copy_of(seasoned, name: str, tmp_path: Path) -> tuple[Path, dict]:
    source, kept = seasoned[name]
    project = tmp_path / "client_acme"
    shutil.copytree(source, project, symlinks=True)
    return project, dict(kept)


def hand_edit(project: Path, case: str) -> None:
    if case == "add-one":
        set_answers(project, modules=["greetings"])
    elif case == "add-two-with-requirement":
        set_answers(project, modules=["shout", "greetings"])
    elif case in ("remove-untouched", "remove-modified"):
        if case == "remove-modified":
            services = project / "quickscale_modules/greetings/services.py"
            services.write_text(services.read_text() + "\n# Acme tweak\n")
        set_answers(project, modules=[])
    elif case == "flip-docker":
        set_answers(project, use_docker=False)
    elif case == "flip-ci":
        set_answers(project, ci="none")
    commit_all(project, f"Hand edit: {case}")


CASES = {
    # case: (seasoned project, what `make update` must do)
    "add-one": ("plain", "updated"),
    "add-two-with-requirement": ("plain", "updated"),
    "remove-untouched": ("greetings", "updated"),
    "remove-modified": ("greetings", "refused"),
    "flip-docker": ("plain", "updated"),
    "flip-ci": ("plain", "updated"),
}


@pytest.mark.parametrize("case", CASES)
def test_plain_copier_update_after_a_hand_edit_refuses_and_changes_nothing(
    case, seasoned, tmp_path
):
    project, _ = copy_of(seasoned, CASES[case][0], tmp_path)
    hand_edit(project, case)
    before, files = head_and_status(project), snapshot(project)

    result = plain_copier_update(project)

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "edited by hand" in last_line and "Run `make update` instead" in last_line
    assert head_and_status(project) == before
    assert snapshot(project) == files, "a refusal changes nothing, byte for byte"


@pytest.mark.parametrize("case", CASES)
def test_make_update_applies_each_hand_edit_and_keeps_every_user_edit(
    case, seasoned, tmp_path, project_python
):
    project, kept = copy_of(seasoned, CASES[case][0], tmp_path)
    hand_edit(project, case)
    before, files = head_and_status(project), snapshot(project)

    result = make_update(project, project_python, check=False)

    if CASES[case][1] == "refused":
        assert result.returncode == EXIT_REFUSED
        assert "quickscale_modules/greetings/services.py" in result.stderr
        assert head_and_status(project) == before and snapshot(project) == files
        return
    assert result.returncode == 0, result.stdout + result.stderr
    assert_edits_kept(project, kept)
    for path in OWNED:
        assert (project / path).read_bytes() == (seasoned[CASES[case][0]][0] / path).read_bytes()
    assert "<<<<<<<" not in (project / DASHBOARD).read_text(), "resolved conflict not reverted"
    assert not list(project.rglob("*.rej"))
    base = (project / "config/settings/base.py").read_text()
    assert "# Release 0.3.0 was here." in base, "the template's new release arrived"
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "v0.3.0"
    modules = project / "quickscale_modules"
    if case.startswith("add"):
        assert (modules / "greetings/services.py").exists()
        assert "def farewell_for" in (modules / "greetings/services.py").read_text()
        assert '"quickscale_modules.greetings",' in base
        assert "run `make migrate`" in result.stdout
    if case == "add-two-with-requirement":
        assert (modules / "shout").is_dir() and '"quickscale_modules.shout",' in base
    if case == "remove-untouched":
        assert not (modules / "greetings").exists() and "greetings" not in base
    if case == "flip-docker":
        assert not (project / "Dockerfile").exists() and not (project / "compose.yaml").exists()
    if case == "flip-ci":
        assert not (project / ".github").exists()


def test_seasoned_project_with_a_new_module_passes_its_checks_and_tests(
    seasoned, tmp_path, project_python, project_env
):
    """The representative combination end to end: two modules added to a project with
    client edits everywhere; its checks and its whole suite (the client's crm tests
    included) pass."""
    project, _ = copy_of(seasoned, "plain", tmp_path)
    hand_edit(project, "add-two-with-requirement")
    make_update(project, project_python)

    run([project_python, "manage.py", "check", "--fail-level", "WARNING"], project, project_env)
    tests = run([project_python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA"],
                project, project_env)  # fmt: skip
    assert "PASSED crm/tests.py::test_crm_is_collected" in tests.stdout
    summary = tests.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "failed" not in summary and "error" not in summary


def test_plain_interactive_copier_update_refuses_before_the_first_question(seasoned, tmp_path):
    project, _ = copy_of(seasoned, "plain", tmp_path)
    hand_edit(project, "add-one")
    before, files = head_and_status(project), snapshot(project)

    with pytest.raises(ValueError, match="edited by hand") as refusal:
        copier.run_update(str(project), defaults=False, unsafe=False, overwrite=True, quiet=True)

    assert "project_name" in str(refusal.value), "refused at the first question"
    assert head_and_status(project) == before and snapshot(project) == files


def test_plain_copier_update_refuses_to_remove_a_module(seasoned, tmp_path):
    """Without a hand edit, answering fewer modules would delete their files, changed
    or not: Copier cannot tell. Plain update refuses; `make update` checks first."""
    project, _ = copy_of(seasoned, "greetings", tmp_path)
    before, files = head_and_status(project), snapshot(project)

    with pytest.raises(ValueError, match="Removing greetings deletes its files"):
        copier.run_update(str(project), data={"modules": []}, defaults=True, unsafe=False,
                          overwrite=True, quiet=True)  # fmt: skip

    assert head_and_status(project) == before and snapshot(project) == files


def test_plain_copier_update_without_hand_edits_still_adds_a_module_answered_there(
    seasoned, tmp_path
):
    """Answering a new module in the update itself (not by editing the file) is
    Copier's normal, safe path: the old copy is replayed from the true answers."""
    project, kept = copy_of(seasoned, "plain", tmp_path)

    copier.run_update(str(project), data={"modules": ["greetings"]}, defaults=True,
                      unsafe=False, overwrite=True, quiet=True)  # fmt: skip

    assert (project / "quickscale_modules/greetings/services.py").exists()
    assert_edits_kept(project, kept)
    assert "<<<<<<<" not in (project / DASHBOARD).read_text()


def test_update_across_two_releases_at_once(versions, tmp_path, project_python):
    project = generate(versions, tmp_path / "client_acme")
    kept = user_edits(project)
    commit_all(project, "Client work")

    result = make_update(project, project_python)

    assert_edits_kept(project, kept)
    base = (project / "config/settings/base.py").read_text()
    assert "SESSION_COOKIE_AGE" in base and "# Release 0.3.0 was here." in base
    assert "Farewells." in result.stdout and "Sessions last two weeks." in result.stdout
    assert "v0.1.0 -> v0.3.0" in result.stdout


@pytest.mark.parametrize("data", [["--data-file", ".copier-answers.yml"],
                                  ["-d", "project_slug=client_acme"]])  # fmt: skip
def test_plain_copier_update_refuses_a_hand_edit_even_with_the_answers_as_data(
    data, seasoned, tmp_path
):
    """Red team: passing the answers themselves must not switch the guard off."""
    project, _ = copy_of(seasoned, "plain", tmp_path)
    hand_edit(project, "add-one")
    before, files = head_and_status(project), snapshot(project)

    result = plain_copier_update(project, *data)

    assert result.returncode != 0
    assert "edited by hand" in result.stderr.strip().splitlines()[-1]
    assert head_and_status(project) == before and snapshot(project) == files


def test_a_deleted_applied_record_refuses_plain_update_and_make_update_restores_it(
    seasoned, tmp_path, project_python
):
    project, kept = copy_of(seasoned, "plain", tmp_path)
    git(project, "rm", "-q", "quickscale_core/applied_answers.yml")
    hand_edit(project, "add-one")
    before, files = head_and_status(project), snapshot(project)

    refused = plain_copier_update(project)

    assert "applied_answers.yml is missing" in refused.stderr.strip().splitlines()[-1]
    assert head_and_status(project) == before and snapshot(project) == files

    make_update(project, project_python)

    assert_edits_kept(project, kept)
    assert (project / "quickscale_modules/greetings/services.py").exists()
    record = yaml.safe_load((project / "quickscale_core/applied_answers.yml").read_text())
    assert record["modules"] == ["greetings"] and record["_commit"] == "v0.3.0"


def test_a_hand_edited_commit_is_refused_on_both_paths(seasoned, tmp_path, project_python):
    """Red team: `_commit: v0.3.0` typed by hand made the next update replay the wrong
    version and drop every user edit."""
    project, _ = copy_of(seasoned, "plain", tmp_path)
    set_answers(project, _commit="v0.3.0")
    commit_all(project, "Hand edit: _commit")
    before, files = head_and_status(project), snapshot(project)

    plain = plain_copier_update(project)
    refused = make_update(project, project_python, check=False)

    assert "`_commit`" in plain.stderr.strip().splitlines()[-1]
    assert refused.returncode == EXIT_REFUSED
    assert "`_commit` in .copier-answers.yml was changed by hand" in refused.stderr
    assert head_and_status(project) == before and snapshot(project) == files
