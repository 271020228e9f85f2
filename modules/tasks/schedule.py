"""Periodic tasks: what is due, and enqueueing each due run exactly once.

Entries come from the manifests of installed apps (`contributes: schedule:`, items with
`task` and `every` or `cron`) and from settings.TASKS_SCHEDULE, which wins for the same
name or task. Every worker (`manage.py run_worker`) runs `enqueue_due` every few seconds;
the ScheduleSlot row of an entry is claimed with a conditional UPDATE, so one run is
enqueued per due time however many workers there are. With the database queue the run is
enqueued in the same transaction as the claim: both happen, or neither.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from croniter import croniter
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task

from quickscale_core import extensions

from .models import ScheduleSlot

logger = logging.getLogger(__name__)

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
EVERY = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
# Shorter periods would mostly measure the workers' polling; longer ones overflow dates.
SHORTEST_EVERY = 10
LONGEST_EVERY = 366 * 86400
LONGEST_NAME = 200  # ScheduleSlot.name holds 255


class ScheduleError(ValueError):
    """A malformed entry; the message names it and says what to write instead."""


@dataclass(frozen=True)
class Entry:
    name: str
    task_path: str
    every: int | None = None  # seconds
    cron: str | None = None  # five fields, UTC

    def task(self) -> Task:
        try:
            found = import_string(self.task_path)
        except ImportError as exc:
            raise ScheduleError(
                f"Periodic task {self.name!r}: cannot import {self.task_path}."
            ) from exc
        if not isinstance(found, Task):
            raise ScheduleError(
                f"Periodic task {self.name!r}: {self.task_path} is not a task; decorate it "
                "with @task (django_tasks) or quickscale_core.background.retrying_task."
            )
        required = [
            parameter.name
            for parameter in inspect.signature(found.func).parameters.values()
            if parameter.default is parameter.empty
            and parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
        ]
        if found.takes_context:
            required = required[1:]
        if required:
            raise ScheduleError(
                f"Periodic task {self.name!r}: {self.task_path} needs {', '.join(required)}; "
                "a periodic task is called without arguments. Give them defaults, or "
                "schedule a task that looks them up (for each team, ...) and enqueues the rest."
            )
        return found

    def next_after(self, moment: datetime) -> datetime:
        if self.every is not None:
            return moment + timedelta(seconds=self.every)
        return croniter(self.cron, moment).get_next(datetime)

    def first_run(self, moment: datetime) -> datetime:
        # An interval starts with a run (a fresh deploy catches up at once); cron waits
        # for its next time, as cron does.
        return moment if self.every is not None else self.next_after(moment)


def parse_every(value: object, name: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    elif isinstance(value, str) and (match := EVERY.match(value)):
        seconds = int(match[1]) * UNITS[match[2]]
    else:
        raise ScheduleError(
            f"Periodic task {name!r}: `every: {value!r}` is not a period; write a number of "
            'seconds or "90s", "15m", "6h", "1d".'
        )
    if seconds < SHORTEST_EVERY:
        raise ScheduleError(
            f"Periodic task {name!r}: `every: {value!r}` is too often; the shortest period is "
            f"{SHORTEST_EVERY} seconds."
        )
    if seconds > LONGEST_EVERY:
        raise ScheduleError(
            f"Periodic task {name!r}: `every: {value!r}` is longer than a year; use `cron`."
        )
    return seconds


# What an entry may say (a manifest item also carries `app`, added by the core, and the
# `order` and `when` every contribution may have).
ENTRY_KEYS = {"task", "every", "cron", "name"}
CONTRIBUTION_KEYS = {"app", "order", "when"}


def make_entry(name: str, item: object) -> Entry:
    if not isinstance(item, dict) or not isinstance(item.get("task"), str):
        raise ScheduleError(f"Periodic task {name!r} needs `task`: the dotted path of a task.")
    unknown = set(item) - ENTRY_KEYS - CONTRIBUTION_KEYS
    if unknown:
        raise ScheduleError(
            f"Periodic task {name!r}: unknown {', '.join(sorted(map(repr, unknown)))}; an "
            "entry has `task` and `every` or `cron` (periodic tasks take no arguments)."
        )
    if ("every" in item) == ("cron" in item):
        raise ScheduleError(f"Periodic task {name!r} needs exactly one of `every` and `cron`.")
    if len(name) > LONGEST_NAME:
        raise ScheduleError(
            f"Periodic task {name[:40]!r}...: name it in {LONGEST_NAME} characters."
        )
    if "cron" in item:
        cron = item["cron"]
        valid = isinstance(cron, str) and len(cron.split()) == 5 and croniter.is_valid(cron)
        if not valid:
            raise ScheduleError(
                f"Periodic task {name!r}: `cron: {cron!r}` is not a cron expression "
                '(five fields in UTC, e.g. "0 3 * * *").'
            )
        try:  # A valid expression may name a date that never comes ("0 0 31 2 *").
            croniter(cron, timezone.now()).get_next(datetime)
        except Exception as exc:  # noqa: BLE001 - croniter's own errors
            raise ScheduleError(f"Periodic task {name!r}: `cron: {cron!r}` never runs.") from exc
        return Entry(name=name, task_path=item["task"], cron=cron)
    return Entry(name=name, task_path=item["task"], every=parse_every(item["every"], name))


def entries() -> list[Entry]:
    """Every periodic task of this project: the manifests', then TASKS_SCHEDULE's."""
    from_modules: dict[str, Entry] = {}
    for item in extensions.contributions("schedule"):
        name = item.get("name") or item.get("task")
        if not isinstance(name, str):
            raise ScheduleError(f"{item.get('app')}: a `schedule:` item needs `task`.")
        from_modules[name] = make_entry(name, item)
    configured = getattr(settings, "TASKS_SCHEDULE", {}) or {}
    if not isinstance(configured, dict):
        raise ScheduleError("TASKS_SCHEDULE must map names to {task, every or cron}.")
    own = [make_entry(str(name), item) for name, item in configured.items()]
    # The project's own entries for a module's task replace it (another period, say); the
    # project may list one task several times (a morning and an evening run).
    replaced = {entry.task_path for entry in own}
    found = {n: e for n, e in from_modules.items() if e.task_path not in replaced}
    found.update({entry.name: entry for entry in own})
    return list(found.values())


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue every entry whose time has come; returns the names enqueued by this call."""
    now = now or timezone.now()
    enqueued = []
    for entry in entries():
        try:
            if _enqueue_if_due(entry, now):
                enqueued.append(entry.name)
        except Exception:
            # One entry's trouble (its task cannot be imported after a deploy, say) must not
            # stop the others: logged here, and `manage.py check` names it.
            logger.exception("Periodic task %s could not be enqueued", entry.name)
    return enqueued


def _enqueue_if_due(entry: Entry, now: datetime) -> bool:
    """Claim and enqueue `entry` if its time has come; whether this call enqueued it."""
    slot = ScheduleSlot.objects.filter(name=entry.name).first()
    if slot is None:
        # Another worker may create it first: then its row is the one.
        with contextlib.suppress(IntegrityError), transaction.atomic():
            ScheduleSlot.objects.create(name=entry.name, next_run_at=entry.first_run(now))
        slot = ScheduleSlot.objects.get(name=entry.name)
    soonest = entry.next_after(now)
    if slot.next_run_at > soonest:
        # The period was shortened since the slot was set: do not wait out the old one.
        ScheduleSlot.objects.filter(pk=slot.pk, next_run_at=slot.next_run_at).update(
            next_run_at=soonest
        )
        return False
    if slot.next_run_at > now:
        return False
    with transaction.atomic():
        claimed = ScheduleSlot.objects.filter(pk=slot.pk, next_run_at=slot.next_run_at).update(
            next_run_at=soonest, last_enqueued_at=now
        )
        if claimed:
            entry.task().enqueue()
    return bool(claimed)
