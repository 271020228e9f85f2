"""What an operator does to the queue: run a failed task again, run a periodic task now.
The admin's actions call these; so can a shell (`manage.py shell`)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from quickscale_core.background import ATTEMPT_KWARG

from .models import ScheduleSlot


def enqueue_again(result_ids) -> list[str]:
    """Enqueue anew, with the same arguments, each failed task among `result_ids` (the
    database queue's results). The failed result stays as it was; returns the new ids.
    Tasks whose code is gone (renamed, removed) are skipped."""
    from django_tasks_db.models import DBTaskResult

    again = []
    failed = DBTaskResult.objects.failed().filter(pk__in=result_ids)
    with transaction.atomic():
        for result in failed:
            try:
                task = result.task
            except ImportError:
                continue
            arguments = result.args_kwargs
            # A retried run's attempt number (retrying_task) starts over: a fresh try.
            kwargs = {k: v for k, v in arguments["kwargs"].items() if k != ATTEMPT_KWARG}
            fresh = task.using(run_after=timezone.now()).enqueue(*arguments["args"], **kwargs)
            again.append(str(fresh.id))
    return again


def run_periodic_now(names) -> int:
    """Make the periodic tasks `names` due at once: the next worker pulse enqueues them
    (once, as always). Returns how many slots were moved."""
    return ScheduleSlot.objects.filter(name__in=names).update(next_run_at=timezone.now())
