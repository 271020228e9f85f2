"""System checks: a malformed periodic task is reported by `manage.py check` (and so by
`make run` and deploys), not by a worker log line hours later."""

from django.conf import settings
from django.core import checks

from quickscale_core.extensions import ManifestError

from .schedule import ScheduleError, entries


@checks.register()
def check_schedule(app_configs=None, **kwargs):
    try:
        found = entries()
        for entry in found:
            entry.task()
    except (ScheduleError, ManifestError) as exc:
        return [
            checks.Error(
                str(exc),
                hint='docs/modules/tasks.md, "Periodic tasks".',
                id="quickscale_tasks.E001",
            )
        ]
    return []


@checks.register()
def check_recovery_settings(app_configs=None, **kwargs):
    if settings.TASKS_HEARTBEAT_SECONDS < 1:
        return [
            checks.Error("TASKS_HEARTBEAT_SECONDS must be 1 or more.", id="quickscale_tasks.E002")
        ]
    if settings.TASKS_WORKER_LOST_AFTER < 3 * settings.TASKS_HEARTBEAT_SECONDS:
        return [
            checks.Error(
                "TASKS_WORKER_LOST_AFTER must be at least three heartbeats "
                f"(3 x TASKS_HEARTBEAT_SECONDS = {3 * settings.TASKS_HEARTBEAT_SECONDS} s): "
                "a busy but living worker would be taken for dead and its task run twice.",
                id="quickscale_tasks.E002",
            )
        ]
    return []
