"""Project tier: a new database gets dj-stripe's tables from their final migration state
(quickscale_core/migrate_final_state.py), and they are exactly the tables its migrations build.

The comparison replays the migrations too (about a minute each on SQLite and PostgreSQL):
it is what proves the shortcut, so it runs on both backends. The cases that must replay
the migrations as written are decided on one SQLite database, without running them.
"""

import json
from pathlib import Path

import pytest

from tests.support.helpers import render, run, with_requirements
from tests.support.servers import new_database

# Every table of the database as Django's introspection sees it (columns with type,
# nullability and default; constraints and indexes by name, with their columns and kind),
# and the applied migrations: what two databases must share to be the same.
SCHEMA = """
import json
from django.db import connection
schema = {}
with connection.cursor() as cursor:
    introspection = connection.introspection
    for table in sorted(introspection.table_names(cursor)):
        columns = [
            [c.name, str(c.type_code), c.null_ok, str(c.default)]
            for c in introspection.get_table_description(cursor, table)
        ]
        constraints = introspection.get_constraints(cursor, table)
        schema[table] = {"columns": columns, "constraints": constraints}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    schema["(applied migrations)"] = cursor.fetchall()
print(json.dumps(schema, sort_keys=True, default=str))
"""

# Why dj-stripe's migrations would run as written in each case, on a new SQLite database
# (final_state_operations returns the operations to run, or the reason it declined).
DECISIONS = """
import json
from django.db import connection
from django.db.migrations import operations
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.migration import Migration
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings
from quickscale_core.migrate_final_state import final_state_operations

def decide(change=None, targets=None):
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(targets or executor.loader.graph.leaf_nodes())
    if change:
        change(executor.loader, plan)
    result = final_state_operations(connection, plan, "djstripe", loader=executor.loader)
    if isinstance(result, str):
        return result
    return "final state of " + " ".join(migration.name for migration in result["migrations"])

def migration(plan, prefix):
    return next(m for m, _ in plan if m.app_label == "djstripe" and m.name.startswith(prefix))

class CustomRemoveField(operations.RemoveField):
    pass

decisions = {"new database": decide()}
recorder = MigrationRecorder(connection)
recorder.ensure_schema()
recorder.record_applied("djstripe", "0001_initial")
decisions["0001 applied"] = decide()
recorder.record_unapplied("djstripe", "0001_initial")
decisions["target 0002"] = decide(targets=[("djstripe", "0002_2_10")])
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE djstripe_customer (id integer)")
decisions["a table exists"] = decide()
with connection.cursor() as cursor:
    cursor.execute("DROP TABLE djstripe_customer")
noop = operations.RunPython(operations.RunPython.noop)
decisions["RunPython"] = decide(lambda _, plan: migration(plan, "0002").operations.append(noop))
def subclass(loader, plan):
    removal = migration(plan, "0003").operations[0]
    migration(plan, "0003").operations[0] = CustomRemoveField(removal.model_name, removal.name)
decisions["an operation subclass"] = decide(subclass)
def needs_earlier_state(loader, plan):
    child = Migration("0099_uses_djstripe_0001", "sessions")
    loader.graph.add_node(("sessions", child.name), child)
    loader.graph.add_dependency(child, ("sessions", child.name), ("djstripe", "0001_initial"))
decisions["another app needs 0001"] = decide(needs_earlier_state)
def later_data_migration(loader, plan):
    key = ("djstripe", "0004_data")
    extra = Migration(key[1], key[0])
    extra.operations = [operations.RunPython(operations.RunPython.noop)]
    loader.graph.add_node(key, extra)
    loader.graph.add_dependency(extra, key, ("djstripe", "0003_2_11"))
    loader.disk_migrations[key] = extra
    plan.append((extra, False))
decisions["a data migration after the one payments needs"] = decide(later_data_migration)
def backwards(loader, plan):
    plan.append((migration(plan, "0003"), True))
decisions["a backwards plan"] = decide(backwards)
class Replicas:  # a router that decides nothing: its presence is enough
    pass
with override_settings(DATABASE_ROUTERS=[Replicas()]):
    decisions["database routers"] = decide()
decisions["still a new database"] = decide()
# A project that adds payments to a database it has used for a while.
from django.core.management import call_command
call_command("migrate", "quickscale_core", verbosity=0)
decisions["payments added later"] = decide()
print(json.dumps(decisions))
"""

NEW_DATABASE_LINE = (
    "djstripe: new to this database: 0001_initial creates the tables that 3 migrations build"
)
ALL_THREE = "final state of 0001_initial 0002_2_10 0003_2_11"


@pytest.fixture(scope="module")
def payments_project(template_snapshot, tmp_path_factory) -> Path:
    project = render(template_snapshot, tmp_path_factory.mktemp("final_state") / "client_acme",
                     modules=with_requirements("payments"))  # fmt: skip
    # The same project, replaying every migration: what a user gets with the setting emptied.
    (project / "config" / "settings" / "replayed.py").write_text(
        "from .dev import *  # noqa: F403\nQUICKSCALE_MIGRATE_FROM_FINAL_STATE = []\n"
    )
    return project


