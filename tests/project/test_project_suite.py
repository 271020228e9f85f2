"""Project tier: generated projects install, pass their own tests, and run as documented."""

import json
import os
import signal
import subprocess
import time
import urllib.request

import pytest

from tests.support.helpers import render, run, shipped_modules, with_requirements
from tests.support.servers import free_port

PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.prod",
    "SECRET_KEY": "template-suite-" + "x7Qp" * 12,
    "DATABASE_URL": "postgres://app:app@127.0.0.1:5432/app",
    "ALLOWED_HOSTS": "client-acme.example.com",
    "AUTH_TRUSTED_PROXY_COUNT": "1",
}


def test_default_project_suite_passes_on_sqlite(default_project, project_python, project_env):
    result = run([project_python, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                 default_project, project_env)  # fmt: skip
    assert " passed" in result.stdout and "failed" not in result.stdout


def test_every_test_the_client_writes_runs(template_snapshot, tmp_path, project_python,
                                           project_env):  # fmt: skip
    """`startapp` names its test file tests.py; clients also add test_*.py files and
    tests/ packages, in their own app or in a new one. `make test` collects them all,
    so a failing client test fails the suite."""
    project = render(template_snapshot, tmp_path / "client_acme")
    run([project_python, "manage.py", "startapp", "crm"], project, project_env)
    failing = "def test_{}():\n    assert 1 + 1 == 3, 'client test ran'\n"
    (project / "crm" / "tests.py").write_text(failing.format("startapp_file"))
    (project / "crm" / "test_models.py").write_text(failing.format("module_file"))
    package = project / "client_acme" / "tests"
    (package / "test_views.py").write_text(failing.format("in_project_app"))

    result = run([project_python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rf"],
                 project, project_env, check=False)  # fmt: skip

    assert result.returncode == 1, result.stdout
    for where in ("crm/tests.py::test_startapp_file", "crm/test_models.py::test_module_file",
                  "client_acme/tests/test_views.py::test_in_project_app"):  # fmt: skip
        assert f"FAILED {where}" in result.stdout


@pytest.fixture(scope="module")
def all_modules_project(template_snapshot, tmp_path_factory):
    """The largest combination: every shipped module, and the todo theme (which includes the
    starter's pages), so its migrations and API run on PostgreSQL too."""
    dst = tmp_path_factory.mktemp("all_modules") / "client_acme"
    return render(template_snapshot, dst, theme="todo", modules=shipped_modules())


def test_all_modules_project_migrates_and_passes_on_postgresql(
    all_modules_project, project_python, project_env, postgres_url
):
    env = {**project_env, "DATABASE_URL": postgres_url}
    manage = [project_python, "manage.py"]
    # The one real migrate: project suites run with --nomigrations.
    run([*manage, "migrate", "--noinput"], all_modules_project, env)
    run([*manage, "makemigrations", "--check", "--dry-run"], all_modules_project, env)
    result = run([project_python, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                 all_modules_project, env)  # fmt: skip
    assert " passed" in result.stdout and "failed" not in result.stdout


@pytest.mark.parametrize("module", shipped_modules())
def test_each_module_alone_passes_its_project_suite(
    module, template_snapshot, tmp_path, project_python, project_env
):
    selected = with_requirements(module)
    project = render(template_snapshot, tmp_path / "client_acme", modules=selected)
    run([project_python, "manage.py", "check", "--fail-level", "WARNING"], project, project_env)
    result = run([project_python, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                 project, project_env)  # fmt: skip
    assert " passed" in result.stdout and "failed" not in result.stdout
    assert (project / "quickscale_modules" / module / "module.yml").exists()


TODO_COMBINATIONS = [[], ["auth"], with_requirements("api"), with_requirements("billing")]


@pytest.mark.parametrize("modules", TODO_COMBINATIONS, ids=lambda m: "+".join(m) or "no_modules")
def test_todo_theme_passes_its_suite(modules, template_snapshot, tmp_path, project_python,
                                     project_env):  # fmt: skip
    project = render(template_snapshot, tmp_path / "client_acme", theme="todo", modules=modules)
    run([project_python, "manage.py", "check", "--fail-level", "WARNING"], project, project_env)
    result = run([project_python, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider"],
                 project, project_env)  # fmt: skip
    assert " passed" in result.stdout and "failed" not in result.stdout
    # The theme ships its API and plan-limit tests in every project; they run exactly when
    # a module mounts the API or provides plans, and skip (saying why) otherwise.
    assert ("api" not in modules) == ("no module mounts the theme's API" in result.stdout)
    assert ("billing" not in modules) == ("no module provides plans" in result.stdout)


def test_other_combination_passes_its_suite(template_snapshot, tmp_path, project_python,
                                             project_env):  # fmt: skip
    project = render(
        template_snapshot,
        tmp_path / "northwind",
        project_name="Northwind Traders",
        project_slug="northwind",
        domain="app.northwind.io",
        use_docker=False,
        ci="none",
    )
    result = run([project_python, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                 project, project_env)  # fmt: skip
    assert " passed" in result.stdout


@pytest.mark.parametrize("which", ["default_project", "all_modules_project"])
def test_production_settings_pass_check_deploy(which, request, project_python, project_env):
    project = request.getfixturevalue(which)
    result = run(
        [project_python, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        project,
        {**project_env, **PROD_ENV},
    )
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "example"),
    [("ALLOWED_HOSTS", "ALLOWED_HOSTS=client-acme.example.com"),
     ("AUTH_TRUSTED_PROXY_COUNT", "AUTH_TRUSTED_PROXY_COUNT=1 (proxies in front")],
)  # fmt: skip
def test_production_settings_name_the_missing_variable(default_project, project_python,
                                                       project_env, variable, example):  # fmt: skip
    env = {**project_env, **PROD_ENV}
    del env[variable]
    result = run([project_python, "manage.py", "check"], default_project, env, check=False)

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert f"{variable} is not set" in last_line
    assert example in last_line


def test_healthz_is_503_against_an_unreachable_database(default_project, project_python,
                                                        project_env):  # fmt: skip
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz/', HTTP_HOST='localhost');"
        "print(json.dumps({'status': r.status_code, 'body': json.loads(r.content)}))"
    )
    env = {
        **project_env,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        # Nothing listens on port 9: a real connection failure, not a mock.
        "DATABASE_URL": "postgres://nobody:nothing@127.0.0.1:9/none",
    }
    result = run([project_python, "-c", script], default_project, env)
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {"status": 503, "body": {"status": "error", "database": "unreachable"}}


def wait_for(url: str, process: subprocess.Popen, timeout: float = 240) -> tuple[int, bytes]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                return response.status, response.read()
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {timeout}s")


def test_first_run_make_run_serves_and_make_test_passes(template_snapshot, tmp_path, project_env):
    """What a new user does: `make run` (uv install, migrate, serve), then `make test`."""
    project = render(template_snapshot, tmp_path / "first_run", project_name="First Run")
    port = free_port()
    log = (tmp_path / "make-run.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        ["make", "run", f"PORT={port}"],
        cwd=project,
        env=project_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        status, body = wait_for(f"http://127.0.0.1:{port}/healthz/", server)
        assert status == 200 and json.loads(body)["status"] == "ok"
        status, body = wait_for(f"http://127.0.0.1:{port}/", server)
        assert status == 200 and b"First Run" in body
        assert (project / "db.sqlite3").exists(), "SQLite is used when DATABASE_URL is unset"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()

    result = run(["make", "test", "ARGS=-q -p no:cacheprovider"], project, project_env)
    assert " passed" in result.stdout and "failed" not in result.stdout
