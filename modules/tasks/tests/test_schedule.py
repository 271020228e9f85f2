"""Periodic tasks (schedule.py): declared in settings and manifests, validated by a system
check, and each due run enqueued once however many workers look at the same moment."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django_tasks import default_task_backend

from quickscale_modules.tasks import schedule
from quickscale_modules.tasks.models import ScheduleSlot

TICK = "quickscale_modules.tasks.tests.periodic.tick"
NOON = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def enqueued(queue) -> list[str]:
    return [result.task.name for result in queue.results]


def due(moment) -> list[str]:
    """The entries this test declared that enqueue_due enqueued (the module's own
    housekeeping entry is due too, and not what these tests are about)."""
    return [name for name in schedule.enqueue_due(moment) if not name.startswith("quickscale")]


@pytest.mark.django_db
def test_an_interval_task_runs_at_once_then_once_per_period(queue, settings):
    settings.TASKS_SCHEDULE = {"tick": {"task": TICK, "every": "15m"}}

    assert due(NOON) == ["tick"]
    assert due(NOON + timedelta(minutes=14)) == []
    assert due(NOON + timedelta(minutes=15)) == ["tick"]
    assert enqueued(queue).count("tick") == 2


@pytest.mark.django_db
def test_two_workers_looking_at_the_same_moment_enqueue_one_run(queue, settings):
    settings.TASKS_SCHEDULE = {"tick": {"task": TICK, "every": 60}}
    due(NOON)
    moment = NOON + timedelta(minutes=1)
    slot = ScheduleSlot.objects.get(name="tick")

    # The second worker read the slot before the first one claimed it: its conditional
    # UPDATE finds the slot moved and enqueues nothing.
    first = due(moment)
    stale = ScheduleSlot.objects.filter(pk=slot.pk, next_run_at=slot.next_run_at).update(
        next_run_at=moment
    )

    assert first == ["tick"]
    assert stale == 0
    assert due(moment) == []
    assert enqueued(queue).count("tick") == 2


@pytest.mark.django_db
def test_a_cron_task_waits_for_its_time(queue, settings):
    settings.TASKS_SCHEDULE = {"nightly": {"task": TICK, "cron": "0 3 * * *"}}

    assert due(NOON) == []
    assert ScheduleSlot.objects.get(name="nightly").next_run_at == datetime(
        2026, 11, 28, 3, 0, tzinfo=UTC
    )
    assert due(datetime(2026, 11, 28, 3, 0, 5, tzinfo=UTC)) == ["nightly"]


@pytest.mark.django_db
def test_a_shortened_period_takes_effect_without_waiting_out_the_old_one(queue, settings):
    settings.TASKS_SCHEDULE = {"tick": {"task": TICK, "every": "1d"}}
    due(NOON)
    settings.TASKS_SCHEDULE = {"tick": {"task": TICK, "every": "1h"}}

    due(NOON + timedelta(minutes=1))

    assert ScheduleSlot.objects.get(name="tick").next_run_at == NOON + timedelta(hours=1, minutes=1)
    assert due(NOON + timedelta(hours=1, minutes=1)) == ["tick"]


def test_modules_declare_periodic_tasks_in_their_manifests(settings):
    settings.TASKS_SCHEDULE = {}

    names = {entry.task_path: entry for entry in schedule.entries()}

    prune = names["quickscale_modules.tasks.housekeeping.prune_results"]
    assert prune.every == 3600


def test_the_project_setting_replaces_a_modules_entry_for_the_same_task(settings):
    prune = "quickscale_modules.tasks.housekeeping.prune_results"
    settings.TASKS_SCHEDULE = {"prune nightly": {"task": prune, "cron": "30 2 * * *"}}

    entries = [entry for entry in schedule.entries() if entry.task_path == prune]

    assert [(entry.name, entry.cron, entry.every) for entry in entries] == [
        ("prune nightly", "30 2 * * *", None)
    ]


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"task": TICK}, "exactly one of `every` and `cron`"),
        ({"task": TICK, "every": "1h", "cron": "* * * * *"}, "exactly one"),
        ({"task": TICK, "every": "soon"}, '"15m"'),
        ({"task": TICK, "every": 5}, "`every: 5` is too often"),
        ({"task": TICK, "evry": "1h"}, "unknown 'evry'"),
        ({"task": TICK, "every": "1h", "args": [1]}, "take no arguments"),
        ({"task": TICK, "every": True}, "not a period"),
        ({"task": TICK, "cron": "every night"}, "not a cron expression"),
        ({"task": TICK, "cron": "0 0 3 * * *"}, "not a cron expression"),  # six fields
        ({"task": TICK, "cron": "0 0 31 2 *"}, "never runs"),
        ({"task": TICK, "every": "999999999d"}, "longer than a year"),
        ({"every": "1h"}, "needs `task`"),
        ("quickscale_modules.tasks.tests.periodic.tick", "needs `task`"),
    ],
)
def test_malformed_entries_are_refused_with_what_to_write(settings, item, message):
    settings.TASKS_SCHEDULE = {"bad": item}

    with pytest.raises(schedule.ScheduleError, match=message):
        schedule.entries()


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("quickscale_modules.tasks.tests.periodic.not_a_task", "is not a task"),
        ("quickscale_modules.tasks.tests.periodic.missing", "cannot import"),
        ("quickscale_modules.tasks.tests.periodic.append_line", "needs path, line"),
    ],
)
@pytest.mark.django_db
def test_manage_py_check_names_a_periodic_task_that_is_not_one(settings, path, message):
    settings.TASKS_SCHEDULE = {"bad": {"task": path, "every": "1h"}}

    with pytest.raises(SystemCheckError, match=message):
        call_command("check")


@pytest.mark.django_db
def test_a_recovery_window_shorter_than_three_heartbeats_is_refused(settings):
    settings.TASKS_WORKER_LOST_AFTER = 10

    with pytest.raises(SystemCheckError, match="quickscale_tasks.E002"):
        call_command("check")


def test_the_project_may_list_one_task_twice(settings):
    settings.TASKS_SCHEDULE = {
        "morning": {"task": TICK, "cron": "0 7 * * *"},
        "evening": {"task": TICK, "cron": "0 19 * * *"},
    }

    names = {entry.name for entry in schedule.entries() if entry.task_path == TICK}

    assert names == {"morning", "evening"}


@pytest.mark.django_db
def test_an_entry_that_fails_does_not_stop_the_others(queue, settings, caplog):
    settings.TASKS_SCHEDULE = {
        "gone": {"task": "quickscale_modules.tasks.tests.periodic.renamed", "every": "1h"},
        "tick": {"task": TICK, "every": "1h"},
    }

    assert due(NOON) == ["tick"]
    assert "Periodic task gone could not be enqueued" in caplog.text


def test_a_long_name_is_refused(settings):
    settings.TASKS_SCHEDULE = {"x" * 300: {"task": TICK, "every": "1h"}}

    with pytest.raises(schedule.ScheduleError, match="200 characters"):
        schedule.entries()


@pytest.mark.django_db
def test_a_heartbeat_of_zero_seconds_is_refused(settings):
    settings.TASKS_HEARTBEAT_SECONDS = 0
    settings.TASKS_WORKER_LOST_AFTER = 0

    with pytest.raises(SystemCheckError, match="TASKS_HEARTBEAT_SECONDS must be 1"):
        call_command("check")
