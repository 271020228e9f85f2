"""Runs INSIDE a generated project, with its Python: seeds data and counts queries per page.

Not meant to be run by hand: query_counts.py and http_load.py call it as

    <project python> /path/to/project_side.py seed     # prints JSON: cookie, API key, ids
    <project python> /path/to/project_side.py queries  # prints JSON: one row per page
    <project python> /path/to/project_side.py seed-open-tasks 50  # frontend.py: JSON as seed
    <project python> /path/to/project_side.py cpu-todo 30  # query_counts.py: JSON, ms per row
    <python of a bare project> /path/to/project_side.py cpu-hello 30  # the same, its hello view
    <project python> /path/to/project_side.py cpu-floors 5 1000  # query_counts.py --floors
    <python of a bare project> /path/to/project_side.py cpu-floors 5 1000  # its hello view

from the project's directory, with DJANGO_SETTINGS_MODULE set. `seed` writes to the
configured database (it must be migrated); `queries` builds its own in-memory test database
without migrations (like the project's test suite) and seeds it first.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import sys
import time
from collections import Counter

sys.path.insert(0, os.getcwd())

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

EMAIL = "bench@example.com"
TASKS = 200


def has(app_label_or_name: str) -> bool:
    return apps.is_installed(app_label_or_name)


def todo_installed() -> bool:
    return has("quickscale_themes.todo")


def seed() -> dict:
    """A verified user with a session, an API key and (todo theme) a list of 200 tasks."""
    user = get_user_model().objects.create_user(email=EMAIL, password="bench-pass-9-unused")
    if has("allauth.account"):
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    client = Client()
    client.force_login(user)
    data = {"session": client.cookies[settings.SESSION_COOKIE_NAME].value, "user_id": user.pk}
    if has("quickscale_modules.api"):
        from quickscale_modules.api import services as api_services

        data["api_key"] = api_services.create_key(user, "bench").key
    if todo_installed():
        data.update(seed_todo(user))
    return data


def seed_todo(user) -> dict:
    """One list holding TASKS tasks, through the theme's own seed command where it can."""
    from django.core.management import call_command
    from quickscale_themes.todo.models import Task, TodoList

    call_command("seed_todo_demo", email=user.email, lists=1, tasks=TASKS, verbosity=0)
    todo_list = TodoList.unscoped.filter(owner=user).order_by("pk").first()
    existing = Task.objects.filter(todo_list=todo_list).count()
    # Top up (the command may cap tasks per list); open tasks, so the default view lists them.
    for index in range(existing, TASKS):
        Task.objects.create(todo_list=todo_list, title=f"Bench task {index}", position=index)
    return {
        "list_id": todo_list.pk,
        "tasks": Task.objects.filter(todo_list=todo_list).count(),
        "open_tasks": Task.objects.filter(todo_list=todo_list, done=False).count(),
    }


def pages(data: dict) -> list[tuple[str, str, bool, bool]]:
    """(label, path, signed in, with API key) for every main page this project has."""

    def url(name, *args, query=""):
        try:
            return reverse(name, args=args) + query
        except NoReverseMatch:
            return None

    list_id = data.get("list_id")
    rows = [
        ("landing (anonymous)", url("home"), False, False),
        ("landing (signed in)", url("home"), True, False),
        ("login page", url("login"), False, False),
        ("signup page", url("account_signup"), False, False),
        ("dashboard", url("dashboard"), True, False),
        ("dashboard status (htmx)", url("dashboard_status"), True, False),
        ("account settings", url("account_settings"), True, False),
        ("account email", url("account_email"), True, False),
        ("change password", url("password_change"), True, False),
        ("two-factor", url("mfa_index"), True, False),
        ("sessions", url("usersessions_list"), True, False),
        ("connected accounts", url("socialaccount_connections"), True, False),
        ("pricing (anonymous)", url("billing:pricing"), False, False),
        ("pricing (signed in)", url("billing:pricing"), True, False),
        ("billing settings", url("billing:settings"), True, False),
        ("purchases", url("payments:purchases"), True, False),
        ("API keys page", url("api_keys"), True, False),
        ("todo lists", url("todo:lists"), True, False),
        (
            f"list detail, open ({data.get('open_tasks', 0)})",
            url("todo:list_detail", list_id) if list_id else None,
            True,
            False,
        ),
        (
            f"list detail, all ({data.get('tasks', 0)})",
            url("todo:list_detail", list_id, query="?status=all") if list_id else None,
            True,
            False,
        ),
        ("API me (key)", url("api_me"), False, True),
        ("API plan (key)", url("api_me_plan"), False, True),
        (
            "API lists (key)",
            "/api/v1/lists/" if has_api() and todo_installed() else None,
            False,
            True,
        ),
        (
            "API tasks of list, page 1 (key)",
            f"/api/v1/tasks/?list={list_id}&status=all" if list_id and has_api() else None,
            False,
            True,
        ),
        (
            "API tasks, page_size=100 (key)",
            f"/api/v1/tasks/?list={list_id}&status=all&page_size=100"
            if list_id and has_api()
            else None,
            False,
            True,
        ),
    ]
    return [row for row in rows if row[1]]


