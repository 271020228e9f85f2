from pathlib import Path

import pytest
from django.core.management import call_command

from quickscale_core.checks import conflict_problems, module_problems
from quickscale_core.project import project_root


def make_project(root: Path, answers: str, modules_on_disk=()) -> Path:
    (root / ".copier-answers.yml").write_text(answers, encoding="utf-8")
    for name in modules_on_disk:
        folder = root / "quickscale_modules" / name
        folder.mkdir(parents=True)
        (folder / "module.yml").write_text(f"name: {name}\n", encoding="utf-8")
    return root


def ids(messages) -> list[str]:
    return [message.id for message in messages]


# Some modules' checks read the database (dj-stripe's webhook endpoints).
@pytest.mark.django_db
def test_generated_project_passes_its_own_checks():
    # Raises SystemCheckError if any check reports an error.
    call_command("check", fail_level="WARNING")


def test_matching_answers_and_modules_are_fine(tmp_path):
    root = make_project(tmp_path, "modules: [billing]\n", ["billing"])
    assert module_problems(root, ["billing"]) == []


def test_hand_added_module_names_the_command_to_run(tmp_path):
    root = make_project(tmp_path, "modules: [billing]\n")

    [error] = module_problems(root, [])

    assert error.id == "quickscale.E002"
    assert "'billing'" in error.msg
    assert "make update" in error.hint


def test_installed_module_missing_from_answers_is_an_error(tmp_path):
    root = make_project(tmp_path, "modules: []\n", ["billing"])
    assert ids(module_problems(root, ["billing"])) == ["quickscale.E003"]


def test_module_unwired_from_settings_is_an_error(tmp_path):
    root = make_project(tmp_path, "modules: [billing]\n", ["billing"])
    [error] = module_problems(root, [])
    assert error.id == "quickscale.E004"
    assert "INSTALLED_APPS" in error.msg


def test_missing_answers_file_is_a_warning(tmp_path):
    assert ids(module_problems(tmp_path, [])) == ["quickscale.W001"]


@pytest.mark.parametrize("content", ["modules: [billing\n", "- just a list\n"])
def test_unreadable_answers_file_is_an_error(tmp_path, content):
    root = make_project(tmp_path, content)
    assert ids(module_problems(root, [])) == ["quickscale.E001"]


def test_hand_edited_answer_is_an_error_until_applied(tmp_path):
    root = make_project(tmp_path, "modules: []\nuse_docker: false\nci: github\n")
    (root / "quickscale_core").mkdir()
    (root / "quickscale_core/applied_answers.yml").write_text(
        "modules: []\nuse_docker: true\nci: github\n_commit: v1\n", encoding="utf-8"
    )

    [error] = module_problems(root, [])

    assert error.id == "quickscale.E005"
    assert "`use_docker`" in error.msg and "False" in error.msg and "True" in error.msg
    assert "make update" in error.hint


def test_no_update_conflicts_are_left_in_this_project():
    """`make test` fails while an update's conflict markers or .rej files remain."""
    problems = conflict_problems(project_root())
    assert not problems, f"{problems[0].msg} {problems[0].hint}"


def git_project(root: Path) -> Path:
    import subprocess

    subprocess.run(["git", "init", "-q", str(root)], check=True)  # noqa: S603, S607
    return root


def test_conflict_markers_in_a_tracked_file_are_an_error(tmp_path):
    root = git_project(tmp_path)
    page = root / "quickscale_themes" / "starter" / "dashboard.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        "<h1>\n<<<<<<< before updating\nMine\n=======\nTheirs\n>>>>>>> after updating\n</h1>\n"
    )
    (root / "fine.py").write_text("# a line that mentions <<<<<<< inside is fine\n")

    [error] = conflict_problems(root)

    assert error.id == "quickscale.E006"
    assert "quickscale_themes/starter/dashboard.html" in error.msg
    assert "fine.py" not in error.msg
    assert "git add" in error.hint


def test_rejected_hunks_are_an_error_even_though_git_ignores_them(tmp_path):
    root = git_project(tmp_path)
    (root / ".gitignore").write_text("*.rej\n")
    (root / "config").mkdir()
    (root / "config" / "urls.py.rej").write_text("@@ -1 +1 @@\n")

    [error] = conflict_problems(root)

    assert "config/urls.py.rej" in error.msg


def test_a_clean_project_has_no_conflict_problems(tmp_path):
    root = git_project(tmp_path)
    (root / "views.py").write_text("x = 1\n")
    assert conflict_problems(root) == []
