"""Load and faults (issue #8): a generated project under load, and through a database crash.

The all-modules project with the todo theme runs with its production settings
(`config.settings.prod`), served by gunicorn (2 gthread workers of 4 threads, a worker
timeout) against its own PostgreSQL server on loopback. Fifty signed-in users browse pages,
call the API and add tasks for a fixed minute. Partway through, PostgreSQL is killed
(`pg_ctl stop -m immediate`, a crash) and started again while gunicorn keeps running; the
outage lasts from the kill until PostgreSQL accepts connections again. Asserted:

- requests in flight during the outage may fail with a 5xx; every other response is the
  expected one (no 5xx, no 4xx, no dropped connection), so the app recovers as soon as the
  database is back, and no request takes as long as the client timeout, outage or not;
- /healthz/ answers 503 while the database is down and 200 again once it is back, and the
  same gunicorn workers serve everything afterwards (none restarted, none timed out);
- no lost writes: every write the client saw succeed is in the database afterwards, and the
  database holds no write the client did not send.

Run alone with `pytest tests/e2e/test_load.py -s` to see the summary (requests, rps, latencies).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import signal
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.helpers import render, run, shipped_modules
from tests.support.servers import PostgresServer, free_port, postgres_bin_or_skip

USERS = 50
DURATION = 60.0  # seconds of load; the outage happens inside it
OUTAGE_AT = 25.0  # seconds after the load starts, PostgreSQL is killed...
OUTAGE_FOR = 4.0  # ...and started again this many seconds later
CLIENT_TIMEOUT = 10.0  # no request may take this long, outage or not
WORKER_TIMEOUT = 20  # gunicorn kills a worker stuck this long; none may be
THINK_TIME = 0.1  # up to this many seconds between a user's requests

# What the users do depends on the theme: the todo theme's lists and tasks.
# {list_id} is the user's own list.
THEME = "todo"
PAGES = ["/lists/", "/lists/{list_id}/", "/lists/{list_id}/?status=all", "/dashboard/",
         "/accounts/settings/", "/billing/"]  # fmt: skip
API_READS = ["/api/v1/lists/", "/api/v1/tasks/?list={list_id}", "/api/v1/me/"]
# The page a user opens before posting forms: it sets the CSRF cookie and holds the token.
FORM_PAGE = "/lists/{list_id}/"

# Every user starts with a session, an API key and a list of their own.
SETUP = """
import json
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from quickscale_core import teams
from quickscale_modules.api import services as api_services
from quickscale_themes.todo import services as todo_services

for index in range(USERS):
    # No password: hashing 50 of them would take longer than the whole load.
    user = get_user_model().objects.create_user(email=f"load{index}@example.com")
    browser = Client()
    browser.force_login(user)
    team = teams.ensure_personal_team(user)
    row = {
        "email": user.email,
        "session": browser.cookies[settings.SESSION_COOKIE_NAME].value,
        "key": api_services.create_key(user, "load").key,
        "list_id": todo_services.create_list(team, user, name="Load").pk,
    }
    print(json.dumps(row))
"""
# What the writes created, as [owner's email, title] pairs.
WRITTEN_ROWS = """
import json
from quickscale_themes.todo.models import Task
print(json.dumps(list(Task.objects.values_list("todo_list__owner__email", "title"))))
"""


@dataclass(frozen=True)
class Write:
    """One way users create a row, and how the client knows the server committed it."""

    name: str
    path: str
    form: bool  # an HTML form with the session and CSRF token, else JSON with the API key
    fields: dict  # "{title}" and "{list_id}" are filled in
    ok_status: int
    # Strings in a successful response ("{title}" filled in): a 200 re-rendering the form
    # with errors is not a success.
    proof: tuple[str, ...]
    headers: dict = field(default_factory=dict)


WRITES = [
    Write("task api", "/api/v1/tasks/", form=False,
          fields={"list": "{list_id}", "title": "{title}"}, ok_status=201,
          proof=('"title":"{title}"',)),
    # The list page's "Add task" form as htmx posts it (the answer is the task panel).
    Write("task form", "/lists/{list_id}/tasks/new/", form=True,
          fields={"title": "{title}", "priority": "2"}, ok_status=200,
          proof=('<span class="todo-task__title">{title}</span>',),
          headers={"HX-Request": "true"}),
]  # fmt: skip


@dataclass
class User:
    index: int
    email: str
    session: str
    key: str
    list_id: int | None
    csrf_cookie: str = ""
    csrf_token: str = ""


@dataclass
class Result:
    kind: str  # landing, page, api, write, healthz
    path: str
    status: int  # 0: no HTTP response (connection error or client timeout)
    start: float
    end: float
    error: str = ""
    expected: int = 200
    user: int = -1  # writes: the user's index
    title: str = ""  # writes: what was written
    confirmed: bool = False  # writes: the response proves the write

    @property
    def latency(self) -> float:
        return self.end - self.start


class LoadClient:
    """A tiny HTTP client: one connection per request, a hard timeout, every request recorded."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.results: list[Result] = []
        self.lock = threading.Lock()

    def request(self, kind: str, method: str, path: str, headers=None, body=None):
        headers = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        start = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=CLIENT_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            result = Result(kind, path, response.status, start, time.monotonic())
            message = response.headers
        except (OSError, http.client.HTTPException) as exc:
            result = Result(kind, path, 0, start, time.monotonic(), error=repr(exc))
            data, message = b"", None
        finally:
            connection.close()
        with self.lock:
            self.results.append(result)
        return result, data, message

    def get(self, kind: str, path: str, user: User | None = None, api: bool = False):
        return self.request(kind, "GET", path, auth_headers(user, api))


