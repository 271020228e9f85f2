"""Periodic upkeep of the queue (declared in module.yml's `schedule:`)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

EMAIL_TASK = "quickscale_core.emails.deliver"


@task
def prune_results() -> int:
    """Delete finished results older than TASKS_RESULTS_KEEP_DAYS; returns how many."""
    from django_tasks_db.models import DBTaskResult

    from .selectors import uses_database_queue

    if not uses_database_queue():
        return 0  # RQ expires its own results.
    now = timezone.now()
    cutoff = now - timedelta(days=settings.TASKS_RESULTS_KEEP_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    # A sent email's row holds its body (password-reset links, sign-in codes): gone within
    # the hour, not kept for days. Failed ones stay for their traceback.
    sent, _ = (
        DBTaskResult.objects.successful()
        .filter(task_path=EMAIL_TASK, finished_at__lt=now - timedelta(hours=1))
        .delete()
    )
    return deleted + sent
