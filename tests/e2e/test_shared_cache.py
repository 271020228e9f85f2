"""Rate limits count across processes (issue #13): one shared cache for every gunicorn worker.

A project with the auth module runs with its production settings (`config.settings.prod`)
under gunicorn with 2 workers on loopback, against PostgreSQL. The test keeps one HTTP
connection open to each worker (gthread workers keep a connection with the process that
accepted it; gunicorn's access log names the process of every request) and sends failed
logins for one account alternately to both. Asserted, for the default database cache and
for `CACHE_URL=redis://` against a real `redis-server` on a free loopback port:

- exactly as many failures get through as allauth's per-account limit allows a single
  process (ACCOUNT_RATE_LIMITS["login_failed"], 5 per 5 minutes); every later attempt,
  the right password included, is refused on both workers;
- both workers answered failed logins, so the limit really was counted in one place.

A control run with a per-process cache (`CACHE_URL=locmemcache://`) shows what the test
catches: each worker counts alone and twice as many failures get through.

Run alone with `pytest tests/e2e/test_shared_cache.py -s` to see the figures.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.helpers import clean_project_env, render, run
from tests.support.servers import free_port, new_database

ATTEMPTS = 12  # failed logins sent per run, alternating between the two workers
PASSWORD = "correct-horse-battery-staple"
WRONG = "Wrong-password-0"
FAILED = "are not correct"  # allauth: "The email address and/or password ... are not correct."
LIMITED = "Too many failed login attempts"
CLIENT_TIMEOUT = 30.0
BURST = 4  # connections opened at once while looking for one per worker

# One account per run, so runs that share a cache never share a counter; the limit as the
# project's settings define it.
SETUP = """
from django.conf import settings
from django.contrib.auth import get_user_model
for name in ("database", "redis", "locmem"):
    get_user_model().objects.create_user(email=f"{name}@example.com", password=PASSWORD)
