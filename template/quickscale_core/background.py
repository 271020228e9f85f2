"""Background work on Django's task API, in every project.

Code is written against the task API that Django 6 ships as `django.tasks`; on Django 5.2
the `django-tasks` backport provides it, so tasks move to `django.tasks` unchanged later.
Without the tasks module, TASKS (config/settings/base.py) is the immediate backend: a task
runs in the process that enqueues it, right after the transaction commits, so nothing
depends on a worker. The tasks module switches TASKS to a database queue (or Redis) run by
`make worker` (QuickScale's docs/modules/tasks.md).

    from quickscale_core.background import enqueue_on_commit, retrying_task

    @retrying_task(attempts=5)
    def sync_quantity(team_id: int) -> None: ...

    enqueue_on_commit(sync_quantity, team.pk)
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

logger = logging.getLogger(__name__)

# The keyword a retried run carries its attempt number in; the task function never sees it.
ATTEMPT_KWARG = "_quickscale_attempt"


def enqueue_on_commit(work: Task, *args: Any, **kwargs: Any) -> None:
    """Enqueue `work` once the current transaction commits; never if it rolls back.

    Outside a transaction it is enqueued at once; so it is with the database queue, whose
    row is part of the transaction itself. Arguments must be JSON values (ids, text),
    not model instances: the worker loads what it needs, as it is when the task runs.
    """

    def enqueue() -> None:
        # A function, not a functools.partial: Django logs a failing robust callback by its
        # __qualname__, and a partial's missing one turned "Redis is down" into a 500.
        work.enqueue(*args, **kwargs)

    connection = transaction.get_connection()
    if _only_test_transactions(connection) or _queue_joins_transaction(work):
        enqueue()
    else:
        transaction.on_commit(enqueue, robust=True)


def _queue_joins_transaction(work: Task) -> bool:
    # The database queue (the tasks module's default) writes its row through the same
    # connection: inside the transaction the row commits with the data or vanishes with
    # it, and no worker sees it before the commit. That is the on-commit rule without the
    # gap in which a crash after the commit would lose the task.
    return type(work.get_backend()).__name__ == "DatabaseBackend"


def _only_test_transactions(connection: Any) -> bool:
    # Django's TestCase wraps each test in transactions that never commit; work enqueued
    # by code that runs outside transactions of its own (a view sending an email) would
    # then never run in tests. Those wrappers are marked _from_testcase (Django uses the
    # mark for durable atomic blocks); with nothing else open, the code is outside any
    # transaction as far as it can tell, as in production, so enqueue now.
    blocks = connection.atomic_blocks
    return bool(blocks) and all(getattr(block, "_from_testcase", False) for block in blocks)


def retry_delay(attempt: int, first: int, longest: int) -> int:
    """Seconds to wait before run number `attempt + 1`: `first`, doubled per failure."""
    return min(first * 2 ** (attempt - 1), longest)


def retrying_task(
    *, attempts: int = 5, first_delay: int = 60, longest_delay: int = 6 * 3600, **options: Any
) -> Callable[[Callable], Task]:
    """@task for work worth retrying (an email, a call to Stripe): when a run raises, the
    same task is enqueued again after `first_delay` seconds, doubled on every failure (at
    most `longest_delay`), until `attempts` runs have failed. Each failed run stays in the
    results (its traceback in the admin); the error is raised again so it is recorded.

    Retries need a backend that can defer (the tasks module's queues). With the immediate
    backend a failure is logged once and not retried: there is no worker to wait for.
    `options` are @task's (priority, queue_name, backend).
    """
    if attempts < 1:
        raise ValueError("attempts must be 1 or more.")

    def decorate(func: Callable) -> Task:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            attempt = int(kwargs.pop(ATTEMPT_KWARG, 1))
            # With takes_context=True the worker passes the run's context first; the next
            # run gets its own, so only the task's own arguments are enqueued again.
            arguments = args[1:] if retried.takes_context else args
            try:
                return func(*args, **kwargs)
            except Exception:
                backend = retried.get_backend()
                if attempt >= attempts or not backend.supports_defer:
                    logger.warning(
                        "%s failed on attempt %d of %d.", retried.name, attempt, attempts
                    )
                    raise
                delay = retry_delay(attempt, first_delay, longest_delay)
                retried.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
                    *arguments, **kwargs, **{ATTEMPT_KWARG: attempt + 1}
                )
                logger.warning(
                    "%s failed on attempt %d of %d; retrying in %d s.",
                    retried.name, attempt, attempts, delay,
                )  # fmt: skip
                raise

        retried = task(**options)(run)
        return retried

    return decorate
