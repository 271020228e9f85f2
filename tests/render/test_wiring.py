"""The manifest wiring: a module folder appears in settings, URLs, dependencies and env
examples only when selected, in dependency order, and its requirements are enforced.

Projects wired with the fixture modules are checked and run in tests/project/test_wired_projects.py.
"""

import tomllib

import pytest

from tests.support.helpers import render


def read(project, path):
    return (project / path).read_text()


def test_unselected_module_leaves_no_trace(template_with_modules, tmp_path):
    project = render(template_with_modules, tmp_path / "plain", modules=[])

    assert not (project / "quickscale_modules" / "greetings").exists()
    for path in ["config/settings/base.py", "config/urls.py", "pyproject.toml", ".env.example"]:
        assert "greetings" not in read(project, path).lower(), path


def test_selected_modules_are_wired_from_their_manifests(template_with_modules, tmp_path):
    # Listed in the "wrong" order on purpose: wiring follows `requires`.
    project = render(template_with_modules, tmp_path / "wired", modules=["shout", "greetings"])

    base = read(project, "config/settings/base.py")
    apps_order = [
        base.index('"django.contrib.humanize"'),
        base.index('"quickscale_modules.greetings"'),
        base.index('"quickscale_modules.shout"'),
        base.index('"quickscale_themes.starter"'),
    ]
    assert apps_order == sorted(apps_order)
    assert '"quickscale_modules.shout.middleware.ShoutMiddleware",' in base
    assert '"quickscale_modules.greetings.context_processors.greeting",' in base
    assert 'GREETINGS_WORD = env("GREETINGS_WORD", default="Hello")' in base

    urls = read(project, "config/urls.py")
    module_url = urls.index('path("greetings/", include("quickscale_modules.greetings.urls"))')
    assert module_url < urls.index('include("quickscale_themes.starter.urls")')

    pyproject = tomllib.loads(read(project, "pyproject.toml"))
    assert "tomli-w==1.2.0" in pyproject["project"]["dependencies"]
    assert "tomli==2.3.0" in pyproject["dependency-groups"]["dev"]
    assert "GREETINGS_WORD=Hello" in read(project, ".env.example")
    assert (project / "quickscale_modules" / "greetings" / "module.yml").exists()
    assert (project / "quickscale_modules" / "shout" / "middleware.py").exists()


def test_missing_requirement_is_refused_naming_it(template_with_modules, tmp_path):
    with pytest.raises(ValueError, match="question 'modules'") as error:
        render(template_with_modules, tmp_path / "refused", modules=["shout"])

    assert "The 'shout' module needs greetings" in str(error.value)
    assert 'add "greetings" to `modules`' in str(error.value)


def test_unknown_module_is_refused(template_with_modules, tmp_path):
    with pytest.raises(ValueError, match="modules"):
        render(template_with_modules, tmp_path / "unknown", modules=["telepathy"])


def test_a_theme_that_extends_another_is_wired_before_it(template_snapshot, tmp_path):
    """theme.yml `extends: starter` (the todo theme): both themes' apps, templates, static
    files and URLs, the extending theme first so its pages win."""
    project = render(template_snapshot, tmp_path / "todo", theme="todo")

    assert (project / "quickscale_themes/starter/theme.yml").exists()
    base = read(project, "config/settings/base.py")
    assert base.index('"quickscale_themes.todo"') < base.index('"quickscale_themes.starter"')
    assert 'BASE_THEME_DIR = BASE_DIR / "quickscale_themes" / "starter"' in base
    assert '"DIRS": [BASE_DIR / "templates", THEME_DIR / "templates", BASE_THEME_DIR' in base
    assert 'THEME_DIR / "static", BASE_THEME_DIR / "static"]' in base
    urls = read(project, "config/urls.py")
    todo = urls.index('include("quickscale_themes.todo.urls")')
    assert todo < urls.index('include("quickscale_themes.starter.urls")')

    starter = render(template_snapshot, tmp_path / "starter", theme="starter")
    assert "BASE_THEME_DIR" not in read(starter, "config/settings/base.py")
    assert not (starter / "quickscale_themes/todo").exists()
    assert read(starter, "config/urls.py").count("quickscale_themes.") == 1


@pytest.mark.parametrize(
    ("question", "value"),
    [("module_manifests", {"greetings": {"apps": ["evil"]}}), ("theme_folders", ["todo"])],
)
def test_computed_answers_cannot_be_passed_with_data(template_with_modules, tmp_path,
                                                     question, value):  # fmt: skip
    """The hidden answers the wiring reads are computed from the manifests only: a value
    passed with --data would wire or copy something the manifests do not say."""
    dst = tmp_path / "refused"
    with pytest.raises(ValueError, match=f"question '{question}'") as error:
        render(template_with_modules, dst, modules=["greetings"], **{question: value})

    assert "do not pass it with --data" in str(error.value)
    assert not (dst / "config").exists(), "nothing is generated from refused answers"
