"""A task whose worker died mid-run is run again by another worker, once; a task that
keeps killing its worker is failed instead of looping; living workers are left alone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from quickscale_modules.tasks.models import WorkerHeartbeat
from quickscale_modules.tasks.tests.periodic import tick
from quickscale_modules.tasks.worker import LOST_EXCEPTION, Pulse, live_workers, recover_lost_tasks

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.TASKS_WORKER_LOST_AFTER = 60


def running_on(worker_id: str, minutes_ago: int, restarts: int = 0) -> DBTaskResult:
    row = DBTaskResult.objects.get(pk=tick.enqueue().id)
    for _ in range(restarts):
        row.claim("an-earlier-worker")
    row.claim(worker_id)
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return DBTaskResult.objects.get(pk=row.pk)


def heartbeat(worker_id: str, minutes_ago: int) -> None:
    seen = timezone.now() - timedelta(minutes=minutes_ago)
    WorkerHeartbeat.objects.create(worker_id=worker_id, started_at=seen, seen_at=seen)


@pytest.mark.django_db
def test_the_task_of_a_worker_that_stopped_beating_is_given_back():
    heartbeat("dead", minutes_ago=5)
    row = running_on("dead", minutes_ago=6)

    assert recover_lost_tasks() == {"requeued": 1, "failed": 0}

    row.refresh_from_db()
    assert row.status == "READY"
    assert DBTaskResult.objects.ready().filter(pk=row.pk).exists()
    # A second look finds nothing more to do: the task is given back once.
    assert recover_lost_tasks() == {"requeued": 0, "failed": 0}


@pytest.mark.django_db
def test_a_living_workers_long_task_is_left_alone():
    heartbeat("alive", minutes_ago=0)
    row = running_on("alive", minutes_ago=30)

    assert recover_lost_tasks() == {"requeued": 0, "failed": 0}

    row.refresh_from_db()
    assert row.status == "RUNNING"
    assert live_workers() == 1


@pytest.mark.django_db
def test_tasks_of_workers_without_heartbeats_are_never_second_guessed():
    # A plain `manage.py db_worker` writes no heartbeat: nothing says it died.
    heartbeat("dead", minutes_ago=5)
    row = running_on("someone-elses-worker", minutes_ago=30)

    recover_lost_tasks()

    row.refresh_from_db()
    assert row.status == "RUNNING"


@pytest.mark.django_db
def test_a_task_that_keeps_killing_its_worker_is_failed_with_the_reason(settings):
    settings.TASKS_MAX_RECOVERIES = 3
    heartbeat("dead", minutes_ago=5)
    row = running_on("dead", minutes_ago=6, restarts=3)

    assert recover_lost_tasks() == {"requeued": 0, "failed": 1}

    row.refresh_from_db()
    assert row.status == "FAILED"
    assert row.exception_class_path == LOST_EXCEPTION
    assert "stopped beating 4 times" in row.traceback


@pytest.mark.django_db
def test_a_task_claimed_again_meanwhile_is_not_given_back_twice():
    heartbeat("dead", minutes_ago=5)
    row = running_on("dead", minutes_ago=6)
    seen = DBTaskResult.objects.get(pk=row.pk)
    # Another worker recovered it and a third one claimed it since we read it.
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now())

    claim = DBTaskResult.objects.filter(pk=row.pk, status="RUNNING", started_at=seen.started_at)

    assert claim.update(status="READY") == 0


@pytest.mark.django_db
def test_the_pulse_beats_and_removes_its_heartbeat_when_the_worker_stops(settings):
    settings.TASKS_SCHEDULE = {}
    pulse = Pulse("w1", "default", heartbeat=True, run_schedule=False)

    pulse.tick()
    first = WorkerHeartbeat.objects.get(worker_id="w1").seen_at
    pulse.tick()

    assert WorkerHeartbeat.objects.get(worker_id="w1").seen_at >= first
    pulse.stop()
    assert not WorkerHeartbeat.objects.filter(worker_id="w1").exists()


@pytest.mark.django_db
def test_heartbeats_a_day_old_are_cleared():
    heartbeat("long-gone", minutes_ago=25 * 60)

    recover_lost_tasks()

    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.django_db
def test_a_worker_that_ends_mid_task_leaves_a_silent_heartbeat_so_the_task_comes_back(settings):
    # The development server's worker thread dies with its process (Ctrl+C, a reload).
    settings.TASKS_SCHEDULE = {}
    pulse = Pulse("dev", "default", heartbeat=True, run_schedule=False)
    pulse.tick()
    row = running_on("dev", minutes_ago=0)

    pulse.stop()

    assert WorkerHeartbeat.objects.filter(worker_id="dev").exists()
    assert live_workers() == 0
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - timedelta(minutes=2))
    assert recover_lost_tasks() == {"requeued": 1, "failed": 0}
