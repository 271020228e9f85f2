"""Production settings are checked in a fresh interpreter, as a deploy would load them."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PROD_ENV = {
    "SECRET_KEY": "prod-test-" + "k3y-" * 14,
    "DATABASE_URL": "postgres://app:app@db.internal:5432/app",
    "ALLOWED_HOSTS": "app.example.com,.example.org",
    "AUTH_TRUSTED_PROXY_COUNT": "1",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {*PROD_ENV, "DJANGO_SETTINGS_MODULE"}}
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings.prod", **env})
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    # A React frontend's build is checked too (django-vite reads its manifest): a stand-in, so
    # this test does not depend on `npm run build` having run.
    (tmp_path / "manifest.json").write_text("{}")
    env = {**PROD_ENV, "FRONTEND_BUILD_DIR": str(tmp_path)}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_the_proxy_count():
    env = {k: v for k, v in PROD_ENV.items() if k != "AUTH_TRUSTED_PROXY_COUNT"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "AUTH_TRUSTED_PROXY_COUNT is not set" in result.stderr.strip().splitlines()[-1]


def test_production_refuses_a_negative_proxy_count():
    """-1 made DRF read the client address from the wrong end of X-Forwarded-For."""
    result = manage("check", **{**PROD_ENV, "AUTH_TRUSTED_PROXY_COUNT": "-1"})
    assert result.returncode != 0
    assert "is not a whole number of proxies" in result.stderr.strip().splitlines()[-1]


def test_production_trusts_https_origins_of_allowed_hosts():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CSRF_TRUSTED_ORIGINS)",
        **PROD_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert "'https://app.example.com', 'https://example.org'" in result.stdout


@pytest.mark.parametrize("missing", sorted(PROD_ENV))
def test_production_refuses_to_start_without_required_variable(missing):
    env = {k: v for k, v in PROD_ENV.items() if k != missing}

    result = manage("check", **env)

    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr


def test_production_bounds_the_database_connect_time():
    code = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"

    def options(**env: str) -> str:
        result = manage("shell", "-v", "0", "-c", code, **env)
        return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr

    assert options(**PROD_ENV) == "{'connect_timeout': 5}"
    in_url = {**PROD_ENV, "DATABASE_URL": PROD_ENV["DATABASE_URL"] + "?connect_timeout=2"}
    assert options(**in_url) == "{'connect_timeout': 2}"


def test_email_url_can_write_emails_to_files(tmp_path):
    code = "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_FILE_PATH)"
    url = f"filemail:///{tmp_path}"  # an absolute path after the scheme's "//"
    result = manage("shell", "-v", "0", "-c", code, EMAIL_URL=url, **PROD_ENV)

    backend, path = result.stdout.split()
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert path == str(tmp_path)


def test_sqlite_writers_wait_for_each_other_instead_of_failing(tmp_path):
    """With SQLite's defaults, two overlapping writes answered 500 "database is locked"."""
    script = (
        "import threading\n"
        "from django.db import connection, transaction\n"
        "from quickscale_core.models import User\n"
        "from django.conf import settings\n"
        "from django.core.management import call_command\n"
        # Every app's tables straight from the models (like --nomigrations): modules react
        # to new users (personal teams, seats), and migrating dj-stripe would take a minute.
        "class NoMigrations(dict):\n"
        "    def __contains__(self, app): return True\n"
        "    def __getitem__(self, app): return None\n"
        "settings.MIGRATION_MODULES = NoMigrations()\n"
        "call_command('migrate', run_syncdb=True, verbosity=0)\n"
        "errors = []\n"
        "def write(n):\n"
        "    try:\n"
        "        with transaction.atomic():\n"
        "            User.objects.count()\n"
        "            User.objects.create(email=f'u{n}@example.com')\n"
        "    except Exception as error:\n"
        "        errors.append(repr(error))\n"
        "    finally:\n"
        "        connection.close()\n"
        "threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "print('errors', errors, 'users', User.objects.count())\n"
    )
    result = manage(
        "shell",
        "-c",
        script,
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert "errors [] users 8" in result.stdout, result.stdout
