"""What the queue looks like now: for the staff's status panel and `manage.py tasks_status`."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task_backends


def uses_database_queue() -> bool:
    return type(task_backends["default"]).__name__ == "DatabaseBackend"


def queue_status(now=None) -> dict[str, Any]:
    """Waiting tasks, the age of the oldest, running and recently failed tasks, live workers.

    For the Redis queue, RQ's counts (waiting, running, failed) and its live workers."""
    now = now or timezone.now()
    if uses_database_queue():
        return _database_status(now)
    return _redis_status()


def _database_status(now) -> dict[str, Any]:
    from django_tasks_db.models import DBTaskResult

    from .worker import live_workers

    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return {
        "queue": "database",
        "waiting": ready.count(),
        "oldest_wait_seconds": int((now - oldest).total_seconds()) if oldest else 0,
        "running": DBTaskResult.objects.running().count(),
        "failed_last_day": DBTaskResult.objects.failed()
        .filter(finished_at__gte=now - timedelta(days=1))
        .count(),
        "workers": live_workers(),
    }


def _redis_status() -> dict[str, Any]:
    import django_rq
    from rq import Worker

    queue = django_rq.get_queue("default")
    oldest = None
    first = queue.get_job_ids(0, 0)
    if first:
        job = queue.fetch_job(first[0])
        oldest = job.enqueued_at if job else None
    now = timezone.now()
    if oldest is not None and timezone.is_naive(oldest):
        oldest = timezone.make_aware(oldest, UTC)
    return {
        "queue": "redis",
        "waiting": queue.count,
        "oldest_wait_seconds": int((now - oldest).total_seconds()) if oldest else 0,
        "running": queue.started_job_registry.count,
        "failed_last_day": queue.failed_job_registry.count,
        "workers": Worker.count(queue=queue),
    }


def status_context(request) -> dict[str, Any]:
    """Context of the status panel's tasks line (manifest `status_items`)."""
    try:
        status = queue_status()
    except Exception:  # noqa: BLE001 - Redis down, tables missing: say so, never a 500.
        return {"tasks": None}
    status["stalled"] = bool(
        status["waiting"] and status["oldest_wait_seconds"] > settings.TASKS_WORKER_LOST_AFTER
    )
    return {"tasks": status}
