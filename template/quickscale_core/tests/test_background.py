"""Background work (quickscale_core/background.py): enqueued only when the transaction
commits, and retried with growing delays when a task opts in."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task
from django_tasks.backends.dummy import DummyBackend

from quickscale_core.background import (
    ATTEMPT_KWARG,
    enqueue_on_commit,
    retry_delay,
    retrying_task,
)

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
calls: list[tuple] = []


@task
def remember(value: str) -> str:
    calls.append((value,))
    return value


@retrying_task(attempts=3, first_delay=60, longest_delay=90)
def flaky(value: str) -> str:
    calls.append((value,))
    raise ConnectionError("provider down")


@retrying_task(attempts=2, first_delay=60, takes_context=True)
def flaky_with_context(context, value: str) -> str:
    calls.append((context.attempt, value))
    raise ConnectionError("provider down")


class RefusingBackend(DummyBackend):
    """A queue that cannot take the task (Redis down)."""

    def enqueue(self, task, args, kwargs):
        raise ConnectionError("Redis is down")


@pytest.fixture
def queue(settings):
    settings.TASKS = DUMMY
    calls.clear()
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


@pytest.mark.django_db
def test_work_enqueued_outside_a_transaction_is_enqueued_at_once(queue):
    enqueue_on_commit(remember, "now")

    assert [result.args for result in queue.results] == [["now"]]


@pytest.mark.django_db
def test_work_enqueued_in_a_rolled_back_transaction_never_runs(
    queue, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue_on_commit(remember, "lost")
        raise RuntimeError("the view failed after enqueueing")

    assert callbacks == []
    assert queue.results == []


@pytest.mark.django_db
def test_work_enqueued_in_a_transaction_waits_for_its_commit(
    queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        enqueue_on_commit(remember, "later")
        assert queue.results == []

    assert len(callbacks) == 1
    callbacks[0]()
    assert [result.args for result in queue.results] == [["later"]]


def test_retry_delays_double_up_to_the_longest():
    assert [retry_delay(n, 60, 3600) for n in range(1, 9)] == [
        60, 120, 240, 480, 960, 1920, 3600, 3600,
    ]  # fmt: skip


def test_a_failing_run_is_enqueued_again_after_the_delay_and_still_fails(queue):
    before = timezone.now()

    with pytest.raises(ConnectionError):
        flaky.call("x")

    [retry] = queue.results
    assert retry.task.module_path.endswith("test_background.flaky")
    assert retry.args == ["x"]
    assert retry.kwargs == {ATTEMPT_KWARG: 2}
    wait = retry.task.run_after - before
    assert timedelta(seconds=59) < wait < timedelta(seconds=62)


def test_the_attempt_number_is_not_passed_to_the_function_and_delays_grow(queue):
    with pytest.raises(ConnectionError):
        flaky.call("x", **{ATTEMPT_KWARG: 2})

    [retry] = queue.results
    assert retry.kwargs == {ATTEMPT_KWARG: 3}
    # 60 s doubled is 120 s, but longest_delay caps it at 90 s.
    assert retry.task.run_after - timezone.now() < timedelta(seconds=91)
    assert calls == [("x",)]


def test_the_last_attempt_is_not_retried(queue):
    with pytest.raises(ConnectionError):
        flaky.call("x", **{ATTEMPT_KWARG: 3})

    assert queue.results == []


def test_without_a_queue_a_failure_is_recorded_once_and_never_raised_into_the_caller(settings):
    settings.TASKS = IMMEDIATE
    calls.clear()

    result = flaky.enqueue("y")

    assert result.status == "FAILED"
    assert result.errors[0].exception_class_path == "builtins.ConnectionError"
    assert calls == [("y",)]


def test_retrying_task_refuses_zero_attempts():
    with pytest.raises(ValueError, match="attempts"):
        retrying_task(attempts=0)


def test_a_task_that_takes_its_context_is_retried_with_its_own_arguments(queue):
    from django_tasks import TaskContext

    run = flaky_with_context.enqueue("z")
    with pytest.raises(ConnectionError):
        flaky_with_context.call(TaskContext(task_result=run), "z")

    retry = queue.results[-1]
    assert retry.args == ["z"]
    assert retry.kwargs == {ATTEMPT_KWARG: 2}


@pytest.mark.django_db(transaction=True)
def test_a_queue_that_refuses_the_task_after_the_commit_is_logged_not_a_500(settings, caplog):
    settings.TASKS = {
        "default": {"BACKEND": "quickscale_core.tests.test_background.RefusingBackend"}
    }

    with transaction.atomic():
        enqueue_on_commit(remember, "x")

    assert "Redis is down" in caplog.text
