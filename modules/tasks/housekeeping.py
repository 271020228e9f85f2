"""Periodic upkeep of the queue (declared in module.yml's `schedule:`)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task


@task
def prune_results() -> int:
    """Delete finished results older than TASKS_RESULTS_KEEP_DAYS; returns how many."""
    from django_tasks_db.models import DBTaskResult

    from .selectors import uses_database_queue

    if not uses_database_queue():
        return 0  # RQ expires its own results.
    cutoff = timezone.now() - timedelta(days=settings.TASKS_RESULTS_KEEP_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted
