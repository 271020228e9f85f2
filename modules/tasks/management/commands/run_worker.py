"""`manage.py run_worker` (`make worker`): runs queued tasks until stopped.

With the database queue it is django-tasks-db's worker; with TASKS_BROKER_URL=redis://...
it is RQ's (through django-rq). Both get the pulse of worker.py: heartbeats and recovery
of tasks whose worker died (database queue; RQ has its own), and the periodic tasks.
Start as many as the load needs, on as many machines; each takes one task at a time.
"""

from __future__ import annotations

import os
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import autoreload
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django.utils.crypto import get_random_string
from django_tasks import task_backends

from quickscale_modules.tasks.worker import Pulse, QueueWorker


class Command(BaseCommand):
    help = "Run queued background tasks (and the periodic ones) until stopped."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--queues", default="default", help="Comma-separated queues to run (default: default)."
        )
        parser.add_argument(
            "--no-schedule",
            action="store_false",
            dest="schedule",
            help="Do not enqueue periodic tasks from this worker (another one does).",
        )
        parser.add_argument(
            "--batch", action="store_true", help="Run what is queued now, then exit."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between looks at an empty database queue (default: 1).",
        )
        parser.add_argument(
            "--reload",
            action="store_true",
            help="Restart on code changes (development; the default with DEBUG).",
        )

    def handle(
        self, *, queues: str, schedule: bool, batch: bool, interval: float, reload: bool, **options
    ) -> None:
        self.wait_for_migrations()
        backend = task_backends["default"]
        worker_id = get_random_string(32)
        database_queue = type(backend).__name__ == "DatabaseBackend"
        reload = database_queue and not batch and (reload or settings.DEBUG)
        if reload and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # The autoreloader's watcher: it runs this command again in a child process,
            # the actual worker (restarted on code changes), which beats and says so.
            autoreload.run_with_reloader(lambda: None)
            return
        pulse = Pulse(worker_id, queues, heartbeat=database_queue, run_schedule=schedule)
        self.stdout.write(
            f"Worker {worker_id[:8]} on the {'database' if database_queue else 'Redis'} queue "
            f"({queues}){', running periodic tasks' if schedule else ''}. Stop it with Ctrl+C."
        )
        pulse.start()
        try:
            if database_queue:
                self.run_database_worker(worker_id, queues, interval, batch, reload)
            else:
                call_command(
                    "rqworker",
                    *queues.split(","),
                    job_class="django_tasks_rq.Job",
                    with_scheduler=True,
                    burst=batch,
                    name=worker_id,
                    verbosity=options["verbosity"],
                )
        finally:
            pulse.stop()

    def run_database_worker(self, worker_id, queues, interval, batch, reload) -> None:
        worker = QueueWorker(
            queue_names=queues.split(","),
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,  # spreads workers started together
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        if reload:
            autoreload.run_with_reloader(worker.run)
        else:
            worker.run()

    def wait_for_migrations(self) -> None:
        """A worker started beside a deploy waits for `migrate` to create the queue's tables
        rather than failing (compose starts it together with the web container)."""
        from django_tasks_db.models import DBTaskResult

        from quickscale_modules.tasks.models import ScheduleSlot, WorkerHeartbeat

        needed = {model._meta.db_table for model in (DBTaskResult, ScheduleSlot, WorkerHeartbeat)}
        for waited in range(0, 300, 2):
            missing = needed - set(connection.introspection.table_names())
            if not missing:
                return
            if waited == 0:
                self.stdout.write("Waiting for `manage.py migrate` to create the task tables...")
            connection.close()
            time.sleep(2)
        raise CommandError(
            f"Tables {', '.join(sorted(missing))} are still missing after 5 minutes: run "
            "`manage.py migrate`."
        )