def has_api() -> bool:
    return has("quickscale_modules.api")


def record_migrations_applied() -> None:
    """Record every migration as applied, as `migrate` leaves a deployed database: the tables
    come from the models, and the status panel then counts what a migrated site counts."""
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    for app_label, name in MigrationLoader(connection, ignore_no_migrations=True).disk_migrations:
        recorder.record_applied(app_label, name)


LITERALS = re.compile(r"'[^']*'|\b\d+\b|%s")


def queries() -> list[dict]:
    # No setup_test_environment(): its instrumented template rendering (a context copy per
    # rendered template, for the test client) would inflate the timings of pages with many
    # includes. The test settings already allow the test client's host.
    connection.settings_dict.setdefault("TEST", {})["MIGRATE"] = False
    connection.creation.create_test_db(verbosity=0, serialize=False)
    record_migrations_applied()
    data = seed()
    signed_in = Client()
    signed_in.cookies[settings.SESSION_COOKIE_NAME] = data["session"]
    anonymous = Client()
    rows = []
    for label, path, session, key in pages(data):
        client = signed_in if session else anonymous
        headers = {"Authorization": f"Bearer {data['api_key']}"} if key else {}
        if "(htmx)" in label:
            headers["HX-Request"] = "true"
        client.get(path, headers=headers)  # warm: template loading, lazy imports
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, headers=headers)
        sql = [q["sql"] for q in captured.captured_queries]
        shapes = Counter(LITERALS.sub("?", statement) for statement in sql)
        repeated_sql, repeated = shapes.most_common(1)[0] if shapes else ("", 0)
        # CPU time of this process (Django and in-memory SQLite): steadier than wall-clock
        # time on a shared machine.
        timings = []
        for _ in range(10):
            start = time.process_time()
            client.get(path, headers=headers)
            timings.append((time.process_time() - start) * 1000)
        rows.append(
            {
                "page": label,
                "path": path,
                "status": response.status_code,
                "queries": len(sql),
                "max_same_shape": repeated,
                "repeated_sql": repeated_sql[:160] if repeated > 1 else "",
                "ms": statistics.median(timings),
                "kb": len(response.content) / 1024,
                "sql": [statement[:200] for statement in sql],
            }
        )
    return rows


def seed_open_tasks(count: int) -> dict:
    """A verified user with a session and one todo list of `count` open tasks (frontend.py)."""
    from quickscale_core import teams
    from quickscale_themes.todo import services
    from quickscale_themes.todo.models import Task

    user = get_user_model().objects.create_user(email=EMAIL, password="bench-pass-9-unused")
    if has("allauth.account"):
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    todo_list = services.create_list(
        teams.ensure_personal_team(user), user, name="Launch checklist"
    )
    Task.objects.bulk_create(
        Task(todo_list=todo_list, title=f"Task {index + 1} of the launch", position=index)
        for index in range(count)
    )
    client = Client()
    client.force_login(user)
    return {
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "list_id": todo_list.pk,
    }


def best_cpu_ms(client: Client, path: str, headers: dict, repeat: int) -> float:
    """The least CPU time (ms) of `repeat` requests after a warm-up: the one least disturbed
    by other processes of a shared machine."""
    response = client.get(path, headers=headers)
    if response.status_code != 200:
        sys.exit(f"{path} answered {response.status_code}")
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        client.get(path, headers=headers)
        best = min(best, time.process_time() - start)
    return best * 1000


def cpu_todo(repeat: int) -> dict:
    """CPU ms per request of the list page and the API's tasks of a list, both with 50 tasks
    (a full page), in an in-memory test database like `queries`."""
    connection.settings_dict.setdefault("TEST", {})["MIGRATE"] = False
    connection.creation.create_test_db(verbosity=0, serialize=False)
    data = seed_open_tasks(50)
    signed_in = Client()
    signed_in.cookies[settings.SESSION_COOKIE_NAME] = data["session"]
    list_path = reverse("todo:list_detail", args=[data["list_id"]])
    rows = {"todo list page, 50 tasks": best_cpu_ms(signed_in, list_path, {}, repeat)}
    if has_api():
        from quickscale_modules.api import services as api_services

        user = get_user_model().objects.get(email=EMAIL)
        key = api_services.create_key(user, "bench").key
        path = f"/api/v1/tasks/?list={data['list_id']}&status=all"
        headers = {"Authorization": f"Bearer {key}"}
        rows["API tasks of a list, page of 50"] = best_cpu_ms(Client(), path, headers, repeat)
    return rows


def cpu_hello(repeat: int) -> dict:
    """The bare project's hello view (http_load.py's baseline), measured like cpu_todo."""
    return {"hello": best_cpu_ms(Client(SERVER_NAME="127.0.0.1"), "/", {}, repeat)}


FLOOR_HELLO = "/bench-floor-hello/"


