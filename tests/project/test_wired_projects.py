"""Project tier: projects wired with the fixture modules pass Django's checks and run.

The wiring itself (what appears where) is checked without installing anything in
tests/render/test_wiring.py; both use the `template_with_modules` fixture (tests/conftest.py).
"""

from tests.support.helpers import render, run


def read(project, path):
    return (project / path).read_text()


def test_wired_project_checks_and_runs_module_tests(
    template_with_modules, tmp_path, project_python, project_env
):
    project = render(template_with_modules, tmp_path / "running", modules=["greetings", "shout"])
    run(["ruff", "check", "--no-cache", "."], project)
    run(["ruff", "format", "--check", "--no-cache", "."], project)
    run([project_python, "manage.py", "check", "--fail-level", "WARNING"], project, project_env)
    result = run(
        [project_python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "quickscale_modules"],
        project,
        project_env,
    )
    assert "3 passed" in result.stdout


def test_accounts_module_replaces_djangos_auth_urls(
    template_with_modules, tmp_path, project_python, project_env
):
    plain = render(template_with_modules, tmp_path / "plain", modules=[])
    assert 'include("django.contrib.auth.urls")' in read(plain, "config/urls.py")

    project = render(template_with_modules, tmp_path / "door", modules=["door"])
    urls = read(project, "config/urls.py")
    assert 'include("django.contrib.auth.urls")' not in urls
    assert 'path("accounts/", include("quickscale_modules.door.urls"))' in urls
    script = "from django.urls import reverse; print(reverse('login'))"
    result = run([project_python, "manage.py", "shell", "-c", script], project, project_env)
    assert result.stdout.strip().splitlines()[-1] == "/accounts/signin/"
