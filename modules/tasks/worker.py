"""The worker process: django-tasks-db's worker (or RQ's, with TASKS_BROKER_URL) plus a
pulse thread that keeps the queue healthy.

The pulse, every TASKS_HEARTBEAT_SECONDS:
- writes this worker's heartbeat (WorkerHeartbeat), removed again when the worker stops;
- gives back tasks whose worker died: a task still RUNNING whose worker's heartbeat is
  older than TASKS_WORKER_LOST_AFTER is made READY again, so another worker runs it (after
  TASKS_MAX_RECOVERIES such restarts it is marked failed instead). Only workers that write
  heartbeats are judged, so a plain `db_worker` elsewhere is never second-guessed;
- enqueues the periodic tasks that are due (schedule.py), unless started with --no-schedule.

A task interrupted by a crash therefore runs again from its start: write tasks so that a
second run does no harm (the tasks of QuickScale's modules are).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.db.models import DateTimeField, ExpressionWrapper
from django.db.models.functions import Now
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker

from . import schedule
from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

LOST_EXCEPTION = "quickscale_modules.tasks.worker.WorkerLost"


class WorkerLost(Exception):
    """Recorded on a task whose worker died while running it too many times."""


def database_now(ago: float = 0):
    """The database's clock (minus `ago` seconds): heartbeats are written and judged by one
    clock, so a machine whose own clock is behind is not taken for dead."""
    if not ago:
        return Now()
    return ExpressionWrapper(Now() - timedelta(seconds=ago), output_field=DateTimeField())


def beat(worker_id: str, queues: str, started_at) -> None:
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=database_now())
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            hostname=socket.gethostname()[:255],
            pid=os.getpid(),
            queues=queues[:255],
            started_at=started_at,
            seen_at=database_now(),
        )


def recover_lost_tasks(now=None) -> dict[str, int]:
    """Give back (or fail) the tasks whose worker stopped beating; returns the counts."""
    from django_tasks_db.models import DBTaskResult

    lost_after = settings.TASKS_WORKER_LOST_AFTER
    if now is None:
        lost_before, day_ago = database_now(lost_after), database_now(86400)
    else:
        lost_before, day_ago = now - timedelta(seconds=lost_after), now - timedelta(days=1)
    silent = set(
        WorkerHeartbeat.objects.filter(seen_at__lt=lost_before).values_list("worker_id", flat=True)
    )
    counts = {"requeued": 0, "failed": 0}
    if not silent:
        return counts
    # Silence alone decides (not the task's start time, written by the worker's own clock).
    for result in DBTaskResult.objects.running():
        if not result.worker_ids or result.worker_ids[-1] not in silent:
            continue
        # Conditional on the claim we saw (its started_at), so two workers recovering at
        # once give it back once, and a task claimed again meanwhile is left alone.
        claim = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        )
        restarts = len(result.worker_ids)
        if restarts > settings.TASKS_MAX_RECOVERIES:
            counts["failed"] += claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path=LOST_EXCEPTION,
                traceback=(
                    f"{LOST_EXCEPTION}: the worker running this task stopped beating "
                    f"{restarts} times (killed, out of memory or its machine gone); it is not "
                    "run again. Enqueue it anew once the cause is fixed.\n"
                ),
            )
        else:
            requeued = claim.update(status=TaskResultStatus.READY)
            counts["requeued"] += requeued
            if requeued:
                logger.warning(
                    "Task %s (%s) was running on worker %s, which stopped; it will run again.",
                    result.pk, result.task_path, result.worker_ids[-1],
                )  # fmt: skip
    # Heartbeats of workers gone for a day, with nothing left to recover, are history.
    WorkerHeartbeat.objects.filter(seen_at__lt=day_ago).delete()
    return counts


class QueueWorker(DatabaseWorker):
    """django-tasks-db's worker, minus one way to die: when the database refuses to record a
    task's outcome (PostgreSQL refuses a NUL byte in the error text), that worker exits and
    leaves the task marked running. This one records a cleaned copy and goes on."""

    def run_task(self, db_task_result) -> None:
        try:
            super().run_task(db_task_result)
        except DatabaseError as error:
            logger.exception("Task %s: its outcome could not be recorded", db_task_result.pk)
            type(db_task_result).objects.filter(
                pk=db_task_result.pk, status=TaskResultStatus.RUNNING
            ).update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                return_value=None,
                exception_class_path=clean(db_task_result.exception_class_path)
                or f"{type(error).__module__}.{type(error).__qualname__}",
                traceback=clean(db_task_result.traceback) or clean(str(error)),
            )


def clean(text: str | None) -> str:
    # NUL is the one character PostgreSQL's text columns refuse.
    return (text or "").replace("\x00", "\\x00")


class Pulse(threading.Thread):
    """The background thread of one worker (see the module docstring)."""

    def __init__(self, worker_id: str, queues: str, *, heartbeat: bool, run_schedule: bool):
        super().__init__(name=f"tasks-pulse-{worker_id[:8]}", daemon=True)
        self.worker_id = worker_id
        self.queues = queues
        self.heartbeat = heartbeat
        self.run_schedule = run_schedule
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            close_old_connections()
            self.tick()
            self.stopping.wait(settings.TASKS_HEARTBEAT_SECONDS)
        connection.close()

    def tick(self) -> None:
        # Each part on its own: a failing periodic task import must not stop the heartbeat.
        for part in (self._beat, self._recover, self._schedule):
            try:
                part()
            except Exception:
                logger.exception("Tasks worker %s: %s failed", self.worker_id, part.__name__)

    def _beat(self) -> None:
        if self.heartbeat:
            beat(self.worker_id, self.queues, self.started_at)

    def _recover(self) -> None:
        if self.heartbeat:
            recover_lost_tasks()

    def _schedule(self) -> None:
        if self.run_schedule:
            for name in schedule.enqueue_due():
                logger.info("Enqueued periodic task %s", name)

    def stop(self) -> None:
        """Stop beating and remove the heartbeat: a worker that stops cleanly is not lost.

        If a task of this worker is still marked running (the development server's worker
        thread ends with its process, mid-task), the heartbeat is left, dated as silent:
        the next pulse of any worker gives that task back instead of never."""
        from django_tasks_db.models import DBTaskResult

        self.stopping.set()
        if self.is_alive():
            self.join(timeout=settings.TASKS_HEARTBEAT_SECONDS + 5)
        if not self.heartbeat:
            return
        try:
            mine = WorkerHeartbeat.objects.filter(worker_id=self.worker_id)
            running = DBTaskResult.objects.running().values_list("worker_ids", flat=True)
            if any(ids and ids[-1] == self.worker_id for ids in running):
                mine.update(seen_at=database_now(settings.TASKS_WORKER_LOST_AFTER + 1))
            else:
                mine.delete()
        except Exception:
            logger.exception("Tasks worker %s: could not remove its heartbeat", self.worker_id)


def live_workers() -> int:
    lost_after = settings.TASKS_WORKER_LOST_AFTER
    return WorkerHeartbeat.objects.filter(seen_at__gte=database_now(lost_after)).count()
