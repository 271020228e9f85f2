"""`manage.py run_worker`, the development worker inside runserver, `tasks_status` and the
staff's status panel line."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from quickscale_modules.tasks import dev_worker
from quickscale_modules.tasks.models import WorkerHeartbeat
from quickscale_modules.tasks.tests.periodic import append_line
from quickscale_modules.tasks.worker import Pulse

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.TASKS_SCHEDULE = {}
    settings.TASKS_HEARTBEAT_SECONDS = 1


@pytest.mark.django_db(transaction=True)
def test_run_worker_runs_what_is_queued_and_leaves_no_heartbeat(tmp_path, capsys, monkeypatch):
    # The pulse beats once, in this thread: a second thread on the test's in-memory SQLite
    # database meets "database schema is locked" now and then. Workers in their own
    # processes, pulse threads included, are tested on PostgreSQL by the template's suite
    # (tests/e2e/test_task_workers.py).
    monkeypatch.setattr(Pulse, "start", Pulse.tick)
    out = tmp_path / "runs.txt"
    results = [append_line.enqueue(str(out), f"run {n}") for n in range(3)]

    call_command("run_worker", batch=True, verbosity=0)

    assert [line.split()[0:2] for line in out.read_text().splitlines()] == [
        ["run", "0"], ["run", "1"], ["run", "2"],
    ]  # fmt: skip
    statuses = DBTaskResult.objects.filter(pk__in=[r.id for r in results]).values_list(
        "status", flat=True
    )
    assert set(statuses) == {"SUCCESSFUL"}
    assert not WorkerHeartbeat.objects.exists()
    assert "on the database queue" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        (["manage.py", "runserver"], {"RUN_MAIN": "true"}, True),
        (["manage.py", "runserver"], {}, False),  # the autoreloader's parent: it serves nothing
        (["manage.py", "runserver", "--noreload"], {}, True),
        (["manage.py", "migrate"], {"RUN_MAIN": "true"}, False),
        (["manage.py"], {}, False),
    ],
)
def test_the_development_worker_starts_only_in_the_serving_runserver(argv, environ, expected):
    assert dev_worker.wanted(argv, environ) is expected


@pytest.mark.django_db
def test_tasks_status_reports_the_queue(capsys):
    append_line.enqueue("/dev/null", "x")

    call_command("tasks_status", json=True)
    status = json.loads(capsys.readouterr().out)

    assert status["queue"] == "database"
    assert status["waiting"] == 1
    assert status["workers"] == 0


@pytest.mark.django_db
def test_the_health_check_fails_when_tasks_wait_and_no_worker_runs(settings):
    settings.TASKS_WORKER_LOST_AFTER = 60
    result = append_line.enqueue("/dev/null", "x")
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - timezone.timedelta(minutes=5)
    )

    with pytest.raises(CommandError, match="no live worker"):
        call_command("tasks_status", check=True)

    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w", started_at=now, seen_at=now)
    call_command("tasks_status", check=True)


@pytest.mark.django_db
def test_staff_see_the_queue_in_the_status_panel_and_members_do_not(
    client, django_user_model, settings
):
    if settings.QUICKSCALE_FRONTEND != "htmx":
        pytest.skip("the React dashboard has its own status panel, without module lines")
    append_line.enqueue("/dev/null", "x")
    member = django_user_model.objects.create_user(email="m@example.com", password="pw-12345678")
    staff = django_user_model.objects.create_user(
        email="s@example.com", password="pw-12345678", is_staff=True
    )

    client.force_login(member)
    assert "Task queue" not in client.get(reverse("dashboard_status")).content.decode()
    client.force_login(staff)
    page = client.get(reverse("dashboard_status")).content.decode()

    assert "Task queue" in page
    assert "1 waiting" in page
    assert "0 workers" in page


@pytest.mark.django_db(transaction=True)
def test_an_error_text_the_database_refuses_is_recorded_cleaned_and_the_worker_goes_on():
    from quickscale_modules.tasks.tests.periodic import explode
    from quickscale_modules.tasks.worker import QueueWorker

    # PostgreSQL refuses NUL in text: django-tasks-db's worker then died with the task
    # marked running. (SQLite stores it as it is; either way the task ends up failed.)
    result = explode.enqueue("bad<NUL>byte")
    worker = QueueWorker(
        queue_names=["default"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="w", excluded_queue_names=[],
    )  # fmt: skip

    worker.run()

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "FAILED"
    assert row.exception_class_path == "builtins.ValueError"
    assert "bad" in row.traceback and "byte" in row.traceback
