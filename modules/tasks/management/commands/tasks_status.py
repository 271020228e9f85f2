"""`manage.py tasks_status [--json]`: the queue at a glance, for people and monitoring."""

import json as jsonlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quickscale_modules.tasks.selectors import queue_status


class Command(BaseCommand):
    help = "Show waiting, running and failed tasks, the oldest wait and the live workers."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", help="Print JSON (for monitoring).")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Exit with status 1 when tasks wait longer than TASKS_WORKER_LOST_AFTER "
            "and no worker is alive (a container health check).",
        )

    def handle(self, *, json: bool, check: bool, **options) -> None:
        try:
            status = queue_status()
        except Exception as error:  # noqa: BLE001 - Redis or the database unreachable
            raise CommandError(f"The task queue cannot be read: {error}") from error
        stalled = status["oldest_wait_seconds"] > settings.TASKS_WORKER_LOST_AFTER
        if check and status["waiting"] and stalled and not status["workers"]:
            raise CommandError(
                f"{status['waiting']} task(s) waiting for {status['oldest_wait_seconds']} s "
                "and no live worker."
            )
        if json:
            self.stdout.write(jsonlib.dumps(status))
            return
        self.stdout.write(
            f"Queue ({status['queue']}): {status['waiting']} waiting"
            f" (oldest {status['oldest_wait_seconds']} s), {status['running']} running,"
            f" {status['failed_last_day']} failed in the last day;"
            f" {status['workers']} live worker(s)."
        )
        if status["waiting"] and not status["workers"]:
            self.stdout.write("No worker is running: start one with `make worker`.")
