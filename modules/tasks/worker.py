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
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks import TaskResultStatus

from . import schedule
from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

LOST_EXCEPTION = "quickscale_modules.tasks.worker.WorkerLost"


class WorkerLost(Exception):
    """Recorded on a task whose worker died while running it too many times."""


def beat(worker_id: str, queues: str, started_at) -> None:
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            hostname=socket.gethostname()[:255],
            pid=os.getpid(),
            queues=queues[:255],
            started_at=started_at,
            seen_at=now,
        )


def recover_lost_tasks(now=None) -> dict[str, int]:
    """Give back (or fail) the tasks whose worker stopped beating; returns the counts."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    lost_before = now - timedelta(seconds=settings.TASKS_WORKER_LOST_AFTER)
    silent = set(
        WorkerHeartbeat.objects.filter(seen_at__lt=lost_before).values_list("worker_id", flat=True)
    )
    counts = {"requeued": 0, "failed": 0}
    if not silent:
        return counts
    for result in DBTaskResult.objects.running().filter(started_at__lt=lost_before):
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
                finished_at=now,
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
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return counts


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
            self.tick()
            self.stopping.wait(settings.TASKS_HEARTBEAT_SECONDS)
        connection.close()

    def tick(self) -> None:
        close_old_connections()
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
                silent = timedelta(seconds=settings.TASKS_WORKER_LOST_AFTER + 1)
                mine.update(seen_at=timezone.now() - silent)
            else:
                mine.delete()
        except Exception:
            logger.exception("Tasks worker %s: could not remove its heartbeat", self.worker_id)


def live_workers(now=None) -> int:
    now = now or timezone.now()
    lost_before = now - timedelta(seconds=settings.TASKS_WORKER_LOST_AFTER)
    return WorkerHeartbeat.objects.filter(seen_at__gte=lost_before).count()
