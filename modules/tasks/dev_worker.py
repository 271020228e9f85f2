"""A worker inside `manage.py runserver` in development, so that `make run` alone sends the
emails a sign-up queues. It is django-tasks-db's worker loop in a daemon thread of the
server process: it restarts with the autoreloader (new code) and ends with the server.
Production runs `manage.py run_worker` processes instead (docs/modules/tasks.md).
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
import time

from django.apps import apps
from django.conf import settings
from django.utils.crypto import get_random_string

started = threading.Event()


def wanted(argv: list[str], environ: dict[str, str]) -> bool:
    """Whether this process is the development server that serves requests: with the
    autoreloader that is the child (RUN_MAIN=true), with --noreload the only process."""
    if len(argv) < 2 or argv[1] != "runserver":
        return False
    return environ.get("RUN_MAIN") == "true" or "--noreload" in argv


def start_if_runserver() -> None:
    if not (settings.DEBUG and wanted(sys.argv, dict(os.environ)) and not started.is_set()):
        return
    from django_tasks import task_backends

    database_queue = type(task_backends["default"]).__name__ == "DatabaseBackend"
    if not (settings.TASKS_WORKER_IN_RUNSERVER and database_queue):
        sys.stdout.write(
            "Tasks wait in the queue until a worker runs them: `make worker` in another terminal.\n"
        )
        return
    started.set()
    threading.Thread(target=_run, name="tasks-dev-worker", daemon=True).start()
    sys.stdout.write(
        "Tasks run in a worker inside this server (TASKS_WORKER_IN_RUNSERVER); production "
        "runs `make worker`.\n"
    )


def _run() -> None:
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from .worker import Pulse, QueueWorker

    # Started from AppConfig.ready(): wait until every app is ready before the first query.
    while not apps.ready:
        time.sleep(0.1)
    # `manage.py runserver` before `migrate`: wait for the queue's table instead of failing.
    while DBTaskResult._meta.db_table not in connection.introspection.table_names():
        connection.close()
        time.sleep(3)
    connection.close()
    worker_id = get_random_string(32)
    pulse = Pulse(worker_id, "default", heartbeat=True, run_schedule=True)
    pulse.start()
    # Ctrl+C and reloads end this thread with the process: remove the heartbeat on the way
    # out, so `tasks_status` does not count a worker that is gone.
    atexit.register(pulse.stop)
    worker = QueueWorker(
        queue_names=["default"],
        interval=1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    try:
        worker.run()
    finally:
        pulse.stop()