print(settings.ACCOUNT_RATE_LIMITS["login_failed"])
"""


@pytest.fixture(scope="module")
def served_project(template_snapshot, tmp_path_factory, project_python, postgres_url):
    """The auth project, migrated on its own PostgreSQL database; (project, env, limit)."""
    project = render(template_snapshot, tmp_path_factory.mktemp("cache") / "client_acme",
                     modules=["auth"])  # fmt: skip
    database_url = new_database(postgres_url, f"cache_{os.getpid()}")
    env = {
        **clean_project_env(),
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": "cache-test-" + "k3Vr" * 12,
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on loopback: no TLS proxy in front, clients reach gunicorn directly.
        "SECURE_SSL_REDIRECT": "false",
        "AUTH_TRUSTED_PROXY_COUNT": "0",
        "CACHE_URL": "",  # the default: the database cache
    }
    manage = [project_python, "manage.py"]
    collectstatic = subprocess.Popen(  # noqa: S603 - runs beside migrate
        [*map(str, manage), "collectstatic", "--noinput", "-v0"], cwd=project, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    # The cache table comes with migrate (quickscale_core 0002), not createcachetable.
    run([*manage, "migrate", "--noinput", "-v0"], project, env)
    output = collectstatic.communicate(timeout=300)[0]
    assert collectstatic.returncode == 0, output
    tables = "from django.db import connection; print(connection.introspection.table_names())"
    assert "'quickscale_cache'" in run([*manage, "shell", "-v0", "-c", tables], project, env).stdout
    setup = f"PASSWORD = {PASSWORD!r}\n{SETUP}"
    rates = run([*manage, "shell", "-v0", "-c", setup], project, env).stdout.split()[-1]
    per_account = re.search(r"(?:^|,)(\d+)/[^,/]+/key(?:,|$)", rates)
    assert per_account, rates
    return project, env, int(per_account.group(1))


class Gunicorn:
    """The project under gunicorn: 2 gthread workers that keep idle connections a minute."""

    def __init__(self, project: Path, env: dict, python: Path, logs: Path) -> None:
        self.port = free_port()
        self.access_log = logs / "access.log"
        self.log = logs / "gunicorn.log"
        self.requests = 0
        with self.log.open("w") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [python.parent / "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
                 "--workers", "2", "--worker-class", "gthread", "--threads", "1",
                 "--keep-alive", "60", "--timeout", "60", "--no-control-socket",
                 "--access-logfile", self.access_log,
                 # The worker's process id, and the request line with its unique query.
                 "--access-logformat", '%(p)s "%(m)s %(U)s?%(q)s" %(s)s'],
                cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=CLIENT_TIMEOUT)

    def request(self, connection, method: str, path: str, headers=None, body=None):
        """One request on `connection`; (status, body, headers, pid of the worker)."""
        self.requests += 1
        tag = f"req={self.requests}"
        path = f"{path}?{tag}"
        headers = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read().decode()
        return response.status, data, response.headers, self.worker_of(tag)

    def worker_of(self, tag: str) -> int:
        """The worker that served the request tagged `tag` (written just after the response)."""
        pattern = re.compile(rf'^<(\d+)> "\w+ [^?"]*\?{re.escape(tag)}"', re.MULTILINE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            found = pattern.search(self.access_log.read_text())
            if found:
                return int(found.group(1))
            time.sleep(0.02)
        raise AssertionError(f"no access-log line for {tag}: {self.log.read_text()[-3000:]}")

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while True:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            assert time.monotonic() < deadline, self.log.read_text()[-3000:]
            try:
                connection = self.connect()
                if self.request(connection, "GET", "/healthz/")[0] == 200:
                    connection.close()
                    return
            except OSError:
                pass
            time.sleep(0.2)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


@contextmanager
def gunicorn(served_project, python: Path, logs: Path, cache_url: str):
    project, env, _ = served_project
    server = Gunicorn(project, {**env, "CACHE_URL": cache_url}, python, logs)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def one_connection_per_worker(server: Gunicorn) -> tuple[dict, str, str, int]:
    """Open connections until two different workers hold one each: {pid: connection}.

    Also returns the CSRF cookie and token of the login page, which any worker accepts, and
    how many connections it took. The second worker may still be loading the project when
    the first answers; connections open in bursts of BURST, so both workers race for them.
    """
    pinned: dict[int, http.client.HTTPConnection] = {}
    cookie = token = ""
    opened = 0
    deadline = time.monotonic() + 30
    while opened < 200 and time.monotonic() < deadline:
        burst = [server.connect() for _ in range(BURST)]
        for connection in burst:
            connection.connect()
        opened += BURST
        for connection in burst:
            status, body, headers, pid = server.request(connection, "GET", "/accounts/login/")
            assert status == 200, server.log.read_text()[-3000:]
            if not cookie:
                cookie = re.search(r"csrftoken=(\w+)", headers.get("Set-Cookie", "")).group(1)
                token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', body).group(1)
            if pid in pinned:
                connection.close()
            else:
                pinned[pid] = connection
        if len(pinned) == 2:
            return pinned, cookie, token, opened
        time.sleep(0.1)
    raise AssertionError(f"every connection went to the same worker: {sorted(pinned)}")


def log_in(server, connection, cookie: str, token: str, email: str, password: str):
    """POST the login form; (outcome, pid): "failed", "limited" or "logged in"."""
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "login": email, "password": password}
    )
    headers = {
        "Cookie": f"csrftoken={cookie}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": f"http://127.0.0.1:{server.port}",
    }
    status, data, _, pid = server.request(connection, "POST", "/accounts/login/", headers, body)
    if status == 302:
        return "logged in", pid
    assert status == 200, (status, data[:2000])
    if LIMITED in data:
        return "limited", pid
    assert FAILED in data, data[:3000]
    return "failed", pid


def failed_logins_across_workers(server: Gunicorn, email: str) -> dict:
    """ATTEMPTS wrong passwords alternating between the workers, then the right one on each."""
    pinned, cookie, token, opened = one_connection_per_worker(server)
    workers = sorted(pinned)
    outcomes, served_by = [], []
    for attempt in range(ATTEMPTS):
        expected = workers[attempt % 2]
        outcome, pid = log_in(server, pinned[expected], cookie, token, email, WRONG)
        assert pid == expected, "a kept-alive connection moved to another worker"
        outcomes.append(outcome)
        served_by.append(pid)
    right_password = [log_in(server, pinned[pid], cookie, token, email, PASSWORD)[0]
                      for pid in workers]  # fmt: skip
    for connection in pinned.values():
        connection.close()
    failed = zip(served_by, outcomes, strict=True)
    failed_on = {pid for pid, outcome in failed if outcome == "failed"}
    return {"outcomes": outcomes, "through": outcomes.count("failed"), "workers": workers,
            "failed on": failed_on, "right password": right_password,
            "connections": opened}  # fmt: skip


# Rows of the database cache's table that count failed logins (per account, per address).
COUNTERS = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT COUNT(*) FROM quickscale_cache WHERE cache_key LIKE %s",
                   ["%login_failed%"])
    print(cursor.fetchone()[0])
"""