def auth_headers(user: User | None, api: bool = False) -> dict:
    if user is None:
        return {}
    if api:
        return {"Authorization": f"Bearer {user.key}", "Accept": "application/json"}
    cookies = f"sessionid={user.session}"
    if user.csrf_cookie:
        cookies += f"; csrftoken={user.csrf_cookie}"
    return {"Cookie": cookies}


def fill(template: str, user: User, title: str = "") -> str:
    return template.replace("{list_id}", str(user.list_id)).replace("{title}", title)


def open_form_page(client: LoadClient, user: User, stop_at: float) -> None:
    """Like a browser: load a page with a form, keep its CSRF cookie and token."""
    while time.monotonic() < stop_at:
        result, body, headers = client.get("page", fill(FORM_PAGE, user), user)
        set_cookies = " ".join(headers.get_all("Set-Cookie") or []) if headers else ""
        cookie = re.search(r"csrftoken=([A-Za-z0-9]+)", set_cookies)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', body)
        if result.status == 200 and cookie and token:
            user.csrf_cookie, user.csrf_token = cookie.group(1), token.group(1).decode()
            return
        time.sleep(0.5)


def write(client: LoadClient, user: User, kind: Write, title: str) -> None:
    values = {name: fill(value, user, title) for name, value in kind.fields.items()}
    if kind.form:
        values["csrfmiddlewaretoken"] = user.csrf_token
        body = urllib.parse.urlencode(values).encode()
        headers = {**auth_headers(user), "Content-Type": "application/x-www-form-urlencoded",
                   "Origin": f"http://127.0.0.1:{client.port}"}  # fmt: skip
    else:
        # Ids go out as JSON numbers, like any API client sends them.
        values = {name: int(v) if v.isdigit() else v for name, v in values.items()}
        body = json.dumps(values).encode()
        headers = {**auth_headers(user, api=True), "Content-Type": "application/json"}
    headers.update(kind.headers)
    result, data, _ = client.request("write", "POST", fill(kind.path, user), headers, body)
    result.expected, result.user, result.title = kind.ok_status, user.index, title
    result.confirmed = result.status == kind.ok_status and all(
        fill(proof, user, title).encode() in data for proof in kind.proof
    )


def browse(client: LoadClient, user: User, stop_at: float) -> None:
    """One user for the whole load: a random mix of landing, pages, API reads and writes."""
    rng = random.Random(user.index)
    open_form_page(client, user, stop_at)
    written = 0
    while time.monotonic() < stop_at:
        roll = rng.random()
        if roll < 0.15:
            client.get("landing", "/")
        elif roll < 0.45:
            client.get("page", fill(rng.choice(PAGES), user), user)
        elif roll < 0.70:
            client.get("api", fill(rng.choice(API_READS), user), user, api=True)
        elif roll < 0.73:
            client.get("healthz", "/healthz/")
        else:
            written += 1
            write(client, user, rng.choice(WRITES), f"load-{user.index:02d}-{written:05d}")
        time.sleep(rng.uniform(0, THINK_TIME))


@dataclass
class Outage:
    killing_at: float = 0.0  # pg_ctl stop -m immediate was started
    killed_at: float = 0.0  # PostgreSQL is gone (pg_ctl returned)
    restarted_at: float = 0.0  # PostgreSQL accepts connections again
    recovered_at: float = 0.0  # /healthz/ answered 200 again
    down_statuses: list[int] = field(default_factory=list)  # /healthz/ while it was down
    failure: BaseException | None = None


