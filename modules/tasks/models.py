"""What the tasks module stores beside django-tasks-db's own results table."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """A running worker, refreshed every TASKS_HEARTBEAT_SECONDS. A worker whose row went
    stale has died (killed, out of memory, machine gone): its running task is run again."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    queues = models.CharField(max_length=255, blank=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} ({self.worker_id})"


class ScheduleSlot(models.Model):
    """When a periodic task (TASKS_SCHEDULE, manifests' `schedule:`) is next due. Workers
    claim a due slot by moving `next_run_at` in one conditional UPDATE, so however many
    workers run the schedule, each due run is enqueued once."""

    name = models.CharField(max_length=255, unique=True)
    next_run_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