def migrate(project: Path, python: Path, env: dict, database_url: str, replayed: bool) -> str:
    env = {**env, "DATABASE_URL": database_url}
    if replayed:
        env["DJANGO_SETTINGS_MODULE"] = "config.settings.replayed"
    result = run([python, "manage.py", "migrate", "--noinput"], project, env)
    run([python, "manage.py", "makemigrations", "--check", "--dry-run"], project, env)
    return result.stdout


def schema(project: Path, python: Path, env: dict, database_url: str) -> dict:
    env = {**env, "DATABASE_URL": database_url}
    output = run([python, "manage.py", "shell", "-c", SCHEMA], project, env).stdout
    return json.loads(output.strip().splitlines()[-1])  # after the shell's own banner


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_new_database_gets_the_tables_the_migrations_build(
    backend, payments_project, project_python, project_env, tmp_path, request
):
    if backend == "sqlite":
        urls = {kind: f"sqlite:///{tmp_path / kind}.sqlite3" for kind in ("final", "replayed")}
    else:
        server = request.getfixturevalue("postgres_url")
        urls = {kind: new_database(server, f"final_state_{kind}") for kind in ("final", "replayed")}

    final = migrate(payments_project, project_python, project_env, urls["final"], False)
    replayed = migrate(payments_project, project_python, project_env, urls["replayed"], True)

    assert NEW_DATABASE_LINE in final
    assert "djstripe: new to this database" not in replayed
    # The announcement counts what runs: a few dozen operations instead of dj-stripe's 600.
    assert "A new database takes a while" in replayed and "takes a while" not in final
    built = schema(payments_project, project_python, project_env, urls["final"])
    expected = schema(payments_project, project_python, project_env, urls["replayed"])
    assert sorted(built) == sorted(expected)
    assert sum(table.startswith("djstripe_") for table in built) > 50
    for table in expected:
        assert built[table] == expected[table], table
    # Later runs find nothing to do, as after any migrate.
    again = migrate(payments_project, project_python, project_env, urls["final"], False)
    assert "No migrations to apply." in again and "djstripe: new to this database" not in again


def test_migrations_run_as_written_unless_the_database_is_new(
    payments_project, project_python, project_env, tmp_path
):
    env = {**project_env, "DATABASE_URL": f"sqlite:///{tmp_path / 'decide.sqlite3'}"}
    result = run([project_python, "manage.py", "shell", "-c", DECISIONS], payments_project, env)
    decisions = json.loads(result.stdout.strip().splitlines()[-1])

    partly = "only some of the app's migrations are planned (partly migrated, or a target)"
    assert decisions == {
        "new database": ALL_THREE,
        "0001 applied": partly,
        "target 0002": partly,
        "a table exists": "some of the app's tables already exist",
        "RunPython": "operations other than schema changes: RunPython",
        "an operation subclass": "operations other than schema changes: CustomRemoveField",
        "another app needs 0001": (
            "another app's migration needs djstripe.0001_initial, an earlier state"
        ),
        "a backwards plan": "the plan unapplies migrations",
        "database routers": "database routers decide where each app migrates",
        "a data migration after the one payments needs": ALL_THREE,
        "still a new database": ALL_THREE,
        "payments added later": ALL_THREE,
    }


# migrate, killed (no commit, no cleanup, as with kill -9) right after it records dj-stripe's
# 0001 migration.
KILLED_WHILE_RECORDING = """
import os
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
django.setup()
from django.core.management import call_command
from django.db.migrations.recorder import MigrationRecorder
record = MigrationRecorder.record_applied
def record_then_die(self, app, name):
    record(self, app, name)
    if (app, name) == ("djstripe", "0001_initial"):
        os._exit(9)
MigrationRecorder.record_applied = record_then_die
call_command("migrate", verbosity=0)
"""


def test_a_migrate_killed_midway_leaves_a_database_the_next_migrate_completes(
    payments_project, project_python, project_env, tmp_path
):
    """The tables, their indexes and foreign keys and the record of all three migrations
    are one transaction: killed before its commit, the next run starts again from nothing.
    (Recorded one by one after the commit, a kill between the records left 0001 recorded
    over final tables, and every later migrate failed replaying 0002 over them.)"""
    env = {**project_env, "DATABASE_URL": f"sqlite:///{tmp_path / 'killed.sqlite3'}"}
    killed = run([project_python, "-c", KILLED_WHILE_RECORDING], payments_project, env,
                 check=False)  # fmt: skip
    assert killed.returncode == 9, killed.stderr

    rerun = run([project_python, "manage.py", "migrate", "--noinput"], payments_project, env)

    assert NEW_DATABASE_LINE in rerun.stdout
    shown = run([project_python, "manage.py", "showmigrations", "djstripe"], payments_project, env)
    assert shown.stdout.count("[X]") == 3 and "[ ]" not in shown.stdout
    run([project_python, "manage.py", "makemigrations", "--check", "--dry-run"],
        payments_project, env)  # fmt: skip