def crash_database(
    client: LoadClient, server: PostgresServer, start: float, outage: Outage
) -> None:
    """Kill PostgreSQL mid-load, probe /healthz/ while it is down, start it again."""
    try:
        time.sleep(max(0.0, start + OUTAGE_AT - time.monotonic()))
        outage.killing_at = time.monotonic()
        server.stop("immediate")
        outage.killed_at = time.monotonic()
        while time.monotonic() < outage.killed_at + OUTAGE_FOR:
            result, _, _ = client.get("healthz", "/healthz/")
            outage.down_statuses.append(result.status)
            time.sleep(0.2)
        server.start()
        outage.restarted_at = time.monotonic()
        while time.monotonic() < outage.restarted_at + 20:
            result, _, _ = client.get("healthz", "/healthz/")
            if result.status == 200:
                outage.recovered_at = time.monotonic()
                return
            time.sleep(0.2)
    except BaseException as exc:  # noqa: BLE001 - reported by the test thread
        outage.failure = exc


def workers_of(master: int) -> set[int]:
    """Process ids of gunicorn's workers (children of the master), from /proc."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            children.add(int(stat.parent.name))
    return children


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far, from /proc (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def summary(results: list[Result], elapsed: float, outage: Outage) -> str:
    def line(name: str, rows: list[Result]) -> str:
        lat = [r.latency * 1000 for r in rows] or [0.0]
        errors = sum(1 for r in rows if r.status == 0 or r.status >= 500)
        return (f"  {name:<8} {len(rows):>6} req  p50 {percentile(lat, 0.5):7.1f} ms  "
                f"p99 {percentile(lat, 0.99):7.1f} ms  max {max(lat):7.1f} ms  "
                f"5xx/dropped {errors}")  # fmt: skip

    during = [r for r in results if overlaps_outage(r, outage)]
    lines = [
        f"load: {USERS} users, {THEME} theme, {len(results)} requests in {elapsed:.1f} s "
        f"= {len(results) / elapsed:.0f} rps",
        line("all", results),
        *(line(kind, [r for r in results if r.kind == kind])
          for kind in ("landing", "page", "api", "write", "healthz")),
        line("outage", during),
        f"  outage: database down {outage.restarted_at - outage.killed_at:.1f} s, "
        f"healthz 200 again {outage.recovered_at - outage.restarted_at:.2f} s after restart, "
        f"healthz while down {sorted(set(outage.down_statuses))}",
    ]  # fmt: skip
    return "\n".join(lines)


def overlaps_outage(result: Result, outage: Outage) -> bool:
    """Whether the request was in flight at any moment from the kill to the restart."""
    return result.end >= outage.killing_at and result.start <= outage.restarted_at


@pytest.fixture
def database_server():
    server = PostgresServer(postgres_bin_or_skip())
    server.start()
    try:
        yield server
    finally:
        server.stop("immediate")
        server.remove()


def test_load_with_a_database_crash(template_snapshot, tmp_path, project_python, project_env,
                                    database_server):  # fmt: skip
    began = time.monotonic()
    project = render(template_snapshot, tmp_path / "client_acme", modules=shipped_modules(),
                     theme=THEME)  # fmt: skip
    env = {
        **project_env,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": "load-test-" + "k3Vr" * 12,
        "DATABASE_URL": database_server.url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "AUTH_TRUSTED_PROXY_COUNT": "0",
        # Plain HTTP on loopback: no TLS proxy in front.
        "SECURE_SSL_REDIRECT": "false",
        # The load comes from one client address, not an abuser: lift the throttles.
        "API_THROTTLE_KEY": "1000000/minute",
        "API_THROTTLE_USER": "1000000/minute",
        "API_THROTTLE_ANON": "1000000/minute",
        "API_THROTTLE_KEY_FAILURES": "1000000/minute",
    }
    manage = [project_python, "manage.py"]
    rendered = time.monotonic()
    collectstatic = subprocess.Popen(  # noqa: S603 - runs beside the (long) migrate
        [*map(str, manage), "collectstatic", "--noinput", "-v0"], cwd=project, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    run([*manage, "migrate", "--noinput", "-v0"], project, env)
    migrated = time.monotonic()
    output = collectstatic.communicate(timeout=300)[0]
    assert collectstatic.returncode == 0, output
    setup = f"USERS = {USERS}\n{SETUP}"
    lines = run([*manage, "shell", "-v0", "-c", setup], project, env).stdout.splitlines()
    users = [User(index=i, **json.loads(line)) for i, line in enumerate(lines)]
    assert len(users) == USERS
    prepared = (
        f"render {rendered - began:.0f} s, migrate {migrated - rendered:.0f} s, "
        f"users {time.monotonic() - migrated:.0f} s"
    )

    port = free_port()
    log = tmp_path / "gunicorn.log"
    # Gunicorn's own log and the project's (console) logging, tracebacks included.
    log_file = log.open("w")
    gunicorn = subprocess.Popen(  # noqa: S603
        [project_python.parent / "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--worker-class", "gthread", "--threads", "4",
         "--timeout", str(WORKER_TIMEOUT), "--no-control-socket",
         "--access-logfile", tmp_path / "access.log"],
        cwd=project, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    client = LoadClient(port)
    try:
        deadline = time.monotonic() + 30
        while client.get("healthz", "/healthz/")[0].status != 200:
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            assert gunicorn.poll() is None, log.read_text()[-3000:]
            time.sleep(0.3)
        while len(workers_before := workers_of(gunicorn.pid)) < 2:
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.3)
        client.results.clear()

        server_cpu = sum(cpu_seconds(pid) for pid in workers_before)
        client_cpu = time.process_time()
        start = time.monotonic()
        stop_at = start + DURATION
        outage = Outage()
        threads = [threading.Thread(target=browse, args=(client, user, stop_at))
                   for user in users]  # fmt: skip
        threads.append(threading.Thread(
            target=crash_database, args=(client, database_server, start, outage)))  # fmt: skip
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=DURATION + 60)
        elapsed = time.monotonic() - start
        server_cpu = sum(cpu_seconds(pid) for pid in workers_before) - server_cpu
        client_cpu = time.process_time() - client_cpu
        assert not any(thread.is_alive() for thread in threads), "a client thread hangs"
        if outage.failure:
            raise outage.failure
        results = list(client.results)
        print(f"\nprepared: {prepared}")
        print(summary(results, elapsed, outage))
        print(f"  cpu: gunicorn workers {server_cpu:.0f} s, client {client_cpu:.0f} s "
              f"({os.cpu_count()} cpus, load average {os.getloadavg()[0]:.1f})")  # fmt: skip

        # After the load: the same workers serve every kind of request.
        first = users[0]
        assert client.get("healthz", "/healthz/")[0].status == 200
        assert client.get("landing", "/")[0].status == 200
        for path in PAGES:
            assert client.get("page", fill(path, first), first)[0].status == 200, path
        for path in API_READS:
            assert client.get("api", fill(path, first), first, api=True)[0].status == 200, path
        assert gunicorn.poll() is None, "gunicorn died"
        assert workers_of(gunicorn.pid) == workers_before, log.read_text()[-3000:]
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
        log_file.close()
    assert "WORKER TIMEOUT" not in log.read_text()

    # The outage happened, /healthz/ told the truth, the app came back by itself.
    assert outage.killed_at and outage.restarted_at, "the database was not restarted"
    assert outage.down_statuses and set(outage.down_statuses) == {503}, outage.down_statuses
    assert outage.recovered_at, "/healthz/ never answered 200 after the restart"
    assert outage.recovered_at - outage.restarted_at < 5

    # No request hung, outage or not; outside the outage every answer is the expected one.
    slowest = max(results, key=lambda r: r.latency)
    assert slowest.latency < CLIENT_TIMEOUT, slowest
    assert not [r for r in results if r.status == 0], "dropped connections or client timeouts"
    wrong = [r for r in results if r.status != r.expected
             and not (overlaps_outage(r, outage) and r.status >= 500)]  # fmt: skip
    assert not wrong, f"{len(wrong)} unexpected responses, e.g. {wrong[:5]}"
    during = [r for r in results if overlaps_outage(r, outage) and r.kind != "healthz"]
    assert any(r.status >= 500 for r in during), "the outage was not noticed by any request"
    steady = [r for r in results if not overlaps_outage(r, outage)]
    assert len(steady) > 20 * DURATION, "too little load to mean anything"

    # No lost writes: what the client saw succeed is in the database; nothing else is.
    writes = [r for r in results if r.kind == "write"]
    sent = {(users[r.user].email, r.title) for r in writes}
    confirmed = {(users[r.user].email, r.title) for r in writes if r.confirmed}
    unsure = sent - confirmed
    assert not [r for r in writes if not r.confirmed and not overlaps_outage(r, outage)]
    stored = run([*manage, "shell", "-v0", "-c", WRITTEN_ROWS], project, env).stdout
    stored = {tuple(row) for row in json.loads(stored.splitlines()[-1])}
    print(
        f"  writes: {len(sent)} sent, {len(confirmed)} confirmed, {len(stored)} stored; "
        f"{len(unsure)} failed during the outage, {len(stored & unsure)} of them stored"
    )
    assert confirmed - stored == set(), "writes confirmed to the client are missing"
    assert stored - sent == set(), "the database holds writes nobody sent"
    assert len(confirmed) > 5 * DURATION, "too few writes to mean anything"
