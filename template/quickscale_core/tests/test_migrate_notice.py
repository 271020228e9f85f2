"""`migrate` says what it is about to do before it starts (a first run can take minutes)."""

import io

from django.apps import apps
from django.core.management.sql import emit_pre_migrate_signal
from django.db import migrations

from quickscale_core.apps import SLOW_MIGRATE_OPERATIONS


def plan(*sizes: int, backwards: bool = False) -> list:
    """Migrations as migrate plans them (tests run without the real ones: --nomigrations)."""
    steps = []
    for number, size in enumerate(sizes, start=1):
        migration = migrations.Migration(f"{number:04d}_step", "quickscale_core")
        migration.operations = [migrations.RunPython(migrations.RunPython.noop)] * size
        steps.append((migration, backwards))
    return steps


def notice(steps: list, verbosity: int = 1) -> str:
    out = io.StringIO()
    # As migrate sends it: once per app, before the first migration runs.
    emit_pre_migrate_signal(verbosity, False, "default", stdout=out, apps=apps, plan=steps)
    return out.getvalue()


def test_pending_migrations_are_announced_once_with_their_size():
    assert notice(plan(2, 3)) == (
        "Setting up the database: 2 migration(s), 5 operation(s) to apply.\n"
    )


def test_a_large_first_run_says_it_takes_a_while():
    line = notice(plan(SLOW_MIGRATE_OPERATIONS, 1))
    assert line.count("\n") == 1
    assert "2 migration(s)" in line and "takes a while" in line


def test_nothing_is_said_without_pending_work_backwards_or_when_quiet():
    assert notice([]) == ""
    assert notice(plan(500, backwards=True)) == ""
    assert notice(plan(500), verbosity=0) == ""