def floor_hello(request):
    """The bare project's hello view (http_load.HELLO_VIEW); `touch` loads the user."""
    from django.http import HttpResponse

    if request.GET.get("touch"):
        request.user.is_authenticated  # noqa: B018 - loads the session and the user
    return HttpResponse("Hello, world")


def floor_urlconf() -> str:
    """The project's URLs plus the hello view, as a module of its own (ROOT_URLCONF)."""
    import types

    from django.urls import include, path

    module = types.ModuleType("bench_floor_urls")
    module.urlpatterns = [path(FLOOR_HELLO.strip("/") + "/", floor_hello)]
    if settings.ROOT_URLCONF != module.__name__:
        module.urlpatterns.append(path("", include(settings.ROOT_URLCONF)))
    sys.modules[module.__name__] = module
    return module.__name__


def wsgi_cpu_ms(handler, path: str, headers: dict, rounds: int, repeat: int) -> float:
    """CPU ms per request of `handler` (Django's WSGI handler, as gunicorn calls it) on a GET
    of `path`: the mean of `repeat` requests, best of `rounds` rounds, after a warm-up."""
    from io import BytesIO

    from django.test.client import RequestFactory

    environ = RequestFactory()._base_environ(
        PATH_INFO=path.split("?")[0],
        QUERY_STRING=path.partition("?")[2],
        REQUEST_METHOD="GET",
        SERVER_NAME="127.0.0.1",
        **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()},
    )

    def one() -> int:
        env = dict(environ, **{"wsgi.input": BytesIO(b"")})
        status = []
        response = handler(env, lambda s, h, exc_info=None: status.append(s))
        for _chunk in response:
            pass
        response.close()
        return int(status[0].split()[0])

    for _ in range(20):
        status = one()
    if status != 200:
        sys.exit(f"{path} answered {status}")
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(repeat):
            one()
        best = min(best, (time.process_time() - start) / repeat)
    return best * 1000


def cpu_floors(rounds: int, repeat: int) -> dict:
    """The floors under issue 20's page goals (docs/performance.md, "Floors"): CPU ms per
    request through Django's WSGI handler, from a hello view with nothing but the middleware
    up to the real landing page and dashboard. With the settings of DJANGO_SETTINGS_MODULE
    (query_counts.py --floors: config.settings.prod, behind a TLS proxy) and an in-memory
    SQLite database built without migrations; in a bare startproject only the hello view."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished
    from django.db import close_old_connections
    from django.test.utils import override_settings

    # Production keeps connections (CONN_MAX_AGE); closing them would drop the in-memory
    # database here, as Django's test client knows too.
    request_finished.disconnect(close_old_connections)
    https = {"X-Forwarded-Proto": "https"} if settings.SECURE_PROXY_SSL_HEADER else {}
    settings.ROOT_URLCONF = floor_urlconf()
    if not has("quickscale_core"):
        return {"hello": wsgi_cpu_ms(WSGIHandler(), FLOOR_HELLO, https, rounds, repeat)}
    connection.settings_dict.setdefault("TEST", {})["MIGRATE"] = False
    connection.creation.create_test_db(verbosity=0, serialize=False)
    record_migrations_applied()
    from quickscale_core import teams

    user = get_user_model().objects.create_user(email=EMAIL, password="bench-pass-9-unused")
    if has("allauth.account"):
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    teams.ensure_personal_team(user)
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    signed_in = {**https, "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
    team_middleware = "quickscale_core.middleware.CurrentTeamMiddleware"
    with override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != team_middleware]):
        without_team = WSGIHandler()
    full = WSGIHandler()
    touch = FLOOR_HELLO + "?touch=1"
    rows = {
        "hello, the project's middleware": (full, FLOOR_HELLO, https),
        "hello, signed in, no team lookup": (without_team, touch, signed_in),
        "hello, signed in, with the team": (full, touch, signed_in),
        "landing (anonymous)": (full, reverse("home"), https),
        "landing (signed in)": (full, reverse("home"), signed_in),
        "dashboard": (full, reverse("dashboard"), signed_in),
    }
    return {
        label: wsgi_cpu_ms(handler, path, headers, rounds, repeat)
        for label, (handler, path, headers) in rows.items()
    }


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "seed":
        print(json.dumps(seed()))
    elif command == "queries":
        print(json.dumps(queries()))
    elif command == "seed-open-tasks":
        print(json.dumps(seed_open_tasks(int(sys.argv[2]))))
    elif command == "cpu-todo":
        print(json.dumps(cpu_todo(int(sys.argv[2]))))
    elif command == "cpu-hello":
        print(json.dumps(cpu_hello(int(sys.argv[2]))))
    elif command == "cpu-floors":
        print(json.dumps(cpu_floors(int(sys.argv[2]), int(sys.argv[3]))))
    else:
        sys.exit(
            "usage: project_side.py seed|queries|seed-open-tasks N|cpu-todo N|cpu-hello N"
            "|cpu-floors ROUNDS N"
        )