def assert_counted_once(result: dict, limit: int) -> None:
    # Exactly what one process allows: `limit` failures, then refusals, wherever they land.
    assert result["outcomes"] == ["failed"] * limit + ["limited"] * (ATTEMPTS - limit), result
    assert result["failed on"] == set(result["workers"]), "one worker saw every failure"
    # The account stays locked on both workers, even for its owner's right password.
    assert result["right password"] == ["limited", "limited"], result


def test_failed_logins_are_counted_once_across_workers_in_the_database_cache(
    served_project, project_python, tmp_path
):
    limit = served_project[2]
    assert 2 * limit <= ATTEMPTS, "enough attempts to see per-process counting"
    with gunicorn(served_project, project_python, tmp_path, cache_url="") as server:
        result = failed_logins_across_workers(server, "database@example.com")
    project, env, _ = served_project
    rows = run([project_python, "manage.py", "shell", "-v0", "-c", COUNTERS], project, env)
    print(f"\ndatabase cache, 2 workers: {result['through']} of {ATTEMPTS} failed logins "
          f"got through (limit {limit}); right password afterwards: {result['right password']}; "
          f"{result['connections']} connections to reach both workers")  # fmt: skip
    assert_counted_once(result, limit)
    # The counters are rows of the database cache's table.
    assert int(rows.stdout.split()[-1]) >= 2, rows.stdout


def test_failed_logins_are_counted_once_across_workers_in_redis(
    served_project, project_python, tmp_path, redis_url
):
    limit = served_project[2]
    with gunicorn(served_project, project_python, tmp_path, cache_url=redis_url) as server:
        result = failed_logins_across_workers(server, "redis@example.com")
        keys = run(["redis-cli", "-u", redis_url, "--scan", "--pattern", "*"]).stdout.split()
    print(f"\nredis, 2 workers: {result['through']} of {ATTEMPTS} failed logins got through "
          f"(limit {limit}); {len(keys)} keys in redis; "
          f"{result['connections']} connections to reach both workers")  # fmt: skip
    assert_counted_once(result, limit)
    # The counters live in Redis, not in the database cache's table.
    assert any("login_failed" in key for key in keys), keys


def test_control_a_per_process_cache_lets_each_worker_count_alone(
    served_project, project_python, tmp_path
):
    """What the tests above catch: with local memory, each worker allows the limit again."""
    limit = served_project[2]
    with gunicorn(served_project, project_python, tmp_path, "locmemcache://") as server:
        result = failed_logins_across_workers(server, "locmem@example.com")
    print(f"\nper-process cache, 2 workers: {result['through']} of {ATTEMPTS} failed logins "
          f"got through (limit {limit})")  # fmt: skip
    assert result["through"] == 2 * limit, result
